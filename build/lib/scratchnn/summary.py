"""``summary(model, input_shape)``: output shape and parameter count of every layer.

Like ``torchinfo.summary(model, input_size=...)``, and with the same counts, but
computed by shape arithmetic (each layer's ``output_shape``, which uses
``conv_output_size``) rather than a forward pass: instant even for large inputs,
and the model's caches and random state stay untouched.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from ._checks import _is_int
from .layers import Layer, Sequential

_FN = "summary"


@dataclass(frozen=True)
class SummaryRow:
    """One layer: ``name`` (class), ``index`` ("1-3": depth 1, third child, as torchinfo),
    ``depth``, ``output_shape`` and ``num_params`` (including those of sub-layers)."""
    name: str
    index: str
    depth: int
    output_shape: tuple[int, ...]
    num_params: int


@dataclass(frozen=True)
class Summary:
    """The table (``rows``) plus totals; ``print(summary)`` shows it."""
    model_name: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    rows: tuple[SummaryRow, ...]
    total_params: int
    trainable_params: int

    def to_dicts(self) -> list[dict]:
        return [asdict(row) for row in self.rows]

    def __str__(self) -> str:
        cells = [("Layer (type:depth-idx)", "Output Shape", "Param #"),
                 (self.model_name, str(list(self.output_shape)), "--")]
        for row in self.rows:
            cells.append(("    " * (row.depth - 1) + f"{row.name}: {row.index}",
                          str(list(row.output_shape)),
                          # a container's parameters are listed with its children, as in torchinfo
                          f"{row.num_params:,}" if row.num_params and row.name != "Sequential" else "--"))
        w0 = max(len(c[0]) for c in cells) + 2
        w1 = max(len(c[1]) for c in cells) + 2
        w2 = max(len(c[2]) for c in cells)
        rule = "=" * (w0 + w1 + w2)
        lines = [rule, cells[0][0].ljust(w0) + cells[0][1].ljust(w1) + cells[0][2].rjust(w2), rule]
        lines += [a.ljust(w0) + b.ljust(w1) + c.rjust(w2) for a, b, c in cells[1:]]
        lines += [rule, f"Input shape: {list(self.input_shape)}",
                  f"Total params: {self.total_params:,}",
                  f"Trainable params: {self.trainable_params:,}", rule]
        return "\n".join(lines)


def summary(model: Layer, input_shape) -> Summary:
    """Per-layer output shapes and parameter counts for an input of ``input_shape`` (with batch).

    >>> from scratchnn.layers import Sequential, Conv2D, ReLU, Flatten, Linear
    >>> net = Sequential(Conv2D(1, 4, 3, padding=1), ReLU(), Flatten(), Linear(4 * 8 * 8, 10))
    >>> s = summary(net, (2, 1, 8, 8))
    >>> s.total_params, s.rows[0].output_shape
    (2610, (2, 4, 8, 8))
    """
    if not isinstance(model, Layer):
        raise ValueError(f"{_FN}: model={model!r} must be a scratchnn Layer (e.g. a Sequential)")
    if not (isinstance(input_shape, (tuple, list)) and input_shape
            and all(_is_int(v) and v >= 1 for v in input_shape)):
        raise ValueError(f"{_FN}: input_shape={input_shape!r} must be a tuple of positive ints "
                         "including the batch size, e.g. (1, 3, 32, 32)")
    input_shape = tuple(int(v) for v in input_shape)
    rows: list[SummaryRow] = []
    output_shape = _walk(model, input_shape, 1, rows) if isinstance(model, Sequential) \
        else _single(model, input_shape, rows)
    total = model.num_parameters()
    return Summary(type(model).__name__, input_shape, output_shape, tuple(rows), total, total)


def _walk(seq: Sequential, shape, depth: int, rows: list) -> tuple[int, ...]:
    for k, layer in enumerate(seq, start=1):
        position = len(rows)
        if isinstance(layer, Sequential):
            rows.append(None)                       # placeholder: its output is known after its children
            out = _walk(layer, shape, depth + 1, rows)
        else:
            out = tuple(layer.output_shape(shape))
        row = SummaryRow(type(layer).__name__, f"{depth}-{k}", depth, out, layer.num_parameters())
        if isinstance(layer, Sequential):
            rows[position] = row
        else:
            rows.append(row)
        shape = out
    return shape


def _single(layer: Layer, shape, rows: list) -> tuple[int, ...]:
    out = tuple(layer.output_shape(shape))
    rows.append(SummaryRow(type(layer).__name__, "1-1", 1, out, layer.num_parameters()))
    return out

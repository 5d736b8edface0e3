"""Receptive fields of stacked convolutions and poolings, layer by layer.

Following Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional
Neural Networks", Distill 2019. The arithmetic is 1-D, per spatial axis.
Coordinates are input pixel indices; pixel 0 has its centre at 0. Before the
first layer (row 0, named ``"input"``) ``rf = 1``, ``jump = 1``, ``start = 0.0``.
For layer ``l`` with kernel ``k``, stride ``s``, padding ``p`` (before) and
dilation ``d``::

    size_l  = conv_output_size(size_{l-1}, k, s, p, d, ceil_mode)   (pooling may round up)
    rf_l    = rf_{l-1} + d (k - 1) jump_{l-1}          receptive field (pixels)
    jump_l  = jump_{l-1} s                             effective stride
    start_l = start_{l-1} + (d (k - 1) / 2 - p) jump_{l-1}

``start_l`` is the input coordinate of the centre of the field of output 0;
output ``j`` sees the input pixels ``start + j*jump +- (rf - 1)/2``. Some of
them may be padding, i.e. outside ``[0, size_0)``, so with padding ``rf`` can
exceed the input size (after a global pooling it usually does).

Which layers count (when a ``Sequential`` is given):

* ``Conv2D``, ``MaxPool2D``, ``AvgPool2D`` add a row each.
* ``ReLU`` and ``Dropout`` act per pixel and change nothing: they get no row.
* ``GlobalAvgPool2D`` is a pooling whose window is the whole map: it adds a row
  with ``kernel`` = the current size, stride 1, padding 0 (output size 1), so
  its field is everything the previous maps saw.
* ``Flatten`` and ``Linear`` end the spatial part: the table stops there (every
  unit of a ``Linear`` sees the whole input).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from ._checks import _is_int
from .functional.sizes import conv_output_size, effective_kernel_size
from .layers import (AvgPool2D, Conv2D, Dropout, Flatten, GlobalAvgPool2D, Layer, Linear, MaxPool2D,
                     ReLU, Sequential)

_FN = "receptive_field"


@dataclass(frozen=True)
class ReceptiveFieldRow:
    """One layer of the table, along one axis (see the module docstring for the formulas).

    ``padding`` is an int, or ``(before, after)`` for asymmetric padding.
    """
    name: str
    kernel: int
    stride: int
    padding: int | tuple[int, int]
    dilation: int
    output_size: int
    receptive_field: int
    jump: int
    start: float


class ReceptiveFieldTable(list):
    """A list of :class:`ReceptiveFieldRow` (row 0 is the input) that prints as a table."""

    COLUMNS = ("name", "kernel", "stride", "padding", "dilation", "output_size", "receptive_field",
               "jump", "start")

    def to_dicts(self) -> list[dict]:
        return [asdict(row) for row in self]

    def __str__(self) -> str:
        header = ("layer", "kernel", "stride", "padding", "dilation", "output", "rf", "jump", "start")
        cells = [header] + [tuple(_cell(getattr(row, c)) for c in self.COLUMNS) for row in self]
        widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
                 for r in cells]
        lines.insert(1, "-" * len(lines[0]))
        return "\n".join(lines)


def receptive_field(layers, input_size, axis: int | None = None) -> ReceptiveFieldTable:
    """Per-layer output size, receptive field, jump and start for ``input_size`` pixels.

    ``layers`` is a ``Sequential`` (or list of scratchnn layers), or a list of
    ``(kernel, stride, padding)`` / ``(kernel, stride, padding, dilation)`` tuples.
    Values may be pairs ``(height, width)``; then pass ``axis=0`` (height) or
    ``axis=1`` (width); with ``axis=None`` every pair must have equal entries.
    ``input_size`` is an int (or an ``(H, W)`` pair under the same rule).

    >>> t = receptive_field([(3, 1, 1)] * 3, 32)        # three 3x3 convs, stride 1
    >>> [row.receptive_field for row in t]
    [1, 3, 5, 7]
    """
    if axis not in (None, 0, 1):
        raise ValueError(f"{_FN}: axis={axis!r} must be None, 0 (height) or 1 (width)")
    size = _scalar(input_size, "input_size", axis, minimum=1)
    specs = _layer_specs(layers, axis)
    rows = ReceptiveFieldTable([ReceptiveFieldRow("input", 1, 1, 0, 1, size, 1, 1, 0.0)])
    rf, jump, start = 1, 1, 0.0
    for name, k, s, p, d, ceil_mode in specs:
        if k is None:                                   # global pooling: window = whole map
            k, s, p, d = size, 1, 0, 1
        before = p[0] if isinstance(p, tuple) else p
        size = conv_output_size(size, k, s, p, d, ceil_mode, fn=f"{_FN} ({name})")
        span = effective_kernel_size(k, d) - 1          # d(k-1)
        start = start + (span / 2 - before) * jump
        rf = rf + span * jump
        jump = jump * s
        rows.append(ReceptiveFieldRow(name, k, s, p, d, size, rf, jump, start))
    return rows


def _layer_specs(layers, axis):
    """``[(name, kernel, stride, padding, dilation, ceil_mode), ...]`` along one axis."""
    if isinstance(layers, Sequential):
        layers = list(layers)
    elif isinstance(layers, Layer):
        layers = [layers]
    if not isinstance(layers, (list, tuple)):
        raise ValueError(f"{_FN}: layers={layers!r} must be a Sequential, a list of layers or a list "
                         "of (kernel, stride, padding[, dilation]) tuples")
    specs = []
    for idx, item in enumerate(layers):
        if isinstance(item, Layer):
            spec = _spec_of_layer(item, idx, axis)
            if spec == "stop":
                break
            if spec is not None:
                specs.append(spec)
        elif isinstance(item, (tuple, list)) and len(item) in (3, 4):
            k, s, p, *rest = item
            d = rest[0] if rest else 1
            where = f"layers[{idx}]"
            specs.append((f"layer {idx + 1}", _scalar(k, f"{where} kernel", axis, 1),
                          _scalar(s, f"{where} stride", axis, 1), _scalar(p, f"{where} padding", axis, 0),
                          _scalar(d, f"{where} dilation", axis, 1), False))
        else:
            raise ValueError(f"{_FN}: layers[{idx}]={item!r} must be a scratchnn layer or a "
                             "(kernel, stride, padding[, dilation]) tuple")
    return specs


def _spec_of_layer(layer, idx, axis):
    name = f"{idx}: {type(layer).__name__}"
    if isinstance(layer, (ReLU, Dropout)):
        return None
    if isinstance(layer, (Flatten, Linear)):
        return "stop"
    if isinstance(layer, GlobalAvgPool2D):
        return (name, None, None, None, None, False)
    if isinstance(layer, Conv2D):
        pads = tuple(pair[0] if pair[0] == pair[1] else pair for pair in layer.pads)
        return (name,) + tuple(_scalar(v, f"{name} {what}", axis, 0) for v, what in
                               zip((layer.kernel_size, layer.stride, pads, layer.dilation),
                                   ("kernel_size", "stride", "padding", "dilation"))) + (False,)
    if isinstance(layer, (MaxPool2D, AvgPool2D)):  # ceil_mode changes the size, not the field
        return (name,) + tuple(_scalar(v, f"{name} {what}", axis, 0) for v, what in
                               zip((layer._k, layer._s, layer._p, layer._d),
                                   ("kernel_size", "stride", "padding", "dilation"))
                               ) + (layer.ceil_mode,)
    if isinstance(layer, Sequential):
        raise ValueError(f"{_FN}: layers[{idx}] is a nested Sequential; pass a flat one")
    raise ValueError(f"{_FN}: layers[{idx}] ({type(layer).__name__}) has no receptive-field rule; "
                     "supported: Conv2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D, ReLU, Dropout, "
                     "Flatten, Linear")


def _scalar(value, name, axis, minimum):
    """An int, or the ``axis`` entry of a per-axis pair (a pair of equal entries when axis is None).

    A padding may itself be ``(before, after)`` per axis; such a tuple is kept.
    """
    if isinstance(value, (tuple, list)) and len(value) == 2:
        if axis is not None:
            value = value[axis]
        elif value[0] == value[1]:
            value = value[0]
        else:
            raise ValueError(f"{_FN}: {name}={tuple(value)!r} differs between height and width; "
                             "pass axis=0 (height) or axis=1 (width)")
    if isinstance(value, tuple) and len(value) == 2 and all(_is_int(v) and v >= 0 for v in value):
        return value if value[0] != value[1] else value[0]
    if not _is_int(value) or value < minimum:
        raise ValueError(f"{_FN}: {name}={value!r} must be an integer >= {minimum}")
    return int(value)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)

"""Receptive-field growth: which cells of each layer affect one output cell.

The layer table comes from :func:`scratchnn.receptive_field.receptive_field`
(sizes from ``conv_output_size``). The highlighted sets are traced back from
the chosen output cell, layer by layer: cell ``a`` of layer ``l`` reads the
cells ``a*s - p + u*d`` (``u = 0..k-1``) of layer ``l - 1`` that lie inside the
map (padding affects nothing). Near a border the set is the clipped field;
inside it is ``receptive_field`` pixels wide.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from . import style
from .animate import FrameAnimation, picture_animation


def _table(layers, input_size, fn):
    from ..receptive_field import receptive_field

    if isinstance(input_size, (tuple, list)):
        if len(input_size) != 2 or input_size[0] != input_size[1]:
            raise ValueError(f"{fn}: input_size={input_size!r} must be an int (square maps)")
        input_size = input_size[0]
    return receptive_field(layers, input_size)


def trace_field(table, cell) -> list[set[tuple[int, int]]]:
    """Per level (0 = input), the set of cells that affect ``cell`` of the last level."""
    sets = [set() for _ in table]
    sets[-1] = {tuple(cell)}
    for level in range(len(table) - 1, 0, -1):
        row, below = table[level], table[level - 1].output_size
        before = row.padding[0] if isinstance(row.padding, tuple) else row.padding
        def axis(a):
            return [a * row.stride - before + u * row.dilation for u in range(row.kernel)]
        sets[level - 1] = {(r, c) for a, b in sets[level] for r in axis(a) for c in axis(b)
                           if 0 <= r < below and 0 <= c < below}
    return sets


class FieldPicture:
    """One panel per level (input on the left); ``fields[l]`` is the set drawn on level ``l``."""

    def __init__(self, axes, layers, input_size, cell=None, fn="receptive_field_growth"):
        self.table = t = _table(layers, input_size, fn)
        last = t[-1].output_size
        if cell is None:
            cell = (last // 2, last // 2)
        if len(cell) != 2 or not all(0 <= v < last for v in cell):
            raise ValueError(f"{fn}: cell={tuple(cell)!r} must lie in the last map (size {last}×{last})")
        self.cell = tuple(cell)
        self.fields = trace_field(t, self.cell)
        self.colls = []
        for level, (ax, row) in enumerate(zip(axes, t)):
            n = row.output_size
            role = "input" if level == 0 else "output"
            style.role_grid(ax, np.full((n, n), role), (0, 0), gid_prefix=f"l{level}-")
            coll = style.cells_patch([], "field", alpha=0.85, linewidth=0.8, gid=f"field-{level}")
            ax.add_collection(coll)
            self.colls.append(coll)
            if level == 0:
                name = f"input {n}×{n}"
            else:
                name = f"{row.name}\nk{row.kernel} s{row.stride} p{row.padding}" + \
                    (f" d{row.dilation}" if row.dilation != 1 else "") + f" → {n}×{n}"
            ax.set_title(f"{name}\nfield {row.receptive_field}×{row.receptive_field}",
                         fontsize=style.TITLE_FONTSIZE - 1)
            style.finish_axes(ax, n, n, top=0.3)

    @property
    def n_frames(self) -> int:
        return len(self.table)

    def dynamic(self) -> list:
        return list(self.colls)

    def show(self, f: int) -> None:
        """Frame ``f`` reveals the field on the last ``f + 1`` levels (tracing back from the output)."""
        L = len(self.table) - 1
        for level, coll in enumerate(self.colls):
            cells = sorted(self.fields[level]) if level >= L - f else []
            style.set_cells(coll, cells)


def _figure(layers, input_size, cell, dpi):
    t = _table(layers, input_size, "receptive_field_growth")
    sizes = [row.output_size for row in t]
    fig, axes = plt.subplots(1, len(t), dpi=dpi, squeeze=False, layout="constrained",
                             gridspec_kw={"width_ratios": [max(s, 7) for s in sizes]})
    width = sum(max(s, 7) + 1.5 for s in sizes)
    fig.set_size_inches(max(width * style.CELL_INCHES * 0.8, 6.0),
                        (max(sizes) + 4.5) * style.CELL_INCHES * 0.8)
    pic = FieldPicture(axes[0], layers, input_size, cell)
    return fig, pic


def receptive_field_growth(layers, input_size, cell=None, dpi=100):
    """Static figure: the receptive field of one output ``cell`` on every level.

    ``layers``: what :func:`scratchnn.receptive_field` takes — a list of
    ``(kernel, stride, padding[, dilation])`` tuples or scratchnn layers;
    ``input_size``: side of the square input; ``cell``: ``(row, col)`` in the
    last map (default: its centre). Returns the ``Figure``; ``fig.picture.fields``
    lists the highlighted cells per level.

    >>> fig = receptive_field_growth([(3, 1, 0)] * 3, 9)   # rf grows 1, 3, 5, 7
    """
    fig, pic = _figure(layers, input_size, cell, dpi)
    pic.show(pic.n_frames - 1)
    fig.suptitle(f"which input pixels affect output cell {pic.cell}", fontsize=style.TITLE_FONTSIZE + 1)
    fig.picture = pic
    return fig


def animate_receptive_field(layers, input_size, cell=None, fps=1, dpi=100) -> FrameAnimation:
    """Animation of :func:`receptive_field_growth`: the field traced back one layer per frame."""
    fig, pic = _figure(layers, input_size, cell, dpi)
    fig.suptitle(f"which input pixels affect output cell {pic.cell}", fontsize=style.TITLE_FONTSIZE + 1)
    return picture_animation(fig, pic, pic.n_frames, fps=fps, tight=False)

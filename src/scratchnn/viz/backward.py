"""The backward pass of a convolution: which output deltas reach one input cell.

``∂L/∂x`` is a *full* convolution of ``∂L/∂y`` with the kernel rotated by
180°: the deltas are spread apart by ``s - 1`` zeros (the stride), padded by
``d(k-1) - p`` per side, and a stride-1 window slides over them — exactly the
picture of a transposed convolution with input size ``o`` (plus
``output_padding = i - conv_transpose_output_size(o, k, s, p, 0, d)`` when the
forward stride skipped the last rows). Left: the forward view (the input
cell and the output cells its value reaches); right: the backward view.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from . import style
from .animate import DEFAULT_FPS, FrameAnimation, picture_animation
from .conv_arithmetic import GAP, ConvPicture, default_frames
from .geometry import ConvGeometry, conv_geometry, describe
from ..functional.sizes import conv_transpose_output_size


def backward_geometry(i, k, s=1, p=0, d=1, fn="conv_backward") -> tuple[ConvGeometry, ConvGeometry]:
    """``(forward, backward)`` geometries; backward frame ``t`` computes input cell ``t`` (row-major)."""
    fwd = conv_geometry(i, k, s, p, d, fn=fn)
    ops = []
    for a, ax in enumerate((fwd.rows, fwd.cols)):
        P = {n: (v if isinstance(v, (tuple, list)) else (v, v))[a] for n, v in fwd.params.items()
             if n in ("i", "k", "s", "p", "d")}
        ops.append(P["i"] - conv_transpose_output_size(ax.out, P["k"], P["s"], P["p"], 0, P["d"]))
    bwd = conv_geometry(fwd.out_shape, k, s, p, d, transposed=True, output_padding=tuple(ops), fn=fn)
    return fwd, bwd


class BackwardPicture:
    """Forward view on ``ax_fwd``, backward (full convolution) view on ``ax_bwd``."""

    def __init__(self, ax_fwd, ax_bwd, i, k, s=1, p=0, d=1):
        self.fwd, self.bwd = backward_geometry(i, k, s, p, d)
        g = self.fwd
        H, W = g.canvas_shape
        oh, ow = g.out_shape
        self.out_org = (W + GAP, max(0.0, (H - oh) / 2))
        style.role_grid(ax_fwd, g.roles(), (0, 0), gid_prefix="x-")
        style.role_grid(ax_fwd, np.full((oh, ow), "output"), self.out_org, gid_prefix="y-")
        self.reached = style.cells_patch([], "gradtint", linewidth=1.2, gid="reached")
        ax_fwd.add_collection(self.reached)
        self.cell = style.cells_patch([], "gradient", linewidth=1.8, gid="input-cell")
        ax_fwd.add_collection(self.cell)
        style.label(ax_fwd, W / 2, -0.2, "forward: x")
        style.label(ax_fwd, self.out_org[0] + ow / 2, self.out_org[1] - 0.2, "y")
        style.finish_axes(ax_fwd, W + GAP + ow, max(H, oh))
        self.title = ax_fwd.set_title("", fontsize=style.TITLE_FONTSIZE)
        self.back = ConvPicture(ax_bwd, self.bwd, labels=("∂L/∂y: zeros, padding", "∂L/∂x"))
        self.back.title.set_text("")
        self.bwd_title = ax_bwd.set_title("", fontsize=style.TITLE_FONTSIZE)
        self.delta_marks = style.cells_patch([], "gradient", linewidth=2.2, gid="deltas", inset=0.08)
        self.delta_marks.set_facecolor("none")
        ax_bwd.add_collection(self.delta_marks)

    @property
    def n_frames(self) -> int:
        return self.bwd.n_frames

    def deltas(self, t: int) -> list[tuple[int, int]]:
        """Output cells whose delta reaches input cell ``bwd.position(t)`` (backward view)."""
        cells = (self.bwd.input_cell(r, c) for r, c in self.bwd.window(t))
        return sorted(c for c in cells if c is not None)

    def reached_forward(self, t: int) -> list[tuple[int, int]]:
        """Output cells whose forward window covers input cell ``bwd.position(t)``."""
        r, c = self.bwd.position(t)
        target = (r + self.fwd.rows.pad_before, c + self.fwd.cols.pad_before)
        return sorted(self.fwd.position(u) for u in range(self.fwd.n_frames)
                      if target in self.fwd.window(u))

    def dynamic(self) -> list:
        return [self.reached, self.cell, self.title, self.bwd_title, *self.back.dynamic(), self.delta_marks]

    def show(self, t: int) -> None:
        r, c = self.bwd.position(t)
        style.set_cells(self.cell, [(r + self.fwd.rows.pad_before, c + self.fwd.cols.pad_before)])
        style.set_cells(self.reached, self.reached_forward(t), self.out_org)
        self.back.show(t)
        self.back.title.set_text("")
        hits = [rc for rc in self.bwd.window(t) if self.bwd.input_cell(*rc) is not None]
        style.set_cells(self.delta_marks, hits, inset=0.08)
        n = len(self.reached_forward(t))
        self.title.set_text(f"x({r}, {c}) reaches {n} output{'s' if n != 1 else ''}")
        self.bwd_title.set_text(f"backward: ∂L/∂x({r}, {c}) = full conv, kernel rotated 180°")


def _figure(args, nrows, dpi):
    fwd, bwd = backward_geometry(*args)
    wf = fwd.canvas_shape[1] + GAP + fwd.out_shape[1] + 0.6
    wb = bwd.canvas_shape[1] + GAP + bwd.out_shape[1] + 0.6
    h = max(fwd.canvas_shape[0], bwd.canvas_shape[0]) + 2.4
    fig, axes = plt.subplots(nrows, 2, dpi=dpi, squeeze=False, gridspec_kw={"width_ratios": [wf, wb]})
    fig.set_size_inches(max((wf + wb) * style.CELL_INCHES, 7.0), h * style.CELL_INCHES * nrows)
    pics = [BackwardPicture(row[0], row[1], *args) for row in axes]
    return fig, pics


def conv_backward(i, k, s=1, p=0, d=1, frames=None, dpi=100):
    """Static figure of the backward pass for input size ``i``, kernel ``k``, stride ``s``, padding ``p``, dilation ``d``.

    One row per entry of ``frames`` (input cells, row-major; default: 3 spread
    over the input). Each row shows, left, the input cell and the output cells
    its value reaches; right, the full convolution that computes its gradient:
    ``∂L/∂y`` with ``s - 1`` zeros between deltas and ``d(k-1) - p`` padding,
    and the rotated kernel's window, whose taps on real deltas are exactly those
    outputs. ``fig.pictures`` holds the :class:`BackwardPicture` per row.
    """
    args = (i, k, s, p, d)
    fwd, bwd = backward_geometry(*args)
    frames = default_frames(bwd.n_frames, 3) if frames is None else list(frames)
    fig, pics = _figure(args, len(frames), dpi)
    for pic, t in zip(pics, frames):
        pic.show(t)
    fig.tight_layout()
    fig.pictures, fig.frames = pics, frames
    return fig


def animate_conv_backward(i, k, s=1, p=0, d=1, fps=DEFAULT_FPS, dpi=100) -> FrameAnimation:
    """Animation of :func:`conv_backward`: one frame per input cell."""
    fig, (pic,) = _figure((i, k, s, p, d), 1, dpi)
    return picture_animation(fig, pic, pic.n_frames, fps=fps, geometry=pic.bwd,
                             caption=describe(pic.bwd))

"""Worked examples with the actual numbers: every input channel, every filter, the sum.

``numeric_conv(x, weight)`` draws a multi-channel convolution
``y[j, a, b] = bias[j] + sum_c sum_{u,v} x_pad[c, a*s + u*d, b*s + v*d] * weight[j, c, u, v]``
with the products written out per input channel. The output numbers come
from :func:`scratchnn.functional.conv2d`; the products are read off the
drawing's own window, so the picture and the library check each other.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from . import style
from .animate import FrameAnimation, picture_animation
from .geometry import conv_geometry, describe

GAP = 1.6


def _as_inputs(x, weight, bias, fn):
    from .._checks import check_array

    x = np.asarray(x, dtype=float) if not isinstance(x, np.ndarray) else x.astype(float)
    if x.ndim == 4:
        if x.shape[0] != 1:
            raise ValueError(f"{fn}: x must hold one example, got batch size {x.shape[0]}")
        x = x[0]
    check_array(x, "x", fn, 3, "(C_in, H, W)")
    weight = check_array(np.asarray(weight, dtype=float), "weight", fn, 4, "(C_out, C_in, kH, kW)")
    if weight.shape[1] != x.shape[0]:
        raise ValueError(f"{fn}: weight has {weight.shape[1]} input channels, x has {x.shape[0]}")
    if bias is not None:
        bias = np.asarray(bias, dtype=float)
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"{fn}: bias has shape {bias.shape}, must be ({weight.shape[0]},)")
    return x, weight, bias


class NumericPicture:
    """Inputs (left column), filters (one column per output channel), outputs (right).

    Frame ``t`` is output channel ``t // (o_h*o_w)`` at position ``t % (o_h*o_w)``.
    ``terms(t)`` lists the products ``(x value, weight value)`` per input channel.
    """

    def __init__(self, ax, x, weight, bias, stride, padding, dilation):
        from .. import functional as F

        self.ax, self.x, self.weight, self.bias = ax, x, weight, bias
        C, H, W = x.shape
        J, _, kh, kw = weight.shape
        self.g = g = conv_geometry((H, W), (kh, kw), stride, padding, dilation, fn="numeric_conv")
        self.y = F.conv2d(x[None], weight, bias, stride=stride, padding=padding, dilation=dilation)[0]
        ch, cw = g.canvas_shape
        oh, ow = g.out_shape
        self.canvas = [g.canvas_values(x[c]) for c in range(C)]
        row_h = max(ch, kh) + 1.6
        self.in_org = [(0.0, c * row_h) for c in range(C)]
        fx = cw + GAP
        self.w_org = [[(fx + j * (kw + 1.0), c * row_h + (ch - kh) / 2) for c in range(C)] for j in range(J)]
        ox = fx + J * (kw + 1.0) - 1.0 + GAP
        out_h = oh + 1.6
        top = (C * row_h - J * out_h) / 2
        self.out_org = [(ox, max(0.0, top) + j * out_h) for j in range(J)]
        for c in range(C):
            style.role_grid(ax, g.roles(), self.in_org[c], gid_prefix=f"x{c}-")
            style.write_values(ax, self.canvas[c], self.in_org[c], gid="input-value")
            style.label(ax, self.in_org[c][0] + cw / 2, self.in_org[c][1] - 0.15, f"x[{c}]")
            for j in range(J):
                org = self.w_org[j][c]
                style.role_grid(ax, np.full((kh, kw), "weight"), org, gid_prefix=f"w{j}{c}-")
                style.write_values(ax, weight[j, c], org, gid="weight-value")
                style.label(ax, org[0] + kw / 2, org[1] - 0.15, f"w[{j},{c}]")
        for j in range(J):
            style.role_grid(ax, np.full((oh, ow), "output"), self.out_org[j], gid_prefix=f"y{j}-")
            style.write_values(ax, self.y[j], self.out_org[j], gid="output-value")
            b = "" if bias is None else f" (bias {style.format_number(bias[j])})"
            style.label(ax, self.out_org[j][0] + ow / 2, self.out_org[j][1] - 0.15, f"y[{j}]{b}")
        self.windows = []
        for c in range(C):
            coll = style.cells_patch([], "kernel", self.in_org[c], alpha=0.45, linewidth=1.6, gid="window")
            ax.add_collection(coll)
            self.windows.append(coll)
        self.filter_box = Rectangle((0, 0), 1, 1, fill=False, edgecolor=style.EDGE["kernel"],
                                    linewidth=2.2, gid="filter-box")
        ax.add_patch(self.filter_box)
        self.current = style.cells_patch([], "current", alpha=0.5, linewidth=1.8, gid="current")
        ax.add_collection(self.current)
        self.height = max(C * row_h, self.out_org[-1][1] + out_h)
        self.sum_text = ax.text(0, self.height + 0.2, "", ha="left", va="top", family="monospace",
                                fontsize=style.CELL_FONTSIZE + 1, gid="sum")
        self.width = ox + ow
        self.n_lines = C + 1
        self.title = ax.set_title("", fontsize=style.TITLE_FONTSIZE)

    @property
    def n_frames(self) -> int:
        return self.weight.shape[0] * self.g.n_frames

    def split(self, t: int):
        if not 0 <= t < self.n_frames:
            raise ValueError(f"numeric_conv: frame t={t} must be in [0, {self.n_frames})")
        j, pos = divmod(t, self.g.n_frames)
        return j, pos

    def terms(self, t: int) -> list[list[tuple[float, float]]]:
        """``[[(x, w), ...] per input channel]`` under the window of frame ``t``."""
        j, pos = self.split(t)
        kh, kw = self.weight.shape[2:]
        cells = self.g.window(pos)
        return [[(self.canvas[c][r, cc], self.weight[j, c, n // kw, n % kw])
                 for n, (r, cc) in enumerate(cells)] for c in range(self.x.shape[0])]

    def total(self, t: int) -> float:
        """The sum the picture writes out: products plus bias."""
        j, _ = self.split(t)
        s = sum(a * b for ch in self.terms(t) for a, b in ch)
        return s + (0.0 if self.bias is None else self.bias[j])

    def equation(self, t: int) -> str:
        fmt = style.format_number
        j, pos = self.split(t)
        a, b = self.g.position(pos)
        lines = []
        for c, ch in enumerate(self.terms(t)):
            prods = " + ".join(f"{fmt(xv)}·{fmt(wv)}" for xv, wv in ch)
            lines.append(f"c={c}: {prods} = {fmt(sum(xv * wv for xv, wv in ch))}")
        bias = "" if self.bias is None else f" + {fmt(self.bias[j])}"
        lines.append(f"y[{j},{a},{b}] = " + " + ".join(
            fmt(sum(xv * wv for xv, wv in ch)) for ch in self.terms(t)) + f"{bias} = {fmt(self.total(t))}")
        return "\n".join(lines)

    def dynamic(self) -> list:
        return [*self.windows, self.filter_box, self.current, self.sum_text, self.title]

    def show(self, t: int) -> None:
        j, pos = self.split(t)
        cells = self.g.window(pos)
        for coll, org in zip(self.windows, self.in_org):
            style.set_cells(coll, cells, org)
        kh, kw = self.weight.shape[2:]
        x0, y0 = self.w_org[j][0]
        y1 = self.w_org[j][-1][1] + kh
        self.filter_box.set_xy((x0 - 0.25, y0 - 0.1))
        self.filter_box.set_width(kw + 0.5)
        self.filter_box.set_height(y1 - y0 + 0.35)
        a, b = self.g.position(pos)
        style.set_cells(self.current, [(a, b)], self.out_org[j])
        self.sum_text.set_text(self.equation(t))
        self.title.set_text(f"output channel {j}, cell ({a}, {b})")


def _figure(pic_args, dpi, nrows=1):
    import matplotlib.pyplot as plt

    fig = plt.figure(dpi=dpi)
    axes = [fig.add_subplot(nrows, 1, n + 1) for n in range(nrows)]
    pics = [NumericPicture(ax, *pic_args) for ax in axes]
    p = pics[0]
    eq_chars = max(len(p.equation(t).split("\n")[0]) for t in range(p.n_frames))
    width = max(p.width + 0.6, eq_chars * 0.62 * (style.CELL_FONTSIZE + 1) / 72 / style.CELL_INCHES)
    height = p.height + 1.2 + p.n_lines * 0.5
    fig.set_size_inches(width * style.CELL_INCHES, height * style.CELL_INCHES * nrows)
    for ax, pic in zip(axes, pics):
        style.finish_axes(ax, width - 0.6, height - 1.2, top=1.0)
    return fig, pics


def numeric_conv(x, weight, bias=None, stride=1, padding=0, dilation=1, frames=None, dpi=100):
    """Static figure of a multi-channel convolution with all numbers.

    ``x``: ``(C_in, H, W)`` (or ``(1, C_in, H, W)``); ``weight``:
    ``(C_out, C_in, kH, kW)``; ``bias``: ``(C_out,)`` or ``None``. One panel per
    entry of ``frames`` (default: the first position of every output channel);
    frame ``t`` is output channel ``t // (o_h*o_w)``, position ``t % (o_h*o_w)``.
    Each panel shows the window on every input channel, the filter used,
    the output cell written and the products summed. Returns the ``Figure``
    (``fig.pictures`` holds the :class:`NumericPicture` per panel).

    >>> x = np.arange(18.).reshape(2, 3, 3); w = np.ones((2, 2, 2, 2))
    >>> fig = numeric_conv(x, w)   # 3x3x2 input, two 2x2x2 filters -> 2x2x2
    """
    x, weight, bias = _as_inputs(x, weight, bias, "numeric_conv")
    args = (x, weight, bias, stride, padding, dilation)
    g = conv_geometry(x.shape[1:], weight.shape[2:], stride, padding, dilation, fn="numeric_conv")
    frames = [j * g.n_frames for j in range(weight.shape[0])] if frames is None else list(frames)
    fig, pics = _figure(args, dpi, nrows=len(frames))
    for pic, t in zip(pics, frames):
        pic.show(t)
    fig.tight_layout()
    fig.pictures, fig.frames = pics, frames
    return fig


def animate_numeric_conv(x, weight, bias=None, stride=1, padding=0, dilation=1,
                         fps=1, dpi=140) -> FrameAnimation:
    """Animation of :func:`numeric_conv`: one frame per output channel and position."""
    x, weight, bias = _as_inputs(x, weight, bias, "animate_numeric_conv")
    fig, (pic,) = _figure((x, weight, bias, stride, padding, dilation), dpi)
    return picture_animation(fig, pic, pic.n_frames, fps=fps, geometry=pic.g,
                             caption=describe(pic.g))

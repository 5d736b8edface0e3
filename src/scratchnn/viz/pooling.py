"""Max and average pooling: the window, the maximum it picks, and where the gradient goes.

Four grids per panel: the (padded) input ``x`` with the window and its argmax,
the pooled output ``y``, below them the incoming gradient ``∂L/∂y`` and the
routed gradient ``∂L/∂x``. Every number comes from
:func:`scratchnn.functional.max_pool2d` / ``avg_pool2d`` and their
``*_backward``; the argmax the picture marks is found from the drawing's own
window (first maximum in row-major order, padding never wins), so the tests
can hold the two against each other.
"""
from __future__ import annotations

import numpy as np

from . import style
from .animate import DEFAULT_FPS, FrameAnimation, picture_animation
from .conv_arithmetic import default_frames
from .geometry import conv_geometry, describe

GAP = 2.0
MODES = ("max", "avg")


class PoolPicture:
    """Pooling forward and backward on one ``Axes``; :meth:`show` moves to frame ``t``."""

    def __init__(self, ax, x, kernel_size, stride, padding, mode, grad_output):
        from .. import functional as F

        fn = "pooling"
        if mode not in MODES:
            raise ValueError(f"{fn}: mode={mode!r} must be 'max' or 'avg'")
        x = np.asarray(x, dtype=float)
        if x.ndim != 2:
            raise ValueError(f"{fn}: x must be a 2-D (H, W) array, got shape {x.shape}")
        stride = kernel_size if stride is None else stride
        self.g = g = conv_geometry(x.shape, kernel_size, stride, padding, fn=fn)
        self.ax, self.x, self.mode = ax, x, mode
        oh, ow = g.out_shape
        if grad_output is None:
            grad_output = np.arange(1, oh * ow + 1, dtype=float).reshape(oh, ow)
        grad_output = np.asarray(grad_output, dtype=float)
        if grad_output.shape != (oh, ow):
            raise ValueError(f"{fn}: grad_output has shape {grad_output.shape}, must be the output shape {(oh, ow)}")
        self.grad_output = grad_output
        args = dict(kernel_size=kernel_size, stride=stride, padding=padding)
        xb = x[None, None]
        if mode == "max":
            self.y = F.max_pool2d(xb, **args)[0, 0]
            self.grad_input = F.max_pool2d_backward(grad_output[None, None], xb, **args)[0, 0]
        else:
            self.y = F.avg_pool2d(xb, **args)[0, 0]
            self.grad_input = F.avg_pool2d_backward(grad_output[None, None], xb, **args)[0, 0]
        H, W = g.canvas_shape
        pc = g.cols.pad_before
        self.out_org = (W + GAP, max(0.0, (H - oh) / 2))
        self.gi_org = (pc, H + 1.6)       # unpadded grid, columns aligned with the input cells
        self.go_org = (W + GAP, H + 1.6 + max(0.0, (x.shape[0] - oh) / 2))
        style.role_grid(ax, g.roles(), (0, 0), gid_prefix="x-")
        style.write_values(ax, g.canvas_values(x), (0, 0), gid="input-value",
                           mask=g.roles() == "input")
        style.role_grid(ax, np.full((oh, ow), "output"), self.out_org, gid_prefix="y-")
        style.write_values(ax, self.y, self.out_org, gid="output-value", digits=1)
        nonzero = self.grad_input != 0
        roles = np.where(nonzero, "gradtint", "input")
        style.role_grid(ax, roles, self.gi_org, gid_prefix="gx-")
        style.write_values(ax, self.grad_input, self.gi_org, gid="grad-input-value", digits=1)
        style.role_grid(ax, np.full((oh, ow), "output"), self.go_org, gid_prefix="gy-")
        style.write_values(ax, grad_output, self.go_org, gid="grad-output-value")
        name = "max" if mode == "max" else "avg"
        style.label(ax, W / 2, -0.2, "x")
        style.label(ax, self.out_org[0] + ow / 2, self.out_org[1] - 0.2, f"y = {name}pool(x)")
        style.label(ax, self.gi_org[0] + x.shape[1] / 2, self.gi_org[1] - 0.2, "∂L/∂x")
        style.label(ax, self.go_org[0] + ow / 2, self.go_org[1] - 0.2, "∂L/∂y")
        self.window = style.cells_patch([], "kernel", alpha=0.35, linewidth=1.6, gid="window")
        ax.add_collection(self.window)
        self.argmax_mark = style.cells_patch([], "gradient", alpha=1.0, linewidth=2.2, gid="argmax",
                                             inset=0.08)
        self.argmax_mark.set_facecolor("none")
        ax.add_collection(self.argmax_mark)
        self.current = style.cells_patch([], "current", alpha=0.45, linewidth=1.8, gid="current")
        ax.add_collection(self.current)
        self.current_grad = style.cells_patch([], "current", alpha=0.45, linewidth=1.8, gid="current-grad")
        ax.add_collection(self.current_grad)
        self.route = style.cells_patch([], "gradient", alpha=1.0, linewidth=2.2, gid="route", inset=0.08)
        self.route.set_facecolor("none")
        ax.add_collection(self.route)
        self.title = ax.set_title("", fontsize=style.TITLE_FONTSIZE)
        self.width = self.out_org[0] + max(ow, 1)
        self.height = self.gi_org[1] + x.shape[0]
        style.finish_axes(ax, self.width, self.height)

    @property
    def n_frames(self) -> int:
        return self.g.n_frames

    def argmax(self, t: int) -> tuple[int, int]:
        """Input index ``(r, c)`` of the first maximum (row-major) in the window of frame ``t``."""
        best, where = -np.inf, None
        for r, c in self.g.window(t):
            idx = self.g.input_cell(r, c)
            if idx is not None and self.x[idx] > best:
                best, where = self.x[idx], idx
        if where is None:
            raise ValueError(f"pooling: the window of frame {t} lies entirely in the padding")
        return where

    def routed_to(self, t: int) -> list[tuple[int, int]]:
        """Input indices that receive frame ``t``'s output gradient (max: the argmax; avg: the window)."""
        if self.mode == "max":
            return [self.argmax(t)]
        cells = [self.g.input_cell(r, c) for r, c in self.g.window(t)]
        return sorted(c for c in cells if c is not None)

    def dynamic(self) -> list:
        return [self.window, self.argmax_mark, self.current, self.current_grad, self.route, self.title]

    def show(self, t: int) -> None:
        g = self.g
        style.set_cells(self.window, g.window(t))
        pr, pc = g.rows.pad_before, g.cols.pad_before
        if self.mode == "max":
            r, c = self.argmax(t)
            style.set_cells(self.argmax_mark, [(r + pr, c + pc)], inset=0.08)
        a, b = g.position(t)
        style.set_cells(self.current, [(a, b)], self.out_org)
        style.set_cells(self.current_grad, [(a, b)], self.go_org)
        style.set_cells(self.route, self.routed_to(t), self.gi_org, inset=0.08)
        to = "argmax" if self.mode == "max" else "whole window"
        self.title.set_text(f"output ({a}, {b}); gradient → {to}")

    def argmax_mask(self) -> np.ndarray:
        """Boolean ``(H, W)``: input cells that are the first maximum of some window."""
        mask = np.zeros(self.x.shape, dtype=bool)
        for t in range(self.n_frames):
            mask[self.argmax(t)] = True
        return mask


def _figure(args, nrows, dpi):
    import matplotlib.pyplot as plt

    fig = plt.figure(dpi=dpi)
    axes = [fig.add_subplot(nrows, 1, n + 1) for n in range(nrows)]
    pics = [PoolPicture(ax, *args) for ax in axes]
    p = pics[0]
    width = max(p.width + 0.6, 18)
    fig.set_size_inches(width * style.CELL_INCHES, (p.height + 2.4) * style.CELL_INCHES * nrows)
    return fig, pics


def pooling(x, kernel_size=2, stride=None, padding=0, mode="max", grad_output=None,
            frames=None, dpi=100):
    """Static figure of max or average pooling of a 2-D ``x`` (H, W), forward and backward.

    ``stride`` defaults to ``kernel_size``; ``grad_output`` (shape of the
    output) defaults to 1, 2, 3, ... so each window's gradient is recognisable
    where it lands. One panel per entry of ``frames`` (default: 4 spread
    over all output positions). ``fig.pictures[n].argmax_mask()`` is the
    mask of first maxima. Returns the ``Figure``.
    """
    probe = conv_geometry(np.shape(x)[-2:] if np.ndim(x) >= 2 else 1, kernel_size,
                          kernel_size if stride is None else stride, padding, fn="pooling")
    frames = default_frames(probe.n_frames, 2) if frames is None else list(frames)
    fig, pics = _figure((x, kernel_size, stride, padding, mode, grad_output), len(frames), dpi)
    for pic, t in zip(pics, frames):
        pic.show(t)
    fig.tight_layout()
    fig.pictures, fig.frames = pics, frames
    return fig


def animate_pooling(x, kernel_size=2, stride=None, padding=0, mode="max", grad_output=None,
                    fps=DEFAULT_FPS, dpi=100) -> FrameAnimation:
    """Animation of :func:`pooling`: one frame per output position."""
    fig, (pic,) = _figure((x, kernel_size, stride, padding, mode, grad_output), 1, dpi)
    return picture_animation(fig, pic, pic.n_frames, fps=fps, geometry=pic.g,
                             caption=describe(pic.g))

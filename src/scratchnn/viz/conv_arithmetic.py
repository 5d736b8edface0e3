"""The convolution-arithmetic catalogue: input, padding, kernel window, output cell.

After Dumoulin & Visin (2016), drawn by our own code from
:func:`~scratchnn.viz.geometry.conv_geometry`: the canvas (input with padding,
or for a transposed convolution the stride-dilated, padded input) on the left,
the output on the right; frame ``t`` shows the window for output cell
``position(t)`` (row-major) and marks that cell.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from . import style
from .animate import DEFAULT_FPS, FrameAnimation, picture_animation
from .geometry import ConvGeometry, conv_geometry, describe

GAP = 2.0  # cells between the canvas and the output grid


def _pair(v):
    return v if isinstance(v, (tuple, list)) else (v, v)


class ConvPicture:
    """Canvas, kernel window and output drawn on one ``Axes``; :meth:`show` moves to frame ``t``.

    Artists are tagged with ``gid`` so tests and widgets can read what is drawn:
    ``"window"`` (one square per kernel tap), ``"window-box"`` (the window's
    span), ``"current"`` (the output cell written).
    """

    def __init__(self, ax, g: ConvGeometry, values=None, kernel=None, output=None,
                 labels=("input", "output"), fontsize=style.CELL_FONTSIZE):
        self.ax, self.g = ax, g
        H, W = g.canvas_shape
        oh, ow = g.out_shape
        self.out_origin = (W + GAP, max(0.0, (H - oh) / 2))
        self.kernel = None if kernel is None else np.asarray(kernel, dtype=float)
        weight_labels = [] if kernel is None else [
            style.format_number(w).replace("-", "\u2212") for w in self.kernel.ravel()]  # − sign
        # Where an input number and its cell's weight are both one character, the number stays
        # centred and the weight sits small in the bottom-right corner beside it. Anything wider
        # (a negative weight, 12, 0.5) would touch the number there -- a hyphen vanished under
        # the digit, so -1 read as 1 -- so then the number moves up-left and shrinks a little.
        numbers = [] if values is None else [style.format_number(v) for v in np.ravel(values)]
        wide = bool(weight_labels) and max(map(len, weight_labels + numbers)) > 1
        self.weight_corner, weight_size = ((0.97, 0.98), 0.7) if wide else ((0.95, 0.97), 0.8)
        style.role_grid(ax, g.roles(), (0, 0), gid_prefix="canvas-")
        out_roles = np.full((oh, ow), "output")
        style.role_grid(ax, out_roles, self.out_origin, gid_prefix="out-")
        if values is not None:
            canvas = g.canvas_values(np.asarray(values, dtype=float))
            at, size = ((0.33, 0.32), fontsize * 0.85) if wide else ((0.5, 0.5), fontsize)
            style.write_values(ax, canvas, (0, 0), gid="input-value", fontsize=size, at=at)
        if output is not None:
            style.write_values(ax, np.asarray(output, dtype=float), self.out_origin,
                               gid="output-value", fontsize=fontsize)
        self.window = style.cells_patch([], "kernel", alpha=0.55, linewidth=1.6, gid="window")
        ax.add_collection(self.window)
        self.box = Rectangle((0, 0), 1, 1, fill=False, edgecolor=style.EDGE["kernel"],
                             linewidth=1.2, linestyle=(0, (2, 1.5)), gid="window-box")
        ax.add_patch(self.box)
        self.current = style.cells_patch([], "current", alpha=0.9, linewidth=1.6, gid="current")
        ax.add_collection(self.current)
        self.kernel_texts = []
        for text in weight_labels:
            self.kernel_texts.append(ax.text(0, 0, text, ha="right", va="bottom",
                                             fontsize=fontsize * weight_size, color="#5A3D00",
                                             gid="kernel-value", zorder=4))
        style.label(ax, W / 2, -0.2, labels[0])
        style.label(ax, self.out_origin[0] + ow / 2, self.out_origin[1] - 0.2, labels[1])
        self.title = ax.set_title("", fontsize=style.TITLE_FONTSIZE)
        style.finish_axes(ax, W + GAP + ow, max(H, oh + self.out_origin[1]))

    def dynamic(self) -> list:
        """Artists that change from frame to frame."""
        return [self.window, self.box, self.current, self.title, *self.kernel_texts]

    def show(self, t: int) -> None:
        """Draw frame ``t``: window at output cell ``position(t)``."""
        g = self.g
        cells = g.window(t)
        style.set_cells(self.window, cells)
        r0, c0, h, w = g.window_box(t)
        self.box.set_xy((c0, r0))
        self.box.set_width(w)
        self.box.set_height(h)
        oh, ow = g.position(t)
        style.set_cells(self.current, [(oh, ow)], self.out_origin)
        for (r, c), txt in zip(cells, self.kernel_texts):
            txt.set_position((c + self.weight_corner[0], r + self.weight_corner[1]))
        self.title.set_text(f"output cell ({oh}, {ow})")


def _output_values(g: ConvGeometry, values, kernel):
    """Output numbers from scratchnn.functional (conv2d / conv_transpose2d)."""
    from .. import functional as F

    P = g.params
    x = np.asarray(values, dtype=float)[None, None]
    w = np.asarray(kernel, dtype=float)[None, None]
    if P["transposed"]:
        # The drawing shows the equivalent direct convolution, whose kernel is
        # the transposed one rotated by 180 degrees: rotate back for the library call.
        y = F.conv_transpose2d(x, w[..., ::-1, ::-1].copy(), stride=P["s"], padding=P["p"],
                               output_padding=P["output_padding"], dilation=P["d"])
    else:
        y = F.conv2d(x, w, stride=P["s"], padding=P["p"], dilation=P["d"])
    return y[0, 0]


def _check_values(g, values, kernel, fn):
    k = _pair(g.params["k"])
    i = _pair(g.params["i"])
    if values is not None and np.shape(values) != tuple(i):
        raise ValueError(f"{fn}: values has shape {np.shape(values)}, must be the input size {tuple(i)}")
    if kernel is not None and np.shape(kernel) != tuple(k):
        raise ValueError(f"{fn}: kernel has shape {np.shape(kernel)}, must be the kernel size {tuple(k)}")
    if kernel is not None and values is None:
        raise ValueError(f"{fn}: kernel needs values (the input numbers) as well")


def default_frames(n: int, panels: int = 4) -> list[int]:
    """``panels`` frames spread evenly from the first to the last (all if fewer)."""
    if n <= panels:
        return list(range(n))
    return sorted(set(int(round(v)) for v in np.linspace(0, n - 1, panels)))


def conv_arithmetic(i, k, s=1, p=0, d=1, transposed=False, output_padding=0, values=None,
                    kernel=None, frames=None, ncols=None, dpi=100):
    """Static multi-panel figure of one convolution (for print and PDF).

    Parameters: input size ``i``, kernel ``k``, stride ``s``, padding ``p`` per
    side, dilation ``d`` (ints or ``(h, w)`` pairs); ``transposed`` draws the
    equivalent direct convolution over the stride-dilated, padded input.
    ``values`` (shape ``i``) writes numbers into the input cells; with
    ``kernel`` (shape ``k``) also the weights under the window and the output
    numbers, computed by :func:`scratchnn.functional.conv2d` (or
    ``conv_transpose2d``). ``frames`` picks output positions (default: 4 spread
    over all). Returns the ``Figure``; ``fig.geometry`` is the drawn
    :class:`~scratchnn.viz.geometry.ConvGeometry`, ``fig.pictures`` the panels.
    Invalid sizes raise ``ValueError`` from :mod:`scratchnn.functional.sizes`.
    """
    g = conv_geometry(i, k, s, p, d, transposed, output_padding, fn="conv_arithmetic")
    _check_values(g, values, kernel, "conv_arithmetic")
    output = _output_values(g, values, kernel) if kernel is not None else None
    frames = default_frames(g.n_frames) if frames is None else list(frames)
    for t in frames:
        g.position(t)  # validates
    ncols = ncols or min(len(frames), 4 if g.canvas_shape[1] <= 7 else 2)
    nrows = -(-len(frames) // ncols)
    H, W = g.canvas_shape
    width = max(W + GAP + g.out_shape[1] + 0.6, _fig_width(0, describe(g)) / ncols)
    fig, axes = style.new_figure(width, max(H, g.out_shape[0]) + 2.2, nrows, ncols, dpi=dpi)
    pictures = []
    for n, ax in enumerate(axes.ravel()):
        if n >= len(frames):
            ax.axis("off")
            continue
        pic = ConvPicture(ax, g, values, kernel, output, labels=_labels(g))
        pic.show(frames[n])
        pictures.append(pic)
    fig.suptitle(describe(g), fontsize=style.TITLE_FONTSIZE + 1)
    fig.tight_layout()
    fig.geometry, fig.pictures, fig.frames = g, pictures, frames
    return fig


def _fig_width(cells: float, title: str) -> float:
    """Figure width in cells, wide enough for the suptitle as well."""
    return max(cells, len(title) * 0.085 * (style.TITLE_FONTSIZE + 1) / 10 / style.CELL_INCHES)


def _labels(g: ConvGeometry):
    if g.params["transposed"]:
        return "input, zeros, padding", "output"
    return "input with padding" if _pair(g.params["p"]) != (0, 0) else "input", "output"


def animate_conv(i, k, s=1, p=0, d=1, transposed=False, output_padding=0, values=None,
                 kernel=None, fps=DEFAULT_FPS, dpi=100) -> FrameAnimation:
    """Animation with one frame per output position (row-major); arguments as :func:`conv_arithmetic`.

    ``anim.geometry`` is the drawn geometry, ``anim.picture`` the
    :class:`ConvPicture`; save with :func:`~scratchnn.viz.save_animation` or
    show inline with :func:`~scratchnn.viz.show_animation`.
    """
    g = conv_geometry(i, k, s, p, d, transposed, output_padding, fn="animate_conv")
    _check_values(g, values, kernel, "animate_conv")
    output = _output_values(g, values, kernel) if kernel is not None else None
    H, W = g.canvas_shape
    width = _fig_width(W + GAP + g.out_shape[1] + 0.6, describe(g))
    fig, axes = style.new_figure(width, max(H, g.out_shape[0]) + 2.2, dpi=dpi)
    pic = ConvPicture(axes[0, 0], g, values, kernel, output, labels=_labels(g))
    fig.suptitle(describe(g), fontsize=style.TITLE_FONTSIZE + 1)
    return picture_animation(fig, pic, g.n_frames, fps=fps, geometry=g,
                             caption=describe(g))


def catalogue_figure(names, panels: int = 3, dpi=100):
    """Several catalogue cases in one figure, one row of ``panels`` frames per case.

    ``names``: keys of :func:`catalogue`. Used for the printed gallery, where
    each group of related cases becomes one figure; cells are drawn smaller
    than elsewhere so that the figure fits the text width of a page (about
    7 inches) without shrinking the labels below ~7 pt. ``fig.rows`` lists
    ``(name, geometry, pictures)`` per row.
    """
    cases = dict(catalogue())
    unknown = [n for n in names if n not in cases]
    if unknown:
        raise ValueError(f"catalogue_figure: names {unknown} are not in viz.catalogue(); "
                         f"known: {sorted(cases)}")
    geoms = [conv_geometry(**cases[n], fn="catalogue_figure") for n in names]
    W = max(g.canvas_shape[1] + GAP + g.out_shape[1] + 0.6 for g in geoms)
    H = max(max(g.canvas_shape[0], g.out_shape[0]) + 2.2 for g in geoms)
    fig, axes = style.new_figure(W, H, len(names), panels, dpi=dpi, cell_inches=0.16)
    fig.rows = []
    for row, name, g in zip(axes, names, geoms):
        frames = default_frames(g.n_frames, panels)
        pics = []
        for n, ax in enumerate(row):
            if n >= len(frames):
                ax.axis("off")
                continue
            pic = ConvPicture(ax, g, labels=_labels(g))
            pic.show(frames[n])
            pic.title.set_text("")
            if n == 0:
                ax.set_title(describe(g), loc="left", fontsize=style.TITLE_FONTSIZE + 1,
                             fontweight="bold")
            pics.append(pic)
        fig.rows.append((name, g, pics))
    fig.tight_layout()
    return fig


def catalogue() -> list[tuple[str, dict]]:
    """The named cases of the convolution-arithmetic guide (Dumoulin & Visin 2016).

    Returns ``[(name, kwargs), ...]``; each ``kwargs`` goes straight into
    :func:`conv_arithmetic` or :func:`animate_conv`.
    """
    return [
        ("no_padding_no_strides", dict(i=4, k=3)),
        ("arbitrary_padding_no_strides", dict(i=5, k=4, p=2)),
        ("same_padding_no_strides", dict(i=5, k=3, p=1)),
        ("full_padding_no_strides", dict(i=5, k=3, p=2)),
        ("no_padding_strides", dict(i=5, k=3, s=2)),
        ("padding_strides", dict(i=5, k=3, s=2, p=1)),
        ("padding_strides_odd", dict(i=6, k=3, s=2, p=1)),
        ("dilation", dict(i=7, k=3, d=2)),
        ("no_padding_no_strides_transposed", dict(i=2, k=3, transposed=True)),
        ("arbitrary_padding_no_strides_transposed", dict(i=6, k=4, p=2, transposed=True)),
        ("same_padding_no_strides_transposed", dict(i=5, k=3, p=1, transposed=True)),
        ("full_padding_no_strides_transposed", dict(i=7, k=3, p=2, transposed=True)),
        ("no_padding_strides_transposed", dict(i=2, k=3, s=2, transposed=True)),
        ("padding_strides_transposed", dict(i=3, k=3, s=2, p=1, transposed=True)),
        ("padding_strides_odd_transposed", dict(i=3, k=3, s=2, p=1, output_padding=1, transposed=True)),
    ]

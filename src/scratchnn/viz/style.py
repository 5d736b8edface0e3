"""One colour scheme for every figure and animation in the book.

Each role has a fixed colour taken from the Okabe–Ito palette, which stays
distinguishable with the common colour-vision deficiencies; fills are light
tints so that numbers on them stay readable, and roles that must survive a
black-and-white print also differ in edge style or hatching:

========== ======================== =========================================
role       colour                   used for
========== ======================== =========================================
input      sky blue tint            cells of the (unpadded) input
padding    light grey, dashed edge  zero padding around the input
zero       white, hatched           zeros a stride inserts (transposed conv)
kernel     orange, thick edge       the kernel window's taps
weight     orange tint              a kernel's weights drawn on their own
output     bluish-green tint        cells of the output
current    bluish green             the output cell the window writes
gradient   vermillion               gradients routed backwards, argmax masks
gradtint   vermillion tint          cells holding a (nonzero) gradient
field      reddish purple           cells inside a receptive field
========== ======================== =========================================
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

# Okabe & Ito, "Color Universal Design" (2008).
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7", "black": "#000000",
}

#: Fill colour of each cell role.
FILL = {
    "input": "#BFE1F6",      # sky blue tint
    "padding": "#ECECEC",
    "zero": "#FFFFFF",
    "unused": "#FFFFFF",
    "output": "#BFE6D8",     # bluish-green tint
    "current": OKABE_ITO["bluish_green"],
    "kernel": OKABE_ITO["orange"],
    "weight": "#F8DDA0",     # orange tint: kernel weights shown apart from the input
    "gradtint": "#F6C9A8",   # vermillion tint: cells that receive a gradient
    "gradient": OKABE_ITO["vermillion"],
    "field": OKABE_ITO["reddish_purple"],
}
#: Edge colour of each role (strong colours for highlights, grey for the grid).
EDGE = {
    "input": "#4D4D4D", "padding": "#8C8C8C", "zero": "#8C8C8C", "unused": "#BBBBBB",
    "output": "#4D4D4D", "current": "#00573F", "kernel": "#8A5F00", "weight": "#8A5F00", "gradtint": "#8B3A00",
    "gradient": "#8B3A00", "field": "#7A3B63",
}
HATCH = {"zero": "////"}
LINESTYLE = {"padding": (0, (3, 2))}

#: Text size of the numbers written into cells, and of panel titles.
CELL_FONTSIZE = 7
TITLE_FONTSIZE = 9
#: Inches per cell; figures grow with the grids they show.
CELL_INCHES = 0.24


def cells_patch(cells, role: str, origin=(0.0, 0.0), *, alpha=1.0, linewidth=0.6,
                gid: str | None = None, inset: float = 0.0) -> PatchCollection:
    """A ``PatchCollection`` of unit squares at grid ``cells`` [(row, col), ...].

    Cell ``(r, c)`` covers ``x in [x0 + c, x0 + c + 1]``, ``y in [y0 + r, y0 + r + 1]``
    (axes are drawn with y pointing down, so row 0 is the top row).
    """
    x0, y0 = origin
    rects = [Rectangle((x0 + c + inset, y0 + r + inset), 1 - 2 * inset, 1 - 2 * inset)
             for r, c in cells]
    coll = PatchCollection(rects, facecolor=FILL[role], edgecolor=EDGE[role], alpha=alpha,
                           linewidth=linewidth, linestyle=LINESTYLE.get(role, "solid"),
                           hatch=HATCH.get(role))
    coll.set_gid(gid or role)
    return coll


def cells_of(collection: PatchCollection, origin=(0.0, 0.0)) -> list[tuple[int, int]]:
    """The grid cells a collection made by :func:`cells_patch` covers (for tests and widgets)."""
    x0, y0 = origin
    out = []
    for path in collection.get_paths():
        xy = path.vertices.min(axis=0)
        out.append((int(round(xy[1] - y0)), int(round(xy[0] - x0))))
    return sorted(out)


def set_cells(collection: PatchCollection, cells, origin=(0.0, 0.0), inset: float = 0.0) -> None:
    """Move a collection's squares to new ``cells`` (animation frames)."""
    x0, y0 = origin
    rects = [Rectangle((x0 + c + inset, y0 + r + inset), 1 - 2 * inset, 1 - 2 * inset)
             for r, c in cells]
    collection.set_paths(rects)


def role_grid(ax, roles: np.ndarray, origin=(0.0, 0.0), gid_prefix: str = "") -> dict:
    """Draw a grid whose cell ``(r, c)`` has role ``roles[r, c]``; one collection per role."""
    colls = {}
    for role in np.unique(roles):
        cells = list(zip(*np.nonzero(roles == role)))
        coll = cells_patch(cells, str(role), origin, gid=f"{gid_prefix}{role}")
        ax.add_collection(coll)
        colls[str(role)] = coll
    return colls


def write_values(ax, values: np.ndarray, origin=(0.0, 0.0), *, fmt: str = "{:g}",
                 gid: str = "values", fontsize: float = CELL_FONTSIZE, mask=None, color="black",
                 digits: int = 2, at=(0.5, 0.5)):
    """Write ``values[r, c]`` in each cell, centred on ``at`` (cell fractions: x, y from the top left).

    ``at`` off the centre leaves room for a second, smaller number in a corner
    (a kernel weight under a sliding window). Returns the Text artists.
    """
    x0, y0 = origin
    texts = []
    for (r, c), v in np.ndenumerate(values):
        if mask is not None and not mask[r, c]:
            continue
        t = ax.text(x0 + c + at[0], y0 + r + at[1], format_number(v, fmt, digits), ha="center",
                    va="center", fontsize=fontsize, color=color)
        t.set_gid(gid)
        texts.append(t)
    return texts


def format_number(v, fmt: str = "{:g}", digits: int = 2) -> str:
    """Numbers as drawn in cells: integers without a decimal point, others rounded to ``digits``."""
    v = float(v)
    if v == 0:
        v = 0.0  # no "-0"
    if v.is_integer():
        return str(int(v))
    return fmt.format(round(v, digits))


def label(ax, x, y, text, *, fontsize=TITLE_FONTSIZE, **kw):
    """A grid caption placed in data coordinates (above a grid)."""
    return ax.text(x, y, text, ha=kw.pop("ha", "center"), va=kw.pop("va", "bottom"),
                   fontsize=fontsize, **kw)


def finish_axes(ax, width: float, height: float, margin: float = 0.3, top: float = 1.2) -> None:
    """Square cells, y pointing down, no ticks or spines."""
    ax.set_xlim(-margin, width + margin)
    ax.set_ylim(height + margin, -top)
    ax.set_aspect("equal")
    ax.axis("off")


def new_figure(width_cells: float, height_cells: float, nrows=1, ncols=1, dpi=100,
               cell_inches: float = CELL_INCHES):
    """A figure sized so that every cell is ``cell_inches`` wide."""
    w = max(2.5, width_cells * cell_inches * ncols)
    h = max(1.5, height_cells * cell_inches * nrows)
    fig, axes = plt.subplots(nrows, ncols, figsize=(w, h), dpi=dpi, squeeze=False)
    return fig, axes

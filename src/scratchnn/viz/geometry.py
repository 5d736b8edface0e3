"""Where every cell of a convolution picture goes: pure data, no drawing.

A picture shows a *canvas* — the input with its padding (and, for a
transposed convolution, the zeros a stride inserts) — and a kernel window that
slides over it, one position per output cell. All sizes come from
:mod:`scratchnn.functional.sizes`; this module only places cells.

Direct convolution, per axis (input ``i``, kernel ``k``, stride ``s``,
padding ``p``, dilation ``d``)::

    canvas = i + 2p,   input element m sits at canvas index p + m,
    output o = conv_output_size(i, k, s, p, d),
    tap r of the window for output j sits at j*s + r*d.

Transposed convolution is drawn as the equivalent direct convolution with
stride 1 (Dumoulin & Visin 2016): ``s - 1`` zeros between input cells,
``q = d(k-1) - p`` padding per side (plus ``output_padding`` on the far
side)::

    input element m sits at q + m*s,   tap r for output j at j + r*d,
    output o = conv_transpose_output_size(i, k, s, p, output_padding, d).

When ``p > d(k-1)`` the padding ``q`` is negative: the outer input cells are
cropped, and windows start ``-q`` cells into the canvas.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import nonneg_pair, positive_pair
from ..functional.sizes import conv_output_size, conv_transpose_output_size, effective_kernel_size


@dataclass(frozen=True)
class AxisGeometry:
    """One axis of a convolution picture (see module docstring)."""

    canvas: int                 # cells drawn along this axis
    input_pos: tuple[int, ...]  # canvas index of input element m
    starts: tuple[int, ...]     # canvas index of tap 0 for output j
    dilation: int               # canvas distance between taps
    kernel: int                 # number of taps
    pad_before: int             # padding cells before the first input cell
    pad_after: int              # padding cells after the last (incl. output_padding)

    @property
    def out(self) -> int:
        return len(self.starts)

    def taps(self, j: int) -> list[int]:
        """Canvas indices covered by the window of output ``j``."""
        return [self.starts[j] + r * self.dilation for r in range(self.kernel)]

    def roles(self) -> list[str]:
        """``"input"``, ``"padding"`` or ``"zero"`` (inserted by a stride) per canvas cell."""
        roles = ["padding"] * self.canvas
        lo, hi = self.input_pos[0], self.input_pos[-1]
        for c in range(lo, hi + 1):
            roles[c] = "zero"
        for c in self.input_pos:
            roles[c] = "input"
        return roles


def direct_axis(i: int, k: int, s: int, p: int, d: int) -> AxisGeometry:
    o = conv_output_size(i, k, s, p, d)
    return AxisGeometry(canvas=i + 2 * p, input_pos=tuple(p + m for m in range(i)),
                        starts=tuple(j * s for j in range(o)), dilation=d, kernel=k,
                        pad_before=p, pad_after=p)


def transposed_axis(i: int, k: int, s: int, p: int, d: int, output_padding: int) -> AxisGeometry:
    o = conv_transpose_output_size(i, k, s, p, output_padding, d)
    q = effective_kernel_size(k, d) - 1 - p
    before = max(q, 0)
    canvas = before + (i - 1) * s + 1 + before + output_padding
    shift = before - q  # > 0 only when q < 0: windows start inside the input
    return AxisGeometry(canvas=canvas, input_pos=tuple(before + m * s for m in range(i)),
                        starts=tuple(j + shift for j in range(o)), dilation=d, kernel=k,
                        pad_before=before, pad_after=before + output_padding)


@dataclass(frozen=True)
class ConvGeometry:
    """The 2-D picture of one convolution: rows and columns are independent axes.

    Frame ``t`` (row-major over the output) shows the window for output cell
    ``position(t)``; ``window(t)`` lists the canvas cells under its taps.
    """

    rows: AxisGeometry
    cols: AxisGeometry
    params: dict

    @property
    def out_shape(self) -> tuple[int, int]:
        return self.rows.out, self.cols.out

    @property
    def canvas_shape(self) -> tuple[int, int]:
        return self.rows.canvas, self.cols.canvas

    @property
    def n_frames(self) -> int:
        return self.rows.out * self.cols.out

    def position(self, t: int) -> tuple[int, int]:
        """Output cell ``(row, col)`` written in frame ``t``."""
        if not 0 <= t < self.n_frames:
            raise ValueError(f"ConvGeometry.position: frame t={t} must be in [0, {self.n_frames})")
        return divmod(t, self.cols.out)

    def window(self, t: int) -> list[tuple[int, int]]:
        """Canvas cells under the kernel taps in frame ``t``, tap order (row-major)."""
        oh, ow = self.position(t)
        return [(r, c) for r in self.rows.taps(oh) for c in self.cols.taps(ow)]

    def window_box(self, t: int) -> tuple[int, int, int, int]:
        """``(row0, col0, height, width)`` of the span the window covers in frame ``t``."""
        oh, ow = self.position(t)
        rt, ct = self.rows.taps(oh), self.cols.taps(ow)
        return rt[0], ct[0], rt[-1] - rt[0] + 1, ct[-1] - ct[0] + 1

    def roles(self) -> np.ndarray:
        """Role of each canvas cell (``input``, ``padding`` or ``zero``), shape ``canvas_shape``."""
        rr, cr = self.rows.roles(), self.cols.roles()
        out = np.empty(self.canvas_shape, dtype=object)
        rank = {"padding": 0, "zero": 1, "input": 2}
        for a, ra in enumerate(rr):
            for b, rb in enumerate(cr):
                out[a, b] = ra if rank[ra] < rank[rb] else rb
        return out.astype(str)

    def canvas_values(self, values: np.ndarray) -> np.ndarray:
        """Place input ``values`` (shape ``(i_h, i_w)``) on the canvas; zeros elsewhere."""
        canvas = np.zeros(self.canvas_shape, dtype=float)
        canvas[np.ix_(self.rows.input_pos, self.cols.input_pos)] = values
        return canvas

    def input_cell(self, r: int, c: int) -> tuple[int, int] | None:
        """The input element at canvas cell ``(r, c)``, or ``None`` for padding or a zero."""
        try:
            return self.rows.input_pos.index(r), self.cols.input_pos.index(c)
        except ValueError:
            return None


def conv_geometry(i, k, s=1, p=0, d=1, transposed=False, output_padding=0,
                  fn: str = "conv_geometry") -> ConvGeometry:
    """Geometry of a convolution picture; every argument an int or a ``(h, w)`` pair.

    >>> g = conv_geometry(5, 3, s=2, p=1)
    >>> g.out_shape, g.canvas_shape, g.window(0)[:3]
    ((3, 3), (7, 7), [(0, 0), (0, 1), (0, 2)])
    """
    i2 = positive_pair(i, "i (input size)", fn)
    k2 = positive_pair(k, "k (kernel size)", fn)
    s2 = positive_pair(s, "s (stride)", fn)
    p2 = nonneg_pair(p, "p (padding)", fn)
    d2 = positive_pair(d, "d (dilation)", fn)
    op2 = nonneg_pair(output_padding, "output_padding", fn)
    if not transposed and op2 != (0, 0):
        raise ValueError(f"{fn}: output_padding={output_padding!r} needs transposed=True")
    if transposed:
        axes = [transposed_axis(i2[a], k2[a], s2[a], p2[a], d2[a], op2[a]) for a in (0, 1)]
    else:
        axes = [direct_axis(i2[a], k2[a], s2[a], p2[a], d2[a]) for a in (0, 1)]
    params = dict(i=i, k=k, s=s, p=p, d=d, transposed=bool(transposed), output_padding=output_padding)
    return ConvGeometry(axes[0], axes[1], params)


def _pair(v):
    return v if isinstance(v, (tuple, list)) else (v, v)


def describe(g: ConvGeometry) -> str:
    """One-line title: ``i=5, k=3, s=2, p=1 → o=3`` (pairs written as ``h×w``)."""
    def fmt(v):
        a, b = _pair(v)
        return f"{a}" if a == b else f"{a}×{b}"
    P = g.params
    parts = [f"i={fmt(P['i'])}", f"k={fmt(P['k'])}", f"s={fmt(P['s'])}", f"p={fmt(P['p'])}"]
    if _pair(P["d"]) != (1, 1):
        parts.append(f"d={fmt(P['d'])}")
    if P["transposed"] and _pair(P["output_padding"]) != (0, 0):
        parts.append(f"output_padding={fmt(P['output_padding'])}")
    oh, ow = g.out_shape
    out = f"{oh}" if oh == ow else f"{oh}×{ow}"
    kind = "transposed: " if P["transposed"] else ""
    return f"{kind}{', '.join(parts)} → o={out}"

"""Winograd convolution: fewer multiplications for 3×3 kernels at stride 1.

Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016.

One dimension first. ``F(m, r)`` computes ``m`` outputs of an ``r``-tap
correlation from ``α = m + r - 1`` inputs::

    y[i] = Σ_k d[i + k] · g[k]        (i < m, k < r)

Done directly that is ``m·r`` multiplications; the minimal algorithm needs
only ``α``. The trick is that correlation is the transpose of polynomial
multiplication. Let ``g(x) = Σ g_k x^k`` and ``h(x) = Σ h_i x^i`` (degree
``m - 1``); their product ``s(x) = g(x)·h(x)`` has ``α`` coefficients and is
fixed by its values at ``α`` points. Take ``α - 1`` finite points ``p_0, p_1,
…`` and the point "∞" (the leading coefficient ``s_{α-1} = g_{r-1}·h_{m-1}``):

1. evaluate: ``g(p_i) = Σ_k p_i^k g_k`` -- the rows of ``G`` (``α × r``),
   ``h(p_i)`` likewise with ``Aᵀ``'s columns (``A`` is ``α × m``,
   ``A[i, j] = p_i^j``), and ∞ picks the last coefficient;
2. multiply pointwise: ``α`` multiplications;
3. interpolate (Lagrange): ``s(x) = Σ_i s(p_i) N_i(x)/D_i + s_∞ M(x)`` with
   ``N_i(x) = Π_{j≠i} (x - p_j)``, ``D_i = N_i(p_i)`` and ``M(x) = Π_j (x - p_j)``.

So ``s = C (G g ⊙ A h)`` with ``C`` holding the coefficients of ``N_i`` (the
``1/D_i`` are moved into ``G``) and of ``M`` as columns. The correlation
``y = ∂⟨s, d⟩/∂h`` is the transpose with respect to ``h``::

    y = Aᵀ [ (G g) ⊙ (Bᵀ d) ]       with Bᵀ = Cᵀ

In two dimensions the same is applied to rows and columns of an ``α × α``
input tile ``d`` and the ``r × r`` kernel ``g``::

    Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A           (m × m outputs)

``F(2×2, 3×3)``, points 0, 1, -1 (α = 4)::

         ⎡1  0 -1  0⎤        ⎡ 1    0    0 ⎤
    Bᵀ = ⎢0  1  1  0⎥    G = ⎢1/2  1/2  1/2⎥    Aᵀ = ⎡1  1  1  0⎤
         ⎢0 -1  1  0⎥        ⎢1/2 -1/2  1/2⎥         ⎣0  1 -1 -1⎦
         ⎣0  1  0 -1⎦        ⎣ 0    0    1 ⎦

``F(4×4, 3×3)``, points 0, 1, -1, 2, -2 (α = 6)::

         ⎡4  0 -5  0  1  0⎤        ⎡ 1/4     0     0  ⎤
         ⎢0 -4 -4  1  1  0⎥        ⎢-1/6  -1/6  -1/6  ⎥         ⎡1  1  1  1  1  0⎤
    Bᵀ = ⎢0  4 -4 -1  1  0⎥    G = ⎢-1/6   1/6  -1/6  ⎥    Aᵀ = ⎢0  1 -1  2 -2  0⎥
         ⎢0 -2 -1  2  1  0⎥        ⎢1/24  1/12   1/6  ⎥         ⎢0  1  1  4  4  0⎥
         ⎢0  2 -1 -2  1  0⎥        ⎢1/24 -1/12   1/6  ⎥         ⎣0  1 -1  8 -8  1⎦
         ⎣0  4  0 -5  0  1⎦        ⎣  0     0     1   ⎦

(``toom_cook`` computes them from the points; the F(2×2) matrices above are
Lavin & Gray's, whose rows 0 and 3 differ from the construction by a sign
moved between ``Bᵀ`` and ``G``/``Aᵀ``, which changes nothing.)

Multiplications per output and input-output channel pair: direct 3×3 needs
9; ``F(2×2, 3×3)`` needs 16/4 = 4 (2.25× fewer), ``F(4×4, 3×3)`` 36/16 = 2.25
(4× fewer). The transforms cost additions, paid once per tile and channel,
not per channel pair; with many channels the element-wise products dominate
and they are ``α²`` independent matrix products
``M[ξ, ν] = U[ξ, ν] @ V[ξ, ν]`` -- (C_out × C_in) times (C_in × tiles).
The price is accuracy: larger tiles use larger points (±2 here), whose powers
magnify rounding errors (measured in ``tests/scratchnn/test_winograd.py``).

The backward pass needs no new idea. At stride 1 the input gradient is a 3×3
convolution of ``grad_output`` (flipped kernel, channel axes swapped), so the
same ``F(m×m, 3×3)``. The weight gradient
``∂L/∂w[f, c, u, v] = Σ g[n, f, i, j] · x[n, c, i + u, j + v]`` is a
correlation with 3×3 *outputs* and ``grad_output`` as the kernel: cut ``g``
into m×m blocks and run ``F(3×3, m×m)`` -- the same points, with ``r = m``
and 3 outputs (``toom_cook(3, m)``), summing the products over all tiles.

Only finite inputs: a transform mixes a whole tile, so one inf or NaN would
spread to outputs whose windows never contain it; ``conv.py`` sends
non-finite arrays to im2col. These functions expect checked arguments.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._conv_args import ConvGeometry
from ._workspace import batch_chunks, scratch

POINTS = {2: (0, 1, -1), 4: (0, 1, -1, 2, -2)}  # output tile m -> finite interpolation points


def _poly_from_roots(roots) -> list[Fraction]:
    """Coefficients (lowest degree first) of ``Π (x - root)``."""
    coeffs = [Fraction(1)]
    for root in roots:
        shifted = [Fraction(0)] + coeffs                   # x · p(x)
        coeffs = [a - root * b for a, b in zip(shifted, coeffs + [Fraction(0)])]
    return coeffs


@lru_cache(maxsize=None)
def toom_cook(m: int, r: int = 3, points: tuple | None = None):
    """``(Bᵀ, G, Aᵀ)`` of ``F(m, r)`` from ``α - 1`` finite points and ∞ (exact fractions).

    Shapes: Bᵀ (α, α), G (α, r), Aᵀ (m, α) with ``α = m + r - 1``; rows ``i``
    of Bᵀ are the coefficients of ``N_i(x) = Π_{j≠i} (x - p_j)``, row ``i`` of G
    is ``(1, p_i, p_i², …)/N_i(p_i)``, column ``i`` of Aᵀ is ``(1, p_i, …)``;
    the last row/column belongs to ∞.

    >>> bt, g, at = toom_cook(2)
    >>> [[int(v) for v in row] for row in bt]
    [[-1, 0, 1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, -1, 0, 1]]
    """
    points = tuple(Fraction(p) for p in (POINTS[m] if points is None else points))
    alpha = m + r - 1
    if len(points) != alpha - 1 or len(set(points)) != len(points):
        raise ValueError(f"toom_cook: F({m}, {r}) needs {alpha - 1} distinct finite points, "
                         f"got {points}")
    bt, g, at = [], [], [[] for _ in range(m)]
    for i, p in enumerate(points):
        others = points[:i] + points[i + 1:]
        bt.append(_poly_from_roots(others) + [Fraction(0)])  # degree α - 2: pad to α
        denominator = Fraction(1)
        for q in others:
            denominator *= p - q
        g.append([p ** k / denominator for k in range(r)])
        for j in range(m):
            at[j].append(p ** j)
    bt.append(_poly_from_roots(points))                    # ∞: M(x)
    g.append([Fraction(0)] * (r - 1) + [Fraction(1)])
    for j in range(m):
        at[j].append(Fraction(int(j == m - 1)))
    return tuple(map(tuple, bt)), tuple(map(tuple, g)), tuple(map(tuple, at))


@lru_cache(maxsize=None)
def _matrices(m: int, dtype: np.dtype):
    """Bᵀ, G, Aᵀ of ``F(m×m, 3×3)`` as arrays of ``dtype`` (Lavin & Gray's signs for m = 2)."""
    bt, g, at = (np.array([[float(v) for v in row] for row in mat]) for mat in toom_cook(m))
    if m == 2:  # the paper's signs: rows 0 and 3 negated in Bᵀ, matched in G and Aᵀ
        bt[[0, 3]] *= -1
        g[0] *= -1
        at[:, 3] *= -1
    return bt.astype(dtype), g.astype(dtype), at.astype(dtype)


def supports(geometry: ConvGeometry) -> bool:
    """Whether Winograd applies: a 3×3 kernel, stride 1, dilation 1."""
    return (geometry.kernel == (3, 3) and geometry.stride == (1, 1)
            and geometry.dilation == (1, 1))


def transform_weight(weight: np.ndarray, m: int, groups: int = 1) -> np.ndarray:
    """``U = G g Gᵀ`` for every kernel: (C_out, C_g, 3, 3) -> (α², groups, C_out/groups, C_g)."""
    _, g, _ = _matrices(m, weight.dtype)
    c_out, c_group = weight.shape[:2]
    alpha = m + 2
    w = weight.transpose(2, 3, 0, 1).reshape(3, 3 * c_out * c_group)   # (u, v·f·c)
    rows = np.matmul(g, w).reshape(alpha, 3, c_out * c_group)            # (ξ, v, f·c)
    u = np.matmul(g, rows)                                                # (ξ, ν, f·c)
    return u.reshape(alpha * alpha, groups, c_out // groups, c_group)


CHUNK_BYTES = 1 << 20  # tiles of one chunk of samples (best of 0.25-8 MiB on the benchmark layers)


def _tiles(x: np.ndarray, geometry: ConvGeometry, m: int, out: np.ndarray) -> None:
    """Cut zero padded ``x`` (b, C, H, W) into overlapping α×α tiles, m apart.

    Fills ``out`` (α, α, C, b, tiles_h, tiles_w): element ``(i, j)`` of every
    tile of every channel and sample. The padded image gets extra zero rows
    and columns at the bottom/right so that whole tiles cover the output;
    their outputs are cropped.
    """
    alpha, c, b, th, tw = out.shape[1:2] + out.shape[2:]
    (top, _), (left, _) = geometry.pads
    h, w = geometry.in_size
    hp, wp = th * m + 2, tw * m + 2
    padded = scratch("winograd_padded", (c, b, hp, wp), x.dtype, zero=True)
    rows, cols = min(h, hp - top), min(w, wp - left)                     # 'same' may crop
    padded[:, :, top:top + rows, left:left + cols] = x[:, :, :rows, :cols].transpose(1, 0, 2, 3)
    # out[i, j, c, n, t, u] = padded[c, n, t·m + i, u·m + j]: one strided view, one copy
    s_c, s_n, s_h, s_w = padded.strides
    np.copyto(out, as_strided(padded, out.shape, (s_h, s_w, s_c, s_n, m * s_h, m * s_w),
                              writeable=False))


def _input_transform(x: np.ndarray, geometry: ConvGeometry, m: int, bt: np.ndarray,
                     tile_grid: tuple[int, int]) -> np.ndarray:
    """``V = Bᵀ d B`` of every α×α tile of ``x`` (b, C, H, W): (α, α, C·b·tiles_h·tiles_w).

    Rows then columns, two products with the α×α matrix ``Bᵀ``:
    ``V[ξ, ν] = Σ_i Σ_j Bᵀ[ξ, i] d[i, j] Bᵀ[ν, j]``. Returns a scratch buffer.
    """
    alpha, (b, c), dtype = m + 2, x.shape[:2], x.dtype
    d = scratch("winograd_d", (alpha, alpha, c, b) + tile_grid, dtype)
    _tiles(x, geometry, m, d)
    rows = scratch("winograd_rows", (alpha, d[0].size), dtype)
    np.matmul(bt, d.reshape(alpha, -1), out=rows)
    v = scratch("winograd_v", (alpha, alpha, d[0, 0].size), dtype)
    np.matmul(bt, rows.reshape(alpha, alpha, -1), out=v)
    return v


def conv2d_winograd(x, weight, bias, geometry: ConvGeometry, m: int = 4) -> np.ndarray:
    """``y`` (N, C_out, H_out, W_out) of a 3×3 stride-1 convolution by ``F(m×m, 3×3)``.

    Per tile: ``V = Bᵀ d B`` (input transform), ``M = U ⊙ V`` summed over
    input channels -- ``α²`` matrix products (C_out/g × C_g) @ (C_g × tiles) --
    then ``Y = Aᵀ M A`` (output transform), and the m×m outputs of each tile
    are put in place. A few samples at a time, so that a chunk's tiles stay
    in the CPU cache from one step to the next (as in ``conv_im2col``).
    """
    bt, _, at = _matrices(m, x.dtype)
    n, c_in = x.shape[:2]
    c_out, groups, alpha = weight.shape[0], geometry.groups, m + 2
    (h_out, w_out), dtype = geometry.out_size, x.dtype
    th, tw = -(-h_out // m), -(-w_out // m)
    u = transform_weight(weight, m, groups)
    y = np.empty((n, c_out, h_out, w_out), dtype)
    exact = h_out == th * m and w_out == tw * m    # tiles cover the output without overhang
    chunks, _ = batch_chunks(n, alpha * alpha * max(c_in, c_out) * th * tw * x.itemsize, CHUNK_BYTES)
    for n0, n1 in chunks:
        b = n1 - n0
        tiles = b * th * tw
        v = _input_transform(x[n0:n0 + b], geometry, m, bt, (th, tw))
        # the element-wise products, summed over channels: α² matrix products
        prod = scratch("winograd_m", (alpha * alpha, groups, c_out // groups, tiles), dtype)
        np.matmul(u, v.reshape(alpha * alpha, groups, c_in // groups, tiles), out=prod)
        # output transform: Y[a, b] = Σ_ξ Σ_ν Aᵀ[a, ξ] M[ξ, ν] Aᵀ[b, ν]
        rows = scratch("winograd_rows", (m, alpha * c_out * tiles), dtype)
        np.matmul(at, prod.reshape(alpha, -1), out=rows)
        out = scratch("winograd_out", (m, m, c_out * tiles), dtype)
        np.matmul(at, rows.reshape(m, alpha, -1), out=out)
        y_tiles = out.reshape(m, m, c_out, b, th, tw).transpose(3, 2, 4, 0, 5, 1)
        target = (y[n0:n0 + b].reshape(b, c_out, th, m, tw, m) if exact else
                  scratch("winograd_full", (b, c_out, th, m, tw, m), dtype))
        target[...] = y_tiles  # (adding the bias here, a 3-operand strided pass, was slower)
        if not exact:
            y[n0:n0 + b] = target.reshape(b, c_out, th * m, tw * m)[:, :, :h_out, :w_out]
    if bias is not None:
        y += bias[:, None, None]
    return y


@lru_cache(maxsize=None)
def _gradient_matrices(m: int, dtype: np.dtype):
    """Bᵀ (α, α), G (α, m), Aᵀ (3, α) of ``F(3, m)``: same points as ``F(m, 3)``, roles swapped."""
    bt, g, at = (np.array([[float(v) for v in row] for row in mat])
                 for mat in toom_cook(3, m, POINTS[m]))
    return bt.astype(dtype), g.astype(dtype), at.astype(dtype)


def conv2d_grad_weight_winograd(grad_output, x, weight_shape, geometry: ConvGeometry,
                                m: int = 4) -> np.ndarray:
    """``∂L/∂w`` (C_out, C_in/groups, 3, 3) by ``F(3×3, m×m)``.

    ``∂L/∂w[f, c, u, v] = Σ_n Σ_i Σ_j g[n, f, i, j] · x[n, c, i + u, j + v]`` is a
    correlation of the padded input with ``grad_output`` as the kernel, with
    3×3 outputs. Cut ``g`` into m×m blocks and ``x`` into the forward's α×α
    tiles (the block's window, α = m + 2); each pair is an ``F(3×3, m×m)``
    problem -- the same interpolation points with the roles of kernel and
    output swapped (``toom_cook(3, m)``)::

        ∂L/∂w = Aᵀ [ Σ_tiles (G g_tile Gᵀ) ⊙ (Bᵀ d_tile B) ] A

    and the sum over tiles (and samples) is, for each of the α² positions, one
    matrix product (C_out × tiles) @ (tiles × C_in) -- long inner dimension.
    """
    bt, g_mat, at = _gradient_matrices(m, grad_output.dtype)
    n, c_out = grad_output.shape[:2]
    c_group, groups, alpha, dtype = weight_shape[1], geometry.groups, m + 2, grad_output.dtype
    c_in = c_group * groups
    (h_out, w_out) = geometry.out_size
    th, tw = -(-h_out // m), -(-w_out // m)
    total = np.zeros((alpha * alpha, groups, c_out // groups, c_group), dtype)
    chunks, _ = batch_chunks(n, alpha * alpha * max(c_in, c_out) * th * tw * dtype.itemsize, CHUNK_BYTES)
    for n0, n1 in chunks:
        b = n1 - n0
        tiles = b * th * tw
        v = _input_transform(x[n0:n0 + b], geometry, m, bt, (th, tw))
        # grad_output in m×m blocks: (a, b, F, n, tile row, tile column), zero beyond the edge
        blocks = scratch("winograd_g", (c_out, b, th, m, tw, m), dtype, zero=not (
            h_out == th * m and w_out == tw * m))
        blocks.reshape(c_out, b, th * m, tw * m)[:, :, :h_out, :w_out] = \
            grad_output[n0:n0 + b].transpose(1, 0, 2, 3)
        gb = np.ascontiguousarray(blocks.transpose(3, 5, 0, 1, 2, 4)).reshape(m, -1)
        rows_g = scratch("winograd_rows_g", (alpha, m * c_out * tiles), dtype)
        np.matmul(g_mat, gb, out=rows_g)
        u = scratch("winograd_u", (alpha, alpha, c_out * tiles), dtype)
        np.matmul(g_mat, rows_g.reshape(alpha, m, -1), out=u)
        total += np.matmul(u.reshape(alpha * alpha, groups, c_out // groups, tiles),
                           v.reshape(alpha * alpha, groups, c_group, tiles).transpose(0, 1, 3, 2))
    rows = np.matmul(at, total.reshape(alpha, -1)).reshape(3, alpha, -1)
    grad_w = np.matmul(at, rows).reshape(3, 3, c_out, c_group)
    return np.ascontiguousarray(grad_w.transpose(2, 3, 0, 1))

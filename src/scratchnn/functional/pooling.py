"""Max, average and global average pooling, forward and backward.

A pooling window is a convolution window without weights: output ``(i, j)``
looks at the padded input ``x[n, c, i·s + m·d, j·s + u·d]`` for kernel offsets
``(m, u)``. The code visits the kH·kW offsets one strided slice at a time, so
each step handles every window at once::

    max:  y[n, c, i, j] = max_{m,u}  x[n, c, i·s + m·d, j·s + u·d]
    avg:  y[n, c, i, j] = (1/|window|) Σ_{m,u} x[n, c, i·s + m, j·s + u]

Max-pooling pads with -inf (padding never wins) and sends each window's
gradient to its FIRST maximum in row-major order, exactly like PyTorch.
"""
from __future__ import annotations

import numpy as np

from .._checks import check_array, check_bool, positive_pair
from ._conv_args import ConvGeometry, check_grad_output, check_spatial, window_geometry
from ._memo import checked_once
from ._memory import check_memory
from ._workspace import scratch
from .columns import offset_slices
from .padding import pad2d


@checked_once(1)  # same shape of x and arguments as a call that passed: skip the checks
def _pool_geometry(fn, x, kernel_size, stride, padding, dilation, ceil_mode) -> ConvGeometry:
    check_array(x, "x", fn, 4, "(N, C, H, W)")
    check_spatial(fn, x, "x", "H, W")
    kernel = positive_pair(kernel_size, "kernel_size", fn)
    if stride is None:
        stride = kernel
    if isinstance(padding, str):
        raise ValueError(f"{fn}: padding={padding!r} must be an int or a pair of ints")
    ceil_mode = check_bool(ceil_mode, "ceil_mode", fn)
    g = window_geometry(fn, x.shape[2:], kernel, stride, padding, dilation, ceil_mode=ceil_mode)
    pads = (g.pads[0][0], g.pads[1][0])
    if pads[0] > kernel[0] // 2 or pads[1] > kernel[1] // 2:
        raise ValueError(f"{fn}: padding={padding!r} must be at most half the kernel_size="
                         f"{kernel_size!r} (padding <= kernel_size // 2, as in PyTorch)")
    n, c = x.shape[:2]
    out = n * c * g.out_size[0] * g.out_size[1]
    check_memory(fn, f"x of shape {x.shape} with kernel_size={kernel_size!r}, stride={stride!r}, "
                 f"padding={padding!r}, dilation={dilation!r}",
                 {"output": out * x.itemsize, "window offsets": out * 8,
                  "padded input": n * c * (g.padded_size[0] + g.stride[0]) *
                  (g.padded_size[1] + g.stride[1]) * x.itemsize})
    return g


def _padded(x, g: ConvGeometry, value) -> tuple[np.ndarray, ConvGeometry]:
    """``x`` padded for every window, with extra bottom/right rows if ``ceil_mode`` needs them."""
    (top, _), (left, _) = g.pads
    need = [(g.out_size[a] - 1) * g.stride[a] + g.dilation[a] * (g.kernel[a] - 1) + 1
            for a in range(2)]
    h, w = g.in_size
    bottom, right = max(need[0] - h - top, top), max(need[1] - w - left, left)
    pads = ((top, bottom), (left, right))
    if pads == ((0, 0), (0, 0)):
        return x, g
    return pad2d(x, pads, value), ConvGeometry(g.kernel, g.stride, g.dilation, pads, g.groups,
                                                g.in_size, g.out_size)


def _windows(x_pad, g: ConvGeometry):
    """Yield ``(m, u, slice)``: the input under kernel offset (m, u) for every output."""
    for m in range(g.kernel[0]):
        for u in range(g.kernel[1]):
            rows, cols = offset_slices(m, u, g.stride, g.dilation, g.out_size)
            yield m, u, (slice(None), slice(None), rows, cols)


def _crop(x_pad, g: ConvGeometry):
    (top, _), (left, _) = g.pads
    h, w = g.in_size
    if x_pad.shape[2:] == (h, w):
        return x_pad
    return np.ascontiguousarray(x_pad[:, :, top:top + h, left:left + w])


def _running_max(views) -> np.ndarray:
    """Element-wise maximum of equally shaped ``views``, as a new array."""
    first, *rest = views
    if not rest:
        return first.copy()
    out = np.maximum(first, rest[0])
    for v in rest[1:]:
        np.maximum(out, v, out=out)
    return out


def _max_rows_then_columns(x_pad, g: ConvGeometry) -> np.ndarray:
    """Max of every window, separably: over the kernel's rows, then over its columns.

    A window's maximum is the maximum of its rows' maxima. Step 1 takes, for
    every output row ``i`` and every column of ``x_pad``, the maximum over rows
    ``i·s_H + m·d_H`` (m < kH): kH - 1 element-wise maxima over whole rows
    (contiguous, so NumPy vectorises them). Step 2 takes, from that, the
    maximum over columns ``j·s_W + u·d_W`` (u < kW). That is kH·W_pad + kW·W_out
    comparisons per output row instead of kH·kW·W_out, and the same numbers
    (a NaN in a window gives NaN either way).
    """
    kh, kw = g.kernel
    rows = [x_pad[:, :, offset_slices(m, 0, g.stride, g.dilation, g.out_size)[0]] for m in range(kh)]
    row_max = rows[0] if kh == 1 else _running_max(rows)
    return _running_max([row_max[..., offset_slices(0, u, g.stride, g.dilation, g.out_size)[1]]
                         for u in range(kw)])


def _first_max(x_pad, g: ConvGeometry):
    """Max of every window and the offset ``k = m·kW + u`` of its first maximum.

    The exact rule, as in PyTorch: a window starts with its first real (not
    padding) value; a later value wins only if it is strictly larger or NaN.
    """
    y = offset = None
    real = _real_mask(g)
    for m, u, window in _windows(x_pad, g):
        v = x_pad[window]
        if y is None:
            y, offset = v.copy(), np.zeros(v.shape, np.intp)
            if real is not None:  # windows starting in the padding: take their first real value
                first = np.broadcast_to(real(m, u), y.shape)
                taken = first.copy()
            continue
        wins = (v > y) | np.isnan(v)
        if real is not None:
            here = real(m, u)
            wins = (wins | ~taken) & here
            taken |= here
        np.copyto(y, v, where=wins)
        offset[wins] = m * g.kernel[1] + u
    return y, offset


def _first_max_offsets(x_pad, g: ConvGeometry) -> np.ndarray:
    """Offsets of the first maxima, by a cheaper scan where it gives the exact answer.

    Keeping the running maximum with ``np.maximum`` and moving the offset only on
    a strictly larger value finds the first maximum whenever every window's
    maximum is finite (then padding, -inf, never wins); otherwise (NaN, -inf,
    windows of padding only) fall back to the exact ``_first_max``.
    """
    kk = g.kernel[0] * g.kernel[1]
    best = offset = None
    for k, (_, _, window) in enumerate(_windows(x_pad, g)):
        v = x_pad[window]
        if best is None:
            best, offset = v.copy(), np.zeros(v.shape, np.uint8 if kk < 256 else np.intp)
            continue
        np.copyto(offset, k, where=np.greater(v, best))
        np.maximum(best, v, out=best)
    if not np.isfinite(best).all():
        return _first_max(x_pad, g)[1]
    return offset


def _finite_sum(*arrays) -> bool:
    """True only if every array is finite: their sum is (one pass, no boolean temporary).

    A sum that overflows says False for finite arrays too; callers then take
    the exact path, which is slower but gives the same numbers.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is an answer, not a warning
        return bool(np.isfinite(sum(np.add.reduce(a, axis=None) for a in arrays)))


def _route_to_first_max_2x2(grad_output, x) -> np.ndarray | None:
    """Backward of 2x2/2 max-pooling without padding, by a tournament.

    Offsets a, b (top row) and c, d (bottom row): b beats a only if strictly
    larger, d beats c likewise, and the bottom winner beats the top one only if
    strictly larger -- so ties go to the first maximum in row-major order.
    Returns None when a maximum is not finite (the exact path handles that).
    """
    h, w = grad_output.shape[2] * 2, grad_output.shape[3] * 2
    # the four corners of every window as contiguous arrays, one strided copy each: the five
    # comparisons below then run on contiguous memory (SIMD), not on every other element
    corners = scratch("pool_corners", (4,) + grad_output.shape, x.dtype)
    for k, (m, u) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
        np.copyto(corners[k], x[:, :, m:h:2, u:w:2])
    a, b, c, d = corners
    top, bottom = np.maximum(a, b), np.maximum(c, d)
    if not _finite_sum(top, bottom):
        return None
    b_wins, d_wins, bottom_wins = np.greater(b, a), np.greater(d, c), np.greater(bottom, top)
    top_wins = ~bottom_wins
    finite = _finite_sum(grad_output)
    # finite gradients are multiplied into all four phases: every entry is written
    covered = finite and x.shape[2:] == (h, w)
    grad_x = (np.empty if covered else np.zeros)(x.shape, x.dtype)
    for (m, u), mine in (((0, 0), top_wins & ~b_wins), ((0, 1), top_wins & b_wins),
                         ((1, 0), bottom_wins & ~d_wins), ((1, 1), bottom_wins & d_wins)):
        _route(grad_x[:, :, m:h:2, u:w:2], grad_output, mine, False, finite)
    return grad_x


def _route(target, grad_output, mine, accumulate: bool, finite: bool) -> None:
    """Send ``grad_output`` where ``mine`` is True into ``target`` (a strided view).

    Multiplying by the 0/1 mask is about 4x faster than a masked copy into a
    strided view, but turns an infinite gradient into NaN elsewhere (inf·0);
    so the masked copy remains for gradients that are not finite.
    """
    if finite:
        if accumulate:
            target += grad_output * mine
        else:
            np.multiply(grad_output, mine, out=target)
    elif accumulate:
        np.add(target, grad_output, out=target, where=mine)
    else:
        np.copyto(target, grad_output, where=mine)


def _real_mask(g: ConvGeometry):
    """None without padding; else ``real(m, u)``: (H_out, W_out) True where offset (m, u) is inside x."""
    (top, _), (left, _) = g.pads
    if top == left == 0 and all(
            (g.out_size[a] - 1) * g.stride[a] + g.dilation[a] * (g.kernel[a] - 1) < g.in_size[a]
            for a in range(2)):
        return None
    i, j = np.arange(g.out_size[0]), np.arange(g.out_size[1])

    def real(m, u):
        r = i * g.stride[0] + m * g.dilation[0] - top
        c = j * g.stride[1] + u * g.dilation[1] - left
        return (((r >= 0) & (r < g.in_size[0]))[:, None] & ((c >= 0) & (c < g.in_size[1]))[None, :])
    return real


def max_pool2d(x: np.ndarray, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max-pooling: the largest value of every (dilated) window.

    Shapes: ``x`` (N, C, H, W) -> (N, C, H_out, W_out), ``H_out`` from
    ``conv_output_size`` (rounded up with ``ceil_mode``). ``stride`` defaults to
    ``kernel_size``; padding counts as -inf and must be at most
    ``kernel_size // 2``. With ``return_indices`` also returns, per output, the
    flat index ``row·W + col`` of its first maximum in ``x[n, c]`` (as PyTorch).
    A dilated window can cover only padding: its value is -inf, it passes no
    gradient back, and its index is PyTorch's (its start, moved forward by whole
    dilation steps to the first non-negative row and column).

    >>> x = np.array([[[[1., 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [7, 0, 2, 2]]]])
    >>> max_pool2d(x, 2)[0, 0]
    array([[4., 5.],
           [7., 2.]])
    >>> max_pool2d(x, 2, return_indices=True)[1][0, 0]
    array([[ 5,  2],
           [12, 10]])
    """
    fn = "max_pool2d"
    return_indices = check_bool(return_indices, "return_indices", fn)
    g = _pool_geometry(fn, x, kernel_size, stride, padding, dilation, ceil_mode)
    x_pad, g = _padded(x, g, -np.inf)
    if not return_indices:
        return _max_rows_then_columns(x_pad, g)
    y, offset = _first_max(x_pad, g)
    m, u = np.divmod(offset, g.kernel[1])
    (top, _), (left, _) = g.pads
    start_r = np.arange(g.out_size[0])[:, None] * g.stride[0] - top
    start_c = np.arange(g.out_size[1])[None, :] * g.stride[1] - left
    rows, cols = start_r + m * g.dilation[0], start_c + u * g.dilation[1]
    real = _real_mask(g)
    if real is not None:
        # a dilated window can hold only padding; PyTorch then reports its start moved
        # right/down by whole dilation steps until it is not negative
        empty = ~np.logical_or.reduce([real(a, b) for a in range(g.kernel[0])
                                       for b in range(g.kernel[1])])
        first_r = np.where(start_r < 0, start_r % g.dilation[0], start_r)
        first_c = np.where(start_c < 0, start_c % g.dilation[1], start_c)
        rows, cols = np.where(empty, first_r, rows), np.where(empty, first_c, cols)
    return y, (rows * g.in_size[1] + cols).astype(np.int64)


def max_pool2d_backward(grad_output: np.ndarray, x: np.ndarray, kernel_size, stride=None,
                        padding=0, dilation=1, ceil_mode=False) -> np.ndarray:
    """∂L/∂x (N, C, H, W) of ``max_pool2d``: each window's gradient goes to its first maximum.

    ``grad_output`` (N, C, H_out, W_out); the other arguments are the forward's.
    Where windows overlap, an input that is the first maximum of several
    windows collects all their gradients.
    """
    fn = "max_pool2d_backward"
    g = _pool_geometry(fn, x, kernel_size, stride, padding, dilation, ceil_mode)
    check_grad_output(grad_output, x.shape[:2] + g.out_size, x.dtype, fn)
    x_pad, g = _padded(x, g, -np.inf)
    if g.kernel == g.stride == (2, 2) and g.dilation == (1, 1) and x_pad is x:
        grad_x = _route_to_first_max_2x2(grad_output, x)
        if grad_x is not None:
            return grad_x
    offset = _first_max_offsets(x_pad, g)
    grad_x = np.zeros(x_pad.shape, x.dtype)
    # disjoint windows write each input position once; overlapping ones add up
    overlap = any(g.stride[a] < g.dilation[a] * (g.kernel[a] - 1) + 1 for a in range(2))
    finite = np.isfinite(grad_output).all()
    for k, (_, _, window) in enumerate(_windows(x_pad, g)):
        _route(grad_x[window], grad_output, offset == k, overlap, finite)
    return _crop(grad_x, g)


def _avg_divisor(g: ConvGeometry, count_include_pad: bool) -> np.ndarray:
    """(H_out, W_out) number of values each window averages, as in PyTorch.

    With ``count_include_pad`` the padding counts but the extra ``ceil_mode``
    border beyond it does not; without, only real input values count.
    """
    counts = []
    for a in range(2):
        pad = g.pads[a][0]
        start = np.arange(g.out_size[a]) * g.stride[a] - pad
        end = start + g.kernel[a]
        if count_include_pad:
            counts.append(np.minimum(end, g.in_size[a] + pad) - start)
        else:
            counts.append(np.minimum(end, g.in_size[a]) - np.maximum(start, 0))
    return np.outer(counts[0], counts[1])


def avg_pool2d(x: np.ndarray, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True) -> np.ndarray:
    """Average-pooling: the mean of every window.

    Shapes: ``x`` (N, C, H, W) -> (N, C, H_out, W_out). ``stride`` defaults to
    ``kernel_size``; zero padding at most ``kernel_size // 2``. With
    ``count_include_pad`` the padded zeros count in the mean, else only real
    values (windows of ``ceil_mode`` that overhang the padding never count the
    overhang) -- PyTorch's rules.

    >>> avg_pool2d(np.arange(16.).reshape(1, 1, 4, 4), 2)[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    fn = "avg_pool2d"
    count_include_pad = check_bool(count_include_pad, "count_include_pad", fn)
    g = _pool_geometry(fn, x, kernel_size, stride, padding, 1, ceil_mode)
    divisor = _avg_divisor(g, count_include_pad)
    x_pad, g = _padded(x, g, 0.0)
    y = None
    for _, _, window in _windows(x_pad, g):
        y = x_pad[window].copy() if y is None else np.add(y, x_pad[window], out=y)
    y /= divisor.astype(x.dtype)
    return y


def avg_pool2d_backward(grad_output: np.ndarray, x: np.ndarray, kernel_size, stride=None,
                        padding=0, ceil_mode=False, count_include_pad=True) -> np.ndarray:
    """∂L/∂x (N, C, H, W) of ``avg_pool2d``: each window shares its gradient equally.

    ``grad_output`` (N, C, H_out, W_out); the other arguments are the forward's.
    """
    fn = "avg_pool2d_backward"
    count_include_pad = check_bool(count_include_pad, "count_include_pad", fn)
    g = _pool_geometry(fn, x, kernel_size, stride, padding, 1, ceil_mode)
    check_grad_output(grad_output, x.shape[:2] + g.out_size, x.dtype, fn)
    share = grad_output / _avg_divisor(g, count_include_pad).astype(x.dtype)
    x_pad, g = _padded(x, g, 0.0)
    grad_x = np.zeros(x_pad.shape, x.dtype)
    for _, _, window in _windows(x_pad, g):
        grad_x[window] += share
    return _crop(grad_x, g)


def global_avg_pool2d(x: np.ndarray) -> np.ndarray:
    """Mean over all positions of each channel: (N, C, H, W) -> (N, C, 1, 1).

    Keeps the two unit axes, like PyTorch's ``adaptive_avg_pool2d(x, 1)``.

    >>> global_avg_pool2d(np.arange(8.).reshape(1, 2, 2, 2)).ravel()
    array([1.5, 5.5])
    """
    check_array(x, "x", "global_avg_pool2d", 4, "(N, C, H, W)")
    return x.mean(axis=(2, 3), keepdims=True)


def global_avg_pool2d_backward(grad_output: np.ndarray, x: np.ndarray) -> np.ndarray:
    """∂L/∂x (N, C, H, W): every position gets ``grad_output[n, c] / (H·W)``.

    ``grad_output`` (N, C, 1, 1) as returned by ``global_avg_pool2d``.
    """
    fn = "global_avg_pool2d_backward"
    check_array(x, "x", fn, 4, "(N, C, H, W)")
    check_grad_output(grad_output, x.shape[:2] + (1, 1), x.dtype, fn)
    h, w = x.shape[2:]
    return np.broadcast_to(grad_output / x.dtype.type(h * w), x.shape).copy()

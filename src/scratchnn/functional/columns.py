"""im2col and col2im: windows of an image as columns of a matrix, and back.

``im2col`` copies every window the kernel visits into one column, so a
convolution becomes one matrix product; ``col2im`` is its adjoint (it adds each
column back onto the window it came from, summing where windows overlap), so
``<im2col(x), c> == <x, col2im(c)>`` -- which is why the gradient of a
convolution with respect to its input is a ``col2im``.

Both work with kH·kW strided slices, one per kernel offset ``(m, u)``: slice
``(m, u)`` of the padded input holds ``x[n, c, i·s + m·d, j·s + u·d]`` for all
outputs ``(i, j)`` at once.
"""
from __future__ import annotations

import numpy as np

from .._checks import check_array, check_int
from ._conv_args import window_geometry
from .padding import pad2d


def _offset_slices(m: int, u: int, stride, dilation, out_size) -> tuple[slice, slice]:
    """Rows and columns ``i·s + m·d`` (all i), ``j·s + u·d`` (all j) of the padded input."""
    (sh, sw), (dh, dw), (h_out, w_out) = stride, dilation, out_size
    return (slice(m * dh, m * dh + sh * (h_out - 1) + 1, sh),
            slice(u * dw, u * dw + sw * (w_out - 1) + 1, sw))


def unfold_padded(x_pad: np.ndarray, kernel, stride, dilation, out_size) -> np.ndarray:
    """Columns (N, C, kH, kW, H_out, W_out) of an already padded ``x_pad`` (N, C, Hp, Wp)."""
    kh, kw = kernel
    cols = np.empty(x_pad.shape[:2] + (kh, kw) + tuple(out_size), dtype=x_pad.dtype)
    for m in range(kh):
        for u in range(kw):
            rows, columns = _offset_slices(m, u, stride, dilation, out_size)
            cols[:, :, m, u] = x_pad[:, :, rows, columns]
    return cols


def fold_padded(cols: np.ndarray, padded_size, stride, dilation) -> np.ndarray:
    """Sum columns (N, C, kH, kW, H_out, W_out) back onto a padded image (N, C, Hp, Wp)."""
    n, c, kh, kw, h_out, w_out = cols.shape
    x_pad = np.zeros((n, c) + tuple(padded_size), dtype=cols.dtype)
    for m in range(kh):
        for u in range(kw):
            rows, columns = _offset_slices(m, u, stride, dilation, (h_out, w_out))
            x_pad[:, :, rows, columns] += cols[:, :, m, u]
    return x_pad


def im2col(x: np.ndarray, kernel_size, stride=1, padding=0, dilation=1) -> np.ndarray:
    """Every kernel window of ``x`` as a column (PyTorch's ``unfold``).

    Shapes: ``x`` (N, C, H, W) -> (N, C·kH·kW, H_out·W_out); row
    ``(c·kH + m)·kW + u`` of column ``i·W_out + j`` holds the padded
    ``x[n, c, i·s + m·d, j·s + u·d]``. ``padding`` takes every form ``conv2d``
    takes. Then ``conv2d(x, w) == (w.reshape(C_out, -1) @ im2col(x, k)).reshape(...)``.

    >>> im2col(np.arange(9.).reshape(1, 1, 3, 3), 2)[0]
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    fn = "im2col"
    check_array(x, "x", fn, 4, "(N, C, H, W)")
    g = window_geometry(fn, x.shape[2:], kernel_size, stride, padding, dilation)
    cols = unfold_padded(pad2d(x, g.pads), g.kernel, g.stride, g.dilation, g.out_size)
    n, c = x.shape[:2]
    return cols.reshape(n, c * g.kernel[0] * g.kernel[1], g.out_size[0] * g.out_size[1])


def col2im(cols: np.ndarray, input_size, kernel_size, stride=1, padding=0, dilation=1) -> np.ndarray:
    """Add columns back onto the windows they came from (PyTorch's ``fold``).

    Shapes: ``cols`` (N, C·kH·kW, H_out·W_out) -> (N, C, H, W) with
    ``input_size = (H, W)``; where windows overlap their values add up, so
    ``col2im`` is the adjoint (transpose) of ``im2col``, not its inverse.

    >>> col2im(np.ones((1, 4, 4)), (3, 3), 2)[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    fn = "col2im"
    check_array(cols, "cols", fn, 3, "(N, C*kH*kW, H_out*W_out)")
    h, w = (check_int(v, "input_size", fn, 1) for v in _pair_or_error(input_size, fn))
    g = window_geometry(fn, (h, w), kernel_size, stride, padding, dilation)
    kk, positions = g.kernel[0] * g.kernel[1], g.out_size[0] * g.out_size[1]
    if cols.shape[1] % kk or cols.shape[2] != positions:
        raise ValueError(
            f"{fn}: cols has shape {cols.shape} but kernel {g.kernel} on input_size {(h, w)} needs "
            f"(N, C*{kk}, {positions}) ({g.out_size[0]}x{g.out_size[1]} windows)")
    n, c = cols.shape[0], cols.shape[1] // kk
    x_pad = fold_padded(cols.reshape((n, c) + g.kernel + g.out_size), g.padded_size,
                        g.stride, g.dilation)
    (top, _), (left, _) = g.pads
    return x_pad[:, :, top:top + h, left:left + w].copy()


def _pair_or_error(value, fn):
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return value
    raise ValueError(f"{fn}: input_size={value!r} must be a pair (H, W)")


class ColumnLayout:
    """Memory layout of the fast convolution's padded images and columns.

    Columns of a chunk of ``b`` samples are (C, kH·kW, b, positions): channel
    and kernel offset first, so one matrix product ``W @ cols`` handles the
    whole chunk (its result (C_out, b, positions) is reordered to NCHW while
    ``gather`` copies it out).

    ``strided`` (any stride): the padded image is (N, C, Hp, Wp) and
    ``positions = H_out·W_out``, as in ``unfold_padded``.

    ``flat`` (stride 1, the common case): the padded image is stored as one
    row-major line per channel, (N, C, Hp·Wp + slack). Then the values under
    kernel offset ``(m, u)`` for all outputs are ONE contiguous run starting at
    ``m·d·Wp + u·d``, provided each output row is taken ``Wp`` wide instead of
    ``W_out``: ``positions = H_out·Wp``, and the last ``Wp - W_out`` entries of
    every row are junk that wraps into the next image row. Junk outputs are
    dropped (``gather``); junk gradients are zero (``spread``), so they add
    nothing when folded back. Contiguous runs make im2col/col2im 2-3x faster.
    """

    def __init__(self, geometry):
        self.g = geometry
        self.flat = tuple(geometry.stride) == (1, 1)
        h_pad, w_pad = geometry.padded_size
        h_out, w_out = geometry.out_size
        self.row = w_pad if self.flat else w_out
        self.positions = h_out * self.row
        (dh, dw), (kh, kw) = geometry.dilation, geometry.kernel
        self.offsets = [m * dh * w_pad + u * dw for m in range(kh) for u in range(kw)]
        self.slack = dw * (kw - 1)  # junk of the last row reads this far past the image

    def empty_image(self, n: int, c: int, dtype) -> np.ndarray:
        """A zero padded image for ``n`` samples of ``c`` channels."""
        h_pad, w_pad = self.g.padded_size
        if self.flat:
            return np.zeros((n, c, h_pad * w_pad + self.slack), dtype)
        return np.zeros((n, c, h_pad, w_pad), dtype)

    def _inner(self, image: np.ndarray) -> np.ndarray:
        """(N, C, H, W) view of the unpadded part of a padded image."""
        h_pad, w_pad = self.g.padded_size
        if self.flat:
            image = image[:, :, :h_pad * w_pad].reshape(image.shape[:2] + (h_pad, w_pad))
        (top, _), (left, _) = self.g.pads
        h, w = self.g.in_size
        return image[:, :, top:top + h, left:left + w]

    def pad(self, x: np.ndarray) -> np.ndarray:
        """``x`` (N, C, H, W) placed in a zero padded image."""
        if not self.flat and not any(map(any, self.g.pads)):
            return x
        image = self.empty_image(x.shape[0], x.shape[1], x.dtype)
        self._inner(image)[...] = x
        return image

    def crop(self, image: np.ndarray) -> np.ndarray:
        """The (N, C, H, W) inside of a padded image, as a new contiguous array."""
        return np.ascontiguousarray(self._inner(image))

    def _runs(self, image: np.ndarray):
        """Yield ``(k, view)``: the (C, b, positions) input under kernel offset k."""
        if self.flat:
            for k, start in enumerate(self.offsets):
                yield k, image[:, :, start:start + self.positions].transpose(1, 0, 2)
            return
        kw = self.g.kernel[1]
        for k in range(len(self.offsets)):
            rows, columns = _offset_slices(k // kw, k % kw, self.g.stride, self.g.dilation,
                                           self.g.out_size)
            yield k, image[:, :, rows, columns].transpose(1, 0, 2, 3)

    def unfold(self, image: np.ndarray, cols: np.ndarray) -> None:
        """Fill ``cols`` (C, kH·kW, b, positions) from ``image`` (b samples)."""
        shape = cols.shape[:1] + cols.shape[2:3] + (self.g.out_size[0], self.row)
        for k, view in self._runs(image):
            cols[:, k].reshape(view.shape if self.flat else shape)[...] = view

    def fold(self, cols: np.ndarray, image: np.ndarray) -> None:
        """Add ``cols`` (C, kH·kW, b, positions) onto ``image`` (b samples)."""
        shape = cols.shape[:1] + cols.shape[2:3] + (self.g.out_size[0], self.row)
        for k, view in self._runs(image):
            np.add(view, cols[:, k].reshape(view.shape if self.flat else shape), out=view)

    def spread(self, y: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``y`` (b, F, H_out, W_out) copied to ``out`` (F, b, positions), junk columns zero."""
        rows = out.reshape(out.shape[:2] + (self.g.out_size[0], self.row))
        rows[..., :self.g.out_size[1]] = y.transpose(1, 0, 2, 3)
        return out

    def gather(self, y_pos: np.ndarray) -> np.ndarray:
        """(b, F, H_out, W_out) view of ``y_pos`` (F, b, positions), junk columns dropped."""
        rows = y_pos.reshape(y_pos.shape[:2] + (self.g.out_size[0], self.row))
        return rows[..., :self.g.out_size[1]].transpose(1, 0, 2, 3)

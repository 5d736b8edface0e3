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

from functools import lru_cache

import numpy as np

from .._checks import check_array, check_int
from ._conv_args import check_spatial, window_geometry
from ._memory import check_memory
from ._workspace import scratch
from .padding import pad2d


def offset_slices(m: int, u: int, stride, dilation, out_size) -> tuple[slice, slice]:
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
            rows, columns = offset_slices(m, u, stride, dilation, out_size)
            cols[:, :, m, u] = x_pad[:, :, rows, columns]
    return cols


def fold_padded(cols: np.ndarray, padded_size, stride, dilation) -> np.ndarray:
    """Sum columns (N, C, kH, kW, H_out, W_out) back onto a padded image (N, C, Hp, Wp)."""
    n, c, kh, kw, h_out, w_out = cols.shape
    x_pad = np.zeros((n, c) + tuple(padded_size), dtype=cols.dtype)
    for m in range(kh):
        for u in range(kw):
            rows, columns = offset_slices(m, u, stride, dilation, (h_out, w_out))
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
    check_spatial(fn, x, "x", "H, W")
    g = window_geometry(fn, x.shape[2:], kernel_size, stride, padding, dilation)
    n, c = x.shape[:2]
    check_memory(fn, f"x of shape {x.shape} with kernel_size={kernel_size!r}, stride={stride!r}, "
                 f"padding={padding!r}, dilation={dilation!r}",
                 {"columns": n * c * g.kernel[0] * g.kernel[1] * g.out_size[0] * g.out_size[1]
                  * x.itemsize, "padded input": n * c * g.padded_size[0] * g.padded_size[1]
                  * x.itemsize})
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

    The trick: store the padded image so that the values under one kernel
    offset ``(m, u)``, for all outputs, form ONE contiguous run. Then im2col
    and col2im are kH·kW plain copies/additions of runs (2-3x faster than
    strided 2-D slices).

    * Stride 1: keep each channel as one row-major line of Hp·Wp values. The
      run of offset ``(m, u)`` starts at ``m·d·Wp + u·d``, provided each output
      row is taken ``Wp`` wide instead of ``W_out``.
    * Stride s: split the padded image into its s_H·s_W *phases* (rows ≡ a mod
      s_H, columns ≡ b mod s_W), each of size ``Hq × Wq = ⌈Hp/s_H⌉ × ⌈Wp/s_W⌉``.
      Input row ``i·s + m·d`` lies in phase ``(m·d) mod s`` at phase row
      ``i + (m·d) div s`` -- a stride-1 problem inside one phase. Only the
      phases some kernel offset reads are stored (at most kH·kW of them): with
      a stride larger than the kernel most phases are never read, and storing
      them would cost s_H·s_W·Hq·Wq values -- memory that grows with the
      stride, not with the output.

    So ``positions = H_out·Wq`` per sample; the last ``Wq - W_out`` entries of
    each row are junk (they wrap into the next row). Junk outputs are dropped
    (``gather``) and junk gradients are zero (``spread``), so they add nothing
    when folded back.

    The forward pass stores a chunk of ``b`` samples' columns batch first,
    (b, C, kH·kW, positions), so ``W @ cols`` comes out as (b, C_out,
    positions) and ``gather`` only drops the junk. The backward pass stores
    them channel first, (C, kH·kW, b, positions): then one matrix product per
    chunk, with the long ``b·positions`` side as the inner dimension, gives the
    weight gradient.
    """

    def __init__(self, geometry):
        self.g = geometry
        (h_pad, w_pad), (sh, sw) = geometry.padded_size, geometry.stride
        (dh, dw), (kh, kw) = geometry.dilation, geometry.kernel
        self.phase_size = (-(-h_pad // sh), -(-w_pad // sw))
        self.row = self.phase_size[1]
        self.positions = geometry.out_size[0] * self.row
        offsets = [(m, u) for m in range(kh) for u in range(kw)]
        # the phases (row class a, column class b) that some kernel offset reads
        self.phases = sorted({(m * dh % sh, u * dw % sw) for m, u in offsets})
        index = {phase: k for k, phase in enumerate(self.phases)}
        self.runs = [(index[(m * dh % sh, u * dw % sw)],                      # stored phase
                      (m * dh // sh) * self.row + u * dw // sw)                # start
                     for m, u in offsets]
        self.all_phases = len(self.phases) == sh * sw  # else some of x is never read
        self.slack = (kw - 1) * dw // sw  # junk of the last row reads this far past a phase

    def empty_image(self, n: int, c: int, dtype, role: str) -> np.ndarray:
        """Zero padded images (n, c, stored phases, Hq·Wq + slack) in the ``role`` scratch buffer."""
        hq, wq = self.phase_size
        return scratch(role, (n, c, len(self.phases), hq * wq + self.slack), dtype, zero=True)

    def _placements(self):
        """Yield ``(phase, x rows, x cols, phase rows, phase cols)`` for the stored phases.

        They cover the part of x that some window reads (all of x unless a
        stride skips pixels).
        """
        (sh, sw), ((top, _), (left, _)), (h, w) = self.g.stride, self.g.pads, self.g.in_size
        for k, (a, b) in enumerate(self.phases):
            h0 = (a - top) % sh                  # first row of x in phase row-class a
            w0 = (b - left) % sw
            if h0 >= h or w0 >= w:
                continue
            nh, hq0 = len(range(h0, h, sh)), (h0 + top) // sh
            nw, wq0 = len(range(w0, w, sw)), (w0 + left) // sw
            yield (k, slice(h0, h, sh), slice(w0, w, sw),
                   slice(hq0, hq0 + nh), slice(wq0, wq0 + nw))

    def _grid(self, image: np.ndarray) -> np.ndarray:
        """(N, C, phases, Hq, Wq) view of an image."""
        hq, wq = self.phase_size
        return image[..., :hq * wq].reshape(image.shape[:3] + (hq, wq))

    def pad(self, x: np.ndarray, role: str = "image") -> np.ndarray:
        """``x`` (N, C, H, W) placed in zero padded images (a scratch buffer).

        Only the border around ``x`` is zeroed: ``x`` overwrites the rest.
        """
        phases = len(self.phases)
        hq, wq = self.phase_size
        image = scratch(role, x.shape[:2] + (phases, hq * wq + self.slack), x.dtype)
        image[..., hq * wq:] = 0
        grid = self._grid(image)
        filled = set()
        for phase, rows, cols, phase_rows, phase_cols in self._placements():
            g = grid[:, :, phase]
            g[:, :, :phase_rows.start] = 0
            g[:, :, phase_rows.stop:] = 0
            g[:, :, phase_rows, :phase_cols.start] = 0
            g[:, :, phase_rows, phase_cols.stop:] = 0
            g[:, :, phase_rows, phase_cols] = x[:, :, rows, cols]
            filled.add(phase)
        for phase in set(range(phases)) - filled:
            grid[:, :, phase] = 0
        return image

    def crop(self, image: np.ndarray) -> np.ndarray:
        """The (N, C, H, W) inside of padded images, as a new array (zero where no window reads)."""
        grid = self._grid(image)
        shape = image.shape[:2] + tuple(self.g.in_size)
        x = np.empty(shape, image.dtype) if self.all_phases else np.zeros(shape, image.dtype)
        for phase, rows, cols, phase_rows, phase_cols in self._placements():
            x[:, :, rows, cols] = grid[:, :, phase, phase_rows, phase_cols]
        return x

    def _runs(self, image: np.ndarray):
        """Yield ``(k, view)``: the (C, b, positions) input under kernel offset k."""
        for k, (phase, start) in enumerate(self.runs):
            yield k, image[:, :, phase, start:start + self.positions].transpose(1, 0, 2)

    def unfold(self, image: np.ndarray, cols: np.ndarray) -> None:
        """Fill ``cols`` (C, kH·kW, b, positions) from ``image`` (b samples)."""
        for k, view in self._runs(image):
            cols[:, k] = view

    def unfold_batch_first(self, image: np.ndarray, cols: np.ndarray) -> None:
        """Fill ``cols`` (b, C, kH·kW, positions) from ``image`` (b samples)."""
        for k, (phase, start) in enumerate(self.runs):
            cols[:, :, k] = image[:, :, phase, start:start + self.positions]

    def fold(self, cols: np.ndarray, image: np.ndarray) -> None:
        """Add ``cols`` (C, kH·kW, b, positions) onto ``image`` (b samples)."""
        for k, view in self._runs(image):
            np.add(view, cols[:, k], out=view)

    def zero_junk(self, cols: np.ndarray) -> None:
        """Zero the junk entries of ``cols`` (..., positions).

        Junk times a zero gradient is zero -- unless the junk is inf or NaN; for
        inputs that are not finite the junk must be zeroed before a product.
        """
        rows = cols.reshape(cols.shape[:-1] + (self.g.out_size[0], self.row))
        rows[..., self.g.out_size[1]:] = 0

    def spread(self, y: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``y`` (b, F, H_out, W_out) copied to ``out`` (F, b, positions), junk columns zero."""
        rows = out.reshape(out.shape[:2] + (self.g.out_size[0], self.row))
        rows[..., :self.g.out_size[1]] = y.transpose(1, 0, 2, 3)
        return out

    def gather(self, y_pos: np.ndarray) -> np.ndarray:
        """(b, F, H_out, W_out) view of ``y_pos`` (b, F, positions), junk columns dropped."""
        rows = y_pos.reshape(y_pos.shape[:2] + (self.g.out_size[0], self.row))
        return rows[..., :self.g.out_size[1]]


@lru_cache(maxsize=256)
def column_layout(geometry) -> ColumnLayout:
    """The ``ColumnLayout`` of ``geometry``, built once (a layout never changes after ``__init__``)."""
    return ColumnLayout(geometry)

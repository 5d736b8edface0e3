"""The fast convolution: im2col plus matrix products, a few samples at a time.

With the columns ``X`` (groups, C_g·kH·kW, b·positions) of a chunk of ``b``
samples and the weight as ``W`` (groups, C_out/groups, C_g·kH·kW)::

    Y     = W @ X                     forward
    ∂L/∂W = Σ_chunks G @ Xᵀ            weight gradient (G = grad_output, same layout)
    ∂L/∂X = Wᵀ @ G, then col2im        input gradient

Why it is fast: the batch is processed in chunks whose columns fit in the CPU
cache (about ``CHUNK_BYTES``), so the columns written by im2col are read by the
matrix product before they are evicted, and one small buffer is reused instead
of allocating the full (N, C·kH·kW, positions) matrix; the columns are copied
as contiguous runs (``columns.ColumnLayout``); scratch buffers live on between calls
(``_workspace``).
These functions expect checked arguments (see ``conv.py``).
"""
from __future__ import annotations

import numpy as np

from ._conv_args import ConvGeometry
from ._workspace import batch_chunks, scratch
from .columns import column_layout

CHUNK_BYTES = 2 << 20


def _chunks(n: int, bytes_per_sample: int):
    """Ranges ``(n0, n1)`` over the batch, each about ``CHUNK_BYTES`` of columns, and the step."""
    return batch_chunks(n, bytes_per_sample, CHUNK_BYTES)


def _weight_matrix(weight, groups: int) -> np.ndarray:
    """(groups, C_out/groups, C_g·kH·kW) view of ``weight`` (C_out, C_g, kH, kW)."""
    return weight.reshape(groups, weight.shape[0] // groups, -1)


def conv2d_im2col(x, weight, bias, geometry: ConvGeometry) -> np.ndarray:
    """``y`` (N, C_out, H_out, W_out) = W @ im2col(x) (+ bias).

    Without groups the bias rides along in the product: a row of ones under
    the columns and the bias as an extra column of ``W``.
    """
    layout = column_layout(geometry)
    n, c_in = x.shape[:2]
    c_out, groups, kk = weight.shape[0], geometry.groups, geometry.kernel[0] * geometry.kernel[1]
    positions = layout.positions
    image = layout.pad(x)
    w = _weight_matrix(weight, groups)
    ones_row = bias is not None and groups == 1
    if ones_row:
        w = np.concatenate([w, bias.reshape(1, -1, 1)], axis=2)
    rows = c_in * kk + ones_row
    y = np.empty((n, c_out) + tuple(geometry.out_size), x.dtype)
    chunks, step = _chunks(n, rows * positions * x.itemsize)
    cols = scratch("cols", (step, rows, positions), x.dtype)
    out = scratch("out", (step, groups, c_out // groups, positions), x.dtype)
    if ones_row:
        cols[:, -1] = 1
    for n0, n1 in chunks:
        b = n1 - n0
        layout.unfold_batch_first(image[n0:n1], cols[:b, :c_in * kk].reshape(b, c_in, kk, -1))
        np.matmul(w, cols[:b].reshape(b, groups, -1, positions), out=out[:b])
        gathered = layout.gather(out[:b].reshape(b, c_out, positions))
        if bias is None or ones_row:
            y[n0:n1] = gathered
        else:  # add the bias while copying out, not in another pass
            np.add(gathered, bias[:, None, None], out=y[n0:n1])
    return y


def conv2d_backward_im2col(grad_output, x, weight, geometry: ConvGeometry,
                           need_input: bool = True, need_weight: bool = True):
    """``(∂L/∂x or None, ∂L/∂w or None)`` for ``grad_output`` (N, C_out, H_out, W_out).

    ``x`` is only read for the weight gradient; the input gradient needs only
    its shape, so ``x`` may be None when ``need_weight`` is False.
    """
    grad_x = None
    if need_input and (as_conv := input_gradient_as_conv(grad_output, weight, geometry)):
        grad_x = conv2d_im2col(grad_output, *as_conv)
        need_input = False
        if not need_weight:
            return grad_x, None
    layout = column_layout(geometry)
    n, c_out = grad_output.shape[:2]
    c_in, groups = weight.shape[1] * geometry.groups, geometry.groups
    kk, dtype = geometry.kernel[0] * geometry.kernel[1], grad_output.dtype
    w = _weight_matrix(weight, groups)
    image = layout.pad(x) if need_weight else None
    grad_image = layout.empty_image(n, c_in, dtype, "grad_image") if need_input else None
    grad_w = np.zeros(w.shape, dtype) if need_weight else None
    chunks, step = _chunks(n, c_in * kk * layout.positions * dtype.itemsize)
    cols = scratch("cols", (c_in * kk * step * layout.positions,), dtype)
    spread = scratch("spread", (c_out * step * layout.positions,), dtype, zero=True)
    # junk entries meet zero gradients; only inf or NaN junk would not vanish (inf·0)
    x_finite = not need_weight or np.isfinite(x).all()
    w_finite = not need_input or np.isfinite(weight).all()
    for n0, n1 in chunks:
        b = n1 - n0
        q = b * layout.positions
        g = layout.spread(grad_output[n0:n1], spread[:c_out * q].reshape(c_out, b, -1))
        g = g.reshape(groups, -1, q)
        cols_b = cols[:c_in * kk * q].reshape(c_in, kk, b, layout.positions)
        if need_weight:
            layout.unfold(image[n0:n1], cols_b)
            if not x_finite:
                layout.zero_junk(cols_b)
            grad_w += np.matmul(g, cols_b.reshape(groups, -1, q).transpose(0, 2, 1))
        if need_input:
            np.matmul(w.transpose(0, 2, 1), g, out=cols_b.reshape(groups, -1, q))
            if not w_finite:
                layout.zero_junk(cols_b)
            layout.fold(cols_b, grad_image[n0:n1])
    if need_input:
        grad_x = layout.crop(grad_image)
    return grad_x, (grad_w.reshape(weight.shape) if need_weight else None)


def _wide_enough(c_in_group: int, c_out_group: int) -> bool:
    """Whether ∂L/∂x as a convolution beats col2im (measured on the benchmark's layers)."""
    return c_in_group >= max(8, c_out_group)


def input_gradient_as_conv(grad_output, weight, geometry: ConvGeometry, check_width: bool = True):
    """``(weight, bias, geometry)`` of the stride-1 convolution that gives ∂L/∂x, or None.

    With stride 1, ∂L/∂x[n, c, i, j] = Σ_f Σ_m Σ_u g[n, f, i + p - m·d, j + p - u·d]
    · w[f, c, m, u]: a convolution of ``grad_output`` padded by ``d(k-1) - p``
    with the kernel flipped and its two channel axes swapped. It runs on the
    forward's fast path and needs no col2im. It pays off when the product
    ``(C_in, C_out·kH·kW) @ columns`` is not too thin: with fewer input than
    output channels col2im is faster (measured). Strides, padding beyond
    ``d(k-1)`` (it would need cropping) and a weight that is not finite (its
    inf would meet the zero padding: NaN) keep col2im. ``check_width=False``
    skips the width rule (Winograd decides for itself).
    """
    c_out, c_group = weight.shape[:2]
    if (geometry.stride != (1, 1) or not np.isfinite(weight).all()
            or (check_width and not _wide_enough(c_group, c_out // geometry.groups))):
        return None
    pads = []
    for a in range(2):
        reach = geometry.dilation[a] * (geometry.kernel[a] - 1)
        before = reach - geometry.pads[a][0]
        after = geometry.in_size[a] - grad_output.shape[2 + a] - before + reach
        if before < 0 or after < 0:
            return None
        pads.append((before, after))
    groups, (kh, kw) = geometry.groups, geometry.kernel
    flipped = weight.reshape(groups, c_out // groups, c_group, kh, kw)[..., ::-1, ::-1]
    swapped = np.ascontiguousarray(flipped.transpose(0, 2, 1, 3, 4)).reshape(
        c_group * groups, c_out // groups, kh, kw)
    as_conv = ConvGeometry(geometry.kernel, (1, 1), geometry.dilation, tuple(pads), groups,
                           tuple(grad_output.shape[2:]), tuple(geometry.in_size))
    return swapped, None, as_conv


def conv2d_grad_input_im2col(grad_output, weight, geometry: ConvGeometry) -> np.ndarray:
    """``∂L/∂x`` (N, C_in, H, W) = col2im(Wᵀ @ grad_output)."""
    return conv2d_backward_im2col(grad_output, None, weight, geometry, need_weight=False)[0]


def conv2d_grad_weight_im2col(grad_output, x, weight_shape, geometry: ConvGeometry) -> np.ndarray:
    """``∂L/∂w`` (C_out, C_in/groups, kH, kW) = Σ_n grad_output[n] @ im2col(x)[n]ᵀ."""
    weight = np.empty(weight_shape, grad_output.dtype)  # only its shape is used
    return conv2d_backward_im2col(grad_output, x, weight, geometry, need_input=False)[1]


def conv2d_grad_bias_im2col(grad_output) -> np.ndarray:
    """``∂L/∂b`` (C_out,) = grad_output summed over batch and positions."""
    return grad_output.sum(axis=(0, 2, 3))

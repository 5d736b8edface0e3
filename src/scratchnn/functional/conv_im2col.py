"""The fast convolution: im2col plus one batched matrix product.

With columns ``X`` (N, groups, C_g·kH·kW, H_out·W_out) from ``unfold_padded``
and the weight as ``W`` (groups, C_out/groups, C_g·kH·kW)::

    Y    = W @ X                      forward, (N, groups, C_out/groups, H_out·W_out)
    ∂L/∂W = Σ_n  G[n] @ X[n]ᵀ          gradient of the weight
    ∂L/∂X = Wᵀ @ G, then col2im        gradient of the input

The column layout (channel, kernel offset, position) makes ``W @ X`` land
directly in NCHW order, so no transpose of the output is needed.
These functions expect checked arguments (see ``conv.py``).
"""
from __future__ import annotations

import numpy as np

from ._conv_args import ConvGeometry
from .columns import fold_padded, unfold_padded
from .padding import pad2d


def _columns(x, geometry: ConvGeometry, out_size=None) -> np.ndarray:
    """(N, groups, C_g·kH·kW, H_out·W_out) columns of ``x`` for this geometry."""
    x_pad = pad2d(x, geometry.pads) if any(map(any, geometry.pads)) else x
    out_size = geometry.out_size if out_size is None else out_size
    cols = unfold_padded(x_pad, geometry.kernel, geometry.stride, geometry.dilation, out_size)
    n, groups = x.shape[0], geometry.groups
    return cols.reshape(n, groups, -1, out_size[0] * out_size[1])


def _weight_matrix(weight, groups: int) -> np.ndarray:
    """(groups, C_out/groups, C_g·kH·kW) view of ``weight`` (C_out, C_g, kH, kW)."""
    return weight.reshape(groups, weight.shape[0] // groups, -1)


def conv2d_im2col(x, weight, bias, geometry: ConvGeometry) -> np.ndarray:
    """``y`` (N, C_out, H_out, W_out) = W @ im2col(x) (+ bias)."""
    cols = _columns(x, geometry)
    y = np.matmul(_weight_matrix(weight, geometry.groups), cols)
    y = y.reshape((x.shape[0], weight.shape[0]) + tuple(geometry.out_size))
    if bias is not None:
        y += bias[:, None, None]
    return y


def conv2d_grad_input_im2col(grad_output, weight, geometry: ConvGeometry) -> np.ndarray:
    """``∂L/∂x`` (N, C_in, H, W) = col2im(Wᵀ @ grad_output)."""
    n, _, h_out, w_out = grad_output.shape
    groups = geometry.groups
    g = grad_output.reshape(n, groups, -1, h_out * w_out)
    grad_cols = np.matmul(_weight_matrix(weight, groups).transpose(0, 2, 1), g)
    c_in = weight.shape[1] * groups
    grad_cols = grad_cols.reshape((n, c_in) + tuple(geometry.kernel) + (h_out, w_out))
    grad_x = fold_padded(grad_cols, geometry.padded_size, geometry.stride, geometry.dilation)
    (top, _), (left, _) = geometry.pads
    h, w = geometry.in_size
    if grad_x.shape[2:] == (h, w):
        return grad_x
    return np.ascontiguousarray(grad_x[:, :, top:top + h, left:left + w])


def conv2d_grad_weight_im2col(grad_output, x, weight_shape, geometry: ConvGeometry) -> np.ndarray:
    """``∂L/∂w`` (C_out, C_in/groups, kH, kW) = Σ_n grad_output[n] @ im2col(x)[n]ᵀ."""
    n, _, h_out, w_out = grad_output.shape
    cols = _columns(x, geometry, (h_out, w_out))
    g = grad_output.reshape(n, geometry.groups, -1, h_out * w_out)
    grad_weight = np.matmul(g, cols.transpose(0, 1, 3, 2)).sum(axis=0)
    return grad_weight.reshape(weight_shape)


def conv2d_grad_bias_im2col(grad_output) -> np.ndarray:
    """``∂L/∂b`` (C_out,) = grad_output summed over batch and positions."""
    return grad_output.sum(axis=(0, 2, 3))

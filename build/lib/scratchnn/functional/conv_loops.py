"""The readable reference convolution: loops that mirror the equations.

Forward, for output channel ``f`` in group ``g = f // (C_out/groups)`` whose
input channels are ``c = g·C_g … g·C_g + C_g - 1`` (``C_g = C_in/groups``),
on the padded input ``x``::

    y[n, f, i, j] = b[f] + Σ_c Σ_m Σ_u  x[n, c, i·s + m·d, j·s + u·d] · w[f, c, m, u]

The three sums run over one window of ``x``: the ``C_g × kH × kW`` values under
the kernel when its corner sits at ``(i·s, j·s)``; the code takes that window
as one slice and multiplies it element by element with ``w[f]``.

Backward, with ``g[n, f, i, j] = ∂L/∂y[n, f, i, j]`` (``grad_output``): every
output touched one window, so its gradient flows back to exactly that window::

    ∂L/∂w[f, c, m, u]              = Σ_n Σ_i Σ_j g[n, f, i, j] · x[n, c, i·s + m·d, j·s + u·d]
    ∂L/∂x[n, c, i·s + m·d, j·s + u·d] += g[n, f, i, j] · w[f, c, m, u]
    ∂L/∂b[f]                       = Σ_n Σ_i Σ_j g[n, f, i, j]

These functions expect checked arguments; call them through ``conv2d`` and
``conv2d_backward`` with ``impl="loops"``.
"""
from __future__ import annotations

import numpy as np

from ._conv_args import ConvGeometry
from .padding import pad2d


def _window(geometry: ConvGeometry, i: int, j: int) -> tuple[slice, slice]:
    """Rows and columns of the padded input under the kernel for output ``(i, j)``."""
    (kh, kw), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    rows = slice(i * sh, i * sh + dh * (kh - 1) + 1, dh)
    cols = slice(j * sw, j * sw + dw * (kw - 1) + 1, dw)
    return rows, cols


def _group_channels(f: int, weight_shape, groups: int) -> slice:
    """Input channels seen by output channel ``f``: those of its group."""
    c_out, c_group = weight_shape[0], weight_shape[1]
    g = f // (c_out // groups)
    return slice(g * c_group, (g + 1) * c_group)


def _crop(x_pad: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """Undo the padding: the inner (H, W) block."""
    (top, _), (left, _) = geometry.pads
    h, w = geometry.in_size
    return x_pad[:, :, top:top + h, left:left + w]


def conv2d_loops(x, weight, bias, geometry: ConvGeometry) -> np.ndarray:
    """``y`` (N, C_out, H_out, W_out) from ``x`` (N, C_in, H, W), ``weight`` (C_out, C_in/groups, kH, kW)."""
    x = pad2d(x, geometry.pads)
    n_batch, c_out = x.shape[0], weight.shape[0]
    h_out, w_out = geometry.out_size
    y = np.zeros((n_batch, c_out, h_out, w_out), dtype=x.dtype)
    for n in range(n_batch):
        for f in range(c_out):
            c = _group_channels(f, weight.shape, geometry.groups)
            b = 0 if bias is None else bias[f]
            for i in range(h_out):
                for j in range(w_out):
                    rows, cols = _window(geometry, i, j)
                    y[n, f, i, j] = b + np.sum(x[n, c, rows, cols] * weight[f])
    return y


def conv2d_grad_input_loops(grad_output, weight, geometry: ConvGeometry) -> np.ndarray:
    """``∂L/∂x`` (N, C_in, H, W) from ``grad_output`` (N, C_out, H_out, W_out)."""
    n_batch, c_out, h_out, w_out = grad_output.shape
    h_pad, w_pad = geometry.padded_size
    c_in = weight.shape[1] * geometry.groups
    grad_x = np.zeros((n_batch, c_in, h_pad, w_pad), dtype=grad_output.dtype)
    for n in range(n_batch):
        for f in range(c_out):
            c = _group_channels(f, weight.shape, geometry.groups)
            for i in range(h_out):
                for j in range(w_out):
                    rows, cols = _window(geometry, i, j)
                    grad_x[n, c, rows, cols] += grad_output[n, f, i, j] * weight[f]
    return _crop(grad_x, geometry)


def conv2d_grad_weight_loops(grad_output, x, weight_shape, geometry: ConvGeometry) -> np.ndarray:
    """``∂L/∂w`` (C_out, C_in/groups, kH, kW) from ``grad_output`` and the forward's ``x``."""
    x = pad2d(x, geometry.pads)
    n_batch, c_out, h_out, w_out = grad_output.shape
    grad_weight = np.zeros(weight_shape, dtype=x.dtype)
    for n in range(n_batch):
        for f in range(c_out):
            c = _group_channels(f, weight_shape, geometry.groups)
            for i in range(h_out):
                for j in range(w_out):
                    rows, cols = _window(geometry, i, j)
                    grad_weight[f] += grad_output[n, f, i, j] * x[n, c, rows, cols]
    return grad_weight


def conv2d_grad_bias_loops(grad_output) -> np.ndarray:
    """``∂L/∂b`` (C_out,): every output of channel ``f`` added ``b[f]`` once."""
    n_batch, c_out, h_out, w_out = grad_output.shape
    grad_bias = np.zeros(c_out, dtype=grad_output.dtype)
    for f in range(c_out):
        for n in range(n_batch):
            for i in range(h_out):
                for j in range(w_out):
                    grad_bias[f] += grad_output[n, f, i, j]
    return grad_bias

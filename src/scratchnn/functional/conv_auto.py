"""Which fast convolution runs: ``impl="auto"``, and Winograd with its fall-backs.

``impl="winograd"`` (``F(4×4, 3×3)``) and ``impl="winograd2"``
(``F(2×2, 3×3)``) run ``conv_winograd`` where it applies and gives PyTorch's
numbers -- a 3×3 kernel at stride 1 and dilation 1, finite arrays -- and
im2col otherwise:

* forward: Winograd on ``x``;
* input gradient: at stride 1 it is itself a 3×3 stride-1 convolution of
  ``grad_output`` (``conv_im2col.input_gradient_as_conv``), so Winograd again;
* weight gradient: the im2col matrix product (``G @ Xᵀ``), one per chunk.

``impl="auto"`` (the default) picks ``F(4×4, 3×3)`` when it applies and
both channel counts per group are at least ``AUTO_MIN_CHANNELS``, else
im2col. The threshold comes from ``benchmarks/conv_vs_torch.py``: with 3
input channels the transforms cost more than the products they save; from 16
on, ``F(4×4)`` beat im2col in float64 and tied or beat it in float32;
``F(2×2)`` never beat ``F(4×4)`` on those layers.
"""
from __future__ import annotations

import numpy as np

from . import conv_im2col, conv_winograd
from ._conv_args import ConvGeometry

AUTO_MIN_CHANNELS = 16
TILE = {"winograd": 4, "winograd2": 2}


def choose(impl: str, geometry: ConvGeometry, weight_shape) -> str:
    """The concrete implementation for ``impl`` ("auto" -> "winograd" or "im2col")."""
    if impl != "auto":
        return impl
    c_group, c_out_group = weight_shape[1], weight_shape[0] // geometry.groups
    if conv_winograd.supports(geometry) and min(c_group, c_out_group) >= AUTO_MIN_CHANNELS:
        return "winograd"
    return "im2col"


def _finite(*arrays) -> bool:
    return all(np.isfinite(a).all() for a in arrays)


def winograd_forward(impl: str):
    """``conv2d`` by ``F(m×m, 3×3)`` (m from ``impl``), im2col where Winograd does not apply."""
    m = TILE[impl]

    def forward(x, weight, bias, geometry: ConvGeometry):
        if conv_winograd.supports(geometry) and _finite(x, weight):
            return conv_winograd.conv2d_winograd(x, weight, bias, geometry, m)
        return conv_im2col.conv2d_im2col(x, weight, bias, geometry)
    return forward


def winograd_backward(impl: str):
    """``(∂L/∂x, ∂L/∂w)``: ∂L/∂x by Winograd where it applies, ∂L/∂w by im2col."""
    m = TILE[impl]

    def backward(grad_output, x, weight, geometry: ConvGeometry, need_input=True,
                 need_weight=True):
        as_conv = None
        if need_input and conv_winograd.supports(geometry) and _finite(grad_output, weight):
            as_conv = conv_im2col.input_gradient_as_conv(grad_output, weight, geometry,
                                                         check_width=False)
        if as_conv is None:
            return conv_im2col.conv2d_backward_im2col(grad_output, x, weight, geometry,
                                                      need_input, need_weight)
        grad_x = conv_winograd.conv2d_winograd(grad_output, *as_conv, m)
        grad_w = None
        if need_weight:
            grad_w = conv_im2col.conv2d_backward_im2col(grad_output, x, weight, geometry,
                                                        need_input=False)[1]
        return grad_x, grad_w
    return backward


def winograd_grad_input(impl: str):
    """``∂L/∂x`` alone (the transposed convolution's forward)."""
    backward = winograd_backward(impl)

    def grad_input(grad_output, weight, geometry: ConvGeometry):
        return backward(grad_output, None, weight, geometry, need_weight=False)[0]
    return grad_input

"""Which fast convolution runs: ``impl="auto"``, and Winograd with its fall-backs.

``impl="winograd"`` (``F(4×4, 3×3)``) and ``impl="winograd2"``
(``F(2×2, 3×3)``) run ``conv_winograd`` where it applies and gives PyTorch's
numbers -- a 3×3 kernel at stride 1, finite arrays -- and im2col otherwise.
A dilation ``d`` splits the padded input into its d_H·d_W phases (rows
≡ a mod d_H, columns ≡ b mod d_W): output ``(i, j)`` with ``i ≡ a``, ``j ≡ b``
reads only phase ``(a, b)``, where the dilated kernel is an ordinary 3×3 one
-- so a dilated convolution is d_H·d_W undilated ones (``_phases``).

* forward: Winograd on ``x``;
* input gradient: at stride 1 it is itself a 3×3 stride-1 convolution of
  ``grad_output`` (``conv_im2col.input_gradient_as_conv``), so Winograd again;
* weight gradient: ``F(3×3, m×m)`` (``conv2d_grad_weight_winograd``), which
  beat the im2col product ``G @ Xᵀ`` by 1.4-1.7× on the benchmark's 3×3
  layers with 16 or more channels (both tile sizes, float32 and float64).

``impl="auto"`` (the layers' default) picks ``F(4×4, 3×3)`` for an
undilated 3×3 stride-1 convolution whose channel counts per group are both at
least ``AUTO_MIN_CHANNELS``, else im2col. Measured on the layers of
``benchmarks/conv_vs_torch.py`` (process CPU time, one thread) on two
machines: with 3 input channels the transforms cost more than the products
they save (forward 2-3× slower than im2col); with 16 channels ``F(4×4)`` tied
im2col on an AVX-512 Xeon but lost by 10-50 % (forward and backward, float32
and float64) on an AVX2 EPYC; from 32 channels on it tied or won on both, up
to 1.9× faster forward and 1.4× forward + backward on 8×64→64×56². ``F(2×2)``
never beat ``F(4×4)``; and the dilated layer (16→16, 32², d = 2) was
1.4-1.5× slower through the phases (16×16 phase images are too small for
tiles), so dilated layers stay on im2col.
"""
from __future__ import annotations

import numpy as np

from . import conv_im2col, conv_winograd
from ._conv_args import ConvGeometry
from .padding import pad2d

AUTO_MIN_CHANNELS = 32
TILE = {"winograd": 4, "winograd2": 2}


def applies(geometry: ConvGeometry) -> bool:
    """Winograd applies: a 3×3 kernel at stride 1 (a dilation goes through ``_phases``)."""
    return geometry.kernel == (3, 3) and geometry.stride == (1, 1)


def choose(impl: str, geometry: ConvGeometry, weight_shape) -> str:
    """The concrete implementation for ``impl`` ("auto" -> "winograd" or "im2col")."""
    if impl != "auto":
        return impl
    c_group, c_out_group = weight_shape[1], weight_shape[0] // geometry.groups
    if (applies(geometry) and geometry.dilation == (1, 1)
            and min(c_group, c_out_group) >= AUTO_MIN_CHANNELS):
        return "winograd"
    return "im2col"


def _phases(geometry: ConvGeometry):
    """Yield ``(a, b, sub)``: phase (a, b) of a dilated 3×3 stride-1 convolution as an undilated one.

    ``sub`` is the geometry of the valid (unpadded) convolution of the padded
    input's phase ``x_pad[..., a::d_H, b::d_W]`` whose outputs are
    ``y[..., a::d_H, b::d_W]``.
    """
    (dh, dw), (hp, wp), (h_out, w_out) = geometry.dilation, geometry.padded_size, geometry.out_size
    for a in range(min(dh, h_out)):
        for b in range(min(dw, w_out)):
            size = (len(range(a, hp, dh)), len(range(b, wp, dw)))
            out = (len(range(a, h_out, dh)), len(range(b, w_out, dw)))
            yield a, b, ConvGeometry((3, 3), (1, 1), (1, 1), ((0, 0), (0, 0)), geometry.groups,
                                     size, out)


def _winograd_conv(x, weight, bias, geometry: ConvGeometry, m: int) -> np.ndarray:
    """``conv2d`` of a 3×3 stride-1 convolution by ``F(m×m, 3×3)``, dilated or not."""
    if geometry.dilation == (1, 1):
        return conv_winograd.conv2d_winograd(x, weight, bias, geometry, m)
    x_pad, (dh, dw) = pad2d(x, geometry.pads), geometry.dilation
    y = np.empty(x.shape[:1] + weight.shape[:1] + geometry.out_size, x.dtype)
    for a, b, sub in _phases(geometry):
        y[:, :, a::dh, b::dw] = conv_winograd.conv2d_winograd(x_pad[:, :, a::dh, b::dw], weight,
                                                              bias, sub, m)
    return y


def _winograd_grad_weight(grad_output, x, weight_shape, geometry: ConvGeometry, m: int):
    """``∂L/∂w`` of a 3×3 stride-1 convolution by ``F(3×3, m×m)``: the phases' gradients add up."""
    if geometry.dilation == (1, 1):
        return conv_winograd.conv2d_grad_weight_winograd(grad_output, x, weight_shape, geometry, m)
    x_pad, (dh, dw) = pad2d(x, geometry.pads), geometry.dilation
    return sum(conv_winograd.conv2d_grad_weight_winograd(
        grad_output[:, :, a::dh, b::dw], x_pad[:, :, a::dh, b::dw], weight_shape, sub, m)
        for a, b, sub in _phases(geometry))


def _finite(*arrays) -> bool:
    return all(np.isfinite(a).all() for a in arrays)


def winograd_forward(impl: str):
    """``conv2d`` by ``F(m×m, 3×3)`` (m from ``impl``), im2col where Winograd does not apply."""
    m = TILE[impl]

    def forward(x, weight, bias, geometry: ConvGeometry):
        if applies(geometry) and _finite(x, weight):
            return _winograd_conv(x, weight, bias, geometry, m)
        return conv_im2col.conv2d_im2col(x, weight, bias, geometry)
    return forward


def winograd_backward(impl: str):
    """``(∂L/∂x, ∂L/∂w)`` by Winograd where it applies (each on its own), the rest by im2col."""
    m = TILE[impl]

    def backward(grad_output, x, weight, geometry: ConvGeometry, need_input=True,
                 need_weight=True):
        grad_x = grad_w = None
        ok = applies(geometry) and _finite(grad_output)
        if need_input and ok and _finite(weight):
            as_conv = conv_im2col.input_gradient_as_conv(grad_output, weight, geometry,
                                                         check_width=False)
            if as_conv is not None:
                grad_x = _winograd_conv(grad_output, *as_conv, m)
        if need_weight and ok and _finite(x):
            grad_w = _winograd_grad_weight(grad_output, x, weight.shape, geometry, m)
        if (need_input and grad_x is None) or (need_weight and grad_w is None):
            rest = conv_im2col.conv2d_backward_im2col(
                grad_output, x, weight, geometry, need_input and grad_x is None,
                need_weight and grad_w is None)
            grad_x = rest[0] if grad_x is None else grad_x
            grad_w = rest[1] if grad_w is None else grad_w
        return grad_x, grad_w
    return backward


def winograd_grad_weight(impl: str):
    """``∂L/∂w`` alone (for the transposed convolution's backward)."""
    backward = winograd_backward(impl)

    def grad_weight(grad_output, x, weight_shape, geometry: ConvGeometry):
        weight = np.empty(weight_shape, grad_output.dtype)  # only its shape is used
        return backward(grad_output, x, weight, geometry, need_input=False)[1]
    return grad_weight


def winograd_grad_input(impl: str):
    """``∂L/∂x`` alone (the transposed convolution's forward)."""
    backward = winograd_backward(impl)

    def grad_input(grad_output, weight, geometry: ConvGeometry):
        return backward(grad_output, None, weight, geometry, need_weight=False)[0]
    return grad_input

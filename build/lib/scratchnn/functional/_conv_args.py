"""Validation of convolution arguments, shared by both implementations.

``conv_geometry`` checks every argument of a 2-D convolution once and returns
the numbers both implementations need; the arithmetic itself lives in
``sizes.py``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_array, check_int, positive_pair
from .sizes import conv_output_size, effective_kernel_size, resolve_padding

IMPLS = ("im2col", "loops")


@dataclass(frozen=True)
class ConvGeometry:
    """Everything about one convolution except the numbers in the arrays.

    ``pads`` is ``((top, bottom), (left, right))``; ``in_size`` is ``(H, W)``
    before padding, ``out_size`` is ``(H_out, W_out)``.
    """
    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    pads: tuple[tuple[int, int], tuple[int, int]]
    groups: int
    in_size: tuple[int, int]
    out_size: tuple[int, int]

    @property
    def padded_size(self) -> tuple[int, int]:
        (top, bottom), (left, right) = self.pads
        return self.in_size[0] + top + bottom, self.in_size[1] + left + right


def check_impl(impl, fn: str) -> str:
    if impl not in IMPLS:
        raise ValueError(f"{fn}: impl={impl!r} must be one of {', '.join(map(repr, IMPLS))}")
    return impl


def check_same_dtype(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str, fn: str) -> None:
    if a.dtype != b.dtype:
        raise ValueError(f"{fn}: {b_name} has dtype {b.dtype} but {a_name} has dtype {a.dtype}; "
                         "they must match (no silent casting)")


def window_geometry(fn: str, in_size, kernel_size, stride, padding, dilation,
                    groups: int = 1, ceil_mode: bool = False) -> ConvGeometry:
    """Check kernel, stride, padding and dilation for an input of ``in_size`` (H, W)."""
    kernel = positive_pair(kernel_size, "kernel_size", fn)
    st = positive_pair(stride, "stride", fn)
    dil = positive_pair(dilation, "dilation", fn)
    pads = resolve_padding(padding, kernel, stride, dil, fn=fn)
    out = tuple(conv_output_size(in_size[a], kernel[a], st[a], pads[a], dil[a], ceil_mode, fn=fn)
                for a in range(2))
    return ConvGeometry(kernel, st, dil, pads, groups, tuple(in_size), out)


def conv_geometry(fn: str, x: np.ndarray, weight: np.ndarray, stride, padding, dilation,
                  groups) -> ConvGeometry:
    """Check ``x`` (N, C_in, H, W) and ``weight`` (C_out, C_in/groups, kH, kW) and the rest."""
    check_array(x, "x", fn, 4, "(N, C_in, H, W)")
    check_array(weight, "weight", fn, 4, "(C_out, C_in/groups, kH, kW)")
    check_same_dtype(x, "x", weight, "weight", fn)
    groups = check_int(groups, "groups", fn, 1)
    c_in, c_out = x.shape[1], weight.shape[0]
    if c_in % groups:
        raise ValueError(f"{fn}: groups={groups} must divide the input channels C_in={c_in}")
    if c_out % groups:
        raise ValueError(f"{fn}: groups={groups} must divide the output channels "
                         f"C_out={c_out} (weight shape {weight.shape})")
    if weight.shape[1] * groups != c_in:
        raise ValueError(
            f"{fn}: x has C_in={c_in} channels but weight expects C_in/groups*groups="
            f"{weight.shape[1]}*{groups}={weight.shape[1] * groups} "
            f"(weight shape {weight.shape}, groups={groups})")
    return window_geometry(fn, x.shape[2:], weight.shape[2:], stride, padding, dilation, groups)


def check_bias(bias, weight: np.ndarray, fn: str):
    if bias is None:
        return None
    if not isinstance(bias, np.ndarray):
        raise ValueError(f"{fn}: bias must be None or a numpy.ndarray, got {type(bias).__name__}")
    if bias.shape != (weight.shape[0],):
        raise ValueError(f"{fn}: bias has shape {bias.shape} but must be (C_out,) = "
                         f"({weight.shape[0]},) to match weight shape {weight.shape}")
    check_same_dtype(weight, "weight", bias, "bias", fn)
    return bias


def check_grad_output(grad_output, expected_shape, dtype, fn: str) -> np.ndarray:
    check_array(grad_output, "grad_output", fn, len(expected_shape))
    if grad_output.shape != tuple(expected_shape):
        raise ValueError(f"{fn}: grad_output has shape {grad_output.shape} but the forward "
                         f"output has shape {tuple(expected_shape)}")
    if grad_output.dtype != dtype:
        raise ValueError(f"{fn}: grad_output has dtype {grad_output.dtype} but x has dtype "
                         f"{dtype}; they must match (no silent casting)")
    return grad_output


def effective_kernel(g: ConvGeometry) -> tuple[int, int]:
    return (effective_kernel_size(g.kernel[0], g.dilation[0]),
            effective_kernel_size(g.kernel[1], g.dilation[1]))

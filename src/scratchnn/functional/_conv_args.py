"""Validation of convolution arguments, shared by both implementations.

``conv_geometry`` checks every argument of a 2-D convolution once and returns
the numbers both implementations need; the arithmetic itself lives in
``sizes.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._checks import check_array, check_int, positive_pair
from ._memo import checked_once
from ._memory import check_memory
from .sizes import conv_output_size, effective_kernel_size, resolve_padding

IMPLS = ("auto", "im2col", "winograd", "winograd2", "loops")


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


def check_spatial(fn: str, arr: np.ndarray, name: str, what: str) -> None:
    """The last two axes of ``arr`` (an image's H, W or a kernel's kH, kW) must not be empty."""
    if min(arr.shape[2:]) < 1:
        h, w = what.split(",")
        raise ValueError(f"{fn}: {name} has shape {arr.shape}, so {h}={arr.shape[2]} and "
                         f"{w.strip()}={arr.shape[3]}; both must be >= 1")


@checked_once(1, 2)  # x and weight count by shape and dtype
def conv_geometry(fn: str, x: np.ndarray, weight: np.ndarray, stride, padding, dilation,
                  groups, impl: str = "im2col", backward: bool = False) -> ConvGeometry:
    """Check ``x`` (N, C_in, H, W) and ``weight`` (C_out, C_in/groups, kH, kW) and the rest.

    Then the size guard: the arrays ``impl`` would allocate (for the forward,
    or with ``backward`` for both gradients) must fit under ``memory_limit()``.
    A call that passed is remembered (``_memo.checked_once``): the next call
    with the same shapes, dtypes and arguments skips the checks.
    """
    check_array(x, "x", fn, 4, "(N, C_in, H, W)")
    check_array(weight, "weight", fn, 4, "(C_out, C_in/groups, kH, kW)")
    check_spatial(fn, x, "x", "H, W")
    check_spatial(fn, weight, "weight", "kH, kW")
    check_same_dtype(x, "x", weight, "weight", fn)
    groups = check_int(groups, "groups", fn, 1)
    c_in, c_out = x.shape[1], weight.shape[0]
    check_channels(fn, x, "x", "(N, C_in, H, W)", 1, weight, "weight", "(C_out, C_in/groups, kH, kW)", 0)
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
    g = window_geometry(fn, x.shape[2:], weight.shape[2:], stride, padding, dilation, groups)
    arguments = (f"x of shape {x.shape} and weight of shape {weight.shape} with stride={stride!r}, "
                 f"padding={padding!r}, dilation={dilation!r} (output {g.out_size[0]}x"
                 f"{g.out_size[1]})")
    guard_conv_memory(fn, arguments, g, x.shape[0], c_in, c_out, x.itemsize, impl, backward)
    return g


def _phase_count(k: int, d: int, s: int) -> int:
    """How many of the ``s`` row classes (mod s) the taps ``m·d`` (m < k) fall in."""
    return len({m * d % s for m in range(min(k, s))}) if d % s else 1


def conv_scratch_bytes(g: ConvGeometry, n: int, c_in: int, c_out: int, itemsize: int, impl: str,
                       backward: bool = False, trim: bool = True) -> dict[str, int]:
    """Bytes of the arrays one convolution call allocates (estimate from the shapes).

    ``"loops"`` pads the whole input; the fast paths store the padded input as
    ``ColumnLayout`` does (only the stride phases read, after ``trim_padding``)
    plus one chunk of columns; the backward pass adds the input gradient and
    its padded image.
    """
    (h_out, w_out), kk = g.out_size, g.kernel[0] * g.kernel[1]
    arrays = {"output": n * c_out * h_out * w_out * itemsize}
    if impl == "loops":
        arrays["padded input"] = n * c_in * g.padded_size[0] * g.padded_size[1] * itemsize
    else:
        trimmed = trim_padding(g) if trim else None
        if trimmed is not None:
            if trimmed.geometry is None:
                return arrays
            g = trimmed.geometry
        (hp, wp), (sh, sw) = g.padded_size, g.stride
        hq, wq = -(-hp // sh), -(-wp // sw)
        phases = _phase_count(g.kernel[0], g.dilation[0], sh) * _phase_count(g.kernel[1], g.dilation[1], sw)
        arrays["padded input"] = n * c_in * phases * hq * wq * itemsize
        per_sample = c_in * kk * h_out * wq * itemsize
        arrays["columns"] = min(n * per_sample, max(2 << 20, per_sample))
    if backward:
        arrays["input gradient"] = n * c_in * g.in_size[0] * g.in_size[1] * itemsize
        arrays["padded input gradient"] = arrays["padded input"]
    return arrays


def guard_conv_memory(fn: str, arguments: str, g: ConvGeometry, n: int, c_in: int, c_out: int,
                      itemsize: int, impl: str, backward: bool = False, trim: bool = True) -> None:
    """``ValueError`` before allocating if the call's arrays exceed ``memory_limit()``."""
    check_memory(fn, arguments, conv_scratch_bytes(g, n, c_in, c_out, itemsize, impl, backward,
                                                   trim))


@dataclass(frozen=True)
class Trim:
    """The part of a convolution that can touch the input (``trim_padding``).

    ``taps`` are the kernel rows and columns whose windows meet ``x`` for some
    output, ``crop`` the rows and columns of ``x`` they read; ``geometry`` is
    the convolution of ``x[..., crop]`` with ``weight[..., taps]`` -- same
    output, less padding -- or None when no tap ever meets ``x`` (the output is
    the bias alone).
    """
    taps: tuple[slice, slice]
    crop: tuple[slice, slice]
    geometry: ConvGeometry | None
    out_size: tuple[int, int]


@lru_cache(maxsize=512)
def trim_padding(g: ConvGeometry) -> Trim | None:
    """Drop kernel taps that only ever read padding, and the padding only they need.

    Per axis, tap ``m`` reads padded rows ``i·s + m·d`` for ``0 <= i < H_out``;
    it can meet ``x`` (rows ``top … top + H - 1``) only if
    ``m·d <= top + H - 1`` and ``m·d + (H_out - 1)s >= top``, which holds for a
    range ``m_lo <= m <= m_hi``. Taps outside it multiply zeros: dropping them
    and shifting the frame by ``m_lo·d`` gives the same output from a padded
    input of ``(H_out - 1)s + (m_hi - m_lo)d + 1`` rows instead of ``H + 2p``
    (a dilation of 10⁵ with padding 5·10⁴ on an 8×8 image needs 8×8, not 10¹⁰
    values). Rows of ``x`` that no kept tap reads are cropped. Returns None
    when nothing can be dropped. (Exact only for finite weights and gradients:
    inf·0 = NaN in the dropped products; the caller checks.)
    """
    taps, crop, pads, empty = [], [], [], False
    for a in range(2):
        k, s, d, h_out = g.kernel[a], g.stride[a], g.dilation[a], g.out_size[a]
        (top, _), h = g.pads[a], g.in_size[a]
        m_lo = max(0, -(-(top - (h_out - 1) * s) // d))
        m_hi = min(k - 1, (top + h - 1) // d)
        if m_lo > m_hi:
            empty = True
            taps.append(slice(0, 0))
            crop.append(slice(0, 0))
            pads.append((0, 0))
            continue
        shift = m_lo * d
        first = max(0, shift - top)                              # first row of x read
        new_top = max(0, top - shift)
        span = (h_out - 1) * s + (m_hi - m_lo) * d + 1           # padded rows needed
        last = min(h, span - new_top + first)                    # one past the last row read
        if last <= first:
            empty = True
        taps.append(slice(m_lo, m_hi + 1))
        crop.append(slice(first, last))
        pads.append((new_top, span - new_top - (last - first)))
    if empty:
        return Trim(tuple(taps), tuple(crop), None, g.out_size)
    kernel = tuple(t.stop - t.start for t in taps)
    in_size = tuple(c.stop - c.start for c in crop)
    if kernel == g.kernel and in_size == g.in_size:
        return None
    return Trim(tuple(taps), tuple(crop),
                ConvGeometry(kernel, g.stride, g.dilation, tuple(pads), g.groups, in_size, g.out_size),
                g.out_size)


def check_channels(fn: str, x, x_name: str, x_layout: str, x_axis: int,
                   weight, w_name: str, w_layout: str, w_axis: int) -> None:
    """Refuse a convolution without input or output channels.

    PyTorch refuses a weight without output channels; for ``C_in = 0`` it
    returns an empty (N, 0, H_out, W_out) instead of the bias, which we do not
    copy: a convolution needs at least one channel on each side. (An empty
    batch, N = 0, is fine and gives an empty result, as in PyTorch.)
    """
    for arr, name, layout, axis in ((x, x_name, x_layout, x_axis), (weight, w_name, w_layout, w_axis)):
        if arr.shape[axis] == 0:
            label = layout.strip("()").split(", ")[axis]
            raise ValueError(f"{fn}: {name} has shape {arr.shape} {layout}, so {label}=0; a "
                             "convolution needs at least one input and one output channel")


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

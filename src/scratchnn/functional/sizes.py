"""Output-size arithmetic: the one place these formulas live.

Every layer, figure, widget and the receptive-field calculator calls these
functions; nothing else re-derives them.

Convolution and pooling (per axis), input ``i``, kernel ``k``, stride ``s``,
padding ``p`` on each side, dilation ``d``::

    o = floor((i + 2p - d(k-1) - 1) / s) + 1

Transposed convolution (the gradient of the above with respect to its input)::

    o = (i - 1)s - 2p + d(k-1) + output_padding + 1
"""
from __future__ import annotations

from .._checks import check_int

_FN = "conv_output_size"
_FN_T = "conv_transpose_output_size"


def effective_kernel_size(k: int, d: int = 1) -> int:
    """Span of a dilated kernel: ``d(k-1) + 1`` (a 3-tap kernel with d=2 spans 5)."""
    return d * (k - 1) + 1


def conv_output_size(i: int, k: int, s: int = 1, p: int = 0, d: int = 1,
                     ceil_mode: bool = False) -> int:
    """Output length of a convolution or pooling along one axis.

    ``o = floor((i + 2p - d(k-1) - 1)/s) + 1``; with ``ceil_mode`` (pooling) the
    division rounds up, but a last window that would start inside the right
    padding is dropped, as in PyTorch.

    >>> conv_output_size(5, 3)            # 5x5 input, 3x3 kernel
    3
    >>> conv_output_size(5, 3, s=2, p=1)  # padding with stride
    3
    >>> conv_output_size(7, 3, d=2)       # effective kernel 5
    3
    """
    fn = _FN
    i = check_int(i, "i (input size)", fn, 1)
    k = check_int(k, "k (kernel size)", fn, 1)
    s = check_int(s, "s (stride)", fn, 1)
    p = check_int(p, "p (padding)", fn, 0)
    d = check_int(d, "d (dilation)", fn, 1)
    ek = effective_kernel_size(k, d)
    padded = i + 2 * p
    if ek > padded:
        raise ValueError(
            f"{fn}: effective kernel {ek} (kernel {k}, dilation {d}) exceeds padded input "
            f"{padded} (input {i}, padding {p} per side)")
    span = padded - ek
    if ceil_mode:
        o = -(-span // s) + 1
        if (o - 1) * s >= i + p:  # last window would start in the right padding
            o -= 1
        return o
    return span // s + 1


def conv_transpose_output_size(i: int, k: int, s: int = 1, p: int = 0,
                               output_padding: int = 0, d: int = 1) -> int:
    """Output length of a transposed convolution along one axis.

    ``o = (i-1)s - 2p + d(k-1) + output_padding + 1``. ``output_padding`` picks
    one of the ``s`` input sizes that a strided convolution maps to the same
    output size; like PyTorch it must be smaller than the stride or the dilation.

    >>> conv_transpose_output_size(3, 3, s=2, p=1)   # 3 -> 5
    5
    >>> conv_transpose_output_size(3, 3, s=2, p=1, output_padding=1)
    6
    """
    fn = _FN_T
    i = check_int(i, "i (input size)", fn, 1)
    k = check_int(k, "k (kernel size)", fn, 1)
    s = check_int(s, "s (stride)", fn, 1)
    p = check_int(p, "p (padding)", fn, 0)
    d = check_int(d, "d (dilation)", fn, 1)
    op = check_int(output_padding, "output_padding", fn, 0)
    if op >= max(s, d):
        raise ValueError(
            f"{fn}: output_padding={op} must be smaller than the stride ({s}) or the dilation ({d})")
    o = (i - 1) * s - 2 * p + effective_kernel_size(k, d) + op
    if o < 1:
        raise ValueError(
            f"{fn}: padding p={p} removes the whole output (size {o} for input {i}, kernel {k}, "
            f"stride {s}, dilation {d})")
    return o

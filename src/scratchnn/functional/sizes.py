"""Output-size arithmetic: the one place these formulas live.

Every layer, figure, widget and the receptive-field calculator calls these
functions; nothing else re-derives them.

Convolution and pooling (per axis), input ``i``, kernel ``k``, stride ``s``,
padding ``p`` on each side, dilation ``d``::

    o = floor((i + 2p - d(k-1) - 1) / s) + 1

Transposed convolution (the gradient of the above with respect to its input)::

    o = (i - 1)s - 2p + d(k-1) + output_padding + 1

Named paddings (per axis, ``(before, after)``): ``"valid"`` is none,
``"full"`` is ``d(k-1)`` on each side (every partial overlap counts), and
``"same"`` (stride 1 only) pads ``d(k-1)`` in total, ``before = total // 2``,
``after = total - before`` -- asymmetric for an even effective kernel, as in
PyTorch.
"""
from __future__ import annotations

from .._checks import check_bool, check_int, nonneg_pair, positive_pair

_FN = "conv_output_size"
_FN_T = "conv_transpose_output_size"


def effective_kernel_size(k: int, d: int = 1) -> int:
    """Span of a dilated kernel: ``d(k-1) + 1`` (a 3-tap kernel with d=2 spans 5)."""
    return d * (k - 1) + 1


def conv_output_size(i: int, k: int, s: int = 1, p=0, d: int = 1,
                     ceil_mode: bool = False, *, fn: str = _FN) -> int:
    """Output length of a convolution or pooling along one axis.

    ``o = floor((i + 2p - d(k-1) - 1)/s) + 1``; with ``ceil_mode`` (pooling) the
    division rounds up, but a last window that would start inside the right
    padding is dropped, as in PyTorch. ``p`` is the padding on each side, or a
    pair ``(before, after)`` for asymmetric ("same") padding. ``fn`` names the
    calling function in error messages.

    >>> conv_output_size(5, 3)            # 5x5 input, 3x3 kernel
    3
    >>> conv_output_size(5, 3, s=2, p=1)  # padding with stride
    3
    >>> conv_output_size(7, 3, d=2)       # effective kernel 5
    3
    >>> conv_output_size(6, 4, p=(1, 2))  # "same" padding for k=4
    6
    """
    i = check_int(i, "i (input size)", fn, 1)
    k = check_int(k, "k (kernel size)", fn, 1)
    s = check_int(s, "s (stride)", fn, 1)
    if isinstance(p, (tuple, list)):
        before, after = nonneg_pair(p, "p (padding)", fn)
        where = f"padding {(before, after)} before/after"
    else:
        before = after = check_int(p, "p (padding)", fn, 0)
        where = f"padding {before} per side"
    d = check_int(d, "d (dilation)", fn, 1)
    ceil_mode = check_bool(ceil_mode, "ceil_mode", fn)
    ek = effective_kernel_size(k, d)
    padded = i + before + after
    if ek > padded:
        raise ValueError(
            f"{fn}: effective kernel {ek} (kernel {k}, dilation {d}) exceeds padded input "
            f"{padded} (input {i}, {where})")
    span = padded - ek
    if ceil_mode:
        o = -(-span // s) + 1
        if (o - 1) * s >= i + before:  # last window would start in the right padding
            o -= 1
        return o
    return span // s + 1


def conv_transpose_output_size(i: int, k: int, s: int = 1, p: int = 0,
                               output_padding: int = 0, d: int = 1, *, fn: str = _FN_T) -> int:
    """Output length of a transposed convolution along one axis.

    ``o = (i-1)s - 2p + d(k-1) + output_padding + 1``. ``output_padding`` picks
    one of the ``s`` input sizes that a strided convolution maps to the same
    output size; like PyTorch it must be smaller than the stride or the dilation.
    ``fn`` names the calling function in error messages.

    >>> conv_transpose_output_size(3, 3, s=2, p=1)   # 3 -> 5
    5
    >>> conv_transpose_output_size(3, 3, s=2, p=1, output_padding=1)
    6
    """
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


PADDING_MODES = ("valid", "same", "full")


def same_padding(k: int, d: int = 1) -> tuple[int, int]:
    """``(before, after)`` padding that keeps the length at stride 1.

    Total ``d(k-1)``, ``before = total // 2``: asymmetric for an even effective
    kernel, exactly as PyTorch's ``padding="same"``.

    >>> same_padding(3), same_padding(4), same_padding(3, d=2)
    ((1, 1), (1, 2), (2, 2))
    """
    total = d * (k - 1)
    return total // 2, total - total // 2


def full_padding(k: int, d: int = 1) -> tuple[int, int]:
    """``(before, after)`` padding so that every partial overlap counts: ``d(k-1)`` each side.

    >>> full_padding(3)
    (2, 2)
    """
    return d * (k - 1), d * (k - 1)


def resolve_padding(padding, kernel_size, stride=1, dilation=1, *, fn: str = "conv2d"
                    ) -> tuple[tuple[int, int], tuple[int, int]]:
    """Per-axis ``((top, bottom), (left, right))`` padding from any accepted form.

    ``padding`` is an int, a pair ``(pH, pW)`` (same on both sides), ``"valid"``,
    ``"same"`` (stride 1 only, like PyTorch) or ``"full"``.

    >>> resolve_padding("same", (4, 3))
    ((1, 2), (1, 1))
    >>> resolve_padding((2, 0), 3)
    ((2, 2), (0, 0))
    """
    kernel = positive_pair(kernel_size, "kernel_size", fn)
    dil = positive_pair(dilation, "dilation", fn)
    if isinstance(padding, str):
        if padding not in PADDING_MODES:
            raise ValueError(f"{fn}: padding={padding!r} must be an int, a pair of ints, "
                             f"or one of {', '.join(repr(m) for m in PADDING_MODES)}")
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding == "same":
            st = positive_pair(stride, "stride", fn)
            if st != (1, 1):
                raise ValueError(f"{fn}: padding='same' needs stride 1, got stride={stride!r} "
                                 "(with a larger stride no padding keeps the size)")
            rule = same_padding
        else:
            rule = full_padding
        return rule(kernel[0], dil[0]), rule(kernel[1], dil[1])
    ph, pw = nonneg_pair(padding, "padding", fn)
    return (ph, ph), (pw, pw)

"""2-D convolution, its backward pass and the transposed convolution.

The public functions check their arguments and pick an implementation:
``impl="loops"`` (``conv_loops.py``, reads like the equations),
``impl="im2col"`` (``conv_im2col.py``), ``impl="winograd"``/``"winograd2"``
(``conv_winograd.py``, 3×3 stride-1 kernels, else im2col) or ``impl="auto"``
(the default: the faster of Winograd and im2col, ``conv_auto.py``). All give
the same numbers; the tests hold them to it and to PyTorch.
"""
from __future__ import annotations

import numpy as np

from .._checks import check_array, check_int, nonneg_pair, positive_pair
from . import conv_auto, conv_im2col, conv_loops
from ._conv_args import (ConvGeometry, Trim, check_bias, check_channels, check_grad_output,
                         check_impl, check_same_dtype, check_spatial, conv_geometry,
                         guard_conv_memory, trim_padding)
from .sizes import conv_transpose_output_size

_FORWARD = {"loops": conv_loops.conv2d_loops, "im2col": conv_im2col.conv2d_im2col}
_GRAD_INPUT = {"loops": conv_loops.conv2d_grad_input_loops,
               "im2col": conv_im2col.conv2d_grad_input_im2col}
_GRAD_WEIGHT = {"loops": conv_loops.conv2d_grad_weight_loops,
                "im2col": conv_im2col.conv2d_grad_weight_im2col}
_BACKWARD = {"im2col": conv_im2col.conv2d_backward_im2col}  # (∂L/∂x, ∂L/∂w) in one pass
_GRAD_BIAS = {"loops": conv_loops.conv2d_grad_bias_loops,
              "im2col": conv_im2col.conv2d_grad_bias_im2col}
for _impl in conv_auto.TILE:
    _FORWARD[_impl] = conv_auto.winograd_forward(_impl)
    _GRAD_INPUT[_impl] = conv_auto.winograd_grad_input(_impl)
    _GRAD_WEIGHT[_impl] = conv_auto.winograd_grad_weight(_impl)
    _BACKWARD[_impl] = conv_auto.winograd_backward(_impl)
    _GRAD_BIAS[_impl] = conv_im2col.conv2d_grad_bias_im2col


def _pick(impl: str, fn: str, geometry: ConvGeometry, weight_shape) -> str:
    """Resolve ``"auto"``; refuse Winograd asked for where it cannot apply."""
    if impl in conv_auto.TILE and not conv_auto.applies(geometry):
        raise ValueError(
            f"{fn}: impl={impl!r} needs a 3x3 kernel with stride 1, got kernel "
            f"{geometry.kernel}, stride {geometry.stride} "
            "(impl='auto' uses Winograd only where it applies)")
    return conv_auto.choose(impl, geometry, weight_shape)


def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride=1,
           padding=0, dilation=1, groups: int = 1, impl: str = "im2col") -> np.ndarray:
    """2-D convolution (cross-correlation, as in every deep-learning library).

    Shapes: ``x`` (N, C_in, H, W), ``weight`` (C_out, C_in/groups, kH, kW),
    ``bias`` (C_out,) or None -> ``y`` (N, C_out, H_out, W_out) with
    ``H_out = floor((H + 2p - d(kH-1) - 1)/s) + 1`` (``conv_output_size``).
    On the padded input, for output channel ``f`` and its group's channels ``c``::

        y[n, f, i, j] = b[f] + Σ_c Σ_m Σ_u x[n, c, i·s + m·d, j·s + u·d] · w[f, c, m, u]

    ``stride`` and ``dilation``: an int or a pair. ``padding``: an int, a pair,
    ``"valid"`` (none), ``"same"`` (stride 1 only; total ``d(k-1)``, the extra
    one at the bottom/right for an even kernel, as in PyTorch) or ``"full"``
    (``d(k-1)`` per side). ``groups`` splits the channels into independent
    convolutions (``groups = C_in`` is depthwise). ``impl``: ``"im2col"`` (fast),
    ``"winograd"`` (F(4×4, 3×3)) or ``"winograd2"`` (F(2×2, 3×3)) for 3×3
    kernels at stride 1, ``"auto"`` (the faster of the two,
    what the layers use)
    or ``"loops"`` (reference). The output has ``x``'s dtype.

    >>> x = np.arange(16.).reshape(1, 1, 4, 4)
    >>> conv2d(x, np.ones((1, 1, 2, 2)), stride=2)[0, 0]
    array([[10., 18.],
           [42., 50.]])
    >>> conv2d(x, np.ones((2, 1, 3, 3)), padding="same").shape
    (1, 2, 4, 4)
    """
    fn = "conv2d"
    impl = check_impl(impl, fn)
    geometry = conv_geometry(fn, x, weight, stride, padding, dilation, groups, impl)
    bias = check_bias(bias, weight, fn)
    impl = _pick(impl, fn, geometry, weight.shape)
    if impl != "loops" and (trim := trim_padding(geometry)) is not None:
        return _trimmed_forward(impl, x, weight, bias, trim)
    return _FORWARD[impl](x, weight, bias, geometry)


def _dead_taps(weight_shape, trim: Trim) -> np.ndarray:
    """(kH, kW) mask of the kernel taps ``trim`` dropped."""
    dead = np.ones(weight_shape[2:], bool)
    dead[trim.taps] = False
    return dead


def _trimmed_forward(impl, x, weight, bias, trim: Trim) -> np.ndarray:
    """``conv2d`` without the taps and padding that only ever meet padding (``trim_padding``).

    A dropped tap adds ``w · 0`` to every output of its channel: nothing, unless
    ``w`` is inf or NaN -- then that whole channel is NaN, as when the zeros are
    multiplied (PyTorch's float64 path does).
    """
    if trim.geometry is None:
        y = np.zeros((x.shape[0], weight.shape[0]) + trim.out_size, x.dtype)
        if bias is not None:
            y += bias[:, None, None]
    else:
        y = _FORWARD[impl](x[(...,) + trim.crop], weight[(...,) + trim.taps], bias, trim.geometry)
    dead = weight[:, :, _dead_taps(weight.shape, trim)]
    y[:, ~np.isfinite(dead).all(axis=(1, 2))] = np.nan
    return y


def _trimmed_backward(impl, grad_output, x, weight, trim: Trim):
    """``(∂L/∂x, ∂L/∂w)`` of ``_trimmed_forward``: zero where no kept tap reaches.

    A dropped tap's weight gradient is Σ g · 0: zero, or NaN in the channels
    whose ``grad_output`` is not finite.
    """
    grad_x, grad_w = np.zeros(x.shape, x.dtype), np.zeros(weight.shape, x.dtype)
    if trim.geometry is not None:
        gx, gw = _BACKWARD[impl](grad_output, x[(...,) + trim.crop], weight[(...,) + trim.taps],
                                 trim.geometry)
        grad_x[(...,) + trim.crop] = gx
        grad_w[(...,) + trim.taps] = gw
    bad = ~np.isfinite(grad_output).all(axis=(0, 2, 3))
    grad_w[bad] += np.where(_dead_taps(weight.shape, trim), np.nan, 0).astype(x.dtype)
    return grad_x, grad_w


def conv2d_backward(grad_output: np.ndarray, x: np.ndarray, weight: np.ndarray, stride=1,
                    padding=0, dilation=1, groups: int = 1, impl: str = "im2col"
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``conv2d`` -> ``(grad_input, grad_weight, grad_bias)``.

    Shapes: ``grad_output`` (N, C_out, H_out, W_out) is ∂L/∂y; the arguments
    after it are the forward's. Returns ∂L/∂x (N, C_in, H, W), ∂L/∂w
    (C_out, C_in/groups, kH, kW) and ∂L/∂b (C_out,)::

        ∂L/∂w[f, c, m, u] = Σ_n Σ_i Σ_j g[n, f, i, j] · x[n, c, i·s + m·d, j·s + u·d]
        ∂L/∂x[n, c, i·s + m·d, j·s + u·d] += g[n, f, i, j] · w[f, c, m, u]
        ∂L/∂b[f] = Σ_n Σ_i Σ_j g[n, f, i, j]

    >>> x, w = np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))
    >>> gx, gw, gb = conv2d_backward(np.ones((1, 1, 2, 2)), x, w)
    >>> gx[0, 0], gw[0, 0], gb
    (array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]]), array([[4., 4.],
           [4., 4.]]), array([4.]))
    """
    fn = "conv2d_backward"
    impl = check_impl(impl, fn)
    geometry = conv_geometry(fn, x, weight, stride, padding, dilation, groups, impl, backward=True)
    check_grad_output(grad_output, (x.shape[0], weight.shape[0]) + geometry.out_size, x.dtype, fn)
    impl = _pick(impl, fn, geometry, weight.shape)
    if impl != "loops":  # one pass over the batch computes both gradients
        trim = trim_padding(geometry)
        if trim is not None:
            grad_input, grad_weight = _trimmed_backward(impl, grad_output, x, weight, trim)
        else:
            grad_input, grad_weight = _BACKWARD[impl](grad_output, x, weight, geometry)
        return grad_input, grad_weight, conv_im2col.conv2d_grad_bias_im2col(grad_output)
    return (_GRAD_INPUT[impl](grad_output, weight, geometry),
            _GRAD_WEIGHT[impl](grad_output, x, weight.shape, geometry),
            _GRAD_BIAS[impl](grad_output))


def _transpose_geometry(fn, x, weight, stride, padding, output_padding, groups, dilation,
                        impl) -> ConvGeometry:
    """The convolution whose input gradient this transposed convolution is (size-guarded)."""
    check_array(x, "x", fn, 4, "(N, C_in, H, W)")
    check_array(weight, "weight", fn, 4, "(C_in, C_out/groups, kH, kW)")
    check_spatial(fn, x, "x", "H, W")
    check_spatial(fn, weight, "weight", "kH, kW")
    arguments = (f"x of shape {x.shape} and weight of shape {weight.shape} with stride={stride!r}, "
                 f"padding={padding!r}, output_padding={output_padding!r}, dilation={dilation!r}")
    check_same_dtype(x, "x", weight, "weight", fn)
    groups = check_int(groups, "groups", fn, 1)
    check_channels(fn, x, "x", "(N, C_in, H, W)", 1, weight, "weight", "(C_in, C_out/groups, kH, kW)", 1)
    c_in = x.shape[1]
    if c_in % groups:
        raise ValueError(f"{fn}: groups={groups} must divide the input channels C_in={c_in}")
    if weight.shape[0] != c_in:
        raise ValueError(f"{fn}: x has C_in={c_in} channels but weight (C_in, C_out/groups, kH, kW) "
                         f"has shape {weight.shape}, so it expects C_in={weight.shape[0]}")
    stride = positive_pair(stride, "stride", fn)
    dilation = positive_pair(dilation, "dilation", fn)
    if isinstance(padding, str):
        raise ValueError(f"{fn}: padding={padding!r} must be an int or a pair of ints "
                         "(named paddings exist only for conv2d)")
    pad = nonneg_pair(padding, "padding", fn)
    out_pad = nonneg_pair(output_padding, "output_padding", fn)
    kernel = weight.shape[2:]
    out = tuple(conv_transpose_output_size(x.shape[2 + a], kernel[a], stride[a], pad[a],
                                           out_pad[a], dilation[a], fn=fn) for a in range(2))
    g = ConvGeometry(kernel, stride, dilation, ((pad[0], pad[0]), (pad[1], pad[1])), groups,
                     out, tuple(x.shape[2:]))
    guard_conv_memory(fn, f"{arguments} (output {out[0]}x{out[1]})", g, x.shape[0], weight.shape[1] * groups, c_in, x.itemsize,
                      impl, backward=True, trim=False)
    return g


def conv_transpose2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1,
                     impl: str = "im2col") -> np.ndarray:
    """Transposed convolution, PyTorch's semantics and weight layout.

    Shapes: ``x`` (N, C_in, H, W), ``weight`` (C_in, C_out/groups, kH, kW),
    ``bias`` (C_out,) -> (N, C_out, H_out, W_out) with
    ``H_out = (H-1)s - 2p + d(kH-1) + output_padding + 1``
    (``conv_transpose_output_size``). It is the gradient of
    ``conv2d(·, weight, stride, padding, dilation, groups)`` with respect to its
    input, applied to ``x``: every input pixel stamps ``x[n, c, i, j] · w[c]``
    onto the output at ``(i·s - p + m·d, j·s - p + u·d)``. ``impl`` as in
    ``conv2d``.

    >>> conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), stride=2)[0, 0]
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]])
    """
    fn = "conv_transpose2d"
    impl = check_impl(impl, fn)
    geometry = _transpose_geometry(fn, x, weight, stride, padding, output_padding, groups, dilation,
                                   impl)
    c_out = weight.shape[1] * geometry.groups
    impl = _pick(impl, fn, geometry, weight.shape)  # (C_in, C_out/groups): the conv's layout
    if bias is not None:
        if not isinstance(bias, np.ndarray) or bias.shape != (c_out,):
            shape = bias.shape if isinstance(bias, np.ndarray) else type(bias).__name__
            raise ValueError(f"{fn}: bias has shape {shape} but must be (C_out,) = ({c_out},) "
                             f"for weight shape {weight.shape} and groups={geometry.groups}")
        check_same_dtype(x, "x", bias, "bias", fn)
    y = _GRAD_INPUT[impl](x, weight, geometry)
    if bias is not None:
        y += bias[:, None, None]
    return y


def conv_transpose2d_backward(grad_output: np.ndarray, x: np.ndarray, weight: np.ndarray, stride=1,
                              padding=0, output_padding=0, groups: int = 1, dilation=1,
                              impl: str = "im2col") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``conv_transpose2d`` -> ``(grad_input, grad_weight, grad_bias)``.

    The transposed convolution is conv2d's input gradient, so its own gradients
    are conv2d pieces with the roles swapped: ∂L/∂x = ``conv2d(grad_output,
    weight)``, ∂L/∂w = conv2d's weight gradient with ``grad_output`` as the
    input and ``x`` as the output gradient, ∂L/∂b = Σ grad_output.
    Shapes as in ``conv_transpose2d``; ``grad_output`` is (N, C_out, H_out, W_out).
    """
    fn = "conv_transpose2d_backward"
    impl = check_impl(impl, fn)
    geometry = _transpose_geometry(fn, x, weight, stride, padding, output_padding, groups, dilation,
                                   impl)
    expected = (x.shape[0], weight.shape[1] * geometry.groups) + geometry.in_size
    check_grad_output(grad_output, expected, x.dtype, fn)
    impl = _pick(impl, fn, geometry, weight.shape)
    return (_FORWARD[impl](grad_output, weight, None, geometry),
            _GRAD_WEIGHT[impl](x, grad_output, weight.shape, geometry),
            _GRAD_BIAS[impl](grad_output))

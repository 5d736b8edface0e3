"""``Conv2D``: a 2-D convolution layer on top of ``scratchnn.functional.conv2d``."""
from __future__ import annotations

import numpy as np

from .. import functional as F
from .._checks import check_bool, check_int, positive_pair
from ..functional._conv_args import check_impl
from ..functional.sizes import conv_output_size, resolve_padding
from .base import Layer, make_rng, uniform_init
from .linear import _check_dtype


class Conv2D(Layer):
    """2-D convolution (cross-correlation) with learnable kernels, as ``torch.nn.Conv2d``.

    Shapes: ``x`` ``(N, C_in, H, W)``, ``weight`` ``(C_out, C_in/groups, kH, kW)``,
    ``bias`` ``(C_out,)``, ``y`` ``(N, C_out, H_out, W_out)`` with
    ``H_out = floor((H + 2p - d(kH-1) - 1)/s) + 1`` (``conv_output_size``)::

        y[n, o, i, j] = b[o] + sum_{c, u, v} weight[o, c, u, v] * x_pad[n, c, s*i + d*u, s*j + d*v]

    (``c`` runs over the input channels of ``o``'s group). ``forward`` calls
    ``functional.conv2d``; ``backward`` calls ``functional.conv2d_backward``, which
    returns ``dL/dx`` and fills ``grads["weight"]`` and ``grads["bias"]``.

    ``padding``: int, pair, ``"valid"``, ``"same"`` (stride 1) or ``"full"``.
    ``impl``: ``"auto"`` (Winograd for wide 3×3 stride-1 layers, else im2col),
    or any implementation ``functional.conv2d`` takes.
    Initialisation as torch: weight and bias ``~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))``,
    ``fan_in = C_in/groups * kH * kW``; ``rng`` is a seed or a NumPy Generator.

    >>> Conv2D(3, 16, 3, padding=1)
    Conv2D(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, groups: int = 1, bias: bool = True, rng=None, dtype=np.float64,
                 impl: str = "auto") -> None:
        super().__init__()
        fn = "Conv2D"
        self.in_channels = check_int(in_channels, "in_channels", fn, 1)
        self.out_channels = check_int(out_channels, "out_channels", fn, 1)
        self.groups = check_int(groups, "groups", fn, 1)
        for name, c in (("in_channels", self.in_channels), ("out_channels", self.out_channels)):
            if c % self.groups:
                raise ValueError(f"{fn}: groups={groups} must divide {name}={c}")
        self.kernel_size = positive_pair(kernel_size, "kernel_size", fn)
        self.stride = positive_pair(stride, "stride", fn)
        self.dilation = positive_pair(dilation, "dilation", fn)
        # Validates every form; ((top, bottom), (left, right)) is what the size arithmetic needs.
        self.pads = resolve_padding(padding, self.kernel_size, self.stride, self.dilation, fn=fn)
        self.padding = padding if isinstance(padding, str) else (self.pads[0][0], self.pads[1][0])
        self.impl = check_impl(impl, fn)
        dtype = _check_dtype(dtype, fn)
        rng = make_rng(rng, fn)
        fan_in = self.in_channels // self.groups * self.kernel_size[0] * self.kernel_size[1]
        shape = (self.out_channels, self.in_channels // self.groups) + self.kernel_size
        self._add_param("weight", uniform_init(rng, shape, fan_in, dtype))
        if check_bool(bias, "bias", fn):
            self._add_param("bias", uniform_init(rng, (self.out_channels,), fan_in, dtype))

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self._check_input(x, 4, "(N, C_in, H, W)")
        if x.shape[1] != self.in_channels:
            raise ValueError(f"Conv2D.forward: x has {x.shape[1]} channels (shape {x.shape}) but the "
                             f"layer was built with in_channels={self.in_channels}")
        self._check_dtype_matches(x)
        y = F.conv2d(x, self.params["weight"], self.params.get("bias"), self.stride, self.padding,
                     self.dilation, self.groups, impl=self.impl)
        self.cache = (x, y.shape)
        return y

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        x, out_shape = self.cache if self.cache is not None else (None, None)
        self._check_grad_output(grad_output, out_shape)
        grad_x, grad_w, grad_b = F.conv2d_backward(grad_output, x, self.params["weight"], self.stride,
                                                   self.padding, self.dilation, self.groups,
                                                   impl=self.impl)
        self.grads["weight"][...] = grad_w
        if "bias" in self.params:
            self.grads["bias"][...] = grad_b
        return grad_x

    def output_shape(self, input_shape):
        n, c, h, w = _spatial_shape(input_shape, "Conv2D.output_shape")
        if c != self.in_channels:
            raise ValueError(f"Conv2D.output_shape: input_shape={tuple(input_shape)} has {c} channels "
                             f"but in_channels={self.in_channels}")
        size = tuple(conv_output_size(i, k, s, p, d, fn="Conv2D")
                     for i, k, s, p, d in zip((h, w), self.kernel_size, self.stride, self.pads,
                                              self.dilation))
        return (n, self.out_channels) + size

    def extra_repr(self) -> str:
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if "bias" not in self.params:
            s += ", bias=False"
        return s

    def _check_dtype_matches(self, x: np.ndarray) -> None:
        w = self.params["weight"]
        if x.dtype != w.dtype:
            raise ValueError(f"Conv2D.forward: x has dtype {x.dtype} but the layer's weight is "
                             f"{w.dtype}; build the layer with dtype={x.dtype} or cast x")


def _spatial_shape(input_shape, fn: str) -> tuple[int, int, int, int]:
    shape = tuple(input_shape)
    if len(shape) != 4:
        raise ValueError(f"{fn}: input_shape={shape} must be (N, C, H, W)")
    return shape

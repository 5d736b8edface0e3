"""Pooling layers: ``MaxPool2D``, ``AvgPool2D``, ``GlobalAvgPool2D`` (no parameters)."""
from __future__ import annotations

import numpy as np

from .. import functional as F
from .._checks import check_bool, nonneg_pair, positive_pair
from ..functional.sizes import conv_output_size
from .base import Layer
from .conv import _spatial_shape


class _Pool2D(Layer):
    """Shared bookkeeping: window arguments, output shape, cache of ``x``."""

    def __init__(self, kernel_size, stride, padding, dilation, ceil_mode) -> None:
        super().__init__()
        fn = type(self).__name__
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride   # torch: stride defaults to the kernel
        self.padding = padding
        self.dilation = dilation
        self.ceil_mode = check_bool(ceil_mode, "ceil_mode", fn)
        self._k = positive_pair(kernel_size, "kernel_size", fn)
        self._s = positive_pair(self.stride, "stride", fn)
        self._p = nonneg_pair(padding, "padding", fn)
        self._d = positive_pair(dilation, "dilation", fn)
        for a in range(2):
            if 2 * self._p[a] > self._k[a]:   # torch's rule: a window must not lie in the padding only
                raise ValueError(f"{fn}: padding={padding!r} must be at most half of "
                                 f"kernel_size={kernel_size!r}")

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self._check_input(x, 4, "(N, C, H, W)")
        y = self._forward(x)
        self.cache = (x, y.shape)
        return y

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        x, out_shape = self.cache if self.cache is not None else (None, None)
        self._check_grad_output(grad_output, out_shape)
        return self._backward(grad_output, x)

    def output_shape(self, input_shape):
        n, c, h, w = _spatial_shape(input_shape, f"{type(self).__name__}.output_shape")
        size = tuple(conv_output_size(i, k, s, p, d, self.ceil_mode, fn=type(self).__name__)
                     for i, k, s, p, d in zip((h, w), self._k, self._s, self._p, self._d))
        return (n, c) + size


class MaxPool2D(_Pool2D):
    """Maximum over each window, as ``torch.nn.MaxPool2d``: ``y[n,c,i,j] = max_{u,v} x_pad[n,c,s*i+d*u, s*j+d*v]``.

    Padding counts as ``-inf``. Backward routes ``dL/dy`` to the position of each
    window's maximum (``functional.max_pool2d_backward``); other entries get 0.
    Shapes ``(N, C, H, W)`` → ``(N, C, H_out, W_out)``, sizes as for a convolution.
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False) -> None:
        super().__init__(kernel_size, stride, padding, dilation, ceil_mode)

    def _forward(self, x):
        return F.max_pool2d(x, self._k, self._s, self._p, self._d, self.ceil_mode)

    def _backward(self, grad_output, x):
        return F.max_pool2d_backward(grad_output, x, self._k, self._s, self._p, self._d, self.ceil_mode)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool2D(_Pool2D):
    """Mean over each window, as ``torch.nn.AvgPool2d``: ``y[n,c,i,j] = (1/|window|) sum x_pad[...]``.

    With ``count_include_pad=True`` (torch's default) padded zeros count in the
    divisor ``kH*kW``. Backward spreads ``dL/dy / |window|`` evenly over each window.
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True) -> None:
        super().__init__(kernel_size, stride, padding, 1, ceil_mode)
        self.count_include_pad = check_bool(count_include_pad, "count_include_pad", "AvgPool2D")

    def _forward(self, x):
        return F.avg_pool2d(x, self._k, self._s, self._p, self.ceil_mode, self.count_include_pad)

    def _backward(self, grad_output, x):
        return F.avg_pool2d_backward(grad_output, x, self._k, self._s, self._p, self.ceil_mode,
                                     self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class GlobalAvgPool2D(Layer):
    """Mean over all positions of each channel: ``(N, C, H, W)`` → ``(N, C)``.

    ``y[n, c] = (1/(H W)) sum_{i,j} x[n, c, i, j]``; backward gives every position
    ``dL/dy[n, c] / (H W)``. The output is flat, so a ``Linear`` can follow directly;
    in torch this is ``nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self._check_input(x, 4, "(N, C, H, W)")
        y = F.global_avg_pool2d(x).reshape(x.shape[:2])
        self.cache = x
        return y

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        x = self.cache
        self._check_grad_output(grad_output, None if x is None else x.shape[:2])
        # functional's global pool keeps the unit axes (N, C, 1, 1); this layer drops them.
        return F.global_avg_pool2d_backward(grad_output[:, :, None, None], x)

    def output_shape(self, input_shape):
        n, c, _, _ = _spatial_shape(input_shape, "GlobalAvgPool2D.output_shape")
        return (n, c)

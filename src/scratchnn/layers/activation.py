"""Element-wise layers: ``ReLU`` and (inverted) ``Dropout``."""
from __future__ import annotations

import numbers

import numpy as np

from .._checks import dtype_problem
from .base import Layer, make_rng


class ReLU(Layer):
    """``y = max(x, 0)``; backward ``dL/dx = dL/dy * [not x <= 0]`` (0 at x = 0), as in torch.

    NaN is not ``<= 0``, so like ``torch.relu`` a NaN passes through unchanged
    and lets its gradient through (``np.maximum(x, 0)`` would too; the mask
    written as ``x > 0`` would block it). Any shape in, same shape out.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = _check_float_array(x, f"{type(self).__name__}.forward")
        self.cache = ~(x <= 0)
        return np.where(self.cache, x, 0).astype(x.dtype, copy=False)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        mask = self.cache
        self._check_grad_output(grad_output, () if mask is None else mask.shape)
        return grad_output * mask

    def output_shape(self, input_shape):
        return tuple(input_shape)


class Dropout(Layer):
    """Inverted dropout: in training ``y = x * m / (1 - p)`` with ``m ~ Bernoulli(1 - p)`` per entry.

    Scaling by ``1/(1-p)`` during training keeps ``E[y] = x``, so evaluation is
    the identity (``eval()``). Backward: ``dL/dx = dL/dy * m / (1 - p)``. ``p = 1``
    drops everything (output 0). ``rng`` (seed or Generator) makes masks repeatable.
    """

    def __init__(self, p: float = 0.5, rng=None) -> None:
        super().__init__()
        if not isinstance(p, numbers.Real) or isinstance(p, bool) or not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p={p!r} must be a probability between 0 and 1")
        self.p = float(p)
        self.rng = make_rng(rng, "Dropout")

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = _check_float_array(x, "Dropout.forward")
        if not self.training or self.p == 0.0:
            scale = np.ones_like(x)
        elif self.p == 1.0:
            scale = np.zeros_like(x)
        else:
            keep = self.rng.random(x.shape) >= self.p
            scale = keep.astype(x.dtype) / (1.0 - self.p)
        self.cache = scale
        return x * scale

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        scale = self.cache
        self._check_grad_output(grad_output, () if scale is None else scale.shape)
        return grad_output * scale

    def output_shape(self, input_shape):
        return tuple(input_shape)

    def extra_repr(self) -> str:
        return f"p={self.p}"


def _check_float_array(x, fn: str) -> np.ndarray:
    if not isinstance(x, np.ndarray):
        raise ValueError(f"{fn}: x must be a numpy.ndarray, got {type(x).__name__}")
    problem = dtype_problem(x.dtype, "x")
    if problem:
        raise ValueError(f"{fn}: {problem}")
    return x

"""``Linear`` (fully connected) and ``Flatten``."""
from __future__ import annotations

import numpy as np

from .._checks import check_bool, check_dtype_argument, check_int
from .activation import _check_float_array
from .base import Layer, make_rng, uniform_init


class Linear(Layer):
    """Fully connected layer ``y = x W^T + b``, as ``torch.nn.Linear``.

    Shapes: ``x`` ``(N, in_features)`` (or ``(..., in_features)``), ``weight``
    ``(out_features, in_features)``, ``bias`` ``(out_features,)``, ``y``
    ``(N, out_features)``. Backward, with ``g = dL/dy``::

        dL/dx = g W        dL/dW = g^T x        dL/db = sum over rows of g

    Initialisation as torch: weight and bias ``~ U(-1/sqrt(in_features), 1/sqrt(in_features))``.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, rng=None,
                 dtype=np.float64) -> None:
        super().__init__()
        self.in_features = check_int(in_features, "in_features", "Linear", 1)
        self.out_features = check_int(out_features, "out_features", "Linear", 1)
        rng = make_rng(rng, "Linear")
        dtype = _check_dtype(dtype, "Linear")
        self._add_param("weight", uniform_init(rng, (self.out_features, self.in_features),
                                               self.in_features, dtype))
        if check_bool(bias, "bias", "Linear"):
            self._add_param("bias", uniform_init(rng, (self.out_features,), self.in_features, dtype))

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = _check_float_array(x, "Linear.forward")
        if x.ndim < 1 or x.shape[-1] != self.in_features:
            raise ValueError(f"Linear.forward: x has shape {x.shape}, its last dimension must equal "
                             f"in_features={self.in_features}")
        if x.dtype != self.params["weight"].dtype:
            raise ValueError(f"Linear.forward: x has dtype {x.dtype} but the layer's weight is "
                             f"{self.params['weight'].dtype}; build the layer with dtype={x.dtype} or cast x")
        self.cache = x
        y = x @ self.params["weight"].T
        if "bias" in self.params:
            y = y + self.params["bias"]
        return y

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        x = self.cache
        out_shape = None if x is None else x.shape[:-1] + (self.out_features,)
        g = self._check_grad_output(grad_output, out_shape)
        g2 = g.reshape(-1, self.out_features)
        self.grads["weight"][...] = g2.T @ x.reshape(-1, self.in_features)
        if "bias" in self.params:
            self.grads["bias"][...] = g2.sum(axis=0)
        return g @ self.params["weight"]

    def output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) < 1 or input_shape[-1] != self.in_features:
            raise ValueError(f"Linear.output_shape: input_shape={input_shape}, its last dimension must "
                             f"equal in_features={self.in_features}")
        return input_shape[:-1] + (self.out_features,)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={'bias' in self.params}")


class Flatten(Layer):
    """``(N, C, H, W)`` (any ``(N, ...)``) → ``(N, C*H*W)``, row-major like ``torch.nn.Flatten()``.

    Backward reshapes ``dL/dy`` back to the input shape.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = _check_float_array(x, "Flatten.forward")
        if x.ndim < 2:
            raise ValueError(f"Flatten.forward: x must have a batch dimension and at least one more, "
                             f"got shape {x.shape}")
        self.cache = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        shape = self.cache
        expected = None if shape is None else (shape[0], int(np.prod(shape[1:])))
        self._check_grad_output(grad_output, expected)
        return grad_output.reshape(shape)

    def output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) < 2:
            raise ValueError(f"Flatten.output_shape: input_shape={input_shape} needs a batch dimension "
                             "and at least one more")
        return (input_shape[0], int(np.prod(input_shape[1:])))

    def extra_repr(self) -> str:
        return "start_dim=1, end_dim=-1"


def _check_dtype(dtype, fn: str):
    return check_dtype_argument(dtype, fn)

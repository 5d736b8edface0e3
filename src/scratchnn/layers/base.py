"""The ``Layer`` base class: forward caches, backward uses the cache.

Every layer follows the same contract:

* ``forward(x)`` (also ``layer(x)``) computes the output and keeps what the
  backward pass needs (usually ``x``) in ``self.cache``.
* ``backward(grad_output)`` takes ``dL/dy`` (shape of the output) and returns
  ``dL/dx`` (shape of the input); for each parameter ``params[name]`` it writes
  ``dL/dparam`` into ``grads[name]`` (same shape). The gradient of the latest
  forward pass *replaces* the old one: unlike PyTorch nothing accumulates, so
  there is no ``zero_grad`` to forget.
* ``params`` and ``grads`` are dicts of NumPy arrays. The arrays are updated in
  place (by optimizers, ``load_state_dict``, ``backward``), so references to
  them stay valid.
* ``train()`` / ``eval()`` switch ``training``; only ``Dropout`` cares.
* ``state_dict()`` names parameters like the equivalent ``torch.nn`` module,
  so weights copy both ways.
"""
from __future__ import annotations

from typing import Iterator, Mapping

import numpy as np

from .._checks import check_array, check_bool


class Layer:
    """Base class: subclasses implement ``forward``, ``backward`` and ``output_shape``."""

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.training = True
        self.cache = None

    # --- the two passes -------------------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement backward")

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of ``forward(x)`` for ``x.shape == input_shape``, without computing it."""
        raise NotImplementedError(f"{type(self).__name__} must implement output_shape")

    # --- modes ----------------------------------------------------------------------
    def train(self, mode: bool = True) -> "Layer":
        self.training = check_bool(mode, "mode", f"{type(self).__name__}.train")
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> "Layer":
        return self.train(False)

    def children(self) -> list["Layer"]:
        """Sub-layers (only containers such as ``Sequential`` have any)."""
        return []

    # --- parameters -----------------------------------------------------------------
    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """Yield ``(name, param, grad)`` with torch-style dotted names ("0.weight")."""
        for name, param in self.params.items():
            yield prefix + name, param, self.grads[name]

    def parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(param, grad), ...]``: what an optimizer updates (the arrays, not copies)."""
        return [(p, g) for _, p, g in self.named_parameters()]

    def num_parameters(self) -> int:
        """Number of scalar parameters (like ``sum(p.numel() for p in m.parameters())``)."""
        return sum(p.size for _, p, _ in self.named_parameters())

    def zero_grad(self) -> None:
        for _, _, g in self.named_parameters():
            g[...] = 0.0

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of all parameters, keyed like the equivalent torch module's ``state_dict``."""
        return {name: p.copy() for name, p, _ in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, np.ndarray]) -> None:
        """Copy ``state`` into the parameters (in place; dtype of the layer is kept).

        Every key must be present, none may be extra, every shape must match:
        anything else raises ``ValueError`` and changes nothing. Values may be
        NumPy arrays or anything ``np.asarray`` accepts (e.g. CPU torch tensors).
        """
        fn = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state, Mapping):
            raise ValueError(f"{fn}: state must be a mapping of names to arrays, got {type(state).__name__}")
        own = {name: p for name, p, _ in self.named_parameters()}
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        if missing or unexpected:
            raise ValueError(f"{fn}: keys do not match; missing={missing}, unexpected={unexpected} "
                             f"(expected exactly {list(own)})")
        values = {}
        for name, p in own.items():
            value = np.asarray(state[name])
            if value.shape != p.shape:
                raise ValueError(f"{fn}: {name!r} has shape {tuple(value.shape)} but the layer expects "
                                 f"{p.shape}")
            values[name] = value
        for name, p in own.items():
            p[...] = values[name]

    # --- helpers for subclasses -------------------------------------------------------
    def _add_param(self, name: str, value: np.ndarray) -> None:
        self.params[name] = value
        self.grads[name] = np.zeros_like(value)

    def _check_input(self, x, ndim: int, layout: str) -> np.ndarray:
        return check_array(x, "x", f"{type(self).__name__}.forward", ndim, layout)

    def _check_grad_output(self, grad_output, expected_shape: tuple[int, ...]) -> np.ndarray:
        """Refuse backward before forward and a ``grad_output`` of the wrong shape."""
        fn = f"{type(self).__name__}.backward"
        if self.cache is None:
            raise ValueError(f"{fn}: called before forward; run forward(x) first so the layer has "
                             "the values its gradient needs")
        if not isinstance(grad_output, np.ndarray):
            raise ValueError(f"{fn}: grad_output must be a numpy.ndarray, got {type(grad_output).__name__}")
        if grad_output.shape != tuple(expected_shape):
            raise ValueError(f"{fn}: grad_output has shape {grad_output.shape} but the last forward "
                             f"produced {tuple(expected_shape)}; they must match")
        return grad_output

    # --- printing ---------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The part between the parentheses of ``repr``, as in torch."""
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


def make_rng(rng, fn: str) -> np.random.Generator:
    """``None`` (fresh entropy), an int seed or a ``numpy.random.Generator`` → a Generator."""
    if rng is None or isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise ValueError(f"{fn}: rng={rng!r} must be None, an int seed or a numpy.random.Generator")


def uniform_init(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int, dtype) -> np.ndarray:
    """PyTorch's default for ``Conv2d`` and ``Linear`` weights and biases: ``U(-b, b)``, ``b = 1/sqrt(fan_in)``.

    Torch calls ``kaiming_uniform_(w, a=sqrt(5))``: bound ``gain * sqrt(3/fan_in)``
    with ``gain = sqrt(2/(1 + a^2)) = sqrt(1/3)``, i.e. ``1/sqrt(fan_in)``; the bias
    uses the same bound. ``fan_in = C_in/groups * kH * kW`` (conv) or ``in_features``.
    """
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=shape).astype(dtype)

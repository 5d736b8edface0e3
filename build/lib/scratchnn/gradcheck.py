"""Numerical gradient checking: compare a backward pass with central differences.

A backward pass computes, for an upstream gradient ``g`` (``grad_output``), the
gradient of the scalar ``L(x) = sum(f(x) * g)`` with respect to each input ``x``.
Central differences estimate the same number for every entry of ``x``::

    dL/dx[i] ~= (L(x + eps*e_i) - L(x - eps*e_i)) / (2*eps)

with an error of order ``eps**2``. Example, checking ``f(x) = x**2`` whose
gradient is ``2*x*g``::

    >>> import numpy as np
    >>> x = np.array([1.0, -2.0, 3.0]); g = np.array([0.5, 1.0, -1.0])
    >>> gradcheck(lambda x: x ** 2, [x], [2 * x * g], grad_output=g) < 1e-8
    True

For a layer, perturb its input *and* its parameter arrays; ``fn`` reads the
parameters through the layer, because the check changes them in place::

    y = layer.forward(x); g = rng.normal(size=y.shape)
    grad_x = layer.backward(g)
    err = gradcheck(lambda x, w: layer.forward(x), [x, layer.params["weight"]],
                    [grad_x, layer.grads["weight"]], grad_output=g)

:func:`layer_gradcheck` does exactly that for the input and every parameter.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

_FN = "gradcheck"


def numerical_gradient(fn: Callable, inputs: Sequence[np.ndarray], index: int,
                       grad_output: np.ndarray | None = None, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of ``sum(fn(*inputs) * grad_output)`` w.r.t. ``inputs[index]``.

    ``inputs[index]`` is perturbed in place, one entry at a time, and restored.
    ``grad_output=None`` means ones (the plain sum; for a scalar ``fn``, the value).
    Returns an array shaped like ``inputs[index]``. Cost: two calls of ``fn`` per entry.
    """
    x = inputs[index]
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        saved = x[i]
        x[i] = saved + eps
        plus = _weighted_sum(fn(*inputs), grad_output)
        x[i] = saved - eps
        minus = _weighted_sum(fn(*inputs), grad_output)
        x[i] = saved
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """``max|a - n| / max(max|a|, max|n|)``: the largest deviation relative to the gradient's scale.

    Unlike an entry-wise ratio it does not explode where both gradients are ~0
    (a dead ReLU, a max-pool position that was not the maximum). 0 if both are 0.
    """
    scale = max(np.max(np.abs(analytic), initial=0.0), np.max(np.abs(numeric), initial=0.0))
    diff = np.max(np.abs(analytic - numeric), initial=0.0)
    return float(diff / scale) if scale > 0 else float(diff)


def gradcheck(fn: Callable, inputs: Sequence[np.ndarray] | np.ndarray,
              analytic: Sequence[np.ndarray] | np.ndarray,
              grad_output: np.ndarray | None = None, eps: float = 1e-6) -> float:
    """Largest relative error between analytic gradients and central differences.

    Parameters
    ----------
    fn : callable
        ``fn(*inputs)`` returns a scalar or an array (shape of ``grad_output``).
    inputs : array or list of float64 arrays
        Points at which to check; each is perturbed in place and restored.
    analytic : array or list of arrays
        The gradients you computed, ``analytic[k]`` shaped like ``inputs[k]``,
        of ``sum(fn(*inputs) * grad_output)``.
    grad_output : array, optional
        Upstream gradient; ``None`` means ones. Use a random one: with ones,
        some wrong backward passes (e.g. a transposed kernel) still pass.
    eps : float
        Step of the central difference (float64 needs ~1e-6).

    Returns the maximum over inputs of :func:`relative_error`; about 1e-8 or
    smaller means the backward pass is right, 1e-2 or more means it is wrong.
    """
    if isinstance(inputs, np.ndarray):
        inputs = [inputs]
    if isinstance(analytic, np.ndarray):
        analytic = [analytic]
    inputs, analytic = list(inputs), list(analytic)
    if len(inputs) != len(analytic):
        raise ValueError(f"{_FN}: got {len(inputs)} inputs but {len(analytic)} analytic gradients; "
                         "pass one gradient per input")
    if not (isinstance(eps, float) and eps > 0):
        raise ValueError(f"{_FN}: eps={eps!r} must be a positive float")
    for k, (x, g) in enumerate(zip(inputs, analytic)):
        if not isinstance(x, np.ndarray) or x.dtype != np.float64:
            raise ValueError(f"{_FN}: inputs[{k}] must be a float64 numpy array (central differences "
                             f"are meaningless in lower precision), got "
                             f"{getattr(x, 'dtype', type(x).__name__)}")
        if np.shape(g) != x.shape:
            raise ValueError(f"{_FN}: analytic[{k}] has shape {np.shape(g)} but inputs[{k}] has "
                             f"shape {x.shape}; they must match")
    # The heart of it: one numerical gradient per input, compared with the analytic one.
    errors = [relative_error(np.asarray(g, dtype=np.float64),
                             numerical_gradient(fn, inputs, k, grad_output, eps))
              for k, g in enumerate(analytic)]
    return max(errors, default=0.0)


def layer_gradcheck(layer, x: np.ndarray, seed: int = 0, eps: float = 1e-6) -> float:
    """Check ``layer.backward`` for ``dL/dx`` and every ``dL/dparam`` at the point ``x`` (float64).

    Runs ``forward(x)``, draws a random upstream gradient ``g`` (``seed``),
    runs ``backward(g)`` and compares ``dL/dx`` and ``layer.grads`` with central
    differences of ``sum(layer.forward(x) * g)``. Layers that draw random numbers
    in ``forward`` (``Dropout`` in training) must be put in ``eval()`` first.

    >>> from scratchnn.layers import Conv2D
    >>> x = np.random.default_rng(0).normal(size=(2, 3, 5, 5))
    >>> layer_gradcheck(Conv2D(3, 2, 3, stride=2, padding=1, rng=0), x) < 1e-7
    True
    """
    y = layer.forward(x)
    g = np.random.default_rng(seed).normal(size=y.shape)
    grad_x = layer.backward(g)
    named = [(p, gr.copy()) for _, p, gr in layer.named_parameters()]
    return gradcheck(lambda *_: layer.forward(x), [x] + [p for p, _ in named],
                     [grad_x] + [gr for _, gr in named], grad_output=g, eps=eps)


def _weighted_sum(value, grad_output) -> float:
    value = np.asarray(value, dtype=np.float64)
    if grad_output is None:
        return float(np.sum(value))
    if value.shape != np.shape(grad_output):
        raise ValueError(f"{_FN}: fn returned shape {value.shape} but grad_output has shape "
                         f"{np.shape(grad_output)}; they must match")
    return float(np.sum(value * grad_output))

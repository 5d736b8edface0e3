"""Optimizers with PyTorch's exact update rules: ``SGD`` and ``Adam``.

An optimizer holds ``(param, grad)`` array pairs (``model.parameters()``) and
changes each ``param`` in place in ``step()``, reading the ``grad`` array that
the latest ``backward`` filled.
"""
from __future__ import annotations

import numbers

import numpy as np

from ._checks import check_bool
from .layers.base import Layer


def _collect(params, fn: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """A Layer, or a list of Layers and/or ``(param, grad)`` pairs → list of pairs."""
    if isinstance(params, Layer):
        params = [params]
    try:
        items = list(params)
    except TypeError:
        raise ValueError(f"{fn}: params={params!r} must be a Layer, a list of Layers or of "
                         "(param, grad) pairs") from None
    pairs = []
    for item in items:
        if isinstance(item, Layer):
            pairs.extend(item.parameters())
        elif (isinstance(item, tuple) and len(item) == 2 and all(isinstance(a, np.ndarray) for a in item)
              and item[0].shape == item[1].shape):
            pairs.append(item)
        else:
            raise ValueError(f"{fn}: params entry {item!r} must be a Layer or a (param, grad) pair "
                             "of arrays with the same shape")
    if not pairs:
        raise ValueError(f"{fn}: params is empty; the model has no parameters to optimize")
    return pairs


def _check_hyper(value, name: str, fn: str, low: float = 0.0, high: float | None = None,
                 low_open: bool = False) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and (high is None or value < high)
    if not ok:
        rule = f"{'>' if low_open else '>='} {low}" + (f" and < {high}" if high is not None else "")
        raise ValueError(f"{fn}: {name}={value!r} must be a number {rule}")
    return float(value)


class Optimizer:
    def __init__(self, params, fn: str) -> None:
        self.pairs = _collect(params, fn)

    def zero_grad(self) -> None:
        for _, g in self.pairs:
            g[...] = 0.0

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with momentum, as ``torch.optim.SGD``.

    For each parameter ``p`` with gradient ``g``, at step ``t``::

        g = g + weight_decay * p
        b = g                                  (t = 1)
        b = momentum * b + (1 - dampening) * g  (t > 1)
        g = g + momentum * b  if nesterov  else  b      (when momentum != 0)
        p = p - lr * g
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0,
                 dampening: float = 0.0, nesterov: bool = False) -> None:
        fn = "SGD"
        super().__init__(params, fn)
        self.lr = _check_hyper(lr, "lr", fn)
        self.momentum = _check_hyper(momentum, "momentum", fn)
        self.weight_decay = _check_hyper(weight_decay, "weight_decay", fn)
        self.dampening = _check_hyper(dampening, "dampening", fn)
        nesterov = check_bool(nesterov, "nesterov", fn)
        if nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError(f"{fn}: nesterov=True needs momentum > 0 and dampening = 0, got "
                             f"momentum={momentum!r}, dampening={dampening!r}")
        self.nesterov = nesterov
        self.buffers: list[np.ndarray | None] = [None] * len(self.pairs)

    def step(self) -> None:
        for k, (p, g) in enumerate(self.pairs):
            d = g + self.weight_decay * p if self.weight_decay else g.copy()
            if self.momentum:
                if self.buffers[k] is None:
                    self.buffers[k] = d.copy()
                else:
                    self.buffers[k] = self.momentum * self.buffers[k] + (1 - self.dampening) * d
                d = d + self.momentum * self.buffers[k] if self.nesterov else self.buffers[k]
            p -= self.lr * d

    def __repr__(self) -> str:
        return (f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay}, "
                f"dampening={self.dampening}, nesterov={self.nesterov})")


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as ``torch.optim.Adam`` (``amsgrad=False``).

    For each parameter at step ``t = 1, 2, ...``::

        g = g + weight_decay * p          (L2 penalty added to the gradient)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g^2
        p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        fn = "Adam"
        super().__init__(params, fn)
        self.lr = _check_hyper(lr, "lr", fn)
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise ValueError(f"{fn}: betas={betas!r} must be a pair (beta1, beta2)")
        self.betas = (_check_hyper(betas[0], "betas[0]", fn, 0.0, 1.0),
                      _check_hyper(betas[1], "betas[1]", fn, 0.0, 1.0))
        self.eps = _check_hyper(eps, "eps", fn)
        self.weight_decay = _check_hyper(weight_decay, "weight_decay", fn)
        self.t = 0
        self.m = [np.zeros_like(p) for p, _ in self.pairs]
        self.v = [np.zeros_like(p) for p, _ in self.pairs]

    def step(self) -> None:
        self.t += 1
        beta1, beta2 = self.betas
        bias_correction1 = 1 - beta1 ** self.t
        bias_correction2 = 1 - beta2 ** self.t
        for k, (p, g) in enumerate(self.pairs):
            if self.weight_decay:
                g = g + self.weight_decay * p
            self.m[k] = beta1 * self.m[k] + (1 - beta1) * g
            self.v[k] = beta2 * self.v[k] + (1 - beta2) * g * g
            denom = np.sqrt(self.v[k]) / np.sqrt(bias_correction2) + self.eps
            p -= (self.lr / bias_correction1) * self.m[k] / denom

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps}, weight_decay={self.weight_decay})"

"""Loss functions: ``forward(pred, target) -> float`` and ``backward() -> dL/dpred``.

Both use mean reduction, like torch's defaults, so their gradients carry a
``1/N`` (cross-entropy: number of samples; MSE: number of entries).
"""
from __future__ import annotations

import numpy as np

from ._checks import check_array, dtype_problem


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise ``log softmax``, stable: ``z - m - log(sum(exp(z - m)))`` with ``m = max(z)``.

    Subtracting the row maximum changes nothing mathematically but keeps
    ``exp`` from overflowing (logits of 1000 are fine).
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


class CrossEntropyLoss:
    """Cross-entropy from raw scores (logits), as ``torch.nn.CrossEntropyLoss()``.

    ``logits`` ``(N, C)``, ``target`` ``(N,)`` integer classes in ``[0, C)``::

        L = -(1/N) sum_n log softmax(logits_n)[target_n]
        dL/dlogits = (softmax(logits) - onehot(target)) / N
    """

    def __init__(self) -> None:
        self.cache = None

    def forward(self, logits: np.ndarray, target: np.ndarray) -> float:
        fn = "CrossEntropyLoss.forward"
        logits = check_array(logits, "logits", fn, 2, "(N, C)")
        target = np.asarray(target)
        if target.shape != (logits.shape[0],):
            raise ValueError(f"{fn}: target has shape {target.shape} but logits {logits.shape} need "
                             f"({logits.shape[0]},) class indices")
        if not np.issubdtype(target.dtype, np.integer):
            raise ValueError(f"{fn}: target must hold integer class indices, got dtype {target.dtype}")
        n, c = logits.shape
        if n and (target.min() < 0 or target.max() >= c):
            raise ValueError(f"{fn}: target values must lie in [0, {c}) for {c} classes, got range "
                             f"[{target.min()}, {target.max()}]")
        logp = log_softmax(logits)
        self.cache = (logp, target)
        return float(-logp[np.arange(n), target].mean())

    def backward(self) -> np.ndarray:
        if self.cache is None:
            raise ValueError("CrossEntropyLoss.backward: called before forward")
        logp, target = self.cache
        n = logp.shape[0]
        grad = np.exp(logp)
        grad[np.arange(n), target] -= 1.0
        return grad / n

    __call__ = forward

    def __repr__(self) -> str:
        return "CrossEntropyLoss()"


class MSELoss:
    """Mean squared error, as ``torch.nn.MSELoss()``: ``L = mean((pred - target)^2)``.

    ``pred`` and ``target`` have the same (any) shape with ``M`` entries;
    ``dL/dpred = 2 (pred - target) / M``.
    """

    def __init__(self) -> None:
        self.cache = None

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        fn = "MSELoss.forward"
        if not isinstance(pred, np.ndarray) or dtype_problem(pred.dtype, "pred"):
            raise ValueError(f"{fn}: pred must be a float32 or float64 numpy array, got "
                             f"{getattr(pred, 'dtype', type(pred).__name__)}")
        target = np.asarray(target, dtype=pred.dtype)
        if target.shape != pred.shape:
            raise ValueError(f"{fn}: target has shape {target.shape} but pred has {pred.shape}; "
                             "they must match")
        diff = pred - target
        self.cache = diff
        return float(np.mean(diff ** 2))

    def backward(self) -> np.ndarray:
        if self.cache is None:
            raise ValueError("MSELoss.backward: called before forward")
        return 2.0 * self.cache / self.cache.size

    __call__ = forward

    def __repr__(self) -> str:
        return "MSELoss()"

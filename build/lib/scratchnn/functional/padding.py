"""Padding the two spatial axes of an image batch."""
from __future__ import annotations

import numbers

import numpy as np

from .._checks import nonneg_pair


def _pads(padding, fn: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """``((top, bottom), (left, right))`` from an int, ``(pH, pW)`` or the nested form itself."""
    if (isinstance(padding, (tuple, list)) and len(padding) == 2
            and all(isinstance(p, (tuple, list)) for p in padding)):
        top, bottom = nonneg_pair(tuple(padding[0]), "padding", fn)
        left, right = nonneg_pair(tuple(padding[1]), "padding", fn)
        return (top, bottom), (left, right)
    ph, pw = nonneg_pair(padding, "padding", fn)
    return (ph, ph), (pw, pw)


def pad2d(x: np.ndarray, padding, value: float = 0.0) -> np.ndarray:
    """Surround the last two axes of ``x`` with ``value``.

    Shapes: ``x`` (..., H, W) -> (..., H + top + bottom, W + left + right).
    ``padding`` is an int ``p`` (all four sides), a pair ``(pH, pW)`` (top and
    bottom get pH, left and right get pW) or ``((top, bottom), (left, right))``.
    The result has ``x``'s dtype; ``value=-inf`` is how max-pooling pads.

    >>> pad2d(np.ones((2, 2)), 1)
    array([[0., 0., 0., 0.],
           [0., 1., 1., 0.],
           [0., 1., 1., 0.],
           [0., 0., 0., 0.]])
    >>> pad2d(np.ones((1, 1, 3, 3)), ((0, 1), (2, 0))).shape
    (1, 1, 4, 5)
    """
    fn = "pad2d"
    if not isinstance(x, np.ndarray):
        raise ValueError(f"{fn}: x must be a numpy.ndarray, got {type(x).__name__}")
    if x.ndim < 2:
        raise ValueError(f"{fn}: x must have at least 2 dimensions (..., H, W), got shape {x.shape}")
    if not (np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.integer)):
        raise ValueError(f"{fn}: x must have a numeric dtype, got {x.dtype}")
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise ValueError(f"{fn}: value={value!r} must be a real number")
    if np.issubdtype(x.dtype, np.integer) and (not np.isfinite(value) or value != int(value)):
        raise ValueError(f"{fn}: value={value!r} cannot be stored in x's integer dtype {x.dtype}")
    (top, bottom), (left, right) = _pads(padding, fn)
    h, w = x.shape[-2:]
    shape = x.shape[:-2] + (h + top + bottom, w + left + right)
    out = np.zeros(shape, x.dtype) if value == 0 else np.full(shape, value, x.dtype)
    out[..., top:top + h, left:left + w] = x
    return out

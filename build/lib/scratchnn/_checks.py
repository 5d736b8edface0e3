"""Argument checks shared by every public function.

Each check raises ``ValueError`` naming the function, the argument, its value
and the rule it breaks, e.g.::

    conv2d: stride=(0, 1) must be positive integers
"""
from __future__ import annotations

import numbers

import numpy as np


def _is_int(v) -> bool:
    if type(v) is int:  # the common case, without the slow abstract-class check
        return True
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def as_pair(value, name: str, fn: str) -> tuple[int, int]:
    """Return ``(a, b)`` from an int or a pair of ints; anything else is an error."""
    if _is_int(value):
        return int(value), int(value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v) for v in value):
        return int(value[0]), int(value[1])
    raise ValueError(f"{fn}: {name}={value!r} must be an int or a pair of ints")


def positive_pair(value, name: str, fn: str) -> tuple[int, int]:
    """A pair of integers >= 1 (kernel size, stride, dilation)."""
    pair = as_pair(value, name, fn)
    if min(pair) < 1:
        raise ValueError(f"{fn}: {name}={value!r} must be positive integers (>= 1)")
    return pair


def nonneg_pair(value, name: str, fn: str) -> tuple[int, int]:
    """A pair of integers >= 0 (padding, output padding)."""
    pair = as_pair(value, name, fn)
    if min(pair) < 0:
        raise ValueError(f"{fn}: {name}={value!r} must be non-negative integers (>= 0)")
    return pair


def check_int(value, name: str, fn: str, minimum: int = 0) -> int:
    """A single integer >= ``minimum``."""
    if not _is_int(value) or value < minimum:
        raise ValueError(f"{fn}: {name}={value!r} must be an integer >= {minimum}")
    return int(value)


def check_array(x, name: str, fn: str, ndim: int, layout: str = "") -> np.ndarray:
    """A floating NumPy array with ``ndim`` dimensions (``layout`` names them, e.g. "(N, C, H, W)")."""
    if not isinstance(x, np.ndarray):
        raise ValueError(f"{fn}: {name} must be a numpy.ndarray, got {type(x).__name__}")
    if x.ndim != ndim:
        where = f" {layout}" if layout else ""
        raise ValueError(f"{fn}: {name} must have {ndim} dimensions{where}, got shape {x.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{fn}: {name} must have a floating dtype (float32 or float64), got {x.dtype}")
    return x

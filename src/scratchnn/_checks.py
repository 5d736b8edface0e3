"""Argument checks shared by every public function.

Each check raises ``ValueError`` (``TypeError`` for a flag that is not a
bool) naming the function, the argument, its value
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


def check_bool(value, name: str, fn: str) -> bool:
    """A flag: ``True``/``False`` or a NumPy bool; anything else (``"False"``, 0, None) is a
    ``TypeError`` -- a string such as ``"False"`` would otherwise count as true."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{fn}: {name}={value!r} must be a bool (True or False), "
                    f"got {type(value).__name__}")


DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def dtype_problem(dtype, name: str) -> str | None:
    """The error message's rule if ``dtype`` is not float32 or float64, else None.

    The policy: float32 and float64 only. float16 would lose most digits in
    the long sums of a convolution (NumPy has no float16 matrix product of its
    own and PyTorch's CPU half precision accumulates differently), and
    longdouble differs between platforms; neither is tested against PyTorch.
    """
    if dtype in DTYPES:
        return None
    rule = f"{name} must have a floating dtype (float32 or float64), got {dtype}"
    if np.issubdtype(dtype, np.floating):
        rule += ("; scratchnn computes in float32 or float64 only, not in half or extended "
                 "precision (cast with .astype(np.float32))")
    return rule


def check_array(x, name: str, fn: str, ndim: int, layout: str = "") -> np.ndarray:
    """A float32 or float64 NumPy array with ``ndim`` dimensions (``layout`` names them, e.g. "(N, C, H, W)")."""
    if not isinstance(x, np.ndarray):
        raise ValueError(f"{fn}: {name} must be a numpy.ndarray, got {type(x).__name__}")
    if x.ndim != ndim:
        where = f" {layout}" if layout else ""
        raise ValueError(f"{fn}: {name} must have {ndim} dimensions{where}, got shape {x.shape}")
    problem = dtype_problem(x.dtype, name)
    if problem:
        raise ValueError(f"{fn}: {problem}")
    return x


def check_dtype_argument(dtype, fn: str) -> np.dtype:
    """A ``dtype=`` argument (np.float32, "float64", ...) as a NumPy dtype, float32 or float64."""
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError):
        raise ValueError(f"{fn}: dtype={dtype!r} is not a NumPy dtype; use np.float32 or "
                         "np.float64") from None
    problem = dtype_problem(dt, f"dtype={dtype!r}")
    if problem:
        raise ValueError(f"{fn}: {problem.replace('must have a floating dtype', 'must be a floating type')}")
    return dt

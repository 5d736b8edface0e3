"""Remember argument checks that passed, keyed by what they depend on.

A training loop calls the same convolution with the same shapes thousands of
times; checking its arguments and sizing its arrays anew each time costs
50-100 µs of Python per call -- a tenth of the arithmetic of a small layer.
``checked_once`` remembers the result of a check for a key made of the
arguments' *kinds and values*: a data array (``x``, ``weight``) counts by
its shape and dtype (never its numbers), an int, str, bool or None by its type and value, a
tuple or list by its items. Any other argument (a NumPy integer, an object)
makes the call uncached, so it takes the full check with its error
messages. Only checks that passed are remembered: a bad call is checked, and
refused, every time. The memory limit is part of the key, so
``set_memory_limit`` takes effect at once.
"""
from __future__ import annotations

from functools import wraps

import numpy as np

from ._memory import memory_limit

_PLAIN = (int, str, bool, float, type(None))
MAX_ENTRIES = 512  # distinct call signatures kept (a network has a few dozen)


def _key(value, array: bool = False):
    """A hashable key that two arguments share only if every check treats them alike.

    Only an ``array`` argument (the data: ``x``, ``weight``) counts by its
    shape and dtype; an array anywhere else could stand for a number, so it
    is not plain.
    """
    kind = type(value)
    if array and kind is np.ndarray:
        return kind, value.shape, value.dtype.str
    if kind in _PLAIN:
        return kind, value
    if kind is tuple or kind is list:
        return (kind,) + tuple(_key(v) for v in value)
    raise TypeError  # not plain: check in full


def checked_once(*arrays: int):
    """Decorator: call ``check(*args, **kwargs)`` once per plain key; return the remembered result after.

    ``arrays`` are the positions of the data arguments, keyed by shape and
    dtype. ``check`` must be a pure function of that key (and the memory
    limit) and return an immutable value.
    """
    def decorate(check):
        cache: dict = {}

        @wraps(check)
        def wrapper(*args, **kwargs):
            try:
                key = (memory_limit(),) + tuple(_key(a, i in arrays) for i, a in enumerate(args)) \
                    + tuple((name, _key(v)) for name, v in sorted(kwargs.items()))
            except TypeError:
                return check(*args, **kwargs)
            try:
                return cache[key]
            except KeyError:
                pass
            result = check(*args, **kwargs)
            if len(cache) >= MAX_ENTRIES:
                cache.clear()
            cache[key] = result
            return result
        wrapper.cache_clear = cache.clear
        return wrapper
    return decorate

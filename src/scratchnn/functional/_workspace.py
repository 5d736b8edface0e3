"""Scratch buffers that the fast convolution reuses from call to call.

Allocating fresh multi-megabyte arrays on every call costs more than one
would think: the operating system hands out new pages, and touching each 4 KiB
page for the first time is a page fault (about a thousand per convolution
call here, 2-3 ms -- as long as the arithmetic of a small layer). So the
internal buffers (padded images, columns) are kept, per thread and dtype, and
reused; only the arrays a function returns are new. PyTorch's CPU allocator
caches memory for the same reason. ``clear()`` frees them.
"""
from __future__ import annotations

import math
import threading

import numpy as np

_local = threading.local()


def scratch(role: str, shape, dtype, zero: bool = False) -> np.ndarray:
    """A buffer of ``shape`` for ``role``; its contents are garbage unless ``zero``."""
    size = math.prod(shape)
    buffers = _local.__dict__.setdefault("buffers", {})
    key = (role, np.dtype(dtype).str)
    buf = buffers.get(key)
    if buf is None or buf.size < size:
        buf = buffers[key] = np.empty(size, dtype)
    out = buf[:size].reshape(shape)
    if zero:
        out.fill(0)
    return out


def clear() -> None:
    """Release this thread's scratch buffers."""
    _local.__dict__.pop("buffers", None)

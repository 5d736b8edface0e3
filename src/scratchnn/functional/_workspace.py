"""Scratch buffers that the fast convolution reuses from call to call.

Allocating fresh multi-megabyte arrays on every call costs more than one
would think: the operating system hands out new pages, and touching each 4 KiB
page for the first time is a page fault (about a thousand per convolution
call here, 2-3 ms -- as long as the arithmetic of a small layer). So the
internal buffers (padded images, columns) are kept, per thread and dtype, and
reused; only the arrays a function returns are new. PyTorch's CPU allocator
caches memory for the same reason. Buffers above ``KEEP_BYTES`` are not kept;
``clear()`` frees the others.
"""
from __future__ import annotations

import math
import threading

import numpy as np

_local = threading.local()
KEEP_BYTES = 64 << 20  # larger buffers are not kept: memory over speed


def scratch(role: str, shape, dtype, zero: bool = False) -> np.ndarray:
    """A buffer of ``shape`` for ``role``; its contents are garbage unless ``zero``."""
    size = math.prod(shape)
    if size * np.dtype(dtype).itemsize > KEEP_BYTES:
        return np.zeros(shape, dtype) if zero else np.empty(shape, dtype)
    buffers = _local.__dict__.setdefault("buffers", {})
    key = (role, np.dtype(dtype).str)
    buf = buffers.get(key)
    if buf is None or buf.size < size:
        buf = buffers[key] = np.empty(size, dtype)
    out = buf[:size].reshape(shape)
    if zero:
        out.fill(0)
    return out


def batch_chunks(n: int, bytes_per_sample: int, chunk_bytes: int):
    """Ranges ``(n0, n1)`` over a batch of ``n``, each about ``chunk_bytes`` of scratch, and the step.

    The fast convolutions work a few samples at a time so that what one step writes is still in
    the CPU cache when the next step reads it; the step (at least 1) sizes their buffers.
    """
    step = max(1, min(n, chunk_bytes // max(1, bytes_per_sample)))
    return [(n0, min(n, n0 + step)) for n0 in range(0, n, step)], step


def clear() -> None:
    """Release this thread's scratch buffers."""
    _local.__dict__.pop("buffers", None)

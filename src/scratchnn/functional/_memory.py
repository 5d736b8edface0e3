"""The size guard: refuse a call whose arrays would not fit, before allocating them.

A convolution with ``padding=5000`` on an 8×8 image, or a dilation of 10⁵,
asks for arrays of many gigabytes; NumPy would try, and the operating system
would kill the process without a Python error. So every convolution and
pooling call estimates the bytes of its output and scratch arrays (from the
shapes alone, in ``_conv_args.window_geometry``) and raises ``ValueError``
naming the arguments and the bytes when they exceed ``memory_limit()``:
by default half of the physical memory, settable with ``set_memory_limit``.
"""
from __future__ import annotations

import os
from functools import lru_cache

_limit: int | None = None


@lru_cache(maxsize=None)  # asked on every call; it does not change while we run
def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not POSIX: assume 8 GiB
        return 8 << 30


def memory_limit() -> int:
    """Bytes one call may allocate for its output and scratch arrays."""
    return _physical_memory() // 2 if _limit is None else _limit


def set_memory_limit(nbytes: int | None) -> None:
    """Set the limit of ``memory_limit()`` in bytes; ``None`` restores half the physical memory.

    >>> set_memory_limit(1 << 30); memory_limit()
    1073741824
    >>> set_memory_limit(None)
    """
    global _limit
    if nbytes is not None and (type(nbytes) is not int or nbytes < 1):
        raise ValueError(f"set_memory_limit: nbytes={nbytes!r} must be a positive int or None")
    _limit = nbytes


def _human(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return ""  # not reached


def check_memory(fn: str, arguments: str, arrays: dict[str, int]) -> None:
    """Raise ``ValueError`` if the ``arrays`` (name -> bytes) together exceed the limit."""
    total, limit = sum(arrays.values()), memory_limit()
    if total > limit:
        parts = ", ".join(f"{name} {_human(b)}" for name, b in arrays.items() if b)
        raise ValueError(
            f"{fn}: {arguments} would allocate {total} bytes ({_human(total)}: {parts}), more "
            f"than the limit of {limit} bytes ({_human(limit)}; "
            "scratchnn.functional.set_memory_limit changes it)")

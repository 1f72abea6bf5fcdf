"""Hand memory freed by large jobs back to the operating system."""

from __future__ import annotations

import ctypes
import functools
import sys


@functools.cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return getattr(libc, "malloc_trim", None)  # glibc only (not musl)


def release_free_memory() -> None:
    """Return freed heap pages to the system (glibc `malloc_trim`); a no-op elsewhere.

    glibc keeps freed memory for reuse in per-thread arenas, so the batches of an evaluation
    on a worker thread stay resident in a window that may then sit open for hours
    (benchmarks/NOTES.md, "Memory kept after work").
    Trimming costs a few milliseconds, so it is for after a job, not inside a loop.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)

"""Keep freed memory for reuse instead of handing it back to the kernel at once (glibc only).

A large sheet is scanned, parsed and checked in chunks by several threads, each allocating and
freeing arrays of a few megabytes. glibc's default thresholds, which adapt to the largest
block freed so far, return much of that memory to the kernel after every chunk, and each
reuse then costs a page fault and a page cleared (the figures are in ``benchmarks/README.md``).
Fixed thresholds keep up to
:data:`TRIM_THRESHOLD` bytes of freed memory in the process; the peak is unchanged, because
that memory is reused rather than added to.

Called by the command line only: a library should not change its host process's allocator.
"""

from __future__ import annotations

import os
import sys

#: Free memory kept at the top of a heap before it is returned to the kernel.
TRIM_THRESHOLD = 256 * 1024 * 1024
#: Blocks at least this large get their own mapping (glibc's largest automatic value).
MMAP_THRESHOLD = 32 * 1024 * 1024

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_ENV_SETTINGS = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")


def keep_freed_memory() -> bool:
    """Set fixed trim and mmap thresholds; True if done.

    Nothing is changed off glibc, or when either threshold is already set in the environment
    (the user's own tuning wins).
    """
    if not sys.platform.startswith("linux") or any(v in os.environ for v in _ENV_SETTINGS):
        return False
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (ValueError, OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )

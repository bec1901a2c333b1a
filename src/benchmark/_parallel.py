"""How many cores to use, and a map over them.

Arrow's kernels, fastexcel (calamine), zlib and numpy's bulk operations release the GIL, so
threads scale for the work ``benchmark`` does a column, a slice of rows or a piece of a sheet
at a time, without copying data to other processes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Environment variable capping the threads (1 turns every parallel step off).
WORKERS_ENV = "BENCHMARK_WORKERS"


class Cancelled(BaseException):
    """The run was interrupted (Ctrl-C): work in other threads stops at its next check.

    A BaseException, like KeyboardInterrupt, so that the readers' "never raise for bad input"
    handlers let it through.
    """


def check_cancelled(stop: threading.Event | None) -> None:
    """Raise :class:`Cancelled` if ``stop`` is set; called between chunks, pieces and tables."""
    if stop is not None and stop.is_set():
        raise Cancelled


def workers() -> int:
    """Cores this process may use, capped by ``BENCHMARK_WORKERS`` when that is set.

    A container's CPU quota is not visible here; set the variable to match it.
    """
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    cap = os.environ.get(WORKERS_ENV, "").strip()
    if cap.isdigit() and int(cap) >= 1:
        return min(available, int(cap))
    return available


def parallel_map(fn: Callable[[T], R], items: Sequence[T], name: str = "benchmark") -> list[R]:
    """``fn`` over ``items`` on every core allowed, results in order."""
    count = min(len(items), workers())
    if count < 2:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(count, name) as pool:
        return list(pool.map(fn, items))

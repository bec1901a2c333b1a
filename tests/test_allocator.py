"""The command line's allocator tuning: fewer page faults on glibc, never over the user's own."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_GLIBC = sys.platform.startswith("linux") and bool(os.confstr("CS_GNU_LIBC_VERSION") or "")

# Blocks of a few MB allocated and freed in a thread, as the chunked scan and checks do.
_CHURN = """
import resource, sys, threading
from benchmark._allocator import keep_freed_memory
print(keep_freed_memory() if sys.argv[1] == "tuned" else "-")
def work():
    sizes = [1 << 20, 3 << 20, 6 << 20, 2 << 20, 12 << 20, 1 << 20, 5 << 20]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for i in range(30):
        blocks = [bytearray(s) for s in sizes[i % 3:]]
        del blocks
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
t = threading.Thread(target=work)
t.start()
t.join()
"""


def _run(mode: str, **env: str) -> tuple[str, int]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run(
        [sys.executable, "-c", _CHURN, mode],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    applied, faults = out.stdout.split()
    return applied, int(faults)


@pytest.mark.skipif(not _GLIBC, reason="glibc only")
def test_freed_memory_is_reused_not_faulted_in_again() -> None:
    _, default_faults = _run("default")
    applied, tuned_faults = _run("tuned")
    assert applied == "True"
    assert tuned_faults * 4 < default_faults, (tuned_faults, default_faults)


def test_users_own_setting_wins() -> None:
    assert _run("tuned", MALLOC_TRIM_THRESHOLD_="131072")[0] == "False"
    assert _run("tuned", MALLOC_MMAP_THRESHOLD_="131072")[0] == "False"


def test_the_command_line_applies_it() -> None:
    code = (
        "import benchmark._allocator as a, benchmark.cli as c, sys\n"
        "calls = []\n"
        "a.keep_freed_memory = lambda: calls.append(1) or True\n"
        "sys.argv = ['benchmark', '--version']\n"
        "try:\n    c.main()\nexcept SystemExit:\n    pass\n"
        "print(len(calls))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("1")

"""The progress bar: files and rows, on a terminal only, and only once the work takes a while."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from benchmark._progress import ReadProgress
from benchmark.pipeline import check_files

from .conftest import RecordingEvents

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=120), out


def test_a_long_run_shows_files_and_rows() -> None:
    console, out = _terminal()
    with ReadProgress(console, files=2, delay=0.05) as progress:
        progress.rows("a/plants.xlsx", 1200)
        progress.rows("a/plants.xlsx", 34)
        progress.file_done("a/plants.xlsx", 1234)
        time.sleep(0.5)
    assert progress.shown
    text = out.getvalue()
    assert "plants.xlsx" in text and "1/2" in text and "1,234 rows" in text


def test_a_quick_run_prints_nothing() -> None:
    console, out = _terminal()
    with ReadProgress(console, files=1, delay=5) as progress:
        progress.rows("plants.xlsx", 10)
        progress.file_done("plants.xlsx", 10)
    assert not progress.shown
    assert out.getvalue() == ""


def test_rows_are_reported_as_each_part_is_checked(tmp_path: Path) -> None:
    events = RecordingEvents()
    paths = [str(EXAMPLES / "industry_list.xlsx"), str(EXAMPLES / "plant.xlsx")]
    checked = check_files(paths, events=events)
    seen = events.counts
    assert sum(n for _, n in seen) == checked.rows_total > 0
    assert sorted(events.done) == sorted((p, sum(n for q, n in seen if q == p)) for p in paths)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_the_cli_on_a_terminal_stays_quiet_when_quick() -> None:
    """stderr is a terminal, but the run takes well under the delay: no bar, no stray codes."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmark.cli",
            "--no-config",
            "validate",
            str(EXAMPLES / "plant.xlsx"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    received = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed (Linux)
            break
        if not data:
            break
        received += data
    os.close(master)
    assert proc.wait(timeout=60) == 0
    assert received == b""

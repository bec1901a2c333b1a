"""SIGTERM and SIGHUP (``timeout``, a cancelled CI job, ``docker stop``, a closed ssh session)
cancel a run exactly as Ctrl-C does: nothing left behind, exit 128 + the signal.

The real cases are real processes: ``benchmark grade`` on a large workbook, signalled while the
pieces of its sheet sit in a ``TMPDIR`` of the test's own; and one waiting on a pipe whose
writer says nothing.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmark import _interrupts as interrupts
from benchmark._interrupts import Terminated, cancel_on_signals, exit_status

from .conftest import HEADER_ZH, benchmark_script
from .test_hostile import sheet_xml, xlsx_bytes

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120,000 rows, 65 MB of sheet XML: large enough to be read in pieces on two cores."""
    rows = [HEADER_ZH] + [
        [
            f"企业{i}",
            f"{i % 9}号线",
            "水泥熟料",
            None,
            95 + i % 30,
            "kgce/t",
            1000 + i,
            1200,
            2023,
            "河北省石家庄市",
        ]
        for i in range(120_000)
    ]
    path = tmp_path_factory.mktemp("big") / "plants.xlsx"
    path.write_bytes(xlsx_bytes({"Sheet1": sheet_xml(rows)}))
    return path


def _wait_for(
    condition: Callable[[], bool], proc: subprocess.Popen[bytes], what: str, limit: float = 90.0
) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert proc.poll() is None, f"the run ended before {what}"
        assert time.monotonic() < deadline, f"no {what} within {limit} s"
        time.sleep(0.02)


def _pieces_written(scratch: Path) -> bool:
    return any(p.is_file() for p in scratch.rglob("*"))


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_while_a_workbook_is_read_leaves_nothing_behind(
    big_workbook: Path, tmp_path: Path, signum: signal.Signals, status: int
) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("a sheet is read in pieces only with two cores")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    before = sha(big_workbook)
    out = tmp_path / "report.json"
    proc = subprocess.Popen(
        [
            benchmark_script(),
            "--no-config",
            "grade",
            str(big_workbook),
            "-f",
            "json",
            "-o",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(scratch), "BENCHMARK_WORKERS": "2"},
    )
    try:
        _wait_for(lambda: _pieces_written(scratch), proc, "pieces in TMPDIR")
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == status, stderr.decode()[-2000:]
    assert b"Traceback" not in stderr and b"internal error" not in stderr
    assert sorted(scratch.rglob("*")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scratch"]
    assert sha(big_workbook) == before


def _waiting_on_a_pipe(pid: int) -> bool:
    """Whether a thread of ``pid`` waits in select/poll (Linux's /proc/PID/task/*/wchan)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            channel = (task / "wchan").read_text()
        except OSError:
            continue
        if "poll" in channel or "select" in channel:
            return True
    return False


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task").exists(), reason="needs /proc")
def test_sigterm_stops_a_run_waiting_on_a_silent_pipe(tmp_path: Path) -> None:
    """The writer of the pipe neither writes nor closes: the reading thread must notice the
    cancellation, or the run would wait for it after SIGTERM."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [benchmark_script(), "--no-config", "grade", f"/dev/fd/{read_end}"],
        pass_fds=(read_end,),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(read_end)
    try:
        _wait_for(lambda: _waiting_on_a_pipe(proc.pid), proc, "a read waiting on the pipe")
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    finally:
        os.close(write_end)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, stderr.decode()[-2000:]
    assert b"Traceback" not in stderr
    assert b"cancelled by SIGTERM" in stderr


# --- the handlers themselves -------------------------------------------------------------------


@pytest.fixture
def handlers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Restore this process's handlers and the module's memory after a test."""
    saved = {s: signal.getsignal(s) for s in interrupts.SIGNALS}
    monkeypatch.setattr(interrupts, "_received", [])
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def _raise_signal(signum: int) -> None:
    signal.raise_signal(signum)
    time.sleep(0)  # the handler runs between bytecodes of the main thread


def test_the_first_signal_raises_a_keyboard_interrupt_and_the_next_ones_do_not(
    handlers: None,
) -> None:
    cancel_on_signals()
    with pytest.raises(KeyboardInterrupt) as caught:
        _raise_signal(signal.SIGTERM)
    assert isinstance(caught.value, Terminated) and caught.value.signum == signal.SIGTERM
    _raise_signal(signal.SIGHUP)  # cleanup after the first must not be cut short
    assert interrupts.received() == signal.SIGTERM
    assert exit_status(130) == 143
    assert exit_status(1) == 1 and exit_status(0) == 0


def test_a_signal_the_process_was_told_to_ignore_stays_ignored(handlers: None) -> None:
    """``nohup benchmark …`` starts with SIGHUP ignored, to survive the hang-up."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    cancel_on_signals()
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    assert interrupts.received() is None and exit_status(130) == 130


def test_handlers_are_installed_only_from_the_main_thread(handlers: None) -> None:
    before = signal.getsignal(signal.SIGTERM)
    thread = threading.Thread(target=cancel_on_signals)
    thread.start()
    thread.join()
    assert signal.getsignal(signal.SIGTERM) is before


def test_the_library_leaves_its_hosts_handlers_alone(tmp_path: Path) -> None:
    """Only the command line installs handlers: importing and using the package does not."""
    plants = tmp_path / "plants.csv"
    plants.write_text("企业名称,领域,单位产品能耗\n冀东水泥,水泥熟料,98\n", encoding="utf-8")
    code = (
        "import signal, benchmark, benchmark.cli\n"
        f"checked = benchmark.check_files([{str(plants)!r}])\n"
        "assert len(checked.frame) == 1\n"
        "print([signal.getsignal(s) is signal.SIG_DFL "
        "for s in (signal.SIGTERM, signal.SIGHUP)])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[True, True]"

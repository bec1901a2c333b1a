"""Outputs never lose data: atomic writes, never over an input, nothing left by an interrupt,
every byte written or an ordinary error naming where.

``outputs.write_atomic`` is tested directly (failures injected at each step) and through the
CLI; Ctrl-C is a real SIGINT sent to a real ``benchmark grade`` process halfway through a
300,000-row file (SIGTERM and SIGHUP: ``test_interrupts.py``); a full disk is ``/dev/full``
and a 64 KB tmpfs, a closed pipe a real one.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark import _atomic as outputs
from benchmark._atomic import OutputError, check_output_path, write_atomic
from benchmark.cli import app

from .conftest import WriteXlsx, benchmark_script

CSV = (
    "企业名称,领域,单位产品能耗,产量\n冀东水泥,水泥熟料,98,1000000\n华北水泥,水泥熟料,121,800000\n"
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.fixture
def plants(tmp_path: Path) -> Path:
    path = tmp_path / "plants.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


# --- write_atomic ------------------------------------------------------------------------------


def test_writes_and_replaces_leaving_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    write_atomic(out, "一")
    write_atomic(out, b"two")
    assert out.read_bytes() == b"two"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("step", ["fsync", "chmod", "replace"])
@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, error: type[BaseException]
) -> None:
    out = tmp_path / "report.csv"
    out.write_text("old", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> None:
        raise error("interrupted")

    monkeypatch.setattr(outputs.os, step, boom)  # each step after the bytes, before the rename
    with pytest.raises(error):
        write_atomic(out, "new " * 100_000)
    assert out.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_an_interrupted_first_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "new.json", "{}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_file_mode_is_kept_or_follows_the_umask(tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    old.write_text("x", encoding="utf-8")
    old.chmod(0o640)
    write_atomic(old, "y")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    umask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.csv", "y")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_written_not_replaced() -> None:
    write_atomic("/dev/null", "discarded")
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_refuses_every_way_of_naming_an_input(tmp_path: Path, plants: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(plants)
    hard = tmp_path / "hard.csv"
    os.link(plants, hard)
    folder = tmp_path / "in"
    folder.mkdir()
    inside = folder / "deep" / "a.xlsx"
    inside.parent.mkdir()
    inside.write_bytes(b"PK")
    cases = [
        (plants, [str(plants)]),
        (link, [str(plants)]),
        (plants, [str(link)]),
        (hard, [str(plants)]),
        (inside, [str(folder)]),
        (plants, [str(tmp_path / "*.csv")]),
        (tmp_path / "." / "plants.csv", [str(plants)]),
    ]
    for out, inputs in cases:
        with pytest.raises(OutputError, match="refusing to write over"):
            check_output_path(out, inputs)
    before = sha(plants)
    with pytest.raises(OutputError):
        write_atomic(link, "x", [str(plants)])
    assert sha(plants) == before
    # A new file in an input folder is no input (yet); other folders and stdin are fine.
    assert check_output_path(folder / "report.json", [str(folder)]) == folder / "report.json"
    assert check_output_path(tmp_path / "r.csv", ["-", str(tmp_path / "nothing*.xlsx")])


def test_refuses_a_directory_or_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        check_output_path(tmp_path, [])
    with pytest.raises(OutputError, match="does not exist"):
        check_output_path(tmp_path / "no" / "r.json", [])


# --- through the CLI ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "html", "markdown"])
def test_output_over_an_input_is_refused(plants: Path, runner: CliRunner, fmt: str) -> None:
    before = sha(plants)
    result = runner.invoke(app, ["--no-config", "grade", str(plants), "-f", fmt, "-o", str(plants)])
    assert result.exit_code == 2
    assert "refusing to write over the input file" in result.stderr
    assert sha(plants) == before


def test_output_over_an_input_workbook_or_a_file_of_an_input_folder(
    tmp_path: Path, write_xlsx: WriteXlsx, runner: CliRunner
) -> None:
    book = write_xlsx([["冀东水泥", None, "水泥熟料", None, 98, None, 1, None, 2024, "河北"]])
    before = sha(book)
    for args in (
        ["validate", str(book), "-f", "json", "-o", str(book)],
        ["grade", str(tmp_path), "-f", "csv", "-o", str(book)],
        ["grade", str(tmp_path / "*.xlsx"), "-f", "xlsx", "-o", str(book)],
    ):
        result = runner.invoke(app, ["--no-config", *args])
        assert result.exit_code == 2, args
        assert "refusing to write over" in result.stderr
        assert "Traceback" not in result.output
    assert sha(book) == before
    assert leftovers(tmp_path) == []


def test_output_is_written_atomically_beside_the_inputs(plants: Path, runner: CliRunner) -> None:
    out = plants.parent / "report.json"
    result = runner.invoke(app, ["--no-config", "grade", str(plants), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().startswith("{")
    assert leftovers(plants.parent) == []


# --- Ctrl-C ------------------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used (Linux); -1 where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT")
def test_ctrl_c_leaves_no_output_and_the_input_untouched(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    lines = ["企业名称,生产线,领域,单位产品能耗,单位,产量,年份"]
    lines += [
        f"企业{i},L{i % 7},水泥熟料,{95 + i % 30},kgce/t,{1000 + i},2024" for i in range(300_000)
    ]
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = sha(big)
    out = tmp_path / "out.json"
    proc = subprocess.Popen(
        [benchmark_script(), "--no-config", "grade", str(big), "-f", "json", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None:
        used = _cpu_seconds(proc.pid)
        if used >= 1.5 or (used < 0 and time.monotonic() > deadline - 17):
            break  # imported, reading or validating: well before any output is written
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.kill(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr.decode()[-2000:]
    assert b"Traceback" not in stderr and b"Traceback" not in stdout
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]
    assert sha(big) == before


def test_csv_written_in_parallel_slices_equals_one_arrow_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    from benchmark.report import machine

    table = pa.table(
        {
            "name": [f'厂{i}, "引号"\n换行' if i % 4 == 0 else f"厂{i}" for i in range(10)],
            "value": [i / 3 for i in range(10)],
            "row": list(range(10)),
        }
    )
    expected = io.BytesIO()
    pacsv.write_csv(table, expected)
    monkeypatch.setattr(machine, "CSV_SLICE_ROWS", 3)
    monkeypatch.setattr("benchmark._parallel.workers", lambda: 2)
    got = io.BytesIO()
    machine.write_csv(table, got)
    assert got.getvalue() == expected.getvalue()
    empty = io.BytesIO()
    machine.write_csv(table.slice(0, 0), empty)
    assert empty.getvalue() == b'"name","value","row"\n'


# --- inputs reached through links, and outputs that cannot be --------------------------------


def test_an_input_folders_symlink_to_a_file_outside_it_is_an_input(
    tmp_path: Path, plants: Path, runner: CliRunner
) -> None:
    """``benchmark grade in/ -o that-file`` replaced the file the link in ``in/`` reads."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "link.csv").symlink_to(plants)
    before = sha(plants)
    result = runner.invoke(
        app, ["--no-config", "grade", str(folder), "-f", "json", "-o", str(plants)]
    )
    assert result.exit_code == 2, result.output
    assert "refusing to write over a file of the input folder" in result.stderr
    assert sha(plants) == before
    with pytest.raises(OutputError, match="refusing to write over"):
        check_output_path(plants, [str(tmp_path / "in" / "*.csv")])


def test_an_output_that_is_a_symlink_loop_is_an_ordinary_error(
    tmp_path: Path, plants: Path, runner: CliRunner
) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    for out in (loop, loop / "report.json"):
        result = runner.invoke(
            app, ["--no-config", "grade", str(plants), "-f", "json", "-o", str(out)]
        )
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "cannot write: a symlink loop" in result.stderr
    assert loop.is_symlink() and leftovers(tmp_path) == []


def test_every_byte_is_written_or_the_write_fails() -> None:
    """Python's buffered file reports a short write to a pipe whose reader left as a success
    (the error comes with the next write, if any): a report cut short, and exit 0."""
    read_end, write_end = os.pipe()

    def read_a_little() -> None:
        os.read(read_end, 1000)
        os.close(read_end)

    reader = threading.Thread(target=read_a_little, daemon=True)
    reader.start()
    try:
        sink = outputs.FullWrites(write_end, "<stdout>")
        with pytest.raises(outputs.WriteError) as caught:
            sink.write(b"x" * (4 * 1024 * 1024))
    finally:
        os.close(write_end)
        reader.join(10)
    assert caught.value.broken_pipe
    assert str(caught.value) == "<stdout>: cannot write: Broken pipe"


def big_csv(folder: Path, rows: int = 5000) -> Path:
    path = folder / "big.csv"
    lines = ["企业名称,生产线,领域,单位产品能耗,单位,产量,年份"]
    lines += [
        f"企业{i},L{i % 7},水泥熟料,{95 + i % 30},kgce/t,{1000 + i},2024" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: One command a way of writing to standard output: Arrow's CSV writer, one JSON string, rich.
COMMANDS = [["grade", "-f", "csv"], ["grade", "-f", "json"], ["grade"], ["validate"]]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_standard_output_on_a_full_disk_is_an_ordinary_error(
    tmp_path: Path, command: list[str]
) -> None:
    data = big_csv(tmp_path)
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [benchmark_script(), "--no-config", command[0], str(data), *command[1:]],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    assert proc.returncode == 2, proc.stderr.decode()[-2000:]
    assert proc.stderr.decode() == "error: <stdout>: cannot write: No space left on device\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
@pytest.mark.parametrize("command", [["grade", "-f", "csv"], ["grade"]], ids=" ".join)
def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path, command: list[str]) -> None:
    """``benchmark grade x -f csv | head -1``: no traceback, no message, exit 141 (a shell's
    128 + SIGPIPE, as a Unix tool stopped by its closed pipe)."""
    data = big_csv(tmp_path, rows=20_000)
    proc = subprocess.Popen(
        [benchmark_script(), "--no-config", command[0], str(data), *command[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 141, stderr.decode()[-2000:]
    assert stderr == b""


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs, mounted for the test (needs root and a kernel that lets it mount)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_full_disk_leaves_the_old_report_and_no_temporary_file(
    tiny_disk: Path, tmp_path: Path, fmt: str
) -> None:
    data = big_csv(tmp_path)
    old = tiny_disk / f"report.{fmt}"
    old.write_bytes(b"the previous report")
    proc = subprocess.run(
        [benchmark_script(), "--no-config", "grade", str(data), "-f", fmt, "-o", str(old)],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr.decode()[-2000:]
    assert proc.stderr.decode() == (f"error: {old}: cannot write: No space left on device\n")
    assert old.read_bytes() == b"the previous report"
    assert sorted(p.name for p in tiny_disk.iterdir()) == [old.name]


def test_standard_output_redirected_to_a_full_disk(tiny_disk: Path, tmp_path: Path) -> None:
    data = big_csv(tmp_path)
    with open(tiny_disk / "out.csv", "wb") as out:
        proc = subprocess.run(
            [benchmark_script(), "--no-config", "grade", str(data), "-f", "csv"],
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    assert proc.returncode == 2
    assert proc.stderr.decode() == "error: <stdout>: cannot write: No space left on device\n"

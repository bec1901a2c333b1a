"""Inputs are files, not spellings: each read once, found without looping, read whole from a
pipe, and named the same printable, relative way in every output.

Everything runs through the real CLI (in-process, or as a real process where a pipe, a hang or
standard output itself is under test) on files written here; names that are not UTF-8 are
created from raw bytes, as unzipping a Chinese Windows archive leaves them.
"""

from __future__ import annotations

import glob
import io
import json
import os
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from benchmark._parallel import Cancelled
from benchmark.cli import app
from benchmark.inputs import display_name, expand_inputs, glob_files, readable
from benchmark.readers import read_tables

from .conftest import benchmark_script

CSV = (
    "企业名称,领域,单位产品能耗,产量\n冀东水泥,水泥熟料,98,1000000\n华北水泥,水泥熟料,121,800000\n"
)
ROWS: list[tuple[str, str, int, int]] = [
    ("冀东水泥", "水泥熟料", 98, 1_000_000),
    ("华北水泥", "水泥熟料", 121, 800_000),
]
#: tce the two rows would save at the benchmark level: (121 − 100) kgce/t × 800,000 t.
SAVING_TCE = 16_800.0


def grade_json(
    runner: CliRunner, *args: str, options: tuple[str, ...] = (), input: bytes | None = None
) -> dict[str, Any]:
    """``benchmark grade ARGS -f json``, in-process: the document, never a traceback."""
    result = runner.invoke(
        app, ["--no-config", *options, "grade", *args, "-f", "json"], input=input
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def total_saving(doc: dict[str, Any]) -> float:
    return float(sum(r["saving_to_benchmark_tce"] or 0 for r in doc["results"]))


def xlsx_bytes(tag: str = "") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "领域", "单位产品能耗", "产量"])
    for row in ROWS:
        ws.append([row[0] + tag, *row[1:]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parquet_bytes(tag: str = "") -> bytes:
    table = pa.table(
        {
            "企业名称": [r[0] + tag for r in ROWS],
            "领域": [r[1] for r in ROWS],
            "单位产品能耗": [float(r[2]) for r in ROWS],
            "产量": [r[3] for r in ROWS],
        }
    )
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


MAKERS: dict[str, Callable[..., bytes]] = {
    "csv": lambda tag="": CSV.replace("水泥,", f"水泥{tag},").encode("utf-8"),
    "xlsx": xlsx_bytes,
    "parquet": parquet_bytes,
}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of the test's own (names are shown relative to it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- each file once ----------------------------------------------------------------------------


def test_a_glob_through_a_symlink_to_its_own_folder_reads_each_file_once(
    here: Path, runner: CliRunner
) -> None:
    """Python's glob follows ``self`` 40 times: 41 copies of every row and saving."""
    data = here / "data"
    data.mkdir()
    (data / "plants.csv").write_text(CSV, encoding="utf-8")
    (data / "self").symlink_to(".")
    for argument in ("data/**/*.csv", "data"):
        doc = grade_json(runner, argument)
        assert doc["files"] == ["data/plants.csv"]
        assert doc["rows_total"] == 2 and len(doc["results"]) == 2
        assert total_saving(doc) == pytest.approx(SAVING_TCE)


def test_a_file_named_many_ways_is_read_once_under_its_first_spelling(
    here: Path, runner: CliRunner
) -> None:
    data = here / "data"
    data.mkdir()
    plants = data / "plants.csv"
    plants.write_text(CSV, encoding="utf-8")
    os.link(plants, here / "hard.csv")
    (here / "soft.csv").symlink_to(plants)
    doc = grade_json(
        runner, "soft.csv", "data", str(plants), "hard.csv", "*.csv", "data/../data/plants.csv"
    )
    assert doc["files"] == ["soft.csv"]
    assert [r["file"] for r in doc["results"]] == ["soft.csv", "soft.csv"]
    assert total_saving(doc) == pytest.approx(SAVING_TCE)


def test_two_symlink_loops_are_walked_in_bounded_time(tmp_path: Path) -> None:
    """Two links back to the folder: 2⁴⁰ paths for Python's glob, which never returns. A real
    process under a time limit, so that a regression fails instead of hanging the suite."""
    data = tmp_path / "data"
    (data / "deep").mkdir(parents=True)
    (data / "deep" / "plants.csv").write_text(CSV, encoding="utf-8")
    (data / "a").symlink_to(".")
    (data / "b").symlink_to(".")
    (data / "deep" / "up").symlink_to("..")
    report = tmp_path / "report.json"
    for args in (
        ["grade", "data/**/*.csv", "-f", "json", "-o", "report.json"],
        ["grade", "data", "-f", "json", "-o", "report.json"],
        ["grade", "data/**/*.csv", "-f", "json", "-o", "data/deep/plants.csv"],
    ):
        proc = subprocess.run(
            [benchmark_script(), "--no-config", *args],
            cwd=tmp_path,
            capture_output=True,
            timeout=60,
        )
        if "data/deep/plants.csv" in args:  # the overwrite guard walks the same way
            assert proc.returncode == 2 and b"refusing to write over" in proc.stderr
            continue
        assert proc.returncode == 0, proc.stderr.decode()[-2000:]
        doc = json.loads(report.read_text(encoding="utf-8"))
        assert doc["files"] == ["data/deep/plants.csv"] and doc["rows_total"] == 2


def test_a_folder_reached_by_its_real_name_and_a_link_keeps_the_real_name(here: Path) -> None:
    real = here / "in" / "zone"
    real.mkdir(parents=True)
    (real / "plants.csv").write_text(CSV, encoding="utf-8")
    (here / "in" / "0-shortcut").symlink_to("zone")  # sorts before the real folder
    outside = here / "elsewhere"
    outside.mkdir()
    (outside / "more.csv").write_text(CSV, encoding="utf-8")
    (here / "in" / "linked").symlink_to(outside)  # a link to a folder not inside: followed
    files, problems = expand_inputs(["in"])
    assert problems == []
    assert [f.path for f in files] == ["in/linked/more.csv", "in/zone/plants.csv"]


def test_glob_matches_what_pythons_glob_matches_in_a_tree_without_links(here: Path) -> None:
    for name in (
        "a.csv",
        "b.xlsx",
        ".hidden.csv",
        "sub/c.csv",
        "sub/deeper/d.csv",
        ".secret/e.csv",
        "sub/.f.csv",
        "x[1].csv",
        "sub/deeper/g.parquet",
    ):
        (here / name).parent.mkdir(parents=True, exist_ok=True)
        (here / name).write_text("x", encoding="utf-8")
    patterns = [
        "*.csv",
        "**/*.csv",
        "**",
        "sub/**/*",
        "*/*.csv",
        "**/.*.csv",
        ".*/*.csv",
        "[ab].*",
        "x[[]1].csv",
        "sub/deeper/?.csv",
        str(here / "**" / "*.csv"),
    ]
    for pattern in patterns:
        expected = sorted(h for h in glob.glob(pattern, recursive=True) if os.path.isfile(h))
        assert glob_files(pattern, []) == expected, pattern


def test_arguments_that_name_nothing_are_problems(here: Path, runner: CliRunner) -> None:
    (here / "empty").mkdir()
    result = runner.invoke(app, ["--no-config", "grade", "nope.csv", "empty", "none*.xlsx"])
    assert result.exit_code == 2
    for fragment in (
        "nope.csv: no such file",
        "empty: directory holds no",
        "none*.xlsx: no file matches this pattern",
    ):
        assert fragment in result.stderr


# --- names that are not UTF-8 ------------------------------------------------------------------

GBK_NAME = "工厂能耗".encode("gbk")  # what a zip made on a Chinese Windows holds
BAD_CSV = CSV.replace(",98,", ",9x8,").encode("utf-8")


def make_gbk_inputs(folder: Path) -> dict[str, Path]:
    """A workbook, a CSV and a Parquet file under GBK names, and one under bytes that are no
    text at all; created by their raw bytes. The GBK CSV has one bad value, so that every
    format names it (a table lists files with problems only)."""
    raw = os.fsencode(folder)
    names = {
        "工厂能耗.xlsx": GBK_NAME + b".xlsx",
        "工厂能耗.csv": GBK_NAME + b".csv",
        "工厂能耗.parquet": GBK_NAME + b".parquet",
        "caf\\xe9\\xff.csv": b"caf\xe9\xff.csv",
    }
    made: dict[str, Path] = {}
    for n, (shown, name) in enumerate(names.items()):
        path = raw + b"/" + name
        fmt = shown.rsplit(".", 1)[1]
        with open(path, "wb") as fh:  # each file other plants: not copies of each other (E110)
            fh.write(BAD_CSV if shown == "工厂能耗.csv" else MAKERS[fmt](f"{n}厂"))
        made[shown] = Path(os.fsdecode(path))
    return made


def test_file_names_in_gbk_bytes_are_read_and_shown_in_every_format(
    here: Path, runner: CliRunner
) -> None:
    made = make_gbk_inputs(here)
    expected = sorted(made)
    doc = grade_json(runner, ".")
    assert doc["files"] == [
        "caf\\xe9\\xff.csv",
        "工厂能耗.csv",
        "工厂能耗.parquet",
        "工厂能耗.xlsx",
    ]
    assert sorted({r["file"] for r in doc["results"]}) == expected
    assert [(p["file"], p["code"], p["row"]) for p in doc["problems"]] == [
        ("工厂能耗.csv", "E104", 2)
    ]
    assert len(doc["results"]) == 7
    assert total_saving(doc) == pytest.approx(4 * SAVING_TCE)

    for args in (
        ["grade", ".", "-f", "csv"],
        ["grade", "."],
        ["validate", "."],
        ["validate", ".", "-f", "json"],
        ["grade", ".", "-f", "junit"],
        ["grade", ".", "-f", "github"],
        ["grade", ".", "-f", "markdown"],
    ):
        result = runner.invoke(app, ["--no-config", *args])
        assert result.exit_code == 1, (args, result.output)
        assert "internal error" not in result.output and "\\udc" not in result.output
        assert "工厂能耗.csv" in result.stdout, args
    csv_rows = runner.invoke(app, ["--no-config", "grade", ".", "-f", "csv"]).stdout
    assert sorted({line.split(",")[0].strip('"') for line in csv_rows.splitlines()[1:]}) == expected

    result = runner.invoke(app, ["--no-config", "grade", ".", "-f", "xlsx", "-o", "r.xlsx"])
    assert result.exit_code == 1, result.output
    book = openpyxl.load_workbook(here / "r.xlsx", read_only=True)
    column = {
        str(row[0]) for row in book["Results"].iter_rows(min_row=3, max_col=1, values_only=True)
    }
    assert sorted(column) == expected


def test_a_gbk_name_on_the_real_standard_output(tmp_path: Path) -> None:
    """The terminal table, printed by rich to the process's own standard output."""
    make_gbk_inputs(tmp_path)
    proc = subprocess.run(
        [benchmark_script(), "--no-config", "grade", "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    assert proc.returncode == 1, proc.stderr.decode()[-2000:]
    assert "工厂能耗.csv" in proc.stdout.decode("utf-8")


def test_readable_decodes_gbk_escapes_the_rest() -> None:
    assert readable(os.fsdecode(b"data/" + GBK_NAME + b".xlsx")) == "data/工厂能耗.xlsx"
    assert readable(os.fsdecode(b"caf\xe9\xff.csv")) == "caf\\xe9\\xff.csv"
    assert readable("plain/工厂.csv") == "plain/工厂.csv"
    assert readable("evil\u202efdp.xlsx") == "evil\\u202efdp.xlsx"


# --- display names -----------------------------------------------------------------------------


def test_reports_name_inputs_relative_to_the_working_directory(
    here: Path, runner: CliRunner
) -> None:
    """An absolute path under the working directory must not travel in a handed-over report."""
    folder = here / "clients" / "acme"
    folder.mkdir(parents=True)
    plants = folder / "plants.csv"
    plants.write_text(CSV.replace(",98,", ",9x8,"), encoding="utf-8")  # one problem too
    doc = grade_json(runner, str(plants))
    shown = "clients/acme/plants.csv"
    assert doc["files"] == [shown]
    assert {r["file"] for r in doc["results"]} == {shown}
    assert [p["file"] for p in doc["problems"]] == [shown]
    for fmt in ("xlsx", "html"):
        result = runner.invoke(
            app, ["--no-config", "grade", str(plants), "-f", fmt, "-o", f"report.{fmt}"]
        )
        assert result.exit_code == 1, result.output
    book = openpyxl.load_workbook(here / "report.xlsx", read_only=True)
    texts = [
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    assert not any(str(here) in t for t in texts)
    assert any(shown in t for t in texts)
    html = (here / "report.html").read_text(encoding="utf-8")
    assert str(here) not in html and shown in html


def test_hide_paths_shows_file_names_only_and_tells_namesakes_apart(
    here: Path, runner: CliRunner
) -> None:
    for zone in ("north", "south"):  # two regions' lists: other plants, the same file name
        (here / zone).mkdir()
        (here / zone / "plants.csv").write_text(
            CSV.replace("水泥,", f"水泥{zone[0]}厂,"), encoding="utf-8"
        )
    doc = grade_json(runner, str(here / "north"), "south", options=("--hide-paths",))
    assert doc["files"] == ["plants.csv", "plants.csv (2)"]
    assert [r["file"] for r in doc["results"]] == ["plants.csv"] * 2 + ["plants.csv (2)"] * 2
    text = json.dumps(doc, ensure_ascii=False)
    assert "north" not in text and "south" not in text


def test_display_names_outside_the_working_directory(
    here: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Never the absolute path of the machine that made the report: relative, with ``..``."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shown = display_name(str(elsewhere / "data" / "p.csv"))
    assert not os.path.isabs(shown) and not shown.startswith("~")
    assert os.path.normpath(os.path.join(os.getcwd(), shown)) == str(elsewhere / "data" / "p.csv")
    assert shown.startswith("..") and shown.endswith(os.path.join("data", "p.csv"))
    assert display_name("../x/p.csv") == "../x/p.csv"
    assert display_name(str(here / "a" / ".." / "b.csv")) == "b.csv"
    assert display_name("-") == "<stdin>"
    assert display_name(str(here / "deep" / "p.csv"), hide_paths=True) == "p.csv"


# --- pipes and standard input ------------------------------------------------------------------


def _feed(fd: int, data: bytes) -> threading.Thread:
    def write() -> None:
        with open(fd, "wb") as fh:
            fh.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


NEEDS_DEV_FD = pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd")


@NEEDS_DEV_FD
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_a_pipe_is_read_once_whole(tmp_path: Path, fmt: str) -> None:
    """``benchmark grade <(cat plants.csv)``: the bytes sniffed are not lost to the parser.
    The workbook's temporary copy is gone afterwards."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    read_end, write_end = os.pipe()
    data = MAKERS[fmt]()
    if fmt == "csv":  # more than a pipe's buffer, so that the writer has to wait for us
        data += "".join(f"企业{i},水泥熟料,{95 + i % 30},1000\n" for i in range(20_000)).encode(
            "utf-8"
        )
    feeder = _feed(write_end, data)
    proc = subprocess.run(
        [benchmark_script(), "--no-config", "grade", f"/dev/fd/{read_end}", "-f", "json"],
        pass_fds=(read_end,),
        capture_output=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    os.close(read_end)
    feeder.join(10)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    doc = json.loads(proc.stdout)
    assert doc["files"] == [f"/dev/fd/{read_end}"] and doc["problems"] == []
    assert doc["rows_total"] == (20_002 if fmt == "csv" else 2)
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_standard_input_in_every_format(runner: CliRunner, fmt: str) -> None:
    doc = grade_json(runner, "-", input=MAKERS[fmt]())
    assert doc["files"] == ["<stdin>"] and doc["problems"] == []
    assert total_saving(doc) == pytest.approx(SAVING_TCE)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_fifo_is_read_once(tmp_path: Path) -> None:
    fifo = tmp_path / "plants.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as fh:
            fh.write(CSV.encode("utf-8"))

    read: list[Any] = []
    writer = threading.Thread(target=write, daemon=True)
    reader = threading.Thread(target=lambda: read.append(read_tables(fifo)), daemon=True)
    writer.start()
    reader.start()
    reader.join(60)  # opened a second time, a FIFO waits for a writer that never comes
    if reader.is_alive():
        with open(fifo, "wb"):
            pass  # let the stuck read end before failing
        pytest.fail("the FIFO was opened twice")
    tables, problems = read[0]
    assert problems == [] and len(tables) == 1 and len(tables[0].frame) == 2


def test_a_pipe_over_the_size_limit_is_refused(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCHMARK_MAX_UNCOMPRESSED", "1000")
    result = runner.invoke(
        app, ["--no-config", "validate", "-", "-f", "json"], input=CSV.encode("utf-8") * 40
    )
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(p["code"], p["file"]) for p in doc["problems"]] == [("E004", "<stdin>")]
    assert "BENCHMARK_MAX_UNCOMPRESSED" in doc["problems"][0]["message"]


def test_a_pipe_without_line_ends_is_refused_after_its_first_megabyte(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["--no-config", "validate", "-", "-f", "json"], input=b"x" * (3 * 1024 * 1024)
    )
    doc = json.loads(result.stdout)
    assert [(p["code"], p["row"]) for p in doc["problems"]] == [("E004", 1)]
    assert "line 1 is longer than the limit" in doc["problems"][0]["message"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero and /dev/urandom")
def test_endless_devices_are_refused_without_reading_them_to_the_limit() -> None:
    """Text stops being read at its first NUL byte: refused at once, not after 2 GiB."""
    for device in ("/dev/zero", "/dev/urandom"):
        _, problems = read_tables(device)
        assert [p.code for p in problems] == ["E001"], device
    assert "a NUL byte on line 1" in read_tables("/dev/zero")[1][0].message


@NEEDS_DEV_FD
def test_a_cancelled_run_stops_reading_a_silent_pipe() -> None:
    """The writer of the pipe says nothing and never closes it: setting ``stop`` (Ctrl-C or
    SIGTERM in the main thread) still ends the read, so the run can exit."""
    read_end, write_end = os.pipe()
    stop = threading.Event()
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_tables(f"/dev/fd/{read_end}", stop=stop)
        except BaseException as exc:  # the outcome under test
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(0.5)
    assert reader.is_alive(), "the read should be waiting for the pipe"
    stop.set()
    reader.join(30)
    try:
        assert not reader.is_alive() and len(outcome) == 1
        assert isinstance(outcome[0], Cancelled)
    finally:
        os.close(write_end)
        os.close(read_end)

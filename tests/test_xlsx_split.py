"""Large sheets read in pieces (benchmark.readers.split) must read exactly as the whole sheet does.

The thresholds are lowered so that workbooks of a few thousand rows, written here by openpyxl
or byte by byte, are cut into several pieces; every result is compared with the plain read of
the same file, coordinates included.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from benchmark import _parallel as parallel
from benchmark.readers import Table, iter_tables, pieces, read_tables, split, xlsx
from benchmark.readers.numbers import calamine_text, cell_texts
from benchmark.readers.split import SheetPiece, SheetSplitter, plan_pieces

from .conftest import HEADER_ZH, ROOT, RecordingEvents, WriteXlsx
from .test_hostile import sheet_xml, write, xlsx_bytes

HEADER = ["企业名称", "领域", "单位产品能耗"]


def whole(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Table], list[str]]:
    with monkeypatch.context() as m:
        m.setattr(xlsx, "workers", parallel.workers)
        m.setenv("BENCHMARK_WORKERS", "1")
        tables, problems = read_tables(path)
    return tables, [str(p) for p in problems]


def cells(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """Each column as the text of its cells: a column read as numbers (in pieces) and the same
    column read as text (whole) must show the same texts, which are what validation parses."""
    return {name: cell_texts(frame[name]).tolist() for name in frame.columns}


def assert_same_read(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Table]:
    tables, problems = read_tables(path)
    expected, expected_problems = whole(path, monkeypatch)
    assert [str(p) for p in problems] == expected_problems
    assert len(tables) == len(expected)
    for got, want in zip(tables, expected, strict=True):
        assert (got.file, got.sheet, got.header_row) == (want.file, want.sheet, want.header_row)
        assert got.letters == want.letters and got.headers == want.headers
        assert got.rows.tolist() == want.rows.tolist()
        assert list(got.frame.columns) == list(want.frame.columns)
        assert cells(got.frame) == cells(want.frame)
    return tables


@pytest.mark.parametrize("epoch", [CALENDAR_WINDOWS_1900, CALENDAR_MAC_1904])
def test_a_large_sheet_read_in_pieces_equals_the_whole_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pieces_read: list[SheetPiece],
    epoch: dt.datetime,
) -> None:
    """Title row, header from column B, blank rows (some at piece boundaries), dates (in both
    of Excel's date systems), text in a number column, a note column only late rows use, and
    numbers nine decimals do not hold: in a column read as numbers in the pieces (capacity)
    and in one read as text (value, which holds text too)."""
    wb = openpyxl.Workbook()
    wb.epoch = epoch
    ws = wb.active
    assert ws is not None
    ws["B1"] = "2021年度能效填报（测试）"
    for c, name in enumerate(HEADER_ZH, 2):
        ws.cell(row=2, column=c, value=name)
    excel_row = {}
    r = 3
    for i in range(3000):
        if i % 250 == 0:
            r += 1  # a blank row
        value: object = 100 + i % 37 / 10 if i % 97 else "约100"
        if i % 13 == 0:
            value = 100 + i / 3
        year: object = 2021 if i % 1500 else dt.datetime(2021, 6, 30)
        cells: list[Any] = [
            f"厂{i}",
            f"{i % 3 + 1}号线",
            "水泥熟料",
            None,
            value,
            "kgce/t",
            1000 + i,
            1000 + i / 7,
            year,
            "河北",
        ]
        for c, v in enumerate(cells, 2):
            ws.cell(row=r, column=c, value=v)
        if i > 2800 and i % 50 == 0:
            ws.cell(row=r, column=14, value="备注")
        if i in (2990, 2995):  # repeats of rows in the first piece: E110 across pieces
            ws.cell(row=r, column=2, value=f"厂{i - 2900}")
            ws.cell(row=r, column=3, value=f"{(i - 2900) % 3 + 1}号线")
            ws.cell(row=r, column=6, value=100 + (i - 2900) % 37 / 10)
            ws.cell(row=r, column=10, value=2021)
        excel_row[f"厂{i}"] = r
        r += 1
    path = tmp_path / "large.xlsx"
    wb.save(path)

    tables = assert_same_read(path, monkeypatch)
    assert len(pieces_read) >= 4
    # Validated piece by piece (duplicates once the sheet is complete) as when read whole.
    from benchmark.pipeline import check_files

    checked = check_files([str(path)])
    with monkeypatch.context() as m:
        m.setattr(xlsx, "workers", parallel.workers)
        m.setenv("BENCHMARK_WORKERS", "1")
        alone = check_files([str(path)])
    assert [str(p) for p in checked.problems] == [str(p) for p in alone.problems]
    assert checked.frame.equals(alone.frame)
    # Graded piece by piece as each is checked, as when the whole sheet is graded at the end.
    from benchmark.grading import grade

    events = RecordingEvents()
    graded = check_files([str(path)], grade=True, events=events)
    reported = events.row_counts
    assert graded.frame.equals(grade(checked.frame))
    assert len(reported) >= 4 and sum(reported) == graded.rows_total  # a count a piece
    assert "tier" in graded.frame.columns and graded.frame["tier"].notna().all()
    assert any(p.code == "E104" for p in checked.problems)
    assert [p.row for p in checked.problems if p.code == "E110"] == [
        excel_row["厂2990"],
        excel_row["厂2995"],
    ]
    frame, rows = tables[0].frame, tables[0].rows
    assert tables[0].letters["enterprise"] == "B"
    for name in ("厂0", "厂1234", "厂2998"):
        at = frame.index[frame["enterprise"] == name][0]
        assert rows[at] == excel_row[name]
    # Every figure exact, to the last bit (openpyxl writes 16 significant digits).
    for i in (13, 1300, 2951):
        at = checked.frame.index[checked.frame["enterprise"] == f"厂{i}"][0]
        value, capacity = float(f"{100 + i / 3:.16g}"), float(f"{1000 + i / 7:.16g}")
        assert checked.frame.at[at, "value"] == value != float(calamine_text(value))
        assert checked.frame.at[at, "capacity"] == capacity != float(calamine_text(capacity))
    # The pieces after the first read the number columns as numbers: output always, year
    # where no date is among its cells (calamine reads a date-styled number as a date).
    parts = [part for part in iter_tables(path) if part.table is not None]
    body = [part.table.frame for part in parts[1:] if part.table is not None]
    assert len(body) >= 4 and all(f["output"].dtype == "float64" for f in body)
    assert {f["year"].dtype == "float64" for f in body} == {True, False}


def test_pieces_cut_anywhere_in_the_stream_hold_every_row_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(split, "MIN_PIECE_BYTES", 1)
    rows = [HEADER] + [[f"厂{i}", "水泥熟料", 100 + i] for i in range(400)]
    xml = sheet_xml(rows)
    original = re.findall(rb'<row r="\d+">.*?</row>', xml)
    for size in (1, 5, 97, 4096, len(xml)):
        # A row tag cut by a chunk boundary is no cut point: chunks of a few bytes give one
        # piece (read whole); real chunks are megabytes.
        out = tmp_path / f"by{size}"
        out.mkdir()
        splitter = SheetSplitter(out, "xl/worksheets/sheet1.xml", {}, len(xml), pieces=6)
        for at in range(0, len(xml), size):
            splitter.feed(xml[at : at + size])
        pieces = splitter.finish()
        if size < 20:
            assert pieces is None
            continue
        assert pieces is not None and len(pieces) >= 4, size
        seen: list[bytes] = []
        for k, piece in enumerate(pieces):
            with zipfile.ZipFile(piece.path) as z:
                part = z.read("xl/worksheets/sheet1.xml")
            ElementTree.fromstring(part)  # each piece is well-formed XML
            found = re.findall(rb'<row r="\d+">.*?</row>', part)
            if k:
                assert piece.first_row is not None
                assert found[0].startswith(b'<row r="%d">' % (piece.first_row - 1))
                assert piece.token.encode() in found[0]
                found = found[1:]
                assert found[0].startswith(b'<row r="%d">' % piece.first_row)
            seen.extend(found)
        assert seen == original, size


def test_hidden_markup_is_not_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces_read: list[SheetPiece]
) -> None:
    """A CDATA section could hide text that looks like a row tag: such a sheet is read whole."""
    rows = [HEADER] + [[f"厂{i}", "水泥熟料", 100] for i in range(300)]
    xml = sheet_xml(rows).replace(
        b'<t xml:space="preserve">\xe5\x8e\x82150<', b'<t><![CDATA[<row r="9">]]><'
    )
    assert b"CDATA" in xml
    path = write(tmp_path / "cdata.xlsx", xlsx_bytes({"Sheet1": xml}))
    assert_same_read(path, monkeypatch)
    assert pieces_read == []


def test_rows_out_of_order_fall_back_to_the_whole_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces_read: list[SheetPiece]
) -> None:
    """A row written after its successors lands before a piece's sentinel: caught, read whole."""
    rows = [HEADER] + [[f"厂{i}", "水泥熟料", 100 + i] for i in range(300)]
    xml = sheet_xml(rows)
    late = re.search(rb'<row r="150">.*?</row>', xml)
    assert late is not None
    xml = xml.replace(late.group(0), b"").replace(b"</sheetData>", late.group(0) + b"</sheetData>")
    path = write(tmp_path / "unordered.xlsx", xlsx_bytes({"Sheet1": xml}))
    tables = assert_same_read(path, monkeypatch)
    assert pieces_read, "the pieces were tried first"
    assert 150 in tables[0].rows.tolist()


def test_a_sparse_cell_in_a_late_piece_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces_read: list[SheetPiece]
) -> None:
    rows = [HEADER] + [[f"厂{i}", "水泥熟料", 100] for i in range(300)]
    xml = sheet_xml(rows).replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    path = write(tmp_path / "sparse.xlsx", xlsx_bytes({"Sheet1": xml}))
    tables, problems = read_tables(path)
    assert tables == []
    assert [p.code for p in problems] == ["E004"]
    assert whole(path, monkeypatch) == ([], [str(p) for p in problems])
    assert all(p.first_row is None or p.first_row < 1_048_576 for p in pieces_read)


def test_a_dtd_in_shared_strings_is_refused_before_any_piece_is_read(
    tmp_path: Path, pieces_read: list[SheetPiece]
) -> None:
    rows = [HEADER] + [[f"厂{i}", "水泥熟料", 100] for i in range(300)]
    shared = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><sst xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&e;'
        "</t></si></sst>"
    )
    path = write(tmp_path / "dtd.xlsx", xlsx_bytes({"Sheet1": sheet_xml(rows)}, shared=shared))
    tables, problems = read_tables(path)
    assert tables == [] and [p.code for p in problems] == ["E001"]
    assert "declares a DTD" in problems[0].message
    assert pieces_read == []


def test_benchmark_workers_caps_the_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCHMARK_WORKERS", "1")
    assert parallel.workers() == 1
    assert parallel.parallel_map(lambda x: x * 2, [1, 2, 3]) == [2, 4, 6]
    monkeypatch.setenv("BENCHMARK_WORKERS", "lots")  # not a number: ignored
    assert parallel.workers() >= 1


def test_plan_pieces_splits_only_large_sheets_on_several_cores() -> None:
    mb = 1024 * 1024
    assert plan_pieces(352 * mb, 19 * mb, workers=2) == 4
    assert plan_pieces(352 * mb, 19 * mb, workers=1) == 1
    assert plan_pieces(4 * mb, 0, workers=8) == 1
    assert plan_pieces(100 * mb, 30 * mb, workers=2) == 1  # shared strings repeated per piece
    assert plan_pieces(30 * mb, 0, workers=8) == 3


def test_a_late_piece_calamine_cannot_parse_retracts_the_parts_already_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces_read: list[SheetPiece]
) -> None:
    """Earlier pieces were read and validated when a later one fails: the sheet is then read
    whole, which reports the error, and none of the rows checked so far is kept."""
    from benchmark.pipeline import check_files

    rows = [HEADER] + [[f"厂{i}", "水泥熟料", 100 + i % 7] for i in range(300)]
    xml = re.sub(
        rb'<row r="280">.*?</row>',
        b'<row r="280"><c r="A280" t="n"><v>abc</v></c></row>',
        sheet_xml(rows),
    )
    path = write(tmp_path / "late.xlsx", xlsx_bytes({"Sheet1": xml}))
    events = RecordingEvents()
    checked = check_files([str(path)], events=events)
    reported = events.row_counts
    assert len(pieces_read) >= 3
    assert checked.rows_valid == 0 and checked.rows_total == 0
    # the progress counted the pieces checked, then took them back
    assert reported and reported[-1] < 0 and sum(reported) == 0
    assert [(p.code, p.sheet) for p in checked.problems] == [("E001", "Sheet1")]
    assert "sheet cannot be read" in checked.problems[0].message
    with monkeypatch.context() as m:
        m.setattr(xlsx, "workers", parallel.workers)
        m.setenv("BENCHMARK_WORKERS", "1")
        alone = check_files([str(path)])
    assert [str(p) for p in alone.problems] == [str(p) for p in checked.problems]


def test_the_splitter_its_directory_and_threads_exist_only_for_a_sheet_worth_splitting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_xlsx: WriteXlsx
) -> None:
    """A two-row workbook gets no temporary directory and no thread pool; a workbook with two
    large sheets gets one of each, and both are gone once it is read."""
    made: list[str] = []
    real_dir, real_pool = pieces.tempfile.TemporaryDirectory, pieces.ThreadPoolExecutor

    def directory(**kw: Any) -> Any:
        made.append("dir")
        return real_dir(**kw)

    def pool(*args: Any) -> Any:
        made.append("pool")
        return real_pool(*args)

    monkeypatch.setattr(pieces.tempfile, "TemporaryDirectory", directory)
    monkeypatch.setattr(pieces, "ThreadPoolExecutor", pool)
    monkeypatch.setattr(xlsx, "workers", lambda: 2)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))

    small = write_xlsx([["冀东水泥", "1号线", "水泥熟料", None, 100]] * 2)
    assert len(read_tables(small)[0][0].frame) == 2
    assert made == []

    monkeypatch.setattr(split, "MIN_SPLIT_BYTES", 1)
    monkeypatch.setattr(split, "MIN_PIECE_BYTES", 1)
    rows = [HEADER] + [[f"厂{i}", "水泥熟料", 100 + i] for i in range(300)]
    two = write(tmp_path / "two.xlsx", xlsx_bytes({"A": sheet_xml(rows), "B": sheet_xml(rows)}))
    tables, problems = read_tables(two)
    assert problems == [] and [len(t.frame) for t in tables] == [300, 300]
    assert sorted(made) == ["dir", "pool"]
    assert not list(scratch.iterdir())


def test_a_workbook_read_in_pieces_is_not_opened_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces_read: list[SheetPiece]
) -> None:
    """Every sheet read in pieces: the workbook itself is never handed to calamine (that
    would parse its shared strings once more, for nothing), and the sheets come in the
    workbook's order, the hidden one skipped and named, as when read whole."""
    import fastexcel

    opened: list[str] = []
    real = fastexcel.read_excel

    def spy(path: str, *args: Any, **kwargs: Any) -> Any:
        opened.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr("fastexcel.read_excel", spy)
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "B 表"
    for title, count in (("B 表", 300), ("A", 120), ("隐藏", 50)):
        ws = first if title == "B 表" else wb.create_sheet(title)
        ws.append(HEADER)
        for i in range(count):
            ws.append([f"厂{i}", "水泥熟料", 100 + i])
    wb["隐藏"].sheet_state = "hidden"
    book = tmp_path / "book.xlsx"
    wb.save(book)
    parts = list(iter_tables(book))
    rows: dict[str | None, int] = {}
    for part in parts:
        if part.table is not None:
            rows[part.table.sheet] = rows.get(part.table.sheet, 0) + len(part.table.frame)
    assert rows == {"B 表": 300, "A": 120} and list(rows) == ["B 表", "A"]
    assert any("hidden sheet skipped: 隐藏" in str(n) for p in parts for n in p.notices)
    assert opened and "book.xlsx" not in opened
    assert len(pieces_read) == len(opened)


# --- nothing left behind, no traceback ------------------------------------------------------


def _generate() -> Any:
    """benchmarks/generate.py, which writes large workbooks fast."""
    name = "benchmarks_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


@pytest.fixture(scope="module")
def large_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100,000 rows: 35 MB of sheet XML, which a two-core reader cuts into pieces as it is."""
    generate = _generate()
    path = tmp_path_factory.mktemp("large") / "plants.xlsx"
    generate.write_xlsx(generate.make_rows(100_000, seed=7), path)
    return path


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, RuntimeError])
def test_a_run_stopped_while_a_large_workbook_is_read_leaves_no_piece_behind(
    large_xlsx: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    interrupt: type[BaseException],
) -> None:
    """Ctrl-C (or any error, here from the progress callback) as the first piece is checked:
    the pieces written for the rest of the sheet, about seven times the workbook's size, are
    all gone by the time check_files gives up."""
    from benchmark.pipeline import check_files

    monkeypatch.setattr(xlsx, "workers", lambda: 2)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    seen: list[int] = []

    class StopHere(RecordingEvents):
        def rows(self, path: str, count: int) -> None:
            seen.append(count)
            raise interrupt

    try:
        check_files([str(large_xlsx)], events=StopHere())
    except interrupt:
        # Checked while the error is still alive: its traceback holds every frame of the
        # read, and nothing may wait for those to be collected.
        assert list(scratch.iterdir()) == []
    else:
        pytest.fail("not stopped")
    assert seen and seen[0] < 100_000, "stopped at the first piece"


def test_a_workbook_read_abandoned_half_way_leaves_no_piece_behind(
    large_xlsx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmark.readers import iter_tables

    monkeypatch.setattr(xlsx, "workers", lambda: 2)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    parts = iter_tables(large_xlsx)
    first = next(parts)
    assert first.table is not None and not first.last
    assert list(scratch.iterdir()), "the later pieces are waiting on disk"
    parts.close()
    assert list(scratch.iterdir()) == []


@pytest.fixture
def tiny_tmpdir(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs: far too small for the pieces of a large sheet (root only)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    where = tmp_path / "tiny"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


#: Reads a workbook as a two-core machine would, printing what it read and every notice.
_READ = """
import json, sys
from benchmark.readers import iter_tables, xlsx
from benchmark.readers.table import collect_parts
xlsx.workers = lambda: int(sys.argv[2])
parts = list(iter_tables(sys.argv[1]))
tables, problems = collect_parts(parts)
print(json.dumps({
    "rows": [t.rows.tolist() for t in tables],
    "frames": [t.frame.astype("string").fillna("").values.tolist() for t in tables],
    "problems": [str(p) for p in problems],
    "notices": [str(n) for p in parts for n in p.notices]}))
"""


def test_too_little_temporary_space_reads_the_sheet_whole_and_says_so_once(
    large_xlsx: Path, tiny_tmpdir: Path
) -> None:
    """No `Exception ignored in ZipFile.__del__ … No space left on device`, no traceback: the
    same rows as the whole read, and one notice."""

    def read(workers: int, tmpdir: Path) -> tuple[dict[str, Any], str]:
        env = {**os.environ, "TMPDIR": str(tmpdir)}
        done = subprocess.run(
            [sys.executable, "-c", _READ, str(large_xlsx), str(workers)],
            capture_output=True,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr.decode()
        return json.loads(done.stdout), done.stderr.decode()

    squeezed, stderr = read(2, tiny_tmpdir)
    assert stderr == ""
    whole, _ = read(1, tiny_tmpdir)
    assert squeezed["rows"] == whole["rows"] and squeezed["frames"] == whole["frames"]
    assert squeezed["problems"] == whole["problems"] == []
    assert len(squeezed["notices"]) == 1 and whole["notices"] == []
    assert "not enough temporary space" in squeezed["notices"][0]
    assert list(tiny_tmpdir.iterdir()) == []


def test_the_first_piece_holds_the_rows_a_header_may_be_in_and_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With head_rows, the first piece ends before row 21 however small it is, so that the
    pieces after it hold data rows only (read as numbers where the census allows)."""
    monkeypatch.setattr(split, "MIN_PIECE_BYTES", 1)
    rows = [["2021年度填报"], [], HEADER] + [[f"厂{i}", "水泥熟料", 100 + i] for i in range(400)]
    xml = sheet_xml(rows)
    splitter = SheetSplitter(
        tmp_path, "xl/worksheets/sheet1.xml", {}, len(xml), pieces=3, head_rows=20
    )
    for at in range(0, len(xml), 4096):
        splitter.feed(xml[at : at + 4096])
    found = splitter.finish()
    assert found is not None and len(found) == 4  # the head and three pieces of the rest
    with zipfile.ZipFile(found[0].path) as z:
        head = z.read("xl/worksheets/sheet1.xml")
    assert re.findall(rb'<row r="(\d+)"', head)[-1] == b"20"
    assert [p.first_row for p in found][:2] == [None, 21]
    assert found[0].end == found[1].start < found[1].end == found[2].start


def test_merged_enterprises_spanning_pieces_fill_as_when_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces_read: list[SheetPiece]
) -> None:
    """An enterprise merged over its seven lines, blocks running across the pieces' edges:
    each line gets its enterprise, as in the whole read, and duplicates are found across."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "生产线", "领域", "单位产品能耗"])
    for i in range(2100):
        ws.append(
            [f"企业{i // 7}" if i % 7 == 0 else None, f"{i % 7 + 1}#窑", "水泥熟料", 100 + i % 17]
        )
    for block in range(300):
        ws.merge_cells(f"A{2 + 7 * block}:A{8 + 7 * block}")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    tables = assert_same_read(path, monkeypatch)
    assert len(pieces_read) >= 4
    enterprise = tables[0].frame["enterprise"]
    assert enterprise.notna().all()
    assert enterprise.tolist() == [f"企业{i // 7}" for i in range(2100)]

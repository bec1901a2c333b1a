"""Hostile and broken input, generated here, each with its outcome through the real CLI.

Every case must give a problem naming the file (and sheet, row and column where there is one),
exit 1 (2 when the command cannot run at all), no traceback, and finish in bounded time. The
cases that would hurt most if a guard failed — zip bombs, sparse sheets, a 100 MB line — also run
as real subprocesses under an address-space limit, so a regression fails the test instead of
taking the machine down. The README's table "What bad input gets" lists exactly these outcomes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner, Result

from benchmark.cli import app
from benchmark.inputs import display_name

from .conftest import benchmark_script

HEADER = ["企业名称", "领域", "单位产品能耗"]
GOOD = ["冀东水泥", "水泥熟料", 100]
LIMIT_AS = 2_500_000_000  # bytes of address space for guarded subprocesses

# --- building workbooks byte by byte -----------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"


def col(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[Any]], prolog: str = "", extra: str = "") -> bytes:
    """A worksheet part: rows from row 1, one inline-string or number cell per value."""
    out = [f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}"><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append(
            f'<row r="{r}">'
            + "".join(cell(f"{col(c)}{r}", v) for c, v in enumerate(row))
            + "</row>"
        )
    out.append(f"</sheetData>{extra}</worksheet>")
    return "".join(out).encode()


def xlsx_bytes(
    sheets: Mapping[str, bytes],
    shared: bytes | str | None = None,
    parts: Mapping[str, bytes] | None = None,
) -> bytes:
    """A minimal, valid .xlsx holding the given sheet parts (and shared strings, extra parts)."""
    ct = [
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
    ]
    rels = [f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">']
    listed = []
    for i, name in enumerate(sheets, 1):
        ct.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        rels.append(
            f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        )
        listed.append(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>')
    if shared is not None:
        rels.append(
            f'<Relationship Id="rIdS" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "".join(ct) + "</Types>")
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="{PKG}/relationships"><Relationship Id="rId1" Type="{RELS}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook '
            f'xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{"".join(listed)}</sheets>'
            "</workbook>",
        )
        z.writestr("xl/_rels/workbook.xml.rels", "".join(rels) + "</Relationships>")
        for i, data in enumerate(sheets.values(), 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", data)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
        for name, data in (parts or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def workbook(tmp_path: Path, name: str, rows: Sequence[Sequence[Any]], **kw: Any) -> Path:
    return write(tmp_path / name, xlsx_bytes({"Sheet1": sheet_xml(rows, **kw)}))


def with_cells(extra: str) -> bytes:
    """The good one-row sheet plus raw XML (more rows or cells) at the end of sheetData."""
    return sheet_xml([HEADER, GOOD]).replace(b"</sheetData>", extra.encode() + b"</sheetData>")


# --- running the CLI ---------------------------------------------------------------------------


def invoke(runner: CliRunner, *args: str, **kw: Any) -> Result:
    """Run the CLI in-process; never a traceback, whatever the outcome."""
    result = runner.invoke(app, ["--no-config", *args], **kw)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def validate(
    runner: CliRunner, *paths: Path | str, limit: float = 10.0, **kw: Any
) -> tuple[int, dict[str, Any]]:
    """`benchmark validate --format json`: exit code and the document, within ``limit`` s."""
    start = time.perf_counter()
    result = invoke(runner, "validate", "--format", "json", *map(str, paths), **kw)
    assert time.perf_counter() - start < limit
    return result.exit_code, json.loads(result.stdout)


def only_problem(
    runner: CliRunner, path: Path, code: str, *fragments: str, limit: float = 10.0, **where: Any
) -> dict[str, Any]:
    """The single problem of a file that cannot be used at all: exit 1, one line naming it."""
    status, doc = validate(runner, path, limit=limit)
    assert status == 1
    assert [p["code"] for p in doc["problems"]] == [code], doc["problems"]
    found: dict[str, Any] = doc["problems"][0]
    assert found["file"] == display_name(str(path))
    for key, value in where.items():
        assert found[key] == value, (key, found)
    for fragment in fragments:
        assert fragment in found["message"], found["message"]
    assert doc["rows_valid"] == 0
    text = invoke(runner, "validate", str(path)).stdout
    assert any(
        line.startswith(display_name(str(path))) and f": {code} " in line
        for line in text.splitlines()
    )
    return found


def problems_of(doc: dict[str, Any]) -> list[tuple[str, int | None, str | None]]:
    return [(p["code"], p["row"], p["column"]) for p in doc["problems"]]


def limited() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))


def run_script(
    *args: str,
    stdin: bytes | None = None,
    timeout: float = 30.0,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """The installed ``benchmark`` script as a real process, under an address-space limit."""
    proc = subprocess.run(
        [benchmark_script(), "--no-config", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        preexec_fn=limited if sys.platform == "linux" else None,
    )
    assert b"Traceback" not in proc.stderr and b"Traceback" not in proc.stdout
    assert proc.returncode in (0, 1, 2), (proc.returncode, proc.stderr[-2000:])
    return proc


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    start = time.perf_counter()
    yield
    assert time.perf_counter() - start < seconds


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# --- zip bombs ---------------------------------------------------------------------------------

ROW_XML = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000


def bomb_bytes(size: int) -> bytes:
    """A workbook whose one sheet inflates to ``size`` bytes of rows (about 340:1)."""
    good = xlsx_bytes({"Sheet1": sheet_xml([HEADER, GOOD])})
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info))
                continue
            head = src.read(info).split(b"</sheetData>")[0]
            with dst.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(head)
                written = 0
                while written < size:
                    fh.write(ROW_XML)
                    written += len(ROW_XML)
                fh.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 MB of sheet XML in under a megabyte; built once (about a second)."""
    return write(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", bomb_bytes(300 * 1024**2))


def test_zip_bomb_refused_by_compression_ratio_in_a_real_process(zip_bomb: Path) -> None:
    assert zip_bomb.stat().st_size < 2 * 1024**2
    with within(10):
        proc = run_script("validate", str(zip_bomb))
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert f"{display_name(str(zip_bomb))}: E004 compression ratio" in out
    assert "exceeds the limit of 200:1" in out


def test_zip_bomb_refused_by_size_limit_from_the_environment(
    zip_bomb: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCHMARK_MAX_UNCOMPRESSED", str(100 * 1024**2))
    found = only_problem(
        runner,
        zip_bomb,
        "E004",
        "exceeds the limit of 104,857,600 bytes",
        "BENCHMARK_MAX_UNCOMPRESSED",
    )
    assert found["sheet"] is None


def test_zip_entry_lying_about_its_size_is_refused_while_inflating(
    tmp_path: Path, runner: CliRunner
) -> None:
    """The directory says 1,000 bytes; calamine would inflate all 50 MB regardless."""
    raw = bytearray(bomb_bytes(50 * 1024**2))
    name = b"xl/worksheets/sheet1.xml"
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = raw.find(sig)
        while at >= 0:
            n = struct.unpack_from("<H", raw, at + (26 if sig == b"PK\x03\x04" else 28))[0]
            if raw[at + name_at : at + name_at + n] == name:
                struct.pack_into("<I", raw, at + size_at, 1000)
            at = raw.find(sig, at + 4)
    path = write(tmp_path / "liar.xlsx", bytes(raw))
    with zipfile.ZipFile(path) as z:
        assert z.getinfo(name.decode()).file_size == 1000
    only_problem(runner, path, "E004", "declares 1,000 bytes but inflates to more", limit=5)


# --- XML entities ------------------------------------------------------------------------------

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10)
    )
    + "]>"
)


def test_billion_laughs_in_a_sheet_is_refused_fast(tmp_path: Path, runner: CliRunner) -> None:
    data = sheet_xml([HEADER, ["ZZZ", "水泥熟料", 100]], prolog=LAUGHS).replace(b"ZZZ", b"&lol9;")
    path = write(tmp_path / "laughs.xlsx", xlsx_bytes({"Sheet1": data}))
    only_problem(runner, path, "E001", "xl/worksheets/sheet1.xml declares a DTD", limit=5)


def test_billion_laughs_in_shared_strings_is_refused_fast(
    tmp_path: Path, runner: CliRunner
) -> None:
    shared = (
        f'<?xml version="1.0"?>{LAUGHS}<sst xmlns="{MAIN}" count="1" uniqueCount="1">'
        "<si><t>&lol9;</t></si></sst>"
    )
    data = sheet_xml([HEADER, [None, "水泥熟料", 100]]).replace(
        b'<row r="2">', b'<row r="2"><c r="A2" t="s"><v>0</v></c>'
    )
    path = write(tmp_path / "laughs.xlsx", xlsx_bytes({"Sheet1": data}, shared=shared))
    only_problem(runner, path, "E001", "xl/sharedStrings.xml declares a DTD", limit=5)


def test_external_entity_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    shared = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&e;</t></si></sst>'
    )
    path = write(
        tmp_path / "xxe.xlsx", xlsx_bytes({"Sheet1": sheet_xml([HEADER, GOOD])}, shared=shared)
    )
    only_problem(runner, path, "E001", "declares a DTD")


def test_openpyxl_parses_with_defusedxml(tmp_path: Path) -> None:
    """The template and tests write with openpyxl; its parser must be the defused one."""
    import openpyxl
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    data = sheet_xml([HEADER, ["ZZZ", "水泥熟料", 100]], prolog=LAUGHS).replace(b"ZZZ", b"&lol9;")
    path = write(tmp_path / "laughs.xlsx", xlsx_bytes({"Sheet1": data}))
    with within(5), pytest.raises(ValueError):
        openpyxl.load_workbook(path)


# --- not a workbook at all ---------------------------------------------------------------------


def cfb(*names: str) -> bytes:
    """An OLE2 compound file header and one directory sector holding ``names``."""
    header = bytearray(512)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<H", header, 30, 9)  # 512-byte sectors
    struct.pack_into("<I", header, 48, 0)  # the directory is sector 0
    entries = b"".join(
        (n.encode("utf-16-le") + b"\0\0").ljust(128, b"\0") for n in ("Root Entry", *names)
    )
    return bytes(header) + entries.ljust(512, b"\0")


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        (
            "locked.xlsx",
            bytes.fromhex("D0CF11E0A1B11AE1") + b"\x5a" * 4000,
            "an encrypted (password-protected) workbook or a legacy .xls file",
        ),
        (
            "locked2.xlsx",
            cfb("EncryptionInfo", "EncryptedPackage"),
            "a password-protected (encrypted) workbook",
        ),
        ("old.xls", cfb("Workbook", "SummaryInformation"), "a legacy Excel 97–2003 .xls workbook"),
        ("report.pdf.xlsx", b"%PDF-1.7\n" + b"\x00\xff" * 500, "a PDF document, not a spreadsheet"),
        ("empty.xlsx", b"", "an empty file"),
        (
            "export.xls",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            "an HTML page with a spreadsheet's name",
        ),
        (
            "text.xlsx",
            "企业名称,领域\n".encode(),
            "not a .xlsx workbook (no spreadsheet signature)",
        ),
    ],
)
def test_files_that_are_no_workbook(
    tmp_path: Path, runner: CliRunner, name: str, data: bytes, fragment: str
) -> None:
    only_problem(runner, write(tmp_path / name, data), "E001", fragment)


def test_xlsb_corrupt_zip_and_ods(tmp_path: Path, runner: CliRunner) -> None:
    good = xlsx_bytes({"Sheet1": sheet_xml([HEADER, GOOD])})
    xlsb = xlsx_bytes({"Sheet1": sheet_xml([HEADER])}, parts={"xl/workbook.bin": b"\0" * 64})
    only_problem(runner, write(tmp_path / "b.xlsx", xlsb), "E001", ".xlsb (binary) workbook")
    only_problem(
        runner, write(tmp_path / "cut.xlsx", good[: len(good) // 2]), "E001", "corrupt zip"
    )
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    only_problem(
        runner, write(tmp_path / "calc.xlsx", ods.getvalue()), "E001", "OpenDocument spreadsheet"
    )


def test_a_directory_named_like_a_workbook(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    only_problem(runner, folder, "E001", "a directory, not a file")


def test_missing_path_means_the_command_cannot_run(tmp_path: Path, runner: CliRunner) -> None:
    result = invoke(runner, "validate", str(tmp_path / "nope.xlsx"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.xlsx'}: no such file" in result.stderr
    proc = run_script("grade", str(tmp_path / "nope.csv"))
    assert proc.returncode == 2 and b"no such file" in proc.stderr


# --- workbooks with odd shapes -----------------------------------------------------------------


def test_workbook_with_no_sheets(tmp_path: Path, runner: CliRunner) -> None:
    path = write(tmp_path / "none.xlsx", xlsx_bytes({}))
    only_problem(runner, path, "E002", "the workbook has no sheets")


def test_sheet_with_no_rows(tmp_path: Path, runner: CliRunner) -> None:
    only_problem(runner, workbook(tmp_path, "blank.xlsx", []), "E002", "no sheet has a header row")


def test_header_only_sheet_is_an_empty_table_not_an_error(
    tmp_path: Path, runner: CliRunner
) -> None:
    status, doc = validate(runner, workbook(tmp_path, "form.xlsx", [HEADER]))
    assert status == 0 and doc["problems"] == [] and doc["rows_total"] == 0


def test_a_merged_value_reads_as_blank_beyond_the_first(tmp_path: Path, runner: CliRunner) -> None:
    """calamine (like Excel after unmerging) keeps the value in the top-left cell only, and a
    merged value is never copied down (a merged enterprise is: see test_xlsx_reading.py)."""
    path = workbook(
        tmp_path,
        "merged.xlsx",
        [HEADER, GOOD, ["冀东二厂", "水泥熟料", None]],
        extra='<mergeCells count="1"><mergeCell ref="C2:C3"/></mergeCells>',
    )
    status, doc = validate(runner, path)
    assert status == 1 and doc["rows_valid"] == 1
    assert problems_of(doc) == [("E101", 3, "C")]
    assert doc["problems"][0]["sheet"] == "Sheet1"


def test_thousands_of_merged_ranges_over_every_column_are_read_quickly(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A crafted sheet: 100,000 merged ranges, each over the header rows and every column of
    Excel, and one over a million rows of the enterprise column. The header is still found
    (bounded work per range), and nothing is filled beyond the rows that exist."""
    merges = "".join('<mergeCell ref="A1:XFD20"/>' for _ in range(100_000))
    path = workbook(
        tmp_path,
        "merges.xlsx",
        [HEADER, GOOD, [None, "水泥熟料", 101]],
        extra=f'<mergeCells count="100001">{merges}<mergeCell ref="A2:A1048576"/></mergeCells>',
    )
    result = invoke(runner, "validate", "--format", "json", str(path))
    doc = json.loads(result.stdout)
    assert doc["rows_total"] == 2
    assert problems_of(doc) == [("E110", 3, "A")]  # the enterprise filled: a duplicate line


def test_sheet_as_wide_as_excel_allows(tmp_path: Path, runner: CliRunner) -> None:
    wide = [*HEADER, *(f"x{i}" for i in range(16_384 - 3))]
    path = workbook(tmp_path, "wide.xlsx", [wide, GOOD])
    only_problem(runner, path, "E004", "16,384 columns exceed the limit of 1,000", sheet="Sheet1")


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            "16,384 columns exceed the limit of 1,000",
        ),
        ('<row r="3"><c r="XFE3"><v>1</v></c></row>', "16,385 columns exceed the limit"),
        (
            '<row r="2000000"><c r="A2000000"><v>1</v></c></row>',
            "a cell in row 2,000,000, beyond Excel's last row 1,048,576",
        ),
        (
            '<row r="1048576"><c r="Z1048576"><v>1</v></c></row>',
            "cells are spread over 1,048,576 rows × 26 columns",
        ),
        (
            '<row r="1048576"><c r="A1048576"/>' + "<c/>" * 900 + "</row>",
            "1,048,576 rows × 901 columns",
        ),
        ('<row r="3"><c r="A3" r="ALL1048576"><v>1</v></c></row>', "1,048,576 rows × 1,000"),
        ('<row r="3"><c r = "ALL1048576"><v>1</v></c></row>', "1,048,576 rows × 1,000"),
        ("<row r='3'><c r='all1048576'><v>1</v></c></row>", "1,048,576 rows × 1,000"),
        (
            '<row r="3"><x:c xmlns:x="' + MAIN + '" r="ALL1048576"><x:v>1</x:v></x:c></row>',
            "1,048,576 rows × 1,000",
        ),
        ('<row r="3"><c r="ALL0000003"/><c r="ALL999999"/></row>', "999,999 rows × 1,000"),
    ],
)
def test_sparse_sheets_refused_before_calamine_allocates_them(
    tmp_path: Path, runner: CliRunner, extra: str, fragment: str
) -> None:
    """Two cells far apart make calamine allocate rows × columns × 32 bytes, and abort.

    Each spelling calamine accepts (a second r=, spaces, quotes, lower case, a prefix, cells
    without r=, leading zeros) must be measured as calamine would place the cell.
    """
    path = write(tmp_path / "sparse.xlsx", xlsx_bytes({"Sheet1": with_cells(extra)}))
    assert path.stat().st_size < 10_000
    only_problem(runner, path, "E004", fragment, limit=5, sheet="Sheet1")


def test_sparse_corner_in_a_real_process_under_a_memory_limit(tmp_path: Path) -> None:
    """Unguarded, this 1 KB file makes calamine ask for 512 GB and abort (exit 134)."""
    extra = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    path = write(tmp_path / "corner.xlsx", xlsx_bytes({"Sheet1": with_cells(extra)}))
    with within(10):
        proc = run_script("grade", str(path), "-f", "json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert [(p["code"], p["sheet"]) for p in doc["problems"]] == [("E004", "Sheet1")]


def test_a_refused_sheet_does_not_stop_the_others(tmp_path: Path, runner: CliRunner) -> None:
    sparse = with_cells('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    path = write(
        tmp_path / "two.xlsx", xlsx_bytes({"Bad": sparse, "Good": sheet_xml([HEADER, GOOD])})
    )
    status, doc = validate(runner, path)
    assert status == 1 and doc["rows_valid"] == 1
    assert [(p["code"], p["sheet"]) for p in doc["problems"]] == [("E004", "Bad")]


def test_cell_limit_comes_from_the_environment(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook(tmp_path, "ok.xlsx", [HEADER, *([GOOD] * 30)])
    assert validate(runner, path)[0] == 1  # duplicates only (E110), but read
    monkeypatch.setenv("BENCHMARK_MAX_CELLS", "50")
    only_problem(
        runner, path, "E004", "31 rows × 3 columns = 93 cells, over the limit of 50", sheet="Sheet1"
    )


def test_long_cells(tmp_path: Path, runner: CliRunner) -> None:
    """32,000 characters (under Excel's 32,767) are read; a longer CSV cell drops its row."""
    name = "某" * 32_000
    path = workbook(
        tmp_path, "long.xlsx", [HEADER, [name, "水泥熟料", 100], ["b", "水泥熟料", "9" * 32_000]]
    )
    status, doc = validate(runner, path)
    assert status == 1 and doc["rows_valid"] == 1
    assert problems_of(doc) == [("E104", 3, "C")]
    assert len(doc["problems"][0]["message"]) < 200
    csv_path = tmp_path / "long.csv"
    csv_path.write_text(
        f"企业名称,领域,单位产品能耗\n{name},水泥熟料,100\n"
        f"{'x' * 40_000},水泥熟料,100\nc,水泥熟料,101\n",
        encoding="utf-8",
    )
    status, doc = validate(runner, csv_path)
    assert status == 1 and doc["rows_valid"] == 2
    assert problems_of(doc) == [("E004", 3, "A")]
    assert "40,000 characters long, over Excel's limit of 32,767" in doc["problems"][0]["message"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_nan_inf_and_overflow_are_not_numbers(
    tmp_path: Path, runner: CliRunner, suffix: str
) -> None:
    texts = ["NaN", "nan", "inf", "-inf", "Infinity", "1e999", "-1e999", "NULL", "N/A"]
    rows = [[f"厂{i}", "水泥熟料", t] for i, t in enumerate(texts)]
    if suffix == ".xlsx":
        path = workbook(tmp_path, "nan.xlsx", [HEADER, *rows])
    else:
        path = tmp_path / "nan.csv"
        path.write_text(
            "\n".join(",".join(map(str, r)) for r in [HEADER, *rows]) + "\n", encoding="utf-8"
        )
    status, doc = validate(runner, path)
    assert status == 1 and doc["rows_valid"] == 0
    assert problems_of(doc) == [("E104", r, "C") for r in range(2, 2 + len(texts))]
    graded = json.loads(invoke(runner, "grade", "-f", "json", str(path)).stdout)
    assert graded["results"] == []


def test_ten_thousand_rows_with_five_percent_bad_cells(tmp_path: Path, runner: CliRunner) -> None:
    rows: list[list[Any]] = [HEADER]
    expected = []
    for i in range(10_000):
        excel_row = i + 2
        if i % 20 == 3:
            rows.append([f"厂{i}", "水泥熟料", f"{90 + i % 30}吨"])  # no unit of energy
            expected.append(("E104", excel_row, "C"))
        elif i % 20 == 11:
            rows.append([f"厂{i}", "not-an-area", 100])
            expected.append(("E102", excel_row, "B"))
        else:
            rows.append([f"厂{i}", "水泥熟料", 90 + i % 30])
    path = workbook(tmp_path, "many.xlsx", rows)
    status, doc = validate(runner, path)
    assert status == 1
    assert doc["rows_total"] == 10_000 and doc["rows_valid"] == 9_000
    assert len(doc["problems"]) == 1_000
    assert sorted(problems_of(doc), key=lambda p: (p[1], p[2])) == expected


# --- hostile names -----------------------------------------------------------------------------


def test_control_characters_and_bidi_marks_do_not_reach_the_terminal(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Escapes and right-to-left overrides in file, sheet and cell text are shown, not obeyed."""
    evil = "\x1b[31m红\u202eabc\u2066"
    path = write(
        tmp_path / f"plants{evil[:5]}.xlsx",
        xlsx_bytes(
            {
                f"S{evil}": sheet_xml(
                    [
                        ["企业名称\u200f", "领域", "单位产品能耗", f"备注{evil}"],
                        [f"冀东{evil}水泥", "水泥熟料", 100, f"x{evil}"],
                        ["坏", "水泥熟料", "n/a", None],
                    ]
                )
            }
        ),
    )
    for args in (["validate", str(path)], ["grade", str(path)]):
        out = invoke(runner, *args).output
        assert "\x1b" not in out and "\u202e" not in out and "\u2066" not in out
    status, doc = validate(runner, path)
    assert status == 1
    assert problems_of(doc) == [("E104", 3, "C")]
    found = doc["problems"][0]
    assert found["sheet"] == "S\\u001b[31m红\\u202eabc\\u2066"
    assert found["file"] == display_name(str(path))
    graded = json.loads(invoke(runner, "grade", "-f", "json", str(path)).stdout)
    [result] = graded["results"]
    assert result["enterprise"] == "冀东[31m红abc水泥"
    assert "备注\\u001b[31m红\\u202eabc\\u2066" in result


def test_bidi_marks_in_a_bad_value_are_escaped_in_its_message(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = workbook(tmp_path, "bidi.xlsx", [HEADER, ["a", "水泥熟料", "12\u202e34"]])
    out = invoke(runner, "validate", str(path)).output
    assert "\u202e" not in out and '"12\\u202e34" is not a number' in out


# --- CSV ---------------------------------------------------------------------------------------


def csv_file(tmp_path: Path, name: str, data: bytes) -> Path:
    return write(tmp_path / name, data)


CSV_HEAD = "企业名称,领域,单位产品能耗\n"


def test_gbk_csv_with_chinese_headers_and_utf8_bom(tmp_path: Path, runner: CliRunner) -> None:
    text = CSV_HEAD + "冀东水泥,水泥熟料,100\n华北水泥,水泥熟料,110\n"
    for name, data in (
        ("gbk.csv", text.encode("gbk")),
        ("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8")),
    ):
        status, doc = validate(runner, csv_file(tmp_path, name, data))
        assert (status, doc["problems"], doc["rows_valid"]) == (0, [], 2)


def test_mixed_utf8_and_gbk_lines_are_each_decoded(tmp_path: Path, runner: CliRunner) -> None:
    data = (CSV_HEAD + "冀东水泥,水泥熟料,100\n").encode() + "华北水泥,水泥熟料,110\n".encode("gbk")
    path = csv_file(tmp_path, "mixed.csv", data)
    status, doc = validate(runner, path)
    assert status == 1 and doc["rows_valid"] == 2  # nothing lost, nothing garbled
    assert problems_of(doc) == [("E001", 3, None)]
    assert "mixes text encodings: 1 line(s) in GBK and 2 in UTF-8" in doc["problems"][0]["message"]
    graded = json.loads(invoke(runner, "grade", "-f", "json", str(path)).stdout)
    assert [r["enterprise"] for r in graded["results"]] == ["冀东水泥", "华北水泥"]


def test_gbk_file_with_a_utf8_tail_is_not_silently_garbled(
    tmp_path: Path, runner: CliRunner
) -> None:
    data = (CSV_HEAD + "冀东水泥,水泥熟料,100\n").encode("gbk") + "华北水泥,水泥熟料,110\n".encode()
    status, doc = validate(runner, csv_file(tmp_path, "tail.csv", data))
    assert status == 1 and doc["rows_valid"] == 2 and problems_of(doc) == [("E001", 3, None)]


def test_ragged_rows(tmp_path: Path, runner: CliRunner) -> None:
    data = (CSV_HEAD + "a,水泥熟料,100,extra,more\nb,水泥熟料\nc,水泥熟料,102\n").encode()
    status, doc = validate(runner, csv_file(tmp_path, "ragged.csv", data))
    assert status == 1 and doc["rows_valid"] == 2
    assert problems_of(doc) == [("E001", 2, None), ("E101", 3, "C")]
    assert doc["problems"][0]["message"] == (
        "row has 5 fields, the header has 3; extra fields ignored"
    )


def test_nul_byte_refuses_the_file_at_its_line(tmp_path: Path, runner: CliRunner) -> None:
    data = (CSV_HEAD + "a,水泥熟料,100\n" * 3000).encode() + b"b\x00,x,1\n"
    only_problem(
        runner, csv_file(tmp_path, "nul.csv", data), "E001", "a NUL byte on line 3,002", row=3002
    )


def test_utf16_csv(tmp_path: Path, runner: CliRunner) -> None:
    data = (CSV_HEAD + "a,水泥熟料,100\n").encode("utf-16")
    only_problem(runner, csv_file(tmp_path, "u16.csv", data), "E001", "UTF-16 text")


def test_a_100_mb_line_is_refused_without_being_parsed(tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    with open(path, "wb") as fh:
        block = b"a," * (512 * 1024)
        for _ in range(100):
            fh.write(block)
    with within(5):
        proc = run_script("validate", str(path))
    assert proc.returncode == 1
    assert (
        f"{display_name(str(path))}:1: E004 line 1 is longer than the limit of 1,048,576 bytes"
        in proc.stdout.decode()
    )


def test_a_100_mb_second_line(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "second.csv"
    path.write_bytes(CSV_HEAD.encode() + b"x," * (50 * 1024**2) + b"\n")
    only_problem(
        runner,
        path,
        "E004",
        "line 2 is 104,857,600 bytes long, over the limit of 1,048,576 bytes",
        row=2,
    )


def test_a_million_columns(tmp_path: Path, runner: CliRunner) -> None:
    wide_header = CSV_HEAD.strip() + "," + ",".join(f"c{i}" for i in range(1_000_000)) + "\n"
    only_problem(
        runner,
        csv_file(tmp_path, "wide.csv", wide_header.encode()),
        "E004",
        "line 1 is longer than the limit",
    )
    fits = CSV_HEAD.strip() + "," + "x," * 300_000 + "\n"
    only_problem(
        runner,
        csv_file(tmp_path, "wide2.csv", fits.encode()),
        "E004",
        "300,004 columns exceed the limit of 1,000",
        row=1,
    )
    row = CSV_HEAD + "a,水泥熟料,100" + "," * 1_000_000 + "\n"
    status, doc = validate(runner, csv_file(tmp_path, "wide3.csv", row.encode()))
    assert status == 1 and doc["rows_valid"] == 1
    assert problems_of(doc) == [("E001", 2, None)]
    assert "row has 1,000,003 fields" in doc["problems"][0]["message"]


def test_quoted_line_breaks_keep_row_numbers(tmp_path: Path, runner: CliRunner) -> None:
    data = (CSV_HEAD + '"冀东\n水泥",水泥熟料,100\nb,水泥熟料,n/a\n').encode()
    status, doc = validate(runner, csv_file(tmp_path, "nl.csv", data))
    assert status == 1 and doc["rows_valid"] == 1
    assert problems_of(doc) == [("E104", 4, "C")]  # line 4, where the row is in a text editor


def test_unterminated_quote(tmp_path: Path, runner: CliRunner) -> None:
    data = (CSV_HEAD + 'a,水泥熟料,100\nb,"水泥熟料,100\nc,水泥熟料,100\n').encode()
    status, doc = validate(runner, csv_file(tmp_path, "quote.csv", data))
    assert status == 1 and doc["rows_valid"] == 1
    assert problems_of(doc) == [("E001", 3, None)]
    assert "never closed" in doc["problems"][0]["message"]


def test_header_only_csv(tmp_path: Path, runner: CliRunner) -> None:
    status, doc = validate(runner, csv_file(tmp_path, "form.csv", CSV_HEAD.encode()))
    assert status == 0 and doc["problems"] == [] and doc["rows_total"] == 0


def test_csv_on_standard_input(runner: CliRunner) -> None:
    data = (CSV_HEAD + "冀东水泥,水泥熟料,100\n坏,水泥熟料,x\n").encode("gbk")
    status, doc = validate(runner, "-", input=data)
    assert status == 1 and doc["rows_valid"] == 1
    assert [(p["file"], p["row"], p["code"]) for p in doc["problems"]] == [("<stdin>", 3, "E104")]
    proc = run_script("grade", "-", "-f", "json", stdin=data)
    assert proc.returncode == 1
    assert [r["enterprise"] for r in json.loads(proc.stdout)["results"]] == ["冀东水泥"]
    proc = run_script("validate", "-", stdin=b"")
    assert proc.returncode == 1 and b"<stdin>: E001 an empty file" in proc.stdout


# --- catalogue files ---------------------------------------------------------------------------

ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (ALIAS_BOMB, "YAML aliases are not allowed in a catalogue"),
        (
            "edition: x\n" + ("#" + "y" * 99 + "\n") * 100_000,
            "a catalogue may be at most 2,000,000 bytes",
        ),
    ],
)
def test_hostile_catalogue_files(
    tmp_path: Path, runner: CliRunner, content: str, fragment: str
) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text(content, encoding="utf-8")
    plants = tmp_path / "plants.csv"
    plants.write_text(CSV_HEAD + "冀东水泥,水泥熟料,100\n", encoding="utf-8")
    with within(5):
        result = invoke(runner, "catalogue", "validate", str(path))
    assert result.exit_code == 1
    assert f"{path}: invalid catalogue" in result.stdout and fragment in result.stdout
    with within(5):
        result = invoke(runner, "--catalogue", str(path), "grade", str(plants))
    assert result.exit_code == 2
    assert f"error: {path}: invalid catalogue" in result.stderr and fragment in result.stderr
    proc = run_script("--catalogue", str(path), "grade", str(plants), timeout=10)
    assert proc.returncode == 2 and fragment.encode() in proc.stderr


def test_deeply_nested_catalogue(tmp_path: Path, runner: CliRunner) -> None:
    """PyYAML composes recursively: 50,000 nested lists must be a problem, not RecursionError."""
    path = tmp_path / "deep.yaml"
    path.write_text("areas: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    plants = tmp_path / "plants.csv"
    plants.write_text(CSV_HEAD + "冀东水泥,水泥熟料,100\n", encoding="utf-8")
    with within(5):
        result = invoke(runner, "catalogue", "validate", str(path))
    assert result.exit_code == 1 and f"{path}: invalid catalogue" in result.stdout
    result = invoke(runner, "--catalogue", str(path), "grade", str(plants))
    assert result.exit_code == 2 and "invalid catalogue" in result.stderr

"""Every cell of a workbook read exactly: numbers to the last bit, errors and booleans as Excel
shows them, the same verdict from .xlsx, .csv and .parquet for the same double.

fastexcel's text of a number cell is rounded to nine decimals (117.0000000001 reads "117",
1e-10 reads "0"); the readers read such numbers again as numbers. Workbooks here are written by
openpyxl as people's files are, or byte by byte where openpyxl cannot write what a test needs
(17 significant digits: openpyxl writes 16).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.readers import read_tables
from benchmark.readers.numbers import calamine_text, number_text
from benchmark.validation import check_rows

from .test_hostile import invoke, sheet_xml, write, xlsx_bytes

HEADER = ["企业名称", "领域", "类别", "单位产品能耗", "产量"]
#: Converter steelmaking: its levels are negative, so every finite value is a valid figure.
AREA, CATEGORY = "炼钢", "转炉"
FILES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FINITE = st.floats(allow_nan=False, allow_infinity=False)
CATALOGUE = load_catalogue()


def _sixteen_digits(x: float) -> float:
    """The double openpyxl writes for ``x`` (it writes ``"%.16g" % x``)."""
    return float(f"{x:.16g}")


def _rows(values: Sequence[float]) -> list[list[Any]]:
    return [[f"厂{i}", AREA, CATEGORY, v, 1000 + i] for i, v in enumerate(values)]


def _openpyxl_file(path: Path, values: Sequence[float]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for row in _rows(values):
        ws.append(row)
    wb.save(path)
    return path


def _csv_file(path: Path, values: Sequence[float]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows([[*row[:3], repr(row[3]), row[4]] for row in _rows(values)])
    return path


def _parquet_file(path: Path, values: Sequence[float]) -> Path:
    pd.DataFrame(_rows(values), columns=HEADER).to_parquet(path, index=False)
    return path


def _checked(path: Path, catalogue: Catalogue) -> tuple[list[float], list[str]]:
    """The values of the valid rows (in row order) and every problem, through the readers and
    validation as the pipeline runs them."""
    tables, problems = read_tables(path)
    values: list[float] = []
    found = [str(p) for p in problems]
    for table in tables:
        result, checked = check_rows(table, catalogue)
        values.extend(result.sort_values("row")["value"].tolist())
        found.extend(str(p) for p in checked if p.severity == "error")
    return values, found


def _same_doubles(got: Sequence[float], want: Sequence[float]) -> bool:
    return [np.float64(x).tobytes() for x in got] == [np.float64(x).tobytes() for x in want]


@given(values=st.lists(FINITE.map(_sixteen_digits).filter(math.isfinite), min_size=1, max_size=20))
@example(
    values=[117.0000000001, 1e-10, 123456789.123, 1.797693134862315e308, -0.0, 5e-324, 0.0009765625]
)
@FILES
def test_a_double_reads_back_the_same_from_xlsx_csv_and_parquet(
    values: list[float], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The same double, written by openpyxl, as CSV text and into Parquet: read and checked,
    each gives the double itself, to the last bit (so every format grades it alike)."""
    tmp = tmp_path_factory.mktemp("same")
    for make in (_openpyxl_file, _csv_file, _parquet_file):
        suffix = {"_openpyxl_file": ".xlsx", "_csv_file": ".csv"}.get(make.__name__, ".parquet")
        got, problems = _checked(make(tmp / f"plants{suffix}", values), CATALOGUE)
        assert problems == [], (make.__name__, problems)
        assert _same_doubles(got, values), (make.__name__, got, values)


@given(values=st.lists(FINITE, min_size=1, max_size=20))
@example(
    values=[0.30000000000000004, 117.00000000000001, 1.0000000000000002e-10, 1.7976931348623157e308]
)
@FILES
def test_seventeen_significant_digits_read_back_exactly(
    values: list[float], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Excel writes up to 17 significant digits (openpyxl only 16): a sheet written byte by
    byte with each double's shortest text reads back as that double."""
    path = write(
        tmp_path_factory.mktemp("seventeen") / "p.xlsx",
        xlsx_bytes({"Sheet1": sheet_xml([HEADER, *_rows(values)])}),
    )
    got, problems = _checked(path, CATALOGUE)
    assert problems == [] and _same_doubles(got, values)


def test_a_figure_a_hair_above_a_level_grades_as_it_does_from_csv(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    """The case of the issue: 117.0000000001 kgce/t of clinker is over the baseline (117)."""
    from benchmark import grade
    from benchmark.pipeline import read_plants

    rows = [
        ["冀东水泥", "水泥熟料", None, 117.0000000001, 1000],
        ["冀东水泥二厂", "水泥熟料", None, 100.00000000001, 1000],
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "plants.xlsx")
    with open(tmp_path / "plants.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *[[*r[:3], repr(r[3]), r[4]] for r in rows]])
    tiers = []
    for name in ("plants.xlsx", "plants.csv"):
        frame, problems = read_plants(tmp_path / name, catalogue)
        assert problems == []
        graded = grade(frame, catalogue)
        tiers.append(graded["tier"].tolist())
        assert graded["value"].tolist() == [117.0000000001, 100.00000000001]
        assert graded["input_value"].tolist() == ["117.0000000001", "100.00000000001"]
    assert tiers == [["below_baseline", "between"]] * 2


@pytest.mark.parametrize(
    "error", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]
)
def test_a_formula_error_reaches_validation_as_its_error_text(
    tmp_path: Path, runner: CliRunner, error: str
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(["冀东水泥", "水泥熟料", None, error, 1000])
    ws.append(["冀东水泥二厂", "水泥熟料", None, 98.5, error])
    assert ws["D2"].data_type == "e"  # an error cell, as Excel saves one
    wb.save(tmp_path / "errors.xlsx")
    result = invoke(runner, "validate", "--format", "json", str(tmp_path / "errors.xlsx"))
    problems = [
        (p["code"], p["row"], p["column"], p["message"])
        for p in json.loads(result.stdout)["problems"]
    ]
    what = "is not a number (an Excel error value)"
    assert problems == [
        ("E104", 2, "D", f'单位产品能耗 "{error}" {what}'),
        ("E104", 3, "E", f'产量 "{error}" {what}'),
    ]


def test_a_boolean_reads_as_excel_shows_it(tmp_path: Path, runner: CliRunner) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(["冀东水泥", "水泥熟料", None, True, 1000])
    ws.append(["冀东水泥二厂", "水泥熟料", None, 98.5, False])
    wb.save(tmp_path / "booleans.xlsx")
    result = invoke(runner, "validate", "--format", "json", str(tmp_path / "booleans.xlsx"))
    messages = [p["message"] for p in json.loads(result.stdout)["problems"]]
    assert messages == ['单位产品能耗 "TRUE" is not a number', '产量 "FALSE" is not a number']


def test_text_numbers_dates_and_odd_cells_keep_their_text(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    """A column mixing long numbers with text, a date and crafted number cells: the numbers
    exact, everything else exactly as calamine shows it."""
    cells = (
        '<c r="D2"><v>0.30000000000000004</v></c>',  # a number, 17 digits
        '<c r="D3" t="inlineStr"><is><t>117.0000000001</t></is></c>',  # text: kept as typed
        '<c r="D4" t="inlineStr"><is><t>待定</t></is></c>',
        '<c r="D5"><v>1E-10</v></c>',  # Excel's exponent
        '<c r="D6"><v>NaN</v></c>',  # crafted: a number cell that is no number
        '<c r="D7" t="str"><v>12.5</v></c>',  # a formula's text result
        '<c r="D8"><v>98.5</v></c>',
    )
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>厂{i}</t></is></c>'
        f'<c r="B{i}" t="inlineStr"><is><t>{AREA}</t></is></c>'
        f'<c r="C{i}" t="inlineStr"><is><t>{CATEGORY}</t></is></c>{c}</row>'
        for i, c in enumerate(cells, 2)
    )
    xml = sheet_xml([HEADER[:4]]).replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    path = write(tmp_path / "mixed.xlsx", xlsx_bytes({"Sheet1": xml}))
    tables, problems = read_tables(path)
    assert problems == []
    assert tables[0].frame["value"].tolist() == [
        "0.30000000000000004",
        "117.0000000001",
        "待定",
        "1e-10",
        "NaN",
        "12.5",
        "98.5",
    ]
    result, checked = check_rows(tables[0], catalogue)
    assert result["value"].tolist() == [0.30000000000000004, 117.0000000001, 1e-10, 12.5, 98.5]
    assert [(p.row, p.message) for p in checked if p.severity == "error"] == [
        (4, '单位产品能耗 "待定" is not a number'),
        (6, '单位产品能耗 "NaN" is not a number'),
    ]


def test_a_date_in_a_number_column_is_not_a_number(tmp_path: Path, catalogue: Catalogue) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(["冀东水泥", AREA, CATEGORY, dt.datetime(2021, 6, 30), 1000])
    ws.append(["冀东水泥二厂", AREA, CATEGORY, 0.1 + 0.2, 1000])
    wb.save(tmp_path / "dates.xlsx")
    tables, _ = read_tables(tmp_path / "dates.xlsx")
    result, checked = check_rows(tables[0], catalogue)
    assert [p.message for p in checked if p.severity == "error"] == [
        '单位产品能耗 "2021-06-30 00:00:00" is not a number'
    ]
    assert result["value"].tolist() == [_sixteen_digits(0.1 + 0.2)]


@given(x=FINITE)
@example(x=0.0009765625)  # a tie at the ninth decimal: rounded to even, as Rust does
@example(x=123456789.123)  # calamine's text "123456789.122999996" is exact: kept
@example(x=1e-05)
def test_number_text_is_calamines_text_where_exact_and_exact_everywhere(x: float) -> None:
    text = number_text([x]).to_pylist()[0]
    assert float(text) == x and math.copysign(1, float(text)) == math.copysign(1, x)
    if float(calamine_text(x)) == x:
        assert text == calamine_text(x)


def test_calamine_text_is_fastexcels(tmp_path: Path) -> None:
    """calamine_text mirrors fastexcel's own text of number cells, digit for digit."""
    import fastexcel

    rng = np.random.default_rng(5)
    values = [
        float(f"{v:.16g}")
        for v in np.concatenate(
            (
                rng.normal(0, 1e3, 300),
                rng.normal(0, 1, 300) * 10.0 ** rng.integers(-12, 16, 300),
                np.frombuffer(rng.bytes(8 * 300), dtype=np.float64),
            )
        )
        if math.isfinite(v)
    ]
    values += [0.0009765625, 2.5e-10, 7.0000000005, -0.0, 1e-10]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for i, v in enumerate(values, 1):
        ws.cell(row=i, column=1, value=v)
    wb.save(tmp_path / "numbers.xlsx")
    read = (
        fastexcel.read_excel(str(tmp_path / "numbers.xlsx"))
        .load_sheet(0, header_row=None, dtypes="string")
        .to_arrow()
        .column(0)
        .to_pylist()
    )
    assert read == [calamine_text(v) for v in values]
    assert any(float(t) != v for t, v in zip(read, values, strict=True)), "some were lossy"
    assert re.fullmatch(r"-?\d+", calamine_text(-0.0))


# --- hidden sheets and merged cells, as bureau workbooks have them ----------------------------


def _sheet_rows(ws: Any, rows: Sequence[Sequence[Any]]) -> None:
    for row in rows:
        ws.append(list(row))


def test_hidden_sheets_are_skipped_with_a_notice_unless_asked_for(tmp_path: Path) -> None:
    from benchmark.readers import iter_tables

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "2024"
    _sheet_rows(ws, [HEADER[:4], ["冀东水泥", "水泥熟料", None, 98.5]])
    old = wb.create_sheet("旧数据")
    _sheet_rows(old, [HEADER[:4], ["冀东水泥", "水泥熟料", None, 130]])
    old.sheet_state = "hidden"
    lists = wb.create_sheet("lists")
    _sheet_rows(lists, [["水泥熟料"], ["平板玻璃"]])
    lists.sheet_state = "veryHidden"
    path = tmp_path / "bureau.xlsx"
    wb.save(path)

    parts = list(iter_tables(path))
    assert [p.table.sheet for p in parts if p.table is not None] == ["2024"]
    assert [str(n) for p in parts for n in p.notices] == [
        "hidden sheet skipped: 旧数据",
        "hidden sheet skipped: lists",
    ]
    assert [p for part in parts for p in part.problems] == []
    tables, problems = read_tables(path, include_hidden=True)
    assert [t.sheet for t in tables] == ["2024", "旧数据"] and problems == []
    tables, problems = read_tables(path, sheet="旧数据")  # named: read, hidden or not
    assert [t.frame["value"].tolist() for t in tables] == [["130"]]


def test_only_hidden_sheets_with_a_header_is_no_header_and_says_why(tmp_path: Path) -> None:
    from benchmark.readers import iter_tables

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "说明：请在隐藏的表中填写"
    data = wb.create_sheet("数据")
    _sheet_rows(data, [HEADER[:4], ["冀东水泥", "水泥熟料", None, 98.5]])
    data.sheet_state = "hidden"
    wb.save(tmp_path / "hidden.xlsx")
    parts = list(iter_tables(tmp_path / "hidden.xlsx"))
    assert [p.code for part in parts for p in part.problems] == ["E002"]
    assert [str(n) for p in parts for n in p.notices] == ["hidden sheet skipped: 数据"]


def test_merged_key_cells_belong_to_every_line_they_span(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    """An enterprise merged down over its four lines, a region and a year merged over a block,
    a title and a header cell merged over two rows: every line gets its enterprise, region and
    year. A merged value or capacity is not copied: its lower cells stay blank (E101 for the
    value), so that no figure is counted twice."""
    from benchmark.pipeline import read_plants

    header = ["企业名称", "生产线", "领域", "单位产品能耗", "产能", "地区", "年份"]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "2024年水泥熟料能效填报"
    ws.merge_cells("A1:G1")
    _sheet_rows(ws, [[], header])  # the header in row 3, its 企业名称 merged over rows 2-3
    ws.merge_cells("A2:A3")
    ws["A2"] = "企业名称"
    lines = [
        ["冀东水泥", "1#窑", "水泥熟料", 98.5, 1_000_000, "河北", 2024],
        [None, "2#窑", "水泥熟料", 112, 800_000, None, None],
        [None, "3#窑", "水泥熟料", 105, None, None, None],
        [None, "4#窑", "水泥熟料", 99, 600_000, None, None],
        ["金隅水泥", "1#窑", "水泥熟料", 101, 900_000, "北京", 2024],
        ["金隅二厂", "1#窑", "水泥熟料", 120, 700_000, None, None],
    ]
    _sheet_rows(ws, lines)
    ws.merge_cells("A4:A7")  # 冀东水泥, four lines
    ws.merge_cells("F4:F7")  # 河北
    ws.merge_cells("G4:G9")  # 2024, both enterprises
    ws.merge_cells("E8:E9")  # a capacity merged: never copied
    ws.merge_cells("D8:D9")  # a value merged: the lower line has none
    ws.merge_cells("F8:F9")  # 北京
    path = tmp_path / "merged.xlsx"
    wb.save(path)

    frame, problems = read_plants(path, catalogue)
    assert [(p.code, p.row, p.column) for p in problems] == [("E101", 9, "D")]
    assert frame["enterprise"].tolist() == ["冀东水泥"] * 4 + ["金隅水泥"]
    assert frame["region"].tolist() == ["河北"] * 4 + ["北京"]
    assert frame["year"].tolist() == [2024] * 5
    assert frame["capacity"].isna().tolist() == [False, False, True, False, False]
    assert frame["row"].tolist() == [4, 5, 6, 7, 8]

"""Parquet files as data tools write them: typed columns, dictionary encoding, nested and binary
columns the tool never uses. The columns it reads keep their exact values; the others pass
through as they are, or — nested and binary data — are left out with one warning each (W001),
instead of the whole file being lost.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from benchmark.catalogue import Catalogue
from benchmark.cli import app
from benchmark.pipeline import read_plants
from benchmark.readers import read_tables
from benchmark.readers.parquet import convert_column

N = 3


def base_columns() -> dict[str, pa.Array]:
    """Three cement lines, typed as a data pipeline would type them."""
    return {
        "企业名称": pa.array(["冀东水泥", "华北水泥", "海螺水泥"], pa.large_string()),
        "领域": pa.array(["水泥熟料"] * N).dictionary_encode(),
        "单位产品能耗": pa.array(
            [decimal.Decimal("98.500"), decimal.Decimal("121.250"), decimal.Decimal("100.000")],
            pa.decimal128(9, 3),
        ),
        "产量": pa.array([1_000_000, 800_000, 2**53 - 1], pa.int64()),
        "年份": pa.array([2024, 2024, 2023], pa.int16()),
    }


def write(path: Path, columns: dict[str, pa.Array]) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


def grade(runner: CliRunner, path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["--no-config", "grade", str(path), "-f", "json", *extra])
    assert "Traceback" not in result.output and "please report" not in result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, doc


def test_typed_columns_the_tool_reads_keep_their_exact_values(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    frame, problems = read_plants(write(tmp_path / "p.parquet", base_columns()), catalogue)
    assert problems == []
    assert frame["enterprise"].tolist() == ["冀东水泥", "华北水泥", "海螺水泥"]
    assert frame["area"].tolist() == ["cement_clinker"] * N
    assert frame["value"].tolist() == [98.5, 121.25, 100.0]
    assert frame["input_value"].tolist() == ["98.500", "121.250", "100.000"]
    assert frame["output"].tolist() == [1_000_000.0, 800_000.0, float(2**53 - 1)]
    assert frame["year"].tolist() == [2024, 2024, 2023]


def test_a_float32_value_is_read_as_the_number_it_shows(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    """0.1 in float32 is 0.100000001490116…; the figure written was 0.1 (shown as such by
    every tool), so that is the figure graded."""
    columns = base_columns()
    columns["单位产品能耗"] = pa.array([98.1, 121.3, 100.7], pa.float32())
    frame, problems = read_plants(write(tmp_path / "p.parquet", columns), catalogue)
    assert problems == []
    assert frame["value"].tolist() == [98.1, 121.3, 100.7]


def test_nested_and_binary_columns_not_read_are_left_out_with_a_warning_each(
    tmp_path: Path, runner: CliRunner
) -> None:
    columns = base_columns()
    columns["标签"] = pa.array([["a"], [], ["b", "c"]], pa.list_(pa.string()))
    columns["位置"] = pa.array([{"lat": 39.9, "lon": 116.4}] * N)
    columns["属性"] = pa.array([[("k", 1)]] * N, pa.map_(pa.string(), pa.int64()))
    columns["照片"] = pa.array([b"\x89PNG\xff\x00", b"\xff", None], pa.binary())
    columns["备注"] = pa.array(["正常".encode(), b"ok", None], pa.binary())  # text, untyped
    path = write(tmp_path / "p.parquet", columns)
    code, doc = grade(runner, path)
    assert code == 0  # warnings only
    assert [(p["code"], p["column"], p["header"]) for p in doc["problems"]] == [
        ("W001", "F", "标签"),
        ("W001", "G", "位置"),
        ("W001", "H", "属性"),
        ("W001", "I", "照片"),
    ]
    assert "nested data (list<" in doc["problems"][0]["message"]
    assert "binary data that is not UTF-8 text" in doc["problems"][3]["message"]
    assert len(doc["results"]) == N
    assert [r["备注"] for r in doc["results"]] == ["正常", "ok", None]
    assert not any(name in doc["results"][0] for name in ("标签", "位置", "属性", "照片"))
    strict = runner.invoke(app, ["--no-config", "grade", str(path), "--strict", "-f", "json"])
    assert strict.exit_code == 1


def test_a_column_the_tool_needs_in_a_nested_type_is_an_error_at_that_column(
    tmp_path: Path, runner: CliRunner
) -> None:
    columns = base_columns()
    columns["单位产品能耗"] = pa.array([[98.5], [121.0], [100.0]], pa.list_(pa.float64()))
    code, doc = grade(runner, write(tmp_path / "p.parquet", columns))
    assert code == 1
    first = doc["problems"][0]
    assert (first["code"], first["column"], first["header"]) == ("E001", "C", "单位产品能耗")
    assert "no figure can be read" in first["message"]
    assert doc["results"] == []


def test_columns_passed_through_keep_their_values_in_every_output(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Dates, timestamps, decimals, integers with nulls, booleans and dictionary-encoded text,
    none read by the tool, in the JSON, CSV and xlsx results; and no output fails on them."""
    columns = base_columns()
    columns["投产日期"] = pa.array([dt.date(2010, 5, 1), None, dt.date(1999, 12, 31)])
    columns["核查时间"] = pa.array(
        [dt.datetime(2024, 3, 1, 9, 30)] * N, pa.timestamp("s", tz="Asia/Shanghai")
    )
    columns["碳排放"] = pa.array([decimal.Decimal("1.10")] * N, pa.decimal128(5, 2))
    columns["工号"] = pa.array([7, None, 9], pa.int32())
    columns["达标"] = pa.array([True, False, None])
    columns["班组"] = pa.array(["甲", "乙", "甲"]).dictionary_encode()
    columns["系数"] = pa.array([0.5, None, 1.25], pa.float64())
    path = write(tmp_path / "p.parquet", columns)
    code, doc = grade(runner, path)
    assert code == 0, doc["problems"]
    rows = doc["results"]
    assert [r["投产日期"] for r in rows] == ["2010-05-01", None, "1999-12-31"]
    assert rows[0]["核查时间"].startswith("2024-03-01 17:30:00")  # 09:30 UTC, shown in +08:00
    assert [r["碳排放"] for r in rows] == ["1.10"] * N
    assert [r["工号"] for r in rows] == [7, None, 9]
    assert [r["达标"] for r in rows] == [True, False, None]
    assert [r["班组"] for r in rows] == ["甲", "乙", "甲"]
    assert [r["系数"] for r in rows] == [0.5, None, 1.25]

    csv = runner.invoke(app, ["--no-config", "grade", str(path), "-f", "csv"])
    assert csv.exit_code == 0, csv.output
    header, first = csv.stdout.splitlines()[:2]
    cells = dict(
        zip(header.replace('"', "").split(","), first.replace('"', "").split(","), strict=True)
    )
    assert (cells["投产日期"], cells["碳排放"], cells["工号"], cells["班组"]) == (
        "2010-05-01",
        "1.10",
        "7",
        "甲",
    )

    for fmt in ("xlsx", "html", "markdown", "jsonl", "table"):
        out = tmp_path / f"report.{fmt}"
        result = runner.invoke(app, ["--no-config", "grade", str(path), "-f", fmt, "-o", str(out)])
        assert result.exit_code == 0, (fmt, result.output)
        assert out.stat().st_size > 0
    book = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)
    sheet = book["Results"]
    header_row = [c for c in next(sheet.iter_rows(max_row=1, values_only=True))]
    first_row = next(sheet.iter_rows(min_row=3, max_row=3, values_only=True))
    got = dict(zip(header_row, first_row, strict=True))
    assert (got["投产日期"], got["工号"], got["班组"]) == ("2010-05-01", 7, "甲")


def test_binary_text_and_string_views_are_read_as_text(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    """Older writers store text as untyped bytes; when they are UTF-8, they are text."""
    columns = base_columns()
    columns["企业名称"] = pa.array([n.encode() for n in ("甲厂", "乙厂", "丙厂")], pa.binary())
    columns["领域"] = pa.array(["水泥熟料"] * N, pa.string_view())
    frame, problems = read_plants(write(tmp_path / "p.parquet", columns), catalogue)
    assert problems == []
    assert frame["enterprise"].tolist() == ["甲厂", "乙厂", "丙厂"]


def test_a_type_with_no_text_form_is_left_out_not_fatal() -> None:
    """An interval (which Parquet itself cannot store, but an Arrow table can hold)."""
    interval = pa.chunked_array([pa.array([(1, 2, 3)] * N, pa.month_day_nano_interval())])
    values, reason = convert_column(interval, used=False)
    assert (
        values is None and str(reason) == "values that have no text form (month_day_nano_interval)"
    )


@pytest.mark.parametrize("width", [1001])
def test_too_many_columns_is_refused_before_reading(tmp_path: Path, width: int) -> None:
    columns = base_columns()
    columns.update({f"c{i}": pa.array([i] * N) for i in range(width - len(columns))})
    _, problems = read_tables(write(tmp_path / "wide.parquet", columns))
    assert [p.code for p in problems] == ["E004"]
    assert "1,001 columns exceed the limit of 1,000" in problems[0].message

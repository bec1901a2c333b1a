"""Years side by side: a list with a column per year (``2024年单位产品综合能耗``,
``2025年单位产品综合能耗``, ``2024年产量（万吨）``…) and no year column is read as a row per
line and year — every figure graded, each problem at its own cell, the summary on each line's
latest year — never the first year alone with the others passed through."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import CliRunner

from benchmark.cli import app

HEADER = [
    "序号",
    "企业名称",
    "生产线",
    "行业",
    "2024年单位产品综合能耗（kgce/t）",
    "2025年单位产品综合能耗（kgce/t）",
    "2024年产量（万吨）",
    "2025年产量（万吨）",
    "设计产能（万吨/年）",
]


def write(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "熟料"
    ws.append(["2024—2025年水泥熟料生产线能效情况"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def grade(path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(
        app, ["--no-config", "--as-of", "2026-11-30", "grade", str(path), "-f", "json", *args]
    )
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def test_each_year_of_each_line_is_graded_at_its_own_cells(tmp_path: Path) -> None:
    path = write(
        tmp_path / "熟料2024-2025.xlsx",
        HEADER,
        [
            [1, "甲水泥", "1#窑", "水泥熟料", 118, 112, 100, 120, 150],
            [2, "乙水泥", "1#窑", "水泥熟料", 99, "abc", 80, 85, 100],
            ["合计", None, None, None, None, None, 180, 205, 250],
        ],
    )
    code, doc = grade(path)
    assert code == 1  # the E104
    got = {(r["enterprise"], r["year"]): r for r in doc["results"]}
    assert set(got) == {("甲水泥", 2024), ("甲水泥", 2025), ("乙水泥", 2024)}
    first, later = got[("甲水泥", 2024)], got[("甲水泥", 2025)]
    assert (first["value"], first["output"], first["tier"]) == (118, 1_000_000, "below_baseline")
    assert (later["value"], later["output"], later["tier"]) == (112, 1_200_000, "between")
    assert first["capacity"] == later["capacity"] == 1_500_000  # the shared column, both years
    assert first["saving_to_benchmark_tce"] == 18_000  # (118 − 100) kgce/t × 10⁶ t
    assert later["saving_to_benchmark_tce"] == 14_400
    assert first["row"] == later["row"] == 3
    (bad,) = [p for p in doc["problems"] if p["code"] == "E104"]
    assert (bad["row"], bad["column"]) == (4, "F")  # the 2025 column, not the 2024 one
    notices = " ".join(n["message"] for n in doc["notices"])
    assert "years side by side (2024, 2025)" in notices
    assert "passed through unrecognised" not in notices
    assert "1 total" in notices
    scope = doc["summary"]["scope"]["text"]
    assert "2025 for 1 line, 2024 for 1" in scope  # 乙's 2025 figure is the bad cell


def test_one_year_alone_and_a_figure_with_no_column_for_that_year(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "2024年产量（万吨）"]
    path = write(
        tmp_path / "list.xlsx",
        header,
        [[1, "甲水泥", "1#窑", "水泥熟料", 118, 112, 120, 150]],
    )
    code, doc = grade(path, "--year", "2024")
    assert code == 0
    (row,) = doc["results"]
    assert (row["year"], row["value"], row["output"]) == (2024, 118, None)  # no 2024 output
    assert row["capacity"] == 1_500_000


def test_a_list_with_a_year_column_is_not_split(tmp_path: Path) -> None:
    header = ["企业名称", "生产线", "行业", "单位产品综合能耗", "年份", "2025年产量（万吨）"]
    path = write(tmp_path / "list.xlsx", header, [["甲水泥", "1#窑", "水泥熟料", 110, 2024, 100]])
    code, doc = grade(path)
    assert code == 0
    assert [r["year"] for r in doc["results"]] == [2024]
    assert not any("years side by side" in n["message"] for n in doc["notices"])


def test_track_follows_each_line_over_the_years_side_by_side(tmp_path: Path) -> None:
    path = write(
        tmp_path / "list.xlsx",
        HEADER,
        [[1, "甲水泥", "1#窑", "水泥熟料", 125, 112, 100, 120, 150]],
    )
    result = CliRunner().invoke(
        app, ["--no-config", "--as-of", "2026-11-30", "track", str(path), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    (line,) = json.loads(result.stdout)["lines"]
    assert line["years"] == [2024, 2025] and line["values"] == [125, 112]
    assert line["latest_tier"] == "between" and line["deadline_status"] == "met"

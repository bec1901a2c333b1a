"""Units in a row of their own under the header, and other units bureau lists state.

A common two-row header puts 万吨 under 产量 instead of in its brackets; read as a plant line
(or a heading to skip) the figures below count tonnes, and every saving is 10,000 times too
small without a word. Every workbook here is written with openpyxl as a bureau lays it out
(a merged title row, a 序号 column) and graded by the real CLI.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from benchmark.cli import app
from benchmark.readers.split import SheetPiece

#: A: 序号, B: 企业名称, C: 生产线, D: 行业, E: 单位产品综合能耗, F: 产量, G: 年份.
HEADER = ["序号", "企业名称", "生产线", "行业", "单位产品综合能耗", "产量", "年份"]
TITLE = "2025年重点行业能效对标情况表"
#: Cement clinker's benchmark is 100 kgce/t: 110 kgce/t on 10⁶ t saves 10,000 tce.
PLANTS = [
    [1, "甲水泥有限公司", "1#窑", "水泥熟料", 110, 100, 2025],
    [2, "乙水泥厂", "2#窑", "水泥熟料", 105, 50, 2025],
]


def workbook(
    path: Path,
    units: Sequence[Any] | None,
    plants: Sequence[Sequence[Any]] = PLANTS,
    header: Sequence[str] = HEADER,
    title_rows: int = 1,
) -> Path:
    """A sheet as bureaus lay it out: a merged title (``title_rows`` rows of it), the header,
    the units row under it (if any), then the plant lines."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "能效对标"
    for _ in range(title_rows):
        ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=title_rows, end_column=len(header))
    ws.append(list(header))
    if units is not None:
        ws.append(list(units))
    for plant in plants:
        ws.append(list(plant))
    wb.save(path)
    return path


def grade(path: Path) -> dict[str, Any]:
    """The JSON the real CLI prints for ``path``."""
    result = CliRunner().invoke(app, ["--no-config", "grade", str(path), "-f", "json"])
    assert "Traceback" not in result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def results(doc: dict[str, Any]) -> list[tuple[int, float | None, float | None]]:
    """Each graded row: its Excel row, output in t and saving to the benchmark in tce."""
    return [(r["row"], r["output"], r["saving_to_benchmark_tce"]) for r in doc["results"]]


def problems(doc: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(p["code"], p["row"], p["column"]) for p in doc["problems"]]


def notices(doc: dict[str, Any]) -> str:
    return " | ".join(n["message"] for n in doc["notices"])


SCALED = [(4, 1_000_000.0, 10_000.0), (5, 500_000.0, 2_500.0)]


@pytest.mark.parametrize(
    "units",
    [
        [None, None, None, None, None, "万吨", None],  # only the unit that matters
        ["单位", None, None, None, "kgce/t", "万吨", None],  # labelled, in the 序号 column
        [None, "计量单位：", None, None, "千克标准煤/吨", "10⁴t", "年"],
    ],
    ids=["bare", "labelled", "spelled-out"],
)
def test_a_units_row_scales_the_column_below(tmp_path: Path, units: list[Any]) -> None:
    doc = grade(workbook(tmp_path / "units.xlsx", units))
    assert results(doc) == SCALED
    assert problems(doc) == []
    assert "skipped" not in notices(doc)  # neither a plant line nor a section heading
    assert doc["rows_total"] == 2


def test_a_units_row_under_a_header_merged_over_two_rows(tmp_path: Path) -> None:
    """The header's cells merged down over the units row: only 万吨 and kgce/t stand in it."""
    path = tmp_path / "merged.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([TITLE])
    ws.merge_cells("A1:G1")
    ws.append(HEADER)
    ws.append([None, None, None, None, "kgce/t", "万吨", None])
    for column in "ABCDG":
        ws.merge_cells(f"{column}2:{column}3")
    for plant in PLANTS:
        ws.append(plant)
    wb.save(path)
    doc = grade(path)
    assert results(doc) == SCALED
    assert problems(doc) == []


def test_an_energy_unit_under_the_value_is_its_unit(tmp_path: Path) -> None:
    plants = [[1, "甲水泥有限公司", "1#窑", "水泥熟料", 0.11, 100, 2025]]
    doc = grade(
        workbook(tmp_path / "tce.xlsx", ["单位", None, None, None, "tce/t", "万吨"], plants)
    )
    assert [(r["value"], r["input_unit"]) for r in doc["results"]] == [(110.0, "tce/t")]
    assert results(doc) == [(4, 1_000_000.0, 10_000.0)]


def test_problem_rows_stay_exact_below_a_units_row(tmp_path: Path) -> None:
    plants = [*PLANTS, [3, "丙水泥厂", "1#窑", None, 120, 10, 2025]]
    doc = grade(workbook(tmp_path / "rows.xlsx", [None, None, None, None, None, "万吨"], plants))
    assert results(doc) == SCALED
    assert problems(doc) == [("E101", 6, "D")]


def test_a_unit_not_of_output_under_output_is_e106_at_its_cell(tmp_path: Path) -> None:
    doc = grade(workbook(tmp_path / "e106.xlsx", [None, None, None, None, None, "kgce/t"]))
    assert problems(doc) == [("E106", 3, "F")]
    assert "kgce/t" in doc["problems"][0]["message"]
    assert results(doc) == [(4, None, None), (5, None, None)]  # never tonnes


def test_a_units_row_contradicting_the_header_is_e107_at_the_unit(tmp_path: Path) -> None:
    header = [*HEADER[:5], "产量（吨）", "年份"]
    doc = grade(workbook(tmp_path / "e107.xlsx", [None] * 5 + ["万吨"], header=header))
    assert problems(doc) == [("E107", 3, "F")]
    assert results(doc) == [(4, None, None), (5, None, None)]


def test_a_units_row_agreeing_with_the_header(tmp_path: Path) -> None:
    header = [*HEADER[:4], "单位产品综合能耗（kgce/t）", "产量（万吨）", "年份"]
    units = ["单位", None, None, None, "千克标准煤/吨", "10⁴t"]
    doc = grade(workbook(tmp_path / "agree.xlsx", units, header=header))
    assert results(doc) == SCALED
    assert problems(doc) == []


def test_a_value_unit_contradicting_the_header_grades_nothing(tmp_path: Path) -> None:
    """kgce/t in the header, tce/t under it: which one is meant cannot be told."""
    header = [*HEADER[:4], "单位产品综合能耗（kgce/t）", "产量", "年份"]
    doc = grade(workbook(tmp_path / "value.xlsx", [None] * 4 + ["tce/t", "万吨"], header=header))
    assert problems(doc) == [("E107", 3, "E"), ("E107", 4, "E"), ("E107", 5, "E")]
    assert doc["results"] == []


def test_a_plant_line_under_the_header_is_no_units_row(tmp_path: Path) -> None:
    """A unit typed in a plant's cell is that cell's unit; the line is graded."""
    plants = [[1, "甲水泥有限公司", "1#窑", "水泥熟料", 110, "100万吨", 2025]]
    doc = grade(workbook(tmp_path / "plant.xlsx", None, plants))
    assert results(doc) == [(3, 1_000_000.0, 10_000.0)]


def test_a_units_row_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    lines = [",".join(HEADER), "单位,,,,kgce/t,万吨,"]
    lines += [",".join(str(c) for c in plant) for plant in PLANTS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = grade(path)
    assert [(r["row"], r["output"], r["saving_to_benchmark_tce"]) for r in doc["results"]] == [
        (3, 1_000_000.0, 10_000.0),
        (4, 500_000.0, 2_500.0),
    ]
    assert problems(doc) == []


# --- a sheet read in pieces ---------------------------------------------------------------------


@pytest.mark.parametrize("title_rows", [1, 19], ids=["header-row-2", "header-row-20"])
def test_a_units_row_of_a_sheet_read_in_pieces(
    tmp_path: Path, pieces_read: list[SheetPiece], title_rows: int
) -> None:
    """Every piece gets the units row of the first; its problem is said once, at its cell.
    With the header on row 20, the last searched, and the units on row 21, the first piece
    still holds the units row."""
    header = [*HEADER, "产能"]
    units = [None, None, None, None, "kgce/t", "万吨", None, "kgce/t"]
    count = 600
    plants = [[k, f"水泥{k}厂", "1#窑", "水泥熟料", 110, 1, 2025, 2] for k in range(1, count + 1)]
    plants[400][3] = None  # a blank area deep in a later piece
    path = workbook(tmp_path / "large.xlsx", units, plants, header=header, title_rows=title_rows)
    doc = grade(path)
    assert len(pieces_read) > 2
    unit_row = title_rows + 2
    first = unit_row + 1
    assert problems(doc) == [("E106", unit_row, "H"), ("E101", first + 400, "D")]
    got = results(doc)
    assert len(got) == count - 1
    assert {(output, saving) for _row, output, saving in got} == {(10_000.0, 100.0)}
    assert [row for row, _o, _s in got] == [first + k for k in range(count) if k != 400]
    assert "skipped" not in notices(doc)


# --- other units and summary rows ---------------------------------------------------------------


def test_a_superscript_power_in_the_header(tmp_path: Path) -> None:
    header = [*HEADER[:5], "产量（10⁴t）", "年份"]
    doc = grade(workbook(tmp_path / "power.xlsx", None, header=header))
    assert problems(doc) == []
    assert results(doc) == [(3, 1_000_000.0, 10_000.0), (4, 500_000.0, 2_500.0)]


def test_crude_run_is_a_refinery_output(tmp_path: Path) -> None:
    header = ["序号", "企业名称", "行业", "单位能量因数综合能耗", "原油加工量（万吨）", "年份"]
    plants = [[1, "甲石化公司", "炼油", 8, 500, 2025]]
    doc = grade(workbook(tmp_path / "refinery.xlsx", None, plants, header=header))
    assert problems(doc) == []
    assert [(r["area"], r["output"]) for r in doc["results"]] == [("oil_refining", 5_000_000.0)]
    assert doc["results"][0]["saving_to_benchmark_tce"] is not None


def test_a_quantity_header_matching_no_field_is_named(tmp_path: Path) -> None:
    header = [*HEADER, "原料用量（万吨）"]
    plants = [[*plant, 150] for plant in PLANTS]
    doc = grade(workbook(tmp_path / "raw.xlsx", None, plants, header=header))
    said = notices(doc)
    assert "passed through unrecognised: 原料用量（万吨） (a quantity in 万吨" in said


def test_average_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    plants = [
        *PLANTS,
        [None, "平均", None, "水泥熟料", 107.5, 75, 2025],
        [None, "加权平均值", None, None, 108.3, None, None],
        [3, "平均山水泥有限公司", "1#窑", "水泥熟料", 110, 100, 2025],
    ]
    header = [*HEADER[:5], "产量（万吨）", "年份"]
    doc = grade(workbook(tmp_path / "avg.xlsx", None, plants, header=header))
    assert problems(doc) == []  # 加权平均值 with no area is no plant line missing one
    assert [r["enterprise"] for r in doc["results"]] == [
        "甲水泥有限公司",
        "乙水泥厂",
        "平均山水泥有限公司",
    ]
    assert "2 row(s) skipped, not plant lines: 2 averages" in notices(doc)

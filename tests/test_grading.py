"""Grading: tiers at and around both boundaries of every level row, gaps, scores, savings."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import benchmark
from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.cli import app

from .conftest import WriteXlsx

LEVELS = [
    (a.id, lv.category, lv.benchmark, lv.baseline, lv.status)
    for a, lv in load_catalogue().iter_levels()
]


def _frame(area: str, category: str | None, values: list[float], **extra: object) -> pd.DataFrame:
    return pd.DataFrame({"area": area, "category": category, "value": values, **extra})


@pytest.mark.parametrize(
    ("area", "category", "bench", "base", "status"), LEVELS, ids=[f"{a}/{c}" for a, c, *_ in LEVELS]
)
def test_boundaries_of_every_level(
    area: str, category: str | None, bench: float, base: float, status: str
) -> None:
    values = [
        np.nextafter(bench, -np.inf),
        bench,
        np.nextafter(bench, np.inf),
        (bench + base) / 2,
        base,
        np.nextafter(base, np.inf),
        base + abs(base) / 2,
    ]
    graded = benchmark.grade(_frame(area, category, values))
    assert list(graded["tier"]) == [
        "benchmark",
        "benchmark",
        "between",
        "between",
        "between",
        "below_baseline",
        "below_baseline",
    ]
    assert set(graded["level_status"]) == {status}
    assert graded["benchmark"].eq(bench).all() and graded["baseline"].eq(base).all()


def test_negative_converter_levels() -> None:
    graded = benchmark.grade(_frame("steelmaking", "converter", [-35, -30, -20, -10, -5]))
    assert list(graded["tier"]) == [
        "benchmark",
        "benchmark",
        "between",
        "between",
        "below_baseline",
    ]
    assert list(graded["gap_to_benchmark"]) == [-5, 0, 10, 20, 25]
    assert list(graded["score"]) == [125, 100, 50, 0, -25]
    # No percentage of a negative level: it would flip sign and mislead.
    assert graded["gap_to_benchmark_pct"].isna().all()


def test_derived_figures_carry_no_binary_noise() -> None:
    """307.9 − 300 is 7.899999999999977 in binary floating point; outputs show 7.9."""
    graded = benchmark.grade(
        _frame("cement_clinker", None, [107.9, 100.1, 95.3], output=[3.0, 7.0, 1.0])
    )
    assert 107.9 - 100 != 7.9  # the noise this guards against
    assert graded["gap_to_benchmark"].tolist() == [7.9, 0.1, -4.7]
    assert graded["saving_to_benchmark"].tolist() == [23.7, 0.7, 0.0]
    assert graded["score"].tolist() == [round(v, 6) for v in graded["score"]]
    # The tier still compares the exact figure: 100.1 is above the benchmark of 100.
    assert graded["tier"].tolist()[1] == "between"


def test_gaps_scores_and_savings_arithmetic() -> None:
    graded = benchmark.grade(
        _frame("cement_clinker", None, [95.0, 108.5, 125.0], output=[1e6, 2e6, 1.5e6])
    )
    assert list(graded["gap_to_benchmark"]) == [-5.0, 8.5, 25.0]
    assert list(graded["gap_to_baseline"]) == [-22.0, -8.5, 8.0]
    assert graded["gap_to_benchmark_pct"].tolist() == pytest.approx([-5.0, 8.5, 25.0])
    assert graded["score"].tolist() == pytest.approx([2200 / 17, 50.0, -800 / 17])
    # saving = max(gap, 0) × output, kgce; tce = kgce / 1000.
    assert graded["saving_to_benchmark"].tolist() == [0.0, 17e6, 37.5e6]
    assert graded["saving_to_baseline"].tolist() == [0.0, 0.0, 12e6]
    assert graded["saving_to_benchmark_tce"].tolist() == [0.0, 17e3, 37.5e3]
    assert list(graded["saving_unit"]) == ["kgce"] * 3
    assert list(graded["deadline"].fillna("")) == ["", "", "2025-12-31"]


def test_savings_in_tce_for_oil_and_electricity_areas() -> None:
    oil = benchmark.grade(_frame("ethylene", None, [650.0], output=[1000.0]))
    # 60 kgoe/t × 1000 t = 60,000 kgoe = 60,000 × 1.4286 kgce = 85.716 tce
    assert oil["saving_to_benchmark"].iloc[0] == 60_000
    assert oil["saving_to_benchmark_tce"].iloc[0] == pytest.approx(85.716)
    power = benchmark.grade(_frame("electrolytic_aluminium", None, [13500.0], output=[100.0]))
    # 500 kWh/t × 100 t = 50,000 kWh × 0.1229 kgce/kWh = 6.145 tce
    assert power["saving_to_benchmark_tce"].iloc[0] == pytest.approx(6.145)
    assert power["saving_unit"].iloc[0] == "kWh"


def test_no_output_means_no_saving_and_a_missing_value_no_tier() -> None:
    graded = benchmark.grade(
        pd.DataFrame({"area": ["cement_clinker", "cement_clinker"], "value": [120.0, None]})
    )
    assert math.isnan(graded["saving_to_benchmark"].iloc[0])
    assert graded["tier"].tolist()[0] == "below_baseline" and pd.isna(graded["tier"].iloc[1])


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (
            {"area": ["水泥熟料"], "value": [100.0]},
            "area '水泥熟料' is not a catalogue id; did you mean 'cement_clinker'?",
        ),
        ({"area": ["cemnt_clinker"], "value": [100.0]}, "did you mean 'cement_clinker'?"),
        (
            {"area": ["caustic_soda"], "category": ["液碱30%"], "value": [300.0]},
            "category '液碱30%' is not a category id of caustic_soda",
        ),
        (
            {"area": ["caustic_soda"], "value": [300.0]},
            "caustic_soda rows need a category id (one of membrane_liquid_30",
        ),
        (
            {"area": ["cement_clinker"], "value": [0.099], "unit": ["tce/t"]},
            "cement_clinker values are given in 'tce/t', not in the catalogue unit kgce/t",
        ),
        ({"area": ["cement_clinker"]}, "the frame has no 'value' column"),
        ({"value": [1.0]}, "the frame has no 'area' column"),
    ],
)
def test_grade_refuses_what_it_would_grade_wrong_or_not_at_all(
    frame: dict[str, list[object]], message: str
) -> None:
    with pytest.raises(benchmark.GradeInputError) as info:
        benchmark.grade(pd.DataFrame(frame))
    assert message in str(info.value)


def test_validate_frame_gives_the_clis_checks_in_memory(catalogue: Catalogue) -> None:
    """Chinese headers, names and aliases, a unit column: ids, catalogue units, problems at
    their cells."""
    frame = pd.DataFrame(
        {
            "企业名称": ["甲", "乙", "丙", "丁"],
            "领域": ["水泥熟料", "clinker", "烧碱", "不存在"],
            "类别": [None, None, "液碱30%", None],
            "单位产品能耗": [0.099, 118, "330", 1],
            "单位": ["tce/t", None, None, None],
        }
    )
    rows, problems = benchmark.validate_frame(frame, catalogue)
    assert rows["area"].tolist() == ["cement_clinker", "cement_clinker", "caustic_soda"]
    assert rows["value"].tolist() == pytest.approx([99.0, 118.0, 330.0])
    assert [(p.code, p.file, p.row, p.column) for p in problems] == [("E102", "<frame>", 5, "B")]
    graded = benchmark.grade(rows, catalogue)
    assert graded["tier"].tolist() == ["benchmark", "below_baseline", "between"]
    with pytest.raises(TypeError, match="validate_frame"):  # not "no such file: <the frame>"
        benchmark.read_plants(frame, catalogue)  # type: ignore[arg-type]


def test_grade_is_pure(catalogue: Catalogue) -> None:
    frame = _frame("cement_clinker", None, [99.0, 118.0])
    before = frame.copy()
    benchmark.grade(frame, catalogue)
    pd.testing.assert_frame_equal(frame, before)


def test_units_are_converted_before_grading(write_xlsx: WriteXlsx, runner: CliRunner) -> None:
    path = write_xlsx(
        [
            ["甲", "1#", "水泥熟料", None, "0.099", "tce/t", 1000, None, 2024, "河北"],
            ["乙", "1#", "水泥熟料", None, "99", "千克标准煤/吨", 1000, None, 2024, "河北"],
            ["丙", "1#", "乙烯", None, "600", "kgoe/t", None, None, 2024, None],
            ["丁", "1#", "乙烯", None, "857.16", "kgce/t", None, None, 2024, None],
            ["戊", "1#", "电解铝", None, "13.1", "MWh/t", None, None, 2024, None],
        ]
    )
    result = runner.invoke(app, ["grade", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]
    assert [r["value"] for r in rows] == pytest.approx([99.0, 99.0, 600.0, 600.0, 13100.0])
    assert [r["unit"] for r in rows] == ["kgce/t", "kgce/t", "kgoe/t", "kgoe/t", "kWh/t"]
    assert [r["tier"] for r in rows] == ["benchmark", "benchmark", "between", "between", "between"]
    assert rows[0]["input_value"] == "0.099" and rows[0]["input_unit"] == "tce/t"

"""Tracking lines year on year: a five-line 2021–2026 workbook written as plants lay it out.

The workbook (``FIVE_LINES``) holds one row per line and year, in year blocks, read and graded
by the real pipeline with the shipped catalogue (cement clinker: benchmark 100, baseline 117;
converter steelmaking: −30 / −10; deadline 2025-12-31):

* A 企业甲 1#窑 — 125 → 105 by −4 a year: below the baseline in 2021–2022, compliant since.
* B 企业甲 2#窑 — at benchmark in 2021, worsening, below the baseline in 2025, 116 in 2026.
* C 企业乙 Kiln A / KILN A — about 110 throughout (steady); region only in 2021.
* D 企业乙 老窑 — 130, 128, 125 in 2022–2024, then no figure: below the baseline throughout.
* E 企业丙 1#转炉 (converter) — an undated −8, then −25 in 2024 and −31 in 2025.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import benchmark
from benchmark.catalogue import Catalogue
from benchmark.tracking import (
    BY_YEAR_COLUMNS,
    LAGGING_COLUMNS,
    LINE_COLUMNS,
    LIST_COLUMNS,
    NoRowsForYear,
    latest_year_mask,
    latest_year_note,
    line_ids,
    lists,
    repeated_line_years,
    row_deadline_status,
    track,
)

from .conftest import WriteXlsx

AS_OF = dt.date(2026, 11, 30)

#: (enterprise, line, area, {year: value}, capacity, {year: region}) per line.
SERIES: dict[
    str, tuple[str, str, str, dict[int | None, float], float | None, dict[int | None, str]]
] = {
    "A": (
        "企业甲",
        "1#窑",
        "水泥熟料",
        dict(zip(range(2021, 2027), [125, 121, 117, 113, 109, 105], strict=True)),
        100,
        {},
    ),
    "B": (
        "企业甲",
        "2#窑",
        "水泥熟料",
        dict(zip(range(2021, 2027), [98, 99, 101, 103, 118, 116], strict=True)),
        300,
        {},
    ),
    "C": (
        "企业乙",
        "Kiln A",
        "水泥熟料",
        dict(zip(range(2021, 2026), [110, 110.1, 109.9, 110.2, 110.1], strict=True)),
        100,
        {2021: "山东"},
    ),
    "D": ("企业乙", "老窑", "水泥熟料", {2022: 130, 2023: 128, 2024: 125}, None, {}),
    "E": ("企业丙", "1#转炉", "转炉", {None: -8, 2024: -25, 2025: -31}, 200, {}),
}


def _row(key: str, year: int | None) -> list[Any]:
    enterprise, line, area, values, capacity, regions = SERIES[key]
    if key == "C" and year is not None and year >= 2023:
        line = line.upper()  # the same line, spelt in capitals from 2023 on
    region = regions.get(year, "河北" if key in "AB" else None)
    # 企业名称, 生产线, 领域, 类别, 单位产品能耗, 单位, 产量, 产能, 年份, 地区
    return [enterprise, line, area, None, values[year], None, None, capacity, year, region]


def _five_line_rows() -> list[list[Any]]:
    """Year blocks, as a workbook that appends each year's figures under the last."""
    rows = [
        _row(key, year) for year in range(2021, 2027) for key in SERIES if year in SERIES[key][3]
    ]
    return [*rows, _row("E", None)]


@pytest.fixture
def graded(write_xlsx: WriteXlsx, catalogue: Catalogue) -> pd.DataFrame:
    frame, problems = benchmark.read_plants(write_xlsx(_five_line_rows()), catalogue)
    assert problems == []
    assert len(frame) == 6 + 6 + 5 + 3 + 3
    return benchmark.grade(frame, catalogue)


def _by_line(lines: pd.DataFrame) -> dict[str, pd.Series]:
    """The rows of ``track(...).lines`` by the letters of :data:`SERIES`."""
    found: dict[str, pd.Series] = {}
    for key, (enterprise, line, *_) in SERIES.items():
        hit = lines[
            (lines["enterprise"] == enterprise) & (lines["line"].str.lower() == line.lower())
        ]
        assert len(hit) == 1, key
        found[key] = hit.iloc[0]
    return found


def _na(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


# --- track ----------------------------------------------------------------------------------


def test_track_one_row_per_line_with_its_years(graded: pd.DataFrame, catalogue: Catalogue) -> None:
    lines = track(graded, catalogue, AS_OF).lines
    assert list(lines.columns) == list(LINE_COLUMNS)
    assert len(lines) == 5
    got = _by_line(lines)
    for key, (_, _, _, values, _, _) in SERIES.items():
        dated = sorted(y for y in values if y is not None)
        years = ([None] if None in values else []) + dated
        assert got[key]["years"] == years, key
        assert got[key]["values"] == [values[y] for y in years], key
        assert got[key]["first_year"] == dated[0]
        assert got[key]["latest_year"] == dated[-1]
        assert got[key]["latest_value"] == values[dated[-1]]
    assert got["A"]["tiers"] == ["below_baseline"] * 2 + ["between"] * 4
    assert got["B"]["tiers"] == ["benchmark"] * 2 + ["between"] * 2 + ["below_baseline", "between"]
    assert got["E"]["tiers"] == ["below_baseline", "between", "benchmark"]
    assert [got[k]["latest_tier"] for k in "ABCDE"] == [
        "between",
        "between",
        "between",
        "below_baseline",
        "benchmark",
    ]
    assert [got[k]["area"] for k in "ABCDE"] == ["cement_clinker"] * 4 + ["steelmaking"]
    assert got["E"]["category"] == "converter" and _na(got["A"]["category"])


def test_track_spells_a_line_as_its_latest_row_and_keeps_the_latest_region(
    graded: pd.DataFrame, catalogue: Catalogue
) -> None:
    got = _by_line(track(graded, catalogue, AS_OF).lines)
    assert got["C"]["line"] == "KILN A"  # "Kiln A" in 2021–2022: the same line
    assert got["C"]["region"] == "山东"  # given in 2021 only
    assert got["A"]["region"] == "河北"
    assert _na(got["D"]["region"])


def test_change_per_year_is_the_least_squares_slope(
    graded: pd.DataFrame, catalogue: Catalogue
) -> None:
    got = _by_line(track(graded, catalogue, AS_OF).lines)
    for key, (_, _, _, values, _, _) in SERIES.items():
        years = [y for y in values if y is not None]
        expected = np.polyfit(years, [values[y] for y in years], 1)[0]
        assert got[key]["change_per_year"] == pytest.approx(expected, abs=1e-6), key
    assert got["A"]["change_per_year"] == -4.0  # rounded as grading rounds: no binary noise


def test_trends(graded: pd.DataFrame, catalogue: Catalogue) -> None:
    got = _by_line(track(graded, catalogue, AS_OF).lines)
    assert {k: got[k]["trend"] for k in "ABCDE"} == {
        "A": "improving",
        "B": "worsening",
        "C": "steady",
        "D": "improving",
        "E": "improving",
    }
    # Steady: |0.03| is within 1% of |117 − 100| = 0.17 a year, but not zero.
    assert 0 < abs(got["C"]["change_per_year"]) <= 0.17


def test_reached_benchmark_in(graded: pd.DataFrame, catalogue: Catalogue) -> None:
    got = _by_line(track(graded, catalogue, AS_OF).lines)
    assert got["B"]["reached_benchmark_in"] == 2021  # the first year, though it left since
    assert got["E"]["reached_benchmark_in"] == 2025  # −31 ≤ −30
    assert all(_na(got[k]["reached_benchmark_in"]) for k in "ACD")


@pytest.mark.parametrize(
    ("as_of", "d_status"),
    [
        (dt.date(2025, 6, 30), "open"),
        (dt.date(2025, 12, 31), "open"),  # on the deadline day it has not passed yet
        (dt.date(2026, 1, 1), "unknown"),
        (AS_OF, "unknown"),
        (dt.datetime(2026, 11, 30, 9, 30), "unknown"),
    ],
)
def test_line_deadline_status_as_of(
    graded: pd.DataFrame, catalogue: Catalogue, as_of: dt.date, d_status: str
) -> None:
    got = _by_line(track(graded, catalogue, as_of).lines)
    assert got["D"]["deadline_status"] == d_status  # below in 2024, its latest year
    assert got["A"]["deadline_status"] == "met"  # below in 2021–2022, between in 2026
    assert got["E"]["deadline_status"] == "met"  # below undated, benchmark in 2025
    # B: below in 2025, the deadline's year; back between in 2026 does not undo that.
    assert got["B"]["deadline_status"] == "missed"
    assert _na(got["C"]["deadline_status"])  # never below the baseline


def test_projected_years(graded: pd.DataFrame, catalogue: Catalogue) -> None:
    got = _by_line(track(graded, catalogue, AS_OF).lines)
    # A: 105 in 2026, −4 a year: at the baseline already (its latest year); 101 in 2027,
    # 97 in 2028.
    assert (got["A"]["projected_baseline_year"], got["A"]["projected_benchmark_year"]) == (
        2026,
        2028,
    )
    # D: 125 in 2024, −2.5 a year: 117 needs 3.2 years (2028); 100 needs exactly 10 (2034).
    assert (got["D"]["projected_baseline_year"], got["D"]["projected_benchmark_year"]) == (
        2028,
        2034,
    )
    # B worsens and C is steady: neither reaches the benchmark; both are within the baseline.
    assert (got["B"]["projected_baseline_year"], got["C"]["projected_baseline_year"]) == (
        2026,
        2025,
    )
    assert _na(got["B"]["projected_benchmark_year"])
    assert _na(got["C"]["projected_benchmark_year"])
    # E is at the benchmark in 2025: both levels reached in its latest year.
    assert (got["E"]["projected_baseline_year"], got["E"]["projected_benchmark_year"]) == (
        2025,
        2025,
    )


def test_projection_and_steadiness_are_free_of_binary_noise(
    write_xlsx: WriteXlsx, catalogue: Catalogue
) -> None:
    """−0.35 a year from 100.7 reaches 100 in exactly two years, though 0.7 / 0.35 is
    2.0000000000000084 in binary; a slope of exactly 1% of |117 − 100| is still steady."""
    series = {
        "X": [101.4, 101.05, 100.7],
        "Y": [118.4, 118.05, 117.7],
        "Z": [110, 110.17, 110.34],
        "W": [110.34, 110.17, 110],
    }
    rows = [
        ["企业壬", name, "水泥熟料", None, value, None, None, 10, year, None]
        for name, values in series.items()
        for year, value in zip((2023, 2024, 2025), values, strict=True)
    ]
    frame, problems = benchmark.read_plants(write_xlsx(rows), catalogue)
    assert problems == []
    lines = track(benchmark.grade(frame, catalogue), catalogue, AS_OF).lines.set_index("line")
    assert lines.loc["X", "projected_benchmark_year"] == 2027
    assert lines.loc["Y", "projected_baseline_year"] == 2027
    assert lines.loc["Y", "projected_benchmark_year"] == 2076  # 17.7 / 0.35 = 50.6 years
    assert lines.loc["Y", "deadline_status"] == "missed"
    assert lines.loc["Z", "change_per_year"] == 0.17 and lines.loc["Z", "trend"] == "steady"
    assert lines.loc["W", "change_per_year"] == -0.17 and lines.loc["W", "trend"] == "steady"
    assert _na(lines.loc["W", "projected_benchmark_year"])  # steady: not improving


def test_by_year_counts_and_weights_as_the_summary(
    graded: pd.DataFrame, catalogue: Catalogue
) -> None:
    by_year = track(graded, catalogue, AS_OF).by_year
    assert list(by_year.columns) == list(BY_YEAR_COLUMNS)
    cement = by_year[by_year["area"] == "cement_clinker"].set_index("year")
    assert cement.index.tolist() == [2021, 2022, 2023, 2024, 2025, 2026]
    assert cement["rows"].tolist() == [3, 4, 4, 4, 3, 2]
    assert [cement.loc[2021, t] for t in ("benchmark", "between", "below_baseline")] == [1, 1, 1]
    # 2021: B (capacity 300) at benchmark of A, B, C (100 + 300 + 100).
    assert cement.loc[2021, "share_at_benchmark"] == pytest.approx(300 / 500)
    assert cement.loc[2021, "share_basis"] == "capacity"
    # 2022: D states no capacity, so rows count: B alone of four.
    assert cement.loc[2022, "share_at_benchmark"] == pytest.approx(1 / 4)
    assert cement.loc[2022, "share_basis"] == "rows"
    target = catalogue.target_for(catalogue.area("cement_clinker"))
    assert (cement["target_share"] == target).all()
    steel = by_year[by_year["area"] == "steelmaking"]
    assert steel["year"].isna().tolist() == [True, False, False]  # undated first: oldest
    assert steel["below_baseline"].tolist() == [1, 0, 0]
    assert steel["share_at_benchmark"].tolist() == [0.0, 0.0, 1.0]
    # Areas in catalogue order: cement clinker comes before steelmaking.
    assert by_year["area"].tolist() == ["cement_clinker"] * 6 + ["steelmaking"] * 3


def test_by_year_matches_summarise_on_each_year(graded: pd.DataFrame, catalogue: Catalogue) -> None:
    by_year = track(graded, catalogue, AS_OF).by_year
    for year in (2021, 2024, 2026):
        groups = benchmark.summarise(graded[graded["year"] == year], catalogue).groups
        mine = by_year[by_year["year"] == year]
        assert mine["area"].tolist() == [g.group for g in groups]
        assert mine["share_at_benchmark"].tolist() == [g.share_at_benchmark for g in groups]


# --- rows: deadline status, latest year -----------------------------------------------------


def test_row_deadline_status(graded: pd.DataFrame, catalogue: Catalogue) -> None:
    late = row_deadline_status(graded, catalogue, AS_OF)
    early = row_deadline_status(graded, catalogue, dt.date(2025, 6, 30))
    assert late.dtype == "string[pyarrow]" and late.index.equals(graded.index)
    below = (graded["tier"] == "below_baseline").tolist()
    assert late.notna().tolist() == below and early.notna().tolist() == below
    key = graded["enterprise"] + "/" + graded["line"] + "/" + graded["year"].astype("string")
    by_key = dict(zip(key.fillna("E undated"), zip(late, early, strict=True), strict=True))
    assert by_key["企业甲/1#窑/2021"] == ("passed", "open")
    assert by_key["企业甲/2#窑/2025"] == ("missed", "missed")  # the deadline's year
    assert by_key["企业乙/老窑/2024"] == ("passed", "open")
    assert by_key["E undated"] == ("passed", "open")  # no year: counted as earlier


def test_latest_year_mask_and_note(graded: pd.DataFrame) -> None:
    mask = latest_year_mask(graded)
    assert mask.dtype == bool and len(mask) == len(graded)
    latest = graded[mask]
    got = dict(zip(latest["enterprise"] + latest["line"].str.lower(), latest["year"], strict=True))
    assert got == {
        "企业甲1#窑": 2026,
        "企业甲2#窑": 2026,
        "企业乙kiln a": 2025,
        "企业乙老窑": 2024,
        "企业丙1#转炉": 2025,
    }
    note = latest_year_note(graded, mask)
    assert note == {2026: 2, 2025: 2, 2024: 1}
    assert list(note) == [2026, 2025, 2024]  # latest first


def test_line_ids_ignore_case_and_count_no_line_as_a_value(graded: pd.DataFrame) -> None:
    ids = line_ids(graded)
    assert ids.dtype == np.int64 and len(np.unique(ids)) == 5
    kiln = graded["line"].str.lower() == "kiln a"
    assert len(np.unique(ids[kiln.to_numpy()])) == 1  # "Kiln A" and "KILN A"
    no_line = graded.assign(line=pd.Series(pd.NA, index=graded.index, dtype="string[pyarrow]"))
    # Without line names, lines of one enterprise and area merge: 企业甲, 企业乙, 企业丙.
    assert len(np.unique(line_ids(no_line))) == 3


# --- undated rows and rows repeated across files --------------------------------------------


def test_undated_rows(write_xlsx: WriteXlsx, catalogue: Catalogue) -> None:
    rows = [
        ["企业戊", "1#窑", "水泥熟料", None, 120, None, None, 50, None, "广东"],
        ["企业己", "2#窑", "水泥熟料", None, 99, None, None, 80, 2024, "广东"],
        ["企业己", "2#窑", "水泥熟料", None, 112, None, None, 80, None, "广东"],
        ["企业辛", "3#窑", "水泥熟料", None, 95, None, None, 80, None, None],
        ["企业辛", "3#窑", "水泥熟料", None, 105, None, None, 80, 2024, None],
    ]
    frame, problems = benchmark.read_plants(write_xlsx(rows), catalogue)
    assert problems == []
    graded = benchmark.grade(frame, catalogue)
    mask = latest_year_mask(graded)
    assert mask.tolist() == [True, True, False, False, True]  # a dated row is newer
    assert latest_year_note(graded, mask) == {2024: 2, None: 1}
    lines = track(graded, catalogue, dt.date(2025, 3, 1)).lines.set_index("enterprise")
    only_undated = lines.loc["企业戊"]
    assert only_undated["years"] == [None] and only_undated["values"] == [120.0]
    assert _na(only_undated["latest_year"]) and _na(only_undated["first_year"])
    assert only_undated["latest_tier"] == "below_baseline"
    assert only_undated["deadline_status"] == "open"
    assert _na(only_undated["trend"]) and _na(only_undated["change_per_year"])
    assert _na(only_undated["projected_baseline_year"])
    assert lines.loc["企业己", "years"] == [None, 2024]
    assert _na(lines.loc["企业己", "trend"])  # one dated figure: no trend
    # At benchmark only in a year nobody stated: it reached it in no year we can name.
    assert lines.loc["企业辛", "tiers"] == ["benchmark", "between"]
    assert _na(lines.loc["企业辛", "reached_benchmark_in"])
    lagging = lists(graded, catalogue, dt.date(2026, 3, 1)).lagging
    assert lagging["enterprise"].tolist() == ["企业戊"]
    assert _na(lagging["year"].iloc[0]) and lagging["deadline_status"].iloc[0] == "passed"


def test_a_line_and_year_in_two_files_counts_once(tmp_path: Path, catalogue: Catalogue) -> None:
    import openpyxl

    from .conftest import HEADER_ZH

    for name, value in (("a_2024.xlsx", 112), ("b_resubmitted.xlsx", 95)):
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(HEADER_ZH)
        ws.append(["企业庚", "1#窑", "水泥熟料", None, 120, None, None, 60, 2023, None])
        ws.append(["企业庚", "1#窑", "水泥熟料", None, value, None, None, 60, 2024, None])
        wb.save(tmp_path / name)
    frame, problems = benchmark.read_plants(tmp_path, catalogue)
    # Read together, the resubmitted copy's rows are E110 and left out.
    assert [(p.code, p.file.endswith("b_resubmitted.xlsx")) for p in problems] == [
        ("E110", True),
        ("E110", True),
    ]
    assert len(frame) == 2
    # Frames joined by hand (each file read alone) still count each line-year once.
    parts = [
        benchmark.read_plants(tmp_path / name, catalogue)[0]
        for name in ("a_2024.xlsx", "b_resubmitted.xlsx")
    ]
    graded = benchmark.grade(pd.concat(parts, ignore_index=True), catalogue)
    repeated = repeated_line_years(graded)
    assert graded["file"][repeated].str.endswith("b_resubmitted.xlsx").all()
    assert repeated.sum() == 2
    line = track(graded, catalogue, AS_OF).lines.iloc[0]
    assert line["years"] == [2023, 2024] and line["values"] == [120.0, 112.0]
    assert latest_year_mask(graded).sum() == 1


# --- lists ----------------------------------------------------------------------------------


def test_lists_in_each_lines_latest_year(graded: pd.DataFrame, catalogue: Catalogue) -> None:
    published = lists(graded, catalogue, AS_OF)
    assert list(published.advanced.columns) == list(LIST_COLUMNS)
    assert list(published.lagging.columns) == list(LAGGING_COLUMNS)
    advanced = published.advanced.iloc[0]
    assert len(published.advanced) == 1
    assert advanced[
        [
            "seq",
            "enterprise",
            "line",
            "area",
            "category",
            "value",
            "unit",
            "benchmark",
            "baseline",
            "capacity",
            "year",
        ]
    ].tolist() == [
        1,
        "企业丙",
        "1#转炉",
        "炼钢",
        "转炉工序",
        -31.0,
        "kgce/t",
        -30.0,
        -10.0,
        200.0,
        2025,
    ]
    lagging = published.lagging
    assert lagging["line"].tolist() == ["老窑"] and lagging["year"].tolist() == [2024]
    assert lagging["area"].tolist() == ["水泥熟料"] and lagging["category"].isna().all()
    assert lagging["deadline_status"].tolist() == ["passed"]
    assert lagging["capacity"].isna().all()  # D states none
    before = lists(graded, catalogue, dt.date(2025, 6, 30)).lagging
    assert before["deadline_status"].tolist() == ["open"]


def test_lists_of_one_year_sorted_and_numbered(graded: pd.DataFrame, catalogue: Catalogue) -> None:
    y2022 = lists(graded, catalogue, AS_OF, year=2022)
    assert y2022.advanced[["enterprise", "line", "value"]].values.tolist() == [
        ["企业甲", "2#窑", 99.0]
    ]
    lagging = y2022.lagging
    assert lagging["seq"].tolist() == [1, 2]
    pairs = [("企业甲", "1#窑", 121.0), ("企业乙", "老窑", 130.0)]
    assert list(
        zip(lagging["enterprise"], lagging["line"], lagging["value"], strict=True)
    ) == sorted(pairs)  # enterprise by code point: 乙 < 甲
    assert lagging["deadline_status"].tolist() == ["passed", "passed"]
    y2025 = lists(graded, catalogue, AS_OF, year=2025)
    assert y2025.lagging[["line", "value", "deadline_status"]].values.tolist() == [
        ["2#窑", 118.0, "missed"]
    ]
    assert y2025.advanced["line"].tolist() == ["1#转炉"]
    # Across areas: cement clinker (catalogue order) before steelmaking, whatever the names.
    y2024 = lists(graded, catalogue, AS_OF, year=2024)
    assert y2024.lagging["area"].tolist() == ["水泥熟料"]
    assert y2024.advanced.empty and list(y2024.advanced.columns) == list(LIST_COLUMNS)


def test_lists_of_a_year_without_rows(graded: pd.DataFrame, catalogue: Catalogue) -> None:
    with pytest.raises(NoRowsForYear) as caught:
        lists(graded, catalogue, AS_OF, year=2030)
    assert isinstance(caught.value, ValueError)
    assert caught.value.years_present == (2021, 2022, 2023, 2024, 2025, 2026)
    assert "2030" in str(caught.value) and "2021, 2022" in str(caught.value)


def test_a_sheet_without_rows(write_xlsx: WriteXlsx, catalogue: Catalogue) -> None:
    frame, problems = benchmark.read_plants(write_xlsx([]), catalogue)
    assert problems == [] and frame.empty
    graded = benchmark.grade(frame, catalogue)
    tracking = track(graded, catalogue, AS_OF)
    assert tracking.lines.empty and list(tracking.lines.columns) == list(LINE_COLUMNS)
    assert tracking.by_year.empty and list(tracking.by_year.columns) == list(BY_YEAR_COLUMNS)
    assert latest_year_mask(graded).tolist() == []
    assert latest_year_note(graded, latest_year_mask(graded)) == {}
    published = lists(graded, catalogue, AS_OF)
    assert published.advanced.empty and list(published.lagging.columns) == list(LAGGING_COLUMNS)
    with pytest.raises(NoRowsForYear) as caught:
        lists(graded, catalogue, AS_OF, year=2025)
    assert caught.value.years_present == ()


# --- property: the slope is numpy's least-squares fit ---------------------------------------

LINE = st.tuples(
    st.lists(st.integers(2000, 2030), min_size=1, max_size=7, unique=True),
    st.lists(
        st.floats(-5_000, 5_000, allow_nan=False, allow_infinity=False), min_size=7, max_size=7
    ),
)


@given(lines=st.lists(LINE, min_size=1, max_size=6), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=80, deadline=None)
def test_slope_equals_polyfit(
    lines: list[tuple[list[int], list[float]]], seed: int, catalogue: Catalogue
) -> None:
    rows = [
        {
            "enterprise": "企业",
            "line": f"L{i}",
            "area": "cement_clinker",
            "year": year,
            "value": values[j],
        }
        for i, (years, values) in enumerate(lines)
        for j, year in enumerate(years)
    ]
    order = np.random.default_rng(seed).permutation(len(rows))  # rows in any order
    frame = pd.DataFrame([rows[i] for i in order]).astype(
        {
            "enterprise": "string[pyarrow]",
            "line": "string[pyarrow]",
            "area": "string[pyarrow]",
            "year": "Int64",
        }
    )
    frame["category"] = pd.Series(pd.NA, index=frame.index, dtype="string[pyarrow]")
    got = track(benchmark.grade(frame, catalogue), catalogue, AS_OF).lines.set_index("line")
    for i, (years, values) in enumerate(lines):
        line = got.loc[f"L{i}"]
        assert line["years"] == sorted(years)
        slope = line["change_per_year"]
        if len(years) < 2:
            assert np.isnan(slope) and _na(line["trend"])
            continue
        expected = np.polyfit(years, values[: len(years)], 1)[0]
        assert slope == pytest.approx(expected, rel=1e-9, abs=1e-6)
        assert line["trend"] == (
            "steady" if abs(slope) <= 0.17 else "improving" if slope < 0 else "worsening"
        )

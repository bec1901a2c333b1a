"""Properties that must hold for every input, checked with hypothesis.

The tier is monotonic in the value and exact at both boundaries of all 47 level rows; unit
conversions are consistent; no cell content makes the reader raise. (The workbook guard's scan of
sheet XML has its own properties, in test_extent.py.) Example counts are modest so that the file
runs in seconds.
"""

from __future__ import annotations

import csv
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

import benchmark
from benchmark.catalogue import load_catalogue
from benchmark.problems import CHECKS
from benchmark.units import NUMERATORS, UnitError, conversion_factor

CATALOGUE = load_catalogue()
LEVELS = [(a.id, lv.category, lv.benchmark, lv.baseline) for a, lv in CATALOGUE.iter_levels()]
RANK = {"benchmark": 0, "between": 1, "below_baseline": 2}
FILES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tiers(area: str, category: str | None, values: list[float]) -> list[str]:
    frame = pd.DataFrame({"area": area, "category": category, "value": values})
    return list(benchmark.grade(frame, CATALOGUE)["tier"])


# --- grading -----------------------------------------------------------------------------------


def test_the_catalogue_has_47_level_rows() -> None:
    assert len(LEVELS) == 47


def test_boundaries_are_exact_for_every_level_row() -> None:
    """value == benchmark → benchmark; a hair above → between; == baseline → between; above."""
    rows = []
    for area, category, bench, base in LEVELS:
        for value in (bench, np.nextafter(bench, np.inf), base, np.nextafter(base, np.inf)):
            rows.append({"area": area, "category": category, "value": value})
    graded = benchmark.grade(pd.DataFrame(rows), CATALOGUE)
    expected = ["benchmark", "between", "between", "below_baseline"] * len(LEVELS)
    assert list(graded["tier"]) == expected


@given(
    level=st.sampled_from(LEVELS),
    offsets=st.lists(st.floats(-3, 3, allow_nan=False), min_size=2, max_size=30),
)
@settings(max_examples=60, deadline=None)
def test_tier_is_monotonic_in_the_value(
    level: tuple[str, str | None, float, float], offsets: list[float]
) -> None:
    """Lower is better: a ≤ b ⇒ tier(a) is as good as or better than tier(b); a value to
    check (off its levels by a factor of two) stands outside the order."""
    area, category, bench, base = level
    span = base - bench
    values = sorted(bench + o * span for o in offsets)
    ranks = [RANK[t] for t in tiers(area, category, values) if t != "to_check"]
    assert ranks == sorted(ranks)


@given(
    level=st.sampled_from(LEVELS),
    value=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
)
@settings(max_examples=60, deadline=None)
def test_tier_agrees_with_the_definition(
    level: tuple[str, str | None, float, float], value: float
) -> None:
    area, category, bench, base = level
    expected = "benchmark" if value <= bench else "between" if value <= base else "below_baseline"
    if bench > 0 and (value < bench / 2 or value > base * 2):
        expected = "to_check"
    assert tiers(area, category, [value]) == [expected]


# --- units -------------------------------------------------------------------------------------

DENOMINATORS = ["t", "吨", "m2", "平方米", "weight case", "重量箱", "(t·EF)", "吨·能量因数"]
UNITS = st.builds(
    lambda n, d: f"{n}/{d}", st.sampled_from(sorted(NUMERATORS)), st.sampled_from(DENOMINATORS)
)


def factor(a: str, b: str) -> float | None:
    try:
        return conversion_factor(a, b)
    except UnitError:
        return None


@given(a=UNITS, b=UNITS, c=UNITS)
@settings(max_examples=200, deadline=None)
def test_unit_conversions_round_trip(a: str, b: str, c: str) -> None:
    ab, ba = factor(a, b), factor(b, a)
    assert (ab is None) == (ba is None)  # compatibility is symmetric
    if ab is not None and ba is not None:
        assert ab * ba == pytest.approx(1.0, rel=1e-12)
        bc, ac = factor(b, c), factor(a, c)
        if bc is not None:
            assert ac is not None and ab * bc == pytest.approx(ac, rel=1e-12)
    assert factor(a, a) == pytest.approx(1.0)


# --- the reader never raises -------------------------------------------------------------------

CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.sampled_from(
        [
            "NaN",
            "inf",
            "1e999",
            "-0",
            "１２３",
            "1,234.5",
            "",
            " ",
            "水泥熟料",
            "转炉",
            "\u202e",
            "\x1b[2J",
            "=1+1",
            '"',
            "\r\n",
            "kgce/t",
        ]
    ),
)
ROW = st.lists(CELL, min_size=0, max_size=7)
HEADERS = st.sampled_from(
    [
        ["企业名称", "领域", "类别", "单位产品能耗", "单位", "产量", "年份"],
        ["enterprise", "area", "value"],
        ["领域", "单位产品能耗"],
        ["x", "y"],
    ]
)


def _cellable(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # openpyxl refuses NaN and infinity as numbers
    if isinstance(value, int) and abs(value) > 2**53:
        return str(value)
    return value


def _check(path: Path, n_rows: int) -> None:
    frame, problems = benchmark.read_plants(path, CATALOGUE)
    assert all(p.code in CHECKS for p in problems)
    assert not any("please report" in p.message for p in problems), problems
    assert len(frame) <= n_rows
    assert frame["row"].between(2, n_rows + 21).all() if len(frame) else True


@given(header=HEADERS, rows=st.lists(ROW, max_size=12))
@FILES
def test_no_cell_content_makes_the_xlsx_reader_raise(
    header: list[str], rows: list[list[Any]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(header)
        for row in rows:
            ws.append([_cellable(v) for v in row])
        path = Path(tmp) / "p.xlsx"
        wb.save(path)
        _check(path, len(rows))


@given(
    header=HEADERS,
    rows=st.lists(ROW, max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
@FILES
def test_no_cell_content_makes_the_csv_reader_raise(
    header: list[str], rows: list[list[Any]], encoding: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.csv"
        with open(path, "w", encoding=encoding, errors="replace", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            out.writerows([["" if v is None else v for v in row] for row in rows])
        _check(path, sum(1 + str(row).count("\n") + str(row).count("\r") for row in rows))


def test_huge_year_does_not_crash(tmp_path: Path) -> None:
    """A year of 9.3e18 once overflowed the Int64 cast: it is a problem at its cell now."""
    path = tmp_path / "year.csv"
    path.write_text("企业名称,领域,单位产品能耗,年份\n冀东,水泥熟料,100,9.3e18\n", encoding="utf-8")
    frame, problems = benchmark.read_plants(path, CATALOGUE)
    assert [(p.code, p.row, p.column) for p in problems] == [("E104", 2, "D")] and frame.empty
    assert problems[0].message == "年份 9.3e+18 is not a year"


@given(data=st.binary(max_size=400))
@FILES
def test_no_bytes_make_the_reader_raise(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("x.csv", "x.xlsx"):
            path = Path(tmp) / name
            path.write_bytes(data)
            frame, problems = benchmark.read_plants(path, CATALOGUE)
            assert problems or len(frame) == 0 or data.strip()
            assert not any("please report" in p.message for p in problems), problems


@given(
    st.lists(
        st.tuples(st.integers(-1, 3), st.integers(-1, 2), st.integers(-1, 10**6)),
        min_size=1,
        max_size=60,
    )
)
def test_combine_groups_equal_tuples_and_finds_their_first_row(
    rows: list[tuple[int, int, int]],
) -> None:
    from benchmark._codes import combine

    columns = [np.array(c, dtype=np.int64) for c in zip(*rows, strict=True)]
    ids, first = combine(*columns)
    firsts: dict[tuple[int, int, int], int] = {}
    for i, row in enumerate(rows):
        firsts.setdefault(row, i)
    assert sorted(first.tolist()) == sorted(firsts.values())
    for i, row in enumerate(rows):
        assert first[ids[i]] == firsts[row]


def test_combine_never_overflows_on_many_distinct_values() -> None:
    """Three columns of radix 2**32 would wrap a 64-bit key onto the last two: rows that differ
    only in the first column would be taken for duplicates."""
    from benchmark._codes import combine

    top = 2**32 - 2  # a largest code that makes each column's radix 2**32
    a = np.array([0, 1, top, 0], dtype=np.int64)
    b = np.array([5, 5, 5, top], dtype=np.int64)
    c = np.array([7, 7, 7, top], dtype=np.int64)
    ids, first = combine(a, b, c)
    assert ids.tolist() == [0, 1, 2, 3] and first.tolist() == [0, 1, 2, 3]
    ids, first = combine(b, c, b)
    assert ids.tolist() == [0, 0, 0, 1] and first.tolist() == [0, 3]


_KEY_TEXT = st.sampled_from(["甲厂", "ACME", "acme", "Acme", "b", "B", None])


@given(
    st.lists(
        st.tuples(
            _KEY_TEXT,
            _KEY_TEXT,
            st.sampled_from(["cement", "ironmaking"]),
            st.sampled_from(["", "a", None]),
            st.sampled_from([2021, 2022, None]),
            st.sampled_from([("a.xlsx", "S1"), ("a.xlsx", "S2"), ("b.csv", None)]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_duplicates_equal_a_plain_reference(rows: list[tuple[Any, ...]]) -> None:
    """E110 falls on every row that repeats an earlier one anywhere in the run — same sheet,
    another sheet, another file — and names that first row; texts are compared ignoring case
    and a missing value equals a missing value."""
    from benchmark.validation.duplicates import find_duplicates

    frame = pd.DataFrame(
        {
            "file": pd.Series([r[5][0] for r in rows], dtype="string[pyarrow]"),
            "sheet": pd.Series([r[5][1] for r in rows], dtype="string[pyarrow]"),
            "row": np.arange(10, 10 + len(rows), dtype=np.int64),
            "enterprise": pd.Series([r[0] for r in rows], dtype="string[pyarrow]"),
            "line": pd.Series([r[1] for r in rows], dtype="string[pyarrow]"),
            "area": pd.Series([r[2] for r in rows], dtype="string[pyarrow]"),
            "category": pd.Series([r[3] for r in rows], dtype="string[pyarrow]"),
            "year": pd.Series([r[4] for r in rows], dtype="Int64"),
        }
    )
    first_of: dict[tuple[Any, ...], int] = {}
    expected: dict[int, int] = {}  # row → the row it repeats
    for excel_row, r in zip(frame["row"].tolist(), rows, strict=True):
        key = (*(t.lower() if t else t for t in r[:2]), *r[2:5])
        first = first_of.setdefault(key, excel_row)
        if first != excel_row:
            expected[excel_row] = first
    keep, found = find_duplicates(frame, {("a.xlsx", "S1"): ("B", "企业")})
    problems = [p for ps in found.values() for p in ps]
    got = {p.row: int(p.message.split("row ")[1].split()[0]) for p in problems}
    assert got == expected
    assert frame["row"][keep].tolist() == [r for r in frame["row"] if r not in expected]
    for p in problems:
        assert p.code == "E110" and (p.file, p.sheet) == (rows[p.row - 10][5])
        assert (p.column == "B") == ((p.file, p.sheet) == ("a.xlsx", "S1"))


@given(
    st.binary(max_size=64) | st.text(max_size=16).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_utf8_check_agrees_with_python(data: bytes) -> None:
    """The CSV reader's Arrow check of UTF-8 accepts exactly what Python's decoder accepts."""
    from benchmark.readers.csvfile import _is_utf8

    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert _is_utf8(data) == valid

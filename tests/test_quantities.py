"""Quantities: units and multipliers in headers and cells, numbers as people type them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.catalogue import Catalogue
from benchmark.quantities import (
    HeaderParts,
    UnknownQuantityUnitError,
    parse_number_cells,
    parse_quantity_unit,
    parse_year_cells,
    split_header,
)
from benchmark.readers import Table, read_tables
from benchmark.units import parse_unit


def strings(values: list[str | None]) -> pd.Series:
    return pd.Series(values, dtype="string[pyarrow]")


def read_one(path: Path) -> Table:
    tables, problems = read_tables(path)
    assert not problems
    assert len(tables) == 1
    return tables[0]


# --- quantity units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "multiplier", "product", "per_year"),
    [
        ("吨", 1.0, "t", False),
        ("t", 1.0, "t", False),
        ("Tonnes", 1.0, "t", False),
        ("Ｔ", 1.0, "t", False),
        ("千吨", 1e3, "t", False),
        ("kt", 1e3, "t", False),
        ("万吨", 1e4, "t", False),
        ("万 吨", 1e4, "t", False),
        ("万t", 1e4, "t", False),
        ("10⁴t", 1e4, "t", False),
        ("10^4 t", 1e4, "t", False),
        ("×10⁴ t", 1e4, "t", False),
        ("百万吨", 1e6, "t", False),
        ("亿吨", 1e8, "t", False),
        ("重量箱", 1.0, "weight case", False),
        ("万重量箱", 1e4, "weight case", False),
        ("weight cases", 1.0, "weight case", False),
        ("平方米", 1.0, "m2", False),
        ("m²", 1.0, "m2", False),
        ("M2", 1.0, "m2", False),
        ("万平方米", 1e4, "m2", False),
        ("万m²", 1e4, "m2", False),
        ("万㎡", 1e4, "m2", False),
        ("亿平方米", 1e8, "m2", False),
        ("万", 1e4, None, False),
        ("亿", 1e8, None, False),
        ("千", 1e3, None, False),
        ("万吨/年", 1e4, "t", True),
        ("万吨／年", 1e4, "t", True),
        ("t/a", 1.0, "t", True),
        ("kt/yr", 1e3, "t", True),
        ("万t/y", 1e4, "t", True),
        ("万重量箱每年", 1e4, "weight case", True),
        ("万平方米 / 年", 1e4, "m2", True),
    ],
)
def test_quantity_units_people_write(
    text: str, multiplier: float, product: str | None, per_year: bool
) -> None:
    unit = parse_quantity_unit(text)
    assert (unit.multiplier, unit.product, unit.per_year) == (multiplier, product, per_year)
    assert unit.text == text


@pytest.mark.parametrize(
    "text",
    [
        "万台",
        "kg",
        "吨标准煤",
        "万吨标准煤",
        "tce",
        "Mt",
        "104t",
        "km2",
        "",
        "/年",
        "万吨熟料",
        "kgce/t",
        "辆",
        "t/t",
    ],
)
def test_quantity_units_not_understood_are_errors(text: str) -> None:
    with pytest.raises(UnknownQuantityUnitError) as raised:
        parse_quantity_unit(text)
    assert isinstance(raised.value, ValueError)
    assert repr(text) in str(raised.value)


def test_an_energy_unit_is_named_as_such() -> None:
    with pytest.raises(UnknownQuantityUnitError, match="energy, not of product"):
        parse_quantity_unit("吨标准煤")


def test_quantity_products_are_the_catalogue_denominators(catalogue: Catalogue) -> None:
    """Each product names the unit the catalogue's indicators are per, so a caller can check
    an output column against its area's indicator (万重量箱 output for flat glass)."""
    denominators = {parse_unit(a.unit).denominator for a in catalogue.areas}
    products = {parse_quantity_unit(t).product for t in ("万吨", "万重量箱", "万平方米")}
    assert products <= denominators


# --- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "name", "unit", "year"),
    [
        ("设计产能（万吨/年）", "设计产能", "万吨/年", None),
        ("2025年产量（万吨）", "产量", "万吨", 2025),
        ("2025年度产量(万吨)", "产量", "万吨", 2025),
        ("２０２５年产量（万吨）", "产量", "万吨", 2025),
        ("产量（2025年，万吨）", "产量", "万吨", 2025),
        ("产量（万吨，2025年）", "产量", "万吨", 2025),
        ("产量(万吨, 2025)", "产量", "万吨", 2025),
        ("产量【万吨】（2025年）", "产量", "万吨", 2025),
        ("产量[万重量箱]", "产量", "万重量箱", None),
        ("产量2025年", "产量", None, 2025),
        ("产量（2025）", "产量", None, 2025),
        ("产能（万平方米）", "产能", "万平方米", None),
        ("单位产品综合能耗（kgce/t）", "单位产品综合能耗", "kgce/t", None),
        ("单位产品能耗（kgoe/(t·EF)）", "单位产品能耗", "kgoe/(t·EF)", None),
        ("产量（10⁴t）", "产量", "10⁴t", None),
        ("企业名称（enterprise）", "企业名称", "enterprise", None),
        ("产能（熟料）（万吨/年）", "产能（熟料）", "万吨/年", None),
        ("2025 output (kt)", "output", "kt", 2025),
        ("Output 2025 (t)", "Output", "t", 2025),
        ("企业名称", "企业名称", None, None),
        ("企业名称 / enterprise", "企业名称 / enterprise", None, None),
        ("Line2025", "Line2025", None, None),
        ("能耗（GB 16780-2021）", "能耗", "GB 16780-2021", None),
        ("能耗（2021年版标准）", "能耗", "2021年版标准", None),
        ("产量（2025年1-6月，万吨）", "产量", "1-6月，万吨", 2025),
    ],
)
def test_split_header(header: str, name: str, unit: str | None, year: int | None) -> None:
    assert split_header(header) == HeaderParts(name, unit, year)


def test_a_header_naming_two_years_is_left_whole() -> None:
    """Read for either year, the column could be wrong; unsplit it matches no field."""
    header = "2024年产量（2025年，万吨）"
    assert split_header(header) == HeaderParts(header, None, None)


def test_headers_from_a_real_workbook_give_figures_in_tonnes(tmp_path: Path) -> None:
    """Header unit, then cell unit where one is typed: 万吨 never read as tonnes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(
        [
            "企业名称",
            "领域",
            "单位产品综合能耗（kgce/t）",
            "2025年产量（万吨）",
            "设计产能（万吨/年）",
        ]
    )
    ws.append(["甲", "水泥熟料", 98.5, 12.5, 150])
    ws.append(["乙", "水泥熟料", "101.0 kgce/t", "0.75万吨", "２００"])
    ws.append(["丙", "水泥熟料", 99, "125000吨", "1,250"])
    path = tmp_path / "plants.xlsx"
    wb.save(path)
    table = read_one(path)
    assert (table.header_units["output"], table.header_years["output"]) == ("万吨", 2025)
    parts = split_header(table.headers["output"])
    assert parts == HeaderParts("产量", "万吨", 2025)
    header_unit = parse_quantity_unit(parts.unit or "")
    cells = parse_number_cells(table.frame["output"])
    cell_multiplier = np.array(
        [
            parse_quantity_unit(u).multiplier if isinstance(u, str) else header_unit.multiplier
            for u in cells.units
        ]
    )
    assert (cells.values * cell_multiplier).tolist() == [125_000.0, 7_500.0, 125_000.0]
    assert [None if u is pd.NA else u for u in cells.units] == [None, "万吨", "吨"]

    capacity = parse_number_cells(table.frame["capacity"])
    unit = parse_quantity_unit(table.header_units["capacity"])
    assert unit.per_year
    assert (capacity.values * unit.multiplier).tolist() == [1.5e6, 2e6, 1.25e7]

    value = parse_number_cells(table.frame["value"])
    assert value.values.tolist() == [98.5, 101.0, 99.0]
    assert value.units.tolist()[1] == "kgce/t"
    assert parse_unit(value.units.iloc[1]).symbol == "kgce/t"


def test_a_newline_before_the_unit_bracket() -> None:
    assert split_header("2025年产量\n（万吨）") == HeaderParts("产量", "万吨", 2025)


# --- number cells -----------------------------------------------------------------------------


def test_number_cells_as_people_type_them() -> None:
    cells = parse_number_cells(
        strings(
            [
                "118.0 kgce/t",
                "45.3万吨",
                "1,234.5",
                "１２３４",
                " 98.5 ",
                "+5",
                "-30",
                "1e3",
                "1,234,567.8",
                "１，２３４．５万吨",
                "1'234",
                "1\u202f234\u202f567",
                "1\u00a0234",
                "−5",
                ".5",
                "5.",
                "5%",
            ]
        )
    )
    assert cells.values.tolist() == [
        118.0,
        45.3,
        1234.5,
        1234.0,
        98.5,
        5.0,
        -30.0,
        1000.0,
        1234567.8,
        1234.5,
        1234.0,
        1234567.0,
        1234.0,
        -5.0,
        0.5,
        5.0,
        5.0,
    ]
    assert not cells.bad.any() and not cells.blank.any()
    units = [None if u is pd.NA else u for u in cells.units]
    assert units == ["kgce/t", "万吨"] + [None] * 7 + ["万吨"] + [None] * 6 + ["%"]
    assert cells.reasons.isna().all()


@pytest.mark.parametrize(
    "text", ["98,5", "98，5", "1,23", "12,3456", "1.234,5", "1,2345.6", "1,234,56", "1,234'567"]
)
def test_a_comma_not_between_groups_of_three_is_bad_never_985(text: str) -> None:
    cells = parse_number_cells(strings([text, "985"]))
    assert cells.bad.tolist() == [True, False]
    assert np.isnan(cells.values[0]) and cells.values[1] == 985.0
    assert "decimal comma" in cells.reasons[0] or "three digits" in cells.reasons[0]


def test_decimal_comma_reason() -> None:
    cells = parse_number_cells(strings(["98,5", "98，5", "1.234,5"]))
    assert all(r.startswith("decimal comma?") for r in cells.reasons)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("-Infinity", "not a finite number"),
        ("1e999", "out of range"),
        ("NULL", "no figure: leave the cell blank"),
        ("N/A", "no figure: leave the cell blank"),
        ("无", "no figure: leave the cell blank"),
        ("#DIV/0!", "an Excel error value"),
        ("约100", "an estimate or bound, not a figure"),
        ("<5", "an estimate or bound, not a figure"),
        ("100 200", "spaces inside a number, or two figures in one cell"),
        ("12,o5", "not a number"),
        ("98 ,5", "not a number"),
        ("1.2.3", "not a number"),
        ("2024-12", "not a number"),
        ("(30)", "not a number"),
        ("- 30", "not a number"),
    ],
)
def test_never_a_number(text: str, reason: str) -> None:
    cells = parse_number_cells(strings([text]))
    assert cells.bad.tolist() == [True] and np.isnan(cells.values[0])
    assert cells.reasons[0] == reason
    assert not cells.blank[0]


@pytest.mark.parametrize("text", ["-", "—", "——", "－", "–", "--", " — "])
def test_a_lone_dash_is_blank(text: str) -> None:
    cells = parse_number_cells(strings([text]))
    assert cells.blank.tolist() == [True]
    assert not cells.bad.any() and np.isnan(cells.values[0])
    assert cells.reasons.isna().all()


def test_blank_cells() -> None:
    cells = parse_number_cells(strings([None, "", "   ", "\u3000", "\t"]))
    assert cells.blank.all() and not cells.bad.any() and np.isnan(cells.values).all()


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([None, None], dtype="string[pyarrow]"),
        pd.Series([None, None], dtype="object"),
        pd.Series([], dtype="string[pyarrow]"),
    ],
)
def test_all_null_columns(column: pd.Series) -> None:
    cells = parse_number_cells(column)
    assert len(cells.values) == len(column)
    assert cells.blank.all() and not cells.bad.any()
    assert cells.units.isna().all() and cells.reasons.isna().all()


def test_numeric_columns_pass_through_exactly() -> None:
    values = [0.1 + 0.2, 1e-300, -5.0, float("inf"), float("nan"), 2.0**60]
    cells = parse_number_cells(pd.Series(values, index=[10, 11, 12, 13, 14, 15]))
    assert cells.values[[0, 1, 2, 5]].tolist() == [0.1 + 0.2, 1e-300, -5.0, 2.0**60]
    assert cells.bad.tolist() == [False, False, False, True, False, False]
    assert cells.blank.tolist() == [False, False, False, False, True, False]
    assert cells.reasons[13] == "not a finite number"
    assert list(cells.units.index) == [10, 11, 12, 13, 14, 15]
    ints = parse_number_cells(pd.Series([1, None, 3], dtype="Int64"))
    assert ints.values[[0, 2]].tolist() == [1.0, 3.0]
    assert ints.blank.tolist() == [False, True, False]


def test_true_false_is_not_a_number() -> None:
    cells = parse_number_cells(pd.Series([True, False], dtype="bool"))
    assert cells.bad.all() and np.isnan(cells.values).all()


def test_index_is_kept() -> None:
    cells = parse_number_cells(
        pd.Series(["1", "2 t", "x"], index=[7, 8, 9], dtype="string[pyarrow]")
    )
    assert list(cells.units.index) == [7, 8, 9] and list(cells.reasons.index) == [7, 8, 9]
    assert cells.units[8] == "t" and cells.reasons[9] == "not a number"


def test_number_cells_from_a_real_workbook(tmp_path: Path) -> None:
    """Cells as fastexcel hands them over: numbers written by Excel, text typed by people."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "领域", "单位产品能耗"])
    typed: list[object] = [
        98.5,
        0.1 + 0.2,
        112,
        "1,234.5",
        "１２３４",
        "98,5",
        "98，5",
        "118.0 kgce/t",
        "—",
        "  ",
        "N/A",
        "=1/0",
    ]
    for i, v in enumerate(typed):
        ws.append([f"企业{i}", "水泥熟料", v])
    path = tmp_path / "plants.xlsx"
    wb.save(path)
    table = read_one(path)
    cells = parse_number_cells(table.frame["value"])
    got = {
        int(r): (None if np.isnan(v) else float(v), bool(b), bool(k))
        for r, v, b, k in zip(table.rows, cells.values, cells.bad, cells.blank, strict=True)
    }
    assert got[2] == (98.5, False, False)
    assert got[4] == (112.0, False, False)
    assert got[5] == (1234.5, False, False) and got[6] == (1234.0, False, False)
    assert got[7] == (None, True, False) and got[8] == (None, True, False)
    assert got[9] == (118.0, False, False)
    assert got[10] == (None, False, True) and got[11] == (None, False, True)
    assert got[12] == (None, True, False)
    assert got[13] == (None, False, True)  # a formula never calculated: never a zero


# --- years ------------------------------------------------------------------------------------


def test_year_cells() -> None:
    cells = parse_year_cells(
        strings(
            [
                "2025",
                "2025.0",
                "2025年",
                "２０２５年",
                "2025 年度",
                None,
                "—",
                "2025.5",
                "2025吨",
                "二〇二五",
                "2025-01",
            ]
        )
    )
    assert cells.values[:5].tolist() == [2025.0] * 5
    assert cells.bad.tolist() == [False] * 7 + [True] * 4
    assert cells.blank.tolist() == [False] * 5 + [True, True] + [False] * 4
    assert cells.reasons[7:].tolist() == [
        "not a whole year",
        "not a year",
        "not a number",
        "not a number",
    ]
    assert cells.units.isna().all()


def test_year_cells_from_a_real_workbook(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "领域", "单位产品能耗", "年份"])
    for year in (2024, 2024.0, "2024年", "２０２４年度"):
        ws.append(["甲", "水泥熟料", 99, year])
    path = tmp_path / "plants.xlsx"
    wb.save(path)
    cells = parse_year_cells(read_one(path).frame["year"])
    assert cells.values.tolist() == [2024.0] * 4 and not cells.bad.any()


def test_numeric_year_columns() -> None:
    cells = parse_year_cells(pd.Series([2024.0, 2024.5, None]))
    assert cells.values[0] == 2024.0 and cells.bad.tolist() == [False, True, False]


# --- exactness --------------------------------------------------------------------------------

_FULL_WIDTH = str.maketrans("0123456789.-+e", "０１２３４５６７８９．－＋ｅ")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=10),
    st.sampled_from(["", " kgce/t", "万吨", "t", " 吨", "%"]),
)
def test_any_finite_float_parses_back_exactly(xs: list[float], unit: str) -> None:
    """repr, {:,} grouping, full-width digits, a unit suffix: the very same float."""
    forms = (
        [repr(x) for x in xs]
        + [f"{x:,}" for x in xs]
        + [repr(x).translate(_FULL_WIDTH) for x in xs]
        + [repr(x) + unit for x in xs]
        + [f"{x:,}".translate(_FULL_WIDTH) + unit for x in xs]
    )
    cells = parse_number_cells(strings(list(forms)))
    assert not cells.bad.any()
    assert [repr(float(v)) for v in cells.values] == [repr(x) for x in xs] * 5
    suffix = unit.strip() or None
    assert [None if u is pd.NA else u for u in cells.units[-len(xs) :]] == [suffix] * len(xs)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=99))
def test_a_comma_before_one_or_two_digits_is_never_a_number(whole: int, decimals: int) -> None:
    """98,5 or 98,50 could be 98.5 or 9850: never read as either."""
    cells = parse_number_cells(strings([f"{whole},{decimals}", f"{whole}，{decimals}"]))
    assert cells.bad.all()

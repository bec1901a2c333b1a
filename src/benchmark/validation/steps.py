"""The checks of one table, in the order of the problem registry, each a small named step.

A step reads what earlier steps found (:class:`Rows`), adds what it finds (the area of each
row, its level, its value in the catalogue unit) and returns :class:`Finding` masks. Each
distinct text — an area, a category, a unit — is resolved once and spread to its rows with
integer codes; Python loops only over distinct values and, to word messages, failing rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from benchmark._codes import combine, factorize, lookup
from benchmark._parallel import parallel_map
from benchmark.fields import NUMBER_FIELDS, REQUIRED_FIELDS
from benchmark.i18n import Msg
from benchmark.levels import implausible
from benchmark.quantities import ParsedCells, parse_number_cells, parse_year_cells
from benchmark.validation.amounts import reason_of, scale
from benchmark.validation.cells import clean_text, quote
from benchmark.validation.findings import Finding
from benchmark.validation.rows import (
    CATEGORY_MISSING,
    CATEGORY_OK,
    CATEGORY_UNKNOWN,
    Message,
    Rows,
    Step,
)
from benchmark.validation.sheet_names import sheet_area, table_year
from benchmark.validation.unit_checks import units
from benchmark.validation.wording import category_list, unknown_area

#: Text columns cleaned before any check (missing ones read as all blank).
CLEANED = ("enterprise", "area", "category", "unit", "line", "region")
#: A year before this, or after the current year, is odd (W202).
FIRST_YEAR = 2000


def _blank(header: str) -> Message:
    return lambda _pos: Msg("{header} is blank", header=header)


def _no_value(header: str, raw: pd.Series) -> Message:
    def message(pos: int) -> Msg:
        text = raw.iloc[pos]
        if text is None or text is pd.NA or not str(text).strip():
            return Msg("{header} is blank", header=header)
        return Msg("{header} is blank ({text}: no figure)", header=header, text=quote(text))

    return message


def _not_a_number(header: str, raw: pd.Series, reasons: pd.Series) -> Message:
    def message(pos: int) -> Msg:
        text, reason = quote(raw.iloc[pos]), reason_of(reasons, pos)
        if reason is None:
            return Msg("{header} {text} is not a number", header=header, text=text)
        return Msg(
            "{header} {text} is not a number ({reason})", header=header, text=text, reason=reason
        )

    return message


def _not_a_year(header: str, year: pd.Series) -> Message:
    return lambda pos: Msg(
        "{header} {year} is not a year", header=header, year=format(year.iloc[pos], "g")
    )


def _negative(header: str, number: pd.Series) -> Message:
    return lambda pos: Msg(
        "{header} {number} is negative", header=header, number=format(number.iloc[pos], "g")
    )


def clean_texts(rows: Rows) -> list[Finding]:
    """Names and ids without spaces at the ends or characters that rewrite a terminal."""
    frame = rows.frame
    columns = [
        frame[name]
        if name in frame.columns
        else pd.Series(pd.NA, index=frame.index, dtype="string[pyarrow]")
        for name in CLEANED
    ]
    area = sheet_area(rows.table, rows.catalogue) if "area" not in frame.columns else None
    if area is not None:  # a workbook with a sheet per area (水泥熟料, 平板玻璃) and no area column
        columns[CLEANED.index("area")] = pd.Series(area, index=frame.index, dtype="string[pyarrow]")
        rows.table.headers.setdefault("area", f"sheet {rows.table.sheet}")
    rows.texts = dict(zip(CLEANED, parallel_map(clean_text, columns), strict=True))
    return []


def blanks(rows: Rows) -> list[Finding]:
    """E101: a required name left blank (a blank value is found with the numbers)."""
    return [
        Finding(
            "E101", name, rows.texts[name].isna().to_numpy(dtype=bool), _blank(rows.headers[name])
        )
        for name in REQUIRED_FIELDS
        if name != "value"
    ]


def _parse(item: tuple[str, pd.Series]) -> ParsedCells:
    name, column = item
    return parse_year_cells(column) if name == "year" else parse_number_cells(column)


def numbers(rows: Rows) -> list[Finding]:
    """E101: no value (blank, or a dash for "no figure"); E104: a number cell that is not a
    finite number, or a year that is no year; E108: a negative output or capacity. Output and
    capacity are scaled by the unit their header or cell states (万吨 is 10⁴ t)."""
    frame, hdr = rows.frame, rows.headers
    given = [name for name in NUMBER_FIELDS if name in frame.columns]
    found: list[Finding] = []
    for name, cells in zip(
        given, parallel_map(_parse, [(n, frame[n]) for n in given]), strict=True
    ):
        found.append(
            Finding("E104", name, cells.bad, _not_a_number(hdr[name], frame[name], cells.reasons))
        )
        values = cells.values
        if name == "value":
            found.append(Finding("E101", name, cells.blank, _no_value(hdr[name], frame[name])))
            rows.value_units = cells.units
        elif name in ("output", "capacity"):
            amounts = scale(rows.table, name, cells)
            found += amounts.findings
            rows.table_problems += amounts.header_problems
            rows.products[name] = amounts.products
            values = amounts.values
        rows.numbers[name] = pd.Series(values, index=frame.index)
    year = table_year(rows.table)
    if year is not None:  # sheets named by year, or headers stating it (2025年产量)
        rows.numbers["year"] = pd.Series(float(year), index=frame.index)
    for name in NUMBER_FIELDS:
        rows.numbers.setdefault(name, pd.Series(np.nan, index=frame.index))
    year_values = rows.numbers["year"]
    not_year = (year_values.abs() >= 10_000).fillna(False).to_numpy()
    found.append(
        Finding("E104", "year", not_year, _not_a_year(hdr.get("year", "year"), year_values))
    )
    rows.numbers["year"] = year_values.where(~not_year)
    for name in ("output", "capacity"):
        number = rows.numbers[name]
        negative = (number < 0).fillna(False).to_numpy()
        found.append(Finding("E108", name, negative, _negative(hdr.get(name, name), number)))
    return found


def areas(rows: Rows) -> list[Finding]:
    """E102: an area the catalogue does not know (with "did you mean")."""
    cat, levels = rows.catalogue, rows.levels
    text = rows.texts["area"]
    codes, uniques = factorize(text)
    resolved = [cat.resolve(str(u)) for u in uniques]
    rows.area = lookup([levels.area_of[r[0].id] if r else -1 for r in resolved], codes, -1)
    rows.implied = lookup(
        [levels.level_of[(r[0].id, r[1].category)] if r and r[1] else -1 for r in resolved],
        codes,
        -1,
    )
    hints: dict[str, Msg] = {}

    def message(pos: int) -> Msg:
        value = str(text.iloc[pos])
        if value not in hints:
            hints[value] = unknown_area(cat, rows.headers["area"], value)
        return hints[value]

    return [Finding("E102", "area", (codes >= 0) & (rows.area < 0), message)]


def levels(rows: Rows) -> list[Finding]:
    """E103: no category where the area has several levels; E105: a category the area does
    not have. Each distinct (area, category) pair is looked up once."""
    cat = rows.catalogue
    text = rows.texts["category"]
    cat_codes, cat_uniques = factorize(text)
    combo, first = combine(rows.area, cat_codes, rows.implied)
    found = [
        _level_of(
            rows, int(rows.area[row]), int(cat_codes[row]), int(rows.implied[row]), cat_uniques
        )
        for row in first
    ]
    rows.level = np.array([lv for lv, _ in found], dtype=np.int64)[combo]
    outcome = np.array([o for _, o in found], dtype=np.int8)[combo]
    header = rows.headers.get("category", "category")
    return [
        Finding(
            "E103",
            "category",
            outcome == CATEGORY_MISSING,
            lambda pos: category_list(
                cat,
                rows.area_id(pos),
                Msg(
                    "{header} is missing: {area} has several levels",
                    header=header,
                    area=rows.area_id(pos),
                    area_name=rows.area_name(pos),
                ),
            ),
        ),
        Finding(
            "E105",
            "category",
            outcome == CATEGORY_UNKNOWN,
            lambda pos: category_list(
                cat,
                rows.area_id(pos),
                Msg(
                    "{header} {text} is not a category of {area}",
                    header=header,
                    text=quote(text.iloc[pos]),
                    area=rows.area_id(pos),
                    area_name=rows.area_name(pos),
                ),
            ),
        ),
    ]


def _level_of(rows: Rows, area: int, category: int, implied: int, uniques: Any) -> tuple[int, int]:
    """The level of one distinct (area, category, implied level), and the outcome."""
    if area < 0:
        return -1, CATEGORY_OK
    found = rows.catalogue.areas[area]
    if not found.has_categories:
        return rows.levels.level_of[(found.id, None)], CATEGORY_OK
    if category < 0:
        return (implied, CATEGORY_OK) if implied >= 0 else (-1, CATEGORY_MISSING)
    level = found.find_category(str(uniques[category]))
    if level is None:
        return -1, CATEGORY_UNKNOWN
    return rows.levels.level_of[(found.id, level.category)], CATEGORY_OK


def values(rows: Rows) -> list[Finding]:
    """E109: a negative value where every level of the area is positive; W201: a value far
    from its levels (a unit slip?); W202: a year outside 2000 to the current year."""
    hdr, table, value = rows.headers, rows.levels, rows.value
    positive = lookup(list(table.all_positive), rows.area, False).astype(bool)
    rows.negative = positive & (value < 0)
    bench = table.take(table.benchmark, rows.level)
    base = table.take(table.baseline, rows.level)
    far = implausible(value, bench, base) & ~rows.negative
    year = rows.numbers["year"]
    odd_year = ((year < FIRST_YEAR) | (year > rows.current_year)).fillna(False).to_numpy()
    units_of = [a.unit for a, _ in table.levels]
    return [
        Finding(
            "E109",
            "value",
            rows.negative,
            lambda p: Msg(
                "{header} {value} is negative, but every level of {area} is positive",
                header=hdr["value"],
                value=format(value[p], "g"),
                area=rows.area_id(p),
                area_name=rows.area_name(p),
            ),
        ),
        Finding(
            "W201",
            "value",
            far,
            lambda p: Msg(
                "{header} {value} {unit} is implausible for {area} (benchmark {benchmark}, "
                "baseline {baseline}): a unit slip? Graded as to check: it counts toward no "
                "share and no saving",
                header=hdr["value"],
                value=format(value[p], "g"),
                unit=units_of[rows.level[p]],
                area=rows.area_id(p),
                area_name=rows.area_name(p),
                benchmark=format(bench[p], "g"),
                baseline=format(base[p], "g"),
            ),
        ),
        Finding(
            "W202",
            "year",
            odd_year,
            lambda p: Msg(
                "{header} {year} is outside {first}..{last}",
                header=hdr.get("year", "year"),
                year=format(year.iloc[p], "g"),
                first=FIRST_YEAR,
                last=rows.current_year,
            ),
        ),
    ]


#: Every check, in the order of the problem registry.
STEPS: tuple[Step, ...] = (clean_texts, blanks, numbers, areas, levels, units, values)

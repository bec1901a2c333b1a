"""The checks of one table, in the order of the problem registry, each a small named step.

A step reads what earlier steps found (:class:`Rows`), adds what it finds (the area of each
row, its level, its value in the catalogue unit) and returns :class:`Finding` masks. Each
distinct text — an area, a category, a unit — is resolved once and spread to its rows with
integer codes; Python loops only over distinct values and, to word messages, failing rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from benchmark._codes import combine, factorize, lookup
from benchmark._parallel import parallel_map
from benchmark.catalogue import Catalogue
from benchmark.fields import NUMBER_FIELDS, REQUIRED_FIELDS
from benchmark.i18n import ALTERNATIVES, Msg, joined
from benchmark.levels import LevelTable, implausible
from benchmark.problems import Problem
from benchmark.quantities import ParsedCells, parse_number_cells, parse_year_cells
from benchmark.readers import Table
from benchmark.units import (
    IncompatibleUnitError,
    UnitError,
    UnknownUnitError,
    conversion_factor,
    parse_unit,
)
from benchmark.validation.amounts import product_message, product_mismatch, reason_of, scale
from benchmark.validation.cells import clean_text, quote
from benchmark.validation.findings import Finding

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]

#: Text columns cleaned before any check (missing ones read as all blank).
CLEANED = ("enterprise", "area", "category", "unit", "line", "region")
#: A year before this, or after the current year, is odd (W202).
FIRST_YEAR = 2000
#: Outcomes of looking up a row's category (kept beside the level index).
CATEGORY_OK, CATEGORY_MISSING, CATEGORY_UNKNOWN = 0, 1, 2


@dataclass
class Rows:
    """What the checks know of one table's rows, filled in step by step."""

    table: Table
    catalogue: Catalogue
    levels: LevelTable
    current_year: int
    texts: dict[str, pd.Series] = field(default_factory=dict)
    numbers: dict[str, pd.Series] = field(default_factory=dict)
    #: Per row: index into ``catalogue.areas``, and the level a category alias in the area
    #: cell implies (转炉 → converter steelmaking), -1 for none.
    area: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    implied: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: Per row: index into the level table (-1: none yet).
    level: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    unit_text: pd.Series | None = None
    #: The unit typed after each value (``118 kgce/t``), None where none.
    value_units: pd.Series | None = None
    #: Per quantity column, the product each row's figure counts (codes into
    #: :data:`~benchmark.validation.amounts.PRODUCTS`).
    products: dict[str, np.ndarray[Any, Any]] = field(default_factory=dict)
    #: Problems of the table rather than of a row (a header unit not understood).
    table_problems: list[Problem] = field(default_factory=list)
    #: The value in the catalogue unit (NaN where it cannot be).
    value: FloatArray = field(default_factory=lambda: np.zeros(0))
    negative: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    @property
    def headers(self) -> dict[str, str]:
        return self.table.headers

    def area_id(self, pos: int) -> str:
        return self.levels.area_ids[int(self.area[pos])]

    def area_name(self, pos: int) -> str:
        """The Chinese name of a row's area: a message in Chinese gives it after the id."""
        return self.catalogue.areas[int(self.area[pos])].name_zh


Step = Callable[[Rows], list[Finding]]
Message = Callable[[int], Msg]


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


def table_year(table: Table) -> int | None:
    """The year of every row of a table without a year column: the one its headers state
    (``2025年产量``), else the one its sheet's name gives (``2023年``)."""
    if "year" in table.frame.columns:
        return None
    stated = {
        table.header_years[n] for n in ("value", "output", "capacity") if n in table.header_years
    }
    if len(stated) == 1:
        return stated.pop()
    return year_of_sheet(table.sheet) if not stated else None


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


def units(rows: Rows) -> list[Finding]:
    """E106: a unit not recognised; E107: a unit of another kind than the indicator's, a
    value's unit that contradicts the unit column or header, or an output or capacity that
    counts another product than the area's indicator is per.

    The value's unit is the one typed in its cell (``118 kgce/t``), else the unit column's,
    else the one stated in the value header, else the catalogue's."""
    column = rows.texts["unit"]
    default = rows.table.header_units.get("value")
    stated = column.fillna(default) if default else column
    typed = (
        rows.value_units
        if rows.value_units is not None
        else pd.Series(pd.NA, index=rows.frame.index, dtype="string[pyarrow]")
    )
    rows.unit_text = typed.fillna(stated)
    field_name = "unit" if "unit" in rows.frame.columns else "value"
    contradicts = _typed_contradicts(rows, typed, stated)
    found = _conversions(rows, field_name, ~contradicts.mask)
    found.append(contradicts)
    rows.value[contradicts.mask] = np.nan
    for name, products in rows.products.items():
        mismatch = product_mismatch(products, rows.area, rows.levels.area_units)
        rows.numbers[name] = rows.numbers[name].where(~mismatch)
        found.append(
            Finding(
                "E107", name, mismatch, _wrong_product(rows, rows.headers.get(name, name), products)
            )
        )
    return found


def _wrong_product(rows: Rows, header: str, products: np.ndarray[Any, Any]) -> Message:
    return lambda p: product_message(
        header,
        int(products[p]),
        (rows.area_id(p), rows.area_name(p)),
        rows.levels.area_units[int(rows.area[p])],
    )


def _conversions(rows: Rows, field_name: str, judged: BoolArray) -> list[Finding]:
    """The factor from each row's unit to its area's, once per distinct (unit, area)."""
    assert rows.unit_text is not None
    codes, uniques = factorize(rows.unit_text)
    combo, first = combine(codes, rows.area)
    factors: list[float] = []
    errors: list[Msg | None] = []
    kinds: list[str] = []
    for row in first:
        u, a = int(codes[row]), int(rows.area[row])
        factor, error, kind = 1.0, None, ""
        if u >= 0 and a >= 0:
            try:
                factor = conversion_factor(str(uniques[u]), rows.levels.area_units[a])
            except UnknownUnitError as exc:
                factor, error, kind = np.nan, exc.text, "E106"
            except IncompatibleUnitError as exc:
                factor, error, kind = np.nan, exc.text, "E107"
        factors.append(factor)
        errors.append(error)
        kinds.append(kind)
    header = rows.headers[field_name]
    error_of = np.array(errors, dtype=object)[combo]
    kind_of = np.array(kinds, dtype=object)[combo]
    rows.value = rows.numbers["value"].to_numpy() * np.array(factors)[combo]
    # Text after a value that is no unit at all (9x8, 12abc) makes the cell not a number.
    typed = (
        rows.value_units.notna().to_numpy()
        if rows.value_units is not None
        else np.zeros(len(kind_of), dtype=bool)
    )
    garbled = (kind_of == "E106") & typed & judged
    raw, units = rows.frame["value"], rows.value_units
    return [
        Finding(
            "E106",
            field_name,
            (kind_of == "E106") & ~typed & judged,
            lambda pos: Msg("{header} {reason}", header=header, reason=error_of[pos]),
        ),
        Finding(
            "E107",
            field_name,
            (kind_of == "E107") & judged,
            lambda pos: Msg("{header} {reason}", header=header, reason=error_of[pos]),
        ),
        Finding(
            "E104",
            "value",
            garbled,
            lambda pos: Msg(
                "{header} {text} is not a number (what follows the figure, {unit}, is no unit "
                "of energy per unit of product)",
                header=rows.headers["value"],
                text=quote(raw.iloc[pos]),
                unit=quote(units.iloc[pos] if units is not None else ""),
            ),
        ),
    ]


def _typed_contradicts(rows: Rows, typed: pd.Series, stated: pd.Series) -> Finding:
    """E107 where the unit typed in a value cell is not the one its unit column or header
    states (spellings of one unit agree: kgce/t and 千克标准煤/吨)."""
    typed_codes, typed_units = factorize(typed)
    stated_codes, stated_units = factorize(stated)
    pair, first = combine(typed_codes, stated_codes)  # each distinct pair looked at once
    wrong = np.zeros(len(first), dtype=bool)
    for k, row in enumerate(first):
        if typed_codes[row] < 0 or stated_codes[row] < 0:
            continue
        cell, other = str(typed_units[typed_codes[row]]), str(stated_units[stated_codes[row]])
        try:
            parse_unit(cell)  # text that is no unit at all is E104 (see _conversions)
        except UnitError:
            continue
        try:
            wrong[k] = conversion_factor(cell, other) != 1.0
        except UnitError:
            wrong[k] = True
    mask = wrong[pair]
    header = rows.headers["value"]
    return Finding(
        "E107",
        "value",
        mask,
        lambda p: Msg(
            "{header} {text}: the unit typed in the cell contradicts the stated unit {unit}",
            header=header,
            text=quote(rows.frame["value"].iloc[p]),
            unit=stated.iloc[p],
        ),
    )


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


_SHEET_YEAR = re.compile(r"^\D*((?:19|20)\d\d)\D*$")


def year_of_sheet(sheet: str | None) -> int | None:
    """The year a sheet's name gives (``2023``, ``2023年``, ``2023年度数据``) when its table has
    no year column: a workbook with a sheet a year keeps each year's rows apart."""
    if sheet is None:
        return None
    m = _SHEET_YEAR.match(sheet.strip())
    return int(m.group(1)) if m else None


def sheet_area(table: Table, catalogue: Catalogue) -> str | None:
    """The area a sheet's name gives (``水泥熟料``, ``2025年平板玻璃``) when its table has no
    area column: bureau workbooks often keep a sheet per area."""
    if table.sheet is None:
        return None
    name = table.sheet.strip()
    for text in (name, _SHEET_YEAR_WORDS.sub("", name).strip()):
        hit = catalogue.resolve(text) if text else None
        if hit is not None:
            return text
    return None


_SHEET_YEAR_WORDS = re.compile(r"(?:19|20)\d\d\s*年?度?|数据|清单|汇总表?|填报表?")


def unknown_area(catalogue: Catalogue, header: str, text: str) -> Msg:
    """E102's message: an area of a later edition is named as such; else "did you mean",
    each suggestion with its Chinese name where the message is said in Chinese. A later area
    that a route of this edition covers (乙二醇: 煤制乙二醇) is offered that route too."""
    hints = catalogue.suggest(text)
    named = joined(
        (Msg("'{area}'", area=h, area_name=catalogue.area(h).name_zh) for h in hints),
        ALTERNATIVES,
    )
    new = catalogue.successor_area(text)
    if new is not None and catalogue.successor is not None:
        succ = catalogue.successor
        later = Msg(
            "{header} {text} is an area of the {edition} edition ({document}), not of this "
            "catalogue ({this_edition} edition): grade it with a {edition} catalogue "
            "(--catalogue FILE)",
            header=header,
            text=quote(text),
            edition=succ.edition,
            document=succ.document,
            this_edition=catalogue.edition,
        )
        if not hints:
            return later
        return Msg("{problem}; or, if it is {hints}, name that area", problem=later, hints=named)
    if not hints:
        return Msg("{header} {text} is not a known area", header=header, text=quote(text))
    return Msg(
        "{header} {text} is not a known area; did you mean {hints}?",
        header=header,
        text=quote(text),
        hints=named,
    )


def category_list(catalogue: Catalogue, area_id: str, problem: Msg) -> Msg:
    """A category problem's message, listing the area's valid categories."""
    area = catalogue.area(area_id)
    names = [
        Msg("{category} ({name})", category=str(lv.category), name=lv.name_zh) for lv in area.levels
    ]
    return Msg("{problem}; valid: {categories}", problem=problem, categories=joined(names))

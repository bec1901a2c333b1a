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

from benchmark.catalogue import Catalogue
from benchmark.codes import combine, factorize, lookup
from benchmark.fields import NUMBER_FIELDS, REQUIRED_FIELDS
from benchmark.levels import LevelTable
from benchmark.parallel import parallel_map
from benchmark.readers import Table
from benchmark.units import IncompatibleUnitError, UnknownUnitError, conversion_factor
from benchmark.validation.cells import clean_text, parse_numbers, quote
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


Step = Callable[[Rows], list[Finding]]
Message = Callable[[int], str]


def _blank(header: str) -> Message:
    return lambda _pos: f"{header} is blank"


def _not_a_number(header: str, raw: pd.Series) -> Message:
    return lambda pos: f"{header} {quote(raw.iloc[pos])} is not a number"


def _not_a_year(header: str, year: pd.Series) -> Message:
    return lambda pos: f"{header} {year.iloc[pos]:g} is not a year"


def _negative(header: str, number: pd.Series) -> Message:
    return lambda pos: f"{header} {number.iloc[pos]:g} is negative"


def clean_texts(rows: Rows) -> list[Finding]:
    """Names and ids without spaces at the ends or characters that rewrite a terminal."""
    frame = rows.frame
    columns = [frame[name] if name in frame.columns else
               pd.Series(pd.NA, index=frame.index, dtype="string[pyarrow]") for name in CLEANED]
    rows.texts = dict(zip(CLEANED, parallel_map(clean_text, columns), strict=True))
    return []


def blanks(rows: Rows) -> list[Finding]:
    """E101: a required cell left blank."""
    found = []
    for name in REQUIRED_FIELDS:
        if name == "value":
            blank = rows.frame[name].astype("string[pyarrow]").str.strip().fillna("").eq("")
        else:
            blank = rows.texts[name].isna()
        found.append(Finding("E101", name, blank.to_numpy(dtype=bool),
                             _blank(rows.headers[name])))
    return found


def numbers(rows: Rows) -> list[Finding]:
    """E104: a number cell that is not a finite number (a year that is no year); E108: a
    negative output or capacity."""
    frame, hdr = rows.frame, rows.headers
    given = [name for name in NUMBER_FIELDS if name in frame.columns]
    found = []
    for name, (parsed, bad) in zip(given, parallel_map(parse_numbers,
                                                       [frame[n] for n in given]), strict=True):
        found.append(Finding("E104", name, bad, _not_a_number(hdr[name], frame[name])))
        rows.numbers[name] = parsed
    sheet_year = year_of_sheet(rows.table.sheet) if "year" not in frame.columns else None
    if sheet_year is not None:  # sheets named by year, 2023 and 2024 side by side
        rows.numbers["year"] = pd.Series(float(sheet_year), index=frame.index)
    for name in NUMBER_FIELDS:
        rows.numbers.setdefault(name, pd.Series(np.nan, index=frame.index))
    year = rows.numbers["year"]
    filled = year.fillna(0)
    not_year = year.notna().to_numpy() & ((filled % 1 != 0) | (filled.abs() >= 10_000)
                                          ).to_numpy()
    found.append(Finding("E104", "year", not_year, _not_a_year(hdr.get("year", "year"), year)))
    rows.numbers["year"] = year.where(~not_year)
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
    rows.implied = lookup([levels.level_of[(r[0].id, r[1].category)] if r and r[1] else -1
                           for r in resolved], codes, -1)
    hints: dict[str, str] = {}

    def message(pos: int) -> str:
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
    found = [_level_of(rows, int(rows.area[row]), int(cat_codes[row]), int(rows.implied[row]),
                       cat_uniques) for row in first]
    rows.level = np.array([lv for lv, _ in found], dtype=np.int64)[combo]
    outcome = np.array([o for _, o in found], dtype=np.int8)[combo]
    header = rows.headers.get("category", "category")
    return [
        Finding("E103", "category", outcome == CATEGORY_MISSING, lambda pos: category_list(
            cat, rows.area_id(pos), f"{header} is missing: {rows.area_id(pos)} has several "
                                    "levels")),
        Finding("E105", "category", outcome == CATEGORY_UNKNOWN, lambda pos: category_list(
            cat, rows.area_id(pos), f"{header} {quote(text.iloc[pos])} is not a category of "
                                    f"{rows.area_id(pos)}")),
    ]


def _level_of(rows: Rows, area: int, category: int, implied: int, uniques: Any
              ) -> tuple[int, int]:
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
    """E106: a unit not recognised; E107: a unit of another kind than the indicator's. The
    unit is the cell's, else the one stated in the value header, else the catalogue's."""
    unit_text = rows.texts["unit"]
    default = rows.table.header_units.get("value")
    if default:
        unit_text = unit_text.fillna(default)
    rows.unit_text = unit_text
    codes, uniques = factorize(unit_text)
    combo, first = combine(codes, rows.area)
    factors, errors, kinds = [], [], []
    for row in first:
        u, a = int(codes[row]), int(rows.area[row])
        factor, error, kind = 1.0, "", ""
        if u >= 0 and a >= 0:
            try:
                factor = conversion_factor(str(uniques[u]), rows.levels.area_units[a])
            except UnknownUnitError as exc:
                factor, error, kind = np.nan, str(exc), "E106"
            except IncompatibleUnitError as exc:
                factor, error, kind = np.nan, str(exc), "E107"
        factors.append(factor)
        errors.append(error)
        kinds.append(kind)
    field_name = "unit" if "unit" in rows.frame.columns else "value"
    header = rows.headers[field_name]
    error_of = np.array(errors, dtype=object)[combo]
    kind_of = np.array(kinds, dtype=object)[combo]
    rows.value = rows.numbers["value"].to_numpy() * np.array(factors)[combo]
    return [Finding(code, field_name, kind_of == code,
                    lambda pos: f"{header} {error_of[pos]}") for code in ("E106", "E107")]


def values(rows: Rows) -> list[Finding]:
    """E109: a negative value where every level of the area is positive; W201: a value far
    from its levels (a unit slip?); W202: a year outside 2000 to the current year."""
    hdr, table, value = rows.headers, rows.levels, rows.value
    positive = lookup(list(table.all_positive), rows.area, False).astype(bool)
    rows.negative = positive & (value < 0)
    bench = table.take(table.benchmark, rows.level)
    base = table.take(table.baseline, rows.level)
    with np.errstate(invalid="ignore"):
        implausible = (bench > 0) & ~rows.negative & ((value < bench / 2) | (value > base * 2))
    year = rows.numbers["year"]
    odd_year = ((year < FIRST_YEAR) | (year > rows.current_year)).fillna(False).to_numpy()
    units_of = [a.unit for a, _ in table.levels]
    return [
        Finding("E109", "value", rows.negative, lambda p: f"{hdr['value']} {value[p]:g} is "
                f"negative, but every level of {rows.area_id(p)} is positive"),
        Finding("W201", "value", implausible, lambda p: (
            f"{hdr['value']} {value[p]:g} {units_of[rows.level[p]]} is implausible for "
            f"{rows.area_id(p)} (benchmark {bench[p]:g}, baseline {base[p]:g}): a unit slip?")),
        Finding("W202", "year", odd_year, lambda p: f"{hdr.get('year', 'year')} "
                f"{year.iloc[p]:g} is outside {FIRST_YEAR}..{rows.current_year}"),
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


def unknown_area(catalogue: Catalogue, header: str, text: str) -> str:
    """E102's message: an area of a later edition is named as such; else "did you mean"."""
    new = catalogue.successor_area(text)
    if new is not None and catalogue.successor is not None:
        succ = catalogue.successor
        return (f"{header} {quote(text)} is an area of the {succ.edition} edition "
                f"({succ.document}), not of this catalogue ({catalogue.edition} edition): "
                f"grade it with a {succ.edition} catalogue (--catalogue FILE)")
    hints = catalogue.suggest(text)
    hint = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
    return f"{header} {quote(text)} is not a known area{hint}"


def category_list(catalogue: Catalogue, area_id: str, prefix: str) -> str:
    """A category problem's message, listing the area's valid categories."""
    area = catalogue.area(area_id)
    names = ", ".join(f"{lv.category} ({lv.name_zh})" for lv in area.levels)
    return f"{prefix}; valid: {names}"

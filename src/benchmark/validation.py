"""Column-wise validation of input tables: every problem found, every valid row kept.

Each check is a vectorised mask over a column; Python only loops over the rows that fail, to
word their messages. A pydantic model per row would be clearer but is 50 times slower at a
million rows (see benchmarks/README.md), so pydantic stays for the catalogue and the outputs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from benchmark.catalogue import Catalogue, level_arrays
from benchmark.problems import Problem, problem
from benchmark.readers import REQUIRED_FIELDS, Table
from benchmark.units import UnitError, UnknownUnitError, conversion_factor

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Columns of a validated frame, in order; passed-through input columns follow.
RESULT_COLUMNS: tuple[str, ...] = (
    "file", "sheet", "row", "enterprise", "line", "region", "year", "area", "category",
    "value", "unit", "input_value", "input_unit", "output", "capacity",
)
TEXT_FIELDS = ("enterprise", "line", "region")
NUMERIC_FIELDS = ("value", "output", "capacity", "year")
FIRST_YEAR = 2000

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
_SEPARATORS = re.compile(r"[\s,'_\u00a0\u2009\u202f]")
_UNSAFE_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def parse_numbers(column: pd.Series) -> tuple[pd.Series, np.ndarray[Any, Any]]:
    """Parse a column of numbers typed by people; return floats and a mask of bad cells.

    Accepts thousands separators, full-width digits and surrounding spaces. Text that is not
    a finite number (including "NaN", "inf", "1e999") is bad, never zero.
    """
    import numpy as np
    import pandas as pd

    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(
            column.dtype):
        numbers = column.astype("float64")
        bad = ~np.isfinite(numbers.to_numpy()) & numbers.notna().to_numpy()
        return numbers.where(~bad), bad
    text = column.astype("string")
    present = text.str.strip().fillna("").ne("").to_numpy()
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    todo = present & numbers.isna().to_numpy()
    if todo.any():
        cleaned = (text[todo].str.translate(_FULLWIDTH)
                   .str.replace(_SEPARATORS, "", regex=True))
        numbers[todo] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    values = numbers.to_numpy()
    bad = present & ~np.isfinite(values)
    numbers[bad] = np.nan
    return numbers, bad


def _quote(value: Any) -> str:
    text = json.dumps(str(value), ensure_ascii=False)
    return text if len(text) <= 60 else text[:56] + '…"'


def _clean_text(column: pd.Series) -> pd.Series:
    """Strip spaces and characters that could rewrite a terminal (controls, bidi overrides)."""
    text = column.astype("string").str.replace(_UNSAFE_TEXT, "", regex=True).str.strip()
    return text.mask(text == "")


class _Collector:
    """Gathers problems for one table, locating each at its cell."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[Problem] = []
        self.bad: np.ndarray[Any, Any] | None = None  # rows with an error, set lazily
        self.n = len(table.frame)

    def add(self, code: str, field: str | None, mask: Any,
            message: Callable[[int], str]) -> None:
        import numpy as np

        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        t = self.table
        if field is not None and field not in t.letters and field == "category":
            field = "area"  # no category column at all: point at the area that needs one
        letter = t.letters.get(field) if field else None
        header = t.headers.get(field) if field else None
        for pos in positions:
            self.problems.append(problem(code, t.file, message(int(pos)), sheet=t.sheet,
                                         row=int(t.rows[pos]), column=letter, header=header))
        if code.startswith("E"):
            if self.bad is None:
                self.bad = np.zeros(self.n, dtype=bool)
            self.bad[positions] = True


def validate_table(table: Table, catalogue: Catalogue, *, current_year: int | None = None
                   ) -> tuple[pd.DataFrame, list[Problem]]:
    """Check one table; return its valid rows (normalised) and every problem found.

    Valid rows carry catalogue ids for area and category and their value in the catalogue
    unit; warnings do not remove a row, errors do.
    """
    import numpy as np
    import pandas as pd

    frame = table.frame
    out = _Collector(table)
    missing = [f for f in REQUIRED_FIELDS if f not in frame.columns]
    if missing:
        found = ", ".join(repr(h) for h in table.headers.values()) or "none"
        for f in missing:
            out.problems.append(problem(
                "E003", table.file, f"required column {f!r} is missing (headers found: {found})",
                sheet=table.sheet, row=table.header_row, header=f))
        return _empty_result(), out.problems

    n = len(frame)
    col = {name: (frame[name] if name in frame.columns else
                  pd.Series(pd.NA, index=frame.index, dtype="string"))
           for name in ("enterprise", "area", "category", "unit", "line", "region")}
    texts = {name: _clean_text(series) for name, series in col.items()}
    hdr = table.headers

    for name in REQUIRED_FIELDS:
        blank = frame[name].astype("string").str.strip().fillna("").eq("").to_numpy()
        out.add("E101", name, blank, _blank(hdr[name]))

    numbers: dict[str, pd.Series] = {}
    for name in NUMERIC_FIELDS:
        if name not in frame.columns:
            numbers[name] = pd.Series(np.nan, index=frame.index)
            continue
        parsed, bad = parse_numbers(frame[name])
        raw = frame[name]
        out.add("E104", name, bad, _not_a_number(hdr[name], raw))
        numbers[name] = parsed
    year = numbers["year"]
    frac = year.notna().to_numpy() & (year.fillna(0) % 1 != 0).to_numpy()
    out.add("E104", "year", frac, lambda p: f"{hdr['year']} {year.iloc[p]:g} is not a whole year")
    for name in ("output", "capacity"):
        neg = (numbers[name] < 0).fillna(False).to_numpy()
        out.add("E108", name, neg, _negative(hdr.get(name, name), numbers[name]))

    # Areas: resolve each distinct text once.
    area_text = texts["area"]
    codes, uniques = pd.factorize(area_text.to_numpy(dtype=object), use_na_sentinel=True)
    resolved = [catalogue.resolve(str(u)) for u in uniques]
    area_ids = np.array([r[0].id if r else None for r in resolved] + [None], dtype=object)
    implied = np.array([(r[1].category if r and r[1] else None) for r in resolved] + [None],
                       dtype=object)
    idx = np.where(codes < 0, len(uniques), codes)
    area_id = area_ids[idx]
    unknown_area = (codes >= 0) & (area_id == None)  # noqa: E711 - elementwise on object array
    out.add("E102", "area", unknown_area, lambda p: _unknown_area(
        catalogue, hdr["area"], str(area_text.iloc[p])))

    # Categories: required where the area has several level rows.
    category_text = texts["category"]
    category = np.full(n, None, dtype=object)
    pair_codes, pairs = pd.factorize(
        pd.Series(area_id, dtype="object").astype("string").fillna("") + "\x1f"
        + category_text.fillna("") + "\x1f" + pd.Series(implied[idx], dtype="object")
        .astype("string").fillna(""))
    pair_result: list[tuple[str | None, str | None]] = []
    for pair in pairs:
        a_id, ctext, implied_cat = str(pair).split("\x1f")
        if not a_id:
            pair_result.append((None, None))
            continue
        area = catalogue.area(a_id)
        if not area.has_categories:
            pair_result.append((None, None))
        elif implied_cat and not ctext:
            pair_result.append((implied_cat, None))
        elif not ctext:
            pair_result.append((None, "E103"))
        else:
            lv = area.find_category(ctext)
            pair_result.append((lv.category, None) if lv else (None, "E105"))
    outcome = np.array([code for _, code in pair_result] + [None], dtype=object)[pair_codes]
    category[:] = np.array([c for c, _ in pair_result] + [None], dtype=object)[pair_codes]
    out.add("E103", "category", outcome == "E103", lambda p: _category_list(
        catalogue, area_id[p], f"{hdr.get('category', 'category')} is missing: "
                               f"{area_id[p]} has several levels"))
    out.add("E105", "category", outcome == "E105", lambda p: _category_list(
        catalogue, area_id[p], f"{hdr['category']} {_quote(category_text.iloc[p])} is not a "
                               f"category of {area_id[p]}"))

    # Units: the cell, else a unit stated in the value header, else the catalogue unit.
    levels = level_arrays(catalogue, area_id, category)
    default_unit = table.header_units.get("value")
    unit_text = texts["unit"]
    if default_unit:
        unit_text = unit_text.fillna(default_unit)
    unit_codes, unit_pairs = pd.factorize(
        unit_text.fillna("") + "\x1f" + pd.Series(levels["unit"], dtype="object")
        .astype("string").fillna(""))
    factors = np.full(len(unit_pairs) + 1, np.nan)
    unit_errors: list[str | None] = []
    for i, pair in enumerate(unit_pairs):
        given, target = str(pair).split("\x1f")
        if not target or not given:
            factors[i] = 1.0
            unit_errors.append(None)
            continue
        try:
            factors[i] = conversion_factor(given, target)
            unit_errors.append(None)
        except UnitError as exc:
            unit_errors.append(("E106" if isinstance(exc, UnknownUnitError) else "E107")
                               + str(exc))
    unit_errors.append(None)
    unit_err = np.array(unit_errors, dtype=object)[unit_codes]
    unit_field = "unit" if "unit" in frame.columns else "value"
    for code in ("E106", "E107"):
        mask = np.array([isinstance(e, str) and e.startswith(code) for e in unit_err])
        out.add(code, unit_field, mask, lambda p: f"{hdr[unit_field]} {str(unit_err[p])[4:]}")
    factor = factors[unit_codes]
    value = numbers["value"].to_numpy() * factor

    positive_area = np.array([(a is not None and all(lv.baseline > 0 for lv in
                                                     catalogue.area(a).levels))
                              for a in area_ids], dtype=bool)[idx]
    negative = positive_area & (value < 0)
    out.add("E109", "value", negative, lambda p: f"{hdr['value']} {value[p]:g} is negative, but "
            f"every level of {area_id[p]} is positive")

    # Warnings: likely unit slips and odd years. They never remove a row.
    bench, base = levels["benchmark"], levels["baseline"]
    with np.errstate(invalid="ignore"):
        implausible = (bench > 0) & ~negative & ((value < bench / 2) | (value > base * 2))
    out.add("W201", "value", implausible, lambda p: (
        f"{hdr['value']} {value[p]:g} {levels['unit'][p]} is implausible for {area_id[p]} "
        f"(benchmark {bench[p]:g}, baseline {base[p]:g}): a unit slip?"))
    this_year = current_year or dt.date.today().year
    odd_year = ((year < FIRST_YEAR) | (year > this_year)).fillna(False).to_numpy()
    out.add("W202", "year", odd_year, lambda p: f"{hdr['year']} {year.iloc[p]:g} is outside "
            f"{FIRST_YEAR}..{this_year}")

    # Duplicates among rows otherwise valid: the first is graded, repeats are errors.
    ok_so_far = out.bad is None or ~out.bad
    key = pd.DataFrame({
        "enterprise": texts["enterprise"].str.casefold(), "line": texts["line"].str.casefold(),
        "area": area_id, "category": category, "year": year}).astype("string").fillna("")
    dup = key.duplicated(keep="first").to_numpy() & ok_so_far
    if dup.any():
        first_row = key.assign(_row=table.rows).groupby(list(key.columns), sort=False)[
            "_row"].transform("first").to_numpy()
        out.add("E110", "enterprise", dup, lambda p: (
            f"duplicate of row {first_row[p]} (same enterprise, line, area, category and "
            "year)"))

    keep = np.ones(n, dtype=bool) if out.bad is None else ~out.bad
    result = pd.DataFrame({
        "file": table.file,
        "sheet": table.sheet,
        "row": table.rows,
        "enterprise": texts["enterprise"],
        "line": texts["line"],
        "region": texts["region"],
        "year": year.round().astype("Int64"),
        "area": pd.Series(area_id, dtype="string"),
        "category": pd.Series(category, dtype="string"),
        "value": value,
        "unit": pd.Series(levels["unit"], dtype="string"),
        "input_value": frame["value"].astype("string"),
        "input_unit": unit_text,
        "output": numbers["output"],
        "capacity": numbers["capacity"],
    })
    for name in frame.columns:
        if name in table.letters and name not in ("enterprise", "area", "category", "value",
                                                  "unit", "output", "capacity", "region",
                                                  "year", "line"):
            target = name
            while target in result.columns:
                target += "_"
            result[target] = frame[name]
    result = result[keep].reset_index(drop=True)
    out.problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return result, out.problems


def _blank(header: str) -> Callable[[int], str]:
    return lambda _pos: f"{header} is blank"


def _not_a_number(header: str, raw: pd.Series) -> Callable[[int], str]:
    return lambda pos: f"{header} {_quote(raw.iloc[pos])} is not a number"


def _negative(header: str, numbers: pd.Series) -> Callable[[int], str]:
    return lambda pos: f"{header} {numbers.iloc[pos]:g} is negative"


def _unknown_area(catalogue: Catalogue, header: str, text: str) -> str:
    hints = catalogue.suggest(text)
    hint = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
    return f"{header} {_quote(text)} is not a known area{hint}"


def _category_list(catalogue: Catalogue, area_id: str, prefix: str) -> str:
    area = catalogue.area(area_id)
    names = ", ".join(f"{lv.category} ({lv.name_zh})" for lv in area.levels)
    return f"{prefix}; valid: {names}"


def _empty_result() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype="object") for c in RESULT_COLUMNS})

"""Column-wise validation of input tables: every problem found, every valid row kept.

Each check is a vectorised mask over a column, and each distinct text (an area, a unit) is
looked up once; Python only loops over the rows that fail, to word their messages. A pydantic
model per row would be clearer, but at a million rows building the dicts alone takes about
4 s and validating them as long again, before any catalogue lookup; the column-wise checks do
everything in 3-4 s (benchmarks/README.md). So pydantic stays for the catalogue, the
configuration and the output schema.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from benchmark.catalogue import Catalogue
from benchmark.columns import (
    Numbering,
    TextNumbering,
    combine,
    factorize,
    filter_rows,
    first_appearances,
    lookup,
    pair,
    take_strings,
)
from benchmark.parallel import parallel_map
from benchmark.problems import Problem, in_sheet_order, problem
from benchmark.readers import FIELDS, REQUIRED_FIELDS, Table
from benchmark.readers.numbers import cell_texts
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
# Patterns as strings, not compiled: pandas then runs them in Arrow (RE2), not per cell in Python.
_UNSAFE_TEXT = "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\u202a-\u202e\u2066-\u2069]"
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def parse_numbers(column: pd.Series) -> tuple[pd.Series, np.ndarray[Any, Any]]:
    """Parse a column of numbers typed by people; return floats and a mask of bad cells.

    Accepts thousands separators, full-width digits and surrounding spaces. Text that is not
    a finite number (including "NaN", "inf", "1e999") is bad, never zero. Plain numbers are
    cast by Arrow in one pass; only the few cells left over go through the lenient parser.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(
            column.dtype):
        numbers = column.astype("float64")
        bad = ~np.isfinite(numbers.to_numpy()) & numbers.notna().to_numpy()
        return numbers.where(~bad), bad
    text = _arrow_strings(column)
    trimmed = pc.utf8_trim_whitespace(text)
    present = pc.fill_null(pc.not_equal(trimmed, ""), False)
    plain = pc.fill_null(pc.match_substring_regex(trimmed, _PLAIN_NUMBER), False)
    cast = pc.cast(pc.if_else(plain, trimmed, pa.scalar(None, pa.string())), pa.float64())
    values = cast.to_numpy(zero_copy_only=False).astype("float64", copy=True)
    todo = np.asarray(pc.and_(present, pc.invert(plain)).to_numpy(zero_copy_only=False),
                      dtype=bool)
    if todo.any():
        rest = pd.Series(trimmed.filter(pa.array(todo)).to_pylist(), dtype="object")
        cleaned = [_SEPARATORS.sub("", str(v).translate(_FULLWIDTH)) for v in rest]
        values[todo] = pd.to_numeric(pd.Series(cleaned, dtype="object"),
                                     errors="coerce").to_numpy(dtype="float64")
    bad = np.asarray(present.to_numpy(zero_copy_only=False), dtype=bool) & ~np.isfinite(values)
    values[bad] = np.nan
    return pd.Series(values, index=column.index), bad


def _arrow_strings(column: pd.Series) -> Any:
    """The column as an Arrow string array (no copy when it already is one)."""
    import pyarrow as pa

    series = column if column.dtype == "string[pyarrow]" else column.astype("string[pyarrow]")
    arr = pa.array(series.array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


_UNSAFE_IN_MESSAGE = re.compile("[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _quote(value: Any) -> str:
    """A cell's text for a message: JSON-quoted, invisible and bidi characters escaped."""
    text = json.dumps(str(value), ensure_ascii=False)
    text = _UNSAFE_IN_MESSAGE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text if len(text) <= 60 else text[:56] + '…"'


def _clean_text(column: pd.Series) -> pd.Series:
    """Strip spaces and characters that could rewrite a terminal (controls, bidi overrides)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = _arrow_strings(column)
    if pc.any(pc.match_substring_regex(text, _UNSAFE_TEXT)).as_py():  # rare: scan, then copy
        text = pc.replace_substring_regex(text, _UNSAFE_TEXT, "")
    text = pc.utf8_trim_whitespace(text)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)
    return pd.Series(pd.arrays.ArrowStringArray(text), index=column.index)


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
    result, problems = check_rows(table, catalogue, current_year=current_year)
    return drop_duplicates(result, problems, table)


def check_rows(table: Table, catalogue: Catalogue, *, current_year: int | None = None
               ) -> tuple[pd.DataFrame, list[Problem]]:
    """Every check of :func:`validate_table` but the duplicates, which need all the rows of a
    table; the problems come in the order found."""
    import numpy as np
    import pandas as pd

    frame = table.frame
    out = _Collector(table)
    missing = missing_columns(table)
    if missing:
        return _empty_result(), missing

    n = len(frame)
    col = {name: (frame[name] if name in frame.columns else
                  pd.Series(pd.NA, index=frame.index, dtype="string[pyarrow]"))
           for name in ("enterprise", "area", "category", "unit", "line", "region")}
    texts = dict(zip(col, parallel_map(_clean_text, list(col.values())), strict=True))
    hdr = table.headers

    for name in REQUIRED_FIELDS:
        blank = texts[name].isna() if name != "value" else \
            frame[name].astype("string[pyarrow]").str.strip().fillna("").eq("")
        out.add("E101", name, blank.to_numpy(dtype=bool), _blank(hdr[name]))

    numbers: dict[str, pd.Series] = {}
    given = [name for name in NUMERIC_FIELDS if name in frame.columns]
    for name, (parsed, bad) in zip(given, parallel_map(parse_numbers, [frame[n] for n in given]),
                                   strict=True):
        out.add("E104", name, bad, _not_a_number(hdr[name], frame[name]))
        numbers[name] = parsed
    for name in NUMERIC_FIELDS:
        numbers.setdefault(name, pd.Series(np.nan, index=frame.index))
    year = numbers["year"]
    not_year = year.notna().to_numpy() & ((year.fillna(0) % 1 != 0)
                                          | (year.fillna(0).abs() >= 10_000)).to_numpy()
    out.add("E104", "year", not_year, lambda p: f"{hdr['year']} {year.iloc[p]:g} is not a year")
    year = year.where(~not_year)
    for name in ("output", "capacity"):
        neg = (numbers[name] < 0).fillna(False).to_numpy()
        out.add("E108", name, neg, _negative(hdr.get(name, name), numbers[name]))

    # Areas and levels are numbered: area index into catalogue.areas, level index into
    # `levels`; each distinct input text is resolved once.
    levels = list(catalogue.iter_levels())
    level_of = {(a.id, lv.category): i for i, (a, lv) in enumerate(levels)}
    area_index = {a.id: i for i, a in enumerate(catalogue.areas)}
    area_text = texts["area"]
    area_codes, area_uniques = factorize(area_text)
    resolved = [catalogue.resolve(str(u)) for u in area_uniques]
    aidx = lookup([area_index[r[0].id] if r else -1 for r in resolved], area_codes, -1)
    implied = lookup([level_of[(r[0].id, r[1].category)] if r and r[1] else -1
                      for r in resolved], area_codes, -1)
    unknown_area = (area_codes >= 0) & (aidx < 0)
    hints: dict[str, str] = {}

    def unknown(p: int) -> str:
        text = str(area_text.iloc[p])
        if text not in hints:
            hints[text] = _unknown_area(catalogue, hdr["area"], text)
        return hints[text]

    out.add("E102", "area", unknown_area, unknown)

    # Categories: required where the area has several level rows.
    category_text = texts["category"]
    cat_codes, cat_uniques = factorize(category_text)
    combo, first = combine(aidx, cat_codes, implied)
    outcome_of: list[tuple[int, str | None]] = []
    for row in first:
        a, c, imp = int(aidx[row]), int(cat_codes[row]), int(implied[row])
        if a < 0:
            outcome_of.append((-1, None))
            continue
        area = catalogue.areas[a]
        if not area.has_categories:
            outcome_of.append((level_of[(area.id, None)], None))
        elif imp >= 0 and c < 0:
            outcome_of.append((imp, None))
        elif c < 0:
            outcome_of.append((-1, "E103"))
        else:
            lv = area.find_category(str(cat_uniques[c]))
            outcome_of.append((level_of[(area.id, lv.category)], None) if lv else (-1, "E105"))
    lidx = np.array([o[0] for o in outcome_of], dtype=np.int64)[combo]
    outcome = np.array([o[1] for o in outcome_of], dtype=object)[combo]
    area_of_row = lookup([a.id for a in catalogue.areas], aidx)
    out.add("E103", "category", outcome == "E103", lambda p: _category_list(
        catalogue, area_of_row[p], f"{hdr.get('category', 'category')} is missing: "
                                   f"{area_of_row[p]} has several levels"))
    out.add("E105", "category", outcome == "E105", lambda p: _category_list(
        catalogue, area_of_row[p], f"{hdr['category']} {_quote(category_text.iloc[p])} is "
                                   f"not a category of {area_of_row[p]}"))

    # Units: the cell, else a unit stated in the value header, else the catalogue unit.
    default_unit = table.header_units.get("value")
    unit_text = texts["unit"]
    if default_unit:
        unit_text = unit_text.fillna(default_unit)
    unit_codes, unit_uniques = factorize(unit_text)
    combo, first = combine(unit_codes, aidx)
    factor_of: list[float] = []
    error_of: list[str | None] = []
    for row in first:
        u, a = int(unit_codes[row]), int(aidx[row])
        factor_of.append(1.0)
        error_of.append(None)
        if u < 0 or a < 0:
            continue
        try:
            factor_of[-1] = conversion_factor(str(unit_uniques[u]), catalogue.areas[a].unit)
        except UnitError as exc:
            factor_of[-1] = np.nan
            error_of[-1] = ("E106" if isinstance(exc, UnknownUnitError) else "E107") + str(exc)
    unit_err = np.array(error_of, dtype=object)[combo]
    unit_field = "unit" if "unit" in frame.columns else "value"
    for code in ("E106", "E107"):
        mask = np.array([isinstance(e, str) and e.startswith(code) for e in error_of])[combo]
        out.add(code, unit_field, mask, lambda p: f"{hdr[unit_field]} {str(unit_err[p])[4:]}")
    value = numbers["value"].to_numpy() * np.array(factor_of)[combo]

    positive = lookup([all(lv.baseline > 0 for lv in a.levels) for a in catalogue.areas],
                      aidx, False).astype(bool)
    negative = positive & (value < 0)
    out.add("E109", "value", negative, lambda p: f"{hdr['value']} {value[p]:g} is negative, but "
            f"every level of {area_of_row[p]} is positive")

    # Warnings: likely unit slips and odd years. They never remove a row.
    bench = lookup([lv.benchmark for _, lv in levels], lidx, np.nan).astype(float)
    base = lookup([lv.baseline for _, lv in levels], lidx, np.nan).astype(float)
    units = [a.unit for a, _ in levels]
    with np.errstate(invalid="ignore"):
        implausible = (bench > 0) & ~negative & ((value < bench / 2) | (value > base * 2))
    out.add("W201", "value", implausible, lambda p: (
        f"{hdr['value']} {value[p]:g} {units[lidx[p]]} is implausible for {area_of_row[p]} "
        f"(benchmark {bench[p]:g}, baseline {base[p]:g}): a unit slip?"))
    this_year = current_year or dt.date.today().year
    odd_year = ((year < FIRST_YEAR) | (year > this_year)).fillna(False).to_numpy()
    out.add("W202", "year", odd_year, lambda p: f"{hdr['year']} {year.iloc[p]:g} is outside "
            f"{FIRST_YEAR}..{this_year}")

    keep = np.ones(n, dtype=bool) if out.bad is None else ~out.bad
    result = pd.DataFrame({
        "file": pd.Series([table.file], dtype="string[pyarrow]").repeat(n).reset_index(
            drop=True),
        "sheet": pd.Series([table.sheet], dtype="string[pyarrow]").repeat(n).reset_index(
            drop=True),
        "row": table.rows,
        "enterprise": texts["enterprise"],
        "line": texts["line"],
        "region": texts["region"],
        "year": year.round().astype("Int64"),
        "area": take_strings([a.id for a in catalogue.areas], aidx),
        "category": take_strings([lv.category for _, lv in levels], lidx),
        "value": value,
        "unit": take_strings([a.unit for a in catalogue.areas], aidx),
        "input_value": cell_texts(frame["value"]),
        "input_unit": unit_text,
        "output": numbers["output"],
        "capacity": numbers["capacity"],
    })
    for name in frame.columns:
        if name in table.letters and name not in FIELDS:
            target = name
            while target in result.columns:
                target += "_"
            result[target] = frame[name]
    if not keep.all():
        result = filter_rows(result, keep)
    return result, out.problems


def missing_columns(table: Table) -> list[Problem]:
    """E003 for each required column the header row does not name (then no row is checked)."""
    missing = [f for f in REQUIRED_FIELDS if f not in table.frame.columns]
    found = ", ".join(repr(h) for h in table.headers.values()) or "none"
    return [problem("E003", table.file, f"required column {f!r} is missing (headers found: "
                    f"{found})", sheet=table.sheet, row=table.header_row, header=f)
            for f in missing]


def drop_duplicates(result: pd.DataFrame, problems: list[Problem], table: Table
                    ) -> tuple[pd.DataFrame, list[Problem]]:
    """E110 for valid rows repeating an earlier one (same enterprise, line, area, category and
    year, ignoring case): the first is graded, repeats are dropped. Then sort the problems.

    Works on valid rows only; a table checked in parts uses one :class:`Deduplicator` instead.
    """
    result = Deduplicator(table).drop(result, problems)
    in_sheet_order(problems)
    return result, problems


class Deduplicator:
    """E110 over the valid rows of one table fed a part at a time, in row order.

    Only a later row is ever dropped, so the rows a part keeps are final as soon as it is
    checked: a sheet read in pieces is deduplicated piece by piece while the next piece is
    parsed. Keys are exact: each column's values get ids that are the same in every part
    (:class:`~benchmark.columns.Numbering`), paired into one number a column at a time.
    """

    #: Key columns, those with few distinct values first (their pairs stay few).
    KEY = ("area", "category", "year", "line", "enterprise")

    def __init__(self, table: Table) -> None:
        import numpy as np

        self.table = table
        self._columns = [TextNumbering() if c in TEXT_FIELDS else Numbering() for c in self.KEY]
        self._pairs = [Numbering() for _ in self.KEY[1:]]
        self._first_rows = np.zeros(0, dtype=np.int64)  # Excel row of each key's first row

    def drop(self, result: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
        """The rows of ``result`` whose key no earlier row had; E110 appended for the rest."""
        import numpy as np

        if not len(result):
            return result
        key = self._columns[0].ids(result[self.KEY[0]])
        for name, column, pairs in zip(self.KEY[1:], self._columns[1:], self._pairs,
                                       strict=True):
            key = pairs.ids(pair(key, column.ids(result[name])))
        first = first_appearances(key, start=len(self._first_rows))
        rows = result["row"].to_numpy()
        self._first_rows = np.concatenate((self._first_rows, rows[first]))
        if first.all():
            return result
        t = self.table
        letter, header = t.letters.get("enterprise"), t.headers.get("enterprise")
        for p in np.flatnonzero(~first):
            problems.append(problem(
                "E110", t.file, f"duplicate of row {self._first_rows[key[p]]} (same "
                "enterprise, line, area, category and year)", sheet=t.sheet,
                row=int(rows[p]), column=letter, header=header))
        return filter_rows(result, first)


def _blank(header: str) -> Callable[[int], str]:
    return lambda _pos: f"{header} is blank"


def _not_a_number(header: str, raw: pd.Series) -> Callable[[int], str]:
    return lambda pos: f"{header} {_quote(raw.iloc[pos])} is not a number"


def _negative(header: str, numbers: pd.Series) -> Callable[[int], str]:
    return lambda pos: f"{header} {numbers.iloc[pos]:g} is negative"


def _unknown_area(catalogue: Catalogue, header: str, text: str) -> str:
    new = catalogue.successor_area(text)
    if new is not None and catalogue.successor is not None:
        succ = catalogue.successor
        return (f"{header} {_quote(text)} is an area of the {succ.edition} edition "
                f"({succ.document}), not of this catalogue ({catalogue.edition} edition): "
                f"grade it with a {succ.edition} catalogue (--catalogue FILE)")
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

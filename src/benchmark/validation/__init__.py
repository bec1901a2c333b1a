"""Column-wise validation of input tables: every problem found, every valid row kept.

Each check (:mod:`~benchmark.validation.steps`; the units step in
:mod:`~benchmark.validation.unit_checks`, what the rows are known to hold in
:mod:`~benchmark.validation.rows`, a sheet's own year and area in
:mod:`~benchmark.validation.sheet_names`, messages naming the catalogue in
:mod:`~benchmark.validation.wording`) is a vectorised mask over a column, and each
distinct text (an area, a unit) is looked up once; Python only loops over the rows that fail,
to word their messages. A pydantic model per row would be clearer, but at a million rows
building the dicts alone costs more than all the column-wise checks together
(benchmarks/README.md). So pydantic stays for the catalogue, the configuration and the output
contract. Duplicates (E110) need every row of a run and are found by
:mod:`~benchmark.validation.duplicates` once all files are read.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from benchmark._codes import filter_rows, take_strings
from benchmark.catalogue import Catalogue
from benchmark.fields import FIELD_ALIASES, FIELDS, REQUIRED_FIELDS, VALIDATED_NAMES
from benchmark.headers import header_key, split_header
from benchmark.i18n import N_, Msg
from benchmark.levels import level_table
from benchmark.problems import Problem, problem
from benchmark.quantities import UnknownQuantityUnitError, parse_quantity_unit
from benchmark.readers import Table
from benchmark.readers.numbers import cell_texts
from benchmark.readers.years import year_columns
from benchmark.validation.cells import parse_numbers
from benchmark.validation.findings import Finding, problems_of
from benchmark.validation.rows import Rows
from benchmark.validation.sheet_names import sheet_area
from benchmark.validation.steps import STEPS

__all__ = ["check_rows", "empty_result", "missing_columns", "parse_numbers", "unrecognised_columns"]


def check_rows(
    table: Table, catalogue: Catalogue, *, current_year: int | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check one table (or one piece of it); return its valid rows and the problems found.

    Valid rows carry catalogue ids for area and category and their value in the catalogue
    unit; warnings do not remove a row, errors do. Problems come in the order of the checks;
    duplicates are not looked for here.
    """
    missing = missing_columns(table, catalogue)
    if missing:
        return empty_result(), missing
    rows = Rows(table, catalogue, level_table(catalogue), current_year or dt.date.today().year)
    findings: list[Finding] = []
    for step in STEPS:
        findings.extend(step(rows))
    problems, bad = problems_of(table, findings)
    problems = rows.table_problems + problems
    result = _result(rows)
    if bad.any():
        result = filter_rows(result, ~bad)
    return result, problems


def _result(rows: Rows) -> pd.DataFrame:
    """Every row of the table, normalised, in contract order; passed-through columns follow."""
    table, levels, n = rows.table, rows.levels, len(rows.frame)
    assert rows.unit_text is not None
    columns: dict[str, object] = {
        "file": _repeat(table.file, n),
        "sheet": _repeat(table.sheet, n),
        "row": table.rows,
        "enterprise": rows.texts["enterprise"],
        "line": rows.texts["line"],
        "region": rows.texts["region"],
        "year": rows.numbers["year"].round().astype("Int64"),
        "area": take_strings(levels.area_ids, rows.area),
        "category": take_strings(levels.categories, rows.level),
        "value": rows.value,
        "unit": take_strings(levels.area_units, rows.area),
        "output": rows.numbers["output"],
        "capacity": rows.numbers["capacity"],
        "input_value": cell_texts(rows.frame["value"]),
        "input_unit": rows.unit_text,
    }
    result = pd.DataFrame({name: columns[name] for name in VALIDATED_NAMES})
    for name in rows.frame.columns:
        if name in table.letters and name not in FIELDS:
            target = name
            while target in result.columns:
                target += "_"
            result[target] = rows.frame[name]
    return result


def _repeat(text: str | None, n: int) -> pd.Series:
    return pd.Series([text], dtype="string[pyarrow]").repeat(n).reset_index(drop=True)


#: What each required field is, in words.
_FIELD_WORDS = {
    "enterprise": N_("the enterprise"),
    "area": N_("the key area (领域)"),
    "value": N_("the energy-efficiency value (单位产品能耗)"),
}


def missing_columns(table: Table, catalogue: Catalogue | None = None) -> list[Problem]:
    """E003 for each required column the header row does not name (then no row is checked):
    which headers would name it, and how to add one of the sheet's own. A sheet named after an
    area (水泥熟料) needs no area column."""
    missing = [f for f in REQUIRED_FIELDS if f not in table.frame.columns]
    if "area" in missing and catalogue is not None and sheet_area(table, catalogue):
        missing.remove("area")
    found: str | Msg = ", ".join(repr(h) for h in table.headers.values()) or Msg("none")
    return [
        problem(
            "E003",
            table.file,
            Msg(
                "no column names {field_words} (required column {field}); headers that do: "
                "{aliases} …; headers found: {found}. To use one of yours, add it under "
                'header-aliases in the configuration ({name} = ["…"])',
                field_words=Msg(_FIELD_WORDS[f]),
                field=repr(f),
                aliases=", ".join(FIELD_ALIASES[f][:8]),
                found=found,
                name=f,
            ),
            sheet=table.sheet,
            row=table.header_row,
            header=f,
        )
        for f in missing
    ]


def unrecognised_columns(table: Table) -> list[Msg]:
    """Headers that look like a known field but were not taken as one: a second column for
    a field already found, a header stating a unit of product (``原料用量（万吨）``), or a
    header containing a field's name (``设计产能利用率``)."""
    found = []
    by_year = {name for columns in year_columns(table).values() for name in columns.values()}
    for name, header in table.headers.items():
        if name in FIELDS or name in by_year:  # a year's column of years side by side is read
            continue
        if name in table.more:
            field_name = table.more[name][0]
            found.append(
                Msg(
                    "{header} (a second {field} column; the first is column {letter})",
                    header=header,
                    field=field_name,
                    letter=table.letters.get(field_name, "?"),
                )
            )
            continue
        unit = _quantity_unit(header)
        if unit is not None:  # a unit of product says more than a word it holds
            found.append(
                Msg(
                    "{header} (a quantity in {unit}, but no known column: output or capacity? "
                    "name it under header-aliases in the configuration)",
                    header=header,
                    unit=unit,
                )
            )
            continue
        like = _looks_like(header)
        if like is not None:
            found.append(Msg("{header} (like {field}?)", header=header, field=like))
    return found


def _quantity_unit(header: str) -> str | None:
    """The unit of output or capacity a header states in its brackets (``原料量（万吨）``), if
    any: a column of product amounts that no field took is worth naming, since its figures
    may be what savings need."""
    unit = split_header(header).unit
    if unit is None:
        return None
    try:
        parse_quantity_unit(unit)
    except UnknownQuantityUnitError:
        return None
    return unit


def _looks_like(header: str) -> str | None:
    key = header_key(header)
    for name, aliases in FIELD_ALIASES.items():
        if any(len(a) >= 2 and not a.isascii() and header_key(a) in key for a in aliases):
            return name
    return None


def empty_result() -> pd.DataFrame:
    """A validated frame with no rows."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in VALIDATED_NAMES})

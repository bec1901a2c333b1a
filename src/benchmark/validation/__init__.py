"""Column-wise validation of input tables: every problem found, every valid row kept.

Each check (:mod:`~benchmark.validation.steps`) is a vectorised mask over a column, and each
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

from benchmark.catalogue import Catalogue
from benchmark.codes import filter_rows, take_strings
from benchmark.fields import FIELDS, REQUIRED_FIELDS, VALIDATED_NAMES
from benchmark.levels import level_table
from benchmark.problems import Problem, problem
from benchmark.readers import Table
from benchmark.validation.cells import parse_numbers
from benchmark.validation.findings import Finding, problems_of
from benchmark.validation.steps import STEPS, Rows

__all__ = ["check_rows", "empty_result", "missing_columns", "parse_numbers"]


def check_rows(table: Table, catalogue: Catalogue, *, current_year: int | None = None
               ) -> tuple[pd.DataFrame, list[Problem]]:
    """Check one table (or one piece of it); return its valid rows and the problems found.

    Valid rows carry catalogue ids for area and category and their value in the catalogue
    unit; warnings do not remove a row, errors do. Problems come in the order of the checks;
    duplicates are not looked for here.
    """
    missing = missing_columns(table)
    if missing:
        return empty_result(), missing
    rows = Rows(table, catalogue, level_table(catalogue),
                current_year or dt.date.today().year)
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
        "input_value": rows.frame["value"].astype("string[pyarrow]"),
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


def missing_columns(table: Table) -> list[Problem]:
    """E003 for each required column the header row does not name (then no row is checked)."""
    missing = [f for f in REQUIRED_FIELDS if f not in table.frame.columns]
    found = ", ".join(repr(h) for h in table.headers.values()) or "none"
    return [problem("E003", table.file, f"required column {f!r} is missing (headers found: "
                    f"{found})", sheet=table.sheet, row=table.header_row, header=f)
            for f in missing]


def empty_result() -> pd.DataFrame:
    """A validated frame with no rows."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in VALIDATED_NAMES})


"""Years side by side: a list with a column per year for its figures (``2024年单位产品综合能耗``,
``2025年单位产品综合能耗``, ``2024年产量（万吨）``, ``2025年产量（万吨）``) and no year column,
read as one table per year.

Consultants and bureaus lay out progress this way. Each plant line then yields a row per year,
every cell still reported at its own column, and the summary takes each line's latest year as
it does for a list with a year column. A year's table holds the columns common to every year
(enterprise, line, area, a capacity without a year) and that year's own columns under their
field names; the header states the year, so every row of it is of that year
(:func:`benchmark.validation.sheet_names.table_year`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from benchmark.readers.table import Table

T = TypeVar("T")


def year_columns(table: Table) -> dict[str, dict[int, str]]:
    """Field → {year: column} for the fields whose headers state a year, when the value has
    columns for two years or more and the table has no year column; else empty."""
    if "year" in table.frame.columns:
        return {}
    found: dict[str, dict[int, str]] = {}
    for name, year in table.header_years.items():  # the first column taken as the field
        found.setdefault(name, {})[year] = name
    for name, (field_name, _unit, stated) in table.more.items():
        if stated is not None and field_name in found and stated not in found[field_name]:
            found[field_name][stated] = name
    if len(found.get("value", {})) < 2:
        return {}
    return found


def split_years(table: Table) -> list[Table]:
    """``table`` as one table per year of its value columns (itself when it has no years side
    by side). A field without a column for a year (no 2023年产量) is absent from that year's
    table; columns of other years are left out of it, never passed through."""
    columns = year_columns(table)
    if not columns:
        return [table]
    taken = {name for by_year in columns.values() for name in by_year.values()}
    shared = [c for c in table.frame.columns if c not in taken]
    tables = []
    for year in sorted(columns["value"]):
        picked = {f: by_year[year] for f, by_year in columns.items() if year in by_year}
        frame = table.frame[[*shared, *picked.values()]].rename(
            columns={column: f for f, column in picked.items()}
        )
        units = {
            f: unit for f, column in picked.items() if (unit := _unit_of(table, column)) is not None
        }
        tables.append(
            replace(
                table,
                frame=frame,
                letters=_with(table.letters, shared, picked),
                headers=_with(table.headers, shared, picked),
                header_units={k: v for k, v in table.header_units.items() if k in shared} | units,
                header_years={f: year for f in picked},
                more={k: v for k, v in table.more.items() if k in shared},
                unit_rows=_with(table.unit_rows, shared, picked),
                unit_conflicts={f for f, column in picked.items() if column in table.unit_conflicts}
                | {c for c in table.unit_conflicts if c in shared},
            )
        )
    return tables


def side_by_side_years(table: Table) -> list[int]:
    """The years of a table's value columns side by side (empty when it has none)."""
    return sorted(year_columns(table).get("value", {}))


def _unit_of(table: Table, column: str) -> str | None:
    if column in table.more:
        return table.more[column][1]
    return table.header_units.get(column)


def _with(by_column: dict[str, T], shared: list[str], picked: dict[str, str]) -> dict[str, T]:
    """A column-keyed mapping (letters, headers) for one year: the shared columns' entries and
    each picked column's under its field's name."""
    out = {k: v for k, v in by_column.items() if k in shared}
    out.update({f: by_column[column] for f, column in picked.items() if column in by_column})
    return out

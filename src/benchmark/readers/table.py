"""Tables of text cells with their Excel coordinates, and the header row that names them.

Every reader ends here: cells as text, a header row found among the first rows and matched to
the known fields (in Chinese or English), each column keeping its Excel letter and each row its
Excel number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from benchmark.fields import FIELDS
from benchmark.headers import HeaderMatch
from benchmark.headers import HeaderMatcher as HeaderMatcher  # readers import it from here
from benchmark.i18n import Msg
from benchmark.problems import Problem, problem
from benchmark.readers.limits import MAX_CELL_CHARS, Refusal
from benchmark.readers.unitrow import UNIT_FIELDS, UnitsRow, contradicts, find_units_row

#: How many rows from the top may stand above the header row.
HEADER_SEARCH_ROWS = 20


@dataclass
class Table:
    """One sheet (or CSV) of input: text cells plus the coordinates of each cell in Excel."""

    file: str
    sheet: str | None
    header_row: int
    frame: pd.DataFrame
    rows: np.ndarray[Any, Any]
    letters: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    header_units: dict[str, str] = field(default_factory=dict)
    #: The year a header states (``2025年产量``), per column.
    header_years: dict[str, int] = field(default_factory=dict)
    #: Columns whose header names a field another column took first (a second year side by
    #: side: ``2025年能耗`` after ``2024年能耗``): column name → (field, unit, year).
    more: dict[str, tuple[str, str | None, int | None]] = field(default_factory=dict)
    #: The row of units under the header, if the sheet has one (:mod:`.unitrow`): each piece
    #: of a large sheet is given the first piece's.
    units: UnitsRow | None = None
    #: Columns whose unit that row states rather than the header: column name → its Excel
    #: row, where a problem of the unit is located.
    unit_rows: dict[str, int] = field(default_factory=dict)
    #: Columns whose unit in that row contradicts the one in the header's brackets: their
    #: figures are not used (E107 at the unit's cell says why).
    unit_conflicts: set[str] = field(default_factory=set)


@dataclass
class TablePart:
    """Rows of one sheet as they become available: the whole sheet, or one piece of it.

    ``table`` is None for a part that only reports problems (a refused sheet, an unreadable
    file). ``last`` marks the last part of a sheet. ``restart`` tells the consumer to drop the
    parts of the current sheet received so far: a later piece failed, and the sheet comes
    again, read whole. ``notices`` are things to tell the user that are no problem of the
    file (a hidden sheet skipped, a large sheet read on one core for want of temporary space):
    they never fail a run.
    """

    table: Table | None
    problems: list[Problem] = field(default_factory=list)
    last: bool = True
    restart: bool = False
    notices: list[Msg] = field(default_factory=list)


def concat_tables(tables: list[Table]) -> Table:
    """The pieces of one sheet as one table (they share the header and its coordinates)."""

    if len(tables) == 1:
        return tables[0]
    first = tables[0]
    frame = pd.concat([t.frame for t in tables], ignore_index=True)
    return Table(
        first.file,
        first.sheet,
        first.header_row,
        frame,
        np.concatenate([t.rows for t in tables]),
        dict(first.letters),
        dict(first.headers),
        dict(first.header_units),
        dict(first.header_years),
        dict(first.more),
        first.units,
        dict(first.unit_rows),
        set(first.unit_conflicts),
    )


def collect_parts(parts: Iterable[TablePart]) -> tuple[list[Table], list[Problem]]:
    """Whole tables from parts, and every problem, in the order read."""
    tables: list[Table] = []
    problems: list[Problem] = []
    pending: list[TablePart] = []
    for part in parts:
        if part.restart:
            pending.clear()
        if part.table is None:
            problems.extend(part.problems)
            continue
        pending.append(part)
        if part.last:
            tables.append(concat_tables([p.table for p in pending if p.table is not None]))
            problems.extend(found for p in pending for found in p.problems)
            pending.clear()
    return tables, problems


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


#: Characters that could rewrite a terminal line: C0/C1 controls, bidi overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def display_safe(text: str) -> str:
    """``text`` with terminal-rewriting characters shown as escapes (``\\u202e``), not obeyed.

    Applied to every name a problem or output shows that comes from the file rather than from a
    cell: the file name, sheet names and header texts.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def find_header(head: list[list[str | None]], matcher: HeaderMatcher) -> int | None:
    """Index of the row in ``head`` that names the most known fields (at least two)."""
    best, best_score = None, 1
    for i, cells in enumerate(head[:HEADER_SEARCH_ROWS]):
        score = matcher.score(cells)
        if score > best_score:
            best, best_score = i, score
    return best


def build_table(
    file: str,
    sheet: str | None,
    header_row: int,
    header_cells: list[str | None],
    absolute: list[int],
    columns: list[Any],
    rows: np.ndarray[Any, Any],
    matcher: HeaderMatcher,
    units: UnitsRow | None = None,
) -> tuple[Table, list[Problem]]:
    """Name the columns (known fields by their field name, others by their header).

    Rows holding a cell longer than Excel allows are dropped with a problem at that cell: such
    a cell is corrupt or hostile, and echoing it into every output would not help anyone.

    A row of units right under the header (:mod:`benchmark.readers.unitrow`) is taken as the
    header's units and dropped; ``units`` gives a later piece of a sheet the units row its
    first piece had (a piece never looks for one itself: it does not start under the header).
    """

    data: dict[str, Any] = {}
    table = Table(file, sheet, header_row, pd.DataFrame(), rows)
    problems: list[Problem] = []
    drop = np.zeros(len(rows), dtype=bool)
    if units is None and len(rows) and int(rows[0]) == header_row + 1:
        units = find_units_row(header_cells, absolute, columns, int(rows[0]), matcher)
        drop[0] = units is not None
    table.units = units
    for text, abs_index, values in zip(header_cells, absolute, columns, strict=True):
        if text is None or not str(text).strip():
            continue
        shown = display_safe(str(text).strip())
        found = matcher.find(text)
        name = _name_column(table, data, shown, abs_index, found)
        data[name] = values
        if units is not None and found is not None and abs_index in units.units:
            problems += _unit_below(table, name, found.field, units.units[abs_index], units)
        long_cells = _overlong(values)
        if long_cells is not None:
            for pos in np.flatnonzero(long_cells):
                problems.append(
                    problem(
                        "E004",
                        file,
                        Msg(
                            "{header} is {length} characters long, over Excel's limit of "
                            "{limit}; the row was not read",
                            header=shown,
                            length=format(len(values.iloc[pos]), ","),
                            limit=format(MAX_CELL_CHARS, ","),
                        ),
                        sheet=sheet,
                        row=int(rows[pos]),
                        column=table.letters[name],
                        header=shown,
                    )
                )
            drop |= long_cells
    frame = pd.DataFrame(data)
    if len(frame.columns):
        keep = frame.notna().any(axis=1).to_numpy() & ~drop
        if not keep.all():
            frame = frame[keep].reset_index(drop=True)
            table.rows = rows[keep]
    table.frame = frame
    return table, problems


def _name_column(
    table: Table, data: dict[str, Any], shown: str, abs_index: int, found: HeaderMatch | None
) -> str:
    """The name of a column (its field's, or for any other its header made unique), with its
    letter, header, and the unit and year its header states noted in ``table``."""
    name = found.field if found is not None else None
    if name is None or name in data:
        name = shown
        while name in data or name in FIELDS:
            name = f"{name}_"
        if found is not None:
            table.more[name] = (found.field, found.unit, found.year)
    table.letters[name] = column_letter(abs_index)
    table.headers[name] = shown
    if found is not None and name == found.field:
        if found.unit:
            table.header_units[name] = found.unit
        if found.year is not None:
            table.header_years[name] = found.year
    return name


def _unit_below(
    table: Table, name: str, field_name: str, unit: str, units: UnitsRow
) -> list[Problem]:
    """Apply the unit the units row states for column ``name`` (which names ``field_name``) as
    its header's unit; E107 at the unit's cell (once, from the piece holding the row) when the
    header's brackets state another, and the column's figures are then not used.

    E107 rather than E106: both units are understood, they contradict each other, as a cell's
    unit contradicting its header's does.
    """
    if field_name not in UNIT_FIELDS:
        return []
    more = table.more.get(name)
    stated = more[1] if more is not None else table.header_units.get(name)
    if stated is None:
        if more is not None:
            table.more[name] = (more[0], unit, more[2])
        else:
            table.header_units[name] = unit
        table.unit_rows[name] = units.row
        return []
    if not contradicts(field_name, stated, unit):
        return []
    table.unit_conflicts.add(name)
    if table.rows.size == 0 or int(table.rows[0]) != units.row:
        return []
    header = table.headers[name]
    return [
        problem(
            "E107",
            table.file,
            Msg(
                "{header}: the unit under the header, {unit}, contradicts the one in the "
                "header, {stated}; the column's figures are not used",
                header=header,
                unit=repr(unit),
                stated=repr(stated),
            ),
            sheet=table.sheet,
            row=units.row,
            column=table.letters[name],
            header=header,
        )
    ]


def _overlong(values: Any) -> np.ndarray[Any, Any] | None:
    """Mask of the cells of a text column longer than :data:`MAX_CELL_CHARS`, or None."""

    if not isinstance(values, pd.Series) or not pd.api.types.is_string_dtype(values.dtype):
        return None
    try:
        arrow = pa.array(values)
        longest = pc.max(pc.binary_length(arrow)).as_py()  # bytes ≥ characters: O(1) a cell
        if longest is None or longest <= MAX_CELL_CHARS:
            return None
        lengths = pc.utf8_length(arrow)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    mask: np.ndarray[Any, Any] = pc.fill_null(pc.greater(lengths, MAX_CELL_CHARS), False).to_numpy(
        zero_copy_only=False
    )
    return mask


def string_mapper(dtype: Any) -> Any:

    return pd.StringDtype("pyarrow") if dtype in (pa.string(), pa.large_string()) else None


def short_error(exc: BaseException) -> str:
    """The first line of an exception's message (at most 200 characters), safe to display."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return display_safe(text[:200])


def file_problem(file: str, refusal: Refusal, sheet: str | None = None) -> Problem:
    """The problem a refused file (or sheet) gives: E001 or E004, as the refusal says."""
    return problem(refusal.code, file, refusal.message, sheet=sheet)

"""Workbooks (.xlsx/.xlsm) through fastexcel, each sheet after the guard passed it.

A large sheet is read in pieces on every core, each as soon as the guard has measured it; any
surprise sends it back to the plain whole read. Sheets hidden in Excel are skipped (and named
in a notice) unless asked for; merged ranges of the key columns are filled from their top-left
cell (:mod:`benchmark.readers.merged`).
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from benchmark._parallel import check_cancelled, workers
from benchmark.i18n import Msg
from benchmark.problems import Problem, problem
from benchmark.readers.cells import TooWide, load
from benchmark.readers.census import UNKNOWN
from benchmark.readers.guard import Inspection, inspect_workbook
from benchmark.readers.limits import MAX_COLUMNS, unreadable
from benchmark.readers.merged import MergeFill
from benchmark.readers.numbers import number_text
from benchmark.readers.pieces import PieceLoad, PieceReader
from benchmark.readers.split import SheetPiece
from benchmark.readers.table import (
    HEADER_SEARCH_ROWS,
    HeaderMatcher,
    Table,
    TablePart,
    build_table,
    display_safe,
    file_problem,
    find_header,
    short_error,
    string_mapper,
)
from benchmark.readers.unitrow import UnitsRow

#: Fields validation parses as numbers: a column of one of them read as numbers stays so.
_NUMBER_FIELDS = frozenset({"value", "output", "capacity", "year"})
#: Merged ranges among the rows searched for the header that are looked at (a real header has
#: a handful; thousands are a crafted file, and the header search must stay quick).
_MAX_HEADER_MERGES = 1000
_NO_HEADER = Msg(
    "no sheet has a header row naming the known columns (enterprise/企业名称, area/领域, "
    "value/单位产品能耗) in its first {rows} rows",
    rows=HEADER_SEARCH_ROWS,
)


def iter_workbook(
    path: Path,
    file: str,
    sheet: str | None,
    matcher: HeaderMatcher,
    stop: threading.Event | None = None,
    include_hidden: bool = False,
) -> Iterator[TablePart]:
    """The sheets of a workbook as :class:`TablePart` s, each as soon as it is read.

    A large sheet is read in pieces on every core (:mod:`benchmark.readers.pieces`), each piece
    as soon as the guard has measured it, and comes as one part a piece, so that a caller can
    check the rows of one piece while calamine parses the next. The pieces, and the temporary
    directory and threads that read them, exist only for a sheet big enough to split, and are
    gone when this generator is closed, however it ends. Hidden sheets are read only with
    ``include_hidden`` (or when ``sheet`` names one).
    """
    with PieceReader(workers(), stop) as pieces:
        inspection = inspect_workbook(path, sheet, pieces, stop, include_hidden)
        parts = _iter_inspected(
            path, file, sheet, matcher, inspection, pieces, stop, include_hidden
        )
        yield from _with_notices(parts, pieces.notices)


def _with_notices(parts: Iterator[TablePart], notices: list[Msg]) -> Iterator[TablePart]:
    """The parts, each carrying the notices that came up since the one before (a last part
    without a table carries those that came up after the last)."""
    for part in parts:
        if notices:
            part.notices.extend(notices)
            notices.clear()
        yield part
    if notices:
        yield TablePart(None, [], notices=list(notices))
        notices.clear()


@dataclass
class _Sheet:
    """What reading one sheet needs besides its cells."""

    file: str
    shown: str
    matcher: HeaderMatcher
    merged: list[tuple[int, int, int, int]]
    fill: MergeFill


def _iter_inspected(
    path: Path,
    file: str,
    sheet: str | None,
    matcher: HeaderMatcher,
    inspection: Inspection,
    pieces: PieceReader,
    stop: threading.Event | None,
    include_hidden: bool,
) -> Iterator[TablePart]:
    if inspection.refusal:
        yield TablePart(None, [file_problem(file, inspection.refusal)])
        return
    workbook = _Workbook(path)
    try:
        names = pieces.sheet_names()
        if names is None:
            names = list(workbook.reader().sheet_names)
    except Exception as exc:  # fastexcel raises its own hierarchy, all meaning "unreadable"
        yield TablePart(
            None,
            [
                problem(
                    "E001", file, Msg("not a readable workbook: {error}", error=short_error(exc))
                )
            ],
        )
        return
    if sheet is not None and sheet not in names:
        listed: str | Msg = ", ".join(repr(display_safe(n)) for n in names) or Msg("none")
        yield TablePart(
            None,
            [
                problem(
                    "E002",
                    file,
                    Msg(
                        "no sheet named {sheet}; the sheets are {sheets}",
                        sheet=repr(display_safe(sheet)),
                        sheets=listed,
                    ),
                )
            ],
        )
        return
    if not names:
        yield TablePart(None, [problem("E002", file, Msg("the workbook has no sheets"))])
        return
    if sheet is None and not include_hidden:
        skipped = [n for n in names if n in inspection.hidden]
        pieces.notices.extend(
            Msg("hidden sheet skipped: {sheet}", sheet=display_safe(n)) for n in skipped
        )
        names = [n for n in names if n not in inspection.hidden]
    found_any = False
    for name in [sheet] if sheet is not None else names:
        check_cancelled(stop)
        found = yield from _iter_sheet(workbook, name, file, matcher, inspection, pieces, stop)
        found_any = found_any or found
    if not found_any:
        yield TablePart(None, [problem("E002", file, _NO_HEADER)])


class _Workbook:
    """The workbook as fastexcel opens it, opened only when a sheet is read whole.

    Opening it parses its shared strings (a fifth of a second for a million-row list): a
    sheet read in pieces never needs it, since each piece carries the same ``workbook.xml``
    and the first one gives the sheet names (:meth:`PieceReader.sheet_names`)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._reader: Any = None

    def reader(self) -> Any:
        """fastexcel's reader of the whole workbook (its errors raised as they come)."""
        if self._reader is None:
            import fastexcel

            self._reader = fastexcel.read_excel(str(self._path))
        return self._reader


def _iter_sheet(
    workbook: _Workbook,
    name: str,
    file: str,
    matcher: HeaderMatcher,
    inspection: Inspection,
    pieces: PieceReader,
    stop: threading.Event | None,
) -> Generator[TablePart, None, bool]:
    """One sheet's parts; returns whether it had a header (or a problem to report)."""
    shown = display_safe(name)
    refusal = inspection.sheets.get(name)
    if refusal is None and name not in inspection.parts:
        refusal = unreadable(
            Msg("the sheet's XML cannot be located to check it (a tampered workbook?)")
        )
    if refusal is not None:
        yield TablePart(None, [file_problem(file, refusal, shown)])
        return True
    census = inspection.census.get(name)
    merged = census.merged if census else []
    context = _Sheet(file, shown, matcher, merged, MergeFill(merged))
    split = pieces.pieces(name)
    if split is not None:
        outcome = yield from _iter_pieces(split, context, stop)
        if outcome != "whole":
            return outcome == "read"
        context.fill = MergeFill(merged)  # start again from the top
    try:
        kinds = census.kinds() if census else UNKNOWN
        table, found = _read_sheet(workbook.reader(), name, kinds, context)
    except Exception as exc:  # calamine's errors for a malformed sheet
        yield TablePart(
            None,
            [
                problem(
                    "E001",
                    file,
                    Msg("sheet cannot be read: {error}", error=short_error(exc)),
                    sheet=shown,
                )
            ],
        )
        return True
    yield TablePart(table, found)
    return table is not None or bool(found)


def _header(batch: Any, columns: list[int], sheet: _Sheet) -> tuple[int, list[Any]] | None:
    """Index and cells of the header row among the first rows of a batch (whose row 0 is
    Excel row 1). A header cell merged down over two rows (a two-row header) names its
    column in both."""
    head = [list(r.values()) for r in batch.slice(0, HEADER_SEARCH_ROWS).to_pylist()]
    where = {c: k for k, c in enumerate(columns)}
    tops = [m for m in sheet.merged if m[0] <= len(head) and m[2] > m[0]]
    for first_row, first_col, last_row, last_col in tops[:_MAX_HEADER_MERGES]:
        top = where.get(first_col)
        if top is None or head[first_row - 1][top] is None:
            continue
        spanned = [where[c] for c in columns if first_col <= c <= last_col]
        for row in head[first_row : min(last_row, len(head))]:
            for k in spanned:
                if row[k] is None:
                    row[k] = head[first_row - 1][top]
    at = find_header(head, sheet.matcher)
    return None if at is None else (at, head[at])


def _table(
    batch: Any,
    columns: list[int],
    header: tuple[int, list[Any]],
    absolute: list[int],
    first_row: int,
    sheet: _Sheet,
    units: UnitsRow | None = None,
) -> tuple[Table, list[Problem]]:
    """The rows of ``batch`` (Excel rows from ``first_row``) under the header's columns, with
    merged ranges of the key columns filled; ``units``, the units row of the sheet's first
    piece, for the pieces after it.

    Columns are matched by Excel column: a piece may be narrower or wider than the header row.
    A column read as numbers stays so under a number field, and becomes its exact text under
    any other.
    """

    at, cells = header
    where = {a: i for i, a in enumerate(columns)}
    numbers = _number_columns(cells, absolute, sheet.matcher)
    series = []
    for a in absolute:
        values = batch.column(where[a]) if a in where else pa.nulls(batch.num_rows, pa.string())
        if pa.types.is_floating(values.type) and a not in numbers:
            values = number_text(values)
        series.append(values.to_pandas(types_mapper=string_mapper))
    rows = np.arange(first_row, first_row + batch.num_rows, dtype=np.int64)
    table, found = build_table(
        sheet.file, sheet.shown, at + 1, cells, absolute, series, rows, sheet.matcher, units
    )
    sheet.fill.fill(table)
    return table, found


def _number_columns(cells: list[Any], absolute: list[int], matcher: HeaderMatcher) -> set[int]:
    """The Excel columns the header names as number fields (the first column of each field,
    as :func:`build_table` names them; a repeat is passed through as text)."""
    named: set[str] = set()
    found: set[int] = set()
    for text, column in zip(cells, absolute, strict=True):
        if text is None or not str(text).strip():
            continue
        field, _unit = matcher.match(text)
        if field is not None and field not in named:
            named.add(field)
            if field in _NUMBER_FIELDS:
                found.add(column)
    return found


def _read_sheet(
    reader: Any, name: str, kinds: Any, sheet: _Sheet
) -> tuple[Table | None, list[Problem]]:
    """One sheet, read once: the header is searched in its first rows, the rest is the body."""
    try:
        loaded = load(reader, name, skip_rows=0, kinds=kinds)
    except TooWide as wide:
        return None, [
            problem(
                "E004",
                sheet.file,
                Msg(
                    "{count} columns exceed the limit of {limit}",
                    count=format(wide.width, ","),
                    limit=format(MAX_COLUMNS, ","),
                ),
                sheet=sheet.shown,
            )
        ]
    batch, absolute = loaded.batch, loaded.columns
    header = _header(batch, absolute, sheet)
    if header is None:
        return None, []
    at = header[0]
    return _table(batch.slice(at + 1), absolute, header, absolute, at + 2, sheet)


def _iter_pieces(
    pieces: list[tuple[SheetPiece, PieceLoad]], sheet: _Sheet, stop: threading.Event | None = None
) -> Generator[TablePart, None, str]:
    """A sheet from its pieces, one part a piece as each is read.

    Returns "read", "no header", or "whole" when the sheet must be read whole instead (after a
    ``restart`` part if some of its parts went out already).

    Columns are matched by their Excel column across pieces (a later piece may be narrower
    or wider than the first); any piece that fails or does not read as written sends the
    sheet back to the plain read, which reports what is wrong with it.
    """
    header: tuple[int, list[Any]] | None = None
    absolute: list[int] = []
    units: UnitsRow | None = None  # the first piece holds the row under the header
    for k, (piece, future) in enumerate(pieces):
        check_cancelled(stop)
        try:
            item = future.result()
        except Exception:  # calamine's errors: the whole read reports them
            item = None
        if item is None:
            if k:
                yield TablePart(None, [], restart=True)
            return "whole"
        batch, columns = item.batch, item.columns
        if k == 0:
            header = _header(batch, columns, sheet)
            if header is None:  # no header: read it whole if this piece was too short
                return "whole" if batch.num_rows < HEADER_SEARCH_ROWS else "no header"
            absolute, first_row = columns, header[0] + 2
            batch = batch.slice(header[0] + 1)
        else:
            assert piece.first_row is not None
            first_row = piece.first_row
        assert header is not None
        table, found = _table(batch, columns, header, absolute, first_row, sheet, units)
        units = table.units
        yield TablePart(table, found, last=k == len(pieces) - 1)
    return "read"

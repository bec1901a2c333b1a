"""The cells of a sheet (or of one piece of it) through fastexcel, every one read exactly.

calamine reads a column either as text or as numbers, and each way loses something: as text,
a number cell is rounded to nine decimals; as numbers, TRUE becomes 1.0 and the text "NaN"
becomes NaN. :func:`load` reads each column the way that is exact for it, as the guard's
census of the sheet's XML (:mod:`benchmark.readers.census`) tells:

- a column holding only numbers (and blanks) is read as numbers when asked (``typed``): exact,
  and calamine skips formatting every figure as text;
- any other column is read as text; where it also holds numbers that nine decimals would round,
  it is read a second time as numbers and those cells' texts are made exact
  (:func:`~benchmark.readers.numbers.exact_texts`);
- an error cell (``#DIV/0!``, ``#N/A``…), which fastexcel gives as a missing value, gets its
  error text back, and a boolean reads ``TRUE`` or ``FALSE`` as Excel shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmark.readers.census import UNKNOWN, ColumnKinds
from benchmark.readers.limits import MAX_COLUMNS
from benchmark.readers.numbers import exact_texts, number_text

#: calamine's error cells (its ``CellErrorType``, as fastexcel's messages name them).
_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#DATA!",
}
_ERROR_DETAIL = re.compile(r"'Error\((\w+)\)'")


class TooWide(Exception):
    """A sheet wider than :data:`MAX_COLUMNS` (the guard measured it already: a second line of
    defence)."""

    def __init__(self, width: int) -> None:
        super().__init__(width)
        self.width = width


@dataclass
class Loaded:
    """A sheet or piece as loaded: a record batch (text columns, and float64 columns for the
    columns read as numbers), the Excel column (0-based) of each of its columns, and the
    names of the workbook's sheets (known when read from a piece)."""

    batch: Any
    columns: list[int]
    sheets: list[str] | None = None


def load(
    reader: Any,
    name: str,
    skip_rows: int | None,
    kinds: ColumnKinds = UNKNOWN,
    typed: Iterable[int] = (),
) -> Loaded:
    """A sheet (or piece), every cell exact; ``typed`` columns, which ``kinds`` must show to
    hold nothing but numbers, are read as float64, the others as text.

    ``skip_rows=0`` keeps leading empty rows, so that row 0 is Excel row 1; ``None`` skips them.
    A typed column that turns out to hold something else after all (a number styled as a date,
    which calamine reads as a date) is read again as text.
    """
    typed = {c for c in typed if kinds.numbers_only(c)}
    # Every column named: one left out would have its type guessed from its first rows.
    width = max(kinds.width, max(typed, default=-1) + 1)
    dtypes = {c: "float" if c in typed else "string" for c in range(width)} if typed else "string"
    sheet = reader.load_sheet(name, header_row=None, skip_rows=skip_rows, dtypes=dtypes)
    if sheet.width > MAX_COLUMNS:
        raise TooWide(sheet.width)
    batch, errors = sheet.to_arrow_with_errors()
    info = sheet.selected_columns
    columns = [c.absolute_index for c in info]
    arrays = list(batch.columns)
    position = {c.index: k for k, c in enumerate(info)}
    redo = _error_cells(arrays, columns, position, errors, typed)
    for k, column in enumerate(columns):
        if column in typed and column not in redo:
            arrays[k] = _finite_or_text(arrays[k])
        elif kinds.may_be_boolean(column):
            arrays[k] = _excel_booleans(arrays[k])
    again = sorted(redo | {c for c in columns if c not in typed and kinds.may_be_long(c)})
    if again:
        _read_again(reader, name, skip_rows, again, typed, columns, arrays)
    return Loaded(_batch(arrays, batch.schema.names), columns)


def _error_cells(
    arrays: list[Any], columns: list[int], position: dict[int, int], errors: Any, typed: set[int]
) -> set[int]:
    """Put each error cell's text (``#DIV/0!``) where fastexcel left a missing value; return
    the typed columns with a cell that is no number, to be read again as text."""

    redo: set[int] = set()
    found: dict[int, dict[int, str]] = {}
    for error in errors.errors if errors is not None else ():
        row, index = error.offset_position
        k = position.get(index)
        if k is None:
            continue
        if columns[k] in typed:
            redo.add(columns[k])
            continue
        m = _ERROR_DETAIL.search(error.detail)
        if m is not None:
            found.setdefault(k, {})[row] = _ERRORS.get(m.group(1), f"#{m.group(1).upper()}!")
    for k, cells in found.items():
        rows = sorted(cells)
        mask = np.zeros(len(arrays[k]), dtype=bool)
        mask[rows] = True
        arrays[k] = pc.replace_with_mask(
            arrays[k], pa.array(mask), pa.array([cells[i] for i in rows], pa.string())
        )
    return redo


def _finite_or_text(values: Any) -> Any:
    """A typed column as it is, or as its exact text if it holds NaN or infinity (a number cell
    written ``NaN``, which calamine reads as a number): the text read shows "NaN", and
    validation must say it is not a number rather than see a blank."""

    if pc.all(pc.fill_null(pc.is_finite(values), True)).as_py():
        return values
    return number_text(values)


def _excel_booleans(values: Any) -> Any:
    """calamine's "true"/"false" as Excel shows a boolean: TRUE, FALSE."""

    values = pa.array(values, type=pa.string())
    if not pc.any(pc.is_in(values, pa.array(["true", "false"]))).as_py():
        return values
    upper = pc.if_else(pc.is_in(values, pa.array(["true", "false"])), pc.utf8_upper(values), values)
    return upper


def _read_again(
    reader: Any,
    name: str,
    skip_rows: int | None,
    again: list[int],
    typed: set[int],
    columns: list[int],
    arrays: list[Any],
) -> None:
    """Read ``again`` the columns whose text is not exact on its own: as numbers for a text
    column (its long numbers made exact), as text for a typed one (its odd cells kept)."""
    dtypes = {c: "string" if c in typed else "float" for c in again}
    sheet = reader.load_sheet(
        name, header_row=None, skip_rows=skip_rows, dtypes=dtypes, use_columns=again
    )
    second, errors = sheet.to_arrow_with_errors()
    info = sheet.selected_columns
    if second.num_rows != (len(arrays[0]) if arrays else 0):
        raise ValueError("a sheet read twice gave different rows")
    where = {c: k for k, c in enumerate(columns)}
    again_arrays = list(second.columns)
    _error_cells(
        again_arrays,
        [c.absolute_index for c in info],
        {c.index: k for k, c in enumerate(info)},
        errors,
        set(),
    )
    for k, c in enumerate(info):
        column = c.absolute_index
        first = arrays[where[column]]
        if column in typed:
            arrays[where[column]] = exact_texts(_excel_booleans(again_arrays[k]), first)
        else:
            arrays[where[column]] = exact_texts(first, again_arrays[k])


def _batch(arrays: list[Any], names: list[str]) -> Any:

    return pa.RecordBatch.from_arrays(arrays, names=names)

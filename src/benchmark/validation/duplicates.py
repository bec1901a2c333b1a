"""E110: a row that repeats an earlier one — same enterprise, line, area, category and year,
texts compared ignoring case — anywhere in the run: in the same sheet, on another sheet, or in
another file (a resubmitted copy of a workbook in the same folder). The first is graded, the
repeats are not, so that nothing is counted twice.

Found once every file is read: keys are integer codes per column, combined into one id per
row (:func:`benchmark._codes.combine`), so a million rows take a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from benchmark._codes import combine, factorize
from benchmark.fields import DUPLICATE_KEY, TEXT_FIELDS
from benchmark.i18n import Msg
from benchmark.problems import Problem, problem

BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
#: Where a table's enterprise column is: (file, sheet) → (column letter, header text).
Locations = Mapping[tuple[str, str | None], tuple[str | None, str | None]]


def _codes(column: pd.Series, fold_case: bool) -> Any:
    if fold_case:
        arrow = pa.array(column.astype("string[pyarrow]").array)
        column = pd.Series(pd.arrays.ArrowStringArray(pc.utf8_lower(arrow)))
    return factorize(column)[0]


def find_duplicates(
    frame: pd.DataFrame, locations: Locations
) -> tuple[BoolArray, dict[tuple[str, str | None], list[Problem]]]:
    """Which rows come first (a mask), and E110 for the others, by the table they are in."""
    n = len(frame)
    if n == 0:
        return np.ones(0, dtype=bool), {}
    ids, first = combine(*(_codes(frame[name], name in TEXT_FIELDS) for name in DUPLICATE_KEY))
    keep = np.zeros(n, dtype=bool)
    keep[first] = True
    if keep.all():
        return keep, {}
    files = frame["file"].astype(object).to_numpy()
    sheets = frame["sheet"].astype(object).where(frame["sheet"].notna(), None).to_numpy()
    rows = frame["row"].to_numpy()
    lines = frame["line"].astype(object).to_numpy()
    found: dict[tuple[str, str | None], list[Problem]] = {}
    for pos in np.flatnonzero(~keep):
        original = int(first[ids[pos]])
        where = (str(files[pos]), sheets[pos])
        letter, header = locations.get(where, (None, None))
        place = _place(files, sheets, rows, original, int(pos))
        message = (
            Msg(
                "duplicate of {place} (same enterprise, line, area, category and year)", place=place
            )
            if not pd.isna(lines[pos])
            else Msg(
                "duplicate of {place} (same enterprise, line, area, category and year; if these "
                "are two lines, name them in a 生产线 (line) column)",
                place=place,
            )
        )
        found.setdefault(where, []).append(
            problem(
                "E110",
                where[0],
                message,
                sheet=where[1],
                row=int(rows[pos]),
                column=letter,
                header=header,
            )
        )
    return keep, found


def _place(files: Any, sheets: Any, rows: Any, original: int, pos: int) -> Msg:
    """The first row as seen from the repeat: its row, its sheet too, or its file too."""
    row, sheet, file = int(rows[original]), sheets[original], files[original]
    if file != files[pos]:
        if sheet is not None:
            return Msg("{file}, sheet {sheet}, row {row}", file=file, sheet=sheet, row=row)
        return Msg("{file}, row {row}", file=file, row=row)
    if sheet != sheets[pos]:
        return Msg("sheet {sheet}, row {row}", sheet=sheet, row=row)
    return Msg("row {row}", row=row)

"""Lines and years: which rows are one production line, and the order per-line figures need.

A line is enterprise + line + area + category, the duplicate key of E110 without the year
(texts compared ignoring case, a missing line or category a value of its own). Undated rows
count as one undated year, older than any dated year. E110 keeps one row per line and year
within a table, not across files or sheets: where a line has several rows of one year, the
first in frame order counts (the row E110 would keep) and :func:`repeated_line_years` marks the
others. :func:`line_layout` sorts the rows that count by line and year once;
:mod:`benchmark.tracking` computes every per-line figure as a grouped reduction over that
order. The column helpers at the end keep text Arrow-backed and years nullable, without a
Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from benchmark._codes import combine, factorize
from benchmark.fields import TIERS, TO_CHECK
from benchmark.i18n import _

Array: TypeAlias = "np.ndarray[Any, Any]"

UNDATED = np.iinfo(np.int64).min  # the key of the undated year: older than any year
NEVER = np.iinfo(np.int64).max  # "no such year" in a minimum over a line's years


def line_ids(frame: pd.DataFrame) -> Array:
    """An id per row for its line (enterprise, line, area, category), numbered from 0 in order
    of first appearance.

    Enterprise and line names are compared ignoring case (each distinct text is lowered once),
    as E110 compares them; area and category are catalogue ids, compared exactly. A missing
    line or category is a value of its own, so a plant that names no lines is one line per
    area and category.
    """
    codes = [
        _folded_codes(column(frame, "enterprise")),
        _folded_codes(column(frame, "line")),
        factorize(column(frame, "area"))[0],
        factorize(column(frame, "category"))[0],
    ]
    ids = combine(*codes)[0]
    return ids


def _folded_codes(text: pd.Series) -> Array:
    """Codes of a text column compared ignoring case."""
    arrow = pa.array(text.astype("string[pyarrow]").array)
    return factorize(pd.Series(pd.arrays.ArrowStringArray(pc.utf8_lower(arrow))))[0]


@dataclass(frozen=True)
class Layout:
    """The rows that count, one per line and year, sorted by line and then year (undated
    first): the order every per-line figure is a grouped reduction over."""

    rows: Array  # positions in the frame
    line: Array  # line number of each (0, 1, … in order of first appearance; ascending)
    year: Array  # year of each (UNDATED where none)
    starts: Array  # index into ``rows`` of each line's first (oldest) row
    repeated: Array  # over the frame: rows repeating an earlier row's line and year

    @property
    def ends(self) -> Array:
        """Index into ``rows`` of each line's last (latest) row."""
        ends: Array = np.append(self.starts[1:], len(self.rows)) - 1
        return ends[: len(self.starts)]

    @property
    def dated(self) -> Array:
        """Whether each row that counts has a year."""
        dated: Array = self.year != UNDATED
        return dated


def line_layout(frame: pd.DataFrame) -> Layout:
    """Number the lines, keep the first row of each line and year, and sort those by line and
    year: one stable sort of an integer key (line id × distinct years + year rank)."""
    ids = line_ids(frame)
    years = year_keys(frame)
    distinct, year_rank = np.unique(years, return_inverse=True)
    key = ids * len(distinct) + year_rank.reshape(-1)
    order = np.argsort(key, kind="stable")  # ties keep frame order: the first row comes first
    sorted_key = key[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_key[1:] != sorted_key[:-1]
    rows = order[first]
    line = ids[rows]
    starts = np.flatnonzero(np.diff(line, prepend=-1) != 0)
    repeated = np.ones(len(frame), dtype=bool)
    repeated[rows] = False
    return Layout(rows=rows, line=line, year=years[rows], starts=starts, repeated=repeated)


def year_keys(frame: pd.DataFrame) -> Array:
    """Each row's year as int64, :data:`UNDATED` where it has none."""
    if "year" not in frame.columns:
        return np.full(len(frame), UNDATED, dtype=np.int64)
    year = pd.to_numeric(frame["year"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(year), UNDATED, np.nan_to_num(year)).astype(np.int64)


def latest_year_mask(graded: pd.DataFrame) -> Array:
    """A mask over the rows: each line's row of its latest year.

    Rows without a year count as one undated year, older than any dated year: a line with
    2023 and undated rows keeps its 2023 row, a line with only undated rows keeps its undated
    row. Exactly one row per line is marked; of several rows of the same line and year (from
    different files) the first in frame order.
    """
    layout = line_layout(graded)
    mask = np.zeros(len(graded), dtype=bool)
    mask[layout.rows[layout.ends]] = True
    return mask


def repeated_line_years(graded: pd.DataFrame) -> Array:
    """A mask over the rows: rows whose line and year an earlier row already has.

    Validation drops such rows within a table (E110) but not across files or sheets; every
    function of this module uses the first and ignores these, so a caller should report them.
    """
    return line_layout(graded).repeated


def latest_year_note(graded: pd.DataFrame, mask: Array) -> dict[int | None, int]:
    """How many lines have each latest year, latest first, undated (``None``) last.

    ``mask`` is :func:`latest_year_mask`'s: the note says which year each line is shown in,
    e.g. "latest year of each line: 2025 for 40 lines, 2024 for 3". Distinct lines are
    counted, so a mask marking several rows of one line and year counts it once.
    """
    keep = np.asarray(mask, dtype=bool)
    years = year_keys(graded)[keep]
    first = combine(line_ids(graded)[keep], factorize(years)[0])[1]
    distinct, counts = np.unique(years[first], return_counts=True)
    return {
        (None if y == UNDATED else int(y)): int(c)
        for y, c in zip(distinct[::-1].tolist(), counts[::-1].tolist(), strict=True)
    }


class NoRowsForYear(ValueError):
    """A year asked for (``grade --year``, ``lists(..., year=Y)``) where no row has it;
    carries the years that are present so that the caller can say which to ask for."""

    def __init__(self, years_present: Sequence[int], year: int | None = None) -> None:
        self.years_present: tuple[int, ...] = tuple(sorted(int(y) for y in years_present))
        self.year = year
        present = ", ".join(map(str, self.years_present)) or _("none")
        asked = (
            _("no row of year {year}").format(year=year)
            if year is not None
            else _("no row of that year")
        )
        super().__init__(
            _("{asked}; years present: {present}").format(asked=asked, present=present)
        )


def dated_years(frame: pd.DataFrame) -> list[int]:
    """The distinct years of the rows, ascending (undated rows name none)."""
    years = np.unique(year_keys(frame))
    return [int(y) for y in years if y != UNDATED]


def year_mask(frame: pd.DataFrame, year: int) -> Array:
    """A mask over the rows: the rows of ``year`` that count (a line-year repeated across
    files counts once, see :func:`repeated_line_years`); :class:`NoRowsForYear` when no row
    has that year."""
    mask: Array = year_keys(frame) == year
    if not mask.any():
        raise NoRowsForYear(dated_years(frame), year)
    counted: Array = mask & ~line_layout(frame).repeated
    return counted


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column, or an all-missing text column where the frame lacks it (a line column is
    optional in the input)."""
    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series(pd.NA, index=range(len(frame)), dtype="string[pyarrow]")


def numbers(frame: pd.DataFrame, name: str) -> Array:
    """A column as float64, NaN where missing (an optional column such as capacity may be
    absent altogether)."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    floats: Array = pd.to_numeric(frame[name], errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    return floats


def take_text(column: pd.Series, positions: Array) -> Any:
    """Rows of a text column by position, -1 giving NA, as an Arrow-backed string array."""
    text = column if column.dtype == "string[pyarrow]" else column.astype("string[pyarrow]")
    arrow = pa.array(text.array)
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    picked = arrow.take(pa.array(np.maximum(positions, 0), mask=positions < 0))
    return pd.arrays.ArrowStringArray(picked)


def last_present(column: pd.Series, layout: Layout) -> Array:
    """Position in the frame of each line's latest row with a value in ``column`` (-1: none)."""
    present = column.notna().to_numpy(dtype=bool)[layout.rows]
    index = np.where(present, np.arange(len(layout.rows)), -1)
    last = np.maximum.reduceat(index, layout.starts)
    found: Array = np.where(last >= 0, layout.rows[np.maximum(last, 0)], -1)
    return found


def strings(values: Sequence[str | None], codes: Array) -> pd.Series:
    """A text column from distinct values and codes (-1: NA), built by Arrow."""
    dictionary = pa.array([*values, None], type=pa.string())
    picked = dictionary.take(pa.array(np.where(codes < 0, len(values), codes).astype(np.int64)))
    return pd.Series(pd.arrays.ArrowStringArray(picked))


def years_array(values: Array, missing: int = NEVER) -> pd.arrays.IntegerArray:
    """Years as a nullable Int64 array; ``missing`` marks NA."""
    values = np.asarray(values, dtype=np.int64)
    return pd.arrays.IntegerArray(np.where(values == missing, 0, values), values == missing)


def empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    """A frame without rows but with its columns, so that renderers need no special case."""
    return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})


def factorize_tiers(tiers: Any) -> Array:
    """Tier names as codes 0 (benchmark), 1 (between), 2 (below_baseline), 3 (to_check),
    -1 (none)."""
    codes, uniques = factorize(tiers)
    order = [*TIERS, TO_CHECK]
    remap = np.array([order.index(str(u)) for u in uniques] + [-1], dtype=np.int64)
    return np.asarray(remap[np.where(codes < 0, len(uniques), codes)], dtype=np.int64)


def count_lines(n: int) -> str:
    """``1 line``, ``1,204 lines``."""
    return f"{n:,} line" + ("" if n == 1 else "s")

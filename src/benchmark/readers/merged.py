"""Merged cells in the key columns: every line of a merged range belongs to its top-left cell.

Bureau workbooks merge an enterprise's name down over its lines (``<mergeCell ref="B4:B7"/>``),
and the year or region over a block of rows. Excel keeps the value in the top-left cell only and
calamine reads the cells below as blank, which would make every line but the first "企业名称 is
blank". The readers fill each merged range of the key text columns (enterprise, line, region,
area, category, year, unit) from its top-left cell, once the header row is known. A merged value,
output or capacity cell is left as it is — its lower cells stay blank and are reported — never
copied: a copied capacity would be counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from benchmark.readers.table import Table

#: Fields whose merged ranges are filled: what identifies a line, never what is measured.
KEY_FIELDS = ("enterprise", "line", "region", "area", "category", "year", "unit")


def _column_index(letters: str) -> int:
    """0-based column of Excel letters (A → 0, AA → 26)."""
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col - 1


class MergeFill:
    """Fills the merged ranges of one sheet's key columns, a part of the sheet at a time.

    The parts must come in row order; a range whose top-left cell is in one part and whose
    lower cells are in the next (a large sheet read in pieces) is filled from the value kept.
    """

    def __init__(self, merged: Sequence[tuple[int, int, int, int]]) -> None:

        by_column: dict[int, list[tuple[int, int]]] = {}
        for first_row, first_col, last_row, _last_col in merged:
            if last_row > first_row:
                by_column.setdefault(first_col, []).append((first_row, last_row))
        self._ranges = {
            col: np.array(sorted(spans), dtype=np.int64).reshape(-1, 2)
            for col, spans in by_column.items()
        }
        self._tops: dict[int, Any] = {}  # column → values of its ranges' top-left cells

    def fill(self, table: Table) -> None:
        """Fill, in place, the blank cells of ``table`` that merged ranges cover in its key
        columns (only ranges below the header row)."""
        for field in KEY_FIELDS:
            letter = table.letters.get(field)
            if letter is None or field not in table.frame.columns:
                continue
            col = _column_index(letter)
            spans = self._ranges.get(col)
            if spans is not None:
                spans = spans[spans[:, 0] > table.header_row]
            if spans is not None and len(spans) and len(table.rows):
                table.frame[field] = self._filled(col, spans, table.rows, table.frame[field])

    def _filled(self, col: int, spans: Any, rows: Any, values: Any) -> Any:

        first, last = spans[:, 0], spans[:, 1]
        tops = self._tops.setdefault(col, np.full(len(spans), None, dtype=object))
        at = np.searchsorted(rows, first)
        here = at < len(rows)
        here[here] = rows[at[here]] == first[here]
        if here.any():  # top-left cells in this part: keep their values for the rows below
            tops[here] = values.iloc[at[here]].to_numpy(dtype=object, na_value=None)
        inside = np.searchsorted(first, rows, side="left") - 1  # the last range above each row
        covered = (inside >= 0) & (rows <= last[np.maximum(inside, 0)])
        todo = np.flatnonzero(covered & values.isna().to_numpy())
        if not len(todo):
            return values
        fill = tops[inside[todo]]
        known = ~pd.isna(fill)
        if not known.any():
            return values
        out = values.copy()
        out.iloc[todo[known]] = pd.array(fill[known], dtype=values.dtype)
        return out

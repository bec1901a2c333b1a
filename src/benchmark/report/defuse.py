"""Formula injection defused: text from the input that a spreadsheet would run as a formula.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is executed by
Excel and LibreOffice when a CSV or xlsx report is opened; such text gets a leading ``'``.
Plain numbers written as text (``-25``) are data, not formulas, and are left alone. One
definition, used cell by cell (:func:`defuse`), on a frame (:func:`defuse_frame`) and column
by column on an Arrow table (:func:`defuse_table`, Arrow's own kernels, RE2).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: The first characters that make a cell a formula.
FORMULA_FIRST: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: A plain number (with thousands commas): written the same for Python's re and Arrow's RE2.
PLAIN_NUMBER = r"^[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?$"
_PLAIN = re.compile(PLAIN_NUMBER)
#: Result columns whose text comes from the catalogue or the grader, never from the input.
GENERATED_TEXT = frozenset(
    {
        "area",
        "category",
        "unit",
        "level_status",
        "tier",
        "saving_unit",
        "deadline",
        "deadline_status",
    }
)


def defuse(text: Any) -> Any:
    """``text`` with a leading quote if a spreadsheet would run it as a formula."""
    if isinstance(text, str) and text[:1] in FORMULA_FIRST and not _PLAIN.match(text):
        return "'" + text
    return text


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are defused (for CSV and xlsx outputs)."""
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_string_dtype(col.dtype) or col.dtype == object:
            first = col.astype("string").str.slice(0, 1)
            mask = first.isin(FORMULA_FIRST).fillna(False)
            if mask.any():
                out[name] = col.astype(object).where(~mask, col[mask].map(defuse))
    return out


def defuse_table(table: Any) -> Any:
    """:func:`defuse` for every input text column of an Arrow table, column-wise."""
    for i, column_field in enumerate(table.schema):
        kind = column_field.type
        if column_field.name in GENERATED_TEXT or not (
            pa.types.is_string(kind) or pa.types.is_large_string(kind)
        ):
            continue
        column = table.column(i)
        first = pc.utf8_slice_codeunits(column, 0, 1)
        starts = pc.is_in(first, value_set=pa.array(FORMULA_FIRST, kind))
        if not pc.any(starts).as_py():
            continue
        risky = pc.and_(starts, pc.invert(pc.match_substring_regex(column, PLAIN_NUMBER)))
        if pc.any(risky).as_py():
            quote, empty = pa.scalar("'", kind), pa.scalar("", kind)
            quoted = pc.binary_join_element_wise(quote, column, empty)
            table = table.set_column(i, column_field, pc.if_else(risky, quoted, column))
    return table

"""Cells as people type them: text cleaned of what could rewrite a terminal, numbers parsed
leniently but never guessed at, and a cell's text quoted safely in a message."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
_SEPARATORS = re.compile(r"[\s,'_\u00a0\u2009\u202f]")
# Patterns as strings, not compiled: pandas then runs them in Arrow (RE2), not per cell in Python.
_UNSAFE_TEXT = "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\u202a-\u202e\u2066-\u2069]"
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_UNSAFE_IN_MESSAGE = re.compile("[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def parse_numbers(column: pd.Series) -> tuple[pd.Series, np.ndarray[Any, Any]]:
    """Parse a column of numbers typed by people; return floats and a mask of bad cells.

    Accepts thousands separators, full-width digits and surrounding spaces. Text that is not
    a finite number (including "NaN", "inf", "1e999") is bad, never zero. Plain numbers are
    cast by Arrow in one pass; only the few cells left over go through the lenient parser.
    """
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        numbers = column.astype("float64")
        bad = ~np.isfinite(numbers.to_numpy()) & numbers.notna().to_numpy()
        return numbers.where(~bad), bad
    text = arrow_strings(column)
    trimmed = pc.utf8_trim_whitespace(text)
    present = pc.fill_null(pc.not_equal(trimmed, ""), False)
    plain = pc.fill_null(pc.match_substring_regex(trimmed, _PLAIN_NUMBER), False)
    cast = pc.cast(pc.if_else(plain, trimmed, pa.scalar(None, pa.string())), pa.float64())
    values = cast.to_numpy(zero_copy_only=False).astype("float64", copy=True)
    todo = np.asarray(pc.and_(present, pc.invert(plain)).to_numpy(zero_copy_only=False), dtype=bool)
    if todo.any():
        rest = pd.Series(trimmed.filter(pa.array(todo)).to_pylist(), dtype="object")
        cleaned = [_SEPARATORS.sub("", str(v).translate(_FULLWIDTH)) for v in rest]
        values[todo] = pd.to_numeric(pd.Series(cleaned, dtype="object"), errors="coerce").to_numpy(
            dtype="float64"
        )
    bad = np.asarray(present.to_numpy(zero_copy_only=False), dtype=bool) & ~np.isfinite(values)
    values[bad] = np.nan
    return pd.Series(values, index=column.index), bad


def arrow_strings(column: pd.Series) -> Any:
    """The column as an Arrow string array (no copy when it already is one)."""
    series = column if column.dtype == "string[pyarrow]" else column.astype("string[pyarrow]")
    arr = pa.array(series.array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def clean_text(column: pd.Series) -> pd.Series:
    """Strip spaces and characters that could rewrite a terminal (controls, bidi overrides)."""
    text = arrow_strings(column)
    if pc.any(pc.match_substring_regex(text, _UNSAFE_TEXT)).as_py():  # rare: scan, then copy
        text = pc.replace_substring_regex(text, _UNSAFE_TEXT, "")
    text = pc.utf8_trim_whitespace(text)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)
    return pd.Series(pd.arrays.ArrowStringArray(text), index=column.index)


def quote(value: Any) -> str:
    """A cell's text for a message: JSON-quoted, invisible and bidi characters escaped."""
    text = json.dumps(str(value), ensure_ascii=False)
    text = _UNSAFE_IN_MESSAGE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text if len(text) <= 60 else text[:56] + '…"'

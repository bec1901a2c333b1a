"""The text of a number cell, exactly: what calamine shows where that is exact, the shortest
round-trip form where it is not.

fastexcel turns a number cell into text with Rust's ``format!("{x:.9}")`` and trims the zeros
(``excel_float_to_string``): 98.5 reads as "98.5", but 117.0000000001 as "117" and 1e-10 as
"0" — a figure a hair above a level would grade better from a workbook than from a CSV. Every
reader of a number cell therefore goes through :func:`number_text`, which keeps calamine's text
wherever it reads back as the same double (so nothing changes for the numbers people type) and
gives the shortest text that does otherwise; :func:`exact_texts` repairs a column read as text
from the same column read as numbers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Below this magnitude the 9-decimal grid is finer than half a double's spacing, so calamine's
#: text of a double whose shortest form has at most nine decimals is that shortest form.
_GRID_EXACT_BELOW = 8_000_000.0
#: Arrow writes a double with an exponent below this magnitude (and from 1e16 up).
_POSITIONAL_FROM = 1e-4
#: What calamine's text of a number cell looks like (a finite double, nine decimals at most).
_CALAMINE_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"


def calamine_text(x: float) -> str:
    """The text fastexcel gives a number cell holding ``x`` (``format!("{x:.9}")``, trimmed)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.9f}".rstrip("0").rstrip(".")


def _exact_text(x: float) -> str:
    """calamine's text where it reads back as ``x``, else the shortest text that does."""
    text = calamine_text(x)
    if not math.isfinite(x) or float(text) == x:
        return text
    return repr(x)


def number_text(values: Any) -> Any:
    """An Arrow string array of the exact text of each double (nulls stay null).

    Arrow's shortest form is calamine's text for ordinary figures (no exponent, below 8
    million, at most nine decimals) and the exact text for longer decimals; the few others
    (an exponent, a large figure with a fraction, NaN) are formatted one by one.
    """

    values = pa.array(values, type=pa.float64())
    text = pc.cast(values, pa.string())
    size = pc.abs(values)
    odd = pc.or_(
        pc.invert(pc.is_finite(values)),
        pc.or_(
            pc.match_substring(text, "e"),
            pc.or_(
                pc.and_(
                    pc.greater_equal(size, _GRID_EXACT_BELOW),
                    pc.not_equal(pc.floor(values), values),
                ),
                pc.and_(pc.less(size, _POSITIONAL_FROM), pc.not_equal(values, 0.0)),
            ),
        ),
    )
    odd = pc.fill_null(odd, False)
    if not pc.any(odd).as_py():
        return text
    at = np.flatnonzero(odd.to_numpy(zero_copy_only=False))
    fixed = pa.array(
        [_exact_text(x) for x in values.take(pa.array(at)).to_pylist()], type=pa.string()
    )
    return pc.replace_with_mask(text, odd, fixed)


def python_text(values: Any) -> Any:
    """Each double as Python's ``str`` writes it — ``388.0``, ``1e-05``, ``1e+16``,
    ``inf`` — made by Arrow, null for NaN and missing values: what pandas' ``astype("string")``
    gives, which formats every value in Python, thirty times slower.

    Arrow prints the same shortest round-trip digits as Python; it differs in where it switches
    to an exponent, in the exponent's digits and in the ``.0`` of whole numbers. The first is
    left to Python itself for the rare values concerned; the others are two string kernels
    over the few rows that need them (substring tests find them: a memchr each).
    """

    values = pa.array(values, type=pa.float64())
    values = pc.if_else(
        pc.fill_null(pc.is_nan(values), True), pa.scalar(None, pa.float64()), values
    )
    text = pc.cast(values, pa.string())
    finite = pc.fill_null(pc.is_finite(values), False)
    has_exponent = pc.fill_null(pc.match_substring(text, "e"), False)
    if pc.any(has_exponent).as_py():  # e-7 → e-07
        padded = pc.replace_substring_regex(text.filter(has_exponent), r"e([+-])(\d)$", r"e\10\2")
        text = pc.replace_with_mask(text, has_exponent, padded)
    whole = pc.and_(finite, pc.invert(pc.or_(pc.match_substring(text, "."), has_exponent)))
    text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)
    size = pc.abs(values)
    wants_exponent = pc.or_(
        pc.greater_equal(size, 1e16), pc.and_(pc.less(size, 1e-4), pc.not_equal(size, 0.0))
    )
    odd = pc.fill_null(pc.and_(finite, pc.not_equal(wants_exponent, has_exponent)), False)
    at = np.flatnonzero(odd.to_numpy(zero_copy_only=False))
    if len(at):  # only the values Arrow writes otherwise
        fixed = [repr(x) for x in values.take(pa.array(at)).to_pylist()]
        text = pc.replace_with_mask(text, odd, pa.array(fixed, pa.string()))
    return text


def exact_texts(text: Any, numbers: Any) -> Any:
    """A column read as text (``text``) with each number cell's text made exact, given the
    same column read as numbers (``numbers``).

    A number cell's text is replaced where it does not read back as its double; every other
    cell — text, a date, a boolean, an error, or a number calamine showed exactly — is kept.
    A text cell that reads as a number reads as the same double both ways, so it is kept too.
    """

    text = pa.array(text, type=pa.string())
    numbers = pa.array(numbers, type=pa.float64())
    plain = pc.fill_null(pc.match_substring_regex(text, _CALAMINE_NUMBER), False)
    parsed = pc.cast(pc.if_else(plain, text, pa.scalar(None, pa.string())), pa.float64())
    lossy = pc.fill_null(pc.and_(pc.is_finite(numbers), pc.not_equal(parsed, numbers)), False)
    if not pc.any(lossy).as_py():
        return text
    return pc.replace_with_mask(text, lossy, number_text(numbers.filter(lossy)))


def cell_texts(column: Any) -> Any:
    """A table column as the text of each cell (a pandas string Series): a text column as it
    is, and a column read as numbers with the exact text of each (a blank stays blank).

    This is what outputs echo as the value a person entered (``input_value``): the same text
    whether the column was read as text or as numbers.
    """

    if pd.api.types.is_float_dtype(column.dtype):
        text = number_text(pa.array(column.to_numpy(dtype="float64"), from_pandas=True))
        return pd.Series(pd.arrays.ArrowStringArray(text), index=column.index)
    texts = column.astype("string[pyarrow]")
    if column.dtype == object:  # the parts of a sheet, some read as numbers, concatenated
        values = column.to_numpy(dtype=object)
        floats = np.frompyfunc(lambda v: isinstance(v, float) and v == v, 1, 1)(values)
        floats = floats.astype(bool)
        if floats.any():
            exact = number_text(pa.array(values[floats].astype("float64")))
            texts[floats] = exact.to_pylist()
    return texts

"""Integer codes for working on distinct values instead of rows.

Input columns hold few distinct values (25 areas, a handful of units) over up to millions of
rows, so each check looks a value up once and spreads the answer with integer codes — never a
Python loop over rows, never a million-string concatenation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from benchmark._parallel import parallel_map

IntArray = np.ndarray[Any, np.dtype[np.int64]]


def factorize(values: Any) -> tuple[IntArray, Any]:
    """Integer codes per row (-1 for missing) and the distinct values (an array-like)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), uniques


def combine(*codes: np.ndarray[Any, Any]) -> tuple[IntArray, IntArray]:
    """Ids of distinct tuples of codes: an id per row, and the first row of each id.

    Ids are numbered in order of first appearance. The key is renumbered whenever the next
    column could overflow it, so any number of distinct values is safe; hashing
    (``pandas.factorize``) keeps it linear.
    """
    key = np.zeros(len(codes[0]), dtype=np.int64)
    bound = 1  # key < bound
    for c in codes:
        radix = int(c.max(initial=-1)) + 2
        if bound * radix >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
            bound = int(key.max(initial=0)) + 1
        key = key * radix + (np.asarray(c, dtype=np.int64) + 1)
        bound *= radix
    ids = pd.factorize(key)[0].astype(np.int64)
    return ids, np.flatnonzero(first_appearances(ids))


def first_appearances(ids: IntArray) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Where an id appears for the first time (a mask over the rows).

    The ids must be numbered in order of first appearance, as ``pandas.factorize`` numbers
    them: then an id is new exactly where the running maximum grows.
    """
    new = np.maximum(ids, -1)
    peak = np.maximum.accumulate(np.concatenate(([-1], new)))
    first: np.ndarray[Any, np.dtype[np.bool_]] = new > peak[:-1]
    return first


def lookup(
    table: list[Any], codes: np.ndarray[Any, Any], missing: Any = None
) -> np.ndarray[Any, Any]:
    """``table[code]`` for every row, ``missing`` where the code is -1."""
    values = [*table, missing]
    numeric = all(isinstance(v, (bool, int, float, np.number)) for v in values)
    arr = np.array(values) if numeric else np.array(values, dtype=object)
    return arr[np.where(codes < 0, len(table), codes)]


def take_strings(values: list[Any], codes: np.ndarray[Any, Any]) -> pd.Series:
    """A string column from distinct values and codes (-1 → missing), built by Arrow."""
    dictionary = pa.array([*values, None], type=pa.string())
    idx = np.where(codes < 0, len(values), codes).astype(np.int64)
    return pd.Series(pd.arrays.ArrowStringArray(dictionary.take(pa.array(idx))))


def filter_rows(frame: pd.DataFrame, keep: np.ndarray[Any, Any]) -> pd.DataFrame:
    """The rows of ``frame`` where ``keep`` is true, a column per thread; Arrow-backed text
    columns are filtered by Arrow itself, without a round trip through row positions."""
    mask = pa.array(keep, type=pa.bool_())

    def one(name: Any) -> Any:
        column = frame[name]
        if column.dtype == "string[pyarrow]":
            kept = pc.filter(pa.array(column.array), mask)
            if isinstance(kept, pa.ChunkedArray):
                kept = kept.combine_chunks()
            return pd.arrays.ArrowStringArray(kept)
        return column.array[keep]

    columns = list(frame.columns)
    return pd.DataFrame(dict(zip(columns, parallel_map(one, columns), strict=True)))

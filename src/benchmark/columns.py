"""Column helpers for working on distinct values instead of rows.

Input columns hold few distinct values (25 areas, a handful of units) over up to millions of
rows, so each check looks a value up once and spreads the answer with integer codes — never a
Python loop over rows, never a million-string concatenation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from benchmark.parallel import parallel_map

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def factorize(values: Any) -> tuple[np.ndarray[Any, Any], Any]:
    """Integer codes per row (-1 for missing) and the distinct values (an array-like)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), uniques


def combine(*codes: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Ids of distinct tuples of codes: an id per row, and the first row of each id.

    Ids are numbered in order of first appearance. The key is renumbered whenever the next
    column could overflow it, so any number of distinct values is safe; hashing
    (``pandas.factorize``) keeps it linear.
    """
    import numpy as np
    import pandas as pd

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


def first_appearances(ids: np.ndarray[Any, Any], start: int = 0) -> np.ndarray[Any, Any]:
    """Where an id of at least ``start`` appears for the first time (a mask over the rows).

    The ids from ``start`` on must be numbered in order of first appearance, as
    ``pandas.factorize`` and :class:`Numbering` number them: then an id is new exactly where
    the running maximum grows. Ids under ``start`` (met in earlier calls) are never first.
    """
    import numpy as np

    floor = np.int64(start - 1)
    new = np.maximum(ids, floor)
    peak = np.maximum.accumulate(np.concatenate(([floor], new)))
    first: np.ndarray[Any, Any] = new > peak[:-1]
    return first


class Numbering:
    """Ids for values met over several calls, the same in every call: first met, first numbered.

    A table checked a piece at a time gets the same id for the same value in every piece, so
    keys built from ids compare exactly across pieces. Distinct values are kept in a pandas
    index (ids, packed keys); :class:`TextNumbering` keeps texts.
    """

    def __init__(self) -> None:
        self._index: pd.Index | None = None

    def ids(self, values: Any) -> np.ndarray[Any, Any]:
        """An id per row (-1 for missing); new values are numbered in order of appearance."""
        import numpy as np
        import pandas as pd

        codes, uniques = factorize(values)
        if self._index is None:
            self._index = pd.Index(uniques)
            return codes
        known = np.asarray(self._index.get_indexer(uniques), dtype=np.int64)
        new = known < 0
        if new.any():
            start = len(self._index)
            known[new] = np.arange(start, start + int(new.sum()))
            self._index = self._index.append(pd.Index(uniques[new]))
        return _spread(known, codes)


class TextNumbering:
    """:class:`Numbering` for text, ignoring case: each distinct text is lowered once.

    The first call numbers with Arrow alone; the dict that later calls need is built only
    when a second call comes (a table read whole makes just one).
    """

    def __init__(self) -> None:
        self._first: Any = None  # the distinct lowered texts of the first call, in id order
        self._ids: dict[str, int] = {}

    def ids(self, values: Any) -> np.ndarray[Any, Any]:
        import numpy as np
        import pandas as pd

        codes, uniques = factorize(values)
        lowered = pd.Series(uniques, dtype="string[pyarrow]").str.lower()
        if self._first is None and not self._ids:
            known, self._first = factorize(lowered)
            return _spread(known, codes)
        if self._first is not None:
            self._ids = dict(zip(self._first.tolist(), range(len(self._first)), strict=True))
            self._first = None
        seen = self._ids
        known = np.fromiter((seen.setdefault(u, len(seen)) for u in lowered.tolist()),
                            dtype=np.int64, count=len(lowered))
        return _spread(known, codes)


def _spread(ids: np.ndarray[Any, Any], codes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``ids[code]`` for every row, -1 where the code is -1."""
    import numpy as np

    if not len(ids):
        return codes
    return np.where(codes < 0, -1, ids[np.maximum(codes, 0)])


def pair(first: np.ndarray[Any, Any], second: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """One exact number for each pair of ids (each at least -1 and under 2**32 - 1)."""
    import numpy as np

    high = (first + 1).astype(np.uint64) << np.uint64(32)
    paired: np.ndarray[Any, Any] = high | (second + 1).astype(np.uint64)
    return paired


def lookup(table: list[Any], codes: np.ndarray[Any, Any], missing: Any = None
           ) -> np.ndarray[Any, Any]:
    """``table[code]`` for every row, ``missing`` where the code is -1."""
    import numpy as np

    values = [*table, missing]
    numeric = all(isinstance(v, (bool, int, float, np.number)) for v in values)
    arr = np.array(values) if numeric else np.array(values, dtype=object)
    return arr[np.where(codes < 0, len(table), codes)]


def take_strings(values: list[Any], codes: np.ndarray[Any, Any]) -> pd.Series:
    """A string column from distinct values and codes (-1 → missing), built by Arrow."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    dictionary = pa.array([*values, None], type=pa.string())
    idx = np.where(codes < 0, len(values), codes).astype(np.int64)
    return pd.Series(pd.arrays.ArrowStringArray(dictionary.take(pa.array(idx))))


def filter_rows(frame: pd.DataFrame, keep: np.ndarray[Any, Any]) -> pd.DataFrame:
    """The rows of ``frame`` where ``keep`` is true, a column per thread; Arrow-backed text
    columns are filtered by Arrow itself, without a round trip through row positions."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

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

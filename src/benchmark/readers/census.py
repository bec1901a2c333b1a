"""What kinds of cell each column of a sheet holds, taken from the raw XML as the guard scans it.

calamine can read a column two ways, and neither is exact on its own. Read as text, a number
cell comes out rounded to nine decimals (``117.0000000001`` reads as ``117``, ``1e-10`` as
``0``); read as numbers, a TRUE cell becomes 1.0 and the text "NaN" becomes NaN without a word.
The sheet's XML says which is safe: a cell's ``t`` attribute gives its kind (none or ``n``: a
number; ``s``, ``str``, ``inlineStr``: text; ``b``: a boolean; ``e``: an error; ``d``: a date),
and a number's own digits say whether nine decimals hold it. :class:`ColumnCensus` records, for
each stretch of the XML the guard scanned, which columns held anything but numbers, booleans,
or numbers that nine decimals would not hold; :meth:`ColumnCensus.kinds` answers for any byte
range — a whole sheet, or one piece of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ColumnKinds:
    """What a stretch of a sheet holds, by Excel column (0-based).

    ``not_numbers``: a cell that is no number (text, boolean, error, ISO date, or a kind no
    program writes); ``booleans``: a TRUE/FALSE cell; ``long_numbers``: a number written with
    more than nine decimals or with an exponent, which calamine's text would round. When
    ``known`` is False the XML could not be scanned (unusual markup) and nothing is known:
    every column must be treated as holding everything. ``width`` is the number of columns
    the sheet had at the time (its widest row so far).
    """

    not_numbers: frozenset[int] = frozenset()
    booleans: frozenset[int] = frozenset()
    long_numbers: frozenset[int] = frozenset()
    known: bool = True
    width: int = 0

    def numbers_only(self, column: int) -> bool:
        """Whether the column holds nothing but numbers (and blanks) here."""
        return self.known and column not in self.not_numbers

    def may_be_long(self, column: int) -> bool:
        """Whether a number of this column may need more than nine decimals."""
        return not self.known or column in self.long_numbers

    def may_be_boolean(self, column: int) -> bool:
        """Whether the column may hold a boolean cell here."""
        return not self.known or column in self.booleans


#: Nothing known: every column may hold anything.
UNKNOWN = ColumnKinds(known=False)
#: Cells of the first rows noted one by one; more means rows repeated without end.
_MAX_TOP_CELLS = 200_000


class ColumnCensus:
    """The kinds of cell of each column, recorded stretch by stretch as the XML is scanned.

    Fed by :class:`~benchmark.readers.extent.Extent`; a stretch is the part of a chunk scanned
    at once, so the answer for a byte range is the union over the stretches it overlaps: never
    less than the range holds, at most a chunk more.
    """

    def __init__(self) -> None:
        self._stretches: list[tuple[int, int, Any, Any, Any]] = []
        self._top: list[tuple[int, int, int, int]] = []  # kind, offset, column, row
        self._known = True
        #: Columns of the sheet so far (the largest 1-based column seen).
        self.width = 0

    def note(self, start: int, end: int, not_numbers: Any, booleans: Any, long_numbers: Any
             ) -> None:
        """Record the columns (arrays of 0-based indices) seen in bytes ``start:end``, in rows
        below the first :data:`~benchmark.readers.extent.TOP_ROWS`."""
        if len(not_numbers) or len(booleans) or len(long_numbers):
            self._stretches.append((start, end, not_numbers, booleans, long_numbers))

    def note_top(self, kind: int, offsets: Any, columns: Any, rows: Any) -> None:
        """Record cells of the first rows one by one: ``kind`` 0 for not-a-number cells, 1 for
        booleans, 2 for long numbers. The header row is among them, and a stretch that holds
        it must not make the data rows below look like text."""
        self._top.extend((kind, o, c, r) for o, c, r in zip(offsets.tolist(), columns.tolist(),
                                                             rows.tolist(), strict=True))
        if len(self._top) > _MAX_TOP_CELLS:  # rows repeated without end: a crafted file
            self.forget()

    def forget(self) -> None:
        """The scan gave up on unusual XML: nothing is known any more."""
        self._known = False
        self._stretches.clear()
        self._top.clear()

    def kinds(self, start: int = 0, end: int | None = None) -> ColumnKinds:
        """What bytes ``start:end`` of the sheet hold (the whole sheet by default)."""
        if not self._known:
            return UNKNOWN
        stop = end if end is not None else 1 << 62
        found: tuple[set[int], set[int], set[int]] = (set(), set(), set())
        for lo, hi, *columns in self._stretches:
            if hi > start and lo < stop:
                for into, cols in zip(found, columns, strict=True):
                    into.update(cols.tolist())
        for kind, offset, column, _row in self._top:
            if start <= offset < stop:
                found[kind].add(column)
        return ColumnKinds(frozenset(found[0]), frozenset(found[1]), frozenset(found[2]),
                           width=self.width)

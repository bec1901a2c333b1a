"""What kinds of cell each column of a sheet holds, taken from the raw XML as the guard scans it.

calamine can read a column two ways, and neither is exact on its own. Read as text, a number
cell comes out rounded to nine decimals (``117.0000000001`` reads as ``117``, ``1e-10`` as
``0``); read as numbers, a TRUE cell becomes 1.0 and the text "NaN" becomes NaN without a word.
The sheet's XML says which is safe: a cell's ``t`` attribute gives its kind (none or ``n``: a
number; ``s``, ``str``, ``inlineStr``: text; ``b``: a boolean; ``e``: an error; ``d``: a date),
and a number's own digits say whether nine decimals hold it. :class:`ColumnCensus` records, for
each stretch of the XML the guard scanned, which columns held anything but numbers, booleans,
or numbers that nine decimals would not hold; :meth:`ColumnCensus.kinds` answers for any byte
range — a whole sheet, or one piece of it. The cells of the first rows, where the header is,
are noted one by one, so that the header's text does not make the number columns below it
look like text. The same scan collects the sheet's merged ranges (``<mergeCell>``).

The scan is numpy over the chunk the guard holds anyway: about a millisecond a megabyte of XML
on top of the extent scan, a third of a second for a million rows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np


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
#: Merged ranges kept for a sheet (Excel itself slows to a crawl long before).
_MAX_MERGES = 1_000_000
_RANGE = re.compile(rb"\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?([0-9]{1,7})")


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
        self._last_key = 0  # key (column, top row) of the last cell scanned; 0: none yet
        #: Columns of the sheet so far (the largest 1-based column seen).
        self.width = 0
        #: Merged ranges (``<mergeCell ref="B4:B7"/>``) as (first row, first column, last row,
        #: last column): rows as Excel numbers them, columns 0-based.
        self.merged: list[tuple[int, int, int, int]] = []

    def scan(
        self,
        buf: bytes,
        a: Any,
        eq: Any,
        before: Any,
        rsel: Any,
        keys: Any,
        lo: int,
        hi: int,
        base: int,
    ) -> None:
        """Note the kinds of cell in ``buf[lo:hi]`` (at offset ``base`` of the part), as
        :class:`~benchmark.readers.extent.Extent` scans it.

        ``a`` is ``buf`` as bytes, ``eq`` the positions of every "=" and ``before`` the byte
        before each; ``rsel`` the indices among them of the cells' references and ``keys``
        their columns (1-based, with the row shifted left 16 bits if among the first rows). A
        ``t="…"`` belongs to the last cell opened before it (r is always the first attribute
        here); so do a number's digits.
        """

        carry = np.int64(self._last_key)
        tsel = np.flatnonzero(before == 116)
        tsel = tsel[a[eq[tsel] - 2] <= 32]  # " t=": the attribute t
        opened = np.zeros(len(eq), dtype=np.int32)
        opened[rsel] = 1
        owner = np.cumsum(opened)[tsel] - 1  # the cell each t= belongs to
        k1, k2 = a[eq[tsel] + 2], a[eq[tsel] + 3]
        closed = (k2 == 34) | (k2 == 39)
        number = (k1 == 110) & closed  # t="n"
        formula = (
            ((k1 == 115) & (k2 == 104))
            | ((k1 == 97) & (k2 == 114))  # shared, array
            | ((k1 == 110) & (k2 == 111))
            | ((k1 == 100) & (k2 == 97))
        )  # normal, dataTable
        other, boolean = ~number & ~formula, (k1 == 98) & closed
        of_t = _owners(owner, keys, carry)
        long_at = _long_numbers(buf, a, lo, hi)
        of_long = _owners(np.searchsorted(eq[rsel], long_at) - 1, keys, carry)
        found = (
            (of_t[other], eq[tsel][other]),
            (of_t[boolean], eq[tsel][boolean]),
            (of_long, long_at),
        )
        self.note(base + lo, base + hi, *(_columns(k[k < 1 << 16]) for k, _at in found))
        for kind, (k, at) in enumerate(found):
            top = k >= 1 << 16
            if top.any():  # a cell in the first rows: where a header may be, noted one by one
                self.note_top(kind, at[top] + base, (k[top] & 0xFFFF) - 1, k[top] >> 16)
        if len(keys):
            self._last_key = int(keys[-1])
        refs = eq[before == 102]  # "…f=": rare in cells (shared formulas), then merges
        self._merges(buf, refs[(a[refs - 2] == 101) & (a[refs - 3] == 114) & (a[refs - 4] <= 32)])

    def _merges(self, buf: bytes, refs: Any) -> None:
        """Note the merged ranges among the ``ref="…"`` attributes at ``refs`` (few: those of
        ``<mergeCell>``, shared formulas, auto-filters…)."""
        if len(self.merged) >= _MAX_MERGES:
            return
        for at in refs.tolist():
            if buf[at - 14 : at - 4] != b"<mergeCell" and buf[at - 14 : at - 4] != b":mergeCell":
                continue
            quote = buf[at + 1 : at + 2]
            end = buf.find(quote, at + 2, at + 40)
            m = _RANGE.fullmatch(buf[at + 2 : end]) if end > 0 else None
            if m is None or len(self.merged) >= _MAX_MERGES:
                continue
            first, last = int(m.group(2)), int(m.group(4))
            self.merged.append((first, _column(m.group(1)), last, _column(m.group(3))))

    def note(
        self, start: int, end: int, not_numbers: Any, booleans: Any, long_numbers: Any
    ) -> None:
        """Record the columns (arrays of 0-based indices) seen in bytes ``start:end``, in rows
        below the first :data:`~benchmark.readers.extent.TOP_ROWS`."""
        if len(not_numbers) or len(booleans) or len(long_numbers):
            self._stretches.append((start, end, not_numbers, booleans, long_numbers))

    def note_top(self, kind: int, offsets: Any, columns: Any, rows: Any) -> None:
        """Record cells of the first rows one by one: ``kind`` 0 for not-a-number cells, 1 for
        booleans, 2 for long numbers. The header row is among them, and a stretch that holds
        it must not make the data rows below look like text."""
        self._top.extend(
            (kind, o, c, r)
            for o, c, r in zip(offsets.tolist(), columns.tolist(), rows.tolist(), strict=True)
        )
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
        return ColumnKinds(
            frozenset(found[0]), frozenset(found[1]), frozenset(found[2]), width=self.width
        )


def _column(letters: bytes) -> int:
    """0-based column of Excel letters (A → 0, AA → 26)."""
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col - 1


def _owners(owner: Any, keys: Any, carry: Any) -> Any:
    """The key of each owning cell (an index into ``keys``; -1: the last cell before)."""

    if not len(keys):
        return np.full(len(owner), carry, dtype=np.int64)
    return np.where(owner >= 0, keys[np.maximum(owner, 0)], carry)


def _columns(keys: Any) -> Any:
    """Distinct 0-based columns of 1-based ones (0, no cell yet, dropped)."""

    if not len(keys):
        return keys
    seen = np.zeros(int(keys.max()) + 1, dtype=bool)
    seen[keys] = True
    seen[0] = False
    return np.flatnonzero(seen) - 1


@functools.cache
def _swar() -> tuple[Any, Any, Any, Any]:
    """Constants to test eight bytes at once for being digits."""

    def word(text: bytes) -> Any:
        return np.uint64(int.from_bytes(text, "little"))

    return word(b"0" * 8), word(b"\x7f" * 8), word(b"\x76" * 8), word(b"\x80" * 8)


def _digit(x: Any) -> Any:
    return (x >= 48) & (x <= 57)


def _long_numbers(buf: bytes, a: Any, lo: int, hi: int) -> Any:
    """Positions in ``a[lo:hi]`` of cell values (``<v>…</v>``) that nine decimals would not
    hold exactly: a "." followed by ten digits, or a negative exponent (``1E-10``; a positive
    one makes a number of ten digits or more before the point, which nine decimals hold)."""

    x30, l7f, s76, h80 = _swar()
    seg = a[lo:hi]
    found = []
    if buf.find(b".", lo, hi) >= 0:
        dots = np.flatnonzero(seg == 46) + lo
        w8 = np.ndarray((len(a) - 7,), dtype="<u8", buffer=a, strides=(1,))
        x = w8[dots + 1] ^ x30
        dots = dots[((((x & l7f) + s76) | x) & h80) == 0]  # "." and eight digits
        found.append(dots[_digit(a[dots + 9]) & _digit(a[dots + 10])])
    if buf.find(b"-", lo, hi) >= 0:
        minus = np.flatnonzero(seg == 45) + lo
        e = a[minus - 1]
        found.append(minus[((e == 69) | (e == 101)) & _digit(a[minus - 2])])
    at = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    if not len(at):
        return at
    # Only a cell's value: walk back over the number to what precedes it, which must be <v>.
    start, going = at.copy(), np.ones(len(at), dtype=bool)
    for _ in range(32):
        before = a[np.maximum(start - 1, 0)]
        going &= (
            _digit(before)
            | (before == 46)
            | (before == 45)
            | (before == 43)
            | (before == 69)
            | (before == 101)
        )
        if not going.any():
            break
        start -= going
    start = np.maximum(start, 3)
    return at[(a[start - 1] == 62) & (a[start - 2] == 118) & (a[start - 3] == 60)]

"""The extent of a worksheet — the bounding box of its cells — measured from its raw XML.

calamine allocates one 32-byte slot for every cell of a sheet's bounding box, so two cells at A1
and XFD1048576 in a 2 KB file abort the process asking for 512 GB. The guard
(:mod:`benchmark.readers.guard`) therefore measures every sheet before calamine sees it, while it
inflates the sheet anyway: :class:`Extent` scans the XML in chunks with numpy at a few hundred
MB/s, and XML it cannot vouch for is measured again by :func:`exact_extent`, which follows every
tag as calamine does. :func:`extent_refusal` says whether a box may be loaded.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from benchmark.i18n import Msg
from benchmark.readers.census import ColumnCensus
from benchmark.readers.limits import (
    EXCEL_MAX_ROWS,
    MAX_CELLS_ENV,
    MAX_COLUMNS,
    Refusal,
    Refused,
    max_cells,
    over_limit,
)

__all__ = ["MAX_TAG_BYTES", "TOP_ROWS", "Extent", "exact_extent", "extent_refusal"]

#: The census notes the cells of the first rows one by one: the header is among them (it is
#: searched for in the first 20 rows) with the row under it, which may state its units
#: (:mod:`benchmark.readers.unitrow`), and the kinds of cell below must include neither. The
#: first piece of a split sheet holds these rows.
TOP_ROWS = 21


@functools.cache
def _byte_tables() -> dict[str, Any]:

    def table(chars: bytes) -> Any:
        t = np.zeros(256, dtype=bool)
        t[list(chars)] = True
        return t

    letters = bytes(range(65, 91)) + bytes(range(97, 123))
    value = np.zeros(256, dtype=np.int64)
    for i in range(26):
        value[65 + i] = value[97 + i] = i + 1

    def word(text: bytes) -> Any:
        return np.uint64(int.from_bytes(text, "little"))

    return {
        "delim": table(b" \t\r\n/>"),
        "letter": table(letters),
        "value": value,
        "cell": word(b"<c r="),
        "pcell": word(b":c r="),
        "row": word(b"<row r="),
        "prow": word(b":row r="),
        "m40": word(b"\xff" * 5),
        "m56": word(b"\xff" * 7),
        "x30": word(b"0" * 8),
        "l7f": word(b"\x7f" * 8),
        "s76": word(b"\x76" * 8),
        "h80": word(b"\x80" * 8),
    }


class Extent:
    """The bounding box of a sheet's cells, from its raw XML, fed in chunks, without parsing it.

    Sound for the XML every spreadsheet program writes — each ``<c>`` opening with ``r="A1"``,
    no spaces around ``=`` — and cheap: a few byte comparisons and gathers per chunk, a small
    part of what calamine itself takes (``benchmarks/README.md``).
    Anything else (cells without ``r``, a second ``r``, spaces around ``=``, prefixed tags,
    leading zeros) sets ``odd`` and the caller rescans the part exactly with
    :func:`exact_extent`.
    """

    _AHEAD = 24
    _BEHIND = 8
    #: Bytes kept before the next scan: enough to see a number's ``<v>`` before its digits.
    _KEEP = 48

    def __init__(self, census: ColumnCensus | None = None) -> None:
        self.census = census
        self.max_row = 0
        self.max_col = 0
        self.odd = False
        self._carry = b""
        self._lo = self._BEHIND
        self._cells = 0
        self._cell_refs = 0
        self._fed = 0  # bytes of the part fed so far
        #: Bytes of the part from its start that have been scanned (the scan holds back a few
        #: bytes of each chunk, to see a reference cut by the chunk boundary whole).
        self.scanned = 0

    @property
    def cells(self) -> int:
        """Cells seen (each opening with its reference, unless ``odd``)."""
        return self._cell_refs

    def vouches(self) -> bool:
        """Whether the XML scanned so far may be handed to calamine: plain, every cell with its
        reference, and within every limit. (A cell whose reference lies in the next chunk
        makes this False for a moment, which only delays a piece.)"""
        return (
            not self.odd
            and self._cells == self._cell_refs
            and extent_refusal(self.max_row, self.max_col, self._cell_refs) is None
        )

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Scan the next piece of the part (``final`` for the last, possibly empty, piece)."""
        if self.odd:
            return
        buf = self._carry + chunk
        base = self._fed - len(self._carry)  # offset of buf[0] in the part
        self._fed += len(chunk)
        hi = len(buf) if final else len(buf) - self._AHEAD
        if hi > self._lo:
            if final:
                buf += bytes(self._AHEAD)
            else:
                self._carry = buf[max(hi - self._KEEP, 0) :]
            self._scan(buf, self._lo, hi, base)
            self._lo = hi - max(hi - self._KEEP, 0)
            self.scanned = base + hi
        elif not final:
            self._carry = buf
        if final and not self.odd and self._cells != self._cell_refs:
            self.odd = True  # a cell without r="…": calamine places it after the previous one
        if self.odd and self.census is not None:
            self.census.forget()

    def _scan(self, buf: bytes, lo: int, hi: int, base: int) -> None:

        t = _byte_tables()
        a = np.frombuffer(buf, dtype=np.uint8)
        seg = a[lo:hi]
        refs = 0
        eq = np.flatnonzero(seg == 61)
        eq += lo
        before = a[eq - 1]
        rsel = cols = np.zeros(0, dtype=np.int64)
        if len(eq):
            if (before <= 32).any() or (a[eq + 1] <= 32).any():
                self.odd = True  # spaces around "=": legal XML that hides an r= from this scan
                return
            rsel = np.flatnonzero((before == 114) & (a[eq - 2] <= 32))
            r = eq[rsel]
            if len(r):
                # the 8 bytes before each r's quote: "<c r=" or "<row r=" (or with a prefix)
                w = np.ndarray((len(buf) - 7,), dtype="<u8", buffer=buf, strides=(1,))[r - 6]
                mid = (w >> np.uint64(16)) & t["m40"]
                low = w & t["m56"]
                quote = w >> np.uint64(56)
                cell = (mid == t["cell"]) | (mid == t["pcell"])
                if not (
                    (cell | (low == t["row"]) | (low == t["prow"])).all()
                    and ((quote == 34) | (quote == 39)).all()
                ):
                    self.odd = True  # an r= that is not the first attribute of <c> or <row>
                    return
                refs = int(np.count_nonzero(cell))
                self._cell_refs += refs
                cols = self._refs(buf, r[cell] + 2)
                rsel = rsel[cell]
        if self.census is not None and not self.odd:
            self.census.scan(buf, a, eq, before, rsel, cols, lo, hi, base)
            self.census.width = self.max_col
        # Cells: "<c" (or ":c") then a delimiter. Counting every "<c" overcounts only by <col>,
        # <cfRule>…, which sit at the ends of a part; so count exactly only where they differ.
        words = [a[lo + k : lo + k + 2 * ((hi - lo - k + 1) // 2)].view("<u2") for k in (0, 1)]
        starts = sum(int(np.count_nonzero(w == 0x633C)) for w in words)
        # A prefixed cell (":c") needs a ":", rare in sheet XML: memchr finds none at once.
        prefixed = buf.find(b":", lo, hi + 1) >= 0 and any((w == 0x633A).any() for w in words)
        if starts != refs or prefixed:
            delim, starts = t["delim"], 0
            for k, w in enumerate(words):
                at = np.flatnonzero((w == 0x633C) | (w == 0x633A))
                at *= 2
                at += lo + k + 2
                starts += int(np.count_nonzero(delim[a[at]]))
        self._cells += starts

    def _refs(self, buf: bytes, starts: Any) -> Any:
        """Largest column and row among the references starting at ``starts`` (A1, XFD1048576).

        Returns a key for each: its (1-based) column, plus its row shifted left by 16 bits if
        the row is among the first :data:`TOP_ROWS` (where a header may be) — for the census.
        """

        if not len(starts):
            return np.zeros(0, dtype=np.int64)
        t = _byte_tables()
        letter, value = t["letter"], t["value"]
        n = len(buf)
        w4 = np.ndarray((n - 3,), dtype="<u4", buffer=buf, strides=(1,))[starts]
        b0, b1 = w4 & 0xFF, (w4 >> 8) & 0xFF
        l0 = letter[b0]
        l1 = l0 & letter[b1]
        if l1.any():
            b2, b3 = (w4 >> 16) & 0xFF, w4 >> 24
            l2 = l1 & letter[b2]
            if (l2 & letter[b3]).any():
                self.max_col = max(self.max_col, 18_279)  # four letters: past any real column
            v0, v1, v2 = value[b0], value[b1], value[b2]
            col = np.where(l2, v0 * 676 + v1 * 26 + v2, np.where(l1, v0 * 26 + v1, v0))
            starts = starts + l0 + l1 + l2
        else:
            col = value[b0]
            starts = starts + l0
        self.max_col = max(self.max_col, int(col.max()))
        w8 = np.ndarray((n - 7,), dtype="<u8", buffer=buf, strides=(1,))[starts]
        # SWAR: the high bit of each byte of `stop` is set where that byte is not a digit.
        x = w8 ^ t["x30"]
        stop = (((x & t["l7f"]) + t["s76"]) | x) & t["h80"]
        if not stop.all():
            self.max_row = max(self.max_row, 100_000_000)  # eight digits or more
            return col
        first_stop = stop & (~stop + np.uint64(1))
        top = (int(first_stop.max()).bit_length() - 8) // 8  # most digits in one reference
        if top == 0:
            return col
        digits = w8[first_stop == np.uint64(0x80 << (8 * top))].byteswap() >> np.uint64(
            64 - 8 * top
        )
        if ((digits >> np.uint64(8 * (top - 1))) == 0x30).any():
            self.odd = True  # leading zeros: a longer reference is not always a larger row
            return col
        self.max_row = max(self.max_row, int(int(digits.max()).to_bytes(top, "big")))
        if self.census is None:
            return col
        small = np.flatnonzero(
            (first_stop == np.uint64(0x8000)) | (first_stop == np.uint64(0x800000))
        )  # one or two digits
        if not len(small):
            return col
        d0 = (w8[small] & np.uint64(0xFF)).astype(np.int64) - 48
        d1 = ((w8[small] >> np.uint64(8)) & np.uint64(0xFF)).astype(np.int64) - 48
        two = d0 * 10 + d1
        one = first_stop[small] == np.uint64(0x8000)
        row = np.zeros(len(col), dtype=np.int64)
        row[small] = np.where(one, d0, np.where(two <= TOP_ROWS, two, 0))
        return col | (row << 16)


_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])"
    rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
)
_R_ATTR = re.compile(rb"(?<![\w.:\-])r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"\s*([A-Za-z]*)([0-9]*)")
MAX_TAG_BYTES = 16 * 1024 * 1024


def _reference(attrs: bytes) -> tuple[bytes, bytes] | None:
    """The letters and digits of the last ``r`` attribute among a tag's attributes."""
    refs = _R_ATTR.findall(attrs)
    if not refs:
        return None
    ref = _REF.match(refs[-1][0] or refs[-1][1])
    return (ref.group(1), ref.group(2)) if ref else None


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


class _ExactScan:
    """calamine's placing of rows and cells, followed tag by tag."""

    def __init__(self) -> None:
        self.max_row = self.max_col = self.cells = 0
        self.row = self.col = 0  # 0-based position of the next row and the next cell

    def row_tag(self, closing: bytes, attrs: bytes) -> None:
        if closing:
            self.row, self.col = self.row + 1, 0
            return
        ref = _reference(attrs)
        if ref and ref[1]:
            self.row = int(ref[1]) - 1
        self.col = 0
        if attrs.rstrip().endswith(b"/"):
            self.row += 1

    def cell_tag(self, attrs: bytes) -> None:
        cell_row, cell_col = self.row + 1, self.col + 1
        ref = _reference(attrs)
        if ref and ref[0]:
            cell_col = _column_number(ref[0])
        if ref and ref[1]:
            cell_row = int(ref[1])
        self.max_row, self.max_col = max(self.max_row, cell_row), max(self.max_col, cell_col)
        self.col = cell_col
        self.cells += 1


def exact_extent(chunks: Iterable[bytes]) -> tuple[int, int, int]:
    """Bounding box of a sheet's cells (rows, columns, cells) following every row and cell tag.

    Mirrors calamine: a cell's ``r`` (the last one, if repeated) places it; a cell without one
    follows the previous cell of its row, and a row without one follows the previous row. Used
    only for XML the fast scan cannot vouch for; about ten times slower.
    """
    scan = _ExactScan()
    carry = b""
    for chunk in itertools.chain(chunks, (b"<",)):
        buf = carry + chunk
        cut = buf.rfind(b"<")
        for m in _TAG.finditer(buf, 0, cut):
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            if name == b"row":
                scan.row_tag(closing, attrs)
            elif not closing:
                scan.cell_tag(attrs)
        carry = buf[cut:]
        if len(carry) > MAX_TAG_BYTES:
            raise Refused(
                over_limit(
                    Msg(
                        "an XML element longer than {limit} bytes", limit=format(MAX_TAG_BYTES, ",")
                    )
                )
            )
    return scan.max_row, scan.max_col, scan.cells


def extent_refusal(rows: int, cols: int, cells: int) -> Refusal | None:
    """Why a sheet of this bounding box may not be handed to calamine, if it may not.

    Besides the plain limits, a box far emptier than its cells (a few cells, one of them at
    row 1,048,576) is refused above a tenth of the cell limit: it costs as much memory as a full
    sheet and is either crafted or a stray keystroke far below the data.
    """
    if cols > MAX_COLUMNS:
        return over_limit(
            Msg(
                "{count} columns exceed the limit of {limit}",
                count=format(cols, ","),
                limit=format(MAX_COLUMNS, ","),
            )
        )
    if rows > EXCEL_MAX_ROWS:
        return over_limit(
            Msg(
                "a cell in row {row}, beyond Excel's last row {last} (a crafted file?)",
                row=format(rows, ","),
                last=format(EXCEL_MAX_ROWS, ","),
            )
        )
    box, limit = rows * cols, max_cells()
    shape = {"rows": format(rows, ","), "columns": format(cols, ","), "box": format(box, ",")}
    if box > limit:
        return over_limit(
            Msg(
                "its cells span {rows} rows × {columns} columns = {box} cells, over the limit "
                "of {limit} (set {variable} to raise it)",
                limit=format(limit, ","),
                variable=MAX_CELLS_ENV,
                **shape,
            )
        )
    if box > limit // 10 and box > 50 * max(cells, 1):
        return over_limit(
            Msg(
                "its {cells} cells are spread over {rows} rows × {columns} columns, {box} cells "
                "to hold in memory: delete the stray cells far from the data (Ctrl+End in "
                "Excel goes to the last one)",
                cells=format(cells, ","),
                **shape,
            )
        )
    return None

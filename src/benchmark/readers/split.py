"""Cut one large worksheet into row ranges, each a small workbook of its own, for parallel reads.

calamine parses a sheet on one core, and on a million rows that parse is most of the time
``benchmark`` takes. The guard (:mod:`benchmark.readers.guard`) already inflates every byte of the
sheet's XML to measure it; :class:`SheetSplitter` observes that stream and writes the rows into
a few *pieces*: uncompressed workbooks that hold the other small parts of the original (shared
strings, styles, ``workbook.xml`` with its date system), the sheet's head (everything before
``<sheetData>``, without ``<dimension>``), a range of its rows, and the closing tags. calamine
then reads the pieces on all cores at once (fastexcel releases the GIL).

Row numbers stay exact. calamine places every cell by its own reference (``r="E7"``), and a
piece after the first begins with a *sentinel* row just above its first row: with leading empty
rows skipped, row 0 of such a piece is Excel row ``first_row - 1``. The reader checks that the
sentinel (a random token, in column A) is where it must be, and reads the sheet whole otherwise.

The splitter gives up, and the sheet is read whole as before, on anything but the plain XML
that Excel, LibreOffice and openpyxl write: no plain ``<sheetData>``, a CDATA section or a
comment (which could hide a ``<row`` that is not a tag), or no ``<row r="…">`` to cut at. It
also gives up when the temporary space runs out: the piece being written is closed and
removed, without a word on standard error, and :attr:`SheetSplitter.out_of_space` says why.
"""

from __future__ import annotations

import contextlib
import errno
import re
import secrets
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

#: A sheet part smaller than this is read whole: splitting a small sheet costs more than it saves.
MIN_SPLIT_BYTES = 24 * 1024 * 1024
#: Each piece holds at least this much of the sheet's XML.
MIN_PIECE_BYTES = 8 * 1024 * 1024
#: The head of a sheet (before ``<sheetData>``) is never longer than this in real files.
MAX_HEAD_BYTES = 4 * 1024 * 1024

_SHEET_DATA = b"<sheetData>"
_ROW = b'<row r="'
_HIDDEN = b"<!"  # <![CDATA[ and <!--; a DTD (<!DOCTYPE) is refused before
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_ROOT = re.compile(rb"<worksheet[\s>]")
_EMPTY_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
    b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/>'
    b"</worksheet>"
)
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


@dataclass(frozen=True)
class SheetPiece:
    """One row range of a sheet, as a workbook file.

    ``first_row`` is the Excel row of its first row tag; None for the first piece, which starts
    at the top of the sheet and carries no sentinel. ``start`` and ``end`` are the offsets, in
    the original sheet part, of the XML whose rows it holds.
    """

    path: Path
    first_row: int | None
    token: str
    start: int
    end: int


def plan_pieces(sheet_bytes: int, others_bytes: int, workers: int) -> int:
    """How many pieces a sheet part of this size should become (1: read it whole).

    Every piece repeats the shared strings and parses them again, so a sheet much larger than
    the rest of the workbook is split, into two pieces a worker so that reading the first ones
    overlaps writing the last.
    """
    if workers < 2 or sheet_bytes < MIN_SPLIT_BYTES or others_bytes * 4 > sheet_bytes:
        return 1
    return max(1, min(2 * workers, sheet_bytes // MIN_PIECE_BYTES))


class SheetSplitter:
    """Write a sheet part, fed in chunks, into :class:`SheetPiece` workbooks in ``directory``.

    ``others`` holds every other XML part to copy into each piece (another sheet's part should be
    given as :func:`empty_sheet`). Call :meth:`feed` with each chunk, take the pieces the caller
    has vouched for with :meth:`ready`, then call :meth:`finish`; on any surprise the splitter
    stops writing and :meth:`finish` returns None.

    With ``head_rows``, the first piece holds just the rows up to that one (where the header
    is searched for), however small: the reader finds the header there in milliseconds, and
    the pieces after it hold data rows only, so their number columns can be read as numbers.
    """

    def __init__(
        self,
        directory: Path,
        part: str,
        others: Mapping[str, bytes],
        size: int,
        pieces: int,
        head_rows: int = 0,
    ) -> None:
        self._directory = directory
        self._head_rows = head_rows
        self._part = part
        self._others = others
        self._target = max(size // max(pieces, 1) + 1, MIN_PIECE_BYTES)
        self._token = secrets.token_hex(8)
        self._head = b""
        self._started = False
        self._failed = False
        self._last = b""
        self._fed = 0  # bytes of the part fed before the current chunk
        self._pieces: list[SheetPiece] = []
        self._handed = 0
        self._open_piece: tuple[Path, int | None, int] | None = None  # path, first row, start
        self._raw: IO[bytes] | None = None
        self._zip: zipfile.ZipFile | None = None
        self._entry: IO[bytes] | None = None
        self._written = 0
        #: Set when writing a piece failed for want of space (ENOSPC, a full quota).
        self.out_of_space = False

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk of the sheet's XML."""
        base = self._fed
        self._fed += len(chunk)
        if self._failed:
            return
        # "!" is rare in markup, "<" is everywhere: look for the rare byte first (memchr speed).
        if (b"!" in chunk and _HIDDEN in chunk) or (self._last == b"<" and chunk[:1] == b"!"):
            self._fail()
            return
        self._last = chunk[-1:]
        if not self._started:
            self._head += chunk
            at = self._head.find(_SHEET_DATA)
            if at < 0:
                if len(self._head) > MAX_HEAD_BYTES:
                    self._fail()
                return
            end = at + len(_SHEET_DATA)
            rest, self._head = self._head[end:], self._head[:end]
            if not self._begin_head(self._head):
                return
            self._started = True
            base = self._fed - len(rest)
            self._open(None, base)
            chunk = rest
        self._rows(chunk, base)

    def ready(self, upto: int) -> list[SheetPiece]:
        """Pieces complete within the first ``upto`` bytes of the part, not handed out before:
        the caller has checked those bytes, so calamine may read them."""
        if self._failed:
            return []
        count = self._handed
        while count < len(self._pieces) and self._pieces[count].end <= upto:
            count += 1
        out, self._handed = self._pieces[self._handed : count], count
        return out

    def finish(self) -> list[SheetPiece] | None:
        """All the pieces written, or None when the sheet should be read whole."""
        if not self._failed and self._started:
            self._close(self._fed)
        else:
            self._fail()
        if self._failed or len(self._pieces) < 2:
            return None
        return self._pieces

    def abandon(self) -> None:
        """Stop, closing any open file (the caller removes the directory)."""
        self._fail()

    # --- internals ---------------------------------------------------------------------------

    def _begin_head(self, head: bytes) -> bool:
        root = _ROOT.search(head)
        if root is None:  # a prefixed namespace (<x:worksheet>): our tags would not belong to it
            self._fail()
            return False
        self._head = _DIMENSION.sub(b"", head)
        return True

    def _rows(self, data: bytes, base: int) -> None:
        """Write ``data`` (at offset ``base`` of the part), cutting at the first
        ``<row r="N">`` past the target size.

        Without copying the chunk: slices are memoryviews, searches start at an offset. A row
        tag split by the chunk boundary is simply not a cut point; the next one is.
        """
        view = memoryview(data)
        pos, end = 0, len(data)
        while pos < end and not self._failed:
            head = self._head_rows and not self._pieces
            room = 0 if head else self._target - self._written
            if room > 0:
                take = min(room, end - pos)
                self._write(view[pos : pos + take])
                pos += take
                continue
            at = data.find(_ROW, pos)
            if at < 0:
                self._write(view[pos:])
                return
            start = at + len(_ROW)
            quote = data.find(b'"', start, start + 12)
            digits = data[start:quote] if quote >= 0 else b""
            if (
                not digits.isdigit()
                or digits.startswith(b"0")
                or int(digits) < 2
                or (head and int(digits) <= self._head_rows)
            ):
                self._write(view[pos:start])
                pos = start
                continue
            self._write(view[pos:at])
            self._write(b"</sheetData></worksheet>")
            self._close(base + at)
            self._open(int(digits), base + at)
            pos = at

    def _open(self, first_row: int | None, start: int) -> None:
        if self._failed:
            return
        path = self._directory / f"piece-{len(self._pieces):03d}.xlsx"
        self._open_piece = (path, first_row, start)
        try:
            # Unbuffered: a write that finds no space fails there, and closing flushes nothing.
            self._raw = open(path, "wb", buffering=0)  # noqa: SIM115 - closed in _close/_fail
            self._zip = zipfile.ZipFile(self._raw, "w", zipfile.ZIP_STORED, allowZip64=True)
            for name, data in self._others.items():
                if name != self._part:
                    self._zip.writestr(name, data)
            self._entry = self._zip.open(self._part, "w", force_zip64=True)
        except (OSError, ValueError) as exc:
            self._fail(exc)
            return
        self._written = 0
        self._write(self._head)
        if first_row is not None:
            above = first_row - 1
            self._write(
                b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>'
                % (above, above, self._token.encode())
            )

    def _write(self, data: bytes | memoryview) -> None:
        if self._entry is None or not data:
            return
        try:
            self._entry.write(data)
        except (OSError, ValueError) as exc:
            self._fail(exc)
            return
        self._written += len(data)

    def _close(self, end: int) -> None:
        """Finish the open piece, whose rows end at offset ``end`` of the part."""
        opened, self._open_piece = self._open_piece, None
        entry, archive, raw = self._entry, self._zip, self._raw
        self._entry = self._zip = self._raw = None
        try:
            if entry is not None:
                entry.close()
            if archive is not None:
                archive.close()
        except (OSError, ValueError) as exc:
            self._open_piece = opened
            self._entry, self._zip, self._raw = entry, archive, raw
            self._fail(exc)
            return
        if raw is not None:
            raw.close()
        if opened is not None:
            path, first_row, start = opened
            self._pieces.append(SheetPiece(path, first_row, self._token, start, end))

    def _fail(self, exc: BaseException | None = None) -> None:
        """Give up: close the open piece without finishing it, and remove its file."""
        if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
            self.out_of_space = True
        self._failed = True
        entry, archive, raw = self._entry, self._zip, self._raw
        self._entry = self._zip = self._raw = None
        # Each closed once, every error swallowed: a half-written piece is of no use, and a
        # zip left open would complain on standard error when garbage-collected.
        for close in (entry, archive, raw):
            if close is not None:
                with contextlib.suppress(OSError, ValueError, RuntimeError):
                    close.close()
        if self._open_piece is not None:
            with contextlib.suppress(OSError):
                self._open_piece[0].unlink()
            self._open_piece = None


def empty_sheet() -> bytes:
    """A sheet part with no cells: stands in for the sheets a piece does not need."""
    return _EMPTY_SHEET

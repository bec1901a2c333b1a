"""The guard that checks a workbook before calamine opens it.

calamine trusts its input: it inflates whatever a zip entry holds whatever size the entry
declares, and it allocates one 32-byte slot for every cell of a sheet's bounding box, so two cells
at A1 and XFD1048576 in a 2 KB file abort the process asking for 512 GB. The guard streams each
entry once (zlib, about 1 GB/s), holds it to its declared size, refuses DTDs, and scans sheet XML
with numpy for the largest cell reference; unusual XML falls back to an exact, slower scan. While
it streams a large sheet it can also cut it into pieces (:mod:`benchmark.readers.split`).
"""

from __future__ import annotations

import functools
import html
import itertools
import posixpath
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from benchmark.parallel import check_cancelled
from benchmark.readers.limits import (
    EXCEL_MAX_ROWS,
    MAX_CELLS_ENV,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_ENV,
    MAX_ZIP_ENTRIES,
    max_cells,
    max_uncompressed_bytes,
)
from benchmark.readers.split import SheetPiece, SheetSplitter, empty_sheet, plan_pieces
from benchmark.readers.table import short_error

if TYPE_CHECKING:
    pass


class _Refused(Exception):
    """A workbook (or one sheet of it) refused by the guard; ``limit: `` messages are E004."""


_CHUNK = 1024 * 1024
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def _entry_chunks(fh: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Inflate one zip entry in chunks, refusing it the moment it outgrows its declared size.

    calamine inflates an entry to its end whatever size the entry declares, so the declared
    sizes checked up front mean nothing unless the data is held to them.
    """
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or not local.startswith(b"PK\x03\x04"):
        raise _Refused(f"not a readable workbook (corrupt zip: no entry {info.filename} where "
                       "the directory says)")
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while left:
            data = fh.read(min(_CHUNK, left))
            if not data:
                raise _Refused(f"not a readable workbook (corrupt zip: {info.filename} is cut "
                               "short)")
            left -= len(data)
            yield data
        return
    inflater = zlib.decompressobj(-15)
    total = 0
    try:
        while True:
            if inflater.unconsumed_tail:
                out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            elif left and not inflater.eof:
                data = fh.read(min(1024 * 1024, left))
                if not data:
                    break
                left -= len(data)
                out = inflater.decompress(data, _CHUNK)
            else:
                break
            total += len(out)
            if total > info.file_size:
                raise _Refused(f"limit: zip entry {info.filename} declares {info.file_size:,} "
                               "bytes but inflates to more (a disguised zip bomb)")
            if out:
                yield out
    except zlib.error as exc:
        raise _Refused(f"not a readable workbook (corrupt zip entry {info.filename}: "
                       f"{exc})") from None


@functools.cache
def _byte_tables() -> dict[str, Any]:
    import numpy as np

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

    return {"delim": table(b" \t\r\n/>"), "letter": table(letters), "value": value,
            "cell": word(b"<c r="), "pcell": word(b":c r="), "row": word(b"<row r="),
            "prow": word(b":row r="), "m40": word(b"\xff" * 5), "m56": word(b"\xff" * 7),
            "x30": word(b"0" * 8), "l7f": word(b"\x7f" * 8), "s76": word(b"\x76" * 8),
            "h80": word(b"\x80" * 8)}


class _Extent:
    """The bounding box of a sheet's cells, from its raw XML, fed in chunks, without parsing it.

    Sound for the XML every spreadsheet program writes — each ``<c>`` opening with ``r="A1"``,
    no spaces around ``=`` — and cheap: a few byte comparisons and gathers per chunk, about a
    fifth of what calamine itself takes (0.5 s for a million rows, inflating included).
    Anything else (cells without ``r``, a second ``r``, spaces around ``=``, prefixed tags,
    leading zeros) sets ``odd`` and the caller rescans the part exactly with
    :func:`_exact_extent`.
    """

    _AHEAD = 24
    _BEHIND = 8

    def __init__(self) -> None:
        self.max_row = 0
        self.max_col = 0
        self.odd = False
        self._carry = b""
        self._lo = self._BEHIND
        self._cells = 0
        self._cell_refs = 0

    @property
    def cells(self) -> int:
        """Cells seen (each opening with its reference, unless ``odd``)."""
        return self._cell_refs

    def vouches(self) -> bool:
        """Whether the XML scanned so far may be handed to calamine: plain, every cell with its
        reference, and within every limit. (A cell whose reference lies in the next chunk
        makes this False for a moment, which only delays a piece.)"""
        return (not self.odd and self._cells == self._cell_refs
                and _extent_refusal(self.max_row, self.max_col, self._cell_refs) is None)

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Scan the next piece of the part (``final`` for the last, possibly empty, piece)."""
        if self.odd:
            return
        buf = self._carry + chunk
        hi = len(buf) if final else len(buf) - self._AHEAD
        if hi > self._lo:
            if final:
                buf += bytes(self._AHEAD)
            else:
                self._carry = buf[hi - self._BEHIND:]
            self._scan(buf, self._lo, hi)
            self._lo = self._BEHIND
        elif not final:
            self._carry = buf
        if final and not self.odd and self._cells != self._cell_refs:
            self.odd = True  # a cell without r="…": calamine places it after the previous one

    def _scan(self, buf: bytes, lo: int, hi: int) -> None:
        import numpy as np

        t = _byte_tables()
        a = np.frombuffer(buf, dtype=np.uint8)
        seg = a[lo:hi]
        refs = 0
        eq = np.flatnonzero(seg == 61)
        eq += lo
        if len(eq):
            before = a[eq - 1]
            if (before <= 32).any() or (a[eq + 1] <= 32).any():
                self.odd = True  # spaces around "=": legal XML that hides an r= from this scan
                return
            r = eq[(before == 114) & (a[eq - 2] <= 32)]
            if len(r):
                # the 8 bytes before each r's quote: "<c r=" or "<row r=" (or with a prefix)
                w = np.ndarray((len(buf) - 7,), dtype="<u8", buffer=buf, strides=(1,))[r - 6]
                mid = (w >> np.uint64(16)) & t["m40"]
                low = w & t["m56"]
                quote = w >> np.uint64(56)
                cell = (mid == t["cell"]) | (mid == t["pcell"])
                if not ((cell | (low == t["row"]) | (low == t["prow"])).all()
                        and ((quote == 34) | (quote == 39)).all()):
                    self.odd = True  # an r= that is not the first attribute of <c> or <row>
                    return
                refs = int(np.count_nonzero(cell))
                self._cell_refs += refs
                self._refs(buf, r[cell] + 2)
        # Cells: "<c" (or ":c") then a delimiter. Counting every "<c" overcounts only by <col>,
        # <cfRule>…, which sit at the ends of a part; so count exactly only where they differ.
        words = [a[lo + k: lo + k + 2 * ((hi - lo - k + 1) // 2)].view("<u2") for k in (0, 1)]
        starts = sum(int(np.count_nonzero(w == 0x633C)) for w in words)
        if starts != refs or any((w == 0x633A).any() for w in words):
            delim, starts = t["delim"], 0
            for k, w in enumerate(words):
                at = np.flatnonzero((w == 0x633C) | (w == 0x633A))
                at *= 2
                at += lo + k + 2
                starts += int(np.count_nonzero(delim[a[at]]))
        self._cells += starts

    def _refs(self, buf: bytes, starts: Any) -> None:
        """Largest column and row among the references starting at ``starts`` (A1, XFD1048576)."""
        import numpy as np

        if not len(starts):
            return
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
            self.max_col = max(self.max_col, int(col.max()))
            starts = starts + l0 + l1 + l2
        else:
            self.max_col = max(self.max_col, int(value[b0].max()))
            starts = starts + l0
        w8 = np.ndarray((n - 7,), dtype="<u8", buffer=buf, strides=(1,))[starts]
        # SWAR: the high bit of each byte of `stop` is set where that byte is not a digit.
        x = w8 ^ t["x30"]
        stop = (((x & t["l7f"]) + t["s76"]) | x) & t["h80"]
        if not stop.all():
            self.max_row = max(self.max_row, 100_000_000)  # eight digits or more
            return
        first_stop = stop & (~stop + np.uint64(1))
        top = (int(first_stop.max()).bit_length() - 8) // 8  # most digits in one reference
        if top == 0:
            return
        digits = w8[first_stop == np.uint64(0x80 << (8 * top))].byteswap() \
            >> np.uint64(64 - 8 * top)
        if ((digits >> np.uint64(8 * (top - 1))) == 0x30).any():
            self.odd = True  # leading zeros: a longer reference is not always a larger row
            return
        self.max_row = max(self.max_row, int(int(digits.max()).to_bytes(top, "big")))


_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])"
                  rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_R_ATTR = re.compile(rb"(?<![\w.:\-])r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"\s*([A-Za-z]*)([0-9]*)")
_MAX_TAG_BYTES = 16 * 1024 * 1024


def _exact_extent(chunks: Iterable[bytes]) -> tuple[int, int, int]:
    """Bounding box of a sheet's cells (rows, columns, cells) following every row and cell tag.

    Mirrors calamine: a cell's ``r`` (the last one, if repeated) places it; a cell without one
    follows the previous cell of its row, and a row without one follows the previous row. Used
    only for XML the fast scan cannot vouch for; about ten times slower.
    """
    max_row = max_col = cells = 0
    row = col = 0  # 0-based position of the next row and the next cell
    carry = b""
    for chunk in itertools.chain(chunks, (b"<",)):
        buf = carry + chunk
        cut = buf.rfind(b"<")
        for m in _TAG.finditer(buf, 0, cut):
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            if name == b"row":
                if closing:
                    row, col = row + 1, 0
                    continue
                refs = _R_ATTR.findall(attrs)
                if refs:
                    ref = _REF.match(refs[-1][0] or refs[-1][1])
                    if ref and ref.group(2):
                        row = int(ref.group(2)) - 1
                col = 0
                if attrs.rstrip().endswith(b"/"):
                    row += 1
                continue
            if closing:
                continue
            cell_row, cell_col = row + 1, col + 1
            refs = _R_ATTR.findall(attrs)
            if refs:
                ref = _REF.match(refs[-1][0] or refs[-1][1])
                if ref and ref.group(1):
                    cell_col = 0
                    for ch in ref.group(1).upper():
                        cell_col = cell_col * 26 + ch - 64
                if ref and ref.group(2):
                    cell_row = int(ref.group(2))
            max_row, max_col = max(max_row, cell_row), max(max_col, cell_col)
            col = cell_col
            cells += 1
        carry = buf[cut:]
        if len(carry) > _MAX_TAG_BYTES:
            raise _Refused(f"limit: an XML element longer than {_MAX_TAG_BYTES:,} bytes")
    return max_row, max_col, cells


def _extent_refusal(rows: int, cols: int, cells: int) -> str | None:
    """Why a sheet of this bounding box may not be handed to calamine, if it may not.

    Besides the plain limits, a box far emptier than its cells (a few cells, one of them at
    row 1,048,576) is refused above a tenth of the cell limit: it costs as much memory as a full
    sheet and is either crafted or a stray keystroke far below the data.
    """
    if cols > MAX_COLUMNS:
        return f"limit: {cols:,} columns exceed the limit of {MAX_COLUMNS:,}"
    if rows > EXCEL_MAX_ROWS:
        return (f"limit: a cell in row {rows:,}, beyond Excel's last row {EXCEL_MAX_ROWS:,} "
                "(a crafted file?)")
    box, limit = rows * cols, max_cells()
    if box > limit:
        return (f"limit: its cells span {rows:,} rows × {cols:,} columns = {box:,} cells, over "
                f"the limit of {limit:,} (set {MAX_CELLS_ENV} to raise it)")
    if box > limit // 10 and box > 50 * max(cells, 1):
        return (f"limit: its {cells:,} cells are spread over {rows:,} rows × {cols:,} columns, "
                f"{box:,} cells to hold in memory: delete the stray cells far from the data "
                "(Ctrl+End in Excel goes to the last one)")
    return None


_XML_TAG = re.compile(rb"<(?:[\w.\-]+:)?(sheet|Relationship)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_XML_ATTR = re.compile(rb"""([\w.:\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip entry of its XML, as calamine finds them (workbook.xml and its rels).

    Read with a regular expression over the tags rather than an XML parser: calamine accepts
    XML that expat rejects (a control character in a sheet name), and the guard must find
    every sheet calamine will read. Both parts are small; a DTD in either is refused.
    """
    def tags(name: str, tag: bytes) -> list[dict[str, str]]:
        info = zf.getinfo(name)
        if info.file_size > 16 * 1024 * 1024:
            raise _Refused(f"limit: {name} is {info.file_size:,} bytes (a crafted file?)")
        try:
            data = zf.read(name)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise _Refused(f"not a readable workbook ({name}: {short_error(exc)})") from None
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise _Refused(f"not a readable workbook ({name} declares a DTD (<!DOCTYPE>), "
                           "which no spreadsheet program writes: XML entity expansion?)")
        found = []
        for m in _XML_TAG.finditer(data):
            if m.group(1) != tag:
                continue
            attrs: dict[str, str] = {}
            for a in _XML_ATTR.finditer(m.group(2)):
                key = a.group(1).decode("utf-8", "replace").rpartition(":")
                value = (a.group(2) if a.group(2) is not None else a.group(3)) or b""
                attrs[("r:" if key[0] else "") + key[2]] = html.unescape(
                    value.decode("utf-8", "replace"))
            found.append(attrs)
        return found

    try:
        rels = tags("xl/_rels/workbook.xml.rels", b"Relationship")
    except KeyError:
        return {}
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts: dict[str, str] = {}
    for sheet in tags("xl/workbook.xml", b"sheet"):
        target, name = targets.get(sheet.get("r:id")), sheet.get("name")
        if not target or name is None:
            continue
        target = target.replace("\\", "/")
        path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        parts[name] = posixpath.normpath(path)
    return parts


@dataclass
class Inspection:
    """What the guard found: a refusal of the whole file, or of single sheets (by name), and
    the pieces a large sheet was split into (see :mod:`benchmark.readers.split`)."""

    refusal: str | None = None
    sheets: dict[str, str] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)
    pieces: dict[str, list[SheetPiece]] = field(default_factory=dict)


def inspect_workbook(path: Path, wanted: str | None, split_dir: Path | None = None,
                     workers: int = 1,
                     on_piece: Callable[[str, SheetPiece], None] | None = None,
                     stop: threading.Event | None = None) -> Inspection:
    """Check a workbook before calamine opens it; see the module docstring for why.

    First what the zip directory declares (O(1) per entry), then every XML entry is inflated
    once, held to its declared size, refused if it declares a DTD, and each sheet to be read is
    measured (:class:`_Extent`). Given a ``split_dir``, a large sheet is also written there in
    pieces while it is measured, the other XML parts first (they go into every piece); each
    piece is handed to ``on_piece`` (with the sheet's name) once it is known to be safe to read,
    the last ones when the whole sheet has passed.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return Inspection(f"not a readable workbook (corrupt zip: {short_error(exc)})")
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        refusal = _directory_refusal(zf, infos, names)
        if refusal:
            return Inspection(refusal)
        try:
            parts = _sheet_parts(zf)
            scan = {part: [s for s, p in parts.items() if p == part]
                    for s, part in parts.items() if wanted is None or s == wanted}
            found = Inspection(parts=parts)
            held = set(names)
            for part, listed in scan.items():
                if part not in held:
                    found.sheets.update((s, f"the workbook places this sheet in {part}, which "
                                            "the file does not hold") for s in listed)
            xml = [i for i in infos if i.filename not in scan
                   and i.filename.lower().endswith(_XML_SUFFIXES)]
            sheets = [i for i in infos if i.filename in scan]
            others_size = sum(i.file_size for i in xml if i.filename not in parts.values())
            if split_dir is None or all(plan_pieces(i.file_size, others_size, workers) < 2
                                        for i in sheets):
                split_dir = None
            kept: dict[str, list[bytes]] = {}
            with open(path, "rb") as fh:
                for info in xml:
                    keep = None
                    if split_dir is not None and info.filename not in parts.values():
                        keep = kept.setdefault(info.filename, [])
                    _check_entry(fh, info, measure=False, keep=keep)
                others = {name: b"".join(chunks) for name, chunks in kept.items()}
                others.update((p, empty_sheet()) for p in set(parts.values()) & held)
                for n, info in enumerate(sheets):
                    listed = scan[info.filename]
                    splitter = None
                    count = plan_pieces(info.file_size, others_size, workers)
                    if split_dir is not None and count > 1:
                        piece_dir = split_dir / f"sheet{n}"
                        piece_dir.mkdir()
                        splitter = SheetSplitter(piece_dir, info.filename, others,
                                                 info.file_size, count)
                    handed: list[SheetPiece] = []

                    def hand(piece: SheetPiece, sheet: str = listed[0],
                             handed: list[SheetPiece] = handed) -> None:
                        handed.append(piece)
                        if on_piece is not None:
                            on_piece(sheet, piece)

                    why = _check_entry(fh, info, measure=True, splitter=splitter, on_piece=hand,
                                       stop=stop)
                    pieces = splitter.finish() if splitter is not None else None
                    if not why and pieces:
                        for piece in pieces[len(handed):]:
                            hand(piece)
                    for sheet in listed:
                        if why:
                            found.sheets[sheet] = why
                        elif pieces:
                            found.pieces[sheet] = pieces
        except _Refused as exc:
            return Inspection(str(exc))
        except OSError as exc:
            return Inspection(f"cannot be read: {exc.strerror or exc}")
    return found


def _directory_refusal(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
                       names: list[str]) -> str | None:
    """Refusals that the zip directory alone decides: no workbook, too big, tampered."""
    if "xl/workbook.bin" in names:
        return "an .xlsb (binary) workbook: save it as .xlsx"
    if "xl/workbook.xml" not in names:
        if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:100]:
            return "an OpenDocument spreadsheet (.ods): open it and save it as .xlsx"
        return "a zip archive but not an Excel workbook"
    if len(infos) > MAX_ZIP_ENTRIES:
        return f"limit: {len(infos):,} zip entries exceed the limit of {MAX_ZIP_ENTRIES:,}"
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        return f"not a readable workbook (two zip entries named {dup}: a tampered file)"
    for info in infos:
        if info.flag_bits & 0x1:
            return f"not a readable workbook ({info.filename} is encrypted inside the zip)"
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return (f"not a readable workbook ({info.filename} uses zip compression method "
                    f"{info.compress_type}, which Excel never writes)")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    limit = max_uncompressed_bytes()
    if total > limit:
        return (f"limit: uncompressed size {total:,} bytes exceeds the limit of {limit:,} bytes "
                f"(set {MAX_UNCOMPRESSED_ENV} to raise it)")
    if total > 50 * 1024**2 and total / packed > MAX_COMPRESSION_RATIO:
        return (f"limit: compression ratio {total / packed:,.0f}:1 exceeds the limit of "
                f"{MAX_COMPRESSION_RATIO}:1 (a zip bomb?)")
    return None


def _prefetched(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Inflate in a background thread (zlib releases the GIL) while the caller scans."""
    import queue
    import threading

    box: queue.Queue[object] = queue.Queue(maxsize=2)
    stop = threading.Event()
    done = object()

    def put(item: object) -> None:
        while not stop.is_set():
            try:
                box.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for chunk in chunks:
                put(chunk)
                if stop.is_set():
                    return
            put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)

    thread = threading.Thread(target=produce, name="benchmark-inflate", daemon=True)
    thread.start()
    try:
        while True:
            item = box.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, bytes)
            yield item
    finally:
        stop.set()
        thread.join()


def _check_entry(fh: BinaryIO, info: zipfile.ZipInfo, *, measure: bool,
                 keep: list[bytes] | None = None, splitter: SheetSplitter | None = None,
                 on_piece: Callable[[SheetPiece], None] | None = None,
                 stop: threading.Event | None = None) -> str | None:
    """Inflate one entry: refuse a DTD (raise), and measure a sheet (return a sheet refusal).

    The chunks that pass the DTD check are also appended to ``keep`` and fed to ``splitter``;
    XML the fast scan cannot vouch for is not split. A piece the splitter completes is handed
    to ``on_piece`` as soon as the sheet measured so far, which contains it, is within every
    limit: calamine may read it while the rest of the sheet is still being measured.
    """
    extent = _Extent() if measure else None
    handed = 0
    first = True
    chunks = _entry_chunks(fh, info)
    for chunk in _prefetched(chunks) if info.file_size > 4 * _CHUNK else chunks:
        check_cancelled(stop)
        if first:
            head = chunk[:65536]
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise _Refused(f"not a readable workbook ({info.filename} declares a DTD "
                               "(<!DOCTYPE>), which no spreadsheet program writes: XML entity "
                               "expansion?)")
            first = False
        if extent is not None:
            extent.feed(chunk)
        if keep is not None:
            keep.append(chunk)
        if splitter is not None:
            splitter.feed(chunk)
            if on_piece is not None and extent is not None:
                ready = splitter.released()
                if len(ready) > handed and extent.vouches():
                    for piece in ready[handed:]:
                        on_piece(piece)
                    handed = len(ready)
    if extent is None:
        return None
    extent.feed(b"", final=True)
    if extent.odd:
        if splitter is not None:
            splitter.abandon()
        return _extent_refusal(*_exact_extent(_entry_chunks(fh, info)))
    return _extent_refusal(extent.max_row, extent.max_col, extent.cells)



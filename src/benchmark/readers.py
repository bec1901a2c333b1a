"""Read enterprise files (.xlsx/.xlsm, .csv, .parquet) into tables that remember Excel coordinates.

Every value is read as text, so that nothing a person typed is lost or guessed at before
validation, and every row keeps the row number Excel shows. Workbooks are read with fastexcel
(Rust calamine into Arrow): twenty times faster than openpyxl on large sheets. Files are sniffed
by content, not by name, and refused with a problem — never a traceback, a hang or a crash —
when they are not what they claim, are encrypted, or exceed a safety limit.

Workbooks are checked before calamine sees them, because calamine trusts its input: it inflates
whatever a zip entry holds whatever size the entry declares, and it allocates one 32-byte slot for
every cell of a sheet's bounding box, so two cells at A1 and XFD1048576 in a 2 KB file abort the
process asking for 512 GB. The check streams each entry once (zlib, about 1 GB/s) and scans sheet
XML with numpy for the largest cell reference; unusual XML falls back to an exact, slower scan.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import html
import io
import itertools
import os
import posixpath
import re
import struct
import sys
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from benchmark.parallel import workers
from benchmark.problems import Problem, problem
from benchmark.xlsx_split import SheetPiece, SheetSplitter, empty_sheet, plan_pieces

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Fields of the input format and the header names that mean them (English and Chinese).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "enterprise": ("enterprise", "company", "enterprise name", "plant", "企业名称", "企业",
                   "单位名称", "企业(单位)名称", "公司名称"),
    "area": ("area", "industry", "product", "key area", "领域", "行业", "产品", "重点领域",
             "行业领域", "产品名称"),
    "category": ("category", "process", "type", "spec", "specification", "类别", "工艺",
                 "规格", "细分类别", "工艺类别", "产品类别"),
    "value": ("value", "energy intensity", "energy consumption per unit product",
              "单位产品能耗", "单位产品综合能耗", "能效值", "能效水平", "单位产品能源消耗",
              "单耗"),
    "unit": ("unit", "units", "单位", "计量单位", "能耗单位"),
    "output": ("output", "production", "annual output", "产量", "年产量"),
    "capacity": ("capacity", "产能", "设计产能", "生产能力"),
    "region": ("region", "province", "location", "地区", "所在地", "省份", "所在地区"),
    "year": ("year", "年份", "年度", "统计年份"),
    "line": ("line", "production line", "unit id", "生产线", "装置", "产线", "装置名称",
             "生产线名称"),
}
FIELDS: tuple[str, ...] = tuple(FIELD_ALIASES)
REQUIRED_FIELDS: tuple[str, ...] = ("enterprise", "area", "value")

#: How many rows from the top may stand above the header row.
HEADER_SEARCH_ROWS = 20

# --- safety limits -----------------------------------------------------------------------------
#: Environment variables that change the two limits a large legitimate file may reach.
MAX_UNCOMPRESSED_ENV = "BENCHMARK_MAX_UNCOMPRESSED"
MAX_CELLS_ENV = "BENCHMARK_MAX_CELLS"
#: Uncompressed size of a workbook (all its zip entries together).
DEFAULT_MAX_UNCOMPRESSED = 2 * 1024**3
#: Cells of a sheet's bounding box (rows × columns); calamine needs 32 bytes for each.
DEFAULT_MAX_CELLS = 50_000_000
#: Above 50 MB, a workbook compressed more than this is a zip bomb (real sheets: 5–30:1).
MAX_COMPRESSION_RATIO = 200
#: Columns of a table; Excel itself stops at 16,384.
MAX_COLUMNS = 1000
#: Excel's last row.
EXCEL_MAX_ROWS = 1_048_576
#: Characters in one cell: Excel's own limit. Longer cells come only from CSV or crafted files.
MAX_CELL_CHARS = 32_767
#: Bytes of one CSV line, and of the head of a CSV file searched for the header row.
MAX_LINE_BYTES = 1024 * 1024
MAX_HEAD_BYTES = MAX_LINE_BYTES
#: Entries of a workbook's zip archive (real workbooks: tens to a few hundred).
MAX_ZIP_ENTRIES = 10_000

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
INPUT_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".parquet")
STDIN = "-"


def _env_limit(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


def max_uncompressed_bytes() -> int:
    """The uncompressed-size limit of a workbook, read from the environment at each call."""
    return _env_limit(MAX_UNCOMPRESSED_ENV, DEFAULT_MAX_UNCOMPRESSED)


def max_cells() -> int:
    """The bounding-box limit of a sheet (rows × columns), read from the environment."""
    return _env_limit(MAX_CELLS_ENV, DEFAULT_MAX_CELLS)


@dataclass
class Table:
    """One sheet (or CSV) of input: text cells plus the coordinates of each cell in Excel."""

    file: str
    sheet: str | None
    header_row: int
    frame: pd.DataFrame
    rows: np.ndarray[Any, Any]
    letters: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    header_units: dict[str, str] = field(default_factory=dict)


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


#: Characters that could rewrite a terminal line: C0/C1 controls, bidi overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def display_safe(text: str) -> str:
    """``text`` with terminal-rewriting characters shown as escapes (``\\u202e``), not obeyed.

    Applied to every name a problem or output shows that comes from the file rather than from a
    cell: the file name, sheet names and header texts.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: Ignored when matching headers: spaces, underscores, and invisible or control characters
#: (a right-to-left mark pasted along with a header must not hide it).
_HEADER_NOISE = re.compile("[\\s_\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                           "\u2060-\u2069\ufeff]+")


def _header_key(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


_UNIT_IN_HEADER = re.compile(r"^(?P<name>.+?)\s*[(\[](?P<unit>[^()\[\]]+)[)\]]\s*$")
#: Separators of a bilingual header, ``企业名称 / enterprise`` or two lines in one cell. The
#: slash needs spaces around it, so that a unit such as kgce/t is never split.
_BILINGUAL = re.compile(r"\s+/\s+|\s*\n\s*")


class HeaderMatcher:
    """Recognises header cells, including a unit given in the header: ``能耗（kgce/t）``."""

    def __init__(self, extra: Mapping[str, Iterable[str]] | None = None) -> None:
        self._keys: dict[str, str] = {}
        for name, aliases in FIELD_ALIASES.items():
            for alias in (*aliases, *(extra or {}).get(name, ())):
                self._keys.setdefault(_header_key(alias), name)

    def match(self, text: str | None) -> tuple[str | None, str | None]:
        """The field a header names, and the unit it states, if any."""
        if text is None or not str(text).strip():
            return None, None
        norm = unicodedata.normalize("NFKC", str(text)).strip()
        hit = self._keys.get(_header_key(norm))
        if hit is not None:
            return hit, None
        m = _UNIT_IN_HEADER.match(norm)
        if m:
            hit = self._keys.get(_header_key(m.group("name")))
            if hit is not None:
                inner = m.group("unit").strip()
                # 企业名称 (enterprise) is a translation, 能耗 (tce/t) a unit.
                same = self._keys.get(_header_key(inner)) == hit
                return hit, None if same else inner
        parts = [p for p in _BILINGUAL.split(norm) if p.strip()]
        if len(parts) > 1:
            found = [self.match(p) for p in parts]
            fields = {f for f, _ in found if f is not None}
            if len(fields) == 1:
                return fields.pop(), next((u for _, u in found if u), None)
        return None, None

    def score(self, cells: Iterable[str | None]) -> int:
        """Fields a row names; 0 unless it names a required one (a notes table is no header)."""
        fields = {f for f, _ in map(self.match, cells) if f is not None}
        return len(fields) if fields & set(REQUIRED_FIELDS) else 0


def _find_header(head: list[list[str | None]], matcher: HeaderMatcher) -> int | None:
    """Index of the row in ``head`` that names the most known fields (at least two)."""
    best, best_score = None, 1
    for i, cells in enumerate(head[:HEADER_SEARCH_ROWS]):
        score = matcher.score(cells)
        if score > best_score:
            best, best_score = i, score
    return best


def _build_table(file: str, sheet: str | None, header_row: int, header_cells: list[str | None],
                 absolute: list[int], columns: list[Any], rows: np.ndarray[Any, Any],
                 matcher: HeaderMatcher) -> tuple[Table, list[Problem]]:
    """Name the columns (known fields by their field name, others by their header).

    Rows holding a cell longer than Excel allows are dropped with a problem at that cell: such
    a cell is corrupt or hostile, and echoing it into every output would not help anyone.
    """
    import numpy as np
    import pandas as pd

    data: dict[str, Any] = {}
    table = Table(file, sheet, header_row, pd.DataFrame(), rows)
    problems: list[Problem] = []
    drop = np.zeros(len(rows), dtype=bool)
    for text, abs_index, values in zip(header_cells, absolute, columns, strict=True):
        if text is None or not str(text).strip():
            continue
        shown = display_safe(str(text).strip())
        name, unit = matcher.match(text)
        if name is None or name in data:
            name = shown
            while name in data or name in FIELDS:
                name = f"{name}_"
        data[name] = values
        table.letters[name] = column_letter(abs_index)
        table.headers[name] = shown
        if unit:
            table.header_units[name] = unit
        long_cells = _overlong(values)
        if long_cells is not None:
            for pos in np.flatnonzero(long_cells):
                problems.append(problem(
                    "E004", file, f"{shown} is {len(values.iloc[pos]):,} characters long, over "
                    f"Excel's limit of {MAX_CELL_CHARS:,}; the row was not read", sheet=sheet,
                    row=int(rows[pos]), column=table.letters[name], header=shown))
            drop |= long_cells
    frame = pd.DataFrame(data)
    if len(frame.columns):
        keep = frame.notna().any(axis=1).to_numpy() & ~drop
        if not keep.all():
            frame = frame[keep].reset_index(drop=True)
            table.rows = rows[keep]
    table.frame = frame
    return table, problems


def _overlong(values: Any) -> np.ndarray[Any, Any] | None:
    """Mask of the cells of a text column longer than :data:`MAX_CELL_CHARS`, or None."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(values, pd.Series) or not pd.api.types.is_string_dtype(values.dtype):
        return None
    try:
        arrow = pa.array(values)
        longest = pc.max(pc.binary_length(arrow)).as_py()  # bytes ≥ characters: O(1) a cell
        if longest is None or longest <= MAX_CELL_CHARS:
            return None
        lengths = pc.utf8_length(arrow)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    mask: np.ndarray[Any, Any] = pc.fill_null(pc.greater(lengths, MAX_CELL_CHARS), False
                                              ).to_numpy(zero_copy_only=False)
    return mask


# --- sniffing ----------------------------------------------------------------------------------

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _sniff(path: Path, head: bytes) -> str:
    """What a file really is: ``xlsx``, ``csv``, ``parquet``, or a reason it is none."""
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    if head.startswith(_CFB[:4]):
        return _cfb_kind(path)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"%PDF"):
        return "a PDF document, not a spreadsheet"
    if not head:
        return "an empty file"
    if suffix in WORKBOOK_SUFFIXES or suffix in (".xls", ".xlsb"):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
            return ("an HTML page with a spreadsheet's name (a common web export): open it in "
                    "Excel and save it as .xlsx")
        if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "an Excel 2003 XML spreadsheet: open it in Excel and save it as .xlsx"
        return f"not a {suffix} workbook (no spreadsheet signature): the file may be corrupt"
    return "csv"


def _cfb_kind(path: Path) -> str:
    """Tell an encrypted workbook from a legacy .xls: both are OLE2 compound files.

    The names of the first directory sector say which: ``EncryptedPackage`` (Excel's password
    protection) or ``Workbook``/``Book`` (Excel 97–2003). One seek, one read.
    """
    generic = ("an encrypted (password-protected) workbook or a legacy .xls file: remove the "
               "password or save it as .xlsx")
    try:
        with open(path, "rb") as fh:
            header = fh.read(512)
            if len(header) < 512 or not header.startswith(_CFB):
                return generic
            shift, = struct.unpack_from("<H", header, 30)
            first_dir, = struct.unpack_from("<I", header, 48)
            if not 9 <= shift <= 16 or first_dir >= 0xFFFFFFFA:
                return generic
            fh.seek((first_dir + 1) << shift)
            directory = fh.read(1 << shift)
    except OSError:
        return generic
    if "EncryptedPackage".encode("utf-16-le") in directory:
        return ("a password-protected (encrypted) workbook: open it in Excel, remove the "
                "password (File › Info › Protect Workbook) and save it again")
    if any(n.encode("utf-16-le") + b"\x00\x00" in directory for n in ("Workbook", "Book")):
        return "a legacy Excel 97–2003 .xls workbook: open it in Excel and save it as .xlsx"
    return generic


def _file_problem(file: str, message: str) -> Problem:
    if message.startswith("limit: "):
        return problem("E004", file, message.removeprefix("limit: "))
    return problem("E001", file, message)


# --- workbook guard ----------------------------------------------------------------------------

class _Refused(Exception):
    """A workbook (or one sheet of it) refused by the guard; ``limit: `` messages are E004."""


_CHUNK = 8 * 1024 * 1024
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
            raise _Refused(f"not a readable workbook ({name}: {_short(exc)})") from None
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
class _Inspection:
    """What the guard found: a refusal of the whole file, or of single sheets (by name), and
    the pieces a large sheet was split into (see :mod:`benchmark.xlsx_split`)."""

    refusal: str | None = None
    sheets: dict[str, str] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)
    pieces: dict[str, list[SheetPiece]] = field(default_factory=dict)


def _inspect_workbook(path: Path, wanted: str | None, split_dir: Path | None = None,
                      workers: int = 1,
                      on_piece: Callable[[str, SheetPiece], None] | None = None
                      ) -> _Inspection:
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
        return _Inspection(f"not a readable workbook (corrupt zip: {_short(exc)})")
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        refusal = _directory_refusal(zf, infos, names)
        if refusal:
            return _Inspection(refusal)
        try:
            parts = _sheet_parts(zf)
            scan = {part: [s for s, p in parts.items() if p == part]
                    for s, part in parts.items() if wanted is None or s == wanted}
            found = _Inspection(parts=parts)
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

                    why = _check_entry(fh, info, measure=True, splitter=splitter, on_piece=hand)
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
            return _Inspection(str(exc))
        except OSError as exc:
            return _Inspection(f"cannot be read: {exc.strerror or exc}")
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
                 on_piece: Callable[[SheetPiece], None] | None = None) -> str | None:
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


# --- workbooks ---------------------------------------------------------------------------------

def _read_workbook(path: Path, file: str, sheet: str | None,
                   matcher: HeaderMatcher) -> tuple[list[Table], list[Problem]]:
    """Every sheet with a header row, each loaded once by fastexcel after the guard passed it.

    A large sheet is read in pieces on every core (:mod:`benchmark.xlsx_split`), each piece as
    soon as the guard has measured it; the pieces live in a temporary directory removed on the
    way out, after the last read of them has finished.
    """
    cores = workers()
    loads: dict[Path, Future[tuple[Any, list[int]] | None]] = {}
    with contextlib.ExitStack() as stack:
        split_dir = None
        if cores > 1:
            try:
                split_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(
                    prefix="benchmark-", ignore_cleanup_errors=True)))
            except OSError:
                split_dir = None
        pool = stack.enter_context(ThreadPoolExecutor(cores, "benchmark-piece"))

        def start(name: str, piece: SheetPiece) -> None:
            loads[piece.path] = pool.submit(_load_piece, piece, name)

        inspection = _inspect_workbook(path, sheet, split_dir, cores, start)
        return _read_inspected(path, file, sheet, matcher, inspection, loads)


def _read_inspected(path: Path, file: str, sheet: str | None, matcher: HeaderMatcher,
                    inspection: _Inspection,
                    loads: Mapping[Path, Future[tuple[Any, list[int]] | None]]
                    ) -> tuple[list[Table], list[Problem]]:
    import fastexcel

    if inspection.refusal:
        return [], [_file_problem(file, inspection.refusal)]
    try:
        reader = fastexcel.read_excel(str(path))
        names = list(reader.sheet_names)
    except Exception as exc:  # fastexcel raises its own hierarchy, all meaning "unreadable"
        return [], [problem("E001", file, f"not a readable workbook: {_short(exc)}")]
    if sheet is not None:
        if sheet not in names:
            listed = ", ".join(repr(display_safe(n)) for n in names) or "none"
            return [], [problem("E002", file, f"no sheet named {display_safe(sheet)!r}; the "
                                f"sheets are {listed}")]
        names = [sheet]
    if not names:
        return [], [problem("E002", file, "the workbook has no sheets")]
    tables: list[Table] = []
    problems: list[Problem] = []
    for name in names:
        shown = display_safe(name)
        refusal = inspection.sheets.get(name)
        if refusal is None and name not in inspection.parts:
            refusal = "the sheet's XML cannot be located to check it (a tampered workbook?)"
        if refusal is not None:
            problems.append(_sheet_problem(file, shown, refusal))
            continue
        read = None
        if name in inspection.pieces:
            read = _read_pieces(inspection.pieces[name], loads, file, shown, matcher)
        if read is None:
            try:
                read = _read_sheet(reader, name, file, shown, matcher)
            except Exception as exc:  # calamine's errors for a malformed sheet
                problems.append(problem("E001", file, f"sheet cannot be read: {_short(exc)}",
                                        sheet=shown))
                continue
        table, found = read
        problems.extend(found)
        if table is not None:
            tables.append(table)
    if not tables and not problems:
        problems.append(problem("E002", file, "no sheet has a header row naming the known "
                                "columns (enterprise/企业名称, area/领域, value/单位产品能耗) "
                                f"in its first {HEADER_SEARCH_ROWS} rows"))
    return tables, problems


def _sheet_problem(file: str, sheet: str, message: str) -> Problem:
    if message.startswith("limit: "):
        return problem("E004", file, message.removeprefix("limit: "), sheet=sheet)
    return problem("E001", file, message, sheet=sheet)


def _read_sheet(reader: Any, name: str, file: str, shown: str, matcher: HeaderMatcher
                ) -> tuple[Table | None, list[Problem]]:
    """One sheet, read once: the header is searched in its first rows, the rest is the body."""
    import numpy as np

    loaded = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
    if loaded.width > MAX_COLUMNS:  # the guard measured this already; a second line of defence
        return None, [problem("E004", file, f"{loaded.width:,} columns exceed the limit of "
                              f"{MAX_COLUMNS:,}", sheet=shown)]
    batch = loaded.to_arrow()
    head = [list(r.values()) for r in batch.slice(0, HEADER_SEARCH_ROWS).to_pylist()]
    header_idx = _find_header(head, matcher)
    if header_idx is None:
        return None, []
    absolute = [c.absolute_index for c in loaded.available_columns()]
    body = batch.slice(header_idx + 1)
    columns = [body.column(i).to_pandas(types_mapper=_string_mapper)
               if i < body.num_columns else _empty(body.num_rows)
               for i in range(len(absolute))]
    rows = np.arange(header_idx + 2, header_idx + 2 + body.num_rows, dtype=np.int64)
    return _build_table(file, shown, header_idx + 1, head[header_idx], absolute, columns, rows,
                        matcher)


def _load_piece(piece: SheetPiece, name: str) -> tuple[Any, list[int]] | None:
    """One piece as (record batch, absolute column indices), or None if it is not as written.

    The first piece keeps its leading empty rows, like a whole sheet; a later piece skips them
    and must then begin with its sentinel row (see :mod:`benchmark.xlsx_split`). The file is
    removed once read: temporary space is often memory.
    """
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(piece.path))
        loaded = reader.load_sheet(name, header_row=None, dtypes="string",
                                   skip_rows=0 if piece.first_row is None else None)
        if loaded.width > MAX_COLUMNS:
            return None
        batch = loaded.to_arrow()
        absolute = [c.absolute_index for c in loaded.available_columns()]
        del reader, loaded
    finally:
        with contextlib.suppress(OSError):
            piece.path.unlink()
    if piece.first_row is not None:
        if not batch.num_rows or 0 not in absolute:
            return None
        if batch.column(absolute.index(0))[0].as_py() != piece.token:
            return None
        batch = batch.slice(1)
    return batch, absolute


def _read_pieces(pieces: list[SheetPiece],
                 loads: Mapping[Path, Future[tuple[Any, list[int]] | None]], file: str,
                 shown: str, matcher: HeaderMatcher
                 ) -> tuple[Table | None, list[Problem]] | None:
    """A sheet from its pieces, read in parallel; None to read it whole instead.

    Columns are matched by their Excel column across pieces (a later piece may be narrower
    or wider than the first); any piece that fails or does not read as written sends the
    sheet back to the plain read, which reports what is wrong with it.
    """
    import numpy as np
    import pyarrow as pa

    if any(piece.path not in loads for piece in pieces):
        return None
    try:
        loaded = [loads[piece.path].result() for piece in pieces]
    except Exception:  # calamine's errors: the whole read reports them
        return None
    if any(item is None for item in loaded):
        return None
    first, absolute = loaded[0]  # type: ignore[misc]
    head = [list(r.values()) for r in first.slice(0, HEADER_SEARCH_ROWS).to_pylist()]
    header_idx = _find_header(head, matcher)
    if header_idx is None:
        return None if first.num_rows < HEADER_SEARCH_ROWS else (None, [])
    parts: list[list[Any]] = [[] for _ in absolute]
    rows = [np.arange(header_idx + 2, first.num_rows + 1, dtype=np.int64)]
    for k, (piece, item) in enumerate(zip(pieces, loaded, strict=True)):
        batch, columns = item  # type: ignore[misc]
        if k == 0:
            batch = batch.slice(header_idx + 1)
        else:
            assert piece.first_row is not None
            rows.append(np.arange(piece.first_row, piece.first_row + batch.num_rows,
                                  dtype=np.int64))
        where = {a: i for i, a in enumerate(columns)}
        for out, a in enumerate(absolute):
            i = where.get(a)
            parts[out].append(batch.column(i).cast(pa.string()) if i is not None
                              else pa.nulls(batch.num_rows, pa.string()))
    series = [pa.chunked_array(p, pa.string()).to_pandas(types_mapper=_string_mapper)
              for p in parts]
    return _build_table(file, shown, header_idx + 1, head[header_idx], absolute, series,
                        np.concatenate(rows), matcher)


def _string_mapper(dtype: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    return pd.StringDtype("pyarrow") if dtype in (pa.string(), pa.large_string()) else None


def _empty(n: int) -> pd.Series:
    import pandas as pd

    return pd.Series([None] * n, dtype="string[pyarrow]")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return display_safe(text[:200])


# --- CSV ---------------------------------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(r"\r\n|\r|\n")


def _read_csv_file(path: Path, file: str, matcher: HeaderMatcher
                   ) -> tuple[list[Table], list[Problem]]:
    """A CSV file: a first line too long to be a header is refused before the rest is read."""
    with open(path, "rb") as fh:
        head = fh.read(MAX_LINE_BYTES + 1)
        if len(head) > MAX_LINE_BYTES and b"\n" not in head and b"\r" not in head:
            return [], [problem("E004", file, f"line 1 is longer than the limit of "
                                f"{MAX_LINE_BYTES:,} bytes: not a CSV table", row=1)]
        data = head + fh.read()
    return _read_csv(data, file, matcher)


def _read_csv(data: bytes, file: str, matcher: HeaderMatcher
              ) -> tuple[list[Table], list[Problem]]:
    import numpy as np

    if not data or data.isspace():
        return [], [problem("E001", file, "an empty file")]
    refusal = _csv_refusal(data, file)
    if refusal:
        return [], [refusal]
    text, encoding, problems = _decode(data, file)
    head_text = text[:MAX_HEAD_BYTES].decode(encoding, errors="ignore")
    lines = _LINE_END.split(head_text)[:HEADER_SEARCH_ROWS]
    try:
        head = list(csv.reader(lines))
    except csv.Error as exc:
        return [], [problem("E001", file, f"not readable as CSV: {exc}")]
    header_idx = _find_header([list(r) for r in head], matcher)
    if header_idx is None:
        return [], [problem("E002", file, "no header row naming the known columns "
                            "(enterprise/企业名称, area/领域, value/单位产品能耗) "
                            f"in the first {HEADER_SEARCH_ROWS} rows")]
    header = head[header_idx]
    if len(header) > MAX_COLUMNS:
        return [], [problem("E004", file, f"{len(header):,} columns exceed the limit of "
                            f"{MAX_COLUMNS:,}", row=header_idx + 1)]
    columns, rows = _parse_csv_fast(text, encoding, header_idx, len(header))
    if columns is None:
        columns, rows, found = _parse_csv_slow(text, encoding, file, header_idx, len(header))
        problems.extend(found)
    table, found = _build_table(file, None, header_idx + 1, list(header),
                                list(range(len(header))), columns,
                                np.asarray(rows, dtype=np.int64), matcher)
    return [table], problems + found


def _csv_refusal(data: bytes, file: str) -> Problem | None:
    """Reasons not to parse bytes as CSV at all: UTF-16, NUL bytes, a line over the limit.

    Each is one pass at memchr or numpy speed, so a 100 MB line is refused in well under a
    second instead of being split into fields.
    """
    import numpy as np

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return problem("E001", file, "UTF-16 text (Excel's \"Unicode Text\"): save it as "
                       "\"CSV UTF-8 (comma delimited)\"")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return problem("E001", file, f"a NUL byte on line {line:,}: binary data or a damaged "
                       "file, not CSV text", row=line)
    # Lines are shorter than the limit if every half-limit window holds a line end: a few
    # hundred memchr calls for 100 MB; only a file that fails this is measured line by line.
    half = MAX_LINE_BYTES // 2
    if all(data.find(b"\n", at, at + half) >= 0 or data.find(b"\r", at, at + half) >= 0
           for at in range(0, len(data) - half, half)):
        return None
    a = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(a == 10)
    if not len(ends):
        ends = np.flatnonzero(a == 13)
    bounds = np.concatenate(([-1], ends, [len(a)]))
    lengths = np.diff(bounds) - 1
    longest = int(np.argmax(lengths))
    if lengths[longest] > MAX_LINE_BYTES:
        return problem("E004", file, f"line {longest + 1:,} is {int(lengths[longest]):,} bytes "
                       f"long, over the limit of {MAX_LINE_BYTES:,} bytes", row=longest + 1)
    return None


def _decode(data: bytes, file: str) -> tuple[bytes, str, list[Problem]]:
    """The CSV's bytes and their encoding: UTF-8 (BOM removed) or GB18030 (GBK's superset).

    A file that mixes the two (exports of two systems pasted together) is decoded line by line,
    each in its own encoding, and reported: nothing is silently turned into mojibake.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        data.decode("utf-8")
        return data, "utf-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if data[:first_bad].isascii():
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            if not _has_utf8_lines(data):
                return data, "gb18030", []
    return _decode_by_line(data, file)


def _is_utf8_text(line: bytes) -> bool:
    """Whether a line is UTF-8 with at least one character beyond Latin (not GBK by chance)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(ord(ch) >= 0x800 for ch in text)


def _has_utf8_lines(data: bytes, step: int = 1024 * 1024) -> bool:
    """Whether UTF-8 lines hide in a file that decodes as GB18030: a line sampled every MB."""
    for start in (*range(0, len(data), step), max(0, len(data) - 65536)):
        begin = data.find(b"\n", start) + 1 if start else 0
        for _ in range(4):
            end = data.find(b"\n", begin)
            line = data[begin: end if end >= 0 else len(data)][:65536]
            if not line.isascii() and _is_utf8_text(line):
                return True
            if end < 0:
                break
            begin = end + 1
    return False


def _decode_by_line(data: bytes, file: str) -> tuple[bytes, str, list[Problem]]:
    """Each line in its own encoding, re-encoded as UTF-8; the mix and any garbage reported."""
    out: list[bytes] = []
    utf8_lines: list[int] = []
    gbk_lines: list[int] = []
    bad_lines: list[int] = []
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            out.append(line)
            continue
        try:
            line.decode("utf-8")
            out.append(line)
            utf8_lines.append(number)
        except UnicodeDecodeError:
            try:
                out.append(line.decode("gb18030").encode("utf-8"))
                gbk_lines.append(number)
            except UnicodeDecodeError:
                out.append(line.decode("utf-8", errors="replace").encode("utf-8"))
                bad_lines.append(number)
    problems: list[Problem] = []
    if utf8_lines and gbk_lines:
        minority, name = ((gbk_lines, "GBK") if len(gbk_lines) <= len(utf8_lines)
                          else (utf8_lines, "UTF-8"))
        problems.append(problem(
            "E001", file, f"the file mixes text encodings: {len(gbk_lines):,} line(s) in GBK "
            f"and {len(utf8_lines):,} in UTF-8 (this is the first {name} one); each line was "
            "read in its own encoding: save the file again as CSV UTF-8", row=minority[0]))
    if bad_lines:
        more = f" (and {len(bad_lines) - 1:,} more)" if len(bad_lines) > 1 else ""
        problems.append(problem(
            "E001", file, f"line {bad_lines[0]:,}{more} is neither UTF-8 nor GBK text; "
            "undecodable bytes were replaced with \ufffd", row=bad_lines[0]))
    return b"\n".join(out), "utf-8", problems


def _parse_csv_fast(text: bytes, encoding: str, header_idx: int, width: int
                    ) -> tuple[list[Any] | None, Any]:
    """pyarrow's multithreaded parser; gives up (returns None) on any irregular row.

    Only the empty string is null: "NaN", "NULL" or "N/A" stay text, so that validation can
    call them what they are (not a number) instead of "blank". A quoted line break would shift
    every later row number, so the rows parsed must match the lines counted.
    """
    import numpy as np
    import pyarrow as pa
    from pyarrow import csv as pacsv

    irregular: list[int] = []

    def on_invalid(row: Any) -> str:
        irregular.append(1)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text),
            read_options=pacsv.ReadOptions(skip_rows=header_idx + 1, column_names=names,
                                           encoding="utf8" if encoding == "utf-8" else encoding,
                                           block_size=16 * 1024 * 1024),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid,
                                              ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=True,
                null_values=[""], quoted_strings_can_be_null=False),
        )
    except (pa.ArrowException, ValueError, OSError):
        return None, None
    if irregular:
        return None, None
    ends = text.count(b"\n") or text.count(b"\r")
    lines = ends + (0 if text.endswith((b"\n", b"\r")) else 1)
    if table.num_rows != lines - (header_idx + 1):
        return None, None
    rows = np.arange(header_idx + 2, header_idx + 2 + table.num_rows, dtype=np.int64)
    return [table.column(i).to_pandas(types_mapper=_string_mapper) for i in range(width)], rows


def _parse_csv_slow(text: bytes, encoding: str, file: str, header_idx: int, width: int
                    ) -> tuple[list[Any], list[int], list[Problem]]:
    """Python's csv module: for ragged or odd files, keeping the line each row starts on."""
    import pandas as pd

    values: list[list[str | None]] = [[] for _ in range(width)]
    rows: list[int] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text.decode(encoding, errors="replace"), newline=""))
    end = 0
    start = 1
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if end <= header_idx + 1 or not any(cell.strip() for cell in record):
                continue
            if len(record) > width:
                problems.append(problem("E001", file, f"row has {len(record):,} fields, the "
                                        f"header has {width}; extra fields ignored", row=start))
            for i in range(width):
                values[i].append(record[i] if i < len(record) and record[i] != "" else None)
            rows.append(start)
    except csv.Error as exc:
        problems.append(problem("E001", file, f"not readable as CSV from this line on ({exc}): "
                                "a quote that is never closed?", row=end + 1))
    else:
        if end > start and text.count(b'"') % 2 and rows and rows[-1] == start:
            problems.append(problem("E001", file, f"a quote opened on this line is never "
                                    f"closed, so lines {start:,}–{end:,} are one cell; the row "
                                    "was not read", row=start))
            rows.pop()
            for column in values:
                column.pop()
    return [pd.Series(v, dtype="string[pyarrow]") for v in values], rows, problems


# --- Parquet -----------------------------------------------------------------------------------

def _read_parquet(path: Path, file: str, matcher: HeaderMatcher
                  ) -> tuple[list[Table], list[Problem]]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        return [], [problem("E001", file, f"not a readable Parquet file: {_short(exc)}")]
    names = list(table.column_names)
    if len(names) > MAX_COLUMNS:
        return [], [problem("E004", file, f"{len(names):,} columns exceed the limit of "
                            f"{MAX_COLUMNS:,}")]
    columns = [table.column(i).cast(pa.string()).to_pandas(types_mapper=_string_mapper)
               if not pa.types.is_floating(table.column(i).type) else
               table.column(i).to_pandas() for i in range(len(names))]
    rows = np.arange(2, 2 + table.num_rows, dtype=np.int64)
    built, problems = _build_table(file, None, 1, list(names), list(range(len(names))), columns,
                                   rows, matcher)
    return [built], problems


# --- entry points ------------------------------------------------------------------------------

def read_tables(path: str | os.PathLike[str], *, sheet: str | None = None,
                header_aliases: Mapping[str, Iterable[str]] | None = None,
                display_name: str | None = None) -> tuple[list[Table], list[Problem]]:
    """Read every table of one input file (``-`` is CSV on standard input).

    Never raises for bad input: an unreadable file gives a problem and no tables.
    """
    matcher = HeaderMatcher(header_aliases)
    file = display_safe(display_name or ("<stdin>" if str(path) == STDIN else str(path)))
    try:
        if str(path) == STDIN:
            return _read_csv(sys.stdin.buffer.read(), file, matcher)
        p = Path(path)
        if p.is_dir():
            return [], [problem("E001", file, "a directory, not a file")]
        with open(p, "rb") as fh:
            head = fh.read(512)
        kind = _sniff(p, head)
        if kind == "xlsx":
            return _read_workbook(p, file, sheet, matcher)
        if kind == "parquet":
            return _read_parquet(p, file, matcher)
        if kind == "csv":
            return _read_csv_file(p, file, matcher)
        return [], [problem("E001", file, kind)]
    except OSError as exc:
        return [], [problem("E001", file, f"cannot be read: {exc.strerror or exc}")]
    except MemoryError:
        return [], [problem("E004", file, "too large to read into memory")]
    except Exception as exc:  # the last line of defence: a problem, never a traceback
        return [], [problem("E001", file, f"cannot be read ({type(exc).__name__}: "
                            f"{_short(exc)}); please report this as a bug")]

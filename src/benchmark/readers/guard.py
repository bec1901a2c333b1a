"""The guard that answers one question: is this workbook safe to hand to calamine?

calamine trusts its input: it inflates whatever a zip entry holds whatever size the entry
declares, and it allocates one 32-byte slot for every cell of a sheet's bounding box. The guard
checks what the zip directory declares, then streams each XML entry once (zlib, about 1 GB/s),
holds it to its declared size, refuses DTDs, and measures every sheet to be read
(:mod:`benchmark.readers.extent`). What it refuses comes back as a typed :class:`Refusal`.

Whoever wants to see a sheet's XML while it is checked (the splitter that cuts a large sheet
into pieces, :mod:`benchmark.readers.pieces`) passes a :class:`SheetWatcher`: the guard shows it
each sheet, and the watcher may return a :class:`SheetObserver` that is fed every checked chunk
and told how far the sheet has been measured safe.
"""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from benchmark._oserrors import os_reason
from benchmark.i18n import Msg
from benchmark.readers.census import ColumnCensus
from benchmark.readers.extent import Extent, exact_extent, extent_refusal
from benchmark.readers.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_ENV,
    MAX_ZIP_ENTRIES,
    Refusal,
    Refused,
    max_uncompressed_bytes,
    over_limit,
    unreadable,
)
from benchmark.readers.table import short_error
from benchmark.readers.zip_entries import (
    check_part,
    checked_chunks,
    entry_chunks,
    not_readable,
    sheet_parts,
)

_XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass(frozen=True)
class SheetStream:
    """A sheet part about to be checked, as shown to a :class:`SheetWatcher`.

    ``others`` holds the workbook's other XML parts (shared strings, styles, workbook.xml…)
    when the watcher asked for them, and ``sheet_parts`` the parts of every sheet; ``census``
    fills in, as the sheet is measured, what kinds of cell each column holds.
    """

    sheets: tuple[str, ...]
    part: str
    size: int
    others: Mapping[str, bytes]
    sheet_parts: frozenset[str]
    census: ColumnCensus


class SheetObserver(Protocol):
    """Sees one sheet's XML while the guard checks it."""

    def feed(self, chunk: bytes) -> None:
        """The next chunk of the sheet's XML; it has passed the DTD check, not yet the others."""

    def measured(self, upto: int) -> None:
        """The first ``upto`` bytes of the sheet are plain XML within every limit: calamine
        may read them while the rest is still being checked."""

    def finish(self, refusal: Refusal | None, plain: bool) -> None:
        """The whole sheet is checked: ``refusal`` says why it may not be read; ``plain`` is
        False when the fast scan could not vouch for it (it was measured exactly instead)."""


class SheetWatcher(Protocol):
    """Decides which sheets to observe while the guard checks them."""

    def wants_others(self, sheet_sizes: Sequence[int], others_size: int) -> bool:
        """Whether the other XML parts should be kept for :attr:`SheetStream.others`."""

    def watch(self, stream: SheetStream) -> SheetObserver | None:
        """An observer for this sheet, or None to let it pass unobserved."""


@dataclass
class Inspection:
    """What the guard found: a refusal of the whole file, or of single sheets (by name), the
    zip entry of each sheet, the sheets hidden in Excel, and the census of each sheet measured
    (the kinds of cell in its columns, its merged ranges)."""

    refusal: Refusal | None = None
    sheets: dict[str, Refusal] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)
    census: dict[str, ColumnCensus] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)


def inspect_workbook(
    path: Path,
    wanted: str | None,
    watcher: SheetWatcher | None = None,
    stop: threading.Event | None = None,
    include_hidden: bool = False,
) -> Inspection:
    """Check a workbook before calamine opens it; see the module docstring for why.

    First what the zip directory declares (O(1) per entry), then every XML entry is inflated
    once, held to its declared size and refused if it declares a DTD; each sheet to be read
    (``wanted``, or every visible one, or every one with ``include_hidden``) is measured, and
    shown to ``watcher`` while it is.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return Inspection(not_readable(Msg("corrupt zip: {error}", error=short_error(exc))))
    with zf:
        infos = zf.infolist()
        refusal = _directory_refusal(zf, infos)
        if refusal:
            return Inspection(refusal)
        try:
            with open(path, "rb") as fh:
                return _inspect(zf, fh, wanted, watcher, stop, include_hidden)
        except Refused as exc:
            return Inspection(exc.refusal)
        except OSError as exc:
            return Inspection(unreadable(Msg("cannot be read: {reason}", reason=os_reason(exc))))


def _inspect(
    zf: zipfile.ZipFile,
    fh: BinaryIO,
    wanted: str | None,
    watcher: SheetWatcher | None,
    stop: threading.Event | None,
    include_hidden: bool,
) -> Inspection:
    """Every XML part checked, the small ones first (kept if the watcher wants them), then
    the sheets to be read, measured."""
    infos = zf.infolist()
    parts, hidden = sheet_parts(zf)
    found = Inspection(parts=parts, hidden=hidden)
    held = {i.filename for i in infos}
    scan: dict[str, list[str]] = {}
    for name, part in parts.items():
        if name == wanted or (wanted is None and (include_hidden or name not in hidden)):
            scan.setdefault(part, []).append(name)
    for part, listed in scan.items():
        if part not in held:
            found.sheets.update(
                (
                    s,
                    unreadable(
                        Msg(
                            "the workbook places this sheet in {part}, which the file does not "
                            "hold",
                            part=part,
                        )
                    ),
                )
                for s in listed
            )
    part_names = set(parts.values())
    small = [
        i for i in infos if i.filename not in scan and i.filename.lower().endswith(_XML_SUFFIXES)
    ]
    sheets = [i for i in infos if i.filename in scan]
    others_size = sum(i.file_size for i in small if i.filename not in part_names)
    keep = watcher is not None and watcher.wants_others([i.file_size for i in sheets], others_size)
    others: dict[str, bytes] = {}
    for info in small:
        kept = check_part(fh, info, stop)
        if keep and info.filename not in part_names:
            others[info.filename] = kept
    for info in sheets:
        listed = scan[info.filename]
        census = ColumnCensus()
        found.census.update((sheet, census) for sheet in listed)
        observer = None
        if watcher is not None:
            observer = watcher.watch(
                SheetStream(
                    tuple(listed),
                    info.filename,
                    info.file_size,
                    others,
                    frozenset(part_names & held),
                    census,
                )
            )
        why = _measure_sheet(fh, info, census, observer, stop)
        if why is not None:
            found.sheets.update((sheet, why) for sheet in listed)
    return found


def _directory_refusal(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> Refusal | None:
    """Refusals that the zip directory alone decides: no workbook, too big, tampered."""
    names = [i.filename for i in infos]
    if "xl/workbook.bin" in names:
        return unreadable(Msg("an .xlsb (binary) workbook: save it as .xlsx"))
    if "xl/workbook.xml" not in names:
        if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:100]:
            return unreadable(
                Msg("an OpenDocument spreadsheet (.ods): open it and save it as .xlsx")
            )
        return unreadable(Msg("a zip archive but not an Excel workbook"))
    if len(infos) > MAX_ZIP_ENTRIES:
        return over_limit(
            Msg(
                "{count} zip entries exceed the limit of {limit}",
                count=format(len(infos), ","),
                limit=format(MAX_ZIP_ENTRIES, ","),
            )
        )
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        return not_readable(Msg("two zip entries named {name}: a tampered file", name=dup))
    for info in infos:
        if info.flag_bits & 0x1:
            return not_readable(Msg("{name} is encrypted inside the zip", name=info.filename))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return not_readable(
                Msg(
                    "{name} uses zip compression method {method}, which Excel never writes",
                    name=info.filename,
                    method=info.compress_type,
                )
            )
    return _size_refusal(infos)


def _size_refusal(infos: list[zipfile.ZipInfo]) -> Refusal | None:
    """A workbook too large once inflated, or inflating far more than a workbook does."""
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    limit = max_uncompressed_bytes()
    if total > limit:
        return over_limit(
            Msg(
                "uncompressed size {size} bytes exceeds the limit of {limit} bytes (set "
                "{variable} to raise it)",
                size=format(total, ","),
                limit=format(limit, ","),
                variable=MAX_UNCOMPRESSED_ENV,
            )
        )
    if total > 50 * 1024**2 and total / packed > MAX_COMPRESSION_RATIO:
        return over_limit(
            Msg(
                "compression ratio {ratio}:1 exceeds the limit of {limit}:1 (a zip bomb?)",
                ratio=format(total / packed, ",.0f"),
                limit=MAX_COMPRESSION_RATIO,
            )
        )
    return None


def _measure_sheet(
    fh: BinaryIO,
    info: zipfile.ZipInfo,
    census: ColumnCensus,
    observer: SheetObserver | None,
    stop: threading.Event | None,
) -> Refusal | None:
    """Inflate and measure one sheet part; return why it may not be read, if it may not.

    The scan also takes the ``census`` of its cells. Each chunk goes to ``observer`` after the
    DTD check, and the observer hears how far the sheet has been measured safe after every
    chunk. XML the fast scan cannot vouch for is measured again exactly.
    """
    extent = Extent(census)
    try:
        for chunk in checked_chunks(fh, info, stop):
            extent.feed(chunk)
            if observer is not None:
                observer.feed(chunk)
                if extent.vouches():
                    observer.measured(extent.scanned)
        extent.feed(b"", final=True)
        if extent.odd:
            why = extent_refusal(*exact_extent(entry_chunks(fh, info)))
        else:
            why = extent_refusal(extent.max_row, extent.max_col, extent.cells)
    except BaseException:
        if observer is not None:  # refused, cancelled or broken: the observer lets go at once
            observer.finish(None, plain=False)
        raise
    if observer is not None:
        if why is None and not extent.odd:
            observer.measured(extent.scanned)
        observer.finish(why, plain=not extent.odd)
    return why

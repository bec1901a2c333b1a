"""A workbook's zip entries as the guard reads them: each inflated in chunks and held to the
size it declares (calamine would inflate it to its end), refused at once if it declares a DTD,
the large ones inflated in a thread while the caller scans; and the sheet parts the workbook
names, found as calamine finds them."""

from __future__ import annotations

import html
import posixpath
import queue
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from benchmark._parallel import check_cancelled
from benchmark.i18n import N_, Msg
from benchmark.readers.limits import Refusal, Refused, over_limit, unreadable
from benchmark.readers.table import short_error

#: How much of an entry is inflated at a time.
CHUNK = 1024 * 1024
#: Entries larger than this are inflated in a background thread while the caller scans.
_PREFETCH_BYTES = 4 * CHUNK


def not_readable(detail: Msg) -> Refusal:
    """E001 for a workbook whose zip or XML is damaged or tampered with, and where."""
    return unreadable(Msg("not a readable workbook ({detail})", detail=detail))


_XML_TAG = re.compile(rb"<(?:[\w.\-]+:)?(sheet|Relationship)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_XML_ATTR = re.compile(rb"""([\w.:\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DTD = N_(
    "{name} declares a DTD (<!DOCTYPE>), which no spreadsheet program writes: XML entity expansion?"
)


def small_part(zf: zipfile.ZipFile, name: str) -> bytes:
    """A small XML part (workbook.xml, its rels) read whole, refused if large or with a DTD."""
    info = zf.getinfo(name)
    if info.file_size > 16 * 1024 * 1024:
        raise Refused(
            over_limit(
                Msg(
                    "{name} is {size} bytes (a crafted file?)",
                    name=name,
                    size=format(info.file_size, ","),
                )
            )
        )
    try:
        data = zf.read(name)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise Refused(
            not_readable(Msg("{name}: {error}", name=name, error=short_error(exc)))
        ) from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Refused(not_readable(Msg(_DTD, name=name)))
    return data


def xml_tags(data: bytes, tag: bytes) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element (namespace prefixes of names dropped, ``r:``
    kept), by a regular expression over the tags rather than an XML parser: calamine accepts
    XML that expat rejects (a control character in a sheet name), and the guard must find
    every sheet calamine will read."""
    found = []
    for m in _XML_TAG.finditer(data):
        if m.group(1) != tag:
            continue
        attrs: dict[str, str] = {}
        for a in _XML_ATTR.finditer(m.group(2)):
            key = a.group(1).decode("utf-8", "replace").rpartition(":")
            value = (a.group(2) if a.group(2) is not None else a.group(3)) or b""
            attrs[("r:" if key[0] else "") + key[2]] = html.unescape(
                value.decode("utf-8", "replace")
            )
        found.append(attrs)
    return found


def sheet_parts(zf: zipfile.ZipFile) -> tuple[dict[str, str], set[str]]:
    """Sheet name → zip entry of its XML, as calamine finds them (workbook.xml and its rels),
    and the names of the sheets Excel hides (``state="hidden"`` or ``"veryHidden"``: old data,
    the lists behind drop-downs)."""
    try:
        rels = xml_tags(small_part(zf, "xl/_rels/workbook.xml.rels"), b"Relationship")
    except KeyError:
        return {}, set()
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts: dict[str, str] = {}
    hidden: set[str] = set()
    for sheet in xml_tags(small_part(zf, "xl/workbook.xml"), b"sheet"):
        target, name = targets.get(sheet.get("r:id")), sheet.get("name")
        if not target or name is None:
            continue
        target = target.replace("\\", "/")
        path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        parts[name] = posixpath.normpath(path)
        if sheet.get("state") in ("hidden", "veryHidden"):
            hidden.add(name)
    return parts, hidden


def entry_chunks(fh: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Inflate one zip entry in chunks, refusing it the moment it outgrows its declared size.

    calamine inflates an entry to its end whatever size the entry declares, so the declared
    sizes checked up front mean nothing unless the data is held to them.
    """
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or not local.startswith(b"PK\x03\x04"):
        raise Refused(
            not_readable(
                Msg("corrupt zip: no entry {name} where the directory says", name=info.filename)
            )
        )
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    if info.compress_type == zipfile.ZIP_STORED:
        yield from _stored_chunks(fh, info)
        return
    left = info.compress_size
    inflater = zlib.decompressobj(-15)
    total = 0
    try:
        while True:
            if inflater.unconsumed_tail:
                out = inflater.decompress(inflater.unconsumed_tail, CHUNK)
            elif left and not inflater.eof:
                data = fh.read(min(CHUNK, left))
                if not data:
                    break
                left -= len(data)
                out = inflater.decompress(data, CHUNK)
            else:
                break
            total += len(out)
            if total > info.file_size:
                raise Refused(
                    over_limit(
                        Msg(
                            "zip entry {name} declares {size} bytes but inflates to more (a "
                            "disguised zip bomb)",
                            name=info.filename,
                            size=format(info.file_size, ","),
                        )
                    )
                )
            if out:
                yield out
    except zlib.error as exc:
        raise Refused(
            not_readable(
                Msg("corrupt zip entry {name}: {error}", name=info.filename, error=str(exc))
            )
        ) from None


def _stored_chunks(fh: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    left = info.compress_size
    while left:
        data = fh.read(min(CHUNK, left))
        if not data:
            raise Refused(not_readable(Msg("corrupt zip: {name} is cut short", name=info.filename)))
        left -= len(data)
        yield data


def _prefetched(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Inflate in a background thread (zlib releases the GIL) while the caller scans."""
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


def checked_chunks(
    fh: BinaryIO, info: zipfile.ZipInfo, stop: threading.Event | None
) -> Iterator[bytes]:
    """The entry's chunks, refused at once if it declares a DTD; stops when ``stop`` is set."""
    chunks = entry_chunks(fh, info)
    first = True
    for chunk in _prefetched(chunks) if info.file_size > _PREFETCH_BYTES else chunks:
        check_cancelled(stop)
        if first:
            head = chunk[:65536]
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise Refused(not_readable(Msg(_DTD, name=info.filename)))
            first = False
        yield chunk


def check_part(fh: BinaryIO, info: zipfile.ZipInfo, stop: threading.Event | None) -> bytes:
    """Inflate a part that is not a sheet to be read: refused (raised) if it declares a DTD or
    outgrows its size; its bytes are returned."""
    return b"".join(checked_chunks(fh, info, stop))

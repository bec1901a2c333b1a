"""Read enterprise files (.xlsx/.xlsm, .csv, .parquet) into tables that remember Excel coordinates.

Every cell is read exactly — as the text a person typed, or, for a workbook column proven to
hold nothing but numbers, as the numbers themselves — so that nothing is lost or guessed at
before validation, and every row keeps the row number Excel shows. Workbooks are read with
fastexcel (Rust calamine into Arrow): twenty times faster than openpyxl on large sheets. Files
are sniffed by content, not by name, and refused with a problem — never a traceback, a hang or
a crash — when they are not what they claim, are encrypted, or exceed a safety limit.

One module a concern: :mod:`~benchmark.readers.sniff` (what a file is),
:mod:`~benchmark.readers.guard` (is a workbook safe to parse) with
:mod:`~benchmark.readers.zip_entries` (its entries inflated within their declared sizes),
:mod:`~benchmark.readers.extent` (a sheet's bounding box from its XML) and
:mod:`~benchmark.readers.census` (the kinds of cell in each column, from the same scan),
:mod:`~benchmark.readers.split` and :mod:`~benchmark.readers.pieces` (a large sheet cut into
pieces and read on every core), :mod:`~benchmark.readers.cells` and
:mod:`~benchmark.readers.numbers` (every cell read exactly), :mod:`~benchmark.readers.merged`
(merged key cells filled), :mod:`~benchmark.readers.xlsx`, :mod:`~benchmark.readers.csvfile`
and :mod:`~benchmark.readers.parquet` (one per format), :mod:`~benchmark.readers.table` (the
table every reader returns, and the header row that names its columns) and
:mod:`~benchmark.readers.limits`. :func:`read_tables` is the entry point.
"""

from __future__ import annotations

import contextlib
import os
import select
import stat
import sys
import tempfile
import threading
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from benchmark._oserrors import os_reason
from benchmark._parallel import check_cancelled
from benchmark.headers import HeaderMatcher
from benchmark.i18n import Msg
from benchmark.problems import Problem, problem
from benchmark.readers.csvfile import read_csv, read_csv_file
from benchmark.readers.limits import (
    MAX_LINE_BYTES,
    MAX_UNCOMPRESSED_ENV,
    max_uncompressed_bytes,
    too_long_first_line,
)
from benchmark.readers.parquet import read_parquet
from benchmark.readers.sniff import INPUT_SUFFIXES, STDIN, sniff
from benchmark.readers.table import (
    HEADER_SEARCH_ROWS,
    Table,
    TablePart,
    collect_parts,
    display_safe,
    short_error,
)
from benchmark.readers.xlsx import iter_workbook

__all__ = [
    "HEADER_SEARCH_ROWS",
    "INPUT_SUFFIXES",
    "STDIN",
    "Table",
    "TablePart",
    "display_safe",
    "iter_tables",
    "read_tables",
]


def read_tables(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    header_aliases: Mapping[str, Iterable[str]] | None = None,
    display_name: str | None = None,
    stop: threading.Event | None = None,
    include_hidden: bool = False,
) -> tuple[list[Table], list[Problem]]:
    """Read every table of one input file (``-`` is standard input).

    Never raises for bad input: an unreadable file gives a problem and no tables. Setting
    ``stop`` (from another thread) makes a long workbook read give up at its next chunk with
    :class:`benchmark._parallel.Cancelled`. Sheets hidden in Excel are read only with
    ``include_hidden`` (or when ``sheet`` names one).
    """
    return collect_parts(
        iter_tables(
            path,
            sheet=sheet,
            header_aliases=header_aliases,
            display_name=display_name,
            stop=stop,
            include_hidden=include_hidden,
        )
    )


def iter_tables(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    header_aliases: Mapping[str, Iterable[str]] | None = None,
    display_name: str | None = None,
    stop: threading.Event | None = None,
    include_hidden: bool = False,
) -> Generator[TablePart, None, None]:
    """:func:`read_tables` part by part: a large sheet comes a piece at a time, each as soon
    as it is read, so that its rows can be checked while calamine parses the next.

    ``display_name`` is what problems and rows call the file (by default its name as
    :func:`benchmark.inputs.display_name` gives it). Standard input, a pipe (``<(cat x)``,
    ``/dev/fd/N``, a FIFO) or a device is read once into memory, within the size limit, then
    sniffed and parsed from there, in any of the formats: it cannot be opened a second time.

    Never raises for bad input: a file that fails part-way gives a ``restart`` part with the
    problem (the parts of the sheet being read are dropped; sheets already complete stay).
    A part's ``notices`` say what the user should know that is no problem (a hidden sheet
    skipped, a large sheet read on one core for want of temporary space).
    """
    from benchmark.inputs import display_name as name_of
    from benchmark.inputs import readable

    matcher = HeaderMatcher(header_aliases)
    name = os.fspath(path)
    file = readable(display_name) if display_name is not None else name_of(name)
    try:
        mode = 0 if name == STDIN else os.stat(name).st_mode
        if stat.S_ISDIR(mode):
            yield TablePart(None, [problem("E001", file, Msg("a directory, not a file"))])
        elif stat.S_ISREG(mode):
            yield from _from_file(Path(name), file, _Want(sheet, include_hidden), matcher, stop)
        else:
            data, refusal = _slurp(name, file, stop)
            yield from (
                _from_bytes(data, file, _Want(sheet, include_hidden), matcher, stop)
                if refusal is None
                else [TablePart(None, [refusal])]
            )
    except OSError as exc:
        yield TablePart(
            None,
            [problem("E001", file, Msg("cannot be read: {reason}", reason=os_reason(exc)))],
            restart=True,
        )
    except MemoryError:
        yield TablePart(
            None, [problem("E004", file, Msg("too large to read into memory"))], restart=True
        )
    except Exception as exc:  # the last line of defence: a problem, never a traceback
        yield TablePart(
            None,
            [
                problem(
                    "E001",
                    file,
                    Msg(
                        "cannot be read ({kind}: {error}); please report this as a bug",
                        kind=type(exc).__name__,
                        error=short_error(exc),
                    ),
                )
            ],
            restart=True,
        )


@dataclass(frozen=True)
class _Want:
    """Which sheets of a workbook to read: one by name, or all (hidden ones too, or not)."""

    sheet: str | None
    include_hidden: bool


def _sheets(
    path: Path, file: str, want: _Want, matcher: HeaderMatcher, stop: threading.Event | None
) -> Iterator[TablePart]:
    return iter_workbook(path, file, want.sheet, matcher, stop, want.include_hidden)


def _from_file(
    path: Path, file: str, want: _Want, matcher: HeaderMatcher, stop: threading.Event | None
) -> Iterator[TablePart]:
    """A regular file, sniffed by its first bytes and read by its format's reader."""
    with open(path, "rb") as fh:
        head = fh.read(512)
    kind = sniff(path, head)
    if kind == "xlsx" and not _utf8_name(path):
        # calamine takes a path only as UTF-8 text: it reads the file through a link whose
        # name is. Read whole before the first part is given out (see _read_whole).
        with _linked(path) as alias:
            parts = _read_whole(_sheets(alias, file, want, matcher, stop))
        yield from parts
    elif kind == "xlsx":
        yield from _sheets(path, file, want, matcher, stop)
    elif kind == "parquet":
        yield from _whole(read_parquet(path, file, matcher))
    elif kind == "csv":
        yield from _whole(read_csv_file(path, file, matcher))
    else:
        yield _no_table(file, kind)


def _no_table(file: str, kind: str | Msg) -> TablePart:
    """E001 for a file that is no table: ``kind`` is then the reason :func:`sniff` gave."""
    assert isinstance(kind, Msg), kind
    return TablePart(None, [problem("E001", file, kind)])


def _slurp(name: str, file: str, stop: threading.Event | None) -> tuple[bytes, Problem | None]:
    """Standard input, a pipe or a device: every byte, read once (see :func:`_drain`)."""
    if name == STDIN:
        return _drain(sys.stdin.buffer, file, stop)
    with open(name, "rb", buffering=0) as fh:
        return _drain(fh, file, stop)


def _from_bytes(
    data: bytes, file: str, want: _Want, matcher: HeaderMatcher, stop: threading.Event | None
) -> Iterator[TablePart]:
    """The bytes of standard input or a pipe, sniffed and parsed from memory."""
    head = data[:512]
    kind = "xlsx" if head.startswith(_CFB) else sniff(_NO_NAME, head)
    if kind == "xlsx":
        # The guard and calamine read a workbook from a file: a temporary one here (fastexcel
        # could read the bytes, but the guard that measures a workbook before calamine
        # inflates it works on a file). Read whole before the first part is given out (see
        # _read_whole).
        with _spilled(data) as copy:
            kind = sniff(copy, head)
            parts = (
                [_no_table(file, kind)]
                if kind != "xlsx"
                else _read_whole(_sheets(copy, file, want, matcher, stop))
            )
        yield from parts
    elif kind == "parquet":
        yield from _whole(read_parquet(data, file, matcher))
    elif kind == "csv":
        yield from _whole(read_csv(data, file, matcher))
    else:
        yield _no_table(file, kind)


_NO_NAME = Path("-")
_CFB = b"\xd0\xcf\x11\xe0"
#: How a file that is no text begins: a zip (xlsx), Parquet, OLE2 (xls, encrypted), PDF.
_BINARY_STARTS = (b"PK\x03\x04", b"PK\x05\x06", b"PAR1", _CFB, b"%PDF")
_READ_BYTES = 1024 * 1024
#: Seconds a read of a pipe waits for data before it looks whether the run was cancelled.
_POLL_SECONDS = 0.2


def _drain(
    stream: BinaryIO, file: str, stop: threading.Event | None
) -> tuple[bytes, Problem | None]:
    """Every byte of a stream, or a refusal: more than the size limit, or a first line longer
    than a CSV line may be. Text stops being read at a NUL byte, which makes it no CSV: the
    CSV reader then says so at its line (``/dev/urandom`` is refused at once, not at 2 GiB).
    """
    limit = max_uncompressed_bytes()
    fd = _fileno(stream)
    data = bytearray()
    text: bool | None = None
    while True:
        check_cancelled(stop)
        if fd is not None and not _readable(fd, stop):
            continue
        chunk = os.read(fd, _READ_BYTES) if fd is not None else stream.read(_READ_BYTES)
        if not chunk:
            break
        seen = len(data)
        data += chunk
        if len(data) > limit:
            return b"", problem(
                "E004",
                file,
                Msg(
                    "more than {limit} bytes from a pipe or standard input, over the limit (set "
                    "{variable} to raise it)",
                    limit=format(limit, ","),
                    variable=MAX_UNCOMPRESSED_ENV,
                ),
            )
        if text is None and len(data) >= 8:
            text = not data.startswith(_BINARY_STARTS)
        if not text:
            continue
        if b"\x00" in chunk:
            break
        if seen <= MAX_LINE_BYTES < len(data) and not _has_line_end(data, MAX_LINE_BYTES + 1):
            return b"", problem("E004", file, too_long_first_line(), row=1)
    return bytes(data), None


def _has_line_end(data: bytearray, within: int) -> bool:
    return data.find(b"\n", 0, within) >= 0 or data.find(b"\r", 0, within) >= 0


def _fileno(stream: BinaryIO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None


def _readable(fd: int, stop: threading.Event | None) -> bool:
    """Whether ``fd`` has data (or its end) now; waits a moment, so that a run cancelled
    while a pipe's writer is silent stops instead of waiting for it."""
    if stop is None:
        return True
    try:
        ready, _, _ = select.select([fd], [], [], _POLL_SECONDS)
    except (OSError, ValueError):  # select cannot wait on this kind of file here
        return True
    return bool(ready)


def _utf8_name(path: Path) -> bool:
    """Whether the name is UTF-8 (Python keeps other bytes as lone surrogates)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@contextlib.contextmanager
def _spilled(data: bytes | bytearray) -> Iterator[Path]:
    """``data`` as a temporary file, removed on the way out."""
    fd, name = tempfile.mkstemp(prefix="benchmark-", suffix=".xlsx")
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


@contextlib.contextmanager
def _linked(path: Path) -> Iterator[Path]:
    """A temporary symlink, with a UTF-8 name, to ``path``; removed on the way out."""
    folder = tempfile.mkdtemp(prefix="benchmark-")
    link = Path(folder) / (
        "input" + (path.suffix.lower() if _utf8_name(Path(path.suffix)) else ".xlsx")
    )
    try:
        os.symlink(os.path.abspath(path), link)
        yield link
    finally:
        with contextlib.suppress(OSError):
            os.unlink(link)
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def _read_whole(parts: Iterator[TablePart]) -> list[TablePart]:
    """Every part of a workbook read through a temporary file or link, before the first is
    given out.

    A consumer may stop taking parts at any point (an error, a cancelled run), and a
    generator left half-way runs its ``finally`` only when it is collected — perhaps never,
    at interpreter exit. Read whole inside the ``with``, the temporary goes on every path.
    Such inputs (a pipe, a name that is not UTF-8) are rare; the cost is that their rows are
    checked after, not while, the sheet is parsed.
    """
    return list(parts)


def _whole(read: tuple[list[Table], list[Problem]]) -> Iterator[TablePart]:
    tables, problems = read
    if problems:
        yield TablePart(None, problems)
    for table in tables:
        yield TablePart(table)

"""Read enterprise files (.xlsx/.xlsm, .csv, .parquet) into tables that remember Excel coordinates.

Every cell is read exactly — as the text a person typed, or, for a workbook column proven to
hold nothing but numbers, as the numbers themselves — so that nothing is lost or guessed at
before validation, and every row keeps the row number Excel shows. Workbooks are read with
fastexcel (Rust calamine into Arrow): twenty times faster than openpyxl on large sheets. Files
are sniffed by content, not by name, and refused with a problem — never a traceback, a hang or
a crash — when they are not what they claim, are encrypted, or exceed a safety limit.

One module a concern: :mod:`~benchmark.readers.sniff` (what a file is),
:mod:`~benchmark.readers.guard` (is a workbook safe to parse), :mod:`~benchmark.readers.extent`
(a sheet's bounding box from its XML) and :mod:`~benchmark.readers.census` (the kinds of cell
in each column, from the same scan), :mod:`~benchmark.readers.split` and
:mod:`~benchmark.readers.pieces` (a large sheet cut into pieces and read on every core),
:mod:`~benchmark.readers.cells` and :mod:`~benchmark.readers.numbers` (every cell read
exactly), :mod:`~benchmark.readers.merged` (merged key cells filled),
:mod:`~benchmark.readers.xlsx`, :mod:`~benchmark.readers.csvfile` and
:mod:`~benchmark.readers.parquet` (one per format), :mod:`~benchmark.readers.table` (the
table every reader returns, and the header row that names its columns) and
:mod:`~benchmark.readers.limits`. :func:`read_tables` is the entry point.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Generator, Iterable, Iterator, Mapping
from pathlib import Path

from benchmark.problems import Problem, problem
from benchmark.readers.csvfile import read_csv, read_csv_file
from benchmark.readers.limits import (
    DEFAULT_MAX_CELLS,
    DEFAULT_MAX_UNCOMPRESSED,
    MAX_CELL_CHARS,
    MAX_CELLS_ENV,
    MAX_COLUMNS,
    MAX_LINE_BYTES,
    MAX_UNCOMPRESSED_ENV,
    max_cells,
    max_uncompressed_bytes,
)
from benchmark.readers.parquet import read_parquet
from benchmark.readers.sniff import INPUT_SUFFIXES, STDIN, WORKBOOK_SUFFIXES, sniff
from benchmark.readers.table import (
    FIELD_ALIASES,
    FIELDS,
    HEADER_SEARCH_ROWS,
    REQUIRED_FIELDS,
    HeaderMatcher,
    Table,
    TablePart,
    collect_parts,
    column_letter,
    display_safe,
    short_error,
)
from benchmark.readers.xlsx import iter_workbook

__all__ = [
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_UNCOMPRESSED",
    "FIELDS",
    "FIELD_ALIASES",
    "HEADER_SEARCH_ROWS",
    "INPUT_SUFFIXES",
    "MAX_CELLS_ENV",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_LINE_BYTES",
    "MAX_UNCOMPRESSED_ENV",
    "REQUIRED_FIELDS",
    "STDIN",
    "WORKBOOK_SUFFIXES",
    "HeaderMatcher",
    "Table",
    "TablePart",
    "column_letter",
    "display_safe",
    "iter_tables",
    "max_cells",
    "max_uncompressed_bytes",
    "read_tables",
]


def read_tables(path: str | os.PathLike[str], *, sheet: str | None = None,
                header_aliases: Mapping[str, Iterable[str]] | None = None,
                display_name: str | None = None, stop: threading.Event | None = None,
                include_hidden: bool = False) -> tuple[list[Table], list[Problem]]:
    """Read every table of one input file (``-`` is CSV on standard input).

    Never raises for bad input: an unreadable file gives a problem and no tables. Setting
    ``stop`` (from another thread) makes a long workbook read give up at its next chunk with
    :class:`benchmark.parallel.Cancelled`. Sheets hidden in Excel are read only with
    ``include_hidden`` (or when ``sheet`` names one).
    """
    return collect_parts(iter_tables(path, sheet=sheet, header_aliases=header_aliases,
                                     display_name=display_name, stop=stop,
                                     include_hidden=include_hidden))


def iter_tables(path: str | os.PathLike[str], *, sheet: str | None = None,
                header_aliases: Mapping[str, Iterable[str]] | None = None,
                display_name: str | None = None, stop: threading.Event | None = None,
                include_hidden: bool = False) -> Generator[TablePart, None, None]:
    """:func:`read_tables` part by part: a large sheet comes a piece at a time, each as soon
    as it is read, so that its rows can be checked while calamine parses the next.

    Never raises for bad input: a file that fails part-way gives a ``restart`` part with the
    problem (the parts of the sheet being read are dropped; sheets already complete stay).
    A part's ``notices`` say what the user should know that is no problem (a hidden sheet
    skipped, a large sheet read on one core for want of temporary space).
    """
    matcher = HeaderMatcher(header_aliases)
    file = display_safe(display_name or ("<stdin>" if str(path) == STDIN else str(path)))
    try:
        if str(path) == STDIN:
            yield from _whole(read_csv(sys.stdin.buffer.read(), file, matcher))
            return
        p = Path(path)
        if p.is_dir():
            yield TablePart(None, [problem("E001", file, "a directory, not a file")])
            return
        with open(p, "rb") as fh:
            head = fh.read(512)
        kind = sniff(p, head)
        if kind == "xlsx":
            yield from iter_workbook(p, file, sheet, matcher, stop, include_hidden)
        elif kind == "parquet":
            yield from _whole(read_parquet(p, file, matcher))
        elif kind == "csv":
            yield from _whole(read_csv_file(p, file, matcher))
        else:
            yield TablePart(None, [problem("E001", file, kind)])
    except OSError as exc:
        yield TablePart(None, [problem("E001", file, "cannot be read: "
                                       f"{exc.strerror or exc}")], restart=True)
    except MemoryError:
        yield TablePart(None, [problem("E004", file, "too large to read into memory")],
                        restart=True)
    except Exception as exc:  # the last line of defence: a problem, never a traceback
        yield TablePart(None, [problem("E001", file, f"cannot be read ({type(exc).__name__}: "
                                       f"{short_error(exc)}); please report this as a bug")],
                        restart=True)


def _whole(read: tuple[list[Table], list[Problem]]) -> Iterator[TablePart]:
    tables, problems = read
    if problems:
        yield TablePart(None, problems)
    for table in tables:
        yield TablePart(table)

"""From paths to validated (and graded) rows: expand directories and globs, read, validate,
find duplicates across the run, grade.

This is the Python API behind ``benchmark validate`` and ``benchmark grade``; the CLI only adds
argument parsing and rendering.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import pandas as pd

from benchmark._codes import filter_rows
from benchmark._parallel import check_cancelled, workers
from benchmark._sheets import CheckedPart, InOrder, SheetChecks, report_rows
from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.fields import FIELDS
from benchmark.grading import grade as grade_rows
from benchmark.inputs import InputFile, expand_inputs
from benchmark.problems import Notice, Problem, in_sheet_order, notice
from benchmark.readers import Table, TablePart, iter_tables
from benchmark.readers.rowkinds import RowKind, classify_rows, describe_skipped
from benchmark.readers.years import split_years
from benchmark.validation import check_rows, empty_result
from benchmark.validation.duplicates import find_duplicates

#: A table of a run: (file, sheet).
TableKey = tuple[str, str | None]


class Events:
    """How a caller follows a run and stops it: override :meth:`rows` and :meth:`file_done`
    (they are called from reading threads), set :attr:`stop` to cancel."""

    def __init__(self) -> None:
        self.stop = threading.Event()

    def rows(self, path: str, count: int) -> None:
        """``count`` more rows of ``path`` are checked; a negative count takes back the rows of
        a sheet that is read again whole."""

    def file_done(self, path: str, rows: int) -> None:
        """``path`` is read and checked, ``rows`` rows in all."""


@dataclass
class Checked:
    """The outcome of reading and validating some files.

    ``frame`` holds the valid rows — graded when ``graded`` — with each row's file, sheet and
    Excel row; repeats of an earlier row (E110) are not in it.
    """

    frame: pd.DataFrame
    problems: list[Problem]
    files: list[str] = field(default_factory=list)
    rows_total: int = 0
    graded: bool = False
    notices: list[Notice] = field(default_factory=list)

    @property
    def rows_valid(self) -> int:
        return len(self.frame)


def expand_paths(paths: Iterable[str]) -> tuple[list[str], list[Problem]]:
    """Files named, found recursively in directories (.xlsx/.xlsm/.csv/.parquet), or globbed:
    each file once, however it is reached (see :func:`benchmark.inputs.expand_inputs`)."""
    found, problems = expand_inputs(paths)
    return [item.path for item in found], problems


def with_indicators(
    header_aliases: Mapping[str, Iterable[str]] | None, catalogue: Catalogue
) -> dict[str, list[str]]:
    """The header aliases, with the catalogue's indicator names as names of the value column
    (a list headed 铝液交流电耗 or 单位能量因数综合能耗 names its values by the indicator)."""
    aliases = {name: list(names) for name, names in (header_aliases or {}).items()}
    indicators = [a.indicator_zh for a in catalogue.areas if a.indicator_zh]
    aliases["value"] = [*aliases.get("value", []), *dict.fromkeys(indicators)]
    return aliases


def read_plants(
    path: str | os.PathLike[str],
    catalogue: Catalogue | None = None,
    *,
    sheet: str | None = None,
    header_aliases: Mapping[str, Iterable[str]] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate one input file.

    Returns the valid rows (area and category as catalogue ids, value in the catalogue unit,
    Excel coordinates in ``file``/``sheet``/``row``) and every problem found. Never raises for
    bad input.
    """
    if not isinstance(path, str | os.PathLike):  # a frame: say where it goes, not "no such file"
        raise TypeError(
            f"read_plants takes a file path, not {type(path).__name__}; "
            "for a DataFrame in memory use benchmark.validate_frame(frame)"
        )
    checked = check_files([str(path)], catalogue, sheet=sheet, header_aliases=header_aliases)
    return checked.frame, checked.problems


def validate_frame(
    frame: pd.DataFrame,
    catalogue: Catalogue | None = None,
    *,
    name: str = "<frame>",
    header_aliases: Mapping[str, Iterable[str]] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The checks of ``benchmark validate`` on a DataFrame in memory.

    Columns are matched by name as headers are (Chinese or English, ``header_aliases`` too);
    areas and categories may be ids, names or aliases, values in any unit the catalogue's
    converts. Returns the valid rows, as :func:`read_plants` does, and every problem, located
    as if the frame were written to a sheet with its header on row 1 (``<frame>:E3``).
    """
    import numpy as np

    from benchmark.headers import HeaderMatcher
    from benchmark.readers.table import build_table

    cat = catalogue or load_catalogue()
    names = [str(c) for c in frame.columns]
    columns = [
        frame[c].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        else frame[c].astype("string[pyarrow]").reset_index(drop=True)
        for c in frame.columns
    ]
    rows = np.arange(2, 2 + len(frame), dtype=np.int64)
    table, problems = build_table(
        name,
        None,
        1,
        list(names),
        list(range(len(names))),
        columns,
        rows,
        HeaderMatcher(header_aliases),
    )
    result, found = check_rows(table, cat)
    keep, duplicates = find_duplicates(
        result, {(name, None): (table.letters.get("enterprise"), table.headers.get("enterprise"))}
    )
    found += duplicates.get((name, None), [])
    in_sheet_order(found)
    return (result if keep.all() else filter_rows(result, keep)), problems + found


@dataclass(frozen=True)
class _Run:
    """What every file of one :func:`check_files` call shares."""

    catalogue: Catalogue
    sheet: str | None
    header_aliases: Mapping[str, Iterable[str]] | None
    grade: bool
    events: Events
    as_of: dt.date | None = None
    include_hidden: bool = False


@dataclass
class _File:
    """One file read and checked: its frames, its problems of reading, and the problems of
    checking each of its tables (E110 joins these once the whole run is read)."""

    frames: list[pd.DataFrame] = field(default_factory=list)
    read_problems: list[Problem] = field(default_factory=list)
    tables: list[tuple[TableKey, list[Problem]]] = field(default_factory=list)
    locations: dict[TableKey, tuple[str | None, str | None]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    rows: int = 0

    def finish(self, sheet: SheetChecks) -> None:
        self.read_problems.extend(sheet.read_problems)
        self.notices.extend(sheet.notices())
        self.tables.append((sheet.key, sheet.problems()))
        self.locations[sheet.key] = sheet.location
        self.rows += sheet.rows
        frame = sheet.frame()
        if frame is not None and len(frame):
            self.frames.append(frame)

    def problems(self, duplicates: Mapping[TableKey, list[Problem]]) -> list[Problem]:
        """Problems of reading first, then each table's in the order a reader scans them."""
        out = list(self.read_problems)
        for key, found in self.tables:
            found = found + duplicates.get(key, [])
            in_sheet_order(found)
            out.extend(found)
        return out


def check_part(run: _Run, table: Table, missing: bool) -> CheckedPart:
    """Check one part of a sheet on its own (in any thread): its section, total, note and
    blank rows set aside and counted, its plant lines checked and, for a grading run,
    graded."""
    fields = {name: name for name in FIELDS if name in table.frame.columns}
    units_row = table.units.row if table.units is not None else None
    kinds = classify_rows(table.frame, fields)
    plant = kinds == RowKind.PLANT
    skipped: dict[str, int] = {}
    if not plant.all():
        skipped = describe_skipped(kinds)
        table = replace(
            table, frame=table.frame[plant].reset_index(drop=True), rows=table.rows[plant]
        )
    if missing:
        return CheckedPart(len(table.frame), skipped, None, [], table.header_row, units_row)
    # Years side by side: a table a year, and a row a line and year (each counted).
    years = split_years(table)
    results, found = [], []
    for one_year in years:
        result, problems = check_rows(one_year, run.catalogue)
        results.append(grade_rows(result, run.catalogue, run.as_of) if run.grade else result)
        found += problems
    result = results[0] if len(results) == 1 else pd.concat(results, ignore_index=True)
    rows = sum(len(t.frame) for t in years)
    return CheckedPart(rows, skipped, result, found, table.header_row, units_row)


def _check_one(item: InputFile, run: _Run) -> _File:
    """Read and validate one file, a part at a time: the rows of a piece of a large sheet are
    checked (and graded) while calamine still parses the next one."""
    check_cancelled(run.events.stop)
    done = _File()
    current: SheetChecks | None = None
    path = item.path
    parts = iter_tables(
        path,
        sheet=run.sheet,
        header_aliases=run.header_aliases,
        display_name=item.display,
        stop=run.events.stop,
        include_hidden=run.include_hidden,
    )
    checks = InOrder(functools.partial(check_part, run), run.events, path)
    with contextlib.closing(parts), contextlib.closing(checks):  # pieces and threads go
        for part in _in_slices(parts):
            check_cancelled(run.events.stop)
            done.notices.extend(notice(item.display, None, n) for n in part.notices)
            if part.restart and current is not None:
                checks.settle()
                report_rows(run.events, path, -current.rows)  # the sheet comes again, read whole
                current = None
            table = part.table
            if table is None:
                done.read_problems.extend(part.problems)
                continue
            if current is None:
                current = SheetChecks(table, run.catalogue)
            checks.add(current, table, part.problems)
            if part.last:
                checks.settle()
                done.finish(current)
                current = None
    return done


#: A table part longer than this is checked a slice at a time.
CHECK_ROWS = 262_144


def _in_slices(parts: Iterable[TablePart]) -> Iterator[TablePart]:
    """The parts, a long table (a CSV, a sheet read whole) cut into slices of
    :data:`CHECK_ROWS` rows: checking a slice at a time keeps the temporaries small enough
    to be reused instead of faulted in afresh, which saves time and peak memory on long
    tables (``benchmarks/README.md``)."""
    for part in parts:
        table = part.table
        size = 0 if table is None else len(table.frame)
        if table is None or size <= CHECK_ROWS * 3 // 2:
            yield part
            continue
        for start in range(0, size, CHECK_ROWS):
            end = min(start + CHECK_ROWS, size)
            piece = replace(
                table,
                frame=table.frame.iloc[start:end].reset_index(drop=True),
                rows=table.rows[start:end],
            )
            yield TablePart(
                piece,
                part.problems if start == 0 else [],
                last=part.last and end == size,
                restart=part.restart and start == 0,
            )


def check_files(
    paths: Sequence[str | InputFile],
    catalogue: Catalogue | None = None,
    *,
    grade: bool = False,
    sheet: str | None = None,
    header_aliases: Mapping[str, Iterable[str]] | None = None,
    events: Events | None = None,
    as_of: dt.date | None = None,
    include_hidden: bool = False,
) -> Checked:
    """Read and validate many files (two at a time: fastexcel and pyarrow release the GIL;
    a large sheet is itself read on every core), and with ``grade`` grade the valid rows
    against ``catalogue`` (default: the shipped one) as each part is checked.

    Repeats of an earlier row anywhere in the run are E110 and left out. ``events`` follows
    the run (rows checked, files done) and cancels it (``events.stop``). ``as_of`` is the
    reporting date of the rows' ``deadline_status`` (default: today).
    """
    cat = catalogue or load_catalogue()
    files, problems = expand_inputs(paths)
    run = _Run(
        cat,
        sheet,
        with_indicators(header_aliases, cat),
        grade,
        events or Events(),
        as_of,
        include_hidden,
    )
    done = _read_all(files, run)
    frames = [f for d in done for f in d.frames]
    if frames:
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    else:
        frame = empty_result()
        if grade:
            frame = grade_rows(frame, cat, as_of)
    locations = {k: v for d in done for k, v in d.locations.items()}
    keep, duplicates = find_duplicates(frame, locations)
    if not keep.all():
        frame = filter_rows(frame, keep)
    for d in done:
        problems.extend(d.problems(duplicates))
    return Checked(
        frame,
        problems,
        [f.display for f in files],
        sum(d.rows for d in done),
        graded=grade,
        notices=[n for d in done for n in d.notices],
    )


def _read_all(files: list[InputFile], run: _Run) -> list[_File]:
    """Every file checked, in order; on an interrupt (Ctrl-C) files not started are dropped
    and the ones being read stop at their next chunk, instead of the whole batch being read
    before the interrupt takes effect."""
    pool = ThreadPoolExecutor(max_workers=min(2, workers(), len(files)) or 1)
    done: list[_File] = []
    try:
        for item, result in zip(files, pool.map(lambda f: _check_one(f, run), files), strict=True):
            done.append(result)
            run.events.file_done(item.path, result.rows)
    except BaseException:
        run.events.stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return done

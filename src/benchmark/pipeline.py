"""From paths to validated (and graded) rows: expand directories and globs, read, validate,
find duplicates across the run, grade.

This is the Python API behind ``benchmark validate`` and ``benchmark grade``; the CLI only adds
argument parsing and rendering.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import pandas as pd

from benchmark._codes import filter_rows
from benchmark._parallel import check_cancelled, workers
from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.fields import FIELDS
from benchmark.grading import grade as grade_rows
from benchmark.i18n import CLAUSE_SEPARATOR, N_, Msg, joined
from benchmark.inputs import InputFile, expand_inputs
from benchmark.problems import Notice, Problem, in_sheet_order, notice
from benchmark.readers import Table, TablePart, iter_tables
from benchmark.readers.rowkinds import RowKind, classify_rows, describe_skipped
from benchmark.validation import check_rows, empty_result, missing_columns, unrecognised_columns
from benchmark.validation.duplicates import find_duplicates

#: A table of a run: (file, sheet).
TableKey = tuple[str, str | None]
#: Kinds of skipped rows, in words (one, several).
_KIND_WORDS = {
    "section": (N_("{count} section heading"), N_("{count} section headings")),
    "total": (N_("{count} total"), N_("{count} totals")),
    "note": (N_("{count} note"), N_("{count} notes")),
    "blank": (N_("{count} blank row"), N_("{count} blank rows")),
}


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


class _Sheet:
    """The parts of one sheet checked so far (a large sheet comes a piece at a time).

    Each part is checked — and graded, for a grading run — as it arrives, so that only the
    last piece's share of that work is left once the sheet is read.
    """

    def __init__(self, table: Table, run: _Run) -> None:
        self.missing = missing_columns(table, run.catalogue)  # E003: no row is checked
        self.key: TableKey = (table.file, table.sheet)
        self.location = (table.letters.get("enterprise"), table.headers.get("enterprise"))
        self.run = run
        self.results: list[pd.DataFrame] = []
        self.read_problems: list[Problem] = []
        self.checked_problems: list[Problem] = []
        self.header_problems: set[Problem] = set()
        self.skipped: dict[str, int] = {}
        self.unrecognised = unrecognised_columns(table)
        self.rows = 0

    def add(self, table: Table, read_problems: list[Problem]) -> None:
        self.read_problems.extend(read_problems)
        table = self._plant_lines(table)
        self.rows += len(table.frame)
        if not self.missing:
            result, found = check_rows(table, self.run.catalogue)
            if self.run.grade:
                result = grade_rows(result, self.run.catalogue, self.run.as_of)
            self.results.append(result)
            # A problem of the header (its unit) comes with every piece: say it once.
            for p in found:
                if p.row == table.header_row:
                    if p in self.header_problems:
                        continue
                    self.header_problems.add(p)
                self.checked_problems.append(p)

    def _plant_lines(self, table: Table) -> Table:
        """The table without its section, total, note and blank rows, counted for a notice."""
        fields = {name: name for name in FIELDS if name in table.frame.columns}
        kinds = classify_rows(table.frame, fields)
        plant = kinds == RowKind.PLANT
        if plant.all():
            return table
        for kind, count in describe_skipped(kinds).items():
            self.skipped[kind] = self.skipped.get(kind, 0) + count
        return replace(
            table, frame=table.frame[plant].reset_index(drop=True), rows=table.rows[plant]
        )

    def notices(self) -> list[Notice]:
        """What the sheet's notices say: the rows skipped, the columns not recognised."""
        found: list[Notice] = []
        if self.skipped:
            total = sum(self.skipped.values())
            kinds = joined(Msg(_KIND_WORDS[k][n != 1], count=n) for k, n in self.skipped.items())
            found.append(
                notice(
                    *self.key,
                    Msg(
                        "{count} row(s) skipped, not plant lines: {kinds}",
                        count=format(total, ","),
                        kinds=kinds,
                    ),
                )
            )
        if self.unrecognised:
            found.append(
                notice(
                    *self.key,
                    Msg(
                        "passed through unrecognised: {columns}",
                        columns=joined(self.unrecognised, CLAUSE_SEPARATOR),
                    ),
                )
            )
        return found

    def frame(self) -> pd.DataFrame | None:
        """The sheet's valid rows (None if a required column is missing)."""
        if self.missing:
            return None
        results = self.results
        return pd.concat(results, ignore_index=True) if len(results) > 1 else results[0]

    def problems(self) -> list[Problem]:
        return list(self.missing) if self.missing else self.checked_problems


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

    def finish(self, sheet: _Sheet) -> None:
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


def _check_one(item: InputFile, run: _Run) -> _File:
    """Read and validate one file, a part at a time: the rows of a piece of a large sheet are
    checked (and graded) while calamine still parses the next one."""
    check_cancelled(run.events.stop)
    done = _File()
    current: _Sheet | None = None
    path = item.path
    parts = iter_tables(
        path,
        sheet=run.sheet,
        header_aliases=run.header_aliases,
        display_name=item.display,
        stop=run.events.stop,
        include_hidden=run.include_hidden,
    )
    with contextlib.closing(parts):  # a large sheet's pieces go with it, however this ends
        for part in _in_slices(parts):
            check_cancelled(run.events.stop)
            done.notices.extend(notice(item.display, None, n) for n in part.notices)
            if part.restart and current is not None:
                _report_rows(run, path, -current.rows)  # the sheet comes again, read whole
                current = None
            table = part.table
            if table is None:
                done.read_problems.extend(part.problems)
                continue
            if current is None:
                current = _Sheet(table, run)
            current.add(table, part.problems)
            _report_rows(run, path, len(table.frame))
            if part.last:
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


def _report_rows(run: _Run, path: str, rows: int) -> None:
    if rows:
        run.events.rows(path, rows)


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

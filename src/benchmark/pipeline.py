"""From paths to validated rows: expand directories and globs, read, validate, merge.

This is the Python API behind ``benchmark validate`` and ``benchmark grade``; the CLI only adds
argument parsing and rendering.
"""

from __future__ import annotations

import contextlib
import glob
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.parallel import check_cancelled, workers
from benchmark.problems import Problem, in_sheet_order, problem
from benchmark.readers import (
    INPUT_SUFFIXES,
    STDIN,
    Table,
    TablePart,
    display_safe,
    iter_tables,
)
from benchmark.validation import Deduplicator, check_rows, missing_columns

if TYPE_CHECKING:
    import pandas as pd

#: A row-wise function of a part's valid rows (see :func:`check_files`).
Transform = Callable[["pd.DataFrame"], "pd.DataFrame"]


@dataclass
class Checked:
    """The outcome of reading and validating some files."""

    frame: pd.DataFrame
    problems: list[Problem]
    files: list[str] = field(default_factory=list)
    rows_total: int = 0

    @property
    def rows_valid(self) -> int:
        return len(self.frame)


def expand_paths(paths: Iterable[str]) -> tuple[list[str], list[Problem]]:
    """Files named, found recursively in directories (.xlsx/.xlsm/.csv/.parquet), or globbed."""
    found: list[str] = []
    problems: list[Problem] = []
    for raw in paths:
        if raw == STDIN:
            found.append(raw)
            continue
        p = Path(raw)
        if p.is_dir() and p.suffix.lower() not in INPUT_SUFFIXES:
            hits = sorted(str(f) for f in p.rglob("*")
                          if f.suffix.lower() in INPUT_SUFFIXES and f.is_file()
                          and not f.name.startswith("~$"))
            if not hits:
                problems.append(problem("E001", display_safe(raw), "directory holds no .xlsx, "
                                        ".xlsm, .csv or .parquet file"))
            found.extend(hits)
        elif p.exists() or p.is_symlink():
            found.append(raw)
        elif glob.has_magic(raw):
            hits = sorted(h for h in glob.glob(raw, recursive=True) if os.path.isfile(h))
            if not hits:
                problems.append(problem("E001", display_safe(raw), "no file matches this pattern"))
            found.extend(hits)
        else:
            problems.append(problem("E001", display_safe(raw), "no such file"))
    return list(dict.fromkeys(found)), problems


def read_plants(path: str | os.PathLike[str], catalogue: Catalogue | None = None, *,
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


class _Sheet:
    """The parts of one sheet checked so far (a large sheet comes a piece at a time).

    Each part is checked, deduplicated against the parts before it and transformed as it
    arrives, so that only the last piece's share of that work is left once the sheet is read.
    """

    def __init__(self, table: Table, transform: Transform | None) -> None:
        self.missing = missing_columns(table)  # E003: no row of the sheet is checked
        self.dedupe = Deduplicator(table)
        self.transform = transform
        self.results: list[pd.DataFrame] = []
        self.read_problems: list[Problem] = []
        self.checked_problems: list[Problem] = []
        self.rows = 0

    def add(self, table: Table, read_problems: list[Problem], catalogue: Catalogue) -> None:
        self.read_problems.extend(read_problems)
        self.rows += len(table.frame)
        if not self.missing:
            result, found = check_rows(table, catalogue)
            result = self.dedupe.drop(result, found)
            if self.transform is not None:
                result = self.transform(result)
            self.results.append(result)
            self.checked_problems.extend(found)

    def finish(self) -> tuple[pd.DataFrame | None, list[Problem]]:
        """The sheet's valid rows (None if a required column is missing) and its problems."""
        import pandas as pd

        if self.missing:
            return None, list(self.missing)
        results = self.results
        combined = pd.concat(results, ignore_index=True) if len(results) > 1 else results[0]
        in_sheet_order(self.checked_problems)
        return combined, self.checked_problems


@dataclass(frozen=True)
class _Run:
    """What every file of one :func:`check_files` call shares."""

    catalogue: Catalogue
    sheet: str | None
    header_aliases: Mapping[str, Iterable[str]] | None
    transform: Transform | None
    on_rows: Callable[[str, int], None] | None
    stop: threading.Event


def _check_one(path: str, run: _Run) -> tuple[list[pd.DataFrame], list[Problem], int]:
    """Read and validate one file, a part at a time: the rows of a piece of a large sheet are
    checked, deduplicated and transformed while calamine still parses the next one.

    Problems come as :func:`read_tables` and :func:`validate_table` give them: first those of
    reading the file, then those of each table in turn.
    """
    check_cancelled(run.stop)
    read_problems: list[Problem] = []
    checked_problems: list[Problem] = []
    frames: list[pd.DataFrame] = []
    total = 0
    current: _Sheet | None = None
    parts = iter_tables(path, sheet=run.sheet, header_aliases=run.header_aliases, stop=run.stop)
    with contextlib.closing(parts):  # a large sheet's pieces go with it, however this ends
        for part in _in_slices(parts):
            check_cancelled(run.stop)
            if part.restart and current is not None:
                _report_rows(run, path, -current.rows)  # the sheet comes again, read whole
                current = None
            table = part.table
            if table is None:
                read_problems.extend(part.problems)
                continue
            if current is None:
                current = _Sheet(table, run.transform)
            current.add(table, part.problems, run.catalogue)
            _report_rows(run, path, len(table.frame))
            if part.last:
                frame, found = current.finish()
                read_problems.extend(current.read_problems)
                checked_problems.extend(found)
                total += current.rows
                if frame is not None:
                    frames.append(frame)
                current = None
    return frames, read_problems + checked_problems, total


#: A table part longer than this is checked a slice at a time.
CHECK_ROWS = 262_144


def _in_slices(parts: Iterable[TablePart]) -> Iterator[TablePart]:
    """The parts, a long table (a CSV, a sheet read whole) cut into slices of
    :data:`CHECK_ROWS` rows: checking a slice at a time keeps the temporaries small enough
    to be reused instead of faulted in afresh, which on a 1M-row CSV takes `validate` from
    5.5-6.0 s to 4.3-4.7 s and its peak memory from 1.18 to 0.90 GB. Duplicates are found
    across slices as across the pieces of a sheet."""
    for part in parts:
        table = part.table
        size = 0 if table is None else len(table.frame)
        if table is None or size <= CHECK_ROWS * 3 // 2:
            yield part
            continue
        for start in range(0, size, CHECK_ROWS):
            end = min(start + CHECK_ROWS, size)
            piece = replace(
                table, frame=table.frame.iloc[start:end].reset_index(drop=True),
                rows=table.rows[start:end])
            yield TablePart(piece, part.problems if start == 0 else [],
                            last=part.last and end == size, restart=part.restart and start == 0)


def _report_rows(run: _Run, path: str, rows: int) -> None:
    if run.on_rows is not None and rows:
        run.on_rows(path, rows)


def check_files(paths: Sequence[str], catalogue: Catalogue | None = None, *,
                sheet: str | None = None,
                header_aliases: Mapping[str, Iterable[str]] | None = None,
                on_file_done: Callable[[str, int], None] | None = None,
                on_rows: Callable[[str, int], None] | None = None,
                transform: Transform | None = None) -> Checked:
    """Read and validate many files (two at a time: fastexcel and pyarrow release the GIL;
    a large sheet is itself read on every core).

    ``transform``, if given, is applied to the valid rows of each part as soon as they are
    final, and ``Checked.frame`` holds what it returns: a row-wise function such as
    ``lambda rows: grade(rows, catalogue)`` then runs on a large sheet's first pieces while
    the later ones are still being read. ``on_rows(path, n)`` is called (from a reading
    thread) as each part's ``n`` rows are checked, ``on_file_done(path, rows)`` as each file
    is finished; a negative ``n`` takes back the rows of a sheet that is read again whole.
    """
    import pandas as pd

    from benchmark.validation import RESULT_COLUMNS

    cat = catalogue or load_catalogue()
    files, problems = expand_paths(paths)
    frames: list[pd.DataFrame] = []
    total = 0

    stop = threading.Event()
    run = _Run(cat, sheet, header_aliases, transform, on_rows, stop)

    def work(path: str) -> tuple[list[pd.DataFrame], list[Problem], int]:
        return _check_one(path, run)

    pool = ThreadPoolExecutor(max_workers=min(2, workers(), len(files)) or 1)
    try:
        for path, (found_frames, found, rows) in zip(files, pool.map(work, files), strict=True):
            frames.extend(f for f in found_frames if len(f))
            problems.extend(found)
            total += rows
            if on_file_done:
                on_file_done(path, rows)
    except BaseException:
        # Ctrl-C: files not started are dropped and the ones being read stop at their next
        # chunk, instead of the whole batch being read before the interrupt takes effect.
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    if frames:
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    else:
        frame = pd.DataFrame({c: pd.Series(dtype="object") for c in RESULT_COLUMNS})
        if transform is not None:
            frame = transform(frame)
    return Checked(frame, problems, files, total)

"""The sheets of a run as their parts are checked: each part on its own, in a thread
(:func:`benchmark.pipeline.check_part`), merged into its sheet in the order the parts came
(:class:`InOrder`).

A large sheet comes a piece at a time and a long table a slice at a time
(:mod:`benchmark.pipeline`); checking — and grading — each part as it arrives leaves only the
last part's share of that work once the sheet is read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from benchmark._parallel import workers
from benchmark.catalogue import Catalogue
from benchmark.i18n import CLAUSE_SEPARATOR, N_, Msg, joined
from benchmark.problems import Notice, Problem, notice
from benchmark.readers import Table
from benchmark.readers.years import side_by_side_years
from benchmark.validation import missing_columns, unrecognised_columns

if TYPE_CHECKING:
    from benchmark.pipeline import Events, TableKey

#: Kinds of skipped rows, in words (one, several).
_KIND_WORDS = {
    "section": (N_("{count} section heading"), N_("{count} section headings")),
    "total": (N_("{count} total"), N_("{count} totals")),
    "note": (N_("{count} note"), N_("{count} notes")),
    "blank": (N_("{count} blank row"), N_("{count} blank rows")),
    "average": (N_("{count} average"), N_("{count} averages")),
}


class SheetChecks:
    """The parts of one sheet checked so far (a large sheet comes a piece at a time).

    Each part is checked — and graded, for a grading run — as it arrives, so that only the
    last piece's share of that work is left once the sheet is read.
    """

    def __init__(self, table: Table, catalogue: Catalogue) -> None:
        self.missing = missing_columns(table, catalogue)  # E003: no row is checked
        self.key: TableKey = (table.file, table.sheet)
        self.location = (table.letters.get("enterprise"), table.headers.get("enterprise"))
        self.results: list[pd.DataFrame] = []
        self.read_problems: list[Problem] = []
        self.checked_problems: list[Problem] = []
        self.header_problems: set[Problem] = set()
        self.skipped: dict[str, int] = {}
        self.unrecognised = unrecognised_columns(table)
        self.years = side_by_side_years(table)
        self.rows = 0

    def merge(self, read_problems: list[Problem], part: CheckedPart) -> None:
        """Take in one part, checked, after the parts before it."""
        self.read_problems.extend(read_problems)
        self.rows += part.rows
        for kind, count in part.skipped.items():
            self.skipped[kind] = self.skipped.get(kind, 0) + count
        if part.result is None:
            return
        self.results.append(part.result)
        # A problem of the header (its unit, or the units row under it) comes with every
        # piece: say it once.
        for p in part.found:
            if p.row == part.header_row or (p.row is not None and p.row == part.units_row):
                if p in self.header_problems:
                    continue
                self.header_problems.add(p)
            self.checked_problems.append(p)

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
        if self.years:
            found.append(
                notice(
                    *self.key,
                    Msg(
                        "years side by side ({years}): each plant line is read once a year",
                        years=joined(str(y) for y in self.years),
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


@dataclass
class CheckedPart:
    """One part of a sheet checked (and graded): its rows checked (a plant line and year
    each: a line with years side by side counts once a year), the other rows by kind, its
    valid rows (None when a required column is missing) and its problems."""

    rows: int
    skipped: dict[str, int]
    result: pd.DataFrame | None
    found: list[Problem]
    header_row: int
    #: The Excel row of the units under the header, if the sheet has one.
    units_row: int | None = None


#: Checks one part of a sheet: the part, and whether a required column is missing.
Check = Callable[[Table, bool], CheckedPart]


class InOrder:
    """Parts checked two at a time in threads — Arrow's kernels release the GIL — and
    merged into their sheet in the order they came: a CSV's slices are checked on both
    cores, and the last pieces of a large sheet no longer wait for each other's checks."""

    def __init__(self, check: Check, events: Events, path: str) -> None:
        self.check = check
        self.events = events
        self.path = path
        self.count = min(2, workers())
        self.pool = ThreadPoolExecutor(self.count, "benchmark-check") if self.count > 1 else None
        self.waiting: deque[tuple[SheetChecks, list[Problem], int, Future[CheckedPart]]] = deque()

    def add(self, sheet: SheetChecks, table: Table, read_problems: list[Problem]) -> None:
        """Check a part of ``sheet`` (merged once the parts before it are)."""
        if self.pool is None:
            sheet.merge(read_problems, self.check(table, bool(sheet.missing)))
            report_rows(self.events, self.path, len(table.frame))
            return
        future = self.pool.submit(self.check, table, bool(sheet.missing))
        self.waiting.append((sheet, read_problems, len(table.frame), future))
        while len(self.waiting) > self.count:
            self._merge_first()

    def settle(self) -> None:
        """Every part checked so far merged into its sheet."""
        while self.waiting:
            self._merge_first()

    def _merge_first(self) -> None:
        sheet, read_problems, rows, future = self.waiting.popleft()
        sheet.merge(read_problems, future.result())
        report_rows(self.events, self.path, rows)

    def close(self) -> None:
        """Stop: the checks not started are dropped, the running ones waited for."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def report_rows(events: Events, path: str, rows: int) -> None:
    """Tell ``events`` of ``rows`` more rows of ``path`` checked (fewer, if negative)."""
    if rows:
        events.rows(path, rows)

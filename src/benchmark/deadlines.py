"""Deadlines: each below-baseline row, and the lines a summary covers, judged against the
area's upgrade-or-retire deadline as of a reporting date.

The catalogue gives each area a deadline (``catalogue.deadline_for(area)``: 2025-12-31 for the
2021 areas, a later one for a later edition's new areas). Whether a deadline "has passed" is a
question of the date a report is written, so every function here takes that date (``as_of``)
and none reads the clock: a report of late 2026 about 2025 figures must say the deadline has
passed, and the same call a year earlier must say it is ahead. Lookups are per distinct area,
never per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from benchmark.catalogue import Catalogue
from benchmark.codes import factorize
from benchmark.fields import DEADLINE_STATUSES
from benchmark.lines import (
    UNDATED,
    Array,
    column,
    count_lines,
    factorize_tiers,
    strings,
    year_keys,
)

__all__ = ["ROW_DEADLINE_STATUSES", "DeadlineNote", "as_date", "deadline_notes",
           "row_deadline_status", "row_deadlines"]

#: Deadline status of a graded row below the baseline (:func:`row_deadline_status`).
ROW_DEADLINE_STATUSES: tuple[str, ...] = DEADLINE_STATUSES


@dataclass(frozen=True)
class DeadlineNote:
    """The upgrade-or-retire deadline of some areas, judged as of the reporting date over
    the lines a summary covers (each line's latest year, or the one year asked for).

    ``below_baseline`` lines are below the baseline; once the deadline has ``passed``, of
    those ``missed`` were below it in the deadline's year or later, and ``no_later_figure``
    were below it only in an earlier year with no figure since (row statuses ``missed`` and
    ``passed`` of :func:`benchmark.tracking.row_deadline_status`).
    """

    deadline: str
    passed: bool
    below_baseline: int
    missed: int
    no_later_figure: int
    text: str


def row_deadlines(graded: pd.DataFrame, catalogue: Catalogue, as_of: dt.date
                  ) -> tuple[Array, Array]:
    """Each row's deadline year and whether its deadline has passed as of ``as_of``.

    Looked up once per distinct area; an area the catalogue lacks (its rows are ungraded)
    gets the edition's deadline.
    """
    codes, areas = factorize(column(graded, "area"))
    dates = [catalogue.deadline] * (len(areas) + 1)  # the last one for rows without an area
    by_id = {a.id: a for a in catalogue.areas}
    for i, area_id in enumerate(areas):
        area = by_id.get(str(area_id))
        if area is not None:
            dates[i] = catalogue.deadline_for(area)
    pick = np.where(codes < 0, len(areas), codes)
    deadline_year = np.array([d.year for d in dates], dtype=np.int64)[pick]
    passed = np.array([as_of > d for d in dates], dtype=bool)[pick]
    return deadline_year, passed


def row_deadline_status(graded: pd.DataFrame, catalogue: Catalogue,
                        as_of: dt.date | None = None) -> pd.Series:
    """Each graded row's standing against its area's upgrade-or-retire deadline, as of
    ``as_of`` (NA where the row is not below the baseline).

    ``as_of`` left out is today. ``"missed"``: below the baseline in the deadline's year or
    later (the figure of 2025 is the state at the end of 2025); ``"open"``: below in an
    earlier year, or in no stated year, and the deadline is still ahead (``as_of`` on or
    before it); ``"passed"``: the same, but the deadline has passed since — the row alone
    cannot say whether the line was upgraded.
    """
    tier = factorize_tiers(column(graded, "tier"))
    deadline_year, passed = row_deadlines(graded, catalogue, as_date(as_of))
    years = year_keys(graded)
    missed = (years != UNDATED) & (years >= deadline_year)
    code = np.where(tier != 2, -1, np.where(missed, 0, np.where(passed, 2, 1)))
    status = strings(ROW_DEADLINE_STATUSES, code)
    status.index = graded.index
    return status


def deadline_notes(judged: pd.DataFrame, catalogue: Catalogue, as_of: dt.date
                   ) -> tuple[DeadlineNote, ...]:
    """The deadline sentences over ``judged`` (one row per line: each line's latest year, or
    one year), one per distinct deadline of the areas with a line below the baseline — the
    edition's alone when there is none. Loops over distinct areas, never rows."""
    status = np.asarray(row_deadline_status(judged, catalogue, as_of).to_numpy(dtype=object))
    below = np.flatnonzero(pd.notna(status))
    if not len(below):
        return (_deadline_note(catalogue.deadline, as_of, status[below], []),)
    area_codes, areas = factorize(column(judged, "area").to_numpy(dtype=object)[below])
    by_id = {a.id: a for a in catalogue.areas}
    due = np.array([catalogue.deadline_for(by_id[str(a)]) if str(a) in by_id
                    else catalogue.deadline for a in areas], dtype=object)[area_codes]
    years = year_keys(judged)[below]
    notes = []
    for day in sorted(set(due.tolist())):
        on = due == day
        notes.append(_deadline_note(day, as_of, status[below][on], years[on].tolist()))
    return tuple(notes)


def _deadline_note(deadline: dt.date, as_of: dt.date, status: Any, years: list[int]
                   ) -> DeadlineNote:
    """One deadline's counts and sentence; ``status`` and ``years`` of the rows below the
    baseline."""
    missed = status == "missed"
    late = status == "passed"
    n, m, p = len(status), int(np.count_nonzero(missed)), int(np.count_nonzero(late))
    day = deadline.isoformat()
    if as_of <= deadline:
        text = (f"{count_lines(n)} below baseline must be upgraded or retired by {day}." if n else
                f"No line is below the baseline; capacity below it must be upgraded or "
                f"retired by {day}.")
        return DeadlineNote(day, False, n, m, 0, text)
    if not n:
        return DeadlineNote(day, True, 0, 0, 0,
                            f"The deadline {day} has passed; no line is below the baseline.")
    parts = []
    if m:
        parts.append(f"{count_lines(m)} {'was' if m == 1 else 'were'} still below baseline in "
                     f"{_years_text([y for y, x in zip(years, missed, strict=True) if x])}")
    if p:
        parts.append(f"{count_lines(p)} below baseline in "
                     f"{_years_text([y for y, x in zip(years, late, strict=True) if x])} "
                     f"{'has' if p == 1 else 'have'} no later figure to show "
                     f"{'it was' if p == 1 else 'they were'} upgraded or retired")
    return DeadlineNote(day, True, n, m, p,
                        f"The deadline {day} has passed: {'; '.join(parts)}.")


def _years_text(years: list[int]) -> str:
    """``2025``, ``2024–2025``, ``no stated year``: the years of a few rows."""
    dated = sorted({y for y in years if y != UNDATED})
    text = ("" if not dated else str(dated[0]) if len(dated) == 1
            else f"{dated[0]}–{dated[-1]}")
    if len(dated) < len(set(years)):
        text = f"{text} or no stated year" if text else "no stated year"
    return text


def as_date(as_of: dt.date | None) -> dt.date:
    """The day of ``as_of`` (a datetime does not compare with the catalogue's dates); today
    when it is None — the one place a default reporting date is read from the clock."""
    if as_of is None:
        return dt.date.today()
    return as_of.date() if isinstance(as_of, dt.datetime) else as_of

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

import numpy as np
import pandas as pd

from benchmark._codes import factorize
from benchmark.catalogue import Catalogue
from benchmark.fields import DEADLINE_STATUSES
from benchmark.i18n import N_, Msg, Said, joined
from benchmark.lines import (
    UNDATED,
    Array,
    Layout,
    column,
    factorize_tiers,
    line_layout,
    strings,
    year_keys,
)
from benchmark.results import DeadlineNote

__all__ = [
    "ROW_DEADLINE_STATUSES",
    "DeadlineNote",
    "as_date",
    "deadline_notes",
    "lines_msg",
    "row_deadline_status",
    "row_deadlines",
]

#: Deadline status of a graded row below the baseline (:func:`row_deadline_status`).
ROW_DEADLINE_STATUSES: tuple[str, ...] = DEADLINE_STATUSES


def row_deadlines(
    graded: pd.DataFrame, catalogue: Catalogue, as_of: dt.date
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


def row_deadline_status(
    graded: pd.DataFrame, catalogue: Catalogue, as_of: dt.date | None = None
) -> pd.Series:
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


def deadline_notes(
    graded: pd.DataFrame,
    catalogue: Catalogue,
    as_of: dt.date | None = None,
    *,
    one_year: bool = False,
    layout: Layout | None = None,
) -> tuple[DeadlineNote, ...]:
    """The deadline sentences of a report, one per distinct deadline of the areas with a
    line below the baseline — the edition's alone when there is none.

    Over the lines of ``graded`` followed across their years (``track``'s statuses): a line
    *missed* the deadline when it was below the baseline in the deadline's year or later,
    even if it recovered since; a line whose latest row is below the baseline from before
    then has *no later figure*. With ``one_year`` the rows are one year's, each its own line.
    ``layout``: :func:`benchmark.lines.line_layout` of ``graded``, if the caller has it.
    Vectorised over rows and lines; loops over distinct deadlines only."""
    day = as_date(as_of)
    tier = factorize_tiers(column(graded, "tier"))
    deadline_year, _ = row_deadlines(graded, catalogue, day)
    codes, dates = _row_dates(graded, catalogue)
    years = year_keys(graded)
    below = tier == 2
    missed_row = below & (years != UNDATED) & (years >= deadline_year)
    if one_year:
        unit, missed = np.arange(len(graded)), missed_row
    else:
        layout = layout or line_layout(graded)
        unit = layout.rows[layout.ends]
        missed = (
            np.maximum.reduceat(missed_row[layout.rows], layout.starts)
            if len(layout.rows)
            else np.zeros(0, dtype=bool)
        )
        missed_row = missed_row & ~layout.repeated
    now = below[unit]
    notes = []
    for c in np.unique(codes[unit][now | missed]).tolist():
        on = codes[unit] == c
        late = now & ~missed & on
        notes.append(
            _deadline_note(
                dates[c],
                day,
                int(np.count_nonzero(now & on)),
                int(np.count_nonzero(missed & on)),
                int(np.count_nonzero(late)),
                years[missed_row & (codes == c)].tolist(),
                years[unit][late].tolist(),
                one_year,
            )
        )
    return tuple(notes) or (_deadline_note(catalogue.deadline, day, 0, 0, 0, [], [], one_year),)


def _row_dates(graded: pd.DataFrame, catalogue: Catalogue) -> tuple[Array, list[dt.date]]:
    """Each row's deadline as a code into the distinct deadlines (one lookup per area)."""
    area_codes, areas = factorize(column(graded, "area"))
    by_id = {a.id: a for a in catalogue.areas}
    per_area = [
        catalogue.deadline_for(by_id[str(a)]) if str(a) in by_id else catalogue.deadline
        for a in areas
    ] + [catalogue.deadline]
    dates = sorted(set(per_area))
    lookup = np.array([dates.index(d) for d in per_area], dtype=np.int64)
    return lookup[np.where(area_codes < 0, len(areas), area_codes)], dates


def _deadline_note(
    deadline: dt.date,
    as_of: dt.date,
    below: int,
    missed: int,
    late: int,
    missed_years: list[int],
    late_years: list[int],
    one_year: bool,
) -> DeadlineNote:
    """One deadline's counts and sentence: ``below`` lines below the baseline now,
    ``missed`` below in the deadline's year or later, ``late`` below now from before it.
    The sentence is English that keeps its message, to be said in the reader's language
    (:class:`~benchmark.i18n.Said`)."""
    day = deadline.isoformat()
    if as_of <= deadline:
        text = (
            Msg(
                "{lines} below baseline must be upgraded or retired by {day}.",
                lines=lines_msg(below),
                day=day,
            )
            if below
            else Msg(
                "No line is below the baseline; capacity below it must be upgraded or "
                "retired by {day}.",
                day=day,
            )
        )
        return DeadlineNote(day, False, below, missed, 0, Said(text))
    parts: list[Msg] = []
    if missed:
        parts.append(
            Msg(
                N_("{lines} was still below baseline in {years}")
                if missed == 1
                else N_("{lines} were still below baseline in {years}"),
                lines=lines_msg(missed),
                years=_years_text(missed_years),
            )
        )
    if late:
        parts.append(
            Msg(
                _late_template(late, one_year), lines=lines_msg(late), years=_years_text(late_years)
            )
        )
    text = (
        Msg("The deadline {day} has passed: {parts}.", day=day, parts=joined(parts, "; "))
        if parts
        else Msg("The deadline {day} has passed; no line is below the baseline.", day=day)
    )
    return DeadlineNote(day, True, below, missed, late, Said(text))


def _late_template(late: int, one_year: bool) -> str:
    """What is said of lines below the baseline from before the deadline, once it passed."""
    if one_year:
        return (
            N_(
                "{lines} below baseline in {years}, before the deadline (this year alone "
                "cannot show whether it was upgraded or retired)"
            )
            if late == 1
            else N_(
                "{lines} below baseline in {years}, before the deadline (this year alone "
                "cannot show whether they were upgraded or retired)"
            )
        )
    return (
        N_(
            "{lines} below baseline in {years} has no later figure to show it was upgraded "
            "or retired"
        )
        if late == 1
        else N_(
            "{lines} below baseline in {years} have no later figure to show they were "
            "upgraded or retired"
        )
    )


def _years_text(years: list[int]) -> Msg | str:
    """``2025``, ``2024–2025``, ``no stated year``: the years of a few rows."""
    dated = sorted({y for y in years if y != UNDATED})
    text = "" if not dated else str(dated[0]) if len(dated) == 1 else f"{dated[0]}–{dated[-1]}"
    if len(dated) < len(set(years)):
        return Msg("{years} or no stated year", years=text) if text else Msg("no stated year")
    return text


def lines_msg(n: int) -> Msg:
    """``1 line``, ``1,204 lines``, in the reader's language."""
    return Msg("{n} line", n=f"{n:,}") if n == 1 else Msg("{n} lines", n=f"{n:,}")


def as_date(as_of: dt.date | None) -> dt.date:
    """The day of ``as_of`` (a datetime does not compare with the catalogue's dates); today
    when it is None — the one place a default reporting date is read from the clock."""
    if as_of is None:
        return dt.date.today()
    return as_of.date() if isinstance(as_of, dt.datetime) else as_of

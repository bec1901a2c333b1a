"""What every renderer receives: the graded rows, the problems, the summary, the catalogue."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from benchmark.catalogue import Catalogue
from benchmark.fields import RESULT_NAMES
from benchmark.grading import factors_metadata
from benchmark.i18n import _, say
from benchmark.problems import Notice, Problem
from benchmark.results import AreaSummary, Summary

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1

#: Leading columns of every results table (the contract order of :mod:`benchmark.fields`);
#: passed-through input columns follow.
RESULT_FIELDS: tuple[str, ...] = RESULT_NAMES


@dataclass
class Report:
    """A finished run of ``grade`` (or, with ``graded`` empty, of ``validate``).

    The summary is computed when a renderer first asks for it: the row formats (CSV, JSONL)
    never do, and on a million rows it costs half a second. ``as_of`` is the reporting date
    every deadline is judged at; ``year`` the one year asked for (``grade --year``), if any.
    """

    graded: pd.DataFrame
    problems: list[Problem]
    summarise: Callable[[], Summary]
    catalogue: Catalogue
    files: list[str]
    rows_total: int
    fail_on: str | None = None
    notices: list[Notice] = field(default_factory=list)
    as_of: dt.date = field(default_factory=dt.date.today)
    year: int | None = None

    @functools.cached_property
    def summary(self) -> Summary:
        """Groups and totals against the targets (see :func:`benchmark.summary.summarise`)."""
        return self.summarise()

    def results(self) -> pd.DataFrame:
        """The results table: contract columns first, then passed-through input columns."""
        extra = [c for c in self.graded.columns if c not in RESULT_FIELDS]
        cols = [c for c in RESULT_FIELDS if c in self.graded.columns] + extra
        return self.graded[cols]

    def catalogue_meta(self) -> dict[str, Any]:
        cat = self.catalogue
        return {
            "edition": cat.edition,
            "document": cat.document,
            "sha256": cat.sha256,
            "source": cat.source,
            "deadline": cat.deadline.isoformat(),
        }

    def factors(self) -> dict[str, Any]:
        return factors_metadata()

    def failing(self) -> pd.DataFrame:
        """Rows at or worse than the ``--fail-on`` tier (none without a gate)."""
        from benchmark.grading import tiers_at_or_worse

        if self.fail_on is None:
            return self.graded.iloc[0:0]
        return self.graded[self.graded["tier"].isin(tiers_at_or_worse(self.fail_on))]


def plain(value: Any) -> Any:
    """A JSON-ready scalar: NaN and NA become None, numpy numbers become Python numbers."""
    if value is None:
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts."""
    cols = list(frame.columns)
    out = []
    for row in frame.itertuples(index=False, name=None):
        out.append({c: plain(v) for c, v in zip(cols, row, strict=True)})
    return out


def reporting_date(report: Report) -> str:
    """``Reporting date (as of): 2026-11-30``: the date every deadline of the report is
    judged at, in the reader's language."""
    return _("Reporting date (as of): {date}").format(date=report.as_of.isoformat())


def reporting_sentence(report: Report) -> str:
    """:func:`reporting_date` as a sentence, ahead of the deadline sentences."""
    return _("Reporting date (as of): {date}.").format(date=report.as_of.isoformat())


def summary_notes(report: Report) -> list[str]:
    """The scope sentence of the summary (which rows it covers), then the deadline sentences
    as of the reporting date: the same words in every format, in the reader's language."""
    return [say(note) for note in report.summary.notes]


def share_basis_note(summary: Summary) -> str:
    """How the shares were weighted, in one sentence every renderer shows."""
    from benchmark.report.words import group_name, listed

    by_rows = [group_name(g) for g in summary.groups if g.share_basis == "rows"]
    if summary.group_by == "area":
        how = _(
            "Shares within an area are weighted by capacity, by output where capacity is missing"
        )
        if by_rows:
            names = listed(by_rows[:5] + (["…"] if len(by_rows) > 5 else []))
            how += _("; {n} area(s) with a line reporting neither count rows ({names})").format(
                n=len(by_rows), names=names
            )
    else:
        how = _("Shares count rows (tonnes of different products do not add up)")
    if not shows_targets(summary):  # by year, sector, region: no target to explain
        return how + _("; the total counts rows.")
    return how + _(
        "; the total counts rows. The 2025 target counts capacity at the benchmark level."
    )


def shows_targets(summary: Summary) -> bool:
    """Whether any group of the summary is an area, the only groups with a 2025 target: a
    summary by year, sector or region has no target column, so no note about one."""
    return any(isinstance(g, AreaSummary) for g in summary.groups)


def results_table(frame: pd.DataFrame) -> Any:
    """The results as an Arrow table (text columns as strings), for the streaming writers."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)

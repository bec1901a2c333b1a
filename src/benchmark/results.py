"""The typed results of a run's summary: groups and totals against the targets, read by
attribute in every renderer and published as the JSON contract (``benchmark schema grade``).

Standard library only: the contract is built from these without loading pandas.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from benchmark.catalogue import ReportedShare

GroupBy = Literal["area", "sector", "region", "enterprise", "year"]
GROUP_BYS: tuple[str, ...] = ("area", "sector", "region", "enterprise", "year")
ShareBasis = Literal["capacity", "output", "capacity/output", "rows"]


@dataclass(frozen=True)
class GroupSummary:
    """One group's rows per tier, shares and savings, and the statuses of the levels its
    verdicts rest on (anything but ``confirmed``). ``to_check`` rows (a value too far from its
    levels to be believed) are counted in ``rows`` but in no share and no saving."""

    group: str
    rows: int
    benchmark: int
    between: int
    below_baseline: int
    to_check: int
    share_at_benchmark: float | None
    share_below_baseline: float | None
    share_basis: ShareBasis
    saving_to_benchmark_tce: float
    saving_to_baseline_tce: float
    unconfirmed_levels: list[str]


@dataclass(frozen=True)
class Share:
    """A share as an official text states it; ``under``: "under" the figure (小于5%)."""

    share: float
    under: bool

    @classmethod
    def of(cls, reported: ReportedShare | None) -> Share | None:
        return None if reported is None else cls(reported.share, reported.under)


@dataclass(frozen=True)
class NationalShares:
    """The national shares at the end of 2020, as the official text states them."""

    at_benchmark: Share | None
    below_baseline: Share | None


@dataclass(frozen=True)
class AreaSummary(GroupSummary):
    """An area's group, measured against the area's own targets.

    ``meets_below_baseline_target``: the share below the baseline is under the ceiling (none
    left where the ceiling is 0, 基本清零); None where the text gives no ceiling.
    """

    name_zh: str
    name_en: str
    unit: str
    target_share: float
    meets_target: bool | None
    target_below_baseline: float | None
    meets_below_baseline_target: bool | None
    national_2020: NationalShares | None


@dataclass(frozen=True)
class Totals:
    """All graded rows: counts, row shares, savings; for area groups, how many areas meet
    their target (null for other groupings)."""

    rows: int
    benchmark: int
    between: int
    below_baseline: int
    to_check: int
    share_at_benchmark: float | None
    share_below_baseline: float | None
    share_basis: ShareBasis
    areas_meeting_target: int | None
    areas: int | None
    #: None when grouping by year: savings of different years are never added up.
    saving_to_benchmark_tce: float | None
    saving_to_baseline_tce: float | None
    unconfirmed_levels: list[str]


@dataclass(frozen=True)
class YearCount:
    """How many lines a summary shows in ``year`` (None: undated)."""

    year: int | None
    lines: int


ScopeKind = Literal["latest_year", "year", "every_year"]


@dataclass(frozen=True)
class Scope:
    """Which graded rows a summary covers, and the sentence every report prints about it.

    ``kind``: ``latest_year`` (each line in its latest year; ``latest_years`` says how many
    lines have which), ``year`` (the rows of ``year`` only) or ``every_year`` (one group per
    year). ``rows`` of ``rows_given`` graded rows are summarised, from ``lines`` lines.
    """

    kind: ScopeKind
    year: int | None
    rows: int
    rows_given: int
    lines: int
    latest_years: tuple[YearCount, ...]
    text: str


@dataclass(frozen=True)
class DeadlineNote:
    """The upgrade-or-retire deadline of some areas, judged as of the reporting date over
    the lines a summary covers (each line's latest year, or the one year asked for).

    ``below_baseline`` lines are below the baseline in their latest year (or the one year);
    ``missed`` were below it in the deadline's year or later (even if they recovered since);
    once the deadline has ``passed``, ``no_later_figure`` are below it in a latest figure
    from before the deadline's year (:func:`benchmark.deadlines.deadline_notes`).
    """

    deadline: str
    passed: bool
    below_baseline: int
    missed: int
    no_later_figure: int
    text: str


@dataclass(frozen=True)
class Summary:
    """Groups and totals of one run, which rows they cover (``scope``), the reporting date
    and the deadline judged as of it."""

    group_by: str
    groups: tuple[GroupSummary, ...]
    totals: Totals
    scope: Scope | None = None
    as_of: str | None = None
    deadlines: tuple[DeadlineNote, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract: ``{"group_by", "by_<group_by>": [...], "totals", "as_of",
        "scope", "deadlines"}``."""
        totals = dataclasses.asdict(self.totals)
        return {
            "group_by": self.group_by,
            f"by_{self.group_by}": [dataclasses.asdict(g) for g in self.groups],
            "totals": totals,
            "as_of": self.as_of,
            "scope": None if self.scope is None else dataclasses.asdict(self.scope),
            "deadlines": [dataclasses.asdict(d) for d in self.deadlines],
        }

    @property
    def notes(self) -> list[str]:
        """The scope sentence, then the deadline sentences: what every report says under
        its summary, in the same words."""
        return ([self.scope.text] if self.scope else []) + [d.text for d in self.deadlines]


def meets_below_baseline(share: float | None, ceiling: float | None) -> bool | None:
    """Whether a share below the baseline meets its ceiling: "under X%" (低于X%), or none at
    all where the ceiling is 0 (基本清零)."""
    if share is None or ceiling is None:
        return None
    return share == 0 if ceiling == 0 else share < ceiling

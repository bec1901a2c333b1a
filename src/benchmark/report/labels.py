"""Words, colours and number formats that every report shares, so that a tier or a status is
named and coloured the same on a terminal, in Markdown, in HTML and in Excel."""

from __future__ import annotations

from benchmark.catalogue import Catalogue, ReportedShare
from benchmark.fields import TIERS
from benchmark.results import AreaSummary, GroupSummary, Share

__all__ = ["TIERS", "TIER_LABELS_EN", "TIER_LABELS_ZH", "ceiling", "edition_note",
           "national_2020", "pct", "reported_share"]

TIER_LABELS_ZH: dict[str, str] = {
    "benchmark": "标杆", "between": "基准–标杆", "below_baseline": "低于基准",
    "to_check": "待核实"}
TIER_LABELS_EN: dict[str, str] = {
    "benchmark": "benchmark", "between": "between", "below_baseline": "below baseline",
    "to_check": "to check"}


def pct(value: float | None) -> str:
    """A share as a percentage with one decimal (``30.0%``); a dash for none."""
    return "–" if value is None else f"{value * 100:.1f}%"


def reported_share(share: ReportedShare | Share | None) -> str:
    """A share as the official text states it: ``24%``, ``<5%``; a dash for none."""
    if share is None:
        return "–"
    return f"{'<' if share.under else ''}{share.share * 100:g}%"


def ceiling(target: float | None) -> str:
    """A 2025 ceiling on below-baseline capacity: ``0%`` (none left), ``<30%``; a dash where
    the text gives none."""
    if target is None:
        return "–"
    return "0%" if target == 0 else f"<{target * 100:g}%"


def national_2020(group: GroupSummary) -> str:
    """``5% / 24%``: the national shares at benchmark and below baseline at the end of 2020."""
    if not isinstance(group, AreaSummary) or group.national_2020 is None:
        return "–"
    n = group.national_2020
    return f"{reported_share(n.at_benchmark)} / {reported_share(n.below_baseline)}"


def edition_note(catalogue: Catalogue) -> str:
    """Which edition a report used, and what followed it."""
    note = f"Graded with the {catalogue.edition} edition ({catalogue.document})."
    succ = catalogue.successor
    if succ is not None:
        note += (f" The {succ.edition} edition ({succ.document}) has since revised it; a "
                 f"{succ.edition} catalogue can be supplied with --catalogue.")
    return note

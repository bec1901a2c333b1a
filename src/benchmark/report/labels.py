"""Colours, number formats and the notes every report shares, so that a tier or a status is
coloured the same on a terminal, in Markdown, in HTML and in Excel (its words are in
:mod:`benchmark.report.words`)."""

from __future__ import annotations

from benchmark.catalogue import Catalogue, ReportedShare
from benchmark.fields import TIERS
from benchmark.i18n import N_, _
from benchmark.results import AreaSummary, GroupSummary, Share
from benchmark.units import ELECTRICITY_BASIS, factors_metadata

__all__ = [
    "TIERS",
    "ceiling",
    "edition_note",
    "national_2020",
    "pct",
    "reported_share",
    "status_note",
]


def status_note() -> str:
    """What the two statuses short of confirmed mean, in one sentence every report uses."""
    return _(
        "corroborated = equal to the grades of the national energy-consumption limit "
        "standard (a second source agrees); unverified = transcribed without a second "
        "source. Check verdicts that rest on them, or grade with a checked --catalogue."
    )


#: Terminal styles (rich) of the tiers and statuses.
TIER_STYLES = {
    "benchmark": "bold green",
    "between": "bold yellow",
    "below_baseline": "bold red",
    "to_check": "bold magenta",
}
STATUS_STYLES = {"confirmed": "green", "corroborated": "yellow", "unverified": "red"}
#: Colours of the tiers on a page and in its charts, and of the bands behind the dots.
TIER_COLOURS = {
    "benchmark": "#1a7f37",
    "between": "#bf8700",
    "below_baseline": "#cf222e",
    "to_check": "#8250df",
}
ZONE_COLOURS = {"benchmark": "#e6f6ea", "between": "#fff6d6", "below_baseline": "#fdeceb"}
#: Cell fills and fonts of the tiers in a workbook (Excel's good / neutral / bad styles).
TIER_FILLS = {
    "benchmark": "C6EFCE",
    "between": "FFEB9C",
    "below_baseline": "FFC7CE",
    "to_check": "E4D7F5",
}
TIER_FONTS = {
    "benchmark": "006100",
    "between": "9C5700",
    "below_baseline": "9C0006",
    "to_check": "5E3A8C",
}


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


#: How a report states the conversion factors behind its tce figures: in a footer, and on
#: the xlsx Summary, where the level the savings are to is said too.
FACTORS_FOOTER = N_(
    "Savings in tce use {source} factors: 1 kgoe = {kgoe} kgce; 1 kWh = {kwh} kgce ({electricity})."
)
FACTORS_WITH_LEVEL = N_(
    "Savings are to the benchmark (or baseline) level, in tce; {source} factors: "
    "1 kgoe = {kgoe} kgce, 1 kWh = {kwh} kgce ({electricity})."
)


def factors_note(template: str) -> str:
    """``template`` (:data:`FACTORS_FOOTER`, :data:`FACTORS_WITH_LEVEL`) in the reader's
    language, with the factors the grader used."""
    f = factors_metadata()
    return _(template).format(
        source=f["source"],
        kgoe=f["kgce_per_kgoe"],
        kwh=f["kgce_per_kwh"],
        electricity=_(ELECTRICITY_BASIS),
    )


def edition_note(catalogue: Catalogue) -> str:
    """Which edition a report used, and what followed it, in the reader's language."""
    note = _("Graded with the {edition} edition ({document}).").format(
        edition=catalogue.edition, document=catalogue.document
    )
    succ = catalogue.successor
    if succ is not None:
        note += " " + _(
            "The {edition} edition ({document}) has since revised it; a {edition} catalogue "
            "can be supplied with --catalogue."
        ).format(edition=succ.edition, document=succ.document)
    return note

"""Markdown: the summary and the verdict tables, ready to paste into a report, in the reader's
language (headings, tiers, area and category names, sentences)."""

from __future__ import annotations

from typing import Any

from benchmark.i18n import _, say
from benchmark.report.labels import ceiling, edition_note, national_2020
from benchmark.report.model import Report, records, reporting_sentence, share_basis_note
from benchmark.report.words import (
    GRADING_TITLE,
    area_title,
    category_name,
    deadline_word,
    heading,
    severity_word,
    status_word,
    summary_headings,
    summary_title,
    tier_word,
    yes_no,
    zh,
)
from benchmark.results import AreaSummary, Summary

#: The columns of each area's table, in order.
AREA_COLUMNS = (
    "enterprise",
    "line",
    "year",
    "category",
    "value",
    "benchmark",
    "baseline",
    "level_status",
    "tier",
    "deadline_status",
    "gap_to_benchmark",
    "saving_to_benchmark_tce",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else f"{value:.3g}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _summary_table(s: Summary) -> list[str]:
    """Groups against their targets; for areas whether each meets its target in a word
    (Markdown has no colour), the ceiling below baseline and the national 2020 shares (at
    benchmark / below baseline) too."""
    by_area = s.group_by == "area"
    rows = []
    for g in s.groups:
        area = g if isinstance(g, AreaSummary) else None
        rows.append(
            [
                (area.name_zh if zh() else area.name_en) if area else g.group,
                g.rows,
                g.benchmark,
                g.between,
                g.below_baseline,
                _pct(g.share_at_benchmark),
                _pct(area.target_share if area else None),
                *((yes_no(area.meets_target if area else None),) if by_area else ()),
                _pct(g.share_below_baseline),
                *(
                    (
                        ceiling(area.target_below_baseline if area else None),
                        yes_no(area.meets_below_baseline_target if area else None),
                        national_2020(g),
                    )
                    if by_area
                    else ()
                ),
                g.saving_to_benchmark_tce,
                ", ".join(status_word(x) for x in g.unconfirmed_levels) or status_word("confirmed"),
            ]
        )
    t = s.totals
    rows.append(
        [
            "**" + _("Total") + "**",
            t.rows,
            t.benchmark,
            t.between,
            t.below_baseline,
            _pct(t.share_at_benchmark),
            "",
            *(("",) if by_area else ()),
            _pct(t.share_below_baseline),
            *(("", "", "") if by_area else ()),
            t.saving_to_benchmark_tce,
            "",
        ]
    )
    return _table(
        summary_headings(s.group_by),
        rows,
    )


def _area_rows(report: Report, area_id: str, part: Any) -> list[list[Any]]:
    area = report.catalogue.area(area_id)
    return [
        [
            r["enterprise"],
            r.get("line"),
            r.get("year"),
            category_name(area, r.get("category")),
            r["value"],
            r["benchmark"],
            r["baseline"],
            status_word(r["level_status"]),
            tier_word(r["tier"]),
            deadline_word(r.get("deadline_status")) if r.get("deadline_status") else None,
            r["gap_to_benchmark"],
            r.get("saving_to_benchmark_tce"),
        ]
        for r in records(part)
    ]


def grade_markdown(report: Report) -> str:
    cat = report.catalogue
    s = report.summary
    deadlines = " ".join(say(d.text) for d in s.deadlines)
    lines = [
        f"# {_(GRADING_TITLE)} — {cat.title_zh if zh() else cat.title_en}",
        "",
        _("Catalogue: {document}, edition {edition} (sha256 {sha}).").format(
            document=cat.document, edition=cat.edition, sha=cat.sha256[:12]
        )
        + f" {edition_note(cat)}",
        "",
        f"**{reporting_sentence(report)}** {deadlines}",
        "",
        f"## {summary_title(s.group_by)}",
        "",
        *_summary_table(s),
        "",
        *([say(s.scope.text), ""] if s.scope else []),
        share_basis_note(s),
        "",
    ]
    graded = report.graded.dropna(subset=["tier"])
    for area in cat.areas:
        part = graded[graded["area"] == area.id]
        if not len(part):
            continue
        lines += [f"## {area_title(area)}", ""]
        lines += _table([heading(c) for c in AREA_COLUMNS], _area_rows(report, area.id, part))
        lines.append("")
    unconfirmed = s.totals.unconfirmed_levels
    if unconfirmed:
        names = ", ".join(status_word(u) for u in unconfirmed)
        lines += [
            "> "
            + _(
                "Some verdicts rest on levels that are not confirmed ({names}): see the "
                "level status column."
            ).format(names=names),
            "",
        ]
    if report.problems:
        lines += ["## " + _("Problems ({n})").format(n=len(report.problems)), ""]
        lines += _table(
            [_("Location"), _("Code"), _("Severity"), _("Message")],
            [[p.location, p.code, severity_word(p.severity), p.say()] for p in report.problems],
        )
        lines.append("")
    return "\n".join(lines)

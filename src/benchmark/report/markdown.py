"""Markdown: the summary and the verdict tables, ready to paste into a report."""

from __future__ import annotations

from typing import Any

from benchmark.report.labels import TIER_LABELS_ZH, ceiling, edition_note, national_2020
from benchmark.report.model import Report, records, reporting_date, share_basis_note
from benchmark.results import AreaSummary, Summary


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
    """Groups against their targets; for areas the ceiling below baseline and the national
    2020 shares (at benchmark / below baseline) too."""
    by_area = s.group_by == "area"
    rows = []
    for g in s.groups:
        area = g if isinstance(g, AreaSummary) else None
        rows.append(
            [
                f"{g.group} {area.name_zh}" if area else g.group,
                g.rows,
                g.benchmark,
                g.between,
                g.below_baseline,
                _pct(g.share_at_benchmark),
                _pct(area.target_share if area else None),
                _pct(g.share_below_baseline),
                *(
                    (ceiling(area.target_below_baseline if area else None), national_2020(g))
                    if by_area
                    else ()
                ),
                g.saving_to_benchmark_tce,
                ", ".join(g.unconfirmed_levels) or "confirmed",
            ]
        )
    t = s.totals
    rows.append(
        [
            "**total**",
            t.rows,
            t.benchmark,
            t.between,
            t.below_baseline,
            _pct(t.share_at_benchmark),
            "",
            _pct(t.share_below_baseline),
            *(("", "") if by_area else ()),
            t.saving_to_benchmark_tce,
            "",
        ]
    )
    return _table(
        [
            s.group_by,
            "rows",
            "标杆 benchmark",
            "基准–标杆 between",
            "低于基准 below baseline",
            "share at benchmark",
            "target",
            "share below baseline",
            *(("ceiling below baseline", "national 2020") if by_area else ()),
            "saving to benchmark (tce)",
            "levels",
        ],
        rows,
    )


def grade_markdown(report: Report) -> str:
    cat = report.catalogue
    lines = [
        f"# Energy-efficiency grading — {cat.title_en}",
        "",
        f"Catalogue: {cat.document}, edition {cat.edition} (sha256 {cat.sha256[:12]}). "
        f"{edition_note(cat)}",
        "",
        f"**{reporting_date(report)}.** " + " ".join(d.text for d in report.summary.deadlines),
        "",
    ]
    s = report.summary
    lines += [f"## Summary by {s.group_by}", ""]
    lines += _summary_table(s)
    lines += ["", *([s.scope.text, ""] if s.scope else []), share_basis_note(s), ""]
    t = s.totals
    graded = report.graded.dropna(subset=["tier"])
    for area in cat.areas:
        part = graded[graded["area"] == area.id]
        if not len(part):
            continue
        lines += [f"## {area.name_zh} {area.name_en} ({area.unit})", ""]
        rows = [
            [
                r["enterprise"],
                r.get("line"),
                r.get("year"),
                r.get("category"),
                r["value"],
                r["benchmark"],
                r["baseline"],
                r["level_status"],
                f"{TIER_LABELS_ZH[r['tier']]} {r['tier']}",
                r["gap_to_benchmark"],
                r.get("saving_to_benchmark_tce"),
            ]
            for r in records(part)
        ]
        lines += _table(
            [
                "enterprise",
                "line",
                "year",
                "category",
                "value",
                "benchmark",
                "baseline",
                "level status",
                "tier",
                "gap to benchmark",
                "saving (tce)",
            ],
            rows,
        )
        lines.append("")
    unconfirmed = t.unconfirmed_levels
    if unconfirmed:
        lines += [
            f"> Some verdicts rest on levels that are not confirmed "
            f"({', '.join(unconfirmed)}): see the level status column.",
            "",
        ]
    if report.problems:
        lines += [f"## Problems ({len(report.problems)})", ""]
        lines += _table(
            ["location", "code", "severity", "message"],
            [[p.location, p.code, p.severity, p.message] for p in report.problems],
        )
        lines.append("")
    return "\n".join(lines)

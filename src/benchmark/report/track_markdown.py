"""``benchmark track --format markdown``: the share grid and each area's lines, in the
reader's language, ready to paste into a report."""

from __future__ import annotations

from typing import Any

from benchmark.i18n import _
from benchmark.report import words
from benchmark.report.labels import pct
from benchmark.report.track import (
    TrackReport,
    any_to_check,
    area_title,
    area_year_cells,
    area_year_headings,
    area_years,
    footnotes,
    line_heading,
    line_sparkline,
    share_grid,
    shown_lines,
    trend_text,
    year_label,
    years_span,
)


def _md(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    return [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
        *("| " + " | ".join(_md(v) for v in row) + " |" for row in rows),
    ]


def _md_lines(report: TrackReport, area_id: str, rows: list[dict[str, Any]]) -> list[str]:
    area = report.catalogue.area(area_id)
    fields = (
        "years",
        "values",
        "trend_line",
        "latest_tier",
        "trend",
        "reached_benchmark_in",
        "deadline_status",
        "projected_baseline_year",
        "projected_benchmark_year",
    )
    heads = [words.heading(f) for f in ("enterprise", "line", "category")] + [
        words.heading("tier")
        if f == "latest_tier"
        else _("Trend")
        if f == "trend"
        else line_heading(f)
        for f in fields
    ]
    return _md_table(
        heads,
        [
            [
                r["enterprise"],
                r["line"],
                words.category_name(area, r["category"]),
                years_span(r),
                " → ".join("–" if v is None else f"{v:g}" for v in r["values"]),
                f"`{line_sparkline(r)}`",
                words.tier_word(r["latest_tier"]) if r["latest_tier"] else None,
                trend_text(r),
                r["reached_benchmark_in"],
                words.deadline_word(r["deadline_status"]) if r["deadline_status"] else None,
                r["projected_baseline_year"],
                r["projected_benchmark_year"],
            ]
            for r in rows
        ],
    )


def _md_area_years(report: TrackReport) -> list[str]:
    """Each area's years: rows, tiers, share at benchmark, target and whether it is met —
    in words, as Markdown has no colour."""
    items = area_years(report)
    to_check = any_to_check(items)
    table = _md_table(
        [words.heading("area"), *area_year_headings(to_check)],
        [
            [words.area_name(report.catalogue.area(i.area)), *area_year_cells(i, to_check)]
            for i in items
        ],
    )
    return ["## " + _("Tiers by area and year"), "", *table, ""]


def track_markdown(report: TrackReport) -> str:
    cat = report.catalogue
    title = cat.title_zh if words.zh() else cat.title_en
    out = [f"# {_(words.TRACK_TITLE)} — {title}", "", *footnotes(report)[:1], ""]
    years, areas = share_grid(report)
    if areas:
        out += ["## " + _("Share at benchmark by year"), ""]
        out += _md_table(
            [words.heading("area"), *map(year_label, years), _("2025 target")],
            [
                [
                    words.area_name(cat.area(a)),
                    *(pct(s[y]) if y in s else "" for y in years),
                    pct(target),
                ]
                for a, target, s in areas
            ],
        )
        out.append("")
        out += _md_area_years(report)
    for area_id, rows, total in shown_lines(report):
        out += [f"## {area_title(cat, area_id)}", ""]
        out += _md_lines(report, area_id, rows)
        if total > len(rows):
            out.append(
                "\n"
                + _("{n} more line(s): `--format csv` lists them all.").format(
                    n=f"{total - len(rows):,}"
                )
            )
        out.append("")
    if report.problems:
        out += ["## " + _("Problems ({n})").format(n=len(report.problems)), ""]
        out += _md_table(
            [_("Location"), _("Code"), _("Message")],
            [[p.location, p.code, p.say()] for p in report.problems],
        )
        out.append("")
    out += [*footnotes(report)[1:], ""]
    return "\n".join(out)

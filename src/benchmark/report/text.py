"""Terminal renderers (rich): problems grouped by file, verdict tables, the policy summary."""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from benchmark.problems import Problem
from benchmark.report.labels import (
    STATUS_NOTE,
    STATUS_STYLES,
    TIER_LABELS_ZH,
    TIER_STYLES,
    ceiling,
    edition_note,
    national_2020,
    pct,
)
from benchmark.report.model import Report, records, reporting_date, share_basis_note
from benchmark.results import AreaSummary

#: Rows shown per area on a terminal (rich lays out about 4,000 table rows a second, so a
#: national list stays a screenful per area); the full table is one ``--format csv`` away.
MAX_ROWS_PER_AREA = 30


def _num(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if abs(value) < 1e15 else f"{value:.3g}"


def problem_lines(problems: list[Problem]) -> list[Text]:
    lines = []
    for p in problems:
        style = "red" if p.severity == "error" else "yellow"
        line = Text()
        line.append(p.location, style="bold")
        line.append(": ")
        line.append(p.code, style=style)
        line.append(" " + p.say())
        lines.append(line)
    return lines


def render_problems(console: Console, report: Report) -> None:
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in report.problems:
        by_file[p.file].append(p)
    for file, problems in by_file.items():
        console.print(Text(file, style="bold underline"))
        for line in problem_lines(problems):
            console.print(line, soft_wrap=True)


def totals_line(report: Report) -> Text:
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    text = Text()
    text.append(
        f"{len(report.files)} file(s), {report.rows_total:,} row(s), {len(report.graded):,} valid; "
    )
    text.append(f"{errors:,} error(s)", style="bold red" if errors else "bold green")
    text.append(", ")
    text.append(f"{warnings:,} warning(s)", style="yellow" if warnings else "")
    return text


def render_notices(console: Console, report: Report) -> None:
    """Rows skipped, sheets left out, columns not recognised: once a sheet, dim."""
    for notice in report.notices:
        console.print(Text(f"{notice.location}: {notice.say()}", style="dim"), soft_wrap=True)


def render_validate(console: Console, report: Report) -> None:
    render_problems(console, report)
    render_notices(console, report)
    console.print(totals_line(report))


def tier_text(tier: str | None) -> Text:
    if tier is None:
        return Text("–")
    return Text(f"{TIER_LABELS_ZH[tier]} {tier}", style=TIER_STYLES[tier])


def _area_table(
    report: Report, area_id: str, rows: list[dict[str, Any]], total: int | None = None
) -> Table:
    area = report.catalogue.area(area_id)
    table = Table(
        title=f"{area.name_zh} {area.name_en} ({area.unit})",
        title_justify="left",
        title_style="bold",
        expand=False,
    )
    for name, justify in (
        ("enterprise", "left"),
        ("line", "left"),
        ("year", "right"),
        ("category", "left"),
        ("value", "right"),
        ("benchmark", "right"),
        ("baseline", "right"),
        ("tier", "left"),
        ("gap", "right"),
        ("saving tce", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in rows[:MAX_ROWS_PER_AREA]:
        status = r["level_status"]
        mark = "" if status == "confirmed" else " *"
        table.add_row(
            escape(str(r["enterprise"] or "")),
            escape(str(r.get("line") or "")),
            str(r.get("year") or ""),
            escape(str(r.get("category") or "")),
            _num(r["value"]),
            _num(r["benchmark"]) + mark,
            _num(r["baseline"]) + mark,
            tier_text(r["tier"]),
            f"{r['gap_to_benchmark']:+,.1f}",
            _num(r.get("saving_to_benchmark_tce")),
        )
    total = len(rows) if total is None else total
    if total > MAX_ROWS_PER_AREA:
        table.caption = (
            f"{total - MAX_ROWS_PER_AREA:,} more row(s) not shown; use --format csv or xlsx for all"
        )
    return table


def summary_table(report: Report) -> Table:
    """Groups against their targets: for areas, each area's own target share at benchmark,
    its ceiling below baseline, and the national 2020 shares as the starting point."""
    summary = report.summary
    by = summary.group_by
    by_area = by == "area"
    table = Table(title=f"Summary by {by}", title_justify="left", title_style="bold")
    columns = [
        by,
        "rows",
        "标杆",
        "基准–标杆",
        "低于基准",
        "at benchmark",
        "target",
        "below baseline",
        *(("ceiling", "2020") if by_area else ()),
        "saving tce",
        "levels",
    ]
    for name in columns:
        table.add_column(name, justify="left" if name in (by, "levels") else "right")
    for g in summary.groups:
        area = g if isinstance(g, AreaSummary) else None
        meets = area.meets_target if area else None
        share_text = Text(
            pct(g.share_at_benchmark), style="green" if meets else ("red" if meets is False else "")
        )
        below = area.meets_below_baseline_target if area else None
        below_text = Text(
            pct(g.share_below_baseline),
            style="green" if below else ("red" if below is False else ""),
        )
        label = f"{g.group} {area.name_zh}" if area else g.group
        levels = ", ".join(g.unconfirmed_levels) or "confirmed"
        table.add_row(
            escape(label),
            f"{g.rows:,}",
            f"{g.benchmark:,}",
            f"{g.between:,}",
            f"{g.below_baseline:,}",
            share_text,
            pct(area.target_share) if area else "–",
            below_text,
            *(
                (ceiling(area.target_below_baseline if area else None), national_2020(g))
                if by_area
                else ()
            ),
            _num(g.saving_to_benchmark_tce),
            Text(levels, style=STATUS_STYLES.get(levels.split(",")[-1].strip(), "green")),
        )
    if summary.scope is not None:
        table.caption = summary.scope.text
        table.caption_justify = "left"
    t = summary.totals
    table.add_section()
    table.add_row(
        "total",
        f"{t.rows:,}",
        f"{t.benchmark:,}",
        f"{t.between:,}",
        f"{t.below_baseline:,}",
        pct(t.share_at_benchmark),
        "",
        pct(t.share_below_baseline),
        *(("", "") if by_area else ()),
        _num(t.saving_to_benchmark_tce),
        "",
    )
    return table


def footnotes(report: Report) -> list[Text]:
    notes: list[Text] = []
    used = report.graded.dropna(subset=["tier"])
    unconfirmed = used[used["level_status"] != "confirmed"]
    if len(unconfirmed):
        pairs = unconfirmed[["area", "category", "level_status"]].drop_duplicates()
        names = ", ".join(
            f"{a}{'/' + c if isinstance(c, str) else ''} ({s})"
            for a, c, s in pairs.itertuples(index=False)
        )
        notes.append(
            Text(
                f"* {len(unconfirmed):,} verdict(s) rest on levels that are not confirmed: "
                f"{names}. {STATUS_NOTE}",
                style="yellow",
            )
        )
    notes.append(
        Text(
            f"{share_basis_note(report.summary)} Savings are to the benchmark "
            "level, in tce (GB/T 2589-2020 factors).",
            style="dim",
        )
    )
    notes.append(deadline_text(report))
    notes.append(Text(edition_note(report.catalogue), style="dim"))
    return notes


def deadline_text(report: Report) -> Text:
    """The reporting date and each deadline judged at it; red where a deadline has passed
    with lines still below the baseline."""
    text = Text(f"{reporting_date(report)}. ", style="bold")
    for note in report.summary.deadlines:
        late = note.passed and note.below_baseline > 0
        text.append(note.text + " ", style="bold red" if late else "")
    return text


def render_grade(console: Console, report: Report) -> None:
    graded = report.graded.dropna(subset=["tier"])
    by_area: dict[str, list[dict[str, Any]]] = defaultdict(list)
    # Only the rows shown become Python values: a large run prints as fast as a small one.
    shown = graded.groupby("area", sort=False).head(MAX_ROWS_PER_AREA)
    for r in records(
        shown[
            [
                "area",
                "category",
                "enterprise",
                "line",
                "year",
                "value",
                "benchmark",
                "baseline",
                "tier",
                "gap_to_benchmark",
                "saving_to_benchmark_tce",
                "level_status",
            ]
        ]
    ):
        by_area[r["area"]].append(r)
    counts = graded["area"].value_counts().to_dict() if len(graded) else {}
    order = [a.id for a in report.catalogue.areas if a.id in by_area]
    for area_id in order:
        console.print(_area_table(report, area_id, by_area[area_id], int(counts[area_id])))
    if len(graded):
        console.print(summary_table(report))
    if report.problems:
        console.print(Text(f"Problems ({len(report.problems)})", style="bold"))
        render_problems(console, report)
    render_notices(console, report)
    for note in footnotes(report):
        console.print(note)
    console.print(totals_line(report))


def _plain(render: Any, report: Report) -> str:
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=160, color_system=None, file=sink)
        render(console, report)
        return console.export_text()


def grade_plain(report: Report) -> str:
    """The terminal report as plain text (for ``-o report.txt``)."""
    return _plain(render_grade, report)


def validate_plain(report: Report) -> str:
    return _plain(render_validate, report)

"""Terminal renderers (rich): problems grouped by file, verdict tables, the policy summary —
in the reader's language, laid out for the terminal's width (:mod:`benchmark.report.terminal`):
a table per area where it fits, a table per category with fewer columns where it does not, a
card per line on the narrowest terminals. A figure is never cut."""

from __future__ import annotations

import os
import string
from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.text import Text

from benchmark.catalogue import Area
from benchmark.i18n import _, say
from benchmark.problems import Problem
from benchmark.report.labels import (
    STATUS_STYLES,
    TIER_STYLES,
    TIERS,
    ceiling,
    edition_note,
    national_2020,
    pct,
    status_note,
)
from benchmark.report.model import Report, records, reporting_sentence, share_basis_note
from benchmark.report.terminal import Col, Grid, fitted
from benchmark.report.words import (
    area_name,
    area_title,
    category_name,
    deadline_word,
    group_heading,
    heading,
    level_name,
    status_word,
    summary_title,
    tier_word,
    unit_label,
    yes_no,
    zh,
)
from benchmark.results import AreaSummary, GroupSummary, Summary

#: Rows shown per area on a terminal (rich lays out about 4,000 table rows a second, so a
#: national list stays a screenful per area); the full table is one ``--format csv`` away.
MAX_ROWS_PER_AREA = 30
#: Width of the text written with ``-o report.txt``.
FILE_WIDTH = 160
#: Columns of the rows shown, in the order the line tables use them.
SHOWN = (
    "area",
    "category",
    "enterprise",
    "line",
    "year",
    "value",
    "benchmark",
    "baseline",
    "tier",
    "deadline_status",
    "gap_to_benchmark",
    "saving_to_benchmark_tce",
    "level_status",
)


def _num(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if abs(value) < 1e15 else f"{value:.3g}"


def _signed(value: Any) -> str:
    return "–" if value is None else f"{value:+,.1f}"


# --------------------------------------------------------------------------- problems


def problem_lines(problems: list[Problem]) -> list[Text]:
    """Each problem at its cell, its message in the reader's language."""
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
    """``1 file(s), 2 row(s), 2 valid; 0 error(s), 0 warning(s)``, the counts coloured."""
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    template = _(
        "{files} file(s), {rows} row(s), {valid} valid; {errors} error(s), {warnings} warning(s)"
    )
    values = {
        "files": (f"{len(report.files):,}", ""),
        "rows": (f"{report.rows_total:,}", ""),
        "valid": (f"{len(report.graded):,}", ""),
        "errors": (f"{errors:,}", "bold red" if errors else "bold green"),
        "warnings": (f"{warnings:,}", "yellow" if warnings else ""),
    }
    return styled(template, values)


def styled(template: str, values: dict[str, tuple[str, str]]) -> Text:
    """A translated ``template`` with its fields filled in, each in its own style (the
    words around them, which the translation may move, stay plain)."""
    text = Text()
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        text.append(literal)
        if name is not None:
            value, style = values[name]
            text.append(value, style=style)
    return text


def render_notices(console: Console, report: Report) -> None:
    """Rows skipped, sheets left out, columns not recognised: once a sheet, dim."""
    for notice in report.notices:
        console.print(Text(f"{notice.location}: {notice.say()}", style="dim"), soft_wrap=True)


def render_validate(console: Console, report: Report) -> None:
    render_problems(console, report)
    render_notices(console, report)
    console.print(totals_line(report))


# --------------------------------------------------------------------------- lines


def tier_text(tier: str | None) -> Text:
    """A tier in the reader's language, in its colour."""
    if tier is None:
        return Text("–")
    return Text(tier_word(tier), style=TIER_STYLES.get(tier, ""))


def _level(value: Any, status: Any) -> str:
    """A level, marked ``*`` when it rests on a level that is not confirmed."""
    return _num(value) + ("" if status == "confirmed" else " *")


def _wide(area: Area, rows: list[dict[str, Any]]) -> Grid:
    """Every figure of a line in one row: the layout of a wide terminal."""
    grid = Grid(
        [
            Col(heading("enterprise"), title=True),
            Col(heading("line"), title=True),
            Col(heading("year"), "figure", title=True),
            Col(heading("category"), title=True),
            Col(heading("value"), "figure"),
            Col(heading("benchmark"), "figure"),
            Col(heading("baseline"), "figure"),
            Col(heading("tier"), "word"),
            Col(heading("deadline_status"), "word"),
            Col(heading("gap_to_benchmark"), "figure"),
            Col(heading("saving_to_benchmark_tce"), "figure"),
        ]
    )
    for r in rows:
        grid.add(
            str(r["enterprise"] or ""),
            str(r.get("line") or ""),
            str(r.get("year") or ""),
            category_name(area, r.get("category")),
            _num(r["value"]),
            _level(r["benchmark"], r["level_status"]),
            _level(r["baseline"], r["level_status"]),
            tier_text(r["tier"]),
            deadline_word(r.get("deadline_status")),
            _signed(r["gap_to_benchmark"]),
            _num(r.get("saving_to_benchmark_tce")),
        )
    return grid


def _narrow(area: Area, rows: list[dict[str, Any]]) -> list[tuple[Grid, Text]]:
    """A table per category, its levels in the title, each line's figures only: the
    layout of a narrow terminal (and, as cards, of the narrowest)."""
    by_level: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_level[r.get("category")].append(r)
    order = {lv.category: i for i, lv in enumerate(area.levels)}
    out = []
    for category in sorted(by_level, key=lambda c: order.get(c, len(order))):
        part = by_level[category]
        grid = Grid(
            [
                Col(heading("enterprise"), title=True),
                Col(heading("value"), "figure"),
                Col(heading("tier"), "word"),
                Col(heading("deadline_status"), "word"),
                Col(heading("gap_to_benchmark"), "figure"),
                Col(heading("saving_to_benchmark_tce"), "figure"),
            ]
        )
        for r in part:
            grid.add(
                _who(r),
                _num(r["value"]),
                tier_text(r["tier"]),
                deadline_word(r.get("deadline_status")),
                _signed(r["gap_to_benchmark"]),
                _num(r.get("saving_to_benchmark_tce")),
            )
        first = part[0]
        out.append((grid, _level_title(area, category, first)))
    return out


def _who(row: dict[str, Any]) -> Text:
    """The enterprise, and under it the line and year: one column for a narrow terminal."""
    text = Text(str(row["enterprise"] or ""))
    rest = " · ".join(str(row[k]) for k in ("line", "year") if row.get(k) is not None)
    if rest:
        text.append("\n" + rest, style="dim")
    return text


def _level_title(area: Area, category: Any, row: dict[str, Any]) -> Text:
    """``烧碱 / 离子膜法液碱≥30%（kgce/t）：标杆水平 315.0，基准水平 330.0``."""
    name = area_name(area)
    cat = category_name(area, category)
    where = f"{name} / {cat}" if cat else name
    status = row["level_status"]
    return Text(
        _("{level} ({unit}): benchmark level {benchmark}, baseline level {baseline}").format(
            level=where,
            unit=unit_label(area.unit),
            benchmark=_level(row["benchmark"], status),
            baseline=_level(row["baseline"], status),
        ),
        style="bold",
    )


def area_views(
    report: Report, area: Area, rows: list[dict[str, Any]], total: int, width: int
) -> list[Any]:
    """What a terminal of ``width`` columns shows of an area: its first rows, as wide a
    layout as fits."""
    shown = rows[:MAX_ROWS_PER_AREA]
    caption = (
        _("{n} more row(s) not shown; use --format csv or xlsx for all").format(
            n=f"{total - MAX_ROWS_PER_AREA:,}"
        )
        if total > MAX_ROWS_PER_AREA
        else None
    )
    title = Text(area_title(area), style="bold")
    return fitted([[(_wide(area, shown), title)], _narrow(area, shown)], width, caption)


# --------------------------------------------------------------------------- summary


def _coloured(text: str, meets: bool | None) -> Text:
    return Text(text, style="green" if meets else ("red" if meets is False else ""))


def _verdict(meets: bool | None) -> Text:
    """Whether an area meets its target in a word, coloured too: the colour alone is lost
    with NO_COLOR, in a pipe and on paper."""
    return _coloured(yes_no(meets) or "–", meets)


def _levels_text(statuses: list[str]) -> Text:
    words = ", ".join(status_word(s) for s in statuses) or status_word("confirmed")
    worst = statuses[-1] if statuses else "confirmed"
    return Text(words, style=STATUS_STYLES.get(worst, "green"))


def _summary_grid(summary: Summary) -> Grid:
    """Groups against their targets: for areas, each area's own target share at benchmark and
    its ceiling below baseline (each met or not, in a word), and the national 2020 shares as
    the starting point."""
    by_area = summary.group_by == "area"
    to_check = summary.totals.to_check > 0
    columns = [
        Col(group_heading(summary.group_by), title=True),
        Col(_("Rows"), "figure"),
        *(Col(tier_word(t), "figure") for t in (*TIERS, *(("to_check",) if to_check else ()))),
        Col(_("Share at benchmark"), "figure"),
        Col(_("2025 target"), "figure"),
        *((Col(_("Meets target"), "word"),) if by_area else ()),
        Col(_("Share below baseline"), "figure"),
        *(
            (
                Col(_("Ceiling below baseline"), "figure"),
                Col(_("Meets ceiling"), "word"),
                Col(_("National 2020"), "figure"),
            )
            if by_area
            else ()
        ),
        Col(heading("saving_to_benchmark_tce"), "figure"),
        Col(_("Levels")),
    ]
    grid = Grid(columns)
    for g in summary.groups:
        grid.add(*_group_cells(g, by_area, to_check))
    t = summary.totals
    grid.add(
        Text(_("Total"), style="bold"),
        f"{t.rows:,}",
        *(f"{n:,}" for n in (t.benchmark, t.between, t.below_baseline)),
        *((f"{t.to_check:,}",) if to_check else ()),
        pct(t.share_at_benchmark),
        "",
        *(("",) if by_area else ()),
        pct(t.share_below_baseline),
        *(("", "", "") if by_area else ()),
        _num(t.saving_to_benchmark_tce),
        "",
        ruled=True,
    )
    return grid


def _group_cells(g: GroupSummary, by_area: bool, to_check: bool) -> list[str | Text]:
    area = g if isinstance(g, AreaSummary) else None
    return [
        (area.name_zh if zh() else area.name_en) if area else g.group,
        f"{g.rows:,}",
        *(f"{n:,}" for n in (g.benchmark, g.between, g.below_baseline)),
        *((f"{g.to_check:,}",) if to_check else ()),
        _coloured(pct(g.share_at_benchmark), area.meets_target if area else None),
        pct(area.target_share) if area else "–",
        *((_verdict(area.meets_target if area else None),) if by_area else ()),
        _coloured(pct(g.share_below_baseline), area.meets_below_baseline_target if area else None),
        *(
            (
                ceiling(area.target_below_baseline if area else None),
                _verdict(area.meets_below_baseline_target if area else None),
                national_2020(g),
            )
            if by_area
            else ()
        ),
        _num(g.saving_to_benchmark_tce),
        _levels_text(g.unconfirmed_levels),
    ]


def summary_views(report: Report, width: int) -> list[Any]:
    """The summary as a table where it fits, else a card per group."""
    summary = report.summary
    title = Text(summary_title(summary.group_by), style="bold")
    caption = say(summary.scope.text) if summary.scope is not None else None
    return fitted([[(_summary_grid(summary), title)]], width, caption)


# --------------------------------------------------------------------------- notes


def footnotes(report: Report) -> list[Text]:
    notes: list[Text] = []
    used = report.graded.dropna(subset=["tier"])
    unconfirmed = used[used["level_status"] != "confirmed"]
    if len(unconfirmed):
        pairs = unconfirmed[["area", "category", "level_status"]].drop_duplicates()
        names = ", ".join(
            f"{level_name(report.catalogue, a, c)} ({status_word(s)})"
            for a, c, s in pairs.itertuples(index=False)
        )
        notes.append(
            Text(
                _("* {n} verdict(s) rest on levels that are not confirmed: {names}.").format(
                    n=f"{len(unconfirmed):,}", names=names
                )
                + " "
                + status_note(),
                style="yellow",
            )
        )
    notes.append(
        Text(
            share_basis_note(report.summary)
            + " "
            + _("Savings are to the benchmark level, in tce (GB/T 2589-2020 factors)."),
            style="dim",
        )
    )
    notes.append(deadline_text(report))
    notes.append(Text(edition_note(report.catalogue), style="dim"))
    return notes


def deadline_text(report: Report) -> Text:
    """The reporting date and each deadline judged at it; red where a deadline has passed
    with lines still below the baseline."""
    text = Text(reporting_sentence(report) + " ", style="bold")
    for note in report.summary.deadlines:
        late = note.passed and note.below_baseline > 0
        text.append(say(note.text) + " ", style="bold red" if late else "")
    return text


# --------------------------------------------------------------------------- the report


def _shown_rows(report: Report) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    """The first rows of each area as dicts, and each area's count. Only the rows shown
    become Python values: a large run prints as fast as a small one."""
    graded = report.graded.dropna(subset=["tier"])
    shown = graded.groupby("area", sort=False).head(MAX_ROWS_PER_AREA)
    by_area: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records(shown[[c for c in SHOWN if c in shown.columns]]):
        by_area[r["area"]].append(r)
    counts = graded["area"].value_counts().to_dict() if len(graded) else {}
    return by_area, {str(k): int(v) for k, v in counts.items()}


def render_grade(console: Console, report: Report) -> None:
    width = console.width
    by_area, counts = _shown_rows(report)
    for area in report.catalogue.areas:
        if area.id in by_area:
            for part in area_views(report, area, by_area[area.id], counts[area.id], width):
                console.print(part)
    if by_area:
        for part in summary_views(report, width):
            console.print(part)
    if report.problems:
        console.print(Text(_("Problems ({n})").format(n=len(report.problems)), style="bold"))
        render_problems(console, report)
    render_notices(console, report)
    for note in footnotes(report):
        console.print(note)
    console.print(totals_line(report))


def _plain(render: Any, report: Report) -> str:
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=FILE_WIDTH, color_system=None, file=sink)
        render(console, report)
        return console.export_text()


def grade_plain(report: Report) -> str:
    """The terminal report as plain text (for ``-o report.txt``)."""
    return _plain(render_grade, report)


def validate_plain(report: Report) -> str:
    return _plain(render_validate, report)

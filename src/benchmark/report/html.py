"""HTML: one self-contained page for a client — inline CSS and SVG, no script, no network — in
the reader's language, that prints on A4 landscape with every column, the charts whole and the
catalogue edition and reporting date atop every page (:mod:`benchmark.report.page`).

Every piece of text that came from an input file or a catalogue goes through :func:`_e`
(``html.escape``): enterprise names are user data and may hold markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from benchmark._version import __version__
from benchmark.i18n import _, say
from benchmark.report.labels import (
    FACTORS_FOOTER,
    TIERS,
    ceiling,
    edition_note,
    factors_note,
    national_2020,
    status_note,
)
from benchmark.report.model import Report, records, share_basis_note, shows_targets
from benchmark.report.page import (
    CSS,
    document,
    legend,
    levels_line,
    notices_section,
    problems_section,
    running_header,
    status_badge,
    tier_badge,
)
from benchmark.report.page import escape as _e
from benchmark.report.page import number as _num
from benchmark.report.svg import Point, chart_svg, short_label
from benchmark.report.words import (
    GRADING_TITLE,
    area_name,
    area_title,
    category_name,
    deadline_word,
    heading,
    level_name,
    status_word,
    summary_headings,
    summary_title,
    tier_word,
    unit_label,
    yes_no,
    zh,
)
from benchmark.results import AreaSummary, GroupSummary, Summary

if TYPE_CHECKING:
    import pandas as pd

    from benchmark.catalogue import Area

__all__ = ["CSS", "grade_html", "running_header"]

#: Points drawn per area chart; the table below the chart lists more.
MAX_CHART_POINTS = 60
#: Rows listed per area table (a page of 25 areas × 200 rows renders in a fraction of a second;
#: the full results are one ``--format xlsx`` or ``csv`` away).
MAX_TABLE_ROWS = 200

#: Results columns per area, in order; a column no row of the area fills is left out.
TABLE_COLUMNS: tuple[str, ...] = (
    "enterprise",
    "line",
    "region",
    "year",
    "category",
    "value",
    "benchmark",
    "baseline",
    "tier",
    "deadline_status",
    "gap_to_benchmark",
    "gap_to_benchmark_pct",
    "score",
    "saving_to_benchmark_tce",
    "level_status",
)
NUMERIC = {
    "value",
    "benchmark",
    "baseline",
    "gap_to_benchmark",
    "gap_to_benchmark_pct",
    "score",
    "saving_to_benchmark_tce",
    "year",
}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


# --------------------------------------------------------------------------- page parts


def _points(area: Area, rows: Sequence[dict[str, Any]]) -> list[Point]:
    """Chart points for the first rows, grouped by category in catalogue order; a value to
    check (off its levels by a factor of two or more) is listed, not drawn."""
    order = {lv.category: i for i, lv in enumerate(area.levels)}
    drawn = [r for r in rows if r["tier"] != "to_check"]
    chosen = sorted(drawn[:MAX_CHART_POINTS], key=lambda r: order.get(r.get("category"), 99))
    return [
        Point(
            " ".join(str(r[k]) for k in ("enterprise", "line") if r.get(k) is not None),
            short_label(
                str(r.get("enterprise") or ""), None if r.get("line") is None else str(r["line"])
            ),
            float(r["value"]),
            str(r["tier"]),
            category_name(area, r.get("category")),
            float(r["benchmark"]),
            float(r["baseline"]),
        )
        for r in chosen
    ]


def _cell(name: str, row: dict[str, Any], area: Area) -> str:
    value = row.get(name)
    if name == "tier":
        return f"<td>{tier_badge(str(value))}</td>"
    if name == "level_status":
        return f"<td>{status_badge(value)}</td>"
    if name == "deadline_status":
        return f"<td>{_e(deadline_word(value))}</td>"
    if name == "category":
        return f"<td>{_e(category_name(area, value))}</td>"
    if name == "year":
        return f'<td class="num">{_e(value)}</td>'
    if name in ("benchmark", "baseline") and row.get("level_status") != "confirmed":
        return f'<td class="num unconfirmed-level">{_num(value)}*</td>'
    if name in NUMERIC:
        signed = name.startswith("gap")
        digits = 1 if name in ("gap_to_benchmark_pct", "score", "saving_to_benchmark_tce") else 2
        return f'<td class="num">{_num(value, digits, sign=signed)}</td>'
    return f"<td>{_e(value)}</td>"


def _area_table(area: Area, rows: Sequence[dict[str, Any]], total: int) -> list[str]:
    listed = rows[:MAX_TABLE_ROWS]
    columns = [c for c in TABLE_COLUMNS if any(r.get(c) is not None for r in listed)]
    head = "".join(
        f'<th class="{"num" if c in NUMERIC else ""}">{_e(heading(c))}</th>' for c in columns
    )
    out = [
        '<div class="scroll"><table class="results">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    for row in listed:
        cells = "".join(_cell(c, row, area) for c in columns)
        out.append(f'<tr class="tier-{_e(row["tier"])}">{cells}</tr>')
    out.append("</tbody></table></div>")
    if total > MAX_TABLE_ROWS:
        out.append(
            '<p class="note">'
            + _e(
                _("{n} more row(s) not listed; the xlsx and csv formats hold them all.").format(
                    n=f"{total - MAX_TABLE_ROWS:,}"
                )
            )
            + "</p>"
        )
    return out


def _area_section(area: Area, rows: list[dict[str, Any]], total: int) -> list[str]:
    """Heading, levels, chart and table of one area (``rows`` may be the first of ``total``)."""
    shown = min(total, MAX_CHART_POINTS)
    caption = (
        _("First {shown} of {total} lines shown in the chart.").format(
            shown=shown, total=f"{total:,}"
        )
        if total > shown
        else _("{n} line(s).").format(n=f"{total:,}")
    )
    out = [
        f'<section class="area" id="area-{_e(area.id)}">',
        f"<h2>{_e(area_name(area))} <small>{_e(unit_label(area.unit))}</small></h2>",
        levels_line(area, {r.get("category") for r in rows}),
        legend(),
    ]
    points = _points(area, rows)
    if points:
        out.append(
            f"<figure>{chart_svg(points, unit_label(area.unit), area_title(area))}"
            f"<figcaption>{_e(caption)} "
            + _e(
                _(
                    "Lower is better: a stem runs from the benchmark line to each line's "
                    "value; values to check are listed, not drawn."
                )
            )
            + "</figcaption></figure>"
        )
    out += _area_table(area, rows, total)
    out.append("</section>")
    return out


def _share_cell(group: GroupSummary) -> str:
    """The share at benchmark with a bar and the area's own target marked, green if met, red
    if not."""
    area = group if isinstance(group, AreaSummary) else None
    share = group.share_at_benchmark
    target, meets = (area.target_share, area.meets_target) if area else (None, None)
    cls = "meets" if meets else ("misses" if meets is False else "")
    width = 0.0 if share is None else max(0.0, min(share, 1.0)) * 100
    mark = f'<i class="target" style="left:{target * 100:.1f}%"></i>' if target is not None else ""
    return (
        f'<td class="share {cls}"><span class="pct">{_pct(share)}</span>'
        f'<span class="bar"><b style="width:{width:.1f}%"></b>{mark}</span></td>'
    )


def _meets_cell(meets: bool | None) -> str:
    """Whether an area meets its target in a word (是 / 否), for a reader without colour."""
    cls = "meets" if meets else ("misses" if meets is False else "")
    return f'<td class="verdict {cls}">{_e(yes_no(meets))}</td>'


def _below_cell(group: GroupSummary) -> str:
    """The share below baseline, green or red against the area's ceiling where it has one."""
    meets = group.meets_below_baseline_target if isinstance(group, AreaSummary) else None
    cls = " meets" if meets else (" misses" if meets is False else "")
    return f'<td class="num below{cls}">{_pct(group.share_below_baseline)}</td>'


def _levels_cell(statuses: Sequence[str]) -> str:
    if not statuses:
        return f"<td>{status_badge('confirmed')}</td>"
    return "<td>" + " ".join(status_badge(s) for s in statuses) + "</td>"


def _group_row(g: GroupSummary) -> str:
    area = g if isinstance(g, AreaSummary) else None
    label = _e((area.name_zh if zh() else area.name_en) if area else g.group)
    extra = (
        (
            f'<td class="num">{_e(ceiling(area.target_below_baseline))}</td>'
            + _meets_cell(area.meets_below_baseline_target)
            + f'<td class="num">{_e(national_2020(g))}</td>'
        )
        if area
        else ""
    )
    counts = (g.benchmark, g.between, g.below_baseline)
    return (
        f'<tr><th scope="row">{label}</th><td class="num">{g.rows:,}</td>'
        + "".join(f'<td class="num c-{t}">{n:,}</td>' for t, n in zip(TIERS, counts, strict=True))
        + _share_cell(g)
        + f'<td class="num">{_pct(area.target_share) if area else "–"}</td>'
        + (_meets_cell(area.meets_target) if area else "")
        + _below_cell(g)
        + extra
        + f'<td class="num">{_num(g.saving_to_benchmark_tce, 1)}</td>'
        + _levels_cell(g.unconfirmed_levels)
        + "</tr>"
    )


def _summary_note(s: Summary) -> str:
    """How shares are weighted, then how to read the targets, the ceiling and national 2020
    (only where the groups are areas: no other summary shows them) and the savings."""
    targets = (
        _(
            "The bar's tick marks the area's own 2025 target; the ceiling is the 2025 "
            "limit on capacity below the baseline (0%: none left); national 2020 gives "
            "the shares at benchmark and below baseline at the end of 2020. Savings are "
            "to the benchmark level, in tonnes of coal equivalent."
        )
        if shows_targets(s)
        else _("Savings are to the benchmark level, in tonnes of coal equivalent.")
    )
    return f"{share_basis_note(s)} {targets}"


def _summary_section(report: Report) -> list[str]:
    s = report.summary
    by_area = s.group_by == "area"
    out = [
        '<section id="summary">',
        f"<h2>{_e(summary_title(s.group_by))}</h2>",
        '<div class="scroll"><table class="summary">',
        "<thead><tr>"
        + "".join(f"<th>{_e(h)}</th>" for h in summary_headings(s.group_by))
        + "</tr></thead><tbody>",
        *(_group_row(g) for g in s.groups),
    ]
    t = s.totals
    counts = (t.benchmark, t.between, t.below_baseline)
    out.append(
        '</tbody><tfoot><tr><th scope="row">' + _e(_("Total")) + "</th>"
        f'<td class="num">{t.rows:,}</td>'
        + "".join(f'<td class="num c-{k}">{n:,}</td>' for k, n in zip(TIERS, counts, strict=True))
        + f'<td class="share"><span class="pct">{_pct(t.share_at_benchmark)}</span></td>'
        + ("<td></td><td></td>" if by_area else "<td></td>")
        + f'<td class="num">{_pct(t.share_below_baseline)}</td>'
        + ("<td></td><td></td><td></td>" if by_area else "")
        + f'<td class="num">{_num(t.saving_to_benchmark_tce, 1)}</td><td></td></tr></tfoot>'
        "</table></div>"
    )
    if s.scope is not None:
        out.append(f'<p class="scope"><b>{_e(say(s.scope.text))}</b></p>')
    out.append(f'<p class="note">{_e(_summary_note(s))}</p>')
    out.append("</section>")
    return out


def _kpis(report: Report) -> str:
    t = report.summary.totals
    counts = (t.benchmark, t.between, t.below_baseline)
    saving = t.saving_to_benchmark_tce
    cards = [
        (_("Graded lines"), f"{t.rows:,}", ""),
        *((tier_word(k), f"{n:,}", f"c-{k}") for k, n in zip(TIERS, counts, strict=True)),
        (_("Share at benchmark"), _pct(t.share_at_benchmark), ""),
        (heading("saving_to_benchmark_tce"), "–" if saving is None else _num(saving, 0), ""),
    ]
    return (
        '<div class="kpis">'
        + "".join(
            f'<div class="kpi {c}"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v, c in cards
        )
        + "</div>"
    )


def deadline_cell(report: Report) -> str:
    """Each deadline judged at the reporting date; marked where it has passed with lines
    still below the baseline."""
    return "<br>".join(
        f'<span class="{"late" if d.passed and d.below_baseline else "due"}">'
        f"{_e(say(d.text))}</span>"
        for d in report.summary.deadlines
    )


def _header(report: Report) -> list[str]:
    cat = report.catalogue
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    meta = [
        (_("Catalogue"), f"{_e(cat.title_zh)}<br><small>{_e(cat.title_en)}</small>"),
        (_("Document"), _e(cat.document)),
        (_("Edition"), _e(cat.edition)),
        (_("Effective"), _e(cat.effective.isoformat())),
        (_("Reporting date (as of)"), f"<b>{_e(report.as_of.isoformat())}</b>"),
        (_("Deadline for below-baseline capacity"), deadline_cell(report)),
        (_("Catalogue sha256"), f'<code title="{_e(cat.sha256)}">{_e(cat.sha256[:12])}</code>'),
        (_("Input"), "<br>".join(_e(f) for f in report.files) or "–"),
        (
            _("Rows"),
            _e(
                _("{read} read, {valid} valid, {errors} error(s), {warnings} warning(s)").format(
                    read=f"{report.rows_total:,}",
                    valid=f"{len(report.graded):,}",
                    errors=f"{errors:,}",
                    warnings=f"{warnings:,}",
                )
            ),
        ),
    ]
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in meta)
    return [
        "<header>",
        f"<h1>{_e(_(GRADING_TITLE))}</h1>",
        f'<table class="meta">{rows}</table>',
        "</header>",
    ]


def _footnotes(report: Report, graded: pd.DataFrame) -> list[str]:
    """The level-status footnote (when a verdict rests on an unconfirmed level) and sources."""
    out = ["<footer>"]
    unconfirmed = graded[graded["level_status"] != "confirmed"]
    if len(unconfirmed):
        pairs = unconfirmed[["area", "category", "level_status"]].drop_duplicates()
        names = ", ".join(
            f"{level_name(report.catalogue, a, c)} ({status_word(s)})"
            for a, c, s in pairs.itertuples(index=False)
        )
        note = _(
            "* {n} verdict(s) rest on levels that are not confirmed (marked *): {names}."
        ).format(n=f"{len(unconfirmed):,}", names=names)
        out.append(f'<p id="levels-note" class="footnote">{_e(note)} {_e(status_note())}</p>')
    factors = factors_note(FACTORS_FOOTER)
    made = _("Generated by benchmark {version}.").format(version=__version__)
    out.append(
        f'<p class="small">{_e(factors)} {_e(edition_note(report.catalogue))} {_e(made)}</p>'
    )
    out.append("</footer>")
    return out


def _area_rows(report: Report) -> tuple[pd.DataFrame, list[tuple[Area, list[dict[str, Any]], int]]]:
    """Graded rows and, in catalogue order, each area with its first rows as dicts and its count.

    Only the rows a page shows are converted: a million-row run renders as fast as a small one.
    """
    graded = report.graded
    graded = graded[graded["tier"].notna()] if "tier" in graded.columns else graded.iloc[0:0]
    cols = [*TABLE_COLUMNS, "area"]
    present = [c for c in cols if c in graded.columns]
    counts = graded["area"].value_counts() if len(graded) else None
    shown = graded.groupby("area", sort=False).head(max(MAX_TABLE_ROWS, MAX_CHART_POINTS))
    by_area: dict[str, list[dict[str, Any]]] = {}
    for row in records(shown[present]):
        by_area.setdefault(str(row["area"]), []).append(row)
    return graded, [
        (a, by_area[a.id], int(counts[a.id]) if counts is not None else 0)
        for a in report.catalogue.areas
        if a.id in by_area
    ]


def _body(report: Report) -> list[str]:
    graded, areas = _area_rows(report)
    out = _header(report)
    if areas:
        out.append(_kpis(report))
        out += _summary_section(report)
        for area, rows, total in areas:
            out += _area_section(area, rows, total)
    else:
        out.append(
            '<p class="empty"><b>'
            + _e(_("No row could be graded."))
            + "</b> "
            + _e(_("The problems below say which cell to fix."))
            + "</p>"
        )
    out += problems_section(report)
    out += notices_section(report)
    out += _footnotes(report, graded)
    return out


def grade_html(report: Report) -> str:
    """The grading report as one HTML file that opens offline and prints on A4 landscape."""
    cat = report.catalogue
    name = _(GRADING_TITLE)
    title = f"{name} — {cat.title_zh if zh() else cat.title_en}"
    running = f"{name} · {running_header(cat, report.as_of.isoformat())}"
    return document(title, running, _body(report))

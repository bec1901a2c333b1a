"""HTML: one self-contained page for a client — inline CSS and SVG, no script, no network.

Every piece of text that came from an input file or a catalogue goes through :func:`_e`
(``html.escape``): enterprise names are user data and may hold markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from benchmark._version import __version__
from benchmark.report.labels import (
    STATUS_NOTE,
    TIER_COLOURS,
    TIER_LABELS_EN,
    TIER_LABELS_ZH,
    TIERS,
    ceiling,
    edition_note,
    national_2020,
)
from benchmark.report.model import Report, records, share_basis_note
from benchmark.report.svg import (
    Point,
    chart_svg,
    short_label,
)
from benchmark.results import AreaSummary, GroupSummary

if TYPE_CHECKING:
    import pandas as pd

    from benchmark.catalogue import Area

#: Points drawn per area chart; the table below the chart lists more.
MAX_CHART_POINTS = 60
#: Rows listed per area table (a page of 25 areas × 200 rows renders in a fraction of a second;
#: the full results are one ``--format xlsx`` or ``csv`` away).
MAX_TABLE_ROWS = 200
#: Problems listed; the rest are counted.
MAX_PROBLEM_ROWS = 2000

#: Results columns per area: field, Chinese heading, English heading.
TABLE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("enterprise", "企业", "enterprise"),
    ("line", "生产线", "line"),
    ("region", "地区", "region"),
    ("year", "年份", "year"),
    ("category", "类别", "category"),
    ("value", "能耗", "value"),
    ("benchmark", "标杆", "benchmark"),
    ("baseline", "基准", "baseline"),
    ("tier", "等级", "tier"),
    ("gap_to_benchmark", "差距", "gap to benchmark"),
    ("gap_to_benchmark_pct", "差距%", "gap %"),
    ("score", "得分", "score"),
    ("saving_to_benchmark_tce", "节能量", "saving tce"),
    ("level_status", "水平状态", "level status"),
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


def _e(value: Any) -> str:
    """Escaped text of any value (None shows as an empty string)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _num(value: Any, digits: int = 2, sign: bool = False) -> str:
    """A number with thousands separators and no trailing zeros; a dash for none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "+0") else text


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


# --------------------------------------------------------------------------- page parts


def _category_name(area: Area, category: Any) -> str | None:
    """The category's Chinese name (its id when the catalogue gives none)."""
    if category is None:
        return None
    try:
        level = area.level(str(category))
    except KeyError:
        return str(category)
    return level.name_zh or level.category


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
            _category_name(area, r.get("category")),
            float(r["benchmark"]),
            float(r["baseline"]),
        )
        for r in chosen
    ]


def _tier_badge(tier: str) -> str:
    return (
        f'<span class="tier tier-{_e(tier)}">{_e(TIER_LABELS_ZH[tier])} '
        f"<small>{_e(TIER_LABELS_EN[tier])}</small></span>"
    )


def _status_badge(status: Any) -> str:
    """The level status; anything but confirmed is marked and points to the footnote."""
    if status == "confirmed":
        return '<span class="status confirmed">confirmed</span>'
    return (
        f'<span class="status unconfirmed {_e(status)}">{_e(status)}'
        '<sup><a href="#levels-note">*</a></sup></span>'
    )


def _cell(name: str, row: dict[str, Any], area: Area) -> str:
    value = row.get(name)
    if name == "tier":
        return f"<td>{_tier_badge(str(value))}</td>"
    if name == "level_status":
        return f"<td>{_status_badge(value)}</td>"
    if name == "category":
        return f"<td>{_e(_category_name(area, value))}</td>"
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
    head = "".join(
        f'<th class="{"num" if c in NUMERIC else ""}">{_e(zh)}<br><small>{_e(en)}</small></th>'
        for c, zh, en in TABLE_COLUMNS
    )
    out = [
        '<div class="scroll"><table class="results">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    for row in rows[:MAX_TABLE_ROWS]:
        cells = "".join(_cell(c, row, area) for c, _, _ in TABLE_COLUMNS)
        out.append(f'<tr class="tier-{_e(row["tier"])}">{cells}</tr>')
    out.append("</tbody></table></div>")
    if total > MAX_TABLE_ROWS:
        out.append(
            f'<p class="note">{total - MAX_TABLE_ROWS:,} more row(s) not listed; '
            "the xlsx and csv formats hold them all.</p>"
        )
    return out


def _levels_line(area: Area, rows: Sequence[dict[str, Any]]) -> str:
    """The levels the area's verdicts rest on, one chip per category used."""
    used = {r.get("category") for r in rows}
    chips = []
    for lv in area.levels:
        if lv.category not in used:
            continue
        name = f"{_e(lv.name_zh or lv.category)}: " if lv.category else ""
        chips.append(
            f'<span class="levels">{name}标杆 benchmark ≤ {_num(lv.benchmark)}, '
            f"基准 baseline ≤ {_num(lv.baseline)} {_e(area.unit)} "
            f"({_status_badge(lv.status)})</span>"
        )
    return f'<p class="levelline">{"".join(chips)}</p>'


def _legend() -> str:
    dots = "".join(
        f'<span><i class="dot" style="background:{TIER_COLOURS[t]}"></i>'
        f"{_e(TIER_LABELS_ZH[t])} {_e(TIER_LABELS_EN[t])}</span>"
        for t in TIERS
    )
    return (
        f'<div class="legend">{dots}<span><i class="dash bm"></i>标杆 benchmark level</span>'
        '<span><i class="dash bl"></i>基准 baseline level</span></div>'
    )


def _area_section(area: Area, rows: list[dict[str, Any]], total: int) -> list[str]:
    """Heading, levels, chart and table of one area (``rows`` may be the first of ``total``)."""
    title = f"{area.name_zh} {area.name_en} ({area.unit})"
    shown = min(total, MAX_CHART_POINTS)
    caption = (
        f"First {shown} of {total:,} lines shown in the chart."
        if total > shown
        else f"{total:,} line(s)."
    )
    out = [
        f'<section class="area" id="area-{_e(area.id)}">',
        f"<h2>{_e(area.name_zh)} <span>{_e(area.name_en)}</span> "
        f"<small>{_e(area.unit)}</small></h2>",
        _levels_line(area, rows),
        _legend(),
    ]
    points = _points(area, rows)
    if points:
        out.append(
            f"<figure>{chart_svg(points, area.unit, title)}"
            f"<figcaption>{_e(caption)} Lower is better: a stem runs from the benchmark "
            "line to each line's value; values to check are listed, not drawn."
            "</figcaption></figure>"
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


def _below_cell(group: GroupSummary) -> str:
    """The share below baseline, green or red against the area's ceiling where it has one."""
    meets = group.meets_below_baseline_target if isinstance(group, AreaSummary) else None
    cls = " meets" if meets else (" misses" if meets is False else "")
    return f'<td class="num below{cls}">{_pct(group.share_below_baseline)}</td>'


def _levels_cell(statuses: Sequence[str]) -> str:
    if not statuses:
        return '<td><span class="status confirmed">confirmed</span></td>'
    return "<td>" + " ".join(_status_badge(s) for s in statuses) + "</td>"


def _summary_section(report: Report) -> list[str]:
    s = report.summary
    by_area = s.group_by == "area"
    heads = [
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
    ]
    out = [
        '<section id="summary">',
        f"<h2>Summary by {_e(s.group_by)}</h2>",
        '<div class="scroll"><table class="summary">',
        "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr></thead><tbody>",
    ]
    for g in s.groups:
        area = g if isinstance(g, AreaSummary) else None
        label = f"{_e(area.name_zh)} <small>{_e(area.name_en)}</small>" if area else _e(g.group)
        extra = (
            (
                f'<td class="num">{_e(ceiling(area.target_below_baseline))}</td>'
                f'<td class="num">{_e(national_2020(g))}</td>'
            )
            if area
            else ""
        )
        counts = (g.benchmark, g.between, g.below_baseline)
        out.append(
            f'<tr><th scope="row">{label}</th><td class="num">{g.rows:,}</td>'
            + "".join(
                f'<td class="num c-{t}">{n:,}</td>' for t, n in zip(TIERS, counts, strict=True)
            )
            + _share_cell(g)
            + f'<td class="num">{_pct(area.target_share) if area else "–"}</td>'
            + _below_cell(g)
            + extra
            + f'<td class="num">{_num(g.saving_to_benchmark_tce, 1)}</td>'
            + _levels_cell(g.unconfirmed_levels)
            + "</tr>"
        )
    t = s.totals
    counts = (t.benchmark, t.between, t.below_baseline)
    out.append(
        f'</tbody><tfoot><tr><th scope="row">total</th><td class="num">{t.rows:,}</td>'
        + "".join(f'<td class="num c-{k}">{n:,}</td>' for k, n in zip(TIERS, counts, strict=True))
        + f'<td class="share"><span class="pct">{_pct(t.share_at_benchmark)}</span></td>'
        f'<td></td><td class="num">{_pct(t.share_below_baseline)}</td>'
        + ("<td></td><td></td>" if by_area else "")
        + f'<td class="num">{_num(t.saving_to_benchmark_tce, 1)}</td><td></td></tr></tfoot>'
        "</table></div>"
    )
    if s.scope is not None:
        out.append(f'<p class="scope"><b>{_e(s.scope.text)}</b></p>')
    out.append(
        f'<p class="note">{_e(share_basis_note(report.summary))} The bar\'s tick marks '
        "the area's own 2025 target; the ceiling is the 2025 limit on capacity below "
        "the baseline (0%: none left); national 2020 gives the shares at benchmark and "
        "below baseline at the end of 2020. Savings are to the benchmark level, in "
        "tonnes of coal equivalent.</p>"
    )
    out.append("</section>")
    return out


def _kpis(report: Report) -> str:
    t = report.summary.totals
    counts = (t.benchmark, t.between, t.below_baseline)
    cards = [
        ("graded lines", f"{t.rows:,}", ""),
        *(
            (f"{TIER_LABELS_ZH[k]} {TIER_LABELS_EN[k]}", f"{n:,}", f"c-{k}")
            for k, n in zip(TIERS, counts, strict=True)
        ),
        ("share at benchmark", _pct(t.share_at_benchmark), ""),
        ("saving to benchmark", f"{_num(t.saving_to_benchmark_tce, 0)} tce", ""),
    ]
    return (
        '<div class="kpis">'
        + "".join(
            f'<div class="kpi {c}"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v, c in cards
        )
        + "</div>"
    )


def _deadline_cell(report: Report) -> str:
    """Each deadline judged at the reporting date; marked where it has passed with lines
    still below the baseline."""
    return "<br>".join(
        f'<span class="{"late" if d.passed and d.below_baseline else "due"}">{_e(d.text)}</span>'
        for d in report.summary.deadlines
    )


def _header(report: Report) -> list[str]:
    cat = report.catalogue
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    meta = [
        ("Catalogue", f"{_e(cat.title_zh)}<br><small>{_e(cat.title_en)}</small>"),
        ("Document", _e(cat.document)),
        ("Edition", _e(cat.edition)),
        ("Effective", _e(cat.effective.isoformat())),
        ("Reporting date (as of)", f"<b>{_e(report.as_of.isoformat())}</b>"),
        ("Deadline for below-baseline capacity", _deadline_cell(report)),
        ("Catalogue sha256", f'<code title="{_e(cat.sha256)}">{_e(cat.sha256[:12])}</code>'),
        ("Input", "<br>".join(_e(f) for f in report.files) or "–"),
        (
            "Rows",
            f"{report.rows_total:,} read, {len(report.graded):,} valid, "
            f"{errors:,} error(s), {warnings:,} warning(s)",
        ),
    ]
    rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in meta)
    return [
        "<header>",
        "<h1>能效标杆与基准水平评估 <span>Energy-efficiency grading</span></h1>",
        f'<table class="meta">{rows}</table>',
        "</header>",
    ]


def _problems_section(report: Report) -> list[str]:
    problems = report.problems
    out = ['<section id="problems">', f"<h2>Problems <small>{len(problems):,}</small></h2>"]
    if not problems:
        out.append('<p class="note">No problem found in the input.</p></section>')
        return out
    out.append(
        '<div class="scroll"><table class="problems"><thead><tr><th>location</th>'
        "<th>code</th><th>severity</th><th>column</th><th>message</th></tr></thead>"
        "<tbody>"
    )
    for p in problems[:MAX_PROBLEM_ROWS]:
        out.append(
            f'<tr class="sev-{_e(p.severity)}"><td><code>{_e(p.location)}</code></td>'
            f"<td><code>{_e(p.code)}</code></td><td>{_e(p.severity)}</td>"
            f"<td>{_e(p.header)}</td><td>{_e(p.message)}</td></tr>"
        )
    out.append("</tbody></table></div>")
    if len(problems) > MAX_PROBLEM_ROWS:
        out.append(
            f'<p class="note">{len(problems) - MAX_PROBLEM_ROWS:,} more problem(s) not '
            "listed; `benchmark validate --format json` lists them all.</p>"
        )
    out.append("</section>")
    return out


def _level_name(report: Report, area_id: Any, category: Any) -> str:
    """ "炼钢/转炉工序" — the area's and category's Chinese names, for the footnote."""
    try:
        area = report.catalogue.area(str(area_id))
    except KeyError:
        return str(area_id)
    name = _category_name(area, category if isinstance(category, str) else None)
    return area.name_zh + (f"/{name}" if name else "")


def _footnotes(report: Report, graded: pd.DataFrame) -> list[str]:
    """The level-status footnote (when a verdict rests on an unconfirmed level) and sources."""
    out = ["<footer>"]
    unconfirmed = graded[graded["level_status"] != "confirmed"]
    if len(unconfirmed):
        pairs = unconfirmed[["area", "category", "level_status"]].drop_duplicates()
        names = ", ".join(
            f"{_level_name(report, a, c)} ({s})" for a, c, s in pairs.itertuples(index=False)
        )
        out.append(
            f'<p id="levels-note" class="footnote">* {len(unconfirmed):,} verdict(s) rest '
            f"on levels that are not confirmed (marked *): {_e(names)}. "
            f"{_e(STATUS_NOTE)}</p>"
        )
    f = report.factors()
    out.append(
        f'<p class="small">Savings in tce use {_e(f["source"])} factors: 1 kgoe = '
        f"{_e(f['kgce_per_kgoe'])} kgce; 1 kWh = {_e(f['kgce_per_kwh'])} kgce "
        f"({_e(f['electricity'])}). {_e(edition_note(report.catalogue))} Generated by "
        f"benchmark {_e(__version__)}.</p>"
    )
    out.append("</footer>")
    return out


#: The page's style sheet, a file of the package (``report/static/report.css``).
CSS = resources.files("benchmark.report").joinpath("static/report.css").read_text(encoding="utf-8")


def _area_rows(report: Report) -> tuple[pd.DataFrame, list[tuple[Area, list[dict[str, Any]], int]]]:
    """Graded rows and, in catalogue order, each area with its first rows as dicts and its count.

    Only the rows a page shows are converted: a million-row run renders as fast as a small one.
    """
    graded = report.graded
    graded = graded[graded["tier"].notna()] if "tier" in graded.columns else graded.iloc[0:0]
    cols = [c for c, _, _ in TABLE_COLUMNS] + ["area"]
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
            '<p class="empty"><b>No row could be graded.</b> The problems below say '
            "which cell to fix.</p>"
        )
    out += _problems_section(report)
    out += _footnotes(report, graded)
    return out


def grade_html(report: Report) -> str:
    """The grading report as one HTML file that opens offline and prints cleanly."""
    title = f"Energy-efficiency grading — {report.catalogue.title_en}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body><main>",
            *_body(report),
            "</main></body>",
            "</html>",
            "",
        ]
    )

"""``benchmark track --format html``: one self-contained page — inline CSS and SVG, no script.

Per area, a chart of the share of capacity at the benchmark level year by year against the
area's 2025 target, and per level (area and category) a chart of each line's values over time
against the benchmark and baseline, the dots in their tier's colour; then a table of the area's
years (rows, tiers, share at benchmark, target met or not, in words) and a table of the lines
with a small trend line each. Text from input files goes through :func:`html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from benchmark._version import __version__
from benchmark.i18n import _, say
from benchmark.report import words
from benchmark.report.html import running_header
from benchmark.report.labels import TIER_COLOURS, ZONE_COLOURS, pct
from benchmark.report.page import document, problems_list
from benchmark.report.svg import nice_axis
from benchmark.report.track import (
    AreaYear,
    TrackReport,
    any_to_check,
    area_year_cells,
    area_year_headings,
    area_years,
    footnotes,
    line_heading,
    share_grid,
    shown_lines,
    trend_text,
    year_label,
    years_span,
)

#: Lines drawn in one level's chart (the table lists up to MAX_TABLE_LINES).
MAX_CHART_LINES = 30
MAX_TABLE_LINES = 1000
W, H, LEFT, RIGHT, TOP, BOTTOM = 760, 220, 64, 130, 14, 30
EXTRA_CSS = """
.charts{display:flex;flex-wrap:wrap;gap:18px}.charts figure{flex:1 1 420px;margin:0}
svg .target{stroke:#1f2328;stroke-width:1.5;stroke-dasharray:6 4}
svg .share{fill:none;stroke:#0969da;stroke-width:2.5}
svg .path{fill:none;stroke:#8c959f;stroke-width:1.2;stroke-opacity:.7}
svg.spark{width:120px;height:26px;vertical-align:middle}
td.late{color:var(--r);font-weight:600}
table.by-year{width:auto;margin:8px 0}table.by-year caption{text-align:left;font-weight:600}
"""


def _e(value: Any) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


class _Plot:
    """A plot box mapping year slots and values to pixels."""

    def __init__(self, years: Sequence[Any], lo: float, hi: float) -> None:
        self.years = list(years)
        self.lo, self.hi, self.step = nice_axis(lo, hi)
        self.width = W - LEFT - RIGHT

    def x(self, year: Any) -> float:
        slot = self.width / max(len(self.years), 1)
        return LEFT + slot * (self.years.index(year) + 0.5)

    def y(self, value: float) -> float:
        t = (self.hi - value) / (self.hi - self.lo)
        return TOP + min(max(t, 0.0), 1.0) * H

    def frame(self, label: str, fmt: Any) -> list[str]:
        """Grid, tick labels, year labels and the unit."""
        out = []
        count = round((self.hi - self.lo) / self.step)
        for k in range(count + 1):
            v = self.lo + k * self.step
            out.append(
                f'<line x1="{LEFT}" x2="{LEFT + self.width}" y1="{self.y(v):.1f}" '
                f'y2="{self.y(v):.1f}" class="grid"/>'
            )
            out.append(
                f'<text x="{LEFT - 6}" y="{self.y(v) + 4:.1f}" class="tick" '
                f'text-anchor="end">{_e(fmt(v))}</text>'
            )
        for year in self.years:
            out.append(
                f'<text x="{self.x(year):.1f}" y="{TOP + H + 18}" class="tick" '
                f'text-anchor="middle">{_e(year_label(year))}</text>'
            )
        out.append(
            f'<text x="14" y="{TOP + H / 2:.1f}" class="unit" text-anchor="middle" '
            f'transform="rotate(-90 14 {TOP + H / 2:.1f})">{_e(label)}</text>'
        )
        return out


def _svg(title: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} '
            f'{TOP + H + BOTTOM}" role="img" aria-label="{_e(title)}" class="chart">',
            f"<title>{_e(title)}</title>",
            *body,
            f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" height="{H}" class="box"/>',
            "</svg>",
        ]
    )


def share_chart(title: str, years: Sequence[Any], shares: dict[Any, Any], target: float) -> str:
    """The share at benchmark by year (a line with its values) and the target (dashed)."""
    years = [y for y in years if y in shares]  # the area's own years
    plot = _Plot(years, 0.0, max([target, *(s for s in shares.values() if s is not None)]))
    plot.lo, plot.hi = 0.0, min(plot.hi, 1.0)  # a share runs from 0 to 100%
    body = plot.frame(_("Share at benchmark"), lambda v: f"{v * 100:.0f}%")
    y = plot.y(target)
    body.append(
        f'<line x1="{LEFT}" x2="{LEFT + plot.width}" y1="{y:.1f}" y2="{y:.1f}" class="target"/>'
    )
    body.append(
        f'<text x="{LEFT + plot.width + 6}" y="{y + 4:.1f}" class="lvl">'
        + _e(_("2025 target"))
        + f" {pct(target)}</text>"
    )
    points = [
        (plot.x(yr), plot.y(s), s)
        for yr, s in ((yr, shares.get(yr)) for yr in years)
        if s is not None
    ]
    if points:
        body.append(
            '<polyline class="share" points="'
            + " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
            + '"/>'
        )
    for px, py, s in points:
        colour = TIER_COLOURS["benchmark" if s >= target else "below_baseline"]
        body.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{colour}">'
            f"<title>{_e(pct(s))}</title></circle>"
        )
        body.append(
            f'<text x="{px:.1f}" y="{py - 8:.1f}" class="val" text-anchor="middle">'
            f"{_e(pct(s))}</text>"
        )
    return _svg(title, body)


def lines_chart(title: str, unit: str, rows: Sequence[dict[str, Any]]) -> str:
    """Each line's values over its years against its level's benchmark and baseline."""
    years = sorted({y for r in rows for y in r["years"]}, key=lambda y: -1 if y is None else y)
    bench, base = rows[0]["benchmark"], rows[0]["baseline"]
    values = [v for r in rows for v in r["values"] if v is not None]
    plot = _Plot(years, min([bench, base, *values]), max([bench, base, *values]))
    body = []
    yb, yl = plot.y(bench), plot.y(base)
    for a, b, tier in (
        (yb, TOP + H, "benchmark"),
        (yl, yb, "between"),
        (TOP, yl, "below_baseline"),
    ):
        if b - a > 0.05:
            body.append(
                f'<rect x="{LEFT}" y="{a:.1f}" width="{plot.width}" height="{b - a:.1f}"'
                f' fill="{ZONE_COLOURS[tier]}"/>'
            )
    body += plot.frame(unit, lambda v: f"{v:,.6g}")
    for y, colour, name, level in (
        (yb, TIER_COLOURS["benchmark"], words.level_word("benchmark"), bench),
        (yl, TIER_COLOURS["below_baseline"], words.level_word("baseline"), base),
    ):
        body.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot.width}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="7 4"/>'
        )
        body.append(
            f'<text x="{LEFT + plot.width + 6}" y="{y + 4:.1f}" class="lvl" '
            f'fill="{colour}">{name} {level:,.6g}</text>'
        )
    for r in rows:
        label = " ".join(str(r[k]) for k in ("enterprise", "line") if r[k] is not None)
        pts = [
            (plot.x(y), plot.y(v), v, t, y)
            for y, v, t in zip(r["years"], r["values"], r["tiers"], strict=True)
            if v is not None
        ]
        body.append(
            '<polyline class="path" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y, *_ in pts)
            + '"/>'
        )
        for x, y, v, tier, year in pts:
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" '
                f'fill="{TIER_COLOURS.get(tier or "", "#8c959f")}"><title>'
                f"{_e(label)} {_e(year_label(year))}: {v:,.6g} {_e(unit)}"
                f"</title></circle>"
            )
    return _svg(title, body)


def spark_svg(row: dict[str, Any]) -> str:
    """A small trend line of one line's values, the benchmark (green) and baseline (red)."""
    values = [v for v in row["values"] if v is not None]
    levels = [row["benchmark"], row["baseline"]]
    lo, hi = min(values + levels), max(values + levels)
    span = (hi - lo) or 1.0

    def y(v: float) -> float:
        return float(23 - (v - lo) / span * 20)

    n = len(row["values"])
    xs = [6 + (108 * i / (n - 1) if n > 1 else 54) for i in range(n)]
    out = [
        f'<line x1="0" x2="120" y1="{y(level):.1f}" y2="{y(level):.1f}" stroke="{c}" '
        'stroke-width="1" stroke-dasharray="3 2"/>'
        for level, c in zip(
            levels, (TIER_COLOURS["benchmark"], TIER_COLOURS["below_baseline"]), strict=True
        )
    ]
    pts = [
        (x, y(v), t)
        for x, v, t in zip(xs, row["values"], row["tiers"], strict=True)
        if v is not None
    ]
    out.append(
        '<polyline fill="none" stroke="#57606a" stroke-width="1.2" points="'
        + " ".join(f"{x:.1f},{py:.1f}" for x, py, _ in pts)
        + '"/>'
    )
    out += [
        f'<circle cx="{x:.1f}" cy="{py:.1f}" r="2.4" '
        f'fill="{TIER_COLOURS.get(t or "", "#8c959f")}"/>'
        for x, py, t in pts
    ]
    return (
        '<svg class="spark" viewBox="0 0 120 26" role="img" aria-label="'
        + _e(_("Trend"))
        + '">'
        + "".join(out)
        + "</svg>"
    )


def _value(value: float | None) -> str:
    return "–" if value is None else f"{value:,.6g}"


def _line_rows(area: Any, rows: Sequence[dict[str, Any]]) -> list[str]:
    out = []
    for r in rows:
        tier = r["latest_tier"]
        status = r["deadline_status"]
        category = words.category_name(area, r["category"])
        out.append(
            f'<tr class="tier-{_e(tier)}"><td>{_e(r["enterprise"])}</td><td>{_e(r["line"])}</td>'
            f'<td>{_e(category)}</td><td class="num">{_e(years_span(r))}</td>'
            f"<td>{spark_svg(r)}</td>"
            f'<td class="num">{_e(_value(r["latest_value"]))}</td>'
            f'<td><span class="tier tier-{_e(tier)}">{_e(words.tier_word(tier))}'
            f"</span></td><td>{_e(trend_text(r))}</td>"
            f'<td class="num">{_e(r["reached_benchmark_in"])}</td>'
            f'<td class="{"late" if status in ("missed", "unknown") else ""}">'
            f"{_e(words.deadline_word(status) if status else None)}</td>"
            f'<td class="num">{_e(r["projected_baseline_year"])}</td>'
            f'<td class="num">{_e(r["projected_benchmark_year"])}</td></tr>'
        )
    return out


def _years_table(items: Sequence[AreaYear]) -> list[str]:
    """An area's years as a table beside its chart: rows, tiers, share at benchmark, target
    and whether it is met, in a word (a chart's colours do not print, nor reach everyone)."""
    if not items:
        return []
    to_check = any_to_check(items)
    heads = area_year_headings(to_check)
    out = [
        '<div class="scroll"><table class="results by-year"><caption>'
        + _e(_("Tiers by year"))
        + "</caption><thead><tr>"
        + "".join(f"<th>{_e(h)}</th>" for h in heads)
        + "</tr></thead><tbody>"
    ]
    for item in items:
        year, *figures, verdict = area_year_cells(item, to_check)
        meets = item.meets_target
        cls = "meets" if meets else ("misses" if meets is False else "")
        out.append(
            f'<tr><th scope="row">{_e(year)}</th>'
            + "".join(f'<td class="num">{_e(f)}</td>' for f in figures)
            + f'<td class="verdict {cls}">{_e(verdict)}</td></tr>'
        )
    out.append("</tbody></table></div>")
    return out


def _area_section(
    report: TrackReport,
    area_id: str,
    rows: list[dict[str, Any]],
    total: int,
    share: tuple[list[Any], dict[Any, Any], float] | None,
    years_of_area: Sequence[AreaYear],
) -> list[str]:
    area = report.catalogue.area(area_id)
    out = [
        f'<section class="area" id="area-{_e(area_id)}"><h2>{_e(words.area_name(area))} '
        f"<small>{_e(words.unit_label(area.unit))}</small></h2>",
        '<div class="charts">',
    ]
    if share is not None:
        years, shares, target = share
        title = _("{area}: share at benchmark by year").format(area=words.area_name(area))
        chart = share_chart(title, years, shares, target)
        caption = _(
            "Share of capacity at the benchmark level by year; dashed: the area's 2025 target."
        )
        out.append(f"<figure>{chart}<figcaption>{_e(caption)}</figcaption></figure>")
    levels: dict[Any, list[dict[str, Any]]] = {}
    for r in rows:
        levels.setdefault(r["category"], []).append(r)
    for category, group in levels.items():
        name = words.level_name(report.catalogue, area_id, category)
        chosen = group[:MAX_CHART_LINES]
        caption = _(
            "{name}: {shown} of {total} line(s) shown, values by year against the benchmark "
            "and baseline levels."
        ).format(name=name, shown=f"{len(chosen):,}", total=f"{len(group):,}")
        out.append(
            f"<figure>{lines_chart(name, words.unit_label(area.unit), chosen)}"
            f"<figcaption>{_e(caption)}</figcaption></figure>"
        )
    out.append("</div>")
    out += _years_table(years_of_area)
    heads = [
        *(words.heading(f) for f in ("enterprise", "line", "category")),
        line_heading("years"),
        _("Trend"),
        line_heading("latest_value"),
        words.heading("tier"),
        line_heading("change"),
        line_heading("reached_benchmark_in"),
        line_heading("deadline_status"),
        line_heading("projected_baseline_year"),
        line_heading("projected_benchmark_year"),
    ]
    out.append(
        '<div class="scroll"><table class="results"><thead><tr>'
        + "".join(f"<th>{_e(h)}</th>" for h in heads)
        + "</tr></thead><tbody>"
    )
    out += _line_rows(area, rows[:MAX_TABLE_LINES])
    out.append("</tbody></table></div>")
    if total > min(len(rows), MAX_TABLE_LINES):
        more = _("{n} more line(s): --format csv or xlsx lists them all.").format(
            n=f"{total - min(len(rows), MAX_TABLE_LINES):,}"
        )
        out.append(f'<p class="note">{_e(more)}</p>')
    out.append("</section>")
    return out


def _meta(report: TrackReport) -> list[str]:
    cat = report.catalogue
    rows = [
        (_("Catalogue"), f"{_e(words.catalogue_title(cat))} ({_e(cat.document)})"),
        (_("Edition"), _e(cat.edition)),
        (_("Reporting date (as of)"), f"<b>{_e(report.as_of.isoformat())}</b>"),
        (
            _("Deadline for below-baseline capacity"),
            "<br>".join(_e(say(d.text)) for d in report.deadlines),
        ),
        (_("Input"), "<br>".join(_e(f) for f in report.files) or "–"),
        (
            _("Rows"),
            _e(
                _("{read} read, {graded} graded, {lines} line(s), {problems} problem(s)").format(
                    read=f"{report.rows_total:,}",
                    graded=f"{report.rows_graded:,}",
                    lines=f"{len(report.tracking.lines):,}",
                    problems=f"{len(report.problems):,}",
                )
            ),
        ),
    ]
    return [
        "<header>",
        f"<h1>{_e(_(words.TRACK_TITLE))}</h1>",
        '<table class="meta">'
        + "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
        + "</table>",
        "</header>",
    ]


def track_html(report: TrackReport) -> str:
    """The tracking report as one HTML page that opens offline and prints on A4 landscape."""
    cat = report.catalogue
    years, grid = share_grid(report)
    shares = {a: (years, s, target) for a, target, s in grid}
    notes = footnotes(report)
    body = _meta(report)
    per_area: dict[str, list[AreaYear]] = {}
    for item in area_years(report):
        per_area.setdefault(item.area, []).append(item)
    for area_id, rows, total in shown_lines(report, MAX_TABLE_LINES):
        body += _area_section(
            report, area_id, rows, total, shares.get(area_id), per_area.get(area_id, [])
        )
    if not len(report.tracking.lines):
        none = _e(_("No row could be graded."))
        body.append(f'<p class="empty"><b>{none}</b></p>')
    body += problems_list(report.problems)
    made = _("Generated by benchmark {version}.").format(version=__version__)
    body.append(
        "<footer>"
        + "".join(f'<p class="small">{_e(n)}</p>' for n in notes[1:])
        + f'<p class="small">{_e(made)}</p></footer>'
    )
    name = _(words.TRACK_TITLE)
    title = f"{name} — {words.catalogue_title(cat)}"
    running = f"{name} · {running_header(cat, report.as_of.isoformat())}"
    return document(title, running, body, EXTRA_CSS)

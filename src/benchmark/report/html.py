"""HTML: one self-contained page for a client — inline CSS and SVG, no script, no network.

Every piece of text that came from an input file or a catalogue goes through :func:`_e`
(``html.escape``): enterprise names are user data and may hold markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmark._version import __version__
from benchmark.report.labels import TIER_LABELS_ZH, TIERS, ceiling, edition_note, national_2020
from benchmark.report.model import Report, records, share_basis_note
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

TIER_EN: dict[str, str] = {
    "benchmark": "benchmark", "between": "between", "below_baseline": "below baseline",
    "to_check": "to check"}
STATUS_NOTE = (
    "Levels marked * are not confirmed against the published notice: "
    "<b>corroborated</b> = equal to the grades of the national energy-consumption limit "
    "standard, so a second source agrees; <b>unverified</b> = transcribed without a second "
    "source. Check verdicts that rest on them, or supply a checked catalogue with --catalogue.")
#: Results columns per area: field, Chinese heading, English heading.
TABLE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("enterprise", "企业", "enterprise"), ("line", "生产线", "line"),
    ("region", "地区", "region"), ("year", "年份", "year"), ("category", "类别", "category"),
    ("value", "能耗", "value"), ("benchmark", "标杆", "benchmark"),
    ("baseline", "基准", "baseline"), ("tier", "等级", "tier"),
    ("gap_to_benchmark", "差距", "gap to benchmark"), ("gap_to_benchmark_pct", "差距%", "gap %"),
    ("score", "得分", "score"), ("saving_to_benchmark_tce", "节能量", "saving tce"),
    ("level_status", "水平状态", "level status"))
NUMERIC = {"value", "benchmark", "baseline", "gap_to_benchmark", "gap_to_benchmark_pct",
           "score", "saving_to_benchmark_tce", "year"}


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


# --------------------------------------------------------------------------- chart scaling

def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``ticks`` intervals over ``span``."""
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1.0, 2.0, 2.5, 5.0):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10.0 * magnitude


def nice_axis(lo: float, hi: float, ticks: int = 5) -> tuple[float, float, float]:
    """Round axis bounds and step that hold ``lo``..``hi`` with a margin.

    Bounds need not include zero: the interesting spread of an electrolytic-aluminium chart is
    12,900–13,500 kWh/t, and converter steelmaking sits below zero. Used by the xlsx charts too.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return 0.0, 1.0, 0.2
    lo, hi = min(lo, hi), max(lo, hi)
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    margin = (hi - lo) * 0.08
    lo, hi = lo - margin, hi + margin
    step = nice_step(hi - lo, ticks)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


# --------------------------------------------------------------------------- chart

@dataclass(frozen=True)
class Point:
    """One graded line as the chart draws it."""

    label: str
    short: str
    value: float
    tier: str
    category: str | None
    benchmark: float
    baseline: float


@dataclass(frozen=True)
class Frame:
    """The chart's geometry: plot box and value range."""

    left: float
    top: float
    width: float
    height: float
    vmin: float
    vmax: float

    def y(self, value: float) -> float:
        """Vertical pixel of a value (higher values higher up), clamped to the plot box."""
        t = (self.vmax - value) / (self.vmax - self.vmin)
        return self.top + min(max(t, 0.0), 1.0) * self.height


CHART_W, PLOT_H = 1000, 250
MARGIN_L, MARGIN_R, MARGIN_T = 70, 150, 20
#: Value labels beside the dots up to this many points (more would overlap).
MAX_VALUE_LABELS = 20
LABEL_CHARS = 16
TIER_COLOURS = {"benchmark": "#1a7f37", "between": "#bf8700", "below_baseline": "#cf222e",
                "to_check": "#8250df"}
ZONE_COLOURS = {"benchmark": "#e6f6ea", "between": "#fff6d6", "below_baseline": "#fdeceb"}


def _segments(points: Sequence[Point]) -> list[tuple[int, int, Point]]:
    """Runs of consecutive points sharing levels (one run per category): (start, end, first)."""
    runs: list[tuple[int, int, Point]] = []
    start = 0
    for i in range(1, len(points) + 1):
        if i == len(points) or (points[i].benchmark, points[i].baseline) != (
                points[start].benchmark, points[start].baseline):
            runs.append((start, i, points[start]))
            start = i
    return runs


def _zones(f: Frame, x0: float, x1: float, p: Point) -> list[str]:
    """Background bands: green at or under benchmark, yellow up to baseline, red above."""
    yb, yl = f.y(p.benchmark), f.y(p.baseline)
    bottom = f.top + f.height
    bands = ((yb, bottom, "benchmark"), (yl, yb, "between"), (f.top, yl, "below_baseline"))
    return [f'<rect x="{x0:.1f}" y="{a:.1f}" width="{x1 - x0:.1f}" height="{b - a:.1f}" '
            f'fill="{ZONE_COLOURS[t]}"/>' for a, b, t in bands if b - a > 0.05]


def _level_lines(f: Frame, x0: float, x1: float, p: Point, unit: str,
                 last: bool, several: bool) -> list[str]:
    """Dashed benchmark and baseline lines over a run, labelled with level and unit."""
    out: list[str] = []
    yb, yl = f.y(p.benchmark), f.y(p.baseline)
    for y, colour in ((yb, TIER_COLOURS["benchmark"]), (yl, TIER_COLOURS["below_baseline"])):
        out.append(f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{colour}" stroke-width="2" stroke-dasharray="7 4"/>')
    if several:
        out.append(f'<text x="{x0 + 3:.1f}" y="{f.top + 12:.1f}" class="seg">'
                   f'{_e(p.category or "")}</text>')
    if last:
        # Keep the two right-hand labels at least 13 px apart however close the levels are.
        lb, ll = yb + 4, yl + 4
        if lb - ll < 13:
            mid = (lb + ll) / 2
            lb, ll = mid + 6.5, mid - 6.5
        x = x1 + 6
        out.append(f'<text x="{x:.1f}" y="{lb:.1f}" class="lvl bm">标杆 {_num(p.benchmark)} '
                   f'{_e(unit)}</text>')
        out.append(f'<text x="{x:.1f}" y="{ll:.1f}" class="lvl bl">基准 {_num(p.baseline)} '
                   f'{_e(unit)}</text>')
    return out


def _y_axis(f: Frame, step: float, unit: str) -> list[str]:
    """Grid lines and tick labels, a zero line when the range spans zero, and the unit."""
    out: list[str] = []
    count = round((f.vmax - f.vmin) / step)
    digits = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    right = f.left + f.width
    for k in range(count + 1):
        v = f.vmin + k * step
        y = f.y(v)
        zero = abs(v) < step / 1e6
        out.append(f'<line x1="{f.left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'class="{"zero" if zero else "grid"}"/>')
        out.append(f'<text x="{f.left - 8}" y="{y + 4:.1f}" class="tick" text-anchor="end">'
                   f'{_num(0.0 if zero else v, digits)}</text>')
    cy = f.top + f.height / 2
    out.append(f'<text x="16" y="{cy:.1f}" class="unit" text-anchor="middle" '
               f'transform="rotate(-90 16 {cy:.1f})">{_e(unit)}</text>')
    return out


def short_label(enterprise: str, line: str | None) -> str:
    """An axis label that keeps the line name whole and shortens the enterprise name."""
    if line is None:
        return enterprise if len(enterprise) <= LABEL_CHARS else enterprise[:LABEL_CHARS - 1] + "…"
    room = max(LABEL_CHARS - len(line) - 1, 4)
    head = enterprise if len(enterprise) <= room else enterprise[:room - 1] + "…"
    return f"{head} {line}"


def _label_style(slot: float) -> tuple[float, float]:
    """Rotation and font size of the axis labels: upright-ish when there is room, else vertical."""
    return (50.0, 10.5) if slot >= 24 else (90.0, max(7.0, min(10.5, slot * 0.8)))


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: CJK characters are about square, Latin ones about half as wide."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.58 for ch in text)


def _marks(f: Frame, points: Sequence[Point], slot: float, unit: str) -> list[str]:
    """A stem from the benchmark line to each value, a dot coloured by tier, a rotated label."""
    out: list[str] = []
    r = min(6.0, max(3.0, slot * 0.3))
    with_values = len(points) <= MAX_VALUE_LABELS
    label_y = f.top + f.height + 12
    angle, size = _label_style(slot)
    for i, p in enumerate(points):
        x = f.left + slot * (i + 0.5)
        colour = TIER_COLOURS[p.tier]
        tip = (f"{p.label}: {_num(p.value)} {unit} — {TIER_LABELS_ZH[p.tier]} "
               f"{TIER_EN[p.tier]}")
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{f.y(p.benchmark):.1f}" '
                   f'y2="{f.y(p.value):.1f}" stroke="{colour}" stroke-width="1.5" '
                   'stroke-opacity="0.6"/>')
        out.append(f'<circle cx="{x:.1f}" cy="{f.y(p.value):.1f}" r="{r:.1f}" fill="{colour}" '
                   f'class="pt {_e(p.tier)}"><title>{_e(tip)}</title></circle>')
        if with_values:
            # On the side of the dot away from its stem.
            cy = f.y(p.value)
            ty = cy - r - 4 if p.value >= p.benchmark else cy + r + 11
            out.append(f'<text x="{x:.1f}" y="{ty:.1f}" class="val" text-anchor="middle">'
                       f"{_num(p.value, 1)}</text>")
        out.append(f'<text x="{x + size * 0.35:.1f}" y="{label_y:.1f}" class="xl" '
                   f'text-anchor="end" font-size="{size:.1f}" '
                   f'transform="rotate(-{angle:.0f} {x:.1f} {label_y:.1f})">{_e(p.short)}</text>')
    return out


def chart_svg(points: Sequence[Point], unit: str, title: str) -> str:
    """An inline SVG: each line's value against its benchmark and baseline lines."""
    lows = [min(p.value, p.benchmark, p.baseline) for p in points]
    highs = [max(p.value, p.benchmark, p.baseline) for p in points]
    vmin, vmax, step = nice_axis(min(lows), max(highs))
    f = Frame(MARGIN_L, MARGIN_T, CHART_W - MARGIN_L - MARGIN_R, PLOT_H, vmin, vmax)
    slot = f.width / len(points)
    runs = _segments(points)
    # Room under the plot for the longest label, rotated.
    angle, size = _label_style(slot)
    longest = max(_text_width(p.short, size) for p in points)
    height = MARGIN_T + PLOT_H + 24 + round(longest * math.sin(math.radians(angle)))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_W} {height}" '
             f'role="img" aria-label="{_e(title)}" class="chart">', f"<title>{_e(title)}</title>"]
    for start, end, first in runs:
        parts += _zones(f, f.left + slot * start, f.left + slot * end, first)
    parts += _y_axis(f, step, unit)
    for n, (start, end, first) in enumerate(runs):
        parts += _level_lines(f, f.left + slot * start, f.left + slot * end, first, unit,
                              last=n == len(runs) - 1, several=len(runs) > 1)
    parts += _marks(f, points, slot, unit)
    parts.append(f'<rect x="{f.left}" y="{f.top}" width="{f.width}" height="{f.height}" '
                 'class="box"/>')
    parts.append("</svg>")
    return "\n".join(parts)


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
    return [Point(" ".join(str(r[k]) for k in ("enterprise", "line") if r.get(k) is not None),
                  short_label(str(r.get("enterprise") or ""),
                              None if r.get("line") is None else str(r["line"])),
                  float(r["value"]), str(r["tier"]), _category_name(area, r.get("category")),
                  float(r["benchmark"]), float(r["baseline"]))
            for r in chosen]


def _tier_badge(tier: str) -> str:
    return (f'<span class="tier tier-{_e(tier)}">{_e(TIER_LABELS_ZH[tier])} '
            f'<small>{_e(TIER_EN[tier])}</small></span>')


def _status_badge(status: Any) -> str:
    """The level status; anything but confirmed is marked and points to the footnote."""
    if status == "confirmed":
        return '<span class="status confirmed">confirmed</span>'
    return (f'<span class="status unconfirmed {_e(status)}">{_e(status)}'
            '<sup><a href="#levels-note">*</a></sup></span>')


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
    head = "".join(f'<th class="{"num" if c in NUMERIC else ""}">{_e(zh)}<br>'
                   f"<small>{_e(en)}</small></th>" for c, zh, en in TABLE_COLUMNS)
    out = ['<div class="scroll"><table class="results">', f"<thead><tr>{head}</tr></thead>",
           "<tbody>"]
    for row in rows[:MAX_TABLE_ROWS]:
        cells = "".join(_cell(c, row, area) for c, _, _ in TABLE_COLUMNS)
        out.append(f'<tr class="tier-{_e(row["tier"])}">{cells}</tr>')
    out.append("</tbody></table></div>")
    if total > MAX_TABLE_ROWS:
        out.append(f'<p class="note">{total - MAX_TABLE_ROWS:,} more row(s) not listed; '
                   "the xlsx and csv formats hold them all.</p>")
    return out


def _levels_line(area: Area, rows: Sequence[dict[str, Any]]) -> str:
    """The levels the area's verdicts rest on, one chip per category used."""
    used = {r.get("category") for r in rows}
    chips = []
    for lv in area.levels:
        if lv.category not in used:
            continue
        name = f"{_e(lv.name_zh or lv.category)}: " if lv.category else ""
        chips.append(f'<span class="levels">{name}标杆 benchmark ≤ {_num(lv.benchmark)}, '
                     f"基准 baseline ≤ {_num(lv.baseline)} {_e(area.unit)} "
                     f"({_status_badge(lv.status)})</span>")
    return f'<p class="levelline">{"".join(chips)}</p>'


def _legend() -> str:
    dots = "".join(f'<span><i class="dot" style="background:{TIER_COLOURS[t]}"></i>'
                   f"{_e(TIER_LABELS_ZH[t])} {_e(TIER_EN[t])}</span>" for t in TIERS)
    return (f'<div class="legend">{dots}<span><i class="dash bm"></i>标杆 benchmark level</span>'
            '<span><i class="dash bl"></i>基准 baseline level</span></div>')


def _area_section(area: Area, rows: list[dict[str, Any]], total: int) -> list[str]:
    """Heading, levels, chart and table of one area (``rows`` may be the first of ``total``)."""
    title = f"{area.name_zh} {area.name_en} ({area.unit})"
    shown = min(total, MAX_CHART_POINTS)
    caption = (f"First {shown} of {total:,} lines shown in the chart."
               if total > shown else f"{total:,} line(s).")
    out = [f'<section class="area" id="area-{_e(area.id)}">',
           f"<h2>{_e(area.name_zh)} <span>{_e(area.name_en)}</span> "
           f'<small>{_e(area.unit)}</small></h2>', _levels_line(area, rows), _legend()]
    points = _points(area, rows)
    if points:
        out.append(f'<figure>{chart_svg(points, area.unit, title)}'
                   f"<figcaption>{_e(caption)} Lower is better: a stem runs from the benchmark "
                   "line to each line's value; values to check are listed, not drawn."
                   "</figcaption></figure>")
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
    mark = (f'<i class="target" style="left:{target * 100:.1f}%"></i>'
            if target is not None else "")
    return (f'<td class="share {cls}"><span class="pct">{_pct(share)}</span>'
            f'<span class="bar"><b style="width:{width:.1f}%"></b>{mark}</span></td>')


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
    heads = [s.group_by, "rows", "标杆 benchmark", "基准–标杆 between",
             "低于基准 below baseline", "share at benchmark", "target",
             "share below baseline",
             *(("ceiling below baseline", "national 2020") if by_area else ()),
             "saving to benchmark (tce)", "levels"]
    out = ['<section id="summary">', f"<h2>Summary by {_e(s.group_by)}</h2>",
           '<div class="scroll"><table class="summary">',
           "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr></thead><tbody>"]
    for g in s.groups:
        area = g if isinstance(g, AreaSummary) else None
        label = (f"{_e(area.name_zh)} <small>{_e(area.name_en)}</small>" if area
                 else _e(g.group))
        extra = (f'<td class="num">{_e(ceiling(area.target_below_baseline))}</td>'
                 f'<td class="num">{_e(national_2020(g))}</td>') if area else ""
        counts = (g.benchmark, g.between, g.below_baseline)
        out.append(
            f'<tr><th scope="row">{label}</th><td class="num">{g.rows:,}</td>'
            + "".join(f'<td class="num c-{t}">{n:,}</td>' for t, n in zip(TIERS, counts,
                                                                           strict=True))
            + _share_cell(g)
            + f'<td class="num">{_pct(area.target_share) if area else "–"}</td>'
            + _below_cell(g) + extra
            + f'<td class="num">{_num(g.saving_to_benchmark_tce, 1)}</td>'
            + _levels_cell(g.unconfirmed_levels) + "</tr>")
    t = s.totals
    counts = (t.benchmark, t.between, t.below_baseline)
    out.append(
        f'</tbody><tfoot><tr><th scope="row">total</th><td class="num">{t.rows:,}</td>'
        + "".join(f'<td class="num c-{k}">{n:,}</td>' for k, n in zip(TIERS, counts,
                                                                       strict=True))
        + f'<td class="share"><span class="pct">{_pct(t.share_at_benchmark)}</span></td>'
        f'<td></td><td class="num">{_pct(t.share_below_baseline)}</td>'
        + ("<td></td><td></td>" if by_area else "")
        + f'<td class="num">{_num(t.saving_to_benchmark_tce, 1)}</td><td></td></tr></tfoot>'
        "</table></div>")
    if s.scope is not None:
        out.append(f'<p class="scope"><b>{_e(s.scope.text)}</b></p>')
    out.append(f'<p class="note">{_e(share_basis_note(report.summary))} The bar\'s tick marks '
               "the area's own 2025 target; the ceiling is the 2025 limit on capacity below "
               "the baseline (0%: none left); national 2020 gives the shares at benchmark and "
               "below baseline at the end of 2020. Savings are to the benchmark level, in "
               "tonnes of coal equivalent.</p>")
    out.append("</section>")
    return out


def _kpis(report: Report) -> str:
    t = report.summary.totals
    counts = (t.benchmark, t.between, t.below_baseline)
    cards = [("graded lines", f"{t.rows:,}", ""),
             *((f"{TIER_LABELS_ZH[k]} {TIER_EN[k]}", f"{n:,}", f"c-{k}")
               for k, n in zip(TIERS, counts, strict=True)),
             ("share at benchmark", _pct(t.share_at_benchmark), ""),
             ("saving to benchmark", f"{_num(t.saving_to_benchmark_tce, 0)} tce", "")]
    return '<div class="kpis">' + "".join(
        f'<div class="kpi {c}"><b>{_e(v)}</b><span>{_e(k)}</span></div>'
        for k, v, c in cards) + "</div>"


def _deadline_cell(report: Report) -> str:
    """Each deadline judged at the reporting date; marked where it has passed with lines
    still below the baseline."""
    return "<br>".join(
        f'<span class="{"late" if d.passed and d.below_baseline else "due"}">{_e(d.text)}</span>'
        for d in report.summary.deadlines)


def _header(report: Report) -> list[str]:
    cat = report.catalogue
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    meta = [("Catalogue", f"{_e(cat.title_zh)}<br><small>{_e(cat.title_en)}</small>"),
            ("Document", _e(cat.document)), ("Edition", _e(cat.edition)),
            ("Effective", _e(cat.effective.isoformat())),
            ("Reporting date (as of)", f"<b>{_e(report.as_of.isoformat())}</b>"),
            ("Deadline for below-baseline capacity", _deadline_cell(report)),
            ("Catalogue sha256", f'<code title="{_e(cat.sha256)}">{_e(cat.sha256[:12])}</code>'),
            ("Input", "<br>".join(_e(f) for f in report.files) or "–"),
            ("Rows", f"{report.rows_total:,} read, {len(report.graded):,} valid, "
                     f"{errors:,} error(s), {warnings:,} warning(s)")]
    rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in meta)
    return ["<header>", "<h1>能效标杆与基准水平评估 <span>Energy-efficiency grading</span></h1>",
            f'<table class="meta">{rows}</table>', "</header>"]


def _problems_section(report: Report) -> list[str]:
    problems = report.problems
    out = ['<section id="problems">', f"<h2>Problems <small>{len(problems):,}</small></h2>"]
    if not problems:
        out.append('<p class="note">No problem found in the input.</p></section>')
        return out
    out.append('<div class="scroll"><table class="problems"><thead><tr><th>location</th>'
               "<th>code</th><th>severity</th><th>column</th><th>message</th></tr></thead>"
               "<tbody>")
    for p in problems[:MAX_PROBLEM_ROWS]:
        out.append(f'<tr class="sev-{_e(p.severity)}"><td><code>{_e(p.location)}</code></td>'
                   f"<td><code>{_e(p.code)}</code></td><td>{_e(p.severity)}</td>"
                   f"<td>{_e(p.header)}</td><td>{_e(p.message)}</td></tr>")
    out.append("</tbody></table></div>")
    if len(problems) > MAX_PROBLEM_ROWS:
        out.append(f'<p class="note">{len(problems) - MAX_PROBLEM_ROWS:,} more problem(s) not '
                   "listed; `benchmark validate --format json` lists them all.</p>")
    out.append("</section>")
    return out


def _level_name(report: Report, area_id: Any, category: Any) -> str:
    """"炼钢/转炉工序" — the area's and category's Chinese names, for the footnote."""
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
        names = ", ".join(f"{_level_name(report, a, c)} ({s})"
                          for a, c, s in pairs.itertuples(index=False))
        out.append(f'<p id="levels-note" class="footnote">* {len(unconfirmed):,} verdict(s) rest '
                   f"on levels that are not confirmed: {_e(names)}. {STATUS_NOTE}</p>")
    f = report.factors()
    out.append(f'<p class="small">Savings in tce use {_e(f["source"])} factors: 1 kgoe = '
               f'{_e(f["kgce_per_kgoe"])} kgce; 1 kWh = {_e(f["kgce_per_kwh"])} kgce '
               f'({_e(f["electricity"])}). {_e(edition_note(report.catalogue))} Generated by '
               f'benchmark {_e(__version__)}.</p>')
    out.append("</footer>")
    return out


CSS = """
:root{--g:#1a7f37;--gb:#dafbe1;--y:#9a6700;--yb:#fff3c4;--r:#cf222e;--rb:#ffe4e2;
--ink:#1f2328;--mute:#59636e;--line:#d1d9e0;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,"Segoe UI","Noto Sans CJK SC","Noto Sans SC",
"PingFang SC","Microsoft YaHei","Helvetica Neue",Arial,sans-serif;color:var(--ink);
background:#fff}
main{max-width:1320px;margin:0 auto;padding:24px 32px 48px}
h1{font-size:26px;margin:0 0 12px}h1 span,h2 span{color:var(--mute);font-weight:400}
h2{font-size:20px;margin:36px 0 8px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h2 small{font-size:13px;color:var(--mute);font-weight:400;margin-left:6px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
table.meta th{text-align:left;color:var(--mute);font-weight:500;padding:2px 16px 2px 0;
vertical-align:top;white-space:nowrap}table.meta td{padding:2px 0}
.kpis{display:flex;flex-wrap:wrap;gap:12px;margin:20px 0 4px}
.kpi{flex:1 1 150px;background:var(--bg);border:1px solid var(--line);border-radius:8px;
padding:10px 14px}.kpi b{display:block;font-size:22px}.kpi span{color:var(--mute);font-size:12px}
.kpi.c-benchmark{border-left:5px solid var(--g)}.kpi.c-between{border-left:5px solid #d4a72c}
.kpi.c-below_baseline{border-left:5px solid var(--r)}
table.summary,table.results,table.problems{width:100%;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line)}
thead th{background:var(--bg);text-align:left;font-weight:600;vertical-align:bottom;
position:sticky;top:0}
tbody th{text-align:left;font-weight:500;white-space:nowrap}
tfoot th,tfoot td{font-weight:700;border-top:2px solid var(--ink);border-bottom:0}
table.results td:first-child{min-width:170px}
.num,th.num{text-align:right;white-space:nowrap}
td.c-benchmark{color:var(--g)}td.c-between{color:var(--y)}td.c-below_baseline{color:var(--r)}
td.share{min-width:150px;white-space:nowrap}
td.share .pct{display:inline-block;width:48px;text-align:right;font-weight:600;margin-right:8px}
td.share.meets .pct{color:var(--g)}td.share.misses .pct{color:var(--r)}
td.share.meets{background:var(--gb)}td.share.misses{background:var(--rb)}
td.below.meets{color:var(--g)}td.below.misses{color:var(--r);font-weight:600}
.bar{display:inline-block;position:relative;width:80px;height:8px;background:#e6e9ec;
border-radius:4px;vertical-align:middle}
.bar b{position:absolute;left:0;top:0;bottom:0;background:var(--mute);border-radius:4px}
.meets .bar b{background:var(--g)}.misses .bar b{background:var(--r)}
.bar .target{position:absolute;top:-3px;bottom:-3px;width:2px;background:var(--ink)}
.tier{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;white-space:nowrap;
font-weight:600}.tier small{font-weight:400}
.tier-benchmark .tier,.tier.tier-benchmark{background:var(--gb);color:var(--g)}
.tier.tier-between{background:var(--yb);color:var(--y)}
.tier.tier-below_baseline{background:var(--rb);color:var(--r)}
.tier.tier-to_check{background:#fbefff;color:#8250df}
tr.tier-to_check td:first-child{box-shadow:inset 4px 0 #8250df}
tr.tier-benchmark td:first-child{box-shadow:inset 4px 0 var(--g)}
tr.tier-between td:first-child{box-shadow:inset 4px 0 #d4a72c}
tr.tier-below_baseline td:first-child{box-shadow:inset 4px 0 var(--r)}
.status{font-size:12px;white-space:nowrap}.status.confirmed{color:var(--g)}
.status.corroborated{color:var(--y);font-weight:600}
.status.unverified{color:var(--r);font-weight:600}
.unconfirmed-level{color:var(--y)}
sup a{text-decoration:none;color:inherit}
.levelline{margin:4px 0 8px;color:var(--mute)}
.levels{display:inline-block;margin:0 16px 4px 0;padding:2px 8px;background:var(--bg);
border-radius:6px}
.legend{display:flex;flex-wrap:wrap;gap:16px;font-size:12px;color:var(--mute)}
.legend span{display:inline-flex;align-items:center;gap:6px}
.dot{width:10px;height:10px;border-radius:50%;display:inline-block}
.dash{width:22px;border-top:2px dashed;display:inline-block}.dash.bm{border-color:var(--g)}
.dash.bl{border-color:var(--r)}
figure{margin:6px 0 12px}figcaption{color:var(--mute);font-size:12px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#e3e7eb;stroke-width:1}svg .zero{stroke:#6e7781;stroke-width:1.2}
svg .box{fill:none;stroke:#afb8c1}svg text{font-family:inherit;fill:#424a53}
svg .tick{font-size:11px}svg .unit{font-size:12px}
svg .lvl{font-size:12px;font-weight:600}svg .lvl.bm{fill:#1a7f37}svg .lvl.bl{fill:#cf222e}
svg .val{font-size:11px;fill:#424a53;paint-order:stroke;stroke:#fff;stroke-width:3px}
thead th small{font-weight:400;color:var(--mute)}
svg .seg{font-size:11px;font-weight:600;fill:#59636e}
tr.sev-error td:nth-child(3){color:var(--r);font-weight:600}
tr.sev-warning td:nth-child(3){color:var(--y);font-weight:600}
.note,.small{color:var(--mute);font-size:12px}
.empty{padding:16px;background:var(--rb);border-radius:8px}
footer{margin-top:36px;border-top:1px solid var(--line);padding-top:12px}
.footnote{background:var(--yb);padding:8px 12px;border-radius:6px}
code{font-size:12px}
.late{color:var(--r);font-weight:600}p.scope{margin:6px 0 2px}
@media print{main{max-width:none;padding:0}thead th{position:static}
section.area{break-inside:avoid-page}}
"""


def _area_rows(report: Report
               ) -> tuple[pd.DataFrame, list[tuple[Area, list[dict[str, Any]], int]]]:
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
    return graded, [(a, by_area[a.id], int(counts[a.id]) if counts is not None else 0)
                    for a in report.catalogue.areas if a.id in by_area]


def _body(report: Report) -> list[str]:
    graded, areas = _area_rows(report)
    out = _header(report)
    if areas:
        out.append(_kpis(report))
        out += _summary_section(report)
        for area, rows, total in areas:
            out += _area_section(area, rows, total)
    else:
        out.append('<p class="empty"><b>No row could be graded.</b> The problems below say '
                   "which cell to fix.</p>")
    out += _problems_section(report)
    out += _footnotes(report, graded)
    return out


def grade_html(report: Report) -> str:
    """The grading report as one HTML file that opens offline and prints cleanly."""
    title = f"Energy-efficiency grading — {report.catalogue.title_en}"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body><main>",
        *_body(report), "</main></body>", "</html>", ""])

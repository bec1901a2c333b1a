"""Charts as inline SVG: each line's value against its benchmark and baseline, drawn by hand
(no script, no network), and the axis arithmetic the xlsx charts share."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from benchmark.report.labels import TIER_COLOURS, ZONE_COLOURS
from benchmark.report.page import escape as _e
from benchmark.report.page import number as _num
from benchmark.report.words import level_word, tier_word

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


def _segments(points: Sequence[Point]) -> list[tuple[int, int, Point]]:
    """Runs of consecutive points sharing levels (one run per category): (start, end, first)."""
    runs: list[tuple[int, int, Point]] = []
    start = 0
    for i in range(1, len(points) + 1):
        if i == len(points) or (points[i].benchmark, points[i].baseline) != (
            points[start].benchmark,
            points[start].baseline,
        ):
            runs.append((start, i, points[start]))
            start = i
    return runs


def _zones(f: Frame, x0: float, x1: float, p: Point) -> list[str]:
    """Background bands: green at or under benchmark, yellow up to baseline, red above."""
    yb, yl = f.y(p.benchmark), f.y(p.baseline)
    bottom = f.top + f.height
    bands = ((yb, bottom, "benchmark"), (yl, yb, "between"), (f.top, yl, "below_baseline"))
    return [
        f'<rect x="{x0:.1f}" y="{a:.1f}" width="{x1 - x0:.1f}" height="{b - a:.1f}" '
        f'fill="{ZONE_COLOURS[t]}"/>'
        for a, b, t in bands
        if b - a > 0.05
    ]


def _level_lines(
    f: Frame, x0: float, x1: float, p: Point, unit: str, last: bool, several: bool
) -> list[str]:
    """Dashed benchmark and baseline lines over a run, labelled with level and unit."""
    out: list[str] = []
    yb, yl = f.y(p.benchmark), f.y(p.baseline)
    for y, colour in ((yb, TIER_COLOURS["benchmark"]), (yl, TIER_COLOURS["below_baseline"])):
        out.append(
            f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="7 4"/>'
        )
    if several:
        out.append(
            f'<text x="{x0 + 3:.1f}" y="{f.top + 12:.1f}" class="seg">{_e(p.category or "")}</text>'
        )
    if last:
        # Keep the two right-hand labels at least 13 px apart however close the levels are.
        lb, ll = yb + 4, yl + 4
        if lb - ll < 13:
            mid = (lb + ll) / 2
            lb, ll = mid + 6.5, mid - 6.5
        x = x1 + 6
        out.append(
            f'<text x="{x:.1f}" y="{lb:.1f}" class="lvl bm">{_e(level_word("benchmark"))} '
            f"{_num(p.benchmark)} {_e(unit)}</text>"
        )
        out.append(
            f'<text x="{x:.1f}" y="{ll:.1f}" class="lvl bl">{_e(level_word("baseline"))} '
            f"{_num(p.baseline)} {_e(unit)}</text>"
        )
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
        out.append(
            f'<line x1="{f.left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'class="{"zero" if zero else "grid"}"/>'
        )
        out.append(
            f'<text x="{f.left - 8}" y="{y + 4:.1f}" class="tick" text-anchor="end">'
            f"{_num(0.0 if zero else v, digits)}</text>"
        )
    cy = f.top + f.height / 2
    out.append(
        f'<text x="16" y="{cy:.1f}" class="unit" text-anchor="middle" '
        f'transform="rotate(-90 16 {cy:.1f})">{_e(unit)}</text>'
    )
    return out


def short_label(enterprise: str, line: str | None) -> str:
    """An axis label that keeps the line name whole and shortens the enterprise name."""
    if line is None:
        return enterprise if len(enterprise) <= LABEL_CHARS else enterprise[: LABEL_CHARS - 1] + "…"
    room = max(LABEL_CHARS - len(line) - 1, 4)
    head = enterprise if len(enterprise) <= room else enterprise[: room - 1] + "…"
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
        tip = f"{p.label}: {_num(p.value)} {unit} — {tier_word(p.tier)}"
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{f.y(p.benchmark):.1f}" '
            f'y2="{f.y(p.value):.1f}" stroke="{colour}" stroke-width="1.5" '
            'stroke-opacity="0.6"/>'
        )
        out.append(
            f'<circle cx="{x:.1f}" cy="{f.y(p.value):.1f}" r="{r:.1f}" fill="{colour}" '
            f'class="pt {_e(p.tier)}"><title>{_e(tip)}</title></circle>'
        )
        if with_values:
            # On the side of the dot away from its stem.
            cy = f.y(p.value)
            ty = cy - r - 4 if p.value >= p.benchmark else cy + r + 11
            out.append(
                f'<text x="{x:.1f}" y="{ty:.1f}" class="val" text-anchor="middle">'
                f"{_num(p.value, 1)}</text>"
            )
        out.append(
            f'<text x="{x + size * 0.35:.1f}" y="{label_y:.1f}" class="xl" '
            f'text-anchor="end" font-size="{size:.1f}" '
            f'transform="rotate(-{angle:.0f} {x:.1f} {label_y:.1f})">{_e(p.short)}</text>'
        )
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
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_W} {height}" '
        f'role="img" aria-label="{_e(title)}" class="chart">',
        f"<title>{_e(title)}</title>",
    ]
    for start, end, first in runs:
        parts += _zones(f, f.left + slot * start, f.left + slot * end, first)
    parts += _y_axis(f, step, unit)
    for n, (start, end, first) in enumerate(runs):
        parts += _level_lines(
            f,
            f.left + slot * start,
            f.left + slot * end,
            first,
            unit,
            last=n == len(runs) - 1,
            several=len(runs) > 1,
        )
    parts += _marks(f, points, slot, unit)
    parts.append(
        f'<rect x="{f.left}" y="{f.top}" width="{f.width}" height="{f.height}" class="box"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- gauge

GAUGE_W, GAUGE_H = 360, 64
GAUGE_L, GAUGE_R, GAUGE_TOP, GAUGE_BAR = 12, 12, 18, 14
#: Pixels a character of the gauge's 11-pixel labels takes (CJK: twice as many).
GAUGE_CHAR = 6.2


def _label_width(text: str) -> float:
    return sum(GAUGE_CHAR * (2 if ord(ch) >= 0x2E80 else 1) for ch in text)


def _centres(wanted: list[float], widths: list[float], lo: float, hi: float) -> list[float]:
    """Label centres as near ``wanted`` as they can be, each label within ``lo``..``hi`` and
    none over the next (left to right), with 6 pixels between them."""
    out: list[float] = []
    for want, width in zip(wanted, widths, strict=True):
        x = min(max(want, lo + width / 2), hi - width / 2)
        if out:
            x = max(x, out[-1] + (widths[len(out) - 1] + width) / 2 + 6)
        out.append(x)
    if out and out[-1] + widths[-1] / 2 > hi:  # pushed off the right: pull them all back
        shift = out[-1] + widths[-1] / 2 - hi
        out = [x - shift for x in out]
    return out


def gauge_svg(value: float, benchmark: float, baseline: float, unit: str, tier: str) -> str:
    """One line's value on a small scale against its two levels, for a statement: green up to
    the benchmark, yellow up to the baseline, red beyond (lower is better, so better is to
    the left), the value a dot in its tier's colour, the labels kept inside the picture and
    apart. Negative levels (converter steelmaking) and large ones (kWh/t) scale the same."""
    lo, hi, _step = nice_axis(min(value, benchmark, baseline), max(value, benchmark, baseline))
    width = GAUGE_W - GAUGE_L - GAUGE_R
    right = GAUGE_L + width

    def x(v: float) -> float:
        return GAUGE_L + (min(max(v, lo), hi) - lo) / (hi - lo) * width

    xb, xl, xv = x(benchmark), x(baseline), x(value)
    bottom = GAUGE_TOP + GAUGE_BAR
    said = f"{_e(tier_word(tier))}: {_num(value)} {_e(unit)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GAUGE_W} {GAUGE_H}" '
        f'class="gauge" role="img" aria-label="{said}">',
        f"<title>{said}</title>",
    ]
    for a, b, zone in (
        (GAUGE_L, xb, "benchmark"),
        (xb, xl, "between"),
        (xl, right, "below_baseline"),
    ):
        if b - a > 0.05:
            parts.append(
                f'<rect x="{a:.1f}" y="{GAUGE_TOP}" width="{b - a:.1f}" height="{GAUGE_BAR}" '
                f'fill="{ZONE_COLOURS[zone]}"/>'
            )
    labels = [
        f"{level_word('benchmark')} {_num(benchmark)}",
        f"{level_word('baseline')} {_num(baseline)}",
    ]
    widths = [_label_width(t) for t in labels]
    centres = _centres([xb, xl], widths, 0, GAUGE_W)
    for pos, centre, label, colour in zip(
        (xb, xl),
        centres,
        labels,
        (TIER_COLOURS["benchmark"], TIER_COLOURS["below_baseline"]),
        strict=True,
    ):
        parts.append(
            f'<line x1="{pos:.1f}" x2="{pos:.1f}" y1="{GAUGE_TOP - 2}" y2="{bottom + 4}" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{bottom + 16}" text-anchor="middle" class="lvl" '
            f'fill="{colour}">{_e(label)}</text>'
        )
    colour = TIER_COLOURS.get(tier, "#59636e")
    parts.append(
        f'<circle cx="{xv:.1f}" cy="{GAUGE_TOP + GAUGE_BAR / 2}" r="6" fill="{colour}" '
        'stroke="#fff" stroke-width="1.5"/>'
    )
    shown = _num(value)
    (at,) = _centres([xv], [_label_width(shown)], 0, GAUGE_W)
    parts.append(
        f'<text x="{at:.1f}" y="{GAUGE_TOP - 5}" text-anchor="middle" class="val">{shown}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)

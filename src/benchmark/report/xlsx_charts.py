"""Native Excel charts of the report: a chart per area on the Charts sheet (each line's value,
coloured by tier, against the benchmark and baseline levels), and on the Summary each area's
share at benchmark against its own 2025 target.

Charts read their data from cells of the workbook, so the numbers a chart draws are the numbers
a reader can check beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from benchmark.i18n import _
from benchmark.report.labels import TIER_FILLS
from benchmark.report.svg import nice_axis, short_label
from benchmark.report.words import area_title, heading, tier_word, unit_label
from benchmark.report.xlsx_cells import (
    Styles,
    header_row,
    page_setup,
    put_row,
    text,
)

if TYPE_CHECKING:
    import pandas as pd

    from benchmark.catalogue import Area
    from benchmark.report.model import Report

CHART_COLOURS = {"benchmark": "#1A7F37", "between": "#D4A72C", "below_baseline": "#CF222E"}
LEVEL_COLOURS = ("#1A7F37", "#CF222E")
#: Rows an area's block takes at least on the Charts sheet (the chart is 22 rows tall).
BLOCK_ROWS = 24
CHART_SIZE = {"width": 980, "height": 416}
#: Rows a printed page of the Charts sheet holds at the scale that fits its width (the
#: chart beside the table: about 1,650 pixels wide): two areas of up to 24 lines.
PAGE_ROWS = 56
CHARTS = "Charts"


def _axis(lo: float, hi: float) -> dict[str, Any]:
    """A value axis with round bounds that need not include zero (see ``nice_axis``)."""
    vmin, vmax, step = nice_axis(lo, hi)
    return {
        "min": vmin,
        "max": vmax,
        "major_unit": step,
        "num_format": "#,##0.0#" if step < 1 else "#,##0",
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
    }


def area_chart(
    wb: Workbook,
    area: Area,
    first: int,
    rows: int,
    total: int,
    tiers: Sequence[str],
    bounds: tuple[float, float],
) -> Chart:
    """Bars of each line's value (coloured by tier) with the levels as dashed lines; the data
    is in rows ``first``.. of the Charts sheet (0-based), its header the row above."""
    last = first + rows - 1
    bar = wb.add_chart({"type": "column"})
    bar.add_series(
        {
            "name": _("Value (colour = tier)"),
            "categories": [CHARTS, first, 0, last, 0],
            "values": [CHARTS, first, 1, last, 1],
            "fill": {"color": "#7F7F7F"},
            "gap": 60,
            "points": [{"fill": {"color": CHART_COLOURS.get(t, "#808080")}} for t in tiers],
        }
    )
    levels = wb.add_chart({"type": "line"})
    for col, colour in zip((2, 3), LEVEL_COLOURS, strict=True):
        levels.add_series(
            {
                "name": [CHARTS, first - 1, col],
                "categories": [CHARTS, first, 0, last, 0],
                "values": [CHARTS, first, col, last, col],
                "marker": {"type": "none"},
                "line": {"color": colour, "dash_type": "dash", "width": 1.75},
            }
        )
    bar.combine(levels)
    title = area_title(area)
    if total > rows:
        title += " — " + _("first {shown} of {total} lines").format(shown=rows, total=f"{total:,}")
    bar.set_title({"name": title, "name_font": {"size": 12}})
    bar.set_y_axis({"name": unit_label(area.unit), **_axis(*bounds)})
    bar.set_x_axis({"label_position": "low"})
    bar.set_legend({"position": "bottom"})
    bar.set_size(CHART_SIZE)
    return bar


def _chart_block(
    wb: Workbook, st: Styles, ws: Worksheet, area: Area, shown: pd.DataFrame, total: int, start: int
) -> int:
    """An area's first lines (``shown``, of ``total``) and chart from row ``start``; returns
    the next free row."""
    from benchmark.report.model import records

    recs = records(shown[["enterprise", "line", "value", "benchmark", "baseline", "tier"]])
    put_row(ws, start, [st(text(area_title(area)), bold=True)])
    put_row(
        ws,
        start + 1,
        header_row(st, [heading(c) for c in ("line", "value", "benchmark", "baseline", "tier")]),
    )
    for i, r in enumerate(recs, start + 2):
        line = None if r["line"] is None else str(r["line"])
        put_row(
            ws,
            i,
            [
                text(short_label(str(r["enterprise"] or ""), line)),
                *(st(r[k], fmt="#,##0.0#") for k in ("value", "benchmark", "baseline")),
                st(tier_word(r["tier"]), fill=TIER_FILLS[r["tier"]]),
            ],
        )
    values = [v for r in recs for v in (r["value"], r["benchmark"], r["baseline"])]
    chart = area_chart(
        wb, area, start + 2, len(recs), total, [r["tier"] for r in recs], (min(values), max(values))
    )
    ws.insert_chart(start, 6, chart)
    return start + max(len(recs) + 2, BLOCK_ROWS) + 2


def area_charts(
    wb: Workbook, st: Styles, report: Report, max_points: int, running: str | None = None
) -> None:
    """The Charts sheet: per graded area, in catalogue order, its first lines and a chart;
    printed one page wide, as many whole areas on a page as fit (a chart is never cut)."""
    ws = wb.add_worksheet(CHARTS)
    for i, width in enumerate((30, 12, 14, 14, 22)):
        ws.set_column(i, i, width)
    page_setup(ws, running=running)
    graded = report.graded
    graded = graded[graded["tier"].notna()] if "tier" in graded else graded.iloc[0:0]
    if not len(graded):
        put_row(ws, 0, [_("No row could be graded; see the Problems sheet.")])
        return
    counts = graded["area"].value_counts().to_dict()
    shown = {
        str(a): part
        for a, part in graded.groupby("area", sort=False)
        .head(max_points)
        .groupby("area", sort=False)
    }
    row, page, breaks = 0, 0, []
    for area in report.catalogue.areas:
        if area.id in shown:
            end = _chart_block(wb, st, ws, area, shown[area.id], int(counts[area.id]), row)
            if row > page and end - page > PAGE_ROWS:  # it would run over: a page of its own
                breaks.append(row)
                page = row
            row = end
    ws.set_h_pagebreaks(breaks)


def share_chart(
    wb: Workbook,
    sheet: str,
    first: int,
    count: int,
    meets: Sequence[bool],
    columns: tuple[int, int, int],
) -> Chart:
    """Each area's share at benchmark (green where it meets its target, red where not) with
    its own 2025 target marked; the data are the summary table's rows ``first``..
    ``first + count - 1`` (0-based) and its ``columns``: name, share, target."""
    name, share, target = columns
    last = first + count - 1
    bars = wb.add_chart({"type": "column"})
    bars.add_series(
        {
            "name": _("Share at benchmark"),
            "categories": [sheet, first, name, last, name],
            "values": [sheet, first, share, last, share],
            "fill": {"color": "#7F7F7F"},
            "points": [
                {"fill": {"color": CHART_COLOURS["benchmark" if m else "below_baseline"]}}
                for m in meets
            ],
            "data_labels": {"value": True, "num_format": "0%"},
        }
    )
    marks = wb.add_chart({"type": "line"})
    marks.add_series(
        {
            "name": _("2025 target"),
            "categories": [sheet, first, name, last, name],
            "values": [sheet, first, target, last, target],
            "line": {"none": True},
            "marker": {
                "type": "dash",
                "size": 14,
                "fill": {"color": "#1F2328"},
                "border": {"color": "#1F2328"},
            },
        }
    )
    bars.combine(marks)
    bars.set_title(
        {
            "name": _("Share at benchmark against each area's 2025 target"),
            "name_font": {"size": 12},
        }
    )
    bars.set_y_axis(
        {
            "min": 0,
            "max": 1,
            "major_unit": 0.1,
            "num_format": "0%",
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )
    bars.set_x_axis({"num_font": {"rotation": -45}})
    bars.set_legend({"position": "bottom"})
    bars.set_size({"width": 1100, "height": 420})
    return bars

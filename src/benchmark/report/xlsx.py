"""Excel: the workbook a consultant hands to a client — Summary, Results, Charts, Problems.

The workbook is always written in openpyxl's write-only (streaming) mode, whatever its size:
rows go to disk as they are produced, so a million graded rows need no more memory than a
thousand, and small and large runs take the same, tested, code path. Every text cell is
defused against formula injection (:func:`benchmark.report.model.neutralise_frame`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from benchmark._version import __version__
from benchmark.report.html import nice_axis, short_label
from benchmark.report.labels import TIER_LABELS_ZH, TIERS, ceiling, edition_note, national_2020
from benchmark.report.model import Report, neutralise, neutralise_frame, share_basis_note
from benchmark.results import AreaSummary, Totals

if TYPE_CHECKING:
    import pandas as pd

    from benchmark.catalogue import Area

#: A write-only worksheet. Its stubs lack ``auto_filter`` and ``column_dimensions``, which the
#: class has (copied from ``Worksheet``), so it is typed loosely.
Sheet = Any

#: Data rows per Results sheet: Excel's limit less the header row. More spill to "Results 2".
MAX_SHEET_ROWS = 1_048_575
#: Rows converted from pandas at a time: bounds the Python objects alive at once.
CHUNK_ROWS = 20_000
#: Lines drawn per area chart.
MAX_CHART_POINTS = 50
#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767

GREEN, YELLOW, RED = "C6EFCE", "FFEB9C", "FFC7CE"
TIER_FILLS = {"benchmark": GREEN, "between": YELLOW, "below_baseline": RED}
TIER_FONTS = {"benchmark": "006100", "between": "9C5700", "below_baseline": "9C0006"}
STATUS_FILLS = {"corroborated": "FCE4D6", "unverified": "F8CBAD"}
SEVERITY_FILLS = {"error": RED, "warning": YELLOW}
CHART_COLOURS = {"benchmark": "1A7F37", "between": "D4A72C", "below_baseline": "CF222E"}
HEADER_FILL = "DDEBF7"

#: Number formats of the Results columns (others are General).
NUMBER_FORMATS: dict[str, str] = {
    "row": "0", "year": "0",
    **{c: "#,##0.0#" for c in ("value", "benchmark", "baseline", "gap_to_benchmark",
                               "gap_to_baseline")},
    "gap_to_benchmark_pct": '0.0"%"', "gap_to_baseline_pct": '0.0"%"', "score": "0.0",
    **{c: "#,##0" for c in ("output", "capacity", "saving_to_benchmark",
                            "saving_to_baseline")},
    "saving_to_benchmark_tce": "#,##0.0", "saving_to_baseline_tce": "#,##0.0",
}
PERCENT = "0.0%"
STATUS_NOTE = ("corroborated = equal to the grades of the national energy-consumption limit "
               "standard (a second source agrees); unverified = transcribed without a second "
               "source. Check verdicts that rest on them, or grade with a checked --catalogue.")


# --------------------------------------------------------------------------- cells

def _clean(value: Any) -> Any:
    """A value Excel accepts: no control characters, at most 32,767 characters, finite."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        return text[:MAX_CELL_CHARS]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _text(value: Any) -> Any:
    """A text cell's value, defused (for text that does not come through a frame)."""
    return _clean(neutralise(value))


StyleKey = tuple[str | None, str | None, bool, str | None, bool]


class Styler:
    """Makes the styled streaming cells of one sheet.

    Styling a cell the ordinary way hashes a new Font and Fill for every cell, which made
    styling cost more than writing. Each combination is made once here, and later cells are
    built from a copy of its style array.
    """

    def __init__(self, ws: Sheet) -> None:
        self.ws = ws
        self._arrays: dict[StyleKey, Any] = {}

    def _array(self, key: StyleKey) -> Any:
        arr = self._arrays.get(key)
        if arr is None:
            fmt, fill, bold, colour, italic = key
            proto = WriteOnlyCell(self.ws)
            if fmt:
                proto.number_format = fmt
            if fill:
                proto.fill = PatternFill("solid", fgColor=fill)
            if bold or colour or italic:
                proto.font = Font(bold=bold, color=colour, italic=italic)
            arr = self._arrays[key] = cast(Any, proto)._style
        return arr

    def __call__(self, value: Any, *, fmt: str | None = None, fill: str | None = None,
                 bold: bool = False, colour: str | None = None, italic: bool = False) -> Cell:
        """A cell holding ``value`` (cleaned for Excel) with the given style."""
        arr = self._array((fmt, fill, bold, colour, italic))
        return Cell(self.ws, row=1, column=1, value=_clean(value), style_array=arr)


def _header_row(st: Styler, names: Sequence[str]) -> list[Cell]:
    thin = Side(style="thin", color="9BC2E6")
    out = []
    for name in names:
        cell = st(name, fill=HEADER_FILL, bold=True)
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(vertical="bottom", wrap_text=True)
        out.append(cell)
    return out


def _widths(ws: Sheet, widths: Sequence[float]) -> None:
    """Column widths; must be set before the first row is streamed."""
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _print_setup(ws: Sheet, *, fit_width: bool = False, header: bool = False) -> None:
    """Landscape pages; Summary and Charts fit the page width, tables repeat their header."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    if fit_width:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if header:
        ws.print_title_rows = "1:1"


def _column_values(col: pd.Series) -> list[Any]:
    """A column as Python values: None for NA, NaN and infinities; strings cleaned."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_float_dtype(col.dtype):
        arr = col.to_numpy(dtype="float64", na_value=np.nan)
        out = arr.astype(object)
        out[~np.isfinite(arr)] = None
        return list(out.tolist())
    if pd.api.types.is_integer_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
        return [None if v is pd.NA else v for v in col.astype(object).tolist()]
    values = col.astype(object).where(col.notna(), None).tolist()
    return [_clean(v) if isinstance(v, str | float) else _plain_other(v) for v in values]


def _plain_other(value: Any) -> Any:
    """Numpy scalars to Python; anything Excel cannot hold (lists, objects) to its text."""
    if value is None or isinstance(value, int | float | str):
        return value
    if hasattr(value, "item"):
        return _clean(value.item())
    if hasattr(value, "isoformat"):
        return value
    return _clean(str(value))


# --------------------------------------------------------------------------- Results

def _result_widths(frame: pd.DataFrame) -> list[float]:
    """Widths from the header and the first rows' text, between 8 and 40 characters."""
    sample = frame.head(200)
    widths = []
    for name in frame.columns:
        longest = max((len(str(v)) for v in sample[name].dropna().tolist()), default=0)
        if name in NUMBER_FORMATS:
            longest = min(longest, 12)
        widths.append(float(min(max(len(str(name)) + 2, longest + 2, 8), 40)))
    return widths


def _row_maker(st: Styler, columns: Sequence[str]) -> Callable[[Sequence[Any]], list[Any]]:
    """A function from a row's values to the cells of the Results sheet, styled by tier."""
    formats = [NUMBER_FORMATS.get(c) for c in columns]
    tier_at = columns.index("tier") if "tier" in columns else -1
    value_at = columns.index("value") if "value" in columns else -1
    status_at = columns.index("level_status") if "level_status" in columns else -1

    def make(values: Sequence[Any]) -> list[Any]:
        row: list[Any] = [st(v, fmt=f) if f is not None and v is not None else v
                          for v, f in zip(values, formats, strict=True)]
        tier = values[tier_at] if tier_at >= 0 else None
        if tier in TIER_FILLS:
            row[tier_at] = st(tier, fill=TIER_FILLS[tier], colour=TIER_FONTS[tier],
                                 bold=True)
            if value_at >= 0 and values[value_at] is not None:
                row[value_at] = st(values[value_at], fmt=formats[value_at],
                                      fill=TIER_FILLS[tier])
        status = values[status_at] if status_at >= 0 else None
        if status in STATUS_FILLS:
            row[status_at] = st(status, fill=STATUS_FILLS[status], bold=True)
        return row

    return make


def _result_rows(frame: pd.DataFrame) -> Iterator[list[Any]]:
    """Rows of the results as cleaned, defused Python values, a chunk at a time."""
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = neutralise_frame(frame.iloc[start:start + CHUNK_ROWS])
        yield from (list(r) for r in zip(*(_column_values(chunk[c]) for c in chunk.columns),
                                         strict=True))


def _results_sheet(wb: Workbook, title: str, frame: pd.DataFrame, widths: Sequence[float],
                   rows: Iterator[list[Any]], count: int) -> None:
    """One Results sheet: header frozen and filtered, ``count`` rows taken from ``rows``."""
    ws: Sheet = wb.create_sheet(title)
    st = Styler(ws)
    columns = [str(c) for c in frame.columns]
    _widths(ws, widths)
    _print_setup(ws, header=True)
    ws.freeze_panes = "A2"
    last = get_column_letter(max(len(columns), 1))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    ws.append(_header_row(st, columns))
    make = _row_maker(st, columns)
    for _ in range(count):
        ws.append(make(next(rows)))


def _results(wb: Workbook, report: Report) -> None:
    """Every result row, with contract columns first; spills onto further sheets past Excel's
    row limit rather than losing rows."""
    frame = report.results()
    widths = _result_widths(frame)
    rows = _result_rows(frame)
    total = len(frame)
    sheets = max(1, math.ceil(total / MAX_SHEET_ROWS))
    for n in range(sheets):
        count = min(MAX_SHEET_ROWS, total - n * MAX_SHEET_ROWS)
        _results_sheet(wb, "Results" if n == 0 else f"Results {n + 1}", frame, widths, rows,
                       count)


# --------------------------------------------------------------------------- Summary

def _meta_rows(st: Styler, report: Report) -> list[list[Any]]:
    cat = report.catalogue
    errors = sum(p.severity == "error" for p in report.problems)
    graded = int(report.graded["tier"].notna().sum()) if "tier" in report.graded else 0
    pairs: list[tuple[str, Any]] = [
        ("Document 文号", cat.document), ("Edition 版本", cat.edition),
        ("Effective 实施", cat.effective.isoformat()),
        ("Deadline for below-baseline capacity", cat.deadline.isoformat()),
        ("Catalogue sha256", cat.sha256[:12]),
        ("Input files", "; ".join(report.files)),
        ("Rows", f"{report.rows_total:,} read, {graded:,} graded, {errors:,} error(s), "
                 f"{len(report.problems) - errors:,} warning(s)"),
        ("Generated by", f"benchmark {__version__}")]
    return [[st(_text(cat.title_zh), bold=True)],
            [st(_text(cat.title_en), italic=True)], []] + [
        [st(k, bold=True), _text(v)] for k, v in pairs]


def _group_frame(report: Report) -> pd.DataFrame:
    """The per-group table as a frame, so that its text is defused like the results."""
    import pandas as pd

    rows = []
    for g in report.summary.groups:
        area = g if isinstance(g, AreaSummary) else None
        rows.append({
            "group": g.group, "name": f"{area.name_zh} {area.name_en}" if area else "",
            "unit": area.unit if area else None, "rows": g.rows, "benchmark": g.benchmark,
            "between": g.between, "below_baseline": g.below_baseline,
            "share_at_benchmark": g.share_at_benchmark,
            "target": area.target_share if area else None,
            "meets_target": area.meets_target if area else None,
            "share_below_baseline": g.share_below_baseline,
            "ceiling": ceiling(area.target_below_baseline) if area else None,
            "meets_ceiling": area.meets_below_baseline_target if area else None,
            "national_2020": national_2020(g) if area else None, "basis": g.share_basis,
            "saving_to_benchmark_tce": g.saving_to_benchmark_tce,
            "saving_to_baseline_tce": g.saving_to_baseline_tce,
            "levels": ", ".join(g.unconfirmed_levels) or "confirmed"})
    return neutralise_frame(pd.DataFrame(rows, dtype=object))


SUMMARY_HEADINGS = ("group", "name", "unit", "rows", "标杆 benchmark", "基准–标杆 between",
                    "低于基准 below baseline", "share at benchmark", "target", "meets target",
                    "share below baseline", "ceiling below baseline", "meets ceiling",
                    "national 2020 (at benchmark / below baseline)", "share basis",
                    "saving to benchmark (tce)", "saving to baseline (tce)", "level status")


def _group_cells(st: Styler, g: dict[str, Any]) -> list[Any]:
    """One group's row: shares as percentages, the share green or red against the target."""
    meets = g["meets_target"]
    fill = GREEN if meets is True else (RED if meets is False else None)
    levels = g["levels"]
    return [st(g["group"], bold=True), g["name"], g["unit"], g["rows"],
            *(st(g[str(t)], colour=TIER_FONTS[t]) for t in TIERS),
            st(g["share_at_benchmark"], fmt=PERCENT, fill=fill, bold=True),
            st(g["target"], fmt=PERCENT),
            _yes_no(meets),
            st(g["share_below_baseline"], fmt=PERCENT), g["ceiling"],
            _yes_no(g["meets_ceiling"]), g["national_2020"], g["basis"],
            st(g["saving_to_benchmark_tce"], fmt="#,##0.0"),
            st(g["saving_to_baseline_tce"], fmt="#,##0.0"),
            st(levels, fill=None if levels == "confirmed" else STATUS_FILLS.get(
                levels.split(",")[-1].strip(), STATUS_FILLS["corroborated"]))]


def _yes_no(value: Any) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _totals_cells(st: Styler, t: Totals) -> list[Any]:
    def bold(value: Any, fmt: str | None = None) -> Cell:
        return st(value, fmt=fmt, bold=True)

    return [bold("total"), None, None, bold(t.rows), bold(t.benchmark), bold(t.between),
            bold(t.below_baseline), bold(t.share_at_benchmark, PERCENT), None, None,
            bold(t.share_below_baseline, PERCENT), None, None, None, t.share_basis,
            bold(t.saving_to_benchmark_tce, "#,##0.0"),
            bold(t.saving_to_baseline_tce, "#,##0.0"),
            ", ".join(t.unconfirmed_levels) or None]


def _levels_rows(st: Styler, report: Report) -> list[list[Any]]:
    """The catalogue levels the verdicts rest on, with their status and note."""
    graded = report.graded
    if "tier" not in graded or not graded["tier"].notna().any():
        return []
    used = graded[graded["tier"].notna()][["area", "category"]].drop_duplicates()
    keys = {(a, c if isinstance(c, str) else None) for a, c in used.itertuples(index=False)}
    rows: list[list[Any]] = [[st("Levels applied 所用水平", bold=True)],
                             _header_row(st, ("area", "level", "unit", "benchmark",
                                              "baseline", "status", "note"))]
    for area, level in report.catalogue.iter_levels():
        if (area.id, level.category) not in keys:
            continue
        status = level.status
        name = f"{area.name_zh} {level.name_zh}".strip()
        rows.append([area.id, _text(f"{name} ({level.category})" if level.category else name),
                     _text(area.unit), level.benchmark, level.baseline,
                     st(status, fill=STATUS_FILLS.get(status), bold=status != "confirmed"),
                     _text(level.note) or None])
    return rows


def _notes(report: Report) -> list[str]:
    t = report.summary.totals
    notes = []
    if t.unconfirmed_levels:
        notes.append(f"Some verdicts rest on levels that are not confirmed "
                     f"({', '.join(t.unconfirmed_levels)}; see the level status column and "
                     f"the Results sheet): {STATUS_NOTE}")
    notes.append(share_basis_note(report.summary))
    f = report.factors()
    notes.append(f"Savings are to the benchmark (or baseline) level, in tce; {f['source']} "
                 f"factors: 1 kgoe = {f['kgce_per_kgoe']} kgce, 1 kWh = {f['kgce_per_kwh']} "
                 f"kgce ({f['electricity']}). Below-baseline capacity must be upgraded or "
                 f"retired by {report.catalogue.deadline.isoformat()}.")
    notes.append(edition_note(report.catalogue))
    return notes


def _summary(wb: Workbook, report: Report) -> None:
    ws: Sheet = wb.create_sheet("Summary")
    st = Styler(ws)
    _widths(ws, (36, 26, 10, 8, 12, 12, 12, 12, 9, 9, 12, 11, 9, 20, 11, 16, 16, 16))
    _print_setup(ws)
    for row in _meta_rows(st, report):
        ws.append(row)
    ws.append([])
    s = report.summary
    ws.append([st(f"Summary by {s.group_by}", bold=True)])
    ws.append(_header_row(st, SUMMARY_HEADINGS))
    for g in _group_frame(report).to_dict("records"):
        ws.append(_group_cells(st, {str(k): v for k, v in g.items()}))
    ws.append(_totals_cells(st, s.totals))
    ws.append([])
    for note in _notes(report):
        ws.append([st(note, italic=True)])
    ws.append([])
    for row in _levels_rows(st, report):
        ws.append(row)


# --------------------------------------------------------------------------- Charts

def _chart(area: Area, first: int, rows: int, total: int, lo: float, hi: float,
           ws: Sheet, tiers: Sequence[str]) -> BarChart:
    """Bars of each line's value (coloured by tier) with the levels as dashed lines."""
    bar = BarChart()
    title = f"{area.name_zh} {area.name_en} ({area.unit})"
    if total > rows:
        title += f" — first {rows} of {total:,} lines"
    bar.title = title
    bar.y_axis.title = area.unit
    bar.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=first + rows - 1),
                 titles_from_data=True)
    cats = Reference(ws, min_col=1, min_row=first, max_row=first + rows - 1)
    bar.set_categories(cats)
    series = bar.series[0]
    # The bars take their tier's colour; the series itself (its legend key) is neutral.
    series.tx = SeriesLabel(v="能耗 value (colour = tier)")
    series.graphicalProperties.solidFill = "7F7F7F"
    for i, tier in enumerate(tiers):
        point = DataPoint(idx=i)
        point.graphicalProperties.solidFill = CHART_COLOURS.get(tier, "808080")
        series.dPt.append(point)
    levels = LineChart()
    levels.add_data(Reference(ws, min_col=3, max_col=4, min_row=first - 1,
                              max_row=first + rows - 1), titles_from_data=True)
    for line, colour in zip(levels.series, ("1A7F37", "CF222E"), strict=True):
        line.graphicalProperties.line.solidFill = colour
        line.graphicalProperties.line.dashStyle = "dash"
        line.graphicalProperties.line.width = 22000
        line.marker.symbol = "none"
        line.smooth = False
    vmin, vmax, step = nice_axis(lo, hi)
    bar.y_axis.scaling.min, bar.y_axis.scaling.max = vmin, vmax
    bar.y_axis.majorUnit = step
    bar.y_axis.number_format = "#,##0.0#" if step < 1 else "#,##0"
    bar.y_axis.delete = False
    bar.x_axis.delete = False
    bar.x_axis.tickLblPos = "low"
    bar += levels
    bar.legend.position = "b"
    bar.width, bar.height = 26, 11
    return bar


def _chart_block(st: Styler, area: Area, part: pd.DataFrame, start: int) -> int:
    """An area's data table and chart from row ``start``; returns the next free row."""
    from benchmark.report.model import records

    shown = part.head(MAX_CHART_POINTS)
    recs = records(shown[["enterprise", "line", "value", "benchmark", "baseline", "tier"]])
    ws = st.ws
    ws.append([st(_text(f"{area.name_zh} {area.name_en} ({area.unit})"), bold=True)])
    ws.append(_header_row(st, ("line", "value", "标杆 benchmark", "基准 baseline", "tier")))
    for r in recs:
        line = None if r["line"] is None else str(r["line"])
        ws.append([_text(short_label(str(r["enterprise"] or ""), line)),
                   *(st(r[k], fmt="#,##0.0#") for k in ("value", "benchmark", "baseline")),
                   st(f"{TIER_LABELS_ZH[r['tier']]} {r['tier']}",
                         fill=TIER_FILLS[r["tier"]])])
    values = [v for r in recs for v in (r["value"], r["benchmark"], r["baseline"])]
    chart = _chart(area, start + 2, len(recs), len(part), min(values), max(values), ws,
                   [r["tier"] for r in recs])
    ws.add_chart(chart, f"G{start}")
    used = len(recs) + 2
    for _ in range(max(used, 24) - used + 2):
        ws.append([])
    return start + max(used, 24) + 2


def _charts(wb: Workbook, report: Report) -> None:
    ws: Sheet = wb.create_sheet("Charts")
    st = Styler(ws)
    _widths(ws, (30, 12, 14, 14, 22))
    _print_setup(ws, fit_width=True)
    graded = report.graded
    graded = graded[graded["tier"].notna()] if "tier" in graded else graded.iloc[0:0]
    if not len(graded):
        ws.append(["No row could be graded; see the Problems sheet."])
        return
    row = 1
    for area in report.catalogue.areas:
        part = graded[graded["area"] == area.id]
        if len(part):
            row = _chart_block(st, area, part, row)


# --------------------------------------------------------------------------- Problems

PROBLEM_FIELDS = ("location", "code", "severity", "file", "sheet", "row", "column", "header",
                  "message")


def _problems(wb: Workbook, report: Report) -> None:
    import pandas as pd

    ws: Sheet = wb.create_sheet("Problems")
    st = Styler(ws)
    _widths(ws, (40, 8, 10, 30, 14, 8, 8, 16, 90))
    _print_setup(ws, header=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:I{len(report.problems) + 1}"
    ws.append(_header_row(st, PROBLEM_FIELDS))
    frame = pd.DataFrame([{"location": p.location, **p.as_dict()} for p in report.problems],
                         columns=list(PROBLEM_FIELDS), dtype=object)
    for rec in neutralise_frame(frame).to_dict("records"):
        values = [_clean(rec[f]) for f in PROBLEM_FIELDS]
        fill = SEVERITY_FILLS.get(str(rec["severity"]))
        values[2] = st(values[2], fill=fill, bold=True)
        ws.append(values)


def grade_xlsx(report: Report) -> bytes:
    """The grading report as an .xlsx workbook: Summary, Results, Charts and Problems."""
    wb = Workbook(write_only=True)
    _summary(wb, report)
    _results(wb, report)
    _charts(wb, report)
    _problems(wb, report)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

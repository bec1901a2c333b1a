"""Excel workbooks of ``track`` and ``lists``, written with XlsxWriter.

XlsxWriter writes in constant-memory mode (each row goes to a temporary file as it is
written), so a workbook of 200,000 lines needs no more memory than one of ten; native line
charts come with it. Every cell is written with its own type — text with ``write_string``,
never ``write``, which would turn ``=…`` into a formula or ``http…`` into a link — and input
text that starts like a formula is defused (:func:`benchmark.report.model.defuse`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from benchmark.i18n import N_, _
from benchmark.problems import Problem
from benchmark.report import labels, words
from benchmark.report.defuse import defuse
from benchmark.report.lists import LIST_HEADINGS, ListsReport, both, header_lines
from benchmark.report.model import plain, records
from benchmark.report.page import running_header
from benchmark.report.track import TREND_WORDS, TrackReport, footnotes, year_label
from benchmark.report.xlsx_cells import page_setup
from benchmark.report.xlsx_summary import BASIS_WORDS

OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
TIER_FILLS = {t: f"#{fill}" for t, fill in labels.TIER_FILLS.items()}
TIER_FONTS = {t: f"#{font}" for t, font in labels.TIER_FONTS.items()}
MAX_CELL_CHARS = 32_767
#: Input text of a line (the rest comes from the catalogue or the grader).
INPUT_TEXT = frozenset({"enterprise", "line", "region", "企业名称", "生产线/装置", "所在地区"})
TABLE_ROW = 4  # the header row of every table; title and notes above it


class Styles:
    """The formats of one workbook, made once."""

    def __init__(self, wb: Workbook) -> None:
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.note = wb.add_format({"font_color": "#59636E"})
        self.head = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.number = wb.add_format({"num_format": "#,##0.0##"})
        self.integer = wb.add_format({"num_format": "0"})
        self.percent = wb.add_format({"num_format": "0.0%"})
        self.late = wb.add_format({"font_color": "#9C0006", "bold": True})
        self.tier = {
            t: wb.add_format({"bg_color": TIER_FILLS[t], "font_color": TIER_FONTS[t]})
            for t in TIER_FILLS
        }
        self.tier_number = {
            t: wb.add_format(
                {"bg_color": TIER_FILLS[t], "num_format": "#,##0.0##", "font_color": TIER_FONTS[t]}
            )
            for t in TIER_FILLS
        }


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """One cell with its own type: a number, a blank, or text (cleaned, at most 32,767
    characters; never a formula)."""
    value = plain(value)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_CHARS]
        ws.write_string(row, col, text, fmt)


def _titled(ws: Worksheet, st: Styles, title: str, notes: Sequence[str]) -> None:
    put(ws, 0, 0, title, st.title)
    for i, note in enumerate(notes[: TABLE_ROW - 1], start=1):
        put(ws, i, 0, note, st.note)


def _header(ws: Worksheet, st: Styles, headings: Sequence[str], widths: Sequence[float]) -> None:
    for col, (name, width) in enumerate(zip(headings, widths, strict=True)):
        ws.set_column(col, col, width)
        put(ws, TABLE_ROW, col, name, st.head)
    ws.freeze_panes(TABLE_ROW + 1, 0)


def _problems_sheet(wb: Workbook, st: Styles, problems: Sequence[Problem], running: str) -> None:
    if not problems:
        return
    ws = wb.add_worksheet("Problems")
    _titled(
        ws,
        st,
        _("Problems"),
        [_("{n} problem(s) in the input").format(n=f"{len(problems):,}")],
    )
    heads = [_("Location"), _("Code"), _("Severity"), _("Message")]
    _header(ws, st, heads, [40, 8, 10, 100])
    page_setup(ws, header_rows=TABLE_ROW + 1, running=running)
    for r, p in enumerate(problems, start=TABLE_ROW + 1):
        for c, value in enumerate((p.location, p.code, words.severity_word(p.severity), p.say())):
            put(ws, r, c, value)


# --------------------------------------------------------------------------- track

#: The Lines sheet's columns before the years, their headings and widths.
LINE_HEADINGS = (
    ("enterprise", words.HEADINGS["enterprise"], 24),
    ("line", words.HEADINGS["line"], 14),
    ("area", words.HEADINGS["area"], 14),
    ("category", words.HEADINGS["category"], 14),
    ("region", words.HEADINGS["region"], 10),
    ("unit", words.HEADINGS["unit"], 10),
    ("benchmark", words.HEADINGS["benchmark"], 11),
    ("baseline", words.HEADINGS["baseline"], 11),
)
#: … and after them.
TAIL_HEADINGS = (
    ("latest_year", N_("Latest year"), 10),
    ("latest_value", N_("Latest value"), 12),
    ("latest_tier", N_("Latest tier"), 14),
    ("change_per_year", N_("Change per year"), 11),
    ("trend", N_("Trend"), 11),
    ("reached_benchmark_in", N_("Benchmark in"), 12),
    ("deadline_status", N_("Deadline status"), 12),
    ("projected_baseline_year", N_("→ baseline"), 12),
    ("projected_benchmark_year", N_("→ benchmark"), 12),
)


def year_grid(lines: Any) -> tuple[list[int | None], Any, Any]:
    """Each line's values and tiers spread over one column per year (undated first):
    the distinct years, a value matrix (NaN where none) and a tier matrix (None)."""
    if not len(lines):
        return [], np.empty((0, 0)), np.empty((0, 0), dtype=object)
    years = pa.array(lines["years"].array)
    values = pa.array(lines["values"].array)
    tiers = pa.array(lines["tiers"].array)
    parent = pc.list_parent_indices(years).to_numpy(zero_copy_only=False)
    flat_years = pc.list_flatten(years).to_numpy(zero_copy_only=False)
    keys = np.where(np.isnan(flat_years.astype("float64")), -1, flat_years).astype(np.int64)
    distinct, column = np.unique(keys, return_inverse=True)
    grid = np.full((len(lines), len(distinct)), np.nan)
    grid[parent, column] = pc.list_flatten(values).to_numpy(zero_copy_only=False)
    tier_grid = np.full((len(lines), len(distinct)), None, dtype=object)
    tier_grid[parent, column] = pc.list_flatten(tiers).to_numpy(zero_copy_only=False)
    return [None if y < 0 else int(y) for y in distinct], grid, tier_grid


def _lines_sheet(wb: Workbook, st: Styles, report: TrackReport) -> None:
    ws = wb.add_worksheet("Lines")
    cat = report.catalogue
    _titled(
        ws,
        st,
        _("Lines year on year"),
        [
            *footnotes(report)[:1],
            f"{cat.title_zh if words.zh() else cat.title_en} ({cat.document})",
        ],
    )
    lines = report.tracking.lines
    years, grid, tiers = year_grid(lines)
    names = {a.id: words.area_name(a) for a in report.catalogue.areas}
    heads = [
        *((f, _(h), w) for f, h, w in LINE_HEADINGS),
        *((None, year_label(y), 9) for y in years),
        *((f, _(h), w) for f, h, w in TAIL_HEADINGS),
    ]
    _header(ws, st, [h for _f, h, _w in heads], [w for *_f, w in heads])
    page_setup(ws, header_rows=TABLE_ROW + 1, running=_running(report))
    for i, row in enumerate(records(lines.drop(columns=["years", "values", "tiers"]))):
        r = TABLE_ROW + 1 + i
        area = report.catalogue.area(row["area"])
        row["category"] = words.category_name(area, row["category"])
        row["area"] = names.get(row["area"], row["area"])
        for c, (name, _h, _w) in enumerate(LINE_HEADINGS):
            value = row[name]
            put(
                ws,
                r,
                c,
                defuse(value) if name in INPUT_TEXT else value,
                st.number if name in ("benchmark", "baseline") else None,
            )
        for k in np.flatnonzero(~np.isnan(grid[i])).tolist():  # write_number: 5M cells
            ws.write_number(
                r, len(LINE_HEADINGS) + k, grid[i, k], st.tier_number.get(tiers[i, k] or "")
            )
        _tail(ws, st, r, len(LINE_HEADINGS) + len(years), row)
    ws.autofilter(TABLE_ROW, 0, TABLE_ROW + max(len(lines), 1), len(heads) - 1)


def _tail(ws: Worksheet, st: Styles, r: int, start: int, row: dict[str, Any]) -> None:
    for c, (name, _h, _w) in enumerate(TAIL_HEADINGS, start=start):
        value = row[name]
        fmt = None
        if name == "latest_tier" and value:
            fmt, value = st.tier.get(value), words.tier_word(value)
        elif name in ("latest_value", "change_per_year"):
            fmt = st.number
        elif name == "deadline_status" and value:
            fmt = st.late if value in ("missed", "unknown") else None
            value = words.deadline_word(value)
        elif name == "trend" and value:
            value = _(TREND_WORDS.get(value, value))
        put(ws, r, c, value, fmt)


BY_YEAR_HEADINGS = (
    ("year", words.HEADINGS["year"], 9),
    ("name", words.HEADINGS["area"], 22),
    ("rows", N_("Rows"), 8),
    ("benchmark", words.TIER_WORDS["benchmark"], 10),
    ("between", words.TIER_WORDS["between"], 10),
    ("below_baseline", words.TIER_WORDS["below_baseline"], 10),
    ("share_at_benchmark", N_("Share at benchmark"), 12),
    ("share_basis", N_("Share basis"), 10),
    ("target_share", N_("2025 target"), 10),
)


def _by_year_sheet(wb: Workbook, st: Styles, report: TrackReport) -> dict[str, tuple[int, int]]:
    """Tiers and shares per area and year; returns each area's first and last row."""
    ws = wb.add_worksheet("By year")
    _titled(ws, st, _("Share at benchmark by area and year"), footnotes(report)[:1])
    _header(ws, st, [_(h) for _f, h, _w in BY_YEAR_HEADINGS], [w for *_f, w in BY_YEAR_HEADINGS])
    page_setup(ws, header_rows=TABLE_ROW + 1, running=_running(report))
    spans: dict[str, tuple[int, int]] = {}
    for i, row in enumerate(records(report.tracking.by_year)):
        r = TABLE_ROW + 1 + i
        row["year"] = year_label(row["year"]) if row["year"] is None else row["year"]
        row["name"] = words.area_name(report.catalogue.area(row["area"]))
        row["share_basis"] = _(BASIS_WORDS.get(row["share_basis"], row["share_basis"]))
        for c, (name, _h, _w) in enumerate(BY_YEAR_HEADINGS):
            fmt = st.percent if name in ("share_at_benchmark", "target_share") else None
            put(ws, r, c, row[name], fmt)
        first = spans.get(row["area"], (r, r))[0]
        spans[row["area"]] = (first, r)
    return spans


def _charts_sheet(wb: Workbook, report: TrackReport, spans: dict[str, tuple[int, int]]) -> None:
    """A line chart per area: share at benchmark by year, the target as a dashed line."""
    if not spans:
        return
    ws = wb.add_worksheet("Charts")
    page_setup(ws, running=_running(report))  # a page holds four charts, two by two
    for n, (area_id, (first, last)) in enumerate(spans.items()):
        area = report.catalogue.area(area_id)
        chart = wb.add_chart({"type": "line"})
        assert chart is not None
        for col, name, line in (
            (6, _("Share at benchmark"), {"color": "#0969DA", "width": 2.5}),
            (8, _("2025 target"), {"color": "#1F2328", "dash_type": "dash"}),
        ):
            chart.add_series(
                {
                    "name": name,
                    "categories": ["By year", first, 0, last, 0],
                    "values": ["By year", first, col, last, col],
                    "line": line,
                    "marker": {"type": "circle"} if col == 6 else {"type": "none"},
                }
            )
        chart.set_title(
            {"name": _("{area}: share at benchmark").format(area=words.area_name(area))}
        )
        chart.set_y_axis({"num_format": "0%", "min": 0})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 560, "height": 300})
        ws.insert_chart(1 + (n // 2) * 16, (n % 2) * 9, chart)


def track_xlsx(report: TrackReport) -> Callable[[BinaryIO], None]:
    """The tracking workbook: Lines (a column per year, tier colours), By year (shares per
    area and year), Charts (a line chart per area), Problems."""

    def write(fh: BinaryIO) -> None:
        wb = Workbook(fh, OPTIONS)
        st = Styles(wb)
        _lines_sheet(wb, st, report)
        _charts_sheet(wb, report, _by_year_sheet(wb, st, report))
        _problems_sheet(wb, st, report.problems, _running(report))
        wb.close()

    return write


def _running(report: TrackReport | ListsReport) -> str:
    """The page header of every printed sheet: catalogue, edition, reporting date."""
    return running_header(report.catalogue, report.as_of.isoformat())


# --------------------------------------------------------------------------- lists

LIST_WIDTHS = {
    "seq": 6,
    "enterprise": 28,
    "region": 10,
    "line": 14,
    "area": 14,
    "category": 16,
    "value": 11,
    "unit": 10,
    "benchmark": 10,
    "baseline": 10,
    "capacity": 12,
    "year": 9,
    "deadline_status": 30,
}


#: Sheet names of the lists (Excel allows 31 characters).
LIST_SHEETS = {"advanced": N_("Advanced list"), "lagging": N_("Lagging list")}


def _list_sheet(
    wb: Workbook, st: Styles, report: ListsReport, which: str, title: str, frame: Any
) -> None:
    ws = wb.add_worksheet(_(LIST_SHEETS[which])[:31])
    heads = list(frame.columns)
    ws.merge_range(0, 0, 0, len(heads) - 1, title, st.title)
    for i, note in enumerate(header_lines(report), start=1):
        put(ws, i, 0, note, st.note)
    fields = {_(h): f for f, h in LIST_HEADINGS.items()}
    _header(ws, st, heads, [LIST_WIDTHS.get(fields.get(h, ""), 12) for h in heads])
    numeric = {
        _(LIST_HEADINGS[f]): st.number for f in ("value", "benchmark", "baseline", "capacity")
    } | {_(LIST_HEADINGS[f]): st.integer for f in ("seq", "year")}
    for i, row in enumerate(frame.itertuples(index=False, name=None)):
        for c, (name, value) in enumerate(zip(heads, row, strict=True)):
            put(ws, TABLE_ROW + 1 + i, c, value, numeric.get(name))
    if not len(frame):
        put(ws, TABLE_ROW + 1, 0, _("(none)"))
    page_setup(ws, header_rows=TABLE_ROW + 1, running=_running(report))


def lists_xlsx(report: ListsReport) -> Callable[[BinaryIO], None]:
    """Both lists, one sheet each titled as published, date and edition above the table."""

    def write(fh: BinaryIO) -> None:
        wb = Workbook(fh, OPTIONS)
        st = Styles(wb)
        for which, title, frame in both(report):
            _list_sheet(wb, st, report, which, title, frame)
        _problems_sheet(wb, st, report.problems, _running(report))
        wb.close()

    return write

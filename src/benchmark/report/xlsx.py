"""Excel: the workbook a consultant hands to a client — Summary, Results, Charts, Levels,
Problems — in the reader's language, set up to print.

xlsxwriter writes the workbook (``constant_memory``: rows go to disk as they are written) and
its small sheets; the rows of the Results sheet, most of the file, are made column-wise by
Arrow and spliced in (:mod:`benchmark.report.xlsx_rows`), so a 50,000-row report costs about
what the CSV of it costs. Every text cell is defused against formula injection
(:func:`benchmark.report.defuse.defuse_table`), and text is always written as text: a
string that starts with ``=`` or looks like a link is never turned into a formula or a link.

The Results sheet is for people and for programs: its visible header row and its words
(tiers, statuses, area and category names) are in the reader's language, and the row above
it, hidden, holds the contract's field names (``enterprise``, ``tier`` …), so that a program
reading the sheet finds its columns whatever the language (:func:`read_results`). The
columns a reader needs are shown; the location and raw input columns are grouped and folded
away (a click on ``+`` shows them), so that the sheet prints one page wide and legible.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import xlsxwriter
from rich.cells import cell_len
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from benchmark.i18n import LANGUAGES, in_language
from benchmark.readers.table import column_letter
from benchmark.report.defuse import defuse_table
from benchmark.report.html import running_header
from benchmark.report.labels import TIER_FILLS, TIER_FONTS, TIERS
from benchmark.report.model import Report, results_table
from benchmark.report.words import (
    DEADLINE_WORDS,
    STATUS_WORDS,
    TIER_WORDS,
    area_names,
    category_names,
    heading,
    status_word,
    tier_word,
    words_of,
)
from benchmark.report.xlsx_cells import (
    GREEN,
    HEADER_FILL,
    RED,
    STATUS_FILLS,
    YELLOW,
    Styles,
    header_row,
    page_setup,
    put_row,
)
from benchmark.report.xlsx_charts import area_charts
from benchmark.report.xlsx_rows import (
    ColumnStyle,
    SheetRows,
    probe_styles,
    sheet_paths,
    splice,
)
from benchmark.report.xlsx_summary import (
    PROBLEM_FIELDS,
    levels_sheet,
    problems_sheet,
    summary_sheet,
)

if TYPE_CHECKING:
    import pandas as pd

    from benchmark.catalogue import Catalogue

__all__ = [
    "GREEN",
    "HEADER_FILL",
    "HEADER_ROWS",
    "MAX_SHEET_ROWS",
    "PROBLEM_FIELDS",
    "RED",
    "STATUS_FILLS",
    "TIER_FILLS",
    "YELLOW",
    "grade_xlsx",
    "read_results",
]

#: Rows above the data of a Results sheet: the field names (hidden), then the headings.
HEADER_ROWS = 2
#: Data rows per Results sheet: Excel's limit less the header rows. More spill to "Results 2".
MAX_SHEET_ROWS = 1_048_576 - HEADER_ROWS
#: Rows made into sheet XML at a time (see :data:`benchmark.report.xlsx_rows.SLICE_ROWS`).
CHUNK_ROWS = 32_768
#: Lines drawn per area chart.
MAX_CHART_POINTS = 50
#: Columns a reader of the printed sheet does not need: grouped and folded away, not lost.
FOLDED = frozenset(
    {
        "file",
        "sheet",
        "row",
        "gap_to_baseline",
        "gap_to_baseline_pct",
        "saving_to_benchmark",
        "saving_to_baseline",
        "saving_unit",
        "saving_to_baseline_tce",
        "deadline",
        "input_value",
        "input_unit",
    }
)
#: The columns shown in words, and the words of each (ids stay in the hidden header's
#: machine-readable twin: the JSON, CSV and JSON Lines outputs).
WORDS: dict[str, dict[str, str]] = {
    "tier": TIER_WORDS,
    "level_status": STATUS_WORDS,
    "deadline_status": DEADLINE_WORDS,
}

#: Number formats of the Results columns (others are General).
NUMBER_FORMATS: dict[str, str] = {
    "row": "0",
    "year": "0",
    **{
        c: "#,##0.0#"
        for c in ("value", "benchmark", "baseline", "gap_to_benchmark", "gap_to_baseline")
    },
    "gap_to_benchmark_pct": '0.0"%"',
    "gap_to_baseline_pct": '0.0"%"',
    "score": "0.0",
    **{c: "#,##0" for c in ("output", "capacity", "saving_to_benchmark", "saving_to_baseline")},
    "saving_to_benchmark_tce": "#,##0.0",
    "saving_to_baseline_tce": "#,##0.0",
}


# --------------------------------------------------------------------------- Results


def in_words(report: Report, frame: pd.DataFrame) -> pd.DataFrame:
    """The results as a reader sees them: area and category names, tiers and statuses in
    words (each looked up once per distinct value)."""
    cat = report.catalogue
    changed: dict[str, Any] = {}
    if "area" in frame.columns:
        changed["area"] = area_names(cat, frame["area"])
        if "category" in frame.columns:
            changed["category"] = category_names(cat, frame["area"], frame["category"])
    for name, words in WORDS.items():
        if name in frame.columns:
            changed[name] = words_of(frame[name], words)
    return frame.assign(**changed) if changed else frame


#: Text columns that wrap within their width (a long enterprise or category name stays whole
#: on paper), and the width they wrap at.
WRAPPED: dict[str, int] = {"enterprise": 22, "line": 14, "area": 14, "category": 20, "unit": 12}


def _result_widths(frame: pd.DataFrame) -> list[float]:
    """Widths from the heading and the first rows' values as they are shown (a Chinese
    character is two columns wide; a number with its separators and two decimals), at
    least 6 characters; wrapped columns at most their wrapping width, others at most 36.
    Headings wrap onto two lines."""
    sample = frame.head(200)
    widths = []
    for name in frame.columns:
        values = sample[name].dropna().tolist()
        if name in NUMBER_FORMATS:
            shown = [f"{v:,.2f}" if isinstance(v, float) else f"{v:,}" for v in values]
        else:
            shown = [str(v) for v in values]
        longest = max((cell_len(v) for v in shown), default=0)
        head = cell_len(heading(str(name)))
        cap = WRAPPED.get(str(name), 36)
        widths.append(float(min(max(math.ceil(head / 2) + 2, longest + 2, 6), cap)))
    return widths


@dataclass(frozen=True)
class Probe:
    """A probe cell: which column's style it shows, for which key (tier or status)."""

    column: int
    key: str | None


def _probe_plan(columns: Sequence[str], st: Styles) -> list[list[tuple[Probe, Format | None]]]:
    """The probe rows of a Results sheet: one cell of each style its rows need."""
    base = [
        (Probe(i, None), st.format(NUMBER_FORMATS.get(c), wrap=c in WRAPPED))
        for i, c in enumerate(columns)
    ]
    rows: list[list[tuple[Probe, Format | None]]] = [base]
    for tier in (*TIERS, "to_check"):
        row = []
        if "value" in columns:
            row.append(
                (
                    Probe(columns.index("value"), tier),
                    st.format(NUMBER_FORMATS["value"], TIER_FILLS[tier]),
                )
            )
        if "tier" in columns:
            row.append(
                (
                    Probe(columns.index("tier"), tier),
                    st.format(None, TIER_FILLS[tier], True, TIER_FONTS[tier]),
                )
            )
        rows.append(row)
    if "level_status" in columns:  # a row each: they share a column
        rows += [
            [(Probe(columns.index("level_status"), s), st.format(None, f, True))]
            for s, f in STATUS_FILLS.items()
        ]
    return rows


def _write_probes(ws: Any, plan: list[list[tuple[Probe, Format | None]]]) -> dict[str, Probe]:
    """Write the probe rows below the header rows; → cell reference of each probe."""
    refs = {}
    for r, row in enumerate(plan, HEADER_ROWS):
        for probe, fmt in row:
            ws.write_number(r, probe.column, 0, fmt)
            refs[f"{column_letter(probe.column)}{r + 1}"] = probe
    return refs


#: The column whose value keys a column's style, and how a key is said there.
KEYED: dict[str, tuple[str, Callable[[Any], str]]] = {
    "value": ("tier", tier_word),
    "tier": ("tier", tier_word),
    "level_status": ("level_status", status_word),
}


def _column_styles(
    columns: Sequence[str], found: dict[str, int | None], refs: dict[str, Probe]
) -> list[ColumnStyle]:
    """Each column's style from the indices the probe cells received; a keyed column's
    style follows the words its key column shows (the tier of the row)."""
    base: dict[int, int | None] = {}
    keyed: dict[int, dict[str, int]] = {}
    for ref, probe in refs.items():
        index = found.get(ref)
        if probe.key is None:
            base[probe.column] = index
        elif index is not None:
            said = KEYED[columns[probe.column]][1](probe.key)
            keyed.setdefault(probe.column, {})[said] = index
    return [
        ColumnStyle(base.get(i), KEYED[c][0] if i in keyed else None, keyed.get(i))
        for i, c in enumerate(columns)
    ]


@dataclass(frozen=True)
class ResultsPart:
    """One Results sheet before its rows are spliced in."""

    title: str
    start: int
    count: int
    probes: dict[str, Probe]


def _results_sheet(
    wb: Workbook,
    st: Styles,
    title: str,
    columns: Sequence[str],
    widths: Sequence[float],
    count: int,
    running: str,
) -> dict[str, Probe]:
    """A Results sheet: the field names (hidden), the headings (frozen, filtered, printed
    atop every page), the folded columns, print setup and probe rows."""
    ws = wb.add_worksheet(title)
    for i, (name, width) in enumerate(zip(columns, widths, strict=True)):
        folded = {"level": 1, "hidden": True} if name in FOLDED else {}
        ws.set_column(i, i, width, None, folded)
    ws.set_row(0, None, None, {"hidden": True})
    heading_lines = max(
        (
            math.ceil(cell_len(heading(c)) / max(w - 1, 1))
            for c, w in zip(columns, widths, strict=True)
        ),
        default=1,
    )
    ws.set_row(1, 15 * max(heading_lines, 1) + 2)
    page_setup(ws, header_rows=HEADER_ROWS, running=running)
    ws.freeze_panes(HEADER_ROWS, 0)
    ws.autofilter(1, 0, count + 1, max(len(columns) - 1, 0))
    put_row(ws, 0, list(columns))
    put_row(ws, 1, header_row(st, [heading(c) for c in columns]))
    return _write_probes(ws, _probe_plan(columns, st))


def _results(wb: Workbook, st: Styles, frame: pd.DataFrame, running: str) -> list[ResultsPart]:
    """Every result row, with contract columns first; spills onto further sheets past Excel's
    row limit rather than losing rows."""
    widths = _result_widths(frame)
    columns = [str(c) for c in frame.columns]
    total = len(frame)
    parts = []
    for n in range(max(1, math.ceil(total / MAX_SHEET_ROWS))):
        start = n * MAX_SHEET_ROWS
        count = min(MAX_SHEET_ROWS, total - start)
        title = "Results" if n == 0 else f"Results {n + 1}"
        probes = _results_sheet(wb, st, title, columns, widths, count, running)
        parts.append(ResultsPart(title, start, count, probes))
    return parts


# --------------------------------------------------------------------------- workbook


def _rows_of(frame: pd.DataFrame, parts: list[ResultsPart], book: bytes) -> dict[str, SheetRows]:
    """Each Results sheet's table, with the styles its probe cells received and its wrapped
    columns' widths (the rows' heights follow from them)."""
    table = defuse_table(results_table(frame))
    columns = [str(c) for c in frame.columns]
    widths = _result_widths(frame)
    wrapped = {i: widths[i] for i, c in enumerate(columns) if c in WRAPPED}
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        paths = sheet_paths(z)
        found = {p.title: probe_styles(z.read(paths[p.title])) for p in parts}
    return {
        p.title: SheetRows(
            table.slice(p.start, p.count),
            _column_styles(columns, found[p.title], p.probes),
            wrapped,
        )
        for p in parts
    }


def _workbook(report: Report, frame: pd.DataFrame) -> tuple[bytes, list[ResultsPart]]:
    """Everything but the Results rows, written by xlsxwriter."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    st = Styles(wb)
    running = running_header(report.catalogue, report.as_of.isoformat())
    summary_sheet(wb, st, report, running)
    parts = _results(wb, st, frame, running)
    area_charts(wb, st, report, MAX_CHART_POINTS, running)
    levels_sheet(wb, st, report, running)
    problems_sheet(wb, st, report, running)
    wb.close()
    return buf.getvalue(), parts


def grade_xlsx(report: Report) -> bytes:
    """The grading report as an .xlsx workbook: Summary, Results, Charts, Levels (those the
    verdicts rest on) and Problems."""
    frame = in_words(report, report.results())
    book, parts = _workbook(report, frame)
    out = io.BytesIO()
    splice(book, _rows_of(frame, parts, book), out, header_rows=HEADER_ROWS, make=_slices)
    return out.getvalue()


def _slices(part: SheetRows) -> Iterator[bytes]:
    from benchmark.report.xlsx_rows import iter_rows_xml

    return iter_rows_xml(part, HEADER_ROWS + 1, CHUNK_ROWS)


def read_results(path: Any, catalogue: Catalogue, sheet: str = "Results") -> pd.DataFrame:
    """A Results sheet read back as the results table: columns by the hidden field names,
    and the words and names of either language back to the contract's ids (looked up once
    per distinct value) — the round trip of the workbook, as a program would make it."""
    import pandas as pd

    frame = pd.read_excel(path, sheet_name=sheet, header=0, skiprows=[1], engine="openpyxl")
    for name, words in WORDS.items():
        if name in frame.columns:
            back = {in_language(lang, w): key for key, w in words.items() for lang in LANGUAGES}
            frame[name] = _back(frame[name], back)
    if "area" in frame.columns:
        ids = {n: a.id for a in catalogue.areas for n in (a.name_zh, a.name_en)}
        frame["area"] = _back(frame["area"], ids)
        if "category" in frame.columns:
            for area in catalogue.areas:
                rows = frame["area"] == area.id
                if rows.any() and len(area.levels) > 1:
                    names = {n: lv.category for lv in area.levels for n in (lv.name_zh, lv.name_en)}
                    frame.loc[rows, "category"] = _back(frame.loc[rows, "category"], names)
    return frame


def _back(column: pd.Series, ids: dict[str, Any]) -> pd.Series:
    """Words back to ids (a value without one stays as it is)."""
    return column.map(ids).where(column.isin(list(ids)), column)

"""Excel: the workbook a consultant hands to a client — Summary, Results, Charts, Problems.

xlsxwriter writes the workbook (``constant_memory``: rows go to disk as they are written) and
its small sheets; the rows of the Results sheet, most of the file, are made column-wise by
Arrow and spliced in (:mod:`benchmark.report.xlsx_rows`), so a 50,000-row report costs about
what the CSV of it costs. Every text cell is defused against formula injection
(:func:`benchmark.report.model.defuse_table`), and text is always written as text: a
string that starts with ``=`` or looks like a link is never turned into a formula or a link.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from benchmark._version import __version__
from benchmark.report.defuse import defuse_frame, defuse_table
from benchmark.report.labels import (
    STATUS_NOTE,
    TIER_FILLS,
    TIER_FONTS,
    TIERS,
    ceiling,
    edition_note,
    national_2020,
)
from benchmark.report.model import Report, results_table, share_basis_note
from benchmark.report.xlsx_cells import (
    GREEN,
    HEADER_FILL,
    PAPER_A4,
    RED,
    SEVERITY_FILLS,
    STATUS_FILLS,
    YELLOW,
    Styled,
    Styles,
    header_row,
    page_setup,
    put_row,
)
from benchmark.report.xlsx_cells import text as _text
from benchmark.report.xlsx_charts import area_charts, share_chart
from benchmark.report.xlsx_rows import (
    ColumnStyle,
    SheetRows,
    column_letter,
    probe_styles,
    sheet_paths,
    splice,
)
from benchmark.results import AreaSummary, Totals

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GREEN",
    "HEADER_FILL",
    "MAX_SHEET_ROWS",
    "PROBLEM_FIELDS",
    "RED",
    "STATUS_FILLS",
    "TIER_FILLS",
    "YELLOW",
    "grade_xlsx",
]

#: Data rows per Results sheet: Excel's limit less the header row. More spill to "Results 2".
MAX_SHEET_ROWS = 1_048_575
#: Rows made into sheet XML at a time (see :data:`benchmark.report.xlsx_rows.SLICE_ROWS`).
CHUNK_ROWS = 32_768
#: Lines drawn per area chart.
MAX_CHART_POINTS = 50

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
PERCENT = "0.0%"


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


@dataclass(frozen=True)
class Probe:
    """A probe cell: which column's style it shows, for which key (tier or status)."""

    column: int
    key: str | None


def _probe_plan(columns: Sequence[str], st: Styles) -> list[list[tuple[Probe, Format | None]]]:
    """The probe rows of a Results sheet: one cell of each style its rows need."""
    base = [(Probe(i, None), st.format(NUMBER_FORMATS.get(c))) for i, c in enumerate(columns)]
    rows: list[list[tuple[Probe, Format | None]]] = [base]
    for tier in TIERS:
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


def _write_probes(ws: Worksheet, plan: list[list[tuple[Probe, Format | None]]]) -> dict[str, Probe]:
    """Write the probe rows below the header; → cell reference of each probe."""
    refs = {}
    for r, row in enumerate(plan, 1):
        for probe, fmt in row:
            ws.write_number(r, probe.column, 0, fmt)
            refs[f"{column_letter(probe.column)}{r + 1}"] = probe
    return refs


def _column_styles(
    columns: Sequence[str], found: dict[str, int | None], refs: dict[str, Probe]
) -> list[ColumnStyle]:
    """Each column's style from the indices the probe cells received."""
    base: dict[int, int | None] = {}
    keyed: dict[int, dict[str, int]] = {}
    for ref, probe in refs.items():
        index = found.get(ref)
        if probe.key is None:
            base[probe.column] = index
        elif index is not None:
            keyed.setdefault(probe.column, {})[probe.key] = index
    key_column = {"value": "tier", "tier": "tier", "level_status": "level_status"}
    return [
        ColumnStyle(base.get(i), key_column.get(c) if i in keyed else None, keyed.get(i))
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
) -> dict[str, Probe]:
    """A Results sheet with its header (frozen, filtered), print setup and probe rows."""
    ws = wb.add_worksheet(title)
    for i, width in enumerate(widths):
        ws.set_column(i, i, width)
    page_setup(ws, header_rows=1)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, count, max(len(columns) - 1, 0))
    put_row(ws, 0, header_row(st, columns))
    return _write_probes(ws, _probe_plan(columns, st))


def _results(wb: Workbook, st: Styles, frame: pd.DataFrame) -> list[ResultsPart]:
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
        parts.append(
            ResultsPart(title, start, count, _results_sheet(wb, st, title, columns, widths, count))
        )
    return parts


# --------------------------------------------------------------------------- Summary


def _meta_rows(st: Styles, report: Report) -> list[list[Any]]:
    cat = report.catalogue
    errors = sum(p.severity == "error" for p in report.problems)
    graded = int(report.graded["tier"].notna().sum()) if "tier" in report.graded else 0
    pairs: list[tuple[str, Any]] = [
        ("Document 文号", cat.document),
        ("Edition 版本", cat.edition),
        ("Effective 实施", cat.effective.isoformat()),
        ("Deadline for below-baseline capacity", cat.deadline.isoformat()),
        ("Catalogue sha256", cat.sha256[:12]),
        ("Input files", "; ".join(report.files)),
        (
            "Rows",
            f"{report.rows_total:,} read, {graded:,} graded, {errors:,} error(s), "
            f"{len(report.problems) - errors:,} warning(s)",
        ),
        ("Generated by", f"benchmark {__version__}"),
    ]
    return [[st(_text(cat.title_zh), bold=True)], [st(_text(cat.title_en), italic=True)], []] + [
        [st(k, bold=True), _text(v)] for k, v in pairs
    ]


def _group_frame(report: Report) -> pd.DataFrame:
    """The per-group table as a frame, so that its text is defused like the results."""
    import pandas as pd

    rows = []
    for g in report.summary.groups:
        area = g if isinstance(g, AreaSummary) else None
        rows.append(
            {
                "group": g.group,
                "name": f"{area.name_zh} {area.name_en}" if area else "",
                "unit": area.unit if area else None,
                "rows": g.rows,
                "benchmark": g.benchmark,
                "between": g.between,
                "below_baseline": g.below_baseline,
                "share_at_benchmark": g.share_at_benchmark,
                "target": area.target_share if area else None,
                "meets_target": area.meets_target if area else None,
                "share_below_baseline": g.share_below_baseline,
                "ceiling": ceiling(area.target_below_baseline) if area else None,
                "meets_ceiling": area.meets_below_baseline_target if area else None,
                "national_2020": national_2020(g) if area else None,
                "basis": g.share_basis,
                "saving_to_benchmark_tce": g.saving_to_benchmark_tce,
                "saving_to_baseline_tce": g.saving_to_baseline_tce,
                "levels": ", ".join(g.unconfirmed_levels) or "confirmed",
            }
        )
    return defuse_frame(pd.DataFrame(rows, dtype=object))


SUMMARY_HEADINGS = (
    "group",
    "name",
    "unit",
    "rows",
    "标杆 benchmark",
    "基准–标杆 between",
    "低于基准 below baseline",
    "share at benchmark",
    "target",
    "meets target",
    "share below baseline",
    "ceiling below baseline",
    "meets ceiling",
    "national 2020 (at benchmark / below baseline)",
    "share basis",
    "saving to benchmark (tce)",
    "saving to baseline (tce)",
    "level status",
)
#: Columns of the summary table the share chart reads: name, share at benchmark, target.
NAME_COL, SHARE_COL, TARGET_COL = 1, 7, 8


def _group_cells(st: Styles, g: dict[str, Any]) -> list[Any]:
    """One group's row: shares as percentages, the share green or red against the target."""
    meets = g["meets_target"]
    fill = GREEN if meets is True else (RED if meets is False else None)
    levels = g["levels"]
    return [
        st(g["group"], bold=True),
        g["name"],
        g["unit"],
        g["rows"],
        *(st(g[str(t)], colour=TIER_FONTS[t]) for t in TIERS),
        st(g["share_at_benchmark"], fmt=PERCENT, fill=fill, bold=True),
        st(g["target"], fmt=PERCENT),
        _yes_no(meets),
        st(g["share_below_baseline"], fmt=PERCENT),
        g["ceiling"],
        _yes_no(g["meets_ceiling"]),
        g["national_2020"],
        g["basis"],
        st(g["saving_to_benchmark_tce"], fmt="#,##0.0"),
        st(g["saving_to_baseline_tce"], fmt="#,##0.0"),
        st(
            levels,
            fill=None
            if levels == "confirmed"
            else STATUS_FILLS.get(levels.split(",")[-1].strip(), STATUS_FILLS["corroborated"]),
        ),
    ]


def _yes_no(value: Any) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _totals_cells(st: Styles, t: Totals) -> list[Any]:
    def bold(value: Any, fmt: str | None = None) -> Styled:
        return st(value, fmt=fmt, bold=True)

    return [
        bold("total"),
        None,
        None,
        bold(t.rows),
        bold(t.benchmark),
        bold(t.between),
        bold(t.below_baseline),
        bold(t.share_at_benchmark, PERCENT),
        None,
        None,
        bold(t.share_below_baseline, PERCENT),
        None,
        None,
        None,
        t.share_basis,
        bold(t.saving_to_benchmark_tce, "#,##0.0"),
        bold(t.saving_to_baseline_tce, "#,##0.0"),
        ", ".join(t.unconfirmed_levels) or None,
    ]


def _levels_rows(st: Styles, report: Report) -> list[list[Any]]:
    """The catalogue levels the verdicts rest on, with their status and note."""
    graded = report.graded
    if "tier" not in graded or not graded["tier"].notna().any():
        return []
    used = graded[graded["tier"].notna()][["area", "category"]].drop_duplicates()
    keys = {(a, c if isinstance(c, str) else None) for a, c in used.itertuples(index=False)}
    rows: list[list[Any]] = [
        [st("Levels applied 所用水平", bold=True)],
        header_row(st, ("area", "level", "unit", "benchmark", "baseline", "status", "note")),
    ]
    for area, level in report.catalogue.iter_levels():
        if (area.id, level.category) not in keys:
            continue
        status = level.status
        name = f"{area.name_zh} {level.name_zh}".strip()
        rows.append(
            [
                area.id,
                _text(f"{name} ({level.category})" if level.category else name),
                _text(area.unit),
                level.benchmark,
                level.baseline,
                st(status, fill=STATUS_FILLS.get(status), bold=status != "confirmed"),
                _text(level.note) or None,
            ]
        )
    return rows


def _notes(report: Report) -> list[str]:
    t = report.summary.totals
    notes = []
    if t.unconfirmed_levels:
        notes.append(
            f"Some verdicts rest on levels that are not confirmed "
            f"({', '.join(t.unconfirmed_levels)}; see the level status column and "
            f"the Results sheet): {STATUS_NOTE}"
        )
    notes.append(share_basis_note(report.summary))
    f = report.factors()
    notes.append(
        f"Savings are to the benchmark (or baseline) level, in tce; {f['source']} "
        f"factors: 1 kgoe = {f['kgce_per_kgoe']} kgce, 1 kWh = {f['kgce_per_kwh']} "
        f"kgce ({f['electricity']}). Below-baseline capacity must be upgraded or "
        f"retired by {report.catalogue.deadline.isoformat()}."
    )
    notes.append(edition_note(report.catalogue))
    return notes


SUMMARY_WIDTHS = (36, 26, 10, 8, 12, 12, 12, 12, 9, 9, 12, 11, 9, 20, 11, 16, 16, 16)


def _summary_rows(st: Styles, report: Report) -> Iterator[list[Any]]:
    """The Summary sheet's rows, from the top; the group table's header is the row after
    the one that says ``Summary by …``."""
    yield from _meta_rows(st, report)
    yield []
    yield [st(f"Summary by {report.summary.group_by}", bold=True)]
    yield header_row(st, SUMMARY_HEADINGS)
    for g in _group_frame(report).to_dict("records"):
        yield _group_cells(st, {str(k): v for k, v in g.items()})
    yield _totals_cells(st, report.summary.totals)
    yield []
    for note in _notes(report):
        yield [st(note, italic=True)]
    yield []
    yield from _levels_rows(st, report)


def _summary(wb: Workbook, st: Styles, report: Report) -> None:
    """Meta data, the groups against their targets, notes, the levels applied and, for areas,
    a chart of each area's share at benchmark against its own target. An area summary (25
    areas at most) prints on one page; a longer one is one page wide, its header repeated."""
    ws = wb.add_worksheet("Summary")
    for i, width in enumerate(SUMMARY_WIDTHS):
        ws.set_column(i, i, width)
    rows = list(_summary_rows(st, report))
    for r, row in enumerate(rows):
        put_row(ws, r, row)
    header = len(_meta_rows(st, report)) + 2
    groups = report.summary.groups
    by_area = report.summary.group_by == "area"
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.fit_to_pages(1, 1 if by_area else 0)
    if not by_area:
        ws.repeat_rows(header)
    if by_area and groups:
        chart = share_chart(
            wb,
            "Summary",
            header + 1,
            len(groups),
            [bool(getattr(g, "meets_target", False)) for g in groups],
            (NAME_COL, SHARE_COL, TARGET_COL),
        )
        ws.insert_chart(len(rows) + 1, 0, chart)


# --------------------------------------------------------------------------- Problems

PROBLEM_FIELDS = (
    "location",
    "code",
    "severity",
    "file",
    "sheet",
    "row",
    "column",
    "header",
    "message",
)


def _problems(wb: Workbook, st: Styles, report: Report) -> None:
    import pandas as pd

    ws = wb.add_worksheet("Problems")
    for i, width in enumerate((40, 8, 10, 30, 14, 8, 8, 16, 90)):
        ws.set_column(i, i, width)
    page_setup(ws, header_rows=1)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(report.problems), len(PROBLEM_FIELDS) - 1)
    put_row(ws, 0, header_row(st, PROBLEM_FIELDS))
    frame = pd.DataFrame(
        [{"location": p.location, **p.as_dict()} for p in report.problems],
        columns=list(PROBLEM_FIELDS),
        dtype=object,
    )
    for r, rec in enumerate(defuse_frame(frame).to_dict("records"), 1):
        values: list[Any] = [rec[f] for f in PROBLEM_FIELDS]
        values[2] = st(values[2], fill=SEVERITY_FILLS.get(str(rec["severity"])), bold=True)
        put_row(ws, r, values)


# --------------------------------------------------------------------------- workbook


def _rows_of(
    report: Report, frame: pd.DataFrame, parts: list[ResultsPart], book: bytes
) -> dict[str, SheetRows]:
    """Each Results sheet's table, with the styles its probe cells received."""
    table = defuse_table(results_table(frame))
    columns = [str(c) for c in frame.columns]
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        paths = sheet_paths(z)
        found = {p.title: probe_styles(z.read(paths[p.title])) for p in parts}
    return {
        p.title: SheetRows(
            table.slice(p.start, p.count), _column_styles(columns, found[p.title], p.probes)
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
    _summary(wb, st, report)
    parts = _results(wb, st, frame)
    area_charts(wb, st, report, MAX_CHART_POINTS)
    _problems(wb, st, report)
    wb.close()
    return buf.getvalue(), parts


def grade_xlsx(report: Report) -> bytes:
    """The grading report as an .xlsx workbook: Summary, Results, Charts and Problems."""
    frame = report.results()
    book, parts = _workbook(report, frame)
    out = io.BytesIO()
    splice(book, _rows_of(report, frame, parts, book), out, make=lambda part: _slices(part))
    return out.getvalue()


def _slices(part: SheetRows) -> Iterator[bytes]:
    from benchmark.report.xlsx_rows import iter_rows_xml

    return iter_rows_xml(part, 2, CHUNK_ROWS)

"""The report of ``benchmark track``: each line year on year, and each area's shares by year.

:class:`TrackReport` bundles what :func:`benchmark.tracking.track` computes with the run's
problems, catalogue and reporting date; this module renders it as JSON (the contract
``benchmark schema track`` publishes), CSV (one row per line), Markdown and the terminal table
(a sparkline per line, each year's mark in its tier's colour). The workbook and the page are
in :mod:`benchmark.report.workbook` and :mod:`benchmark.report.track_html`.

Lines reach the hundreds of thousands: the JSON and CSV cover them all, column-wise where Arrow
can; the terminal and Markdown tables show the first lines of each area, and say how many more
there are.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from benchmark.catalogue import Catalogue
from benchmark.deadlines import as_date, deadline_notes
from benchmark.problems import Problem
from benchmark.report.defuse import defuse_table
from benchmark.report.labels import TIER_LABELS_ZH, TIER_STYLES, edition_note, pct
from benchmark.report.model import SCHEMA_VERSION, plain, records
from benchmark.tracking import BY_YEAR_COLUMNS, LINE_COLUMNS, Tracking, track

if TYPE_CHECKING:
    from benchmark.deadlines import DeadlineNote
    from benchmark.pipeline import Checked

#: Lines shown per area on a terminal and in Markdown; JSON, CSV and xlsx hold them all.
MAX_LINES_PER_AREA = 200
SPARKS = "▁▂▃▄▅▆▇█"
#: What a line's deadline status means, for the footnote of every human format.
DEADLINE_LEGEND = (
    "Deadline status of a line ever below the baseline: met = below earlier, within the "
    "baseline in its latest year; missed = below in the deadline's year or later (even if it "
    "recovered since); open = below in its latest year, the deadline still ahead; unknown = "
    "the same, but the deadline has passed with no later figure."
)
#: The list columns of a line, joined by ";" in CSV (an undated year is an empty item).
LIST_FIELDS = ("years", "values", "tiers")


@dataclass(frozen=True)
class TrackReport:
    """A finished ``track`` run: lines and area-years, problems, the reporting date."""

    tracking: Tracking
    problems: list[Problem]
    catalogue: Catalogue
    files: list[str]
    rows_total: int
    rows_graded: int
    as_of: dt.date
    deadlines: tuple[DeadlineNote, ...]


def build_track_report(
    checked: Checked, catalogue: Catalogue, as_of: dt.date | None = None
) -> TrackReport:
    """Track the graded rows of a run (``checked.frame``) as of ``as_of`` (today)."""
    day = as_date(as_of)
    graded = checked.frame
    return TrackReport(
        track(graded, catalogue, day),
        checked.problems,
        catalogue,
        checked.files,
        checked.rows_total,
        len(graded),
        day,
        deadline_notes(graded, catalogue, day),
    )


def year_label(year: Any) -> str:
    """A year as a column heading: the undated year is ``undated``."""
    return "undated" if year is None or year is pd.NA else str(year)


def sparkline(values: Sequence[float | None], low: float, high: float) -> str:
    """One block per value, scaled between ``low`` and ``high`` (the line's levels and
    values, so that a line near its benchmark draws low and one over its baseline high);
    a missing value is a space."""
    span = high - low
    out = []
    for v in values:
        if v is None or not np.isfinite(v):
            out.append(" ")
            continue
        k = 3 if span <= 0 else round((v - low) / span * (len(SPARKS) - 1))
        out.append(SPARKS[min(max(k, 0), len(SPARKS) - 1)])
    return "".join(out)


def line_sparkline(row: dict[str, Any]) -> str:
    """:func:`sparkline` of a line of ``track`` (a record of :attr:`Tracking.lines`)."""
    values = [v for v in row["values"] if v is not None]
    levels = [x for x in (row["benchmark"], row["baseline"]) if x is not None]
    pool = values + levels
    return sparkline(row["values"], min(pool, default=0.0), max(pool, default=0.0))


# --------------------------------------------------------------------------- JSON and CSV


def track_document(report: TrackReport) -> dict[str, Any]:
    """The JSON contract of ``benchmark track`` (see :class:`benchmark.contract.TrackDocument`)."""
    t = report.tracking
    return {
        "schema_version": SCHEMA_VERSION,
        "catalogue": _catalogue_meta(report.catalogue),
        "as_of": report.as_of.isoformat(),
        "lines": arrow_records(t.lines[list(LINE_COLUMNS)]),
        "by_year": arrow_records(t.by_year[list(BY_YEAR_COLUMNS)]),
        "problems": [p.as_dict() for p in report.problems],
    }


def arrow_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts, converted by Arrow (NaN and NA become None): four times
    :func:`benchmark.report.model.records` on 200,000 lines with list columns."""
    rows: list[dict[str, Any]] = pa.Table.from_pandas(frame, preserve_index=False).to_pylist()
    return rows


def _catalogue_meta(cat: Catalogue) -> dict[str, Any]:
    return {
        "edition": cat.edition,
        "document": cat.document,
        "sha256": cat.sha256,
        "source": cat.source,
        "deadline": cat.deadline.isoformat(),
    }


def track_json(report: TrackReport) -> str:
    return json.dumps(track_document(report), ensure_ascii=False, indent=2, default=plain) + "\n"


def joined(items: Any) -> pa.Array:
    """A list column as text, its items joined by ";" (a missing item is empty): Arrow casts
    and joins, no Python per line."""
    arr = pa.array(items)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_list(arr.type):  # no line at all: an untyped, empty column
        return pa.nulls(len(arr), pa.string())
    text = pc.fill_null(pc.list_flatten(arr).cast(pa.string()), "")
    parents = pc.list_parent_indices(arr).to_numpy(zero_copy_only=False)
    offsets = np.searchsorted(parents, np.arange(len(arr) + 1)).astype(np.int32)
    return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), text), ";")


def track_csv(report: TrackReport) -> Callable[[BinaryIO], None]:
    """One row per line, the lists joined by ";"; input text defused against formulas."""
    from benchmark.report.machine import write_csv

    lines = report.tracking.lines
    plain_cols = [c for c in LINE_COLUMNS if c not in LIST_FIELDS]
    table = defuse_table(pa.Table.from_pandas(lines[plain_cols], preserve_index=False))
    for name in LIST_FIELDS:
        position = list(LINE_COLUMNS).index(name)
        table = table.add_column(position, name, joined(lines[name].array))

    def write(fh: BinaryIO) -> None:
        write_csv(table, fh)

    return write


# --------------------------------------------------------------------------- shared by people


def shown_lines(
    report: TrackReport, limit: int = MAX_LINES_PER_AREA
) -> list[tuple[str, list[dict[str, Any]], int]]:
    """Per area in catalogue order: its first ``limit`` lines as records, and how many it
    has. Only the shown lines become Python objects."""
    lines = report.tracking.lines
    if not len(lines):
        return []
    counts = lines["area"].value_counts()
    shown = records(lines.groupby("area", sort=False).head(limit))
    by_area: dict[str, list[dict[str, Any]]] = {}
    for row in shown:
        by_area.setdefault(str(row["area"]), []).append(row)
    return [
        (a.id, by_area[a.id], int(counts[a.id])) for a in report.catalogue.areas if a.id in by_area
    ]


def share_grid(report: TrackReport) -> tuple[list[Any], list[tuple[str, float, dict[Any, Any]]]]:
    """Share at benchmark per area (rows) and year (columns): the years, undated first,
    and per area its target and its shares by year."""
    by_year = report.tracking.by_year
    if not len(by_year):
        return [], []
    years = sorted(
        {None if y is pd.NA else int(y) for y in by_year["year"].tolist()},
        key=lambda y: -1 if y is None else y,
    )
    grid: dict[str, dict[Any, Any]] = {}
    targets: dict[str, float] = {}
    for row in records(by_year):
        grid.setdefault(row["area"], {})[row["year"]] = row["share_at_benchmark"]
        targets[row["area"]] = row["target_share"]
    return years, [(a, targets[a], grid[a]) for a in grid]


def area_title(catalogue: Catalogue, area_id: str) -> str:
    area = catalogue.area(area_id)
    return f"{area.name_zh} {area.name_en} ({area.unit})"


def trend_text(row: dict[str, Any]) -> str:
    slope = row["change_per_year"]
    if slope is None:
        return "–"
    return f"{row['trend']} ({slope:+,.2f}/yr)"


def years_span(row: dict[str, Any]) -> str:
    first, last = row["first_year"], row["latest_year"]
    undated = None in row["years"]
    span = "" if first is None else (str(first) if first == last else f"{first}–{last}")
    return (span + (" +undated" if span else "undated")) if undated else span


def footnotes(report: TrackReport) -> list[str]:
    """The sentences under every human format: date and deadlines, legend, edition."""
    date = f"Reporting date (as of): {report.as_of.isoformat()}."
    return [
        " ".join([date, *(d.text for d in report.deadlines)]),
        "Each line is followed over its years (rows without a year count as one undated "
        "year, older than any other); sparklines run oldest to latest, scaled between the "
        "line's levels and values. Shares by year are weighted as in grade (capacity, "
        "else output, else rows).",
        DEADLINE_LEGEND,
        edition_note(report.catalogue),
    ]


# --------------------------------------------------------------------------- terminal


def _spark_text(row: dict[str, Any]) -> Text:
    text = Text()
    for char, tier in zip(line_sparkline(row), row["tiers"], strict=True):
        text.append(char, style=TIER_STYLES.get(tier or "", "dim"))
    return text


def _line_table(report: TrackReport, area_id: str, rows: list[dict[str, Any]], total: int) -> Table:
    table = Table(
        title=area_title(report.catalogue, area_id), title_justify="left", title_style="bold"
    )
    for name in (
        "enterprise",
        "line",
        "category",
        "years",
        "trend line",
        "latest",
        "tier",
        "change",
        "benchmark in",
        "deadline",
        "→ baseline",
        "→ benchmark",
    ):
        table.add_column(
            name,
            justify="left"
            if name in ("enterprise", "line", "category", "trend line", "tier", "deadline")
            else "right",
        )
    for r in rows:
        tier = r["latest_tier"]
        table.add_row(
            escape(str(r["enterprise"] or "")),
            escape(str(r["line"] or "")),
            escape(str(r["category"] or "")),
            years_span(r),
            _spark_text(r),
            "–" if r["latest_value"] is None else f"{r['latest_value']:,.1f}",
            Text(f"{TIER_LABELS_ZH[tier]} {tier}", style=TIER_STYLES[tier]) if tier else "–",
            trend_text(r),
            str(r["reached_benchmark_in"] or "–"),
            Text(
                r["deadline_status"] or "–",
                style="bold red" if r["deadline_status"] in ("missed", "unknown") else "",
            ),
            str(r["projected_baseline_year"] or "–"),
            str(r["projected_benchmark_year"] or "–"),
        )
    if total > len(rows):
        table.caption = (
            f"{total - len(rows):,} more line(s) not shown; use --format csv or xlsx for all"
        )
    return table


def _share_table(report: TrackReport) -> Table:
    years, areas = share_grid(report)
    table = Table(title="Share at benchmark by year", title_justify="left", title_style="bold")
    table.add_column("area")
    for y in years:
        table.add_column(year_label(y), justify="right")
    table.add_column("target", justify="right")
    for area_id, target, shares in areas:
        cells = []
        for y in years:
            share = shares.get(y)
            style = "" if share is None else ("green" if share >= target else "red")
            cells.append(Text(pct(share) if y in shares else "", style=style))
        table.add_row(
            escape(f"{area_id} {report.catalogue.area(area_id).name_zh}"), *cells, pct(target)
        )
    return table


def render_track(console: Console, report: TrackReport) -> None:
    """The terminal report: a table of lines per area, the share grid, problems, notes."""
    from benchmark.report.text import problem_lines

    for area_id, rows, total in shown_lines(report):
        console.print(_line_table(report, area_id, rows, total))
    if len(report.tracking.by_year):
        console.print(_share_table(report))
    if report.problems:
        console.print(Text(f"Problems ({len(report.problems)})", style="bold"))
        for line in problem_lines(report.problems):
            console.print(line, soft_wrap=True)
    for i, note in enumerate(footnotes(report)):
        console.print(Text(note, style="bold" if i == 0 else "dim"))
    console.print(
        f"{len(report.files)} file(s), {report.rows_total:,} row(s), "
        f"{report.rows_graded:,} graded, {len(report.tracking.lines):,} line(s); "
        f"{sum(p.severity == 'error' for p in report.problems):,} error(s)"
    )


def track_plain(report: TrackReport) -> str:
    """The terminal report as plain text (for ``-o track.txt``)."""
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=180, color_system=None, file=sink)
        render_track(console, report)
        return console.export_text()


# --------------------------------------------------------------------------- Markdown


def _md(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    return [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
        *("| " + " | ".join(_md(v) for v in row) + " |" for row in rows),
    ]


def track_markdown(report: TrackReport) -> str:
    cat = report.catalogue
    out = [f"# Lines year on year — {cat.title_en}", "", *footnotes(report)[:1], ""]
    years, areas = share_grid(report)
    if areas:
        out += ["## Share at benchmark by year", ""]
        out += _md_table(
            ["area", *map(year_label, years), "target"],
            [
                [
                    f"{a} {cat.area(a).name_zh}",
                    *(pct(s[y]) if y in s else "" for y in years),
                    pct(target),
                ]
                for a, target, s in areas
            ],
        )
        out.append("")
    for area_id, rows, total in shown_lines(report):
        out += [f"## {area_title(cat, area_id)}", ""]
        out += _md_table(
            [
                "enterprise",
                "line",
                "category",
                "years",
                "values",
                "trend line",
                "latest tier",
                "trend",
                "benchmark in",
                "deadline status",
                "projected baseline",
                "projected benchmark",
            ],
            [
                [
                    r["enterprise"],
                    r["line"],
                    r["category"],
                    years_span(r),
                    " → ".join("–" if v is None else f"{v:g}" for v in r["values"]),
                    f"`{line_sparkline(r)}`",
                    r["latest_tier"],
                    trend_text(r),
                    r["reached_benchmark_in"],
                    r["deadline_status"],
                    r["projected_baseline_year"],
                    r["projected_benchmark_year"],
                ]
                for r in rows
            ],
        )
        if total > len(rows):
            out.append(f"\n{total - len(rows):,} more line(s): `--format csv` lists them all.")
        out.append("")
    if report.problems:
        out += [f"## Problems ({len(report.problems)})", ""]
        out += _md_table(
            ["location", "code", "message"],
            [[p.location, p.code, p.message] for p in report.problems],
        )
        out.append("")
    out += [*footnotes(report)[1:], ""]
    return "\n".join(out)

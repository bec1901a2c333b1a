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

import dataclasses
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
from rich.text import Text

from benchmark.catalogue import Catalogue
from benchmark.deadlines import as_date, deadline_notes
from benchmark.i18n import N_, _, say
from benchmark.problems import Problem
from benchmark.report import words
from benchmark.report.defuse import defuse_table
from benchmark.report.labels import TIER_STYLES, edition_note, pct
from benchmark.report.model import SCHEMA_VERSION, plain, records
from benchmark.report.terminal import Col, Grid, fitted
from benchmark.tracking import BY_YEAR_COLUMNS, LINE_COLUMNS, Tracking, track

if TYPE_CHECKING:
    from benchmark.deadlines import DeadlineNote
    from benchmark.pipeline import Checked

#: Lines shown per area on a terminal and in Markdown; JSON, CSV and xlsx hold them all.
MAX_LINES_PER_AREA = 200
SPARKS = "▁▂▃▄▅▆▇█"
#: What a line's deadline status means, for the footnote of every human format.
DEADLINE_LEGEND = N_(
    "Deadline status of a line ever below the baseline: met = below earlier, within the "
    "baseline in its latest year; missed = below in the deadline's year or later (even if it "
    "recovered since); open = below in its latest year, the deadline still ahead; unknown = "
    "the same, but the deadline has passed with no later figure."
)
#: A line's trend in words.
TREND_WORDS = {"improving": N_("improving"), "steady": N_("steady"), "worsening": N_("worsening")}
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
    """A year as a column heading: the undated year is ``undated`` (无年份)."""
    return _("undated") if year is None or year is pd.NA else str(year)


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


@dataclass(frozen=True)
class AreaYear:
    """One area in one year as the reports for people show it: a row of
    :attr:`Tracking.by_year` (the JSON's and the workbook's ``by_year``), with the rows to
    check (counted in ``rows``, in no tier) and the verdict against the target derived."""

    area: str
    year: int | None
    rows: int
    benchmark: int
    between: int
    below_baseline: int
    share_at_benchmark: float | None
    target_share: float

    @property
    def to_check(self) -> int:
        """Rows with a value to check: ``rows`` counts them, no tier does."""
        return self.rows - self.benchmark - self.between - self.below_baseline

    @property
    def meets_target(self) -> bool | None:
        """Whether the share reaches the target, as ``grade``'s summary judges an area; None
        with no share (every row to check)."""
        share = self.share_at_benchmark
        return None if share is None else share >= self.target_share


def area_years(report: TrackReport) -> list[AreaYear]:
    """Each area's years, in ``by_year``'s order (area in catalogue order, undated first):
    the same counts the JSON and the workbook give, so no format can disagree."""
    names = [f.name for f in dataclasses.fields(AreaYear)]
    return [AreaYear(**{n: row[n] for n in names}) for row in records(report.tracking.by_year)]


def any_to_check(items: Sequence[AreaYear]) -> bool:
    """Whether a to-check column is worth showing: only where some row has a value to check."""
    return any(item.to_check for item in items)


def area_year_headings(to_check: bool) -> list[str]:
    """The headings of an area's years, after its name: the year, rows, the tiers (to check
    where shown), the share at benchmark, the target and whether it is met."""
    tiers = ("benchmark", "between", "below_baseline", *(("to_check",) if to_check else ()))
    return [
        words.heading("year"),
        _("Rows"),
        *(words.tier_word(t) for t in tiers),
        _("Share at benchmark"),
        _("2025 target"),
        _("Meets target"),
    ]


def area_year_cells(item: AreaYear, to_check: bool) -> list[str]:
    """An area's year as text, under :func:`area_year_headings`: the verdict in a word (是 /
    否), so that it reads without colour."""
    counts = (item.benchmark, item.between, item.below_baseline)
    return [
        year_label(item.year),
        f"{item.rows:,}",
        *(f"{n:,}" for n in (*counts, *((item.to_check,) if to_check else ()))),
        pct(item.share_at_benchmark),
        pct(item.target_share),
        words.yes_no(item.meets_target) or "–",
    ]


def area_title(catalogue: Catalogue, area_id: str) -> str:
    """An area and its unit in the reader's language."""
    return words.area_title(catalogue.area(area_id))


def trend_text(row: dict[str, Any]) -> str:
    """``improving (−2.50/yr)`` in the reader's language."""
    slope = row["change_per_year"]
    if slope is None:
        return "–"
    trend = TREND_WORDS.get(str(row["trend"]))
    return _("{trend} ({slope}/yr)").format(
        trend=_(trend) if trend else row["trend"], slope=f"{slope:+,.2f}"
    )


def years_span(row: dict[str, Any]) -> str:
    first, last = row["first_year"], row["latest_year"]
    undated = None in row["years"]
    span = "" if first is None else (str(first) if first == last else f"{first}–{last}")
    return (span + " +" + _("undated") if span else _("undated")) if undated else span


def footnotes(report: TrackReport) -> list[str]:
    """The sentences under every human format: date and deadlines, legend, edition."""
    date = _("Reporting date (as of): {date}.").format(date=report.as_of.isoformat())
    return [
        " ".join([date, *(say(d.text) for d in report.deadlines)]),
        _(
            "Each line is followed over its years (rows without a year count as one undated "
            "year, older than any other); sparklines run oldest to latest, scaled between the "
            "line's levels and values. Shares by year are weighted as in grade (capacity, "
            "else output, else rows)."
        ),
        _(DEADLINE_LEGEND),
        edition_note(report.catalogue),
    ]


#: Headings of the line tables (terminal, Markdown, page), by field.
LINE_HEADINGS: dict[str, str] = {
    "years": N_("Years"),
    "values": N_("Values"),
    "trend_line": N_("Trend line"),
    "latest_value": N_("Latest"),
    "change": N_("Change"),
    "reached_benchmark_in": N_("Benchmark in"),
    "deadline_status": N_("Deadline status"),
    "projected_baseline_year": N_("→ baseline"),
    "projected_benchmark_year": N_("→ benchmark"),
}


def line_heading(field: str) -> str:
    found = LINE_HEADINGS.get(field)
    return _(found) if found else words.heading(field)


# --------------------------------------------------------------------------- terminal


def _spark_text(row: dict[str, Any]) -> Text:
    text = Text()
    for char, tier in zip(line_sparkline(row), row["tiers"], strict=True):
        text.append(char, style=TIER_STYLES.get(tier or "", "dim"))
    return text


def _line_grid(report: TrackReport, area_id: str, rows: list[dict[str, Any]]) -> Grid:
    area = report.catalogue.area(area_id)
    grid = Grid(
        [
            Col(words.heading("enterprise"), title=True),
            Col(words.heading("line"), title=True),
            Col(words.heading("category"), title=True),
            Col(line_heading("years"), "figure"),
            Col(line_heading("trend_line"), "word"),
            Col(line_heading("latest_value"), "figure"),
            Col(words.heading("tier"), "word"),
            Col(line_heading("change"), "figure"),
            Col(line_heading("reached_benchmark_in"), "figure"),
            Col(line_heading("deadline_status"), "word"),
            Col(line_heading("projected_baseline_year"), "figure"),
            Col(line_heading("projected_benchmark_year"), "figure"),
        ]
    )
    for r in rows:
        tier = r["latest_tier"]
        status = r["deadline_status"]
        grid.add(
            str(r["enterprise"] or ""),
            str(r["line"] or ""),
            words.category_name(area, r["category"]),
            years_span(r),
            _spark_text(r),
            "–" if r["latest_value"] is None else f"{r['latest_value']:,.1f}",
            Text(words.tier_word(tier), style=TIER_STYLES[tier]) if tier else "–",
            trend_text(r),
            str(r["reached_benchmark_in"] or "–"),
            Text(
                words.deadline_word(status),
                style="bold red" if status in ("missed", "unknown") else "",
            ),
            str(r["projected_baseline_year"] or "–"),
            str(r["projected_benchmark_year"] or "–"),
        )
    return grid


def _share_grid(report: TrackReport) -> Grid:
    years, areas = share_grid(report)
    grid = Grid(
        [
            Col(words.heading("area"), title=True),
            *(Col(year_label(y), "figure") for y in years),
            Col(_("2025 target"), "figure"),
        ]
    )
    for area_id, target, shares in areas:
        cells: list[str | Text] = []
        for y in years:
            share = shares.get(y)
            style = "" if share is None else ("green" if share >= target else "red")
            cells.append(Text(pct(share) if y in shares else "", style=style))
        grid.add(words.area_name(report.catalogue.area(area_id)), *cells, pct(target))
    return grid


def _area_year_grid(
    report: TrackReport, items: Sequence[AreaYear], with_area: bool, with_target: bool = True
) -> Grid:
    """Areas by year: rows, tiers, share at benchmark, target and whether it is met (a word,
    coloured too); ``with_area``: a column naming each area (one table for all areas);
    without ``with_target`` the target column is left empty, so it is left out (the title
    gives it)."""
    to_check = any_to_check(items)
    heads = area_year_headings(to_check)
    kinds = ["figure"] * (len(heads) - 1) + ["word"]
    grid = Grid(
        [
            *((Col(words.heading("area"), title=True),) if with_area else ()),
            *(Col(h, k) for h, k in zip(heads, kinds, strict=True)),
        ]
    )
    for item in items:
        *cells, target, verdict = area_year_cells(item, to_check)
        meets = item.meets_target
        style = "green" if meets else ("red" if meets is False else "")
        name = words.area_name(report.catalogue.area(item.area))
        grid.add(
            *((name,) if with_area else ()),
            *cells,
            target if with_target else "",
            Text(verdict, style=style),
        )
    return grid


def area_year_layouts(report: TrackReport) -> list[list[tuple[Grid, Text]]]:
    """One table of every area's years where it fits; else a table per area, its name as the
    title; else the same with the target in the title, not in a column; else cards."""
    items = area_years(report)
    per_area: dict[str, list[AreaYear]] = {}
    for item in items:
        per_area.setdefault(item.area, []).append(item)

    def titled(area_id: str, part: list[AreaYear], with_target: bool) -> Text:
        title = area_title(report.catalogue, area_id)
        if not with_target:
            title = _("{area} — 2025 target {target}").format(
                area=title, target=pct(part[0].target_share)
            )
        return Text(title, style="bold")

    return [
        [
            (
                _area_year_grid(report, items, with_area=True),
                Text(_("Tiers by area and year"), style="bold"),
            )
        ],
        *(
            [
                (
                    _area_year_grid(report, part, with_area=False, with_target=with_target),
                    titled(area_id, part, with_target),
                )
                for area_id, part in per_area.items()
            ]
            for with_target in (True, False)
        ),
    ]


def render_track(console: Console, report: TrackReport) -> None:
    """The terminal report: a table of lines per area, the share grid, problems, notes —
    each table as wide as the terminal allows, never a figure cut."""
    from benchmark.report.text import problem_lines

    width = console.width
    for area_id, rows, total in shown_lines(report):
        caption = (
            _("{n} more line(s) not shown; use --format csv or xlsx for all").format(
                n=f"{total - len(rows):,}"
            )
            if total > len(rows)
            else None
        )
        title = Text(area_title(report.catalogue, area_id), style="bold")
        for part in fitted([[(_line_grid(report, area_id, rows), title)]], width, caption):
            console.print(part)
    if len(report.tracking.by_year):
        title = Text(_("Share at benchmark by year"), style="bold")
        for part in fitted([[(_share_grid(report), title)]], width):
            console.print(part)
        for part in fitted(area_year_layouts(report), width):
            console.print(part)
    if report.problems:
        console.print(Text(_("Problems ({n})").format(n=len(report.problems)), style="bold"))
        for line in problem_lines(report.problems):
            console.print(line, soft_wrap=True)
    for i, note in enumerate(footnotes(report)):
        console.print(Text(note, style="bold" if i == 0 else "dim"))
    console.print(
        _(
            "{files} file(s), {rows} row(s), {graded} graded, {lines} line(s); {errors} error(s)"
        ).format(
            files=len(report.files),
            rows=f"{report.rows_total:,}",
            graded=f"{report.rows_graded:,}",
            lines=f"{len(report.tracking.lines):,}",
            errors=f"{sum(p.severity == 'error' for p in report.problems):,}",
        )
    )


def track_plain(report: TrackReport) -> str:
    """The terminal report as plain text (for ``-o track.txt``)."""
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=180, color_system=None, file=sink)
        render_track(console, report)
        return console.export_text()

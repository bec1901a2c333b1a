"""Years, lines and deadlines: a plant's lines followed year on year, and the two public lists.

Workbooks hold several years of the same lines side by side (one row per line and year). The
regulators' "dynamic monitoring" (发改产业〔2022〕200号 and 1464号) publishes two lists — lines at
the benchmark level (能效标杆水平以上（先进）清单) and lines below the baseline (能效基准水平以下
（落后）清单) — and asks whether capacity below the baseline was upgraded or retired by the
catalogue's deadline (``catalogue.deadline_for(area)``, 2025-12-31 for the 2021 areas).

Everything here is a pure function of a *graded frame* (what :func:`benchmark.grading.grade`
returns for validated rows) and an ``as_of`` date: no clock is read when one is given, so a
verdict such as "deadline passed" is reproducible (left out, it is today, and the catalogue
the shipped one, so that ``benchmark.track(graded)`` works). Lines are numbered with integer
codes and their rows sorted once; per-line figures are grouped sums (``bincount``,
``reduceat``) over that order, and the per-line lists of years, values and tiers are Arrow list
arrays cut from it — never a Python loop over rows or lines, so a million rows track in
seconds.

Conventions (shared by every function):

* **A line** is enterprise + line + area + category, the duplicate key of E110 without the
  year: texts compared ignoring case, a missing line or category a value of its own.
* **Undated rows** (no year) count as one undated year, older than any dated year.
* **One row per line and year.** E110 guarantees it within a table, not across files or
  sheets; where a line has several rows of one year, the first in frame order counts (the row
  E110 would keep) and :func:`repeated_line_years` marks the others, for the caller to report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmark._codes import factorize
from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.deadlines import (
    ROW_DEADLINE_STATUSES,
    as_date,
    row_deadline_status,
    row_deadlines,
)
from benchmark.grading import DECIMALS, TIERS
from benchmark.levels import level_table
from benchmark.lines import (
    NEVER,
    UNDATED,
    Array,
    Layout,
    NoRowsForYear,
    column,
    empty_frame,
    factorize_tiers,
    last_present,
    latest_year_mask,
    latest_year_note,
    line_ids,
    line_layout,
    numbers,
    repeated_line_years,
    strings,
    take_text,
    year_keys,
    years_array,
)
from benchmark.summary import summarise_rows

__all__ = [
    "BY_YEAR_COLUMNS",
    "LAGGING_COLUMNS",
    "LINE_COLUMNS",
    "LINE_DEADLINE_STATUSES",
    "LIST_COLUMNS",
    "ROW_DEADLINE_STATUSES",
    "TRENDS",
    "Lists",
    "NoRowsForYear",
    "Tracking",
    "latest_year_mask",
    "latest_year_note",
    "line_ids",
    "lists",
    "repeated_line_years",
    "row_deadline_status",
    "track",
]

#: Deadline status of a line that was ever below the baseline (:func:`track`).
LINE_DEADLINE_STATUSES: tuple[str, ...] = ("met", "missed", "open", "unknown")
TRENDS: tuple[str, ...] = ("improving", "steady", "worsening")
#: A slope within this fraction of the gap between baseline and benchmark, per year, is steady.
STEADY_FRACTION = 0.01

#: Columns of :attr:`Tracking.lines`, in order.
LINE_COLUMNS: tuple[str, ...] = (
    "enterprise",
    "line",
    "area",
    "category",
    "region",
    "years",
    "values",
    "tiers",
    "first_year",
    "latest_year",
    "latest_value",
    "latest_tier",
    "change_per_year",
    "trend",
    "reached_benchmark_in",
    "deadline_status",
    "projected_baseline_year",
    "projected_benchmark_year",
    "unit",
    "benchmark",
    "baseline",
)
#: Columns of :attr:`Tracking.by_year`, in order.
BY_YEAR_COLUMNS: tuple[str, ...] = (
    "year",
    "area",
    "rows",
    "benchmark",
    "between",
    "below_baseline",
    "share_at_benchmark",
    "share_basis",
    "target_share",
)
#: Columns of the published lists, in the lists' order; the lagging list adds the row's
#: deadline status.
LIST_COLUMNS: tuple[str, ...] = (
    "seq",
    "enterprise",
    "region",
    "line",
    "area",
    "category",
    "value",
    "unit",
    "benchmark",
    "baseline",
    "capacity",
    "year",
)
LAGGING_COLUMNS: tuple[str, ...] = (*LIST_COLUMNS, "deadline_status")

_HORIZON = 1000  # years: the furthest a projection goes; beyond it, NA


@dataclass(frozen=True)
class Tracking:
    """Lines year on year (``lines``: one row per line) and tiers per area and year
    (``by_year``); see :func:`track`."""

    lines: pd.DataFrame
    by_year: pd.DataFrame


@dataclass(frozen=True)
class Lists:
    """The two published lists: ``advanced`` (at the benchmark level) and ``lagging`` (below
    the baseline); see :func:`lists`."""

    advanced: pd.DataFrame
    lagging: pd.DataFrame


# --- deadlines ------------------------------------------------------------------------------


# --- track ----------------------------------------------------------------------------------


def track(
    graded: pd.DataFrame, catalogue: Catalogue | None = None, as_of: dt.date | None = None
) -> Tracking:
    """Each line year on year, and each area's tiers year by year (``catalogue``: the shipped
    one if not given; ``as_of``: today), as ``benchmark track`` reports them.

    ``lines`` has one row per line (columns :data:`LINE_COLUMNS`), sorted as the lists are
    (area in catalogue order, enterprise, line, category):

    * ``enterprise``, ``line`` spelt as in the line's latest row; ``region`` the latest given;
    * ``years`` (ascending; an undated row first, as a missing year), ``values``, ``tiers``:
      aligned lists; ``first_year`` / ``latest_year`` the first and last dated year;
      ``latest_value`` / ``latest_tier`` from the latest row;
    * ``change_per_year``: the least-squares slope of value over the dated years, in the
      indicator's unit per year (NaN under two dated figures), rounded as grading rounds;
    * ``trend``: ``steady`` when that slope is within :data:`STEADY_FRACTION` of
      |baseline − benchmark|, else ``improving`` (falling: lower is better) or ``worsening``;
      NA under two dated figures;
    * ``reached_benchmark_in``: the first dated year at the benchmark tier (an undated row
      at benchmark names no year);
    * ``deadline_status``: NA if never below the baseline, else, first match wins:
      ``missed`` — below in the deadline's year or later, *even if a later year complies* (a
      line below in 2025 and compliant in 2026 upgraded late; ``latest_tier`` shows the
      recovery); ``met`` — below earlier, at or better than the baseline in its latest year;
      ``open`` — below in its latest year, which is before the deadline's year (or undated),
      and ``as_of`` on or before the deadline; ``unknown`` — the same, but the deadline has
      passed with no later figure (an ungraded latest row is no figure either);
    * ``projected_baseline_year`` / ``projected_benchmark_year``: the first year in which the
      trend line drawn from the latest value reaches the level (value ≤ level). When the
      latest value already reaches it: the latest year itself (NA for an undated line). NA
      when it does not and the trend is not ``improving``, or would take over
      :data:`_HORIZON` years;
    * ``unit``, ``benchmark``, ``baseline``: the line's level.

    ``by_year`` (columns :data:`BY_YEAR_COLUMNS`) counts tiers per area and year, undated
    first; ``share_at_benchmark`` is weighted as :func:`benchmark.summary.summarise` weights
    (capacity, else output, else rows; ``share_basis`` says which), ``target_share`` is
    ``catalogue.target_for(area)``. Both count one row per line and year.
    """
    cat, day = catalogue or load_catalogue(), as_date(as_of)
    layout = line_layout(graded)
    return Tracking(lines=_lines(graded, cat, day, layout), by_year=_by_year(graded, cat, layout))


def _lines(
    graded: pd.DataFrame, catalogue: Catalogue, as_of: dt.date, layout: Layout
) -> pd.DataFrame:
    """:attr:`Tracking.lines`: the per-line lists are Arrow list arrays whose offsets are the
    line starts of ``layout``, so no Python list is built per line."""
    if not len(layout.rows):
        return empty_frame(LINE_COLUMNS)
    rows, ends = layout.rows, layout.ends
    latest = rows[ends]
    value = numbers(graded, "value")[rows]
    tier = factorize_tiers(column(graded, "tier"))[rows]
    figures = _line_figures(graded, catalogue, as_of, layout, value, tier)
    offsets = pa.array(np.append(layout.starts, len(rows)).astype(np.int32))
    region = last_present(column(graded, "region"), layout)
    lists = {
        "years": pa.array(layout.year, mask=~layout.dated, type=pa.int64()),
        "values": pa.array(value, mask=np.isnan(value), type=pa.float64()),
        "tiers": pa.array([*TIERS, None], type=pa.string()).take(
            pa.array(np.where(tier < 0, len(TIERS), tier))
        ),
    }
    columns: dict[str, Any] = {
        name: take_text(column(graded, name), latest)
        for name in ("enterprise", "line", "area", "category")
    }
    columns["region"] = take_text(column(graded, "region"), region)
    for name, items in lists.items():
        columns[name] = pd.arrays.ArrowExtensionArray(pa.ListArray.from_arrays(offsets, items))
    columns.update(figures)
    columns["unit"] = take_text(column(graded, "unit"), latest)
    columns["benchmark"] = numbers(graded, "benchmark")[latest]
    columns["baseline"] = numbers(graded, "baseline")[latest]
    frame = pd.DataFrame({name: columns[name] for name in LINE_COLUMNS})
    order = _published_order(frame, catalogue, np.arange(len(frame)))
    return frame.take(order).reset_index(drop=True)


def _line_figures(
    graded: pd.DataFrame,
    catalogue: Catalogue,
    as_of: dt.date,
    layout: Layout,
    value: Array,
    tier: Array,
) -> dict[str, Any]:
    """The per-line figures of :func:`track` (which documents them), each a grouped
    reduction over ``layout``: one array per column, in line-number order. ``value`` and
    ``tier`` (codes) are those of the layout's rows."""
    rows, starts, ends, year, dated = (
        layout.rows,
        layout.starts,
        layout.ends,
        layout.year,
        layout.dated,
    )
    latest = rows[ends]
    slope = np.round(_slopes(layout, value), DECIMALS)
    bench, base = numbers(graded, "benchmark")[latest], numbers(graded, "baseline")[latest]
    steady = np.abs(slope) <= STEADY_FRACTION * np.nan_to_num(np.abs(base - bench))
    trend = np.where(np.isnan(slope), -1, np.where(steady, 1, np.where(slope < 0, 0, 2)))
    latest_year = np.where(dated[ends], year[ends], NEVER)
    first_year = np.minimum.reduceat(np.where(dated, year, NEVER), starts)
    reached = np.minimum.reduceat(np.where(dated & (tier == 0), year, NEVER), starts)
    latest_value = value[ends]
    improving = trend == 0
    return {
        "first_year": years_array(first_year),
        "latest_year": years_array(latest_year),
        "latest_value": latest_value,
        "latest_tier": strings(TIERS, tier[ends]).array,
        "change_per_year": slope,
        "trend": strings(TRENDS, trend).array,
        "reached_benchmark_in": years_array(reached),
        "deadline_status": strings(
            LINE_DEADLINE_STATUSES, _line_deadline_codes(graded, catalogue, as_of, layout, tier)
        ).array,
        "projected_baseline_year": _projected(base, latest_value, latest_year, slope, improving),
        "projected_benchmark_year": _projected(bench, latest_value, latest_year, slope, improving),
    }


def _slopes(layout: Layout, value: Array) -> Array:
    """Least-squares slope of value over year per line (NaN under two dated figures).

    This is (nΣxy − ΣxΣy) / (nΣx² − (Σx)²), computed from grouped sums in its centred form
    Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², which is the same number without the cancellation of
    large sums (years near 2025, values in the thousands).
    """
    line, k = layout.line, len(layout.starts)
    use = layout.dated & np.isfinite(value)
    x = np.where(use, layout.year, 0).astype(np.float64)
    y = np.where(use, value, 0.0)
    n = np.bincount(line, weights=use.astype(np.float64), minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_x = np.bincount(line, weights=x, minlength=k) / n
        mean_y = np.bincount(line, weights=y, minlength=k) / n
        dx = np.where(use, x - mean_x[line], 0.0)
        dy = np.where(use, y - mean_y[line], 0.0)
        sxx = np.bincount(line, weights=dx * dx, minlength=k)
        sxy = np.bincount(line, weights=dx * dy, minlength=k)
        slope: Array = np.where((n >= 2) & (sxx > 0), sxy / sxx, np.nan)
    return slope


def _line_deadline_codes(
    graded: pd.DataFrame, catalogue: Catalogue, as_of: dt.date, layout: Layout, tier: Array
) -> Array:
    """Each line's deadline status as a code into :data:`LINE_DEADLINE_STATUSES`, -1 for a
    line never below the baseline; the precedence is :func:`track`'s."""
    rows, starts, ends = layout.rows, layout.starts, layout.ends
    deadline_year, passed = (a[rows] for a in row_deadlines(graded, catalogue, as_of))
    below = tier == 2
    ever_below = np.maximum.reduceat(below, starts)
    missed = np.maximum.reduceat(below & layout.dated & (layout.year >= deadline_year), starts)
    latest_ok = (tier[ends] == 0) | (tier[ends] == 1)
    code: Array = np.where(
        ~ever_below, -1, np.where(missed, 1, np.where(latest_ok, 0, np.where(passed[ends], 3, 2)))
    )
    return code


def _projected(
    level: Array, latest_value: Array, latest_year: Array, slope: Array, improving: Array
) -> pd.arrays.IntegerArray:
    """The first year the trend line from the latest value reaches ``level`` (see
    :func:`track`). The step count is rounded before the ceiling, so that a slope of
    −2.5 from 125 reaches 100 in 10 years, not 11 through binary noise."""
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.maximum(np.ceil(np.round((latest_value - level) / -slope, 9)), 1.0)
    reached = latest_value <= level
    # Not more than _HORIZON years on: a trend line that far out projects nothing.
    ahead = improving & np.isfinite(steps) & (steps <= _HORIZON)
    ok = (latest_year != NEVER) & (reached | ahead)
    year = latest_year + np.where(reached | ~ok, 0, np.nan_to_num(steps)).astype(np.int64)
    return years_array(np.where(ok, year, NEVER))


def _by_year(graded: pd.DataFrame, catalogue: Catalogue, layout: Layout) -> pd.DataFrame:
    """Tiers per area and year, weighted as :func:`benchmark.summary.summarise` weights
    (capacity, else output, else rows): one summary per distinct year, undated first. Only
    the rows that count (one per line and year) are counted."""
    wanted = (
        "area",
        "tier",
        "level_status",
        "capacity",
        "output",
        "saving_to_benchmark_tce",
        "saving_to_baseline_tce",
    )
    rows = graded[[c for c in wanted if c in graded.columns]].take(layout.rows)
    records: list[dict[str, Any]] = []
    for year in np.unique(layout.year).tolist():
        part = rows[layout.year == year]
        for group in summarise_rows(part, catalogue, "area").groups:
            records.append(
                {
                    "year": None if year == UNDATED else year,
                    "area": group.group,
                    **{k: getattr(group, k) for k in BY_YEAR_COLUMNS[2:]},
                }
            )
    if not records:
        return empty_frame(BY_YEAR_COLUMNS)
    frame = pd.DataFrame.from_records(records, columns=list(BY_YEAR_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["share_at_benchmark"] = frame["share_at_benchmark"].astype("float64")
    for name in ("area", "share_basis"):
        frame[name] = frame[name].astype("string[pyarrow]")
    rank = {a.id: i for i, a in enumerate(catalogue.areas)}
    order = np.lexsort(
        (
            frame["year"].fillna(UNDATED).to_numpy(dtype=np.int64),
            frame["area"].map(rank).to_numpy(dtype=np.int64),
        )
    )
    return frame.take(order).reset_index(drop=True)


# --- the published lists --------------------------------------------------------------------


def lists(
    graded: pd.DataFrame,
    catalogue: Catalogue | None = None,
    as_of: dt.date | None = None,
    year: int | None = None,
) -> Lists:
    """The advanced (benchmark tier) and lagging (below the baseline) lists, as
    ``benchmark lists`` publishes them (``catalogue``: the shipped one if not given;
    ``as_of``: today).

    Each line appears in its latest year (:func:`latest_year_mask`), or, with ``year``, only
    lines with a row of that year, in that year; :class:`NoRowsForYear` when there is none.
    Columns :data:`LIST_COLUMNS` (``lagging``: :data:`LAGGING_COLUMNS`, with the row's
    :func:`row_deadline_status`), area and category by their Chinese catalogue names, sorted
    by area in catalogue order, then enterprise and line (by code point), then category in
    catalogue order; ``seq`` numbers each list from 1.
    """
    catalogue, as_of = catalogue or load_catalogue(), as_date(as_of)
    layout = line_layout(graded)
    if year is None:
        rows = layout.rows[layout.ends]
    else:
        rows = layout.rows[layout.year == year]
        if not len(rows):
            raise NoRowsForYear(np.unique(layout.year[layout.dated]).tolist(), year)
    tier = factorize_tiers(column(graded, "tier"))[rows]
    advanced = _published(graded, catalogue, _sorted(graded, catalogue, rows[tier == 0]))
    lag_rows = _sorted(graded, catalogue, rows[tier == 2])
    lagging = _published(graded, catalogue, lag_rows)
    narrow = graded[[c for c in ("area", "tier", "year") if c in graded.columns]]
    lagging["deadline_status"] = row_deadline_status(narrow.take(lag_rows), catalogue, as_of).array
    return Lists(advanced=advanced, lagging=lagging[list(LAGGING_COLUMNS)])


def _sorted(graded: pd.DataFrame, catalogue: Catalogue, rows: Array) -> Array:
    """``rows`` in the published order (see :func:`_published_order`)."""
    order = _published_order(_list_keys(graded, rows), catalogue, rows)
    return rows[order]


def _published(graded: pd.DataFrame, catalogue: Catalogue, rows: Array) -> pd.DataFrame:
    """The list columns of ``rows`` (already in the published order), numbered from 1."""
    levels = list(catalogue.iter_levels())
    areas, categories = (column(graded, name).array[rows] for name in ("area", "category"))
    level = level_table(catalogue).index(areas, categories)
    area_codes, area_ids = factorize(areas)
    names = {a.id: a.name_zh for a in catalogue.areas}
    return pd.DataFrame(
        {
            "seq": np.arange(1, len(rows) + 1, dtype=np.int64),
            "enterprise": take_text(column(graded, "enterprise"), rows),
            "region": take_text(column(graded, "region"), rows),
            "line": take_text(column(graded, "line"), rows),
            "area": strings([names.get(str(a), str(a)) for a in area_ids], area_codes).array,
            "category": strings([lv.name_zh or None for _, lv in levels], level).array,
            "value": numbers(graded, "value")[rows],
            "unit": take_text(column(graded, "unit"), rows),
            "benchmark": numbers(graded, "benchmark")[rows],
            "baseline": numbers(graded, "baseline")[rows],
            "capacity": numbers(graded, "capacity")[rows],
            "year": years_array(year_keys(graded)[rows], missing=UNDATED),
        }
    )


def _list_keys(graded: pd.DataFrame, rows: Array) -> pd.DataFrame:
    return pd.DataFrame(
        {
            name: take_text(column(graded, name), rows)
            for name in ("area", "category", "enterprise", "line")
        }
    )


def _published_order(keys: pd.DataFrame, catalogue: Catalogue, tiebreak: Array) -> Array:
    """The permutation that sorts ``keys`` (area and category ids, enterprise, line) by area
    in catalogue order, enterprise, line (missing last), category in catalogue order, then
    ``tiebreak``. Texts sort by code point: deterministic, if not the pinyin order a reader
    of Chinese might expect."""
    rank = {a.id: i for i, a in enumerate(catalogue.areas)}
    level = level_table(catalogue).index(keys["area"], keys["category"])
    table = pd.DataFrame(
        {
            "area": keys["area"].map(rank).astype("float64").fillna(len(rank)).to_numpy(),
            "enterprise": keys["enterprise"].array,
            "line": keys["line"].array,
            "level": level,
            "tiebreak": tiebreak,
        }
    )
    order = table.sort_values(list(table.columns), kind="stable", na_position="last").index
    return np.asarray(order, dtype=np.int64)

"""Summaries of graded rows against the policy targets.

The policy counts capacity: each area's own 2025 target (15% for ammonia, 20% flat glass, 40%
caustic soda, 50% for six areas, 30% elsewhere) is a share of its capacity at or better than
the benchmark level, and a ceiling on the share below the baseline. Shares are therefore
weighted by capacity, by output where capacity is missing, and by rows only where a group has
neither for some row. Tonnes of clinker and tonnes of steel do not add up: weights apply within
one area only; groups across areas (sector, region, enterprise) and the totals count rows.

Nor do years add up: a workbook of 2021–2025 holds each line five times, and pooling them
would count a line five times and its savings five times over. A summary therefore covers each
line's latest year by default, one year when asked, or every year one group per year (shares
and savings per year, no total across them); its :class:`Scope` says which, in the sentence
every report prints. It also judges the upgrade-or-retire deadline as of a reporting date
(:class:`DeadlineNote`), so that a report written after the deadline says it has passed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from benchmark._codes import factorize
from benchmark.catalogue import Area, Catalogue
from benchmark.deadlines import as_date, deadline_notes, lines_msg
from benchmark.i18n import N_, Msg, Said, joined
from benchmark.lines import (
    UNDATED,
    Layout,
    factorize_tiers,
    line_layout,
    year_mask,
)
from benchmark.results import (
    GROUP_BYS,
    AreaSummary,
    GroupSummary,
    NationalShares,
    Scope,
    ScopeKind,
    Share,
    ShareBasis,
    Summary,
    Totals,
    YearCount,
    meets_below_baseline,
)

__all__ = [
    "GROUP_BYS",
    "AreaSummary",
    "GroupSummary",
    "Scope",
    "Summary",
    "Totals",
    "factorize_tiers",
    "meets_below_baseline",
    "summarise",
    "summarise_rows",
]

#: The group of rows without a year when grouping by year.
UNDATED_GROUP = "undated"
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True)
class _Rows:
    """The graded rows of a run as arrays: tier codes, weights and savings."""

    tier: IntArray  # 0 benchmark, 1 between, 2 below_baseline
    weight: FloatArray  # capacity, else output, else NaN
    basis: IntArray  # 0 capacity, 1 output, 2 neither
    saving_bench: FloatArray
    saving_base: FloatArray
    statuses: list[str]
    status_codes: IntArray

    @classmethod
    def of(cls, graded: pd.DataFrame) -> tuple[_Rows, np.ndarray[Any, np.dtype[np.bool_]]]:
        tier_codes = (
            factorize_tiers(graded["tier"])
            if "tier" in graded.columns
            else np.full(len(graded), -1, dtype=np.int64)
        )
        keep = tier_codes >= 0

        def numbers(name: str) -> FloatArray:
            if name not in graded.columns:
                return np.full(int(keep.sum()), np.nan)
            column = pd.to_numeric(graded[name], errors="coerce").to_numpy(dtype="float64")
            return np.asarray(column[keep], dtype=np.float64)

        capacity, output = numbers("capacity"), numbers("output")
        status = (
            graded["level_status"][keep]
            if "level_status" in graded.columns
            else pd.Series([None] * int(keep.sum()), dtype="object")
        )
        status_codes, statuses = factorize(status)
        return cls(
            tier=tier_codes[keep],
            weight=np.where(capacity > 0, capacity, np.where(output > 0, output, np.nan)),
            basis=np.where(capacity > 0, 0, np.where(output > 0, 1, 2)).astype(np.int64),
            saving_bench=np.nan_to_num(numbers("saving_to_benchmark_tce")),
            saving_base=np.nan_to_num(numbers("saving_to_baseline_tce")),
            statuses=[str(s) for s in statuses],
            status_codes=status_codes,
        ), keep


def summarise(
    graded: pd.DataFrame,
    catalogue: Catalogue,
    group_by: str = "area",
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
) -> Summary:
    """Rows per tier, shares of capacity at benchmark and below baseline, savings in tce —
    over each line's latest year (the default), the rows of ``year``, or, grouped by year,
    every year one group each; never years pooled (see :class:`Scope`).

    Area groups carry the area's own targets, whether they are met, and the national 2020
    shares as the starting point. Weights are used only where every row of a group has one: a
    share over the few rows that report capacity would misstate the group; otherwise rows are
    counted, and ``share_basis`` says so. Computed with integer codes and bincount, not
    groupby over text, so a million rows summarise in well under a second. The deadline is
    judged as of ``as_of`` (default: today). :class:`benchmark.tracking.NoRowsForYear` when no
    row has ``year``.
    """
    if group_by not in GROUP_BYS:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BYS)}, not {group_by!r}")
    layout = line_layout(graded) if year is None else None  # the lines, sorted once
    mask, scope = _scope(graded, group_by, year, layout)
    chosen = graded if mask.all() else graded[mask]
    summary = summarise_rows(chosen, catalogue, group_by)
    day = as_date(as_of)
    notes = (
        deadline_notes(graded, catalogue, day, layout=layout)
        if year is None
        else deadline_notes(chosen, catalogue, day, one_year=True)
    )
    return dataclasses.replace(summary, scope=scope, as_of=day.isoformat(), deadlines=notes)


def summarise_rows(graded: pd.DataFrame, catalogue: Catalogue, group_by: str = "area") -> Summary:
    """:func:`summarise` of the rows as given, whatever their years (the caller has chosen
    them: one year, or one row per line); no scope, no deadline."""
    rows, keep = _Rows.of(graded)
    group, names = factorize(_labels(graded, keep, catalogue, group_by))
    groups, savings = _groups(rows, group, [str(n) for n in names], weighted=group_by == "area")
    if group_by == "area":
        by_id = {a.id: a for a in catalogue.areas}
        groups = [_area(g, by_id[g.group], catalogue) for g in groups]
        order = {a.id: i for i, a in enumerate(catalogue.areas)}
        groups.sort(key=lambda g: order.get(g.group, 10**6))
    elif group_by == "year":  # undated first: older than any year
        groups.sort(key=lambda g: (g.group != UNDATED_GROUP, g.group))
    else:
        groups.sort(key=lambda g: g.group)
    return Summary(group_by, tuple(groups), _totals(rows, groups, group_by, savings))


def _scope(
    graded: pd.DataFrame, group_by: str, year: int | None, layout: Layout | None
) -> tuple[Any, Scope]:
    """The rows a summary covers (a mask) and its :class:`Scope`; ``layout`` is the lines'
    (None with ``year``)."""
    if year is not None:
        mask = year_mask(graded, year)
        rows = int(np.count_nonzero(mask))
        text = _scope_text("year", year, rows, len(graded), rows, (), False)
        return mask, Scope("year", year, rows, len(graded), rows, (), text)
    assert layout is not None
    if group_by == "year":
        kind: ScopeKind = "every_year"
        mask, years = ~layout.repeated, layout.year
    else:
        kind = "latest_year"
        mask = np.zeros(len(graded), dtype=bool)
        mask[layout.rows[layout.ends]] = True
        years = layout.year[layout.ends]
    rows, lines = int(np.count_nonzero(mask)), len(layout.starts)
    counts = _year_counts(years) if kind == "latest_year" else ()
    undated = bool((years == UNDATED).any())
    text = _scope_text(kind, year, rows, len(graded), lines, counts, undated)
    return mask, Scope(kind, year, rows, len(graded), lines, counts, text)


def _year_counts(years: Any) -> tuple[YearCount, ...]:
    """How many lines show each year, latest first, undated (None) last."""
    distinct, counts = np.unique(years, return_counts=True)
    return tuple(
        YearCount(None if y == UNDATED else int(y), int(n))
        for y, n in zip(distinct[::-1].tolist(), counts[::-1].tolist(), strict=True)
    )


def _scope_text(
    kind: ScopeKind,
    year: int | None,
    rows: int,
    given: int,
    lines: int,
    counts: tuple[YearCount, ...],
    undated: bool,
) -> str:
    """The sentence a report prints about its summary's rows: English, keeping its
    :class:`~benchmark.i18n.Msg` to be said in the reader's language (:class:`Said`)."""
    if kind == "year":
        return Said(Msg("Year {year} only: {lines}.", year=year, lines=lines_msg(lines)))
    if kind == "every_year":
        template = (
            N_(
                "Every year, one group per year: {rows} rows of {lines}; shares and savings "
                "are per year, never added across years; rows without a year form the group "
                "'{undated}'."
            )
            if undated
            else N_(
                "Every year, one group per year: {rows} rows of {lines}; shares and savings "
                "are per year, never added across years."
            )
        )
        return Said(Msg(template, rows=f"{rows:,}", lines=lines_msg(lines), undated=UNDATED_GROUP))
    if not counts:
        return Said(Msg("Latest year of each line: no graded row."))
    parts = [_year_count(c, first=i == 0) for i, c in enumerate(counts)]
    undated_note: str | Msg = (
        Msg(" (rows without a year count as one undated year, older than any other)")
        if counts[-1].year is None
        else ""
    )
    partial: str | Msg = (
        Msg(
            "; {rows} of {given} rows, earlier years not added in",
            rows=f"{rows:,}",
            given=f"{given:,}",
        )
        if rows < given
        else ""
    )
    return Said(
        Msg(
            "Latest year of each line: {years}{undated}{partial}.",
            years=joined(parts, ", "),
            undated=undated_note,
            partial=partial,
        )
    )


def _year_count(count: YearCount, first: bool) -> Msg:
    """``2025 for 40 lines`` (the first), ``2024 for 3`` (the others), ``no year for …``."""
    lines: str | Msg = lines_msg(count.lines) if first else f"{count.lines:,}"
    if count.year is None:
        return Msg("no year for {lines}", lines=lines)
    return Msg("{year} for {lines}", year=count.year, lines=lines)


def _labels(graded: pd.DataFrame, keep: Any, catalogue: Catalogue, group_by: str) -> Any:
    if group_by == "sector":
        sectors = {a.id: a.sector for a in catalogue.areas}
        return graded["area"][keep].map(sectors).to_numpy(dtype=object)
    if group_by in graded.columns:
        column = graded[group_by][keep]
        if group_by == "year":
            column = column.astype("Int64").astype("string").fillna(UNDATED_GROUP)
        return column.astype("object").fillna("(blank)").to_numpy(dtype=object)
    return np.full(int(np.count_nonzero(keep)), "(blank)", dtype=object)


def _per_group_sets(group: IntArray, codes: IntArray, k: int) -> list[set[int]]:
    """The distinct codes (≥ 0) in each group, from the distinct (group, code) pairs."""
    width = int(codes.max(initial=0)) + 1
    found: list[set[int]] = [set() for _ in range(k)]
    valid = codes >= 0
    for pair in np.unique(group[valid] * width + codes[valid]).tolist():
        found[pair // width].add(pair % width)
    return found


def _groups(
    rows: _Rows, group: IntArray, names: list[str], weighted: bool
) -> tuple[list[GroupSummary], tuple[FloatArray, FloatArray]]:
    """Every group at once: bincounts over the group codes; and the savings per group."""
    k = len(names)

    def per_group(values: Any) -> FloatArray:
        return np.asarray(np.bincount(group, weights=values, minlength=k), dtype=np.float64)

    counts = [np.bincount(group[rows.tier == i], minlength=k) for i in range(4)]
    graded = rows.tier < 3  # to_check rows weigh nothing
    complete = (
        per_group((np.isnan(rows.weight) & graded).astype(float)) == 0
        if weighted
        else np.zeros(k, dtype=bool)
    )
    w = np.where(complete[group], rows.weight, 1.0)
    w = np.where(np.isnan(w), 1.0, w) * graded
    at, below, total = (
        per_group(w * (rows.tier == 0)),
        per_group(w * (rows.tier == 2)),
        per_group(w),
    )
    savings = per_group(rows.saving_bench), per_group(rows.saving_base)
    bases = _per_group_sets(group, np.where(graded, rows.basis, -1), k)
    statuses = _per_group_sets(group, rows.status_codes, k)
    out = []
    for g, name in enumerate(names):
        out.append(
            GroupSummary(
                group=name,
                rows=int(sum(c[g] for c in counts)),
                benchmark=int(counts[0][g]),
                between=int(counts[1][g]),
                below_baseline=int(counts[2][g]),
                to_check=int(counts[3][g]),
                share_at_benchmark=float(at[g]) / float(total[g]) if total[g] > 0 else None,
                share_below_baseline=float(below[g]) / float(total[g]) if total[g] > 0 else None,
                share_basis=_basis_name(bases[g]) if complete[g] else "rows",
                saving_to_benchmark_tce=float(savings[0][g]),
                saving_to_baseline_tce=float(savings[1][g]),
                unconfirmed_levels=sorted({rows.statuses[c] for c in statuses[g]} - {"confirmed"}),
            )
        )
    return out, savings


def _basis_name(bases: set[int]) -> ShareBasis:
    if bases == {0}:
        return "capacity"
    if bases == {1}:
        return "output"
    return "capacity/output"


def _area(group: GroupSummary, area: Area, catalogue: Catalogue) -> AreaSummary:
    target = catalogue.target_for(area)
    share = group.share_at_benchmark
    national = area.national_2020
    return AreaSummary(
        **{f.name: getattr(group, f.name) for f in dataclasses.fields(GroupSummary)},
        name_zh=area.name_zh,
        name_en=area.name_en,
        unit=area.unit,
        target_share=target,
        meets_target=None if share is None else bool(share >= target),
        target_below_baseline=area.target_below_baseline,
        meets_below_baseline_target=meets_below_baseline(
            group.share_below_baseline, area.target_below_baseline
        ),
        national_2020=None
        if national is None
        else NationalShares(Share.of(national.at_benchmark), Share.of(national.below_baseline)),
    )


def _totals(
    rows: _Rows,
    groups: Sequence[GroupSummary],
    group_by: str,
    savings: tuple[FloatArray, FloatArray],
) -> Totals:
    """The totals; savings add the groups' (in group order, as the groups were summed)."""
    n = len(rows.tier)
    to_check = int((rows.tier == 3).sum())
    graded = n - to_check
    by_area = group_by == "area"
    pooled = group_by != "year"  # shares and savings of different years do not add up
    return Totals(
        rows=n,
        benchmark=int((rows.tier == 0).sum()),
        between=int((rows.tier == 1).sum()),
        below_baseline=int((rows.tier == 2).sum()),
        to_check=to_check,
        share_at_benchmark=float((rows.tier == 0).sum()) / graded if graded and pooled else None,
        share_below_baseline=float((rows.tier == 2).sum()) / graded if graded and pooled else None,
        share_basis="rows",
        areas_meeting_target=sum(1 for g in groups if isinstance(g, AreaSummary) and g.meets_target)
        if by_area
        else None,
        areas=len(groups) if by_area else None,
        saving_to_benchmark_tce=float(savings[0].sum()) if pooled else None,
        saving_to_baseline_tce=float(savings[1].sum()) if pooled else None,
        unconfirmed_levels=sorted(set(rows.statuses) - {"confirmed"}),
    )

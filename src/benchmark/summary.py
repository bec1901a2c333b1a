"""Summaries of graded rows against the policy targets.

The policy counts capacity: each area's own 2025 target (15% for ammonia, 20% flat glass, 40%
caustic soda, 50% for six areas, 30% elsewhere) is a share of its capacity at or better than
the benchmark level, and a ceiling on the share below the baseline. Shares are therefore
weighted by capacity, by output where capacity is missing, and by rows only where a group has
neither for some row. Tonnes of clinker and tonnes of steel do not add up: weights apply within
one area only; groups across areas (sector, region, enterprise) and the totals count rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from benchmark.catalogue import Area, Catalogue
from benchmark.codes import factorize
from benchmark.fields import TIERS, TO_CHECK
from benchmark.results import (
    GROUP_BYS,
    AreaSummary,
    GroupSummary,
    NationalShares,
    Share,
    ShareBasis,
    Summary,
    Totals,
    meets_below_baseline,
)

__all__ = ["GROUP_BYS", "AreaSummary", "GroupSummary", "Summary", "Totals", "factorize_tiers",
           "meets_below_baseline", "summarise"]

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
        tier_codes = factorize_tiers(graded["tier"]) if "tier" in graded.columns else \
            np.full(len(graded), -1, dtype=np.int64)
        keep = tier_codes >= 0

        def numbers(name: str) -> FloatArray:
            if name not in graded.columns:
                return np.full(int(keep.sum()), np.nan)
            column = pd.to_numeric(graded[name], errors="coerce").to_numpy(dtype="float64")
            return np.asarray(column[keep], dtype=np.float64)

        capacity, output = numbers("capacity"), numbers("output")
        status = graded["level_status"][keep] if "level_status" in graded.columns else \
            pd.Series([None] * int(keep.sum()), dtype="object")
        status_codes, statuses = factorize(status)
        return cls(
            tier=tier_codes[keep],
            weight=np.where(capacity > 0, capacity, np.where(output > 0, output, np.nan)),
            basis=np.where(capacity > 0, 0, np.where(output > 0, 1, 2)).astype(np.int64),
            saving_bench=np.nan_to_num(numbers("saving_to_benchmark_tce")),
            saving_base=np.nan_to_num(numbers("saving_to_baseline_tce")),
            statuses=[str(s) for s in statuses], status_codes=status_codes), keep


def summarise(graded: pd.DataFrame, catalogue: Catalogue, group_by: str = "area") -> Summary:
    """Rows per tier, shares of capacity at benchmark and below baseline, savings in tce.

    Area groups carry the area's own targets, whether they are met, and the national 2020
    shares as the starting point. Weights are used only where every row of a group has one: a
    share over the few rows that report capacity would misstate the group; otherwise rows are
    counted, and ``share_basis`` says so. Computed with integer codes and bincount, not
    groupby over text, so a million rows summarise in well under a second.
    """
    if group_by not in GROUP_BYS:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BYS)}, not {group_by!r}")
    rows, keep = _Rows.of(graded)
    group, names = factorize(_labels(graded, keep, catalogue, group_by))
    groups, savings = _groups(rows, group, [str(n) for n in names], weighted=group_by == "area")
    if group_by == "area":
        by_id = {a.id: a for a in catalogue.areas}
        groups = [_area(g, by_id[g.group], catalogue) for g in groups]
        order = {a.id: i for i, a in enumerate(catalogue.areas)}
        groups.sort(key=lambda g: order.get(g.group, 10**6))
    else:
        groups.sort(key=lambda g: g.group)
    return Summary(group_by, tuple(groups), _totals(rows, groups, group_by, savings))


def _labels(graded: pd.DataFrame, keep: Any, catalogue: Catalogue, group_by: str) -> Any:
    if group_by == "sector":
        sectors = {a.id: a.sector for a in catalogue.areas}
        return graded["area"][keep].map(sectors).to_numpy(dtype=object)
    if group_by in graded.columns:
        column = graded[group_by][keep]
        if group_by == "year":
            column = column.astype("Int64").astype("string")
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


def _groups(rows: _Rows, group: IntArray, names: list[str], weighted: bool
            ) -> tuple[list[GroupSummary], tuple[FloatArray, FloatArray]]:
    """Every group at once: bincounts over the group codes; and the savings per group."""
    k = len(names)

    def per_group(values: Any) -> FloatArray:
        return np.asarray(np.bincount(group, weights=values, minlength=k), dtype=np.float64)

    counts = [np.bincount(group[rows.tier == i], minlength=k) for i in range(4)]
    graded = rows.tier < 3  # to_check rows weigh nothing
    complete = per_group((np.isnan(rows.weight) & graded).astype(float)) == 0 if weighted \
        else np.zeros(k, dtype=bool)
    w = np.where(complete[group], rows.weight, 1.0)
    w = np.where(np.isnan(w), 1.0, w) * graded
    at, below, total = per_group(w * (rows.tier == 0)), per_group(w * (rows.tier == 2)), \
        per_group(w)
    savings = per_group(rows.saving_bench), per_group(rows.saving_base)
    bases = _per_group_sets(group, np.where(graded, rows.basis, -1), k)
    statuses = _per_group_sets(group, rows.status_codes, k)
    out = []
    for g, name in enumerate(names):
        out.append(GroupSummary(
            group=name, rows=int(sum(c[g] for c in counts)),
            benchmark=int(counts[0][g]), between=int(counts[1][g]),
            below_baseline=int(counts[2][g]), to_check=int(counts[3][g]),
            share_at_benchmark=float(at[g]) / float(total[g]) if total[g] > 0 else None,
            share_below_baseline=float(below[g]) / float(total[g]) if total[g] > 0 else None,
            share_basis=_basis_name(bases[g]) if complete[g] else "rows",
            saving_to_benchmark_tce=float(savings[0][g]),
            saving_to_baseline_tce=float(savings[1][g]),
            unconfirmed_levels=sorted({rows.statuses[c] for c in statuses[g]} - {"confirmed"})))
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
        name_zh=area.name_zh, name_en=area.name_en, unit=area.unit, target_share=target,
        meets_target=None if share is None else bool(share >= target),
        target_below_baseline=area.target_below_baseline,
        meets_below_baseline_target=meets_below_baseline(group.share_below_baseline,
                                                         area.target_below_baseline),
        national_2020=None if national is None else NationalShares(
            Share.of(national.at_benchmark), Share.of(national.below_baseline)))


def _totals(rows: _Rows, groups: Sequence[GroupSummary], group_by: str,
            savings: tuple[FloatArray, FloatArray]) -> Totals:
    """The totals; savings add the groups' (in group order, as the groups were summed)."""
    n = len(rows.tier)
    to_check = int((rows.tier == 3).sum())
    graded = n - to_check
    by_area = group_by == "area"
    return Totals(
        rows=n, benchmark=int((rows.tier == 0).sum()), between=int((rows.tier == 1).sum()),
        below_baseline=int((rows.tier == 2).sum()), to_check=to_check,
        share_at_benchmark=float((rows.tier == 0).sum()) / graded if graded else None,
        share_below_baseline=float((rows.tier == 2).sum()) / graded if graded else None,
        share_basis="rows",
        areas_meeting_target=sum(1 for g in groups if isinstance(g, AreaSummary)
                                 and g.meets_target) if by_area else None,
        areas=len(groups) if by_area else None,
        saving_to_benchmark_tce=float(savings[0].sum()),
        saving_to_baseline_tce=float(savings[1].sum()),
        unconfirmed_levels=sorted(set(rows.statuses) - {"confirmed"}))


def factorize_tiers(tiers: Any) -> IntArray:
    """Tier names as codes 0 (benchmark), 1 (between), 2 (below_baseline), 3 (to_check),
    -1 (none)."""
    codes, uniques = factorize(tiers)
    order = [*TIERS, TO_CHECK]
    remap = np.array([order.index(str(u)) for u in uniques] + [-1], dtype=np.int64)
    return np.asarray(remap[np.where(codes < 0, len(uniques), codes)], dtype=np.int64)

"""Summaries of graded rows against the policy targets.

The policy counts capacity: the 2025 target is that a share of each area's capacity (30%; 50%
for copper, lead and zinc smelting) reaches the benchmark level. Shares are therefore weighted
by capacity, by output where capacity is missing, and by rows only where a group has neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from benchmark.catalogue import Catalogue
from benchmark.grading import TIERS

if TYPE_CHECKING:
    import pandas as pd

GroupBy = Literal["area", "sector", "region", "enterprise"]
GROUP_BYS: tuple[str, ...] = ("area", "sector", "region", "enterprise")


def _shares(group: pd.DataFrame) -> dict[str, Any]:
    """Shares at benchmark and below baseline, weighted by capacity (else output).

    Weights are used only when every row of the group has one: a share over the few rows that
    report capacity would misstate the group. Otherwise rows are counted, and the basis says so.
    """
    import numpy as np

    weight = group["_weight"].to_numpy(dtype="float64")
    tier = group["tier"].to_numpy(dtype=object)
    if len(weight) and not np.isnan(weight).any():
        bases = set(group["_basis"])
        basis = bases.pop() if len(bases) == 1 else "capacity/output"
        w = weight
    else:
        w, basis = np.ones(len(tier)), "rows"
    total = float(w.sum())
    return {
        "share_at_benchmark": float(w[tier == "benchmark"].sum()) / total if total else None,
        "share_below_baseline": (float(w[tier == "below_baseline"].sum()) / total
                                 if total else None),
        "share_basis": basis,
    }


def summarise(graded: pd.DataFrame, catalogue: Catalogue,
              group_by: str = "area") -> dict[str, Any]:
    """Rows per tier, shares of capacity at benchmark and below baseline, savings in tce.

    Returns ``{"group_by": …, "groups": [...], "totals": {...}}``; for ``area`` groups each
    group also carries the area's target share and whether it is met, and the statuses of the
    levels its verdicts rest on.
    """
    import numpy as np
    import pandas as pd

    if group_by not in GROUP_BYS:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BYS)}, not {group_by!r}")
    frame = graded[graded["tier"].notna()].copy()
    missing = pd.Series(np.nan, index=frame.index)
    capacity = pd.to_numeric(frame["capacity"], errors="coerce") if "capacity" in frame \
        else missing
    output = pd.to_numeric(frame["output"], errors="coerce") if "output" in frame else missing
    frame["_weight"] = capacity.where(capacity > 0).fillna(output.where(output > 0))
    frame["_basis"] = np.where(capacity.gt(0), "capacity",
                               np.where(output.gt(0), "output", "rows"))
    if group_by == "sector":
        sectors = {a.id: a.sector for a in catalogue.areas}
        frame["_group"] = frame["area"].map(sectors)
    else:
        frame["_group"] = frame[group_by].fillna("(blank)") if group_by in frame else "(blank)"

    groups: list[dict[str, Any]] = []
    for key, group in frame.groupby("_group", sort=False, dropna=False):
        counts = group["tier"].value_counts()
        record: dict[str, Any] = {"group": str(key), "rows": len(group)}
        record.update({t: int(counts.get(t, 0)) for t in TIERS})
        record.update(_shares(group))
        record["saving_to_benchmark_tce"] = float(group["saving_to_benchmark_tce"].sum())
        record["saving_to_baseline_tce"] = float(group["saving_to_baseline_tce"].sum())
        statuses = sorted(set(group["level_status"].dropna()) - {"confirmed"})
        record["unconfirmed_levels"] = statuses
        if group_by == "area":
            area = catalogue.area(str(key))
            target = catalogue.target_for(area)
            share = record["share_at_benchmark"]
            record.update({"name_zh": area.name_zh, "name_en": area.name_en,
                           "unit": area.unit, "target_share": target,
                           "meets_target": None if share is None else bool(share >= target)})
        groups.append(record)
    order = {a.id: i for i, a in enumerate(catalogue.areas)}
    if group_by == "area":
        groups.sort(key=lambda g: order.get(g["group"], 10**6))
    else:
        groups.sort(key=lambda g: g["group"])

    counts = frame["tier"].value_counts()
    totals: dict[str, Any] = {"rows": len(frame)}
    totals.update({t: int(counts.get(t, 0)) for t in TIERS})
    totals.update(_shares(frame) if len(frame) else {
        "share_at_benchmark": None, "share_below_baseline": None, "share_basis": "rows"})
    totals["saving_to_benchmark_tce"] = float(frame["saving_to_benchmark_tce"].sum())
    totals["saving_to_baseline_tce"] = float(frame["saving_to_baseline_tce"].sum())
    totals["unconfirmed_levels"] = sorted(set(frame["level_status"].dropna()) - {"confirmed"})
    return {"group_by": group_by, "groups": groups, "totals": totals}

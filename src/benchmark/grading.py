"""Grading: a pure, vectorised function from validated rows to verdicts.

Lower figures are better. A value at or under the benchmark level is ``benchmark``; over it and
at or under the baseline is ``between``; over the baseline is ``below_baseline`` (it must be
upgraded or retired by the catalogue's deadline). The same rule holds for negative levels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from benchmark.catalogue import Catalogue, level_arrays, load_catalogue
from benchmark.units import FACTORS, kgce_per_unit

if TYPE_CHECKING:
    import pandas as pd

Tier = Literal["benchmark", "between", "below_baseline"]
#: Tiers from best to worst.
TIERS: tuple[str, ...] = ("benchmark", "between", "below_baseline")
TIER_LABELS_ZH: dict[str, str] = {
    "benchmark": "标杆", "between": "基准–标杆", "below_baseline": "低于基准"}

#: Columns ``grade`` adds, in order.
GRADE_COLUMNS: tuple[str, ...] = (
    "benchmark", "baseline", "level_status", "tier", "gap_to_benchmark", "gap_to_baseline",
    "gap_to_benchmark_pct", "gap_to_baseline_pct", "score", "saving_to_benchmark",
    "saving_to_baseline", "saving_unit", "saving_to_benchmark_tce", "saving_to_baseline_tce",
    "deadline",
)


def tiers_at_or_worse(tier: str) -> tuple[str, ...]:
    """The tiers that fail a ``--fail-on tier`` gate."""
    return TIERS[TIERS.index(tier):]


def grade(frame: pd.DataFrame, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Grade rows against the catalogue; return a copy with the verdict columns added.

    ``frame`` needs ``area`` (catalogue id), ``value`` (in the catalogue unit) and, for areas
    with several levels, ``category`` (catalogue id) — as :func:`benchmark.read_plants` returns
    them. ``output`` (annual output) gives savings. Rows whose area or category is not in the
    catalogue get no tier. No per-row Python: a million rows grade in a fraction of a second.
    """
    import numpy as np
    import pandas as pd

    cat = catalogue or load_catalogue()
    n = len(frame)
    areas = frame["area"] if "area" in frame.columns else pd.Series([None] * n)
    categories = frame["category"] if "category" in frame.columns else pd.Series([None] * n)
    levels = level_arrays(cat, areas.to_numpy(dtype=object), categories.to_numpy(dtype=object))
    value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype="float64")
    bench, base = levels["benchmark"], levels["baseline"]
    found = levels["found"] & ~np.isnan(value)

    # Worst first, so that each better tier overwrites: the boundaries belong to the better tier.
    tier = np.full(n, None, dtype=object)
    tier[value > base] = "below_baseline"
    tier[value <= base] = "between"
    tier[value <= bench] = "benchmark"
    tier[~found] = None
    gap_bench = value - bench
    gap_base = value - base
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_bench = np.where(bench > 0, gap_bench / bench * 100.0, np.nan)
        pct_base = np.where(base > 0, gap_base / base * 100.0, np.nan)
        score = (base - value) / (base - bench) * 100.0

    output = (pd.to_numeric(frame["output"], errors="coerce").to_numpy(dtype="float64")
              if "output" in frame.columns else np.full(n, np.nan))
    saving_bench = np.clip(gap_bench, 0, None) * output
    saving_base = np.clip(gap_base, 0, None) * output
    units = levels["unit"]
    unit_codes, unit_uniques = pd.factorize(pd.Series(units, dtype="object"))
    to_kgce = np.array([kgce_per_unit(str(u)) for u in unit_uniques] + [np.nan])[unit_codes]
    numerators = np.array([str(u).split("/")[0] for u in unit_uniques] + [None],
                          dtype=object)[unit_codes]
    deadline = np.full(n, None, dtype=object)
    deadline[tier == "below_baseline"] = cat.deadline.isoformat()

    added: dict[str, Any] = {
        "benchmark": bench,
        "baseline": base,
        "level_status": pd.Series(levels["level_status"], dtype="string"),
        "tier": pd.Series(tier, dtype="string"),
        "gap_to_benchmark": gap_bench,
        "gap_to_baseline": gap_base,
        "gap_to_benchmark_pct": pct_bench,
        "gap_to_baseline_pct": pct_base,
        "score": score,
        "saving_to_benchmark": saving_bench,
        "saving_to_baseline": saving_base,
        "saving_unit": pd.Series(numerators, dtype="string"),
        "saving_to_benchmark_tce": saving_bench * to_kgce / 1000.0,
        "saving_to_baseline_tce": saving_base * to_kgce / 1000.0,
        "deadline": pd.Series(deadline, dtype="string"),
    }
    result = frame.reset_index(drop=True).copy()
    for name, column in added.items():
        result[name] = column.to_numpy() if isinstance(column, pd.Series) else column
        if isinstance(column, pd.Series):
            result[name] = result[name].astype("string")
    return result


def factors_metadata() -> dict[str, Any]:
    """The conversion factors behind the tce figures, stated in every output."""
    return {**FACTORS, "source": "GB/T 2589-2020", "electricity": "equivalent value (当量值)"}

"""Grading: a pure, vectorised function from validated rows to verdicts.

Lower figures are better. A value at or under the benchmark level is ``benchmark``; over it and
at or under the baseline is ``between``; over the baseline is ``below_baseline`` (it must be
upgraded or retired by the catalogue's deadline). The same rule holds for negative levels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from benchmark.catalogue import Catalogue, level_index, load_catalogue
from benchmark.columns import lookup, take_strings
from benchmark.units import FACTORS, kgce_per_unit, numerator_symbol

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


#: Decimal places of the derived figures (gaps, percentages, score, savings): enough for any
#: unit of the catalogue, and free of binary noise such as 7.899999999999977 for 307.9 − 300.
DECIMALS = 6


def grade(frame: pd.DataFrame, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Grade rows against the catalogue; return a copy with the verdict columns added.

    ``frame`` needs ``area`` (catalogue id), ``value`` (in the catalogue unit) and, for areas
    with several levels, ``category`` (catalogue id) — as :func:`benchmark.read_plants` returns
    them. ``output`` (annual output) gives savings. Rows whose area or category is not in the
    catalogue get no tier. No per-row Python: a million rows grade in a fraction of a second.
    Tiers compare the exact figures; the derived ones are rounded to :data:`DECIMALS` places.
    """
    import numpy as np
    import pandas as pd

    cat = catalogue or load_catalogue()
    n = len(frame)
    missing = np.full(n, None, dtype=object)
    areas = frame["area"] if "area" in frame.columns else missing
    categories = frame["category"] if "category" in frame.columns else missing
    levels = list(cat.iter_levels())
    lidx = level_index(cat, areas, categories)
    value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype="float64")
    bench = lookup([lv.benchmark for _, lv in levels], lidx, np.nan).astype("float64")
    base = lookup([lv.baseline for _, lv in levels], lidx, np.nan).astype("float64")
    found = (lidx >= 0) & ~np.isnan(value)

    # Worst first, so that each better tier overwrites: the boundaries belong to the better tier.
    tier = np.full(n, -1, dtype=np.int64)
    tier[value > base] = 2
    tier[value <= base] = 1
    tier[value <= bench] = 0
    tier[~found] = -1
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
    to_kgce = lookup([kgce_per_unit(a.unit) for a, _ in levels], lidx, np.nan).astype("float64")

    def tidy(x: Any) -> Any:
        return np.round(x, DECIMALS)

    result = frame.copy(deep=False)
    added: dict[str, Any] = {
        "benchmark": bench,
        "baseline": base,
        "level_status": take_strings([lv.status for _, lv in levels], lidx),
        "tier": take_strings(list(TIERS), tier),
        "gap_to_benchmark": tidy(gap_bench),
        "gap_to_baseline": tidy(gap_base),
        "gap_to_benchmark_pct": tidy(pct_bench),
        "gap_to_baseline_pct": tidy(pct_base),
        "score": tidy(score),
        "saving_to_benchmark": tidy(saving_bench),
        "saving_to_baseline": tidy(saving_base),
        "saving_unit": take_strings([numerator_symbol(a.unit) for a, _ in levels], lidx),
        "saving_to_benchmark_tce": tidy(saving_bench * to_kgce / 1000.0),
        "saving_to_baseline_tce": tidy(saving_base * to_kgce / 1000.0),
        "deadline": take_strings([cat.deadline.isoformat()], np.where(tier == 2, 0, -1)),
    }
    for name, column in added.items():
        result[name] = column.array if isinstance(column, pd.Series) else column
    return result


def factors_metadata() -> dict[str, Any]:
    """The conversion factors behind the tce figures, stated in every output."""
    return {**FACTORS, "source": "GB/T 2589-2020", "electricity": "equivalent value (当量值)"}

"""Time ``track`` and ``lists`` on a million graded rows: 200,000 lines × 5 years (2021–2025).

The frame is built in memory (no file I/O), as :func:`benchmark.read_plants` would return it —
Arrow-backed text, Int64 years, every area and category of the shipped catalogue, values drifting
around the levels so that all tiers, trends and deadline statuses occur — then graded with
:func:`benchmark.grade` (not timed). Run: ``python benchmarks/track_1m.py [--lines N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import pandas as pd

import benchmark
from benchmark.catalogue import load_catalogue
from benchmark.tracking import lists, track

YEARS = (2021, 2022, 2023, 2024, 2025)
REGIONS = ("河北", "山东", "江苏", "浙江", "河南", "内蒙古", "新疆", None)


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype="string[pyarrow]")


def synthetic_frame(lines: int, seed: int = 0) -> pd.DataFrame:
    """``lines`` lines, each with a row per year in :data:`YEARS`, rows in year blocks (as a
    workbook with one sheet per year would be merged)."""
    rng = np.random.default_rng(seed)
    levels = list(load_catalogue().iter_levels())
    level = rng.integers(0, len(levels), lines)
    bench = np.array([lv.benchmark for _, lv in levels])[level]
    base = np.array([lv.baseline for _, lv in levels])[level]
    gap = base - bench
    start = base + gap * rng.normal(0.0, 0.8, lines)
    drift = gap * rng.normal(-0.1, 0.15, lines)
    k = len(YEARS)
    index = np.tile(np.arange(lines), k)
    step = np.repeat(np.arange(k), lines)
    enterprise = np.char.add("企业", (np.arange(lines) // 4).astype(str))
    line = np.char.add(((np.arange(lines) % 4) + 1).astype(str), "#线")
    return pd.DataFrame(
        {
            "enterprise": _text(enterprise[index]),
            "line": _text(line[index]),
            "region": _text(np.array(REGIONS, dtype=object)[index % len(REGIONS)]),
            "year": pd.array(np.array(YEARS)[step], dtype="Int64"),
            "area": _text(np.array([a.id for a, _ in levels], dtype=object)[level][index]),
            "category": _text(
                np.array([lv.category for _, lv in levels], dtype=object)[level][index]
            ),
            "value": np.round(start[index] + drift[index] * step, 3),
            "capacity": np.round(rng.uniform(10, 500, lines), 1)[index],
            "output": np.round(rng.uniform(5, 400, lines), 1)[index],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    catalogue = load_catalogue()
    graded = benchmark.grade(synthetic_frame(args.lines), catalogue)
    as_of = dt.date(2026, 11, 30)
    print(f"{len(graded):,} rows, {args.lines:,} lines")
    started = time.perf_counter()
    tracking = track(graded, catalogue, as_of)
    print(
        f"track: {time.perf_counter() - started:.2f} s ({len(tracking.lines):,} lines, "
        f"{len(tracking.by_year)} area-years)"
    )
    started = time.perf_counter()
    published = lists(graded, catalogue, as_of)
    print(
        f"lists: {time.perf_counter() - started:.2f} s ({len(published.advanced):,} advanced, "
        f"{len(published.lagging):,} lagging)"
    )
    started = time.perf_counter()
    published = lists(graded, catalogue, as_of, year=2023)
    print(f"lists --year 2023: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()

"""Grading: a pure, vectorised function from validated rows to verdicts.

Lower figures are better. A value at or under the benchmark level is ``benchmark``; over it and
at or under the baseline is ``between``; over the baseline is ``below_baseline`` (it must be
upgraded or retired by the catalogue's deadline). The same rule holds for negative levels. A
value under half the benchmark or over twice the baseline is ``to_check``: most often a unit
slip, it counts toward no tier's share and no saving until someone checks it (W201).

A below-baseline row is also judged against that deadline as of a reporting date
(``deadline_status``): the date is an argument, never read from the clock here unless the
caller leaves it out, so that a report of 2026 about 2025 says the deadline has passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from benchmark._codes import take_strings
from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.fields import TIERS, TO_CHECK, Tier
from benchmark.levels import implausible, level_table
from benchmark.units import factors_metadata

__all__ = [
    "DECIMALS",
    "TIERS",
    "GradeInputError",
    "Tier",
    "check_grade_input",
    "factors_metadata",
    "grade",
    "tiers_at_or_worse",
]


def tiers_at_or_worse(tier: str) -> tuple[str, ...]:
    """The tiers that fail a ``--fail-on tier`` gate."""
    return TIERS[TIERS.index(tier) :]  # type: ignore[arg-type]


#: Decimal places of the derived figures (gaps, percentages, score, savings): enough for any
#: unit of the catalogue, and free of binary noise such as 7.899999999999977 for 307.9 − 300.
DECIMALS = 6


def _numbers(frame: pd.DataFrame, name: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return np.asarray(pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64"))


def grade(
    frame: pd.DataFrame, catalogue: Catalogue | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Grade rows against the catalogue; return a copy with the verdict columns added.

    ``frame`` needs ``area`` (catalogue id), ``value`` (in the catalogue unit) and, for areas
    with several levels, ``category`` (catalogue id) — as :func:`benchmark.read_plants` returns
    them. ``output`` (annual output) gives savings. Rows whose area or category is not in the
    catalogue get no tier. No per-row Python: a million rows grade in a fraction of a second.
    Tiers compare the exact figures; the derived ones are rounded to :data:`DECIMALS` places.
    ``deadline_status`` judges each below-baseline row against its area's deadline as of
    ``as_of`` (default: today; see :func:`benchmark.tracking.row_deadline_status`).
    """
    from benchmark.deadlines import row_deadline_status

    cat = catalogue or load_catalogue()
    table = level_table(cat)
    check_grade_input(frame, cat)
    n = len(frame)
    missing = np.full(n, None, dtype=object)
    level = table.index(
        frame["area"] if "area" in frame.columns else missing,
        frame["category"] if "category" in frame.columns else missing,
    )
    value = _numbers(frame, "value")
    bench, base = table.take(table.benchmark, level), table.take(table.baseline, level)
    found = (level >= 0) & ~np.isnan(value)

    # Worst first, so that each better tier overwrites: the boundaries belong to the better tier.
    tier = np.full(n, -1, dtype=np.int64)
    tier[value > base] = 2
    tier[value <= base] = 1
    tier[value <= bench] = 0
    to_check = implausible(value, bench, base)
    tier[to_check] = 3
    tier[~found] = -1
    gap_bench, gap_base = value - bench, value - base
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_bench = np.where(bench > 0, gap_bench / bench * 100.0, np.nan)
        pct_base = np.where(base > 0, gap_base / base * 100.0, np.nan)
        score = (base - value) / (base - bench) * 100.0
    score[to_check] = np.nan
    output = np.where(to_check, np.nan, _numbers(frame, "output"))
    saving_bench = np.clip(gap_bench, 0, None) * output
    saving_base = np.clip(gap_base, 0, None) * output
    to_kgce = table.take(table.kgce_per_unit, level)

    def tidy(x: Any) -> Any:
        return np.round(x, DECIMALS)

    result = frame.copy(deep=False)
    added: dict[str, Any] = {
        "benchmark": bench,
        "baseline": base,
        "level_status": take_strings(table.statuses, level),
        "tier": take_strings([*TIERS, TO_CHECK], tier),
        "gap_to_benchmark": tidy(gap_bench),
        "gap_to_baseline": tidy(gap_base),
        "gap_to_benchmark_pct": tidy(pct_bench),
        "gap_to_baseline_pct": tidy(pct_base),
        "score": tidy(score),
        "saving_to_benchmark": tidy(saving_bench),
        "saving_to_baseline": tidy(saving_base),
        "saving_unit": take_strings(table.saving_units, level),
        "saving_to_benchmark_tce": tidy(saving_bench * to_kgce / 1000.0),
        "saving_to_baseline_tce": tidy(saving_base * to_kgce / 1000.0),
        "deadline": take_strings(table.deadlines, np.where(tier == 2, level, -1)),
    }
    for name, column in added.items():
        result[name] = column.array if isinstance(column, pd.Series) else column
    result["deadline_status"] = row_deadline_status(result, cat, as_of).array
    return result


class GradeInputError(ValueError):
    """A frame :func:`grade` cannot grade: a column missing, or ids the catalogue lacks."""


def check_grade_input(frame: pd.DataFrame, catalogue: Catalogue) -> None:
    """Refuse, with a message that says what to do, a frame whose rows would silently get no
    tier: no ``area`` or ``value`` column, an area that is no catalogue id (a Chinese name or
    an alias: :func:`benchmark.validate_frame` turns those into ids), or a category that is no
    id of its area. Looks at distinct values only."""
    missing = [c for c in ("area", "value") if c not in frame.columns]
    if missing:
        raise GradeInputError(
            f"the frame has no {' or '.join(repr(c) for c in missing)} "
            "column; grade() takes validated rows (benchmark.read_plants or "
            "benchmark.validate_frame gives them)"
        )
    areas = {str(a) for a in pd.unique(frame["area"].dropna())}
    ids = {a.id for a in catalogue.areas}
    for area in sorted(areas - ids):
        hit = catalogue.resolve(area)
        hint = (
            f"did you mean {hit[0].id!r}?"
            if hit
            else (
                f"did you mean {' or '.join(repr(h) for h in catalogue.suggest(area))}?"
                if catalogue.suggest(area)
                else "`benchmark catalogue` lists the ids"
            )
        )
        raise GradeInputError(
            f"area {area!r} is not a catalogue id; {hint} "
            "(benchmark.validate_frame accepts names and aliases)"
        )
    _check_categories(frame, catalogue)
    if "unit" in frame.columns:
        pairs = frame[["area", "unit"]].dropna().drop_duplicates()
        for area_id, unit in pairs.itertuples(index=False):
            wanted = catalogue.area(str(area_id)).unit
            if str(unit) != wanted:
                raise GradeInputError(
                    f"{area_id} values are given in {unit!r}, not in the catalogue unit "
                    f"{wanted}: grade() compares values as they are (benchmark.validate_frame "
                    "converts units)"
                )


def _check_categories(frame: pd.DataFrame, catalogue: Catalogue) -> None:
    categories = (
        frame["category"]
        if "category" in frame.columns
        else pd.Series([None] * len(frame), index=frame.index, dtype="object")
    )
    pairs = (
        pd.DataFrame({"area": frame["area"], "category": categories})
        .dropna(subset=["area"])
        .drop_duplicates()
    )
    for area_id, category in pairs.itertuples(index=False):
        area = catalogue.area(str(area_id))
        ids = [str(lv.category) for lv in area.levels if lv.category]
        if pd.isna(category):
            if ids:
                raise GradeInputError(
                    f"{area_id} rows need a category id (one of {', '.join(ids)})"
                )
        elif str(category) not in ids:
            raise GradeInputError(
                f"category {category!r} is not a category id of {area_id} "
                f"(ids: {', '.join(ids) or 'none: a single level'})"
            )

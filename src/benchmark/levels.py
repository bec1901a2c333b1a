"""The catalogue's level rows as arrays, built once per catalogue for validation and grading.

Rows refer to levels by their index in :meth:`Catalogue.iter_levels` order, and to areas by
their index in ``catalogue.areas``: every per-level figure (benchmark, baseline, status, the
coal equivalent of the unit) is then one numpy take over the rows, never a dict lookup a row.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmark._codes import combine, factorize
from benchmark.catalogue import Area, Catalogue, Level
from benchmark.units import kgce_per_unit, numerator_symbol

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, eq=False)
class LevelTable:
    """Per level and per area, what validation and grading take by index."""

    catalogue: Catalogue
    levels: tuple[tuple[Area, Level], ...]
    #: Per level.
    level_area: IntArray
    categories: list[str | None]
    benchmark: FloatArray
    baseline: FloatArray
    statuses: list[str]
    kgce_per_unit: FloatArray
    saving_units: list[str]
    deadlines: list[str]
    #: Per area.
    area_ids: list[str]
    area_units: list[str]
    all_positive: np.ndarray[Any, np.dtype[np.bool_]]
    #: (area id, category id) → level index; area id → area index.
    level_of: dict[tuple[str, str | None], int]
    area_of: dict[str, int]

    @classmethod
    def build(cls, cat: Catalogue) -> LevelTable:
        levels = tuple(cat.iter_levels())
        area_of = {a.id: i for i, a in enumerate(cat.areas)}
        return cls(
            catalogue=cat,
            levels=levels,
            level_area=np.array([area_of[a.id] for a, _ in levels], dtype=np.int64),
            categories=[lv.category for _, lv in levels],
            benchmark=np.array([lv.benchmark for _, lv in levels], dtype=np.float64),
            baseline=np.array([lv.baseline for _, lv in levels], dtype=np.float64),
            statuses=[lv.status for _, lv in levels],
            kgce_per_unit=np.array([kgce_per_unit(a.unit) for a, _ in levels], dtype=np.float64),
            saving_units=[numerator_symbol(a.unit) for a, _ in levels],
            deadlines=[cat.deadline_for(a).isoformat() for a, _ in levels],
            area_ids=[a.id for a in cat.areas],
            area_units=[a.unit for a in cat.areas],
            all_positive=np.array(
                [all(lv.baseline > 0 for lv in a.levels) for a in cat.areas], dtype=bool
            ),
            level_of={(a.id, lv.category): i for i, (a, lv) in enumerate(levels)},
            area_of=area_of,
        )

    def index(self, areas: Any, categories: Any) -> IntArray:
        """The level index of each row (-1 where there is none), from catalogue ids.

        ``areas`` and ``categories`` are array-likes of ids (category missing for areas with a
        single level). Each distinct pair is looked up once and spread with integer codes.
        """
        area_codes, area_uniques = factorize(areas)
        cat_codes, cat_uniques = factorize(categories)
        combo, first = combine(area_codes, cat_codes)
        found = []
        for row in first:
            a, c = int(area_codes[row]), int(cat_codes[row])
            if a < 0:
                found.append(-1)
                continue
            category = str(cat_uniques[c]) if c >= 0 else None
            found.append(self.level_of.get((str(area_uniques[a]), category), -1))
        return np.asarray(np.array(found, dtype=np.int64)[combo], dtype=np.int64)

    def take(self, per_level: FloatArray, level: IntArray) -> FloatArray:
        """``per_level[level]`` for every row, NaN where the row has no level."""
        out = np.asarray(per_level, dtype=np.float64)[np.maximum(level, 0)]
        out[level < 0] = np.nan
        return out


def implausible(
    value: FloatArray, benchmark: FloatArray, baseline: FloatArray
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Values under half the benchmark or over twice the baseline, for positive levels: most
    often a unit slip (0.118 typed in a kgce/t column: tce/t). Such a value is W201 when
    checked and ``to_check`` when graded: it counts toward no tier's share and no saving."""
    with np.errstate(invalid="ignore"):
        found: np.ndarray[Any, np.dtype[np.bool_]] = (benchmark > 0) & (
            (value < benchmark / 2) | (value > baseline * 2)
        )
    return found


@functools.lru_cache(maxsize=8)
def level_table(cat: Catalogue) -> LevelTable:
    """The catalogue's :class:`LevelTable`, built once per catalogue (a frozen, hashable
    model: the same catalogue loaded again is the same key)."""
    return LevelTable.build(cat)

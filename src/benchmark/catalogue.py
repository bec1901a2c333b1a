"""The catalogue of benchmark and baseline levels: its model, and lookup by name and alias.

The catalogue is data the user may replace (a province's stricter levels, a later edition);
:mod:`benchmark.catalogue_loading` reads a file and checks everything a verdict depends on,
reporting every fault with its YAML location, and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from benchmark.fields import STATUSES, Status

__all__ = ["STATUSES", "Area", "Catalogue", "CatalogueError", "Level", "Status", "load_catalogue"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class CategoryRange(_Strict):
    """The figure a category is defined by, when it is one (生产能力>800 t/d, 公称容量≥50 t,
    吸水率≤0.5%): a list giving its kiln's 1200 t/d instead of the category's name still picks
    its level. Bounds are optional; ``above``/``below`` exclude the bound, ``at_least``/
    ``at_most`` include it."""

    quantity: str = Field(pattern=r"^(t/d|t|%)$")
    above: float | None = None
    at_least: float | None = None
    below: float | None = None
    at_most: float | None = None

    def contains(self, value: float) -> bool:
        return (
            (self.above is None or value > self.above)
            and (self.at_least is None or value >= self.at_least)
            and (self.below is None or value < self.below)
            and (self.at_most is None or value <= self.at_most)
        )


class Level(_Strict):
    """One level row: the benchmark and baseline of an area, or of one category of it."""

    category: str | None = None
    name_zh: str = ""
    name_en: str = ""
    aliases: tuple[str, ...] = ()
    benchmark: float
    baseline: float
    standard: str = ""
    status: Status
    #: The official text that quotes this level (e.g. ``发改产业〔2022〕200号 附件11``).
    source: str = ""
    note: str = ""
    range: CategoryRange | None = None


class ReportedShare(_Strict):
    """A share as an official text states it: ``under`` keeps "under 5%" (小于5%) a bound,
    never a figure it is not."""

    share: float = Field(ge=0, le=1)
    under: bool = False


class National2020(_Strict):
    """The national starting point at the end of 2020: shares of capacity at the benchmark
    level and below the baseline level."""

    at_benchmark: ReportedShare | None = None
    below_baseline: ReportedShare | None = None


class SuccessorArea(_Strict):
    """An area that a later edition added (named so that a row of it is not "unknown")."""

    name_zh: str = Field(min_length=1)
    name_en: str = ""
    aliases: tuple[str, ...] = ()


class Successor(_Strict):
    """The edition that revised this one, when its levels are not part of this catalogue."""

    edition: str
    document: str
    title_zh: str = ""
    title_en: str = ""
    summary_zh: str = ""
    summary_en: str = ""
    new_areas_deadline: dt.date | None = None
    new_areas: tuple[SuccessorArea, ...] = ()


class Area(_Strict):
    """A key area (领域) of the catalogue, e.g. cement clinker, with its level rows."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    sector: str = Field(min_length=1)
    indicator_zh: str = ""
    indicator_en: str = ""
    unit: str
    aliases: tuple[str, ...] = ()
    #: The area's own 2025 target: share of capacity at or better than the benchmark level.
    target_share: float | None = Field(default=None, gt=0, le=1)
    #: The 2025 ceiling on capacity below the baseline (0: none left, 基本清零); None where
    #: the official text gives no figure.
    target_below_baseline: float | None = Field(default=None, ge=0, le=1)
    national_2020: National2020 | None = None
    target_source: str = ""
    target_note: str = ""
    #: The area's own upgrade-or-retire deadline (a later edition's new areas have a later
    #: one); None: the edition's.
    deadline: dt.date | None = None
    levels: tuple[Level, ...] = Field(min_length=1)

    @property
    def standard(self) -> str:
        """The standards the area's levels refer to, joined (the area-level contract field)."""
        return "; ".join(dict.fromkeys(lv.standard for lv in self.levels if lv.standard))

    @property
    def has_categories(self) -> bool:
        return len(self.levels) > 1 or self.levels[0].category is not None

    def level(self, category: str | None) -> Level:
        for lv in self.levels:
            if lv.category == category:
                return lv
        raise KeyError(category)

    def find_category(self, text: str) -> Level | None:
        """The level whose category id, name or alias matches ``text``, else the one whose
        range holds the figure ``text`` gives (``1200t/d``, ``0.3%``, ``60``)."""
        key = lookup_key(text)
        for lv in self.levels:
            if lv.category is None:
                continue
            names = (lv.category, lv.name_zh, lv.name_en, *lv.aliases)
            if any(lookup_key(n) == key for n in names if n):
                return lv
        figure = category_figure(text)
        if figure is None:
            return None
        value, quantity = figure
        return next(
            (
                lv
                for lv in self.levels
                if lv.range is not None
                and quantity in (None, lv.range.quantity)
                and lv.range.contains(value)
            ),
            None,
        )


class Catalogue(_Strict):
    """A whole edition: metadata and areas."""

    edition: str
    title_zh: str
    title_en: str
    document: str
    effective: dt.date
    deadline: dt.date
    #: The target share for areas that state none of their own.
    target_share: float = Field(gt=0, le=1)
    #: Where the levels come from: the official texts that quote the edition.
    sources: str = ""
    successor: Successor | None = None
    areas: tuple[Area, ...] = Field(min_length=1)
    source: str = Field(default="", exclude=True)
    sha256: str = Field(default="", exclude=True)

    def area(self, area_id: str) -> Area:
        return self._by_id[area_id]

    @functools.cached_property
    def _by_id(self) -> dict[str, Area]:
        return {a.id: a for a in self.areas}

    @functools.cached_property
    def _index(self) -> dict[str, tuple[str, str | None]]:
        """Lookup key → (area id, category id or None).

        Area names come first. A category name names its area too (转炉 is converter
        steelmaking) unless two areas share it (烟煤 is a feed of both ammonia and methanol):
        such a name only picks a category within an area that is already known.
        """
        index: dict[str, tuple[str, str | None]] = {}
        for area in self.areas:
            for name in area_names(area):
                index.setdefault(lookup_key(name), (area.id, None))
        owners: dict[str, set[str]] = {}
        for area, _level, name in _category_names(self):
            owners.setdefault(lookup_key(name), set()).add(area.id)
        for area, level, name in _category_names(self):
            key = lookup_key(name)
            if len(owners[key]) == 1:
                index.setdefault(key, (area.id, level.category))
        return index

    @functools.cached_property
    def _successor_index(self) -> dict[str, SuccessorArea]:
        if self.successor is None:
            return {}
        return {
            lookup_key(name): new
            for new in self.successor.new_areas
            for name in (new.name_zh, new.name_en, *new.aliases)
            if name
        }

    def resolve(self, text: str) -> tuple[Area, Level | None] | None:
        """Find the area (and, for a category alias such as 转炉, the level) that ``text`` names."""
        hit = self._index.get(lookup_key(text))
        if hit is None:
            return None
        area = self._by_id[hit[0]]
        return area, (area.level(hit[1]) if hit[1] is not None else None)

    def successor_area(self, text: str) -> SuccessorArea | None:
        """The area of the next edition that ``text`` names, when this catalogue lacks it."""
        return self._successor_index.get(lookup_key(text))

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Area ids whose names come close to ``text`` (for "did you mean …")."""
        key = lookup_key(text)
        matches = difflib.get_close_matches(key, list(self._index), n=n * 3, cutoff=0.6)
        seen: dict[str, None] = {}
        for m in matches:
            seen.setdefault(self._index[m][0])
        return list(seen)[:n]

    def deadline_for(self, area: Area) -> dt.date:
        """The date by which the area's below-baseline capacity had to be upgraded or retired."""
        return area.deadline if area.deadline is not None else self.deadline

    def target_for(self, area: Area) -> float:
        """The area's own 2025 target share at benchmark, else the edition's default."""
        return area.target_share if area.target_share is not None else self.target_share

    def iter_levels(self) -> Iterator[tuple[Area, Level]]:
        for area in self.areas:
            for lv in area.levels:
                yield area, lv


_FIGURE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(.*?)\s*$")
#: Units of a category's figure, as people write them.
_RANGE_UNITS = {
    "t/d": "t/d",
    "吨/天": "t/d",
    "吨/日": "t/d",
    "t/天": "t/d",
    "tpd": "t/d",
    "吨每天": "t/d",
    "t": "t",
    "吨": "t",
    "%": "%",
}


def category_figure(text: str) -> tuple[float, str | None] | None:
    """A figure and its quantity (``t/d``, ``t``, ``%`` or None when none is written) from a
    category cell such as ``1200t/d`` or ``0.3%``; None when the cell is no such figure."""
    m = _FIGURE.match(unicodedata.normalize("NFKC", str(text)).casefold())
    if m is None:
        return None
    unit = m.group(2).replace(" ", "")
    if not unit:
        return float(m.group(1)), None
    quantity = _RANGE_UNITS.get(unit)
    return (float(m.group(1)), quantity) if quantity else None


def area_names(area: Area) -> tuple[str, ...]:
    return tuple(n for n in (area.id, area.name_zh, area.name_en, *area.aliases) if n)


def _category_names(cat: Catalogue) -> Iterator[tuple[Area, Level, str]]:
    for area in cat.areas:
        for lv in area.levels:
            if lv.category is not None:
                for name in (lv.category, lv.name_zh, lv.name_en, *lv.aliases):
                    if name:
                        yield area, lv, name


_IGNORED_IN_KEYS = re.compile(r"[\s_\-\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+")


def lookup_key(text: str) -> str:
    """Normalise a name for lookup: width, case, spaces, dashes and underscores don't matter."""
    return _IGNORED_IN_KEYS.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


def catalogue_as_dict(cat: Catalogue) -> dict[str, Any]:
    """The catalogue in the stable JSON contract of ``benchmark catalogue --format json``."""
    return {
        "edition": cat.edition,
        "document": cat.document,
        "title_zh": cat.title_zh,
        "title_en": cat.title_en,
        "effective": cat.effective.isoformat(),
        "deadline": cat.deadline.isoformat(),
        "target_share": cat.target_share,
        "sources": cat.sources,
        "successor": None if cat.successor is None else cat.successor.model_dump(mode="json"),
        "sha256": cat.sha256,
        "areas": [_area_as_dict(cat, a) for a in cat.areas],
    }


def _area_as_dict(cat: Catalogue, area: Area) -> dict[str, Any]:
    return {
        "id": area.id,
        "name_zh": area.name_zh,
        "name_en": area.name_en,
        "sector": area.sector,
        "indicator_zh": area.indicator_zh,
        "indicator_en": area.indicator_en,
        "unit": area.unit,
        "standard": area.standard,
        "target_share": cat.target_for(area),
        "target_below_baseline": area.target_below_baseline,
        "national_2020": (
            None if area.national_2020 is None else area.national_2020.model_dump(mode="json")
        ),
        "target_source": area.target_source,
        "target_note": area.target_note,
        "deadline": cat.deadline_for(area).isoformat(),
        "aliases": list(area.aliases),
        "levels": [
            {
                "category": lv.category,
                "name_zh": lv.name_zh,
                "name_en": lv.name_en,
                "benchmark": lv.benchmark,
                "baseline": lv.baseline,
                "standard": lv.standard,
                "status": lv.status,
                "source": lv.source,
                "note": lv.note,
                "range": None if lv.range is None else lv.range.model_dump(exclude_none=True),
                "aliases": list(lv.aliases),
            }
            for lv in area.levels
        ],
    }


# Loading lives in its own module; its names are part of this one's interface.
from benchmark.catalogue_loading import (  # noqa: E402
    CATALOGUE_ENV,
    MAX_CATALOGUE_BYTES,
    CatalogueError,
    CatalogueProblem,
    load_catalogue,
    parse_catalogue,
    shipped_catalogue_path,
)

__all__ += [
    "CATALOGUE_ENV",
    "MAX_CATALOGUE_BYTES",
    "CatalogueProblem",
    "parse_catalogue",
    "shipped_catalogue_path",
]

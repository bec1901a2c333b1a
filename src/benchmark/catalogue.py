"""The catalogue of benchmark and baseline levels: its model, loading, and lookup by alias.

The catalogue is data the user may replace (a province's stricter levels, a later edition), so
loading it checks everything a verdict depends on and reports every fault with its YAML location
(``areas[3].levels[1].baseline``), the way pydantic reports a field.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from benchmark.fields import STATUSES, Status
from benchmark.units import CATALOGUE_UNITS

__all__ = ["STATUSES", "Area", "Catalogue", "CatalogueError", "Level", "Status",
           "load_catalogue"]

#: Environment variable naming a catalogue file to use instead of the shipped one.
CATALOGUE_ENV = "BENCHMARK_CATALOGUE"
#: A catalogue larger than this is refused before parsing (a hostile or mistaken file).
MAX_CATALOGUE_BYTES = 2_000_000


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
        return ((self.above is None or value > self.above)
                and (self.at_least is None or value >= self.at_least)
                and (self.below is None or value < self.below)
                and (self.at_most is None or value <= self.at_most))


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
        return next((lv for lv in self.levels if lv.range is not None
                     and quantity in (None, lv.range.quantity) and lv.range.contains(value)),
                    None)


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
            for name in _area_names(area):
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
        return {lookup_key(name): new for new in self.successor.new_areas
                for name in (new.name_zh, new.name_en, *new.aliases) if name}

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
_RANGE_UNITS = {"t/d": "t/d", "吨/天": "t/d", "吨/日": "t/d", "t/天": "t/d", "tpd": "t/d",
                "吨每天": "t/d", "t": "t", "吨": "t", "%": "%"}


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


def _area_names(area: Area) -> tuple[str, ...]:
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


@dataclass(frozen=True)
class CatalogueProblem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class CatalogueError(Exception):
    """A catalogue file that cannot be used; carries every problem found, with its location."""

    def __init__(self, source: str, problems: list[CatalogueProblem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: invalid catalogue ({len(problems)} problem(s)):\n{lines}")


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _consistency_problems(cat: Catalogue) -> list[CatalogueProblem]:
    """Checks across fields and rows that a per-field model cannot express."""
    problems: list[CatalogueProblem] = []
    ids: dict[str, str] = {}
    for i, area in enumerate(cat.areas):
        where = f"areas[{i}]"
        if area.id in ids:
            problems.append(CatalogueProblem(f"{where}.id", f"duplicate id {area.id!r} "
                                             f"(first at {ids[area.id]})"))
        ids.setdefault(area.id, f"{where}.id")
        if area.unit not in CATALOGUE_UNITS:
            problems.append(CatalogueProblem(
                f"{where}.unit",
                f"unknown unit {area.unit!r}; expected one of {', '.join(sorted(CATALOGUE_UNITS))}",
            ))
        many = len(area.levels) > 1
        categories: dict[str, int] = {}
        for j, lv in enumerate(area.levels):
            lwhere = f"{where}.levels[{j}]"
            if many and lv.category is None:
                problems.append(CatalogueProblem(
                    f"{lwhere}.category", "an area with several levels needs a category id"))
            if lv.category is not None:
                if lv.category in categories:
                    problems.append(CatalogueProblem(
                        f"{lwhere}.category", f"duplicate category {lv.category!r} in "
                        f"{area.id} (first at levels[{categories[lv.category]}])"))
                categories.setdefault(lv.category, j)
            if not lv.benchmark < lv.baseline:
                problems.append(CatalogueProblem(
                    f"{lwhere}.baseline",
                    f"benchmark {lv.benchmark:g} must be strictly lower than baseline "
                    f"{lv.baseline:g} (lower figures are better)",
                ))
    problems += _name_problems(cat)
    return problems


def _name_problems(cat: Catalogue) -> list[CatalogueProblem]:
    """Names must be unambiguous: an area name names one area, and is no category's name; a
    category name names one level of its area (two areas may share one, such as 烟煤)."""
    problems: list[CatalogueProblem] = []
    area_names: dict[str, str] = {}
    for i, area in enumerate(cat.areas):
        _claim(area_names, problems, _area_names(area), f"areas[{i}]", area.id)
    for i, area in enumerate(cat.areas):
        level_names: dict[str, str] = {}
        for j, lv in enumerate(area.levels):
            if lv.category is None:
                continue
            where = f"areas[{i}].levels[{j}]"
            group = tuple(n for n in (lv.category, lv.name_zh, lv.name_en, *lv.aliases) if n)
            for name in group:
                owner = area_names.get(lookup_key(name))
                if owner is not None:
                    problems.append(CatalogueProblem(
                        f"{where}.aliases", f"alias {name!r} is already used by {owner}"))
            _claim(level_names, problems, group, where, f"{area.id}/{lv.category}")
    return problems


def _claim(names: dict[str, str], problems: list[CatalogueProblem], group: tuple[str, ...],
           where: str, owner: str) -> None:
    mine: set[str] = set()
    for name in group:
        key = lookup_key(name)
        if key in mine:
            continue
        mine.add(key)
        if key in names and names[key] != owner:
            problems.append(CatalogueProblem(
                f"{where}.aliases", f"alias {name!r} is already used by {names[key]}"))
        names.setdefault(key, owner)


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses YAML anchors and aliases (no "billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not allowed in a catalogue", event.start_mark)
        return super().compose_node(parent, index)


def shipped_catalogue_path() -> Path:
    """The 2021 catalogue shipped in the wheel (or, in a source checkout, under ``data/``)."""
    packaged = resources.files("benchmark") / "data" / "benchmarks_2021.yaml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / "benchmarks_2021.yaml"


def parse_catalogue(text: bytes, source: str) -> Catalogue:
    """Validate catalogue YAML; raise :class:`CatalogueError` listing every problem."""
    if len(text) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(source, [CatalogueProblem(
            "", f"file is {len(text):,} bytes; a catalogue may be at most "
                f"{MAX_CATALOGUE_BYTES:,} bytes")])
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader that refuses aliases
    except RecursionError:
        raise CatalogueError(source, [CatalogueProblem(
            "", "nested too deeply to be a catalogue")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogueError(source, [CatalogueProblem(where, f"not valid YAML: {problem}")]) \
            from None
    if not isinstance(data, dict):
        raise CatalogueError(source, [CatalogueProblem("", "expected a mapping at the top")])
    try:
        cat = Catalogue.model_validate(data)
    except RecursionError:
        raise CatalogueError(source, [CatalogueProblem(
            "", "nested too deeply to be a catalogue")]) from None
    except ValidationError as exc:
        problems = [CatalogueProblem(_location(tuple(e["loc"])), e["msg"]) for e in exc.errors()]
        raise CatalogueError(source, problems) from None
    problems = _consistency_problems(cat)
    if problems:
        raise CatalogueError(source, problems)
    return cat.model_copy(update={"source": source,
                                  "sha256": hashlib.sha256(text).hexdigest()})


#: Environment variable naming the folder of the validated-catalogue cache ("" turns it off).
CACHE_ENV = "BENCHMARK_CACHE_DIR"


def cache_dir() -> Path | None:
    """Where validated catalogues are kept: ``$BENCHMARK_CACHE_DIR``, else the user cache
    folder (``$XDG_CACHE_HOME/benchmark``, ``~/.cache/benchmark``); None when turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "benchmark"


def _cache_file(raw: bytes, source: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    import pydantic

    from benchmark._version import __version__

    key = hashlib.sha256(b"\0".join((raw, source.encode("utf-8", "surrogateescape"),
                                      __version__.encode(), pydantic.VERSION.encode())))
    return folder / f"catalogue-{key.hexdigest()[:32]}.pickle"


def _cached(raw: bytes, source: str) -> Catalogue | None:
    """The validated catalogue of these exact bytes, if a run kept it; any fault (no file, a
    damaged or foreign one) is a miss, never an error."""
    import pickle

    path = _cache_file(raw, source)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            found = pickle.load(fh)
    except Exception:
        return None
    ok = isinstance(found, Catalogue) and found.sha256 == hashlib.sha256(raw).hexdigest()
    return found if ok else None


def _keep(cat: Catalogue, raw: bytes, source: str) -> None:
    """Keep a validated catalogue for the next run: written to a temporary file and renamed,
    so that a reader never sees half of one; a folder that cannot be written is skipped."""
    import pickle
    import tempfile

    path = _cache_file(raw, source)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalogue-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(cat, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        pass


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> Catalogue:
    """Parse and validate a catalogue file, or take the validated form a run before kept of
    the same bytes (parsing the YAML and validating it is most of the cost of starting up)."""
    with open(path, "rb") as fh:
        raw = fh.read(MAX_CATALOGUE_BYTES + 1)
    found = _cached(raw, path) if len(raw) <= MAX_CATALOGUE_BYTES else None
    if found is not None:
        return found
    cat = parse_catalogue(raw, path)
    _keep(cat, raw, path)
    return cat


def load_catalogue(path: str | os.PathLike[str] | None = None) -> Catalogue:
    """Load a catalogue: ``path``, else ``$BENCHMARK_CATALOGUE``, else the shipped 2021 edition.

    Loaded once per process and file version.
    """
    if path is None:
        path = os.environ.get(CATALOGUE_ENV) or shipped_catalogue_path()
    p = Path(path)
    try:
        st = p.stat()
        if not p.is_file():
            raise CatalogueError(str(p), [CatalogueProblem("", "not a file")])
        if st.st_size > MAX_CATALOGUE_BYTES:
            raise CatalogueError(str(p), [CatalogueProblem(
                "", f"file is {st.st_size:,} bytes; a catalogue may be at most "
                    f"{MAX_CATALOGUE_BYTES:,} bytes")])
        return _load_cached(str(p), st.st_mtime_ns, st.st_size)
    except OSError as exc:
        raise CatalogueError(str(p), [CatalogueProblem("", exc.strerror or str(exc))]) from None


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
        "national_2020": (None if area.national_2020 is None
                          else area.national_2020.model_dump(mode="json")),
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

"""Reading a catalogue file: YAML refused when hostile, every fault found with its location,
a validated catalogue cached by the file's hash.

The catalogue is data the user may replace (a province's stricter levels, a later edition), so
loading it checks everything a verdict depends on and reports every fault with its YAML location
(``areas[3].levels[1].baseline``), the way pydantic reports a field.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from benchmark._oserrors import os_reason
from benchmark.catalogue import Catalogue, area_names, lookup_key
from benchmark.i18n import _, say
from benchmark.units import CATALOGUE_UNITS

#: Environment variable naming a catalogue file to use instead of the shipped one.
CATALOGUE_ENV = "BENCHMARK_CATALOGUE"
#: A catalogue larger than this is refused before parsing (a hostile or mistaken file).
MAX_CATALOGUE_BYTES = 2_000_000


@dataclass(frozen=True)
class CatalogueProblem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class CatalogueError(Exception):
    """A catalogue file that cannot be used; carries every problem found, with its location.

    Said in the language in use when it is raised (the command line's); pydantic's own words
    for a field stay English.
    """

    def __init__(self, source: str, problems: list[CatalogueProblem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        heading = _("{source}: invalid catalogue ({count} problem(s)):").format(
            source=source, count=len(problems)
        )
        super().__init__(f"{heading}\n{lines}")


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
            problems.append(
                CatalogueProblem(
                    f"{where}.id",
                    _("duplicate id {id} (first at {first})").format(
                        id=repr(area.id), first=ids[area.id]
                    ),
                )
            )
        ids.setdefault(area.id, f"{where}.id")
        if area.unit not in CATALOGUE_UNITS:
            problems.append(
                CatalogueProblem(
                    f"{where}.unit",
                    _("unknown unit {unit}; expected one of {units}").format(
                        unit=repr(area.unit), units=", ".join(sorted(CATALOGUE_UNITS))
                    ),
                )
            )
        many = len(area.levels) > 1
        categories: dict[str, int] = {}
        for j, lv in enumerate(area.levels):
            lwhere = f"{where}.levels[{j}]"
            if many and lv.category is None:
                problems.append(
                    CatalogueProblem(
                        f"{lwhere}.category", _("an area with several levels needs a category id")
                    )
                )
            if lv.category is not None:
                if lv.category in categories:
                    problems.append(
                        CatalogueProblem(
                            f"{lwhere}.category",
                            _("duplicate category {category} in {area} (first at {first})").format(
                                category=repr(lv.category),
                                area=area.id,
                                first=f"levels[{categories[lv.category]}]",
                            ),
                        )
                    )
                categories.setdefault(lv.category, j)
            if not lv.benchmark < lv.baseline:
                problems.append(
                    CatalogueProblem(
                        f"{lwhere}.baseline",
                        _(
                            "benchmark {benchmark} must be strictly lower than baseline "
                            "{baseline} (lower figures are better)"
                        ).format(benchmark=f"{lv.benchmark:g}", baseline=f"{lv.baseline:g}"),
                    )
                )
    problems += _name_problems(cat)
    return problems


def _name_problems(cat: Catalogue) -> list[CatalogueProblem]:
    """Names must be unambiguous: an area name names one area, and is no category's name; a
    category name names one level of its area (two areas may share one, such as 烟煤)."""
    problems: list[CatalogueProblem] = []
    claimed: dict[str, str] = {}
    for i, area in enumerate(cat.areas):
        _claim(claimed, problems, area_names(area), f"areas[{i}]", area.id)
    for i, area in enumerate(cat.areas):
        level_names: dict[str, str] = {}
        for j, lv in enumerate(area.levels):
            if lv.category is None:
                continue
            where = f"areas[{i}].levels[{j}]"
            group = tuple(n for n in (lv.category, lv.name_zh, lv.name_en, *lv.aliases) if n)
            for name in group:
                owner = claimed.get(lookup_key(name))
                if owner is not None:
                    problems.append(
                        CatalogueProblem(
                            f"{where}.aliases",
                            _("alias {alias} is already used by {owner}").format(
                                alias=repr(name), owner=owner
                            ),
                        )
                    )
            _claim(level_names, problems, group, where, f"{area.id}/{lv.category}")
    return problems


def _claim(
    names: dict[str, str],
    problems: list[CatalogueProblem],
    group: tuple[str, ...],
    where: str,
    owner: str,
) -> None:
    mine: set[str] = set()
    for name in group:
        key = lookup_key(name)
        if key in mine:
            continue
        mine.add(key)
        if key in names and names[key] != owner:
            problems.append(
                CatalogueProblem(
                    f"{where}.aliases",
                    _("alias {alias} is already used by {owner}").format(
                        alias=repr(name), owner=names[key]
                    ),
                )
            )
        names.setdefault(key, owner)


@functools.cache
def _no_alias_loader() -> Any:
    """A safe YAML loader that refuses anchors and aliases (no "billion laughs").

    Made on first use: a run that finds its catalogue in the cache never imports yaml."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, _("YAML aliases are not allowed in a catalogue"), event.start_mark
                )
            return super().compose_node(parent, index)

    return NoAliasLoader


def shipped_catalogue_path() -> Path:
    """The 2021 catalogue shipped in the wheel (or, in a source checkout, under ``data/``)."""
    packaged = resources.files("benchmark") / "data" / "benchmarks_2021.yaml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / "benchmarks_2021.yaml"


def _too_large(size: int) -> CatalogueProblem:
    return CatalogueProblem(
        "",
        _("file is {size} bytes; a catalogue may be at most {limit} bytes").format(
            size=f"{size:,}", limit=f"{MAX_CATALOGUE_BYTES:,}"
        ),
    )


def parse_catalogue(text: bytes, source: str) -> Catalogue:
    """Validate catalogue YAML; raise :class:`CatalogueError` listing every problem."""
    if len(text) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(source, [_too_large(len(text))])
    import yaml
    from pydantic import ValidationError

    try:
        data = yaml.load(text, Loader=_no_alias_loader())  # a SafeLoader refusing aliases
    except RecursionError:
        raise CatalogueError(
            source, [CatalogueProblem("", _("nested too deeply to be a catalogue"))]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            _("line {line}, column {column}").format(line=mark.line + 1, column=mark.column + 1)
            if mark
            else ""
        )
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogueError(
            source, [CatalogueProblem(where, _("not valid YAML: {reason}").format(reason=problem))]
        ) from None
    if not isinstance(data, dict):
        raise CatalogueError(source, [CatalogueProblem("", _("expected a mapping at the top"))])
    try:
        cat = Catalogue.model_validate(data)
    except RecursionError:
        raise CatalogueError(
            source, [CatalogueProblem("", _("nested too deeply to be a catalogue"))]
        ) from None
    except ValidationError as exc:
        problems = [CatalogueProblem(_location(tuple(e["loc"])), e["msg"]) for e in exc.errors()]
        raise CatalogueError(source, problems) from None
    problems = _consistency_problems(cat)
    if problems:
        raise CatalogueError(source, problems)
    return cat.model_copy(update={"source": source, "sha256": hashlib.sha256(text).hexdigest()})


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


#: The modules whose code shapes a validated catalogue: a change to either (in a checkout, or
#: a new release that kept its version number) must not load a catalogue the old code made.
_MODEL_MODULES = ("catalogue.py", "catalogue_loading.py")


@functools.cache
def _model_fingerprint() -> bytes:
    """The sha256 of the model's source (read once, about 0.1 ms): part of the cache key."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _MODEL_MODULES:
        with contextlib.suppress(OSError):
            digest.update((here / name).read_bytes())
    return digest.digest()


def _cache_file(raw: bytes, source: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    import pydantic

    from benchmark._version import __version__

    key = hashlib.sha256(
        b"\0".join(
            (
                raw,
                source.encode("utf-8", "surrogateescape"),
                __version__.encode(),
                pydantic.VERSION.encode(),
                _model_fingerprint(),
            )
        )
    )
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
            raise CatalogueError(str(p), [CatalogueProblem("", _("not a file"))])
        if st.st_size > MAX_CATALOGUE_BYTES:
            raise CatalogueError(str(p), [_too_large(st.st_size)])
        return _load_cached(str(p), st.st_mtime_ns, st.st_size)
    except OSError as exc:
        raise CatalogueError(str(p), [CatalogueProblem("", say(os_reason(exc)))]) from None

"""Project configuration: ``benchmark.toml`` or ``[tool.benchmark]`` in ``pyproject.toml``.

Looked up in the working directory and then in each folder above it, the nearest file that
has the settings winning, as ruff does: a CI job runs where its data is, a person runs from
any folder of the project. In ``benchmark.toml`` the keys may be bare or under
``[tool.benchmark]`` (the README's block, copied). Command-line flags win over the file;
``--no-config`` ignores it. Unknown keys and unknown values are errors, never ignored.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from benchmark.fields import FIELDS
from benchmark.formats import FORMATS
from benchmark.i18n import CLAUSE_SEPARATOR, _

#: The files looked for in each folder, nearest first.
CONFIG_FILES = ("benchmark.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration file that cannot be used; said in the language in use when raised
    (pydantic's own words for a bad value stay English)."""


class Config(BaseModel):
    """Settings a project can fix once instead of repeating flags."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    catalogue: str | None = None
    fail_on: Literal["below_baseline", "between"] | None = Field(default=None, alias="fail-on")
    format: str | None = None
    strict: bool = False
    group_by: Literal["area", "sector", "region", "enterprise", "year"] | None = Field(
        default=None, alias="group-by"
    )
    #: The reporting date every deadline judgement uses (default: today).
    as_of: dt.date | None = Field(default=None, alias="as-of")
    header_aliases: dict[str, list[str]] = Field(default_factory=dict, alias="header-aliases")
    lang: Literal["zh", "en"] | None = None
    source: str | None = Field(default=None, exclude=True)

    @field_validator("header_aliases")
    @classmethod
    def _known_fields(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise ValueError(
                _("unknown field(s) {fields}; known: {known}").format(
                    fields=", ".join(unknown), known=", ".join(FIELDS)
                )
            )
        return value

    @field_validator("as_of", mode="before")
    @classmethod
    def _a_day(cls, value: object) -> dt.date | None:
        """A TOML date (``as-of = 2026-11-30``) or an ISO date in a string; nothing else —
        not a number, which pydantic would read as seconds since 1970."""
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        if isinstance(value, str):
            return parse_date(value)
        raise ValueError(_("must be a date such as 2026-11-30"))

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str | None) -> str | None:
        if value is not None and value not in FORMATS:
            raise ValueError(
                _("unknown format {format}; formats: {formats}").format(
                    format=repr(value), formats=", ".join(FORMATS)
                )
            )
        return value


def parse_date(text: str) -> dt.date:
    """An ISO date (``2026-11-30``), as ``--as-of`` and ``as-of`` take it."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            _("{text} is not a date such as 2026-11-30").format(text=repr(text))
        ) from None


def _section(path: Path) -> tuple[dict[str, Any], str] | None:
    """The settings a file holds and the prefix of their keys in messages, or None."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(
            _("{path}: not valid TOML: {reason}").format(path=path, reason=exc)
        ) from None
    nested = data.get("tool", {}).get("benchmark")
    if path.name == "pyproject.toml":
        return (nested, "tool.benchmark.") if isinstance(nested, dict) else None
    if nested is not None:
        if set(data) - {"tool"}:
            raise ConfigError(
                _("{path}: settings both at the top and under [tool.benchmark]: keep one").format(
                    path=path
                )
            )
        return (nested, "tool.benchmark.") if isinstance(nested, dict) else None
    return data, ""


def _parse(path: Path, section: dict[str, Any], prefix: str) -> Config:
    try:
        config = Config.model_validate(section)
    except ValidationError as exc:
        lines = _(CLAUSE_SEPARATOR).join(
            f"{prefix}{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(
            _("{path}: bad configuration: {problems}").format(path=path, problems=lines)
        ) from None
    if config.catalogue and not Path(config.catalogue).is_absolute():
        config.catalogue = str(path.parent / config.catalogue)
    config.source = str(path)
    return config


def find_config(directory: Path | None = None) -> Path | None:
    """The nearest file, from ``directory`` (default: the working directory) upwards, that
    holds settings."""
    start = (directory or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            path = folder / name
            if path.is_file() and _section(path) is not None:
                return path
    return None


def load_config(directory: Path | None = None) -> Config:
    """The configuration that applies in ``directory``, or the defaults."""
    path = find_config(directory)
    if path is None:
        return Config()
    found = _section(path)
    assert found is not None
    return _parse(path, *found)

"""Project configuration: ``[tool.benchmark]`` in ``pyproject.toml``, or ``benchmark.toml``.

Looked up in the working directory only (a CI job runs where its data is). Command-line flags
win over the file; ``--no-config`` ignores it. Unknown keys are errors, not silently ignored.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from benchmark.fields import FIELDS


class ConfigError(Exception):
    """A configuration file that cannot be used."""


class Config(BaseModel):
    """Settings a project can fix once instead of repeating flags."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    catalogue: str | None = None
    fail_on: Literal["below_baseline", "between"] | None = Field(default=None, alias="fail-on")
    format: str | None = None
    strict: bool = False
    group_by: Literal["area", "sector", "region", "enterprise"] | None = Field(
        default=None, alias="group-by")
    header_aliases: dict[str, list[str]] = Field(default_factory=dict, alias="header-aliases")
    source: str | None = Field(default=None, exclude=True)

    @field_validator("header_aliases")
    @classmethod
    def _known_fields(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}")
        return value


def load_config(directory: Path | None = None) -> Config:
    """The configuration of ``directory`` (default: the working directory), or defaults."""
    base = directory or Path.cwd()
    candidates = [(base / "benchmark.toml", False), (base / "pyproject.toml", True)]
    for path, nested in candidates:
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        section = data.get("tool", {}).get("benchmark") if nested else data
        if section is None:
            continue
        try:
            config = Config.model_validate(section)
        except ValidationError as exc:
            prefix = "tool.benchmark." if nested else ""
            lines = "; ".join(
                f"{prefix}{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            raise ConfigError(f"{path}: bad configuration: {lines}") from None
        if config.catalogue and not Path(config.catalogue).is_absolute():
            config.catalogue = str(path.parent / config.catalogue)
        config.source = str(path)
        return config
    return Config()

"""The global options of a run, kept in typer's context object (``ctx.obj``), with the
configuration and the catalogue loaded once, when a command first needs them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

from benchmark.cli._errors import fail
from benchmark.i18n import _

if TYPE_CHECKING:
    import datetime as dt

    from benchmark.catalogue import Catalogue
    from benchmark.config import Config


@dataclass
class Options:
    """What the options before the command name say (``benchmark --catalogue F grade …``)."""

    catalogue_path: str | None = None
    use_config: bool = True
    quiet: bool = False
    hide_paths: bool = False
    as_of_text: str | None = None
    #: ``--lang``, when given: it wins over the configuration's ``lang``.
    lang: str | None = None
    _config: Config | None = field(default=None, repr=False)
    _catalogue: Catalogue | None = field(default=None, repr=False)

    def config(self) -> Config:
        """``[tool.benchmark]`` or ``benchmark.toml`` (defaults with ``--no-config``)."""
        from benchmark.config import Config, ConfigError, load_config

        if self._config is None:
            try:
                self._config = load_config() if self.use_config else Config()
            except ConfigError as exc:
                fail(str(exc))
            if self.lang is None and self._config.lang is not None:
                from benchmark.i18n import use

                use(self._config.lang)
        return self._config

    def catalogue(self) -> Catalogue:
        """The catalogue named by ``--catalogue``, the configuration, or the shipped one."""
        from benchmark.catalogue import load_catalogue

        if self._catalogue is None:
            self._catalogue = load_catalogue(self.catalogue_path or self.config().catalogue)
        return self._catalogue

    def as_of(self) -> dt.date:
        """The reporting date: ``--as-of``, else ``as-of`` of the configuration, else today."""
        import datetime as dt

        from benchmark.config import parse_date

        if self.as_of_text is not None:
            try:
                return parse_date(self.as_of_text)
            except ValueError as exc:
                fail(_("--as-of: {reason}").format(reason=exc))
        return self.config().as_of or dt.date.today()


def options(ctx: typer.Context) -> Options:
    """The run's options (the defaults when a command is invoked on its own)."""
    found = ctx.find_object(Options)
    if found is None:
        found = ctx.ensure_object(Options)
    return found

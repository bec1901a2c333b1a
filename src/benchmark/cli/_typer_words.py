"""Typer's own words in the user's language, and help tables that wrap Chinese.

Typer shows its panel titles and notes (``Options``, ``[default: …]``, ``Try … for help``)
from the settings of :mod:`typer.rich_utils`, read when help or a usage error is rendered.
That module takes a tenth of a second to import (rich's Markdown), so it is imported here,
and these words said, only when help or an error is about to be shown
(:class:`benchmark.cli._app.Group`): ``benchmark --version`` never pays for it.
"""

from __future__ import annotations

from typing import Any

import typer.rich_utils
from rich.columns import Columns
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table

from benchmark.i18n import N_, _

#: Typer's words, by the name of its setting in :mod:`typer.rich_utils`.
TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}


class FoldingTable(Table):
    """A table of help whose columns fold a run of text too long for them at any character.

    rich breaks lines only at spaces, and Chinese has none: a Chinese help text longer than
    its column would be cut short with "…" (at 80 columns, most of ``grade --help``). Folded,
    it wraps as Chinese is written; English, broken at its spaces first, is unchanged.
    """

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        super().add_row(*renderables, **kwargs)
        for column in self.columns:
            column.overflow = "fold"


class FoldingColumns(Columns):
    """Typer lays each option's help out in :class:`~rich.columns.Columns`, whose own grid
    would cut Chinese short too: its columns fold as :class:`FoldingTable`'s do."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for table in super().__rich_console__(console, options):
            if isinstance(table, Table):
                for column in table.columns:
                    column.overflow = "fold"
            yield table


def say_typer_words() -> None:
    """Typer's panel titles and notes in the language in use, in tables that fold Chinese
    rather than cut it short."""
    for name, text in TYPER_WORDS.items():
        setattr(typer.rich_utils, name, _(text))
    setattr(typer.rich_utils, "Table", FoldingTable)  # noqa: B010 (not exported: no typing)
    setattr(typer.rich_utils, "Columns", FoldingColumns)  # noqa: B010

"""Arguments and options that several commands share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from benchmark.i18n import _

FilesArg = Annotated[
    list[str],
    typer.Argument(
        help=_(
            "Files (.xlsx, .xlsm, .csv, .parquet), directories (searched recursively), globs, "
            "or - for CSV on standard input."
        ),
        show_default=False,
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet", help=_("Read only this sheet (default: every sheet with a header row).")
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help=_("Write to this file (atomically) instead of standard output.")
    ),
]
HiddenOpt = Annotated[
    bool,
    typer.Option(
        "--include-hidden",
        help=_("Read sheets hidden in Excel too (skipped by default, and said)."),
    ),
]
StrictOpt = Annotated[
    bool | None,
    typer.Option("--strict/--no-strict", help=_("Warnings fail the run too."), show_default=False),
]

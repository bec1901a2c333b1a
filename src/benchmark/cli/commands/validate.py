"""``benchmark validate``: every problem at its cell."""

from __future__ import annotations

from typing import Annotated

import typer

from benchmark.cli._app import ValidateFormat, format_help
from benchmark.cli._arguments import FilesArg, HiddenOpt, OutOpt, SheetOpt, StrictOpt
from benchmark.cli._errors import handled
from benchmark.cli._options import options
from benchmark.cli._runner import Request, run
from benchmark.i18n import N_

HELP = N_(
    "Check input files and report every problem at its cell.\n\n"
    "Exit 0 when there is no error (warnings allowed unless --strict), 1 on any error, 2 when "
    "the command cannot run.\n\n"
    "Example: `benchmark validate examples/plants_with_errors.xlsx --format json`"
)


@handled
def validate(
    ctx: typer.Context,
    files: FilesArg,
    fmt: Annotated[
        ValidateFormat | None, typer.Option("--format", "-f", help=format_help("validate", "text"))
    ] = None,
    strict: StrictOpt = None,
    sheet: SheetOpt = None,
    include_hidden: HiddenOpt = False,
    output: OutOpt = None,
) -> None:
    """``benchmark validate`` (its help is :data:`HELP`, said in the user's language)."""
    run(
        options(ctx),
        Request("validate", files, fmt, output, strict, sheet, include_hidden=include_hidden),
    )

"""``benchmark grade``: tiers, gaps, savings and the summary against the 2025 targets."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from benchmark.cli._app import GradeFormat, format_help
from benchmark.cli._arguments import FilesArg, HiddenOpt, OutOpt, SheetOpt, StrictOpt
from benchmark.cli._errors import handled
from benchmark.cli._options import options
from benchmark.cli._runner import Request, run
from benchmark.i18n import N_, _

HELP = N_(
    "Grade every valid row: tier, gaps, score, savings; summary against the 2025 targets.\n\n"
    "Exit codes as for `validate`, plus 1 when a row is at or worse than --fail-on.\n\n"
    "Example: `benchmark grade examples/plant.xlsx` or "
    "`benchmark grade examples/industry_list.xlsx -o report.xlsx`"
)


class FailOn(StrEnum):
    below_baseline = "below_baseline"
    between = "between"


class GroupBy(StrEnum):
    area = "area"
    sector = "sector"
    region = "region"
    enterprise = "enterprise"
    year = "year"


@handled
def grade(
    ctx: typer.Context,
    files: FilesArg,
    fmt: Annotated[
        GradeFormat | None, typer.Option("--format", "-f", help=format_help("grade", "table"))
    ] = None,
    output: OutOpt = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help=_("Exit 1 when any row is at or worse than this tier.")),
    ] = None,
    group_by: Annotated[
        GroupBy | None,
        typer.Option(
            "--group-by",
            help=_(
                "Summarise by area (default), sector, region, enterprise, or year "
                "(one group per year: shares per year, so progress shows)."
            ),
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="YYYY",
            help=_(
                "Grade and summarise this year only (default: every "
                "row graded, the summary over each line's latest year)."
            ),
        ),
    ] = None,
    strict: StrictOpt = None,
    sheet: SheetOpt = None,
    include_hidden: HiddenOpt = False,
) -> None:
    """``benchmark grade`` (its help is :data:`HELP`, said in the user's language)."""
    run(
        options(ctx),
        Request(
            "grade",
            files,
            fmt,
            output,
            strict,
            sheet,
            fail_on.value if fail_on else None,
            group_by.value if group_by else None,
            year,
            include_hidden=include_hidden,
        ),
    )

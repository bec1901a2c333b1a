"""``benchmark lists``: the published advanced (先进) and lagging (落后) lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from benchmark.cli._app import ListsFormat, format_help
from benchmark.cli._arguments import FilesArg, HiddenOpt, OutOpt, SheetOpt, StrictOpt
from benchmark.cli._errors import fail, handled
from benchmark.cli._options import options
from benchmark.cli._runner import Request, run_report
from benchmark.i18n import N_, _

HELP = N_(
    "Write the two lists provinces publish (1464号): 能效标杆水平以上（先进）清单 and "
    "能效基准水平以下（落后）清单, with the reporting date and the catalogue edition.\n\n"
    "Exit codes as for `validate`; 1 too when no row has --year.\n\n"
    "Example: `benchmark lists plants.xlsx -o lists.xlsx`"
)

if TYPE_CHECKING:
    from rich.console import Console

    from benchmark.pipeline import Checked


def _show(console: Console, report: Any) -> None:
    from benchmark.report.lists import render_lists

    render_lists(console, report)


@handled
def lists(
    ctx: typer.Context,
    files: FilesArg,
    fmt: Annotated[
        ListsFormat | None, typer.Option("--format", "-f", help=format_help("lists", "table"))
    ] = None,
    output: OutOpt = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="YYYY",
            help=_("List the lines of this year (default: each line in its latest year)."),
        ),
    ] = None,
    strict: StrictOpt = None,
    sheet: SheetOpt = None,
    include_hidden: HiddenOpt = False,
) -> None:
    """``benchmark lists`` (its help is :data:`HELP`, said in the user's language)."""
    opts = options(ctx)

    def build(checked: Checked) -> Any:
        from benchmark.lines import NoRowsForYear
        from benchmark.report.lists import build_lists_report

        try:
            return build_lists_report(checked, opts.catalogue(), opts.as_of(), year)
        except NoRowsForYear as exc:
            fail(_("--year {year}: {reason}").format(year=year, reason=exc), code=1)

    run_report(
        opts,
        Request(
            "lists", files, fmt, output, strict, sheet, year=year, include_hidden=include_hidden
        ),
        build,
        _show,
    )

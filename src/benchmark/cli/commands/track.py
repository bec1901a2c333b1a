"""``benchmark track``: each line year on year, and each area's shares year by year."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from benchmark.cli._app import TrackFormat, format_help
from benchmark.cli._arguments import FilesArg, HiddenOpt, OutOpt, SheetOpt, StrictOpt
from benchmark.cli._errors import handled
from benchmark.cli._options import options
from benchmark.cli._runner import Request, run_report
from benchmark.i18n import N_

HELP = N_(
    "Follow every line over its years: values, tiers, trend, deadline status and when it "
    "would reach each level; and each area's share at benchmark year by year.\n\n"
    "Exit codes as for `validate`. Deadlines are judged at --as-of (default: today).\n\n"
    "Example: `benchmark --as-of 2026-11-30 track plants_2021-2025.xlsx -o track.html`"
)

if TYPE_CHECKING:
    from rich.console import Console

    from benchmark.pipeline import Checked


def _show(console: Console, report: Any) -> None:
    from benchmark.report.track import render_track

    render_track(console, report)


@handled
def track(
    ctx: typer.Context,
    files: FilesArg,
    fmt: Annotated[
        TrackFormat | None, typer.Option("--format", "-f", help=format_help("track", "table"))
    ] = None,
    output: OutOpt = None,
    strict: StrictOpt = None,
    sheet: SheetOpt = None,
    include_hidden: HiddenOpt = False,
) -> None:
    """``benchmark track`` (its help is :data:`HELP`, said in the user's language)."""
    opts = options(ctx)

    def build(checked: Checked) -> Any:
        from benchmark.report.track import build_track_report

        return build_track_report(checked, opts.catalogue(), opts.as_of())

    run_report(
        opts,
        Request("track", files, fmt, output, strict, sheet, include_hidden=include_hidden),
        build,
        _show,
    )

"""``benchmark catalogue``: list the levels, show one area, check a catalogue file."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from benchmark.cli._console import stdout_console
from benchmark.cli._errors import fail, handled
from benchmark.cli._options import options
from benchmark.i18n import ALTERNATIVES, N_, _

SHOW_HELP = N_(
    "Show one area in full: levels with their sources, targets, 2020 shares, aliases.\n\n"
    "Example: `benchmark catalogue show 转炉`"
)
VALIDATE_HELP = N_(
    "Check a catalogue file: exit 0 if valid, 1 with every error and its YAML location.\n\n"
    "Example: `benchmark catalogue validate examples/stricter_local_catalogue.yaml`"
)


class CatalogueFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@handled
def catalogue_list(
    ctx: typer.Context,
    fmt: Annotated[
        CatalogueFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = CatalogueFormat.table,
    sector: Annotated[
        str | None, typer.Option(help=_("Only areas of this sector, e.g. steel."))
    ] = None,
) -> None:
    """List the areas and levels (the default when no subcommand is given)."""
    if ctx.invoked_subcommand is not None:
        return
    from benchmark.report import catalogue_view

    cat = options(ctx).catalogue()
    sectors = sorted({a.sector for a in cat.areas})
    if sector is not None and sector not in sectors:
        fail(
            _("unknown sector {sector}; sectors: {sectors}").format(
                sector=repr(sector), sectors=", ".join(sectors)
            )
        )
    if fmt is CatalogueFormat.table:
        catalogue_view.render_table(stdout_console(), cat, sector)
    else:
        sys.stdout.write(catalogue_view.RENDERERS[fmt.value](cat, sector))


@handled
def catalogue_show(
    ctx: typer.Context,
    area: Annotated[str, typer.Argument(help=_("Area id or any alias, e.g. 水泥熟料 or BOF."))],
    fmt: Annotated[
        CatalogueFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = CatalogueFormat.table,
) -> None:
    """``benchmark catalogue show`` (its help is :data:`SHOW_HELP`)."""
    from benchmark.report import catalogue_view

    cat = options(ctx).catalogue()
    hit = cat.resolve(area)
    if hit is None and (new := cat.successor_area(area)) is not None:
        fail(catalogue_view.successor_message(cat, new))
    if hit is None:
        hints = cat.suggest(area)
        if hints:
            fail(
                _("unknown area {area}; did you mean {hints}?").format(
                    area=repr(area), hints=_(ALTERNATIVES).join(hints)
                )
            )
        fail(
            _("unknown area {area}; `benchmark catalogue` lists the areas").format(area=repr(area))
        )
    if fmt is CatalogueFormat.table:
        catalogue_view.render_area(stdout_console(), cat, hit[0])
    else:
        sys.stdout.write(catalogue_view.RENDERERS[fmt.value](cat, None, hit[0].id))


@handled
def catalogue_validate(
    file: Annotated[Path, typer.Argument(help=_("A catalogue YAML file."))],
) -> None:
    """``benchmark catalogue validate`` (its help is :data:`VALIDATE_HELP`)."""
    from benchmark.catalogue import CatalogueError, load_catalogue

    if not file.exists():
        fail(_("{path}: no such file").format(path=file))
    try:
        cat = load_catalogue(file)
    except CatalogueError as exc:
        typer.echo(str(exc))
        raise typer.Exit(1) from None
    levels = sum(len(a.levels) for a in cat.areas)
    typer.echo(
        _("{path}: valid catalogue, edition {edition}, {areas} areas, {levels} levels").format(
            path=file, edition=cat.edition, areas=len(cat.areas), levels=levels
        )
    )

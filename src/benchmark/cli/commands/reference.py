"""The commands that need no input file: ``template``, ``schema`` and ``explain``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from benchmark.cli._console import emit
from benchmark.cli._errors import fail, handled
from benchmark.cli._options import options


@handled
def template(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help="The workbook to write, e.g. form.xlsx.")],
    area: Annotated[
        list[str] | None,
        typer.Option("--area", "-a", help="Only these areas (id or alias); repeat for several."),
    ] = None,
) -> None:
    """Write an input workbook to send to plants: bilingual headers, drop-downs, instructions.

    Example: `benchmark template form.xlsx --area 水泥熟料 --area 平板玻璃`
    """
    from benchmark.template import build_template

    try:
        data = build_template(options(ctx).catalogue(), list(area) if area else None)
    except ValueError as exc:
        fail(str(exc))
    emit(data, output, [])
    typer.echo(f"wrote {output}")


@handled
def schema(
    document: Annotated[str, typer.Argument(help="grade, validate, track or lists.")] = "grade",
) -> None:
    """Print the JSON Schema of `grade`, `validate`, `track` or `lists` `--format json`.

    Example: `benchmark schema validate > validate.schema.json`
    """
    from benchmark.contract import SCHEMAS

    model = SCHEMAS.get(document)
    if model is None:
        fail(f"unknown document {document!r}; one of: {', '.join(SCHEMAS)}")
    typer.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))


@handled
def explain(
    code: Annotated[str | None, typer.Argument(help="A problem code, e.g. E104.")] = None,
) -> None:
    """Explain a problem code, or list them all.

    Example: `benchmark explain E104`
    """
    from benchmark.problems import CHECKS

    if code is None:
        for check in CHECKS.values():
            typer.echo(f"{check.code}  {check.severity:<7}  {check.title}")
        return
    found = CHECKS.get(code.upper())
    if found is None:
        fail(f"unknown code {code!r}; `benchmark explain` lists them")
    typer.echo(f"{found.code} ({found.severity}): {found.title}\n\n{found.explanation}")

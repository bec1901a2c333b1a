"""The commands that need no input file: ``template``, ``schema`` and ``explain``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from benchmark.cli._console import emit
from benchmark.cli._errors import fail, handled
from benchmark.cli._options import options
from benchmark.i18n import N_, _

TEMPLATE_HELP = N_(
    "Write an input workbook to send to plants: bilingual headers, drop-downs, instructions.\n\n"
    "Example: `benchmark template form.xlsx --area 水泥熟料 --area 平板玻璃`"
)
SCHEMA_HELP = N_(
    "Print the JSON Schema of `grade`, `validate`, `track` or `lists` `--format json`.\n\n"
    "Example: `benchmark schema validate > validate.schema.json`"
)
EXPLAIN_HELP = N_("Explain a problem code, or list them all.\n\nExample: `benchmark explain E104`")


@handled
def template(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help=_("The workbook to write, e.g. form.xlsx."))],
    area: Annotated[
        list[str] | None,
        typer.Option("--area", "-a", help=_("Only these areas (id or alias); repeat for several.")),
    ] = None,
) -> None:
    """``benchmark template`` (its help is :data:`TEMPLATE_HELP`)."""
    from benchmark.template import build_template

    try:
        data = build_template(options(ctx).catalogue(), list(area) if area else None)
    except ValueError as exc:
        fail(str(exc))
    emit(data, output, [])
    typer.echo(_("wrote {path}").format(path=output))


@handled
def schema(
    document: Annotated[str, typer.Argument(help=_("grade, validate, track or lists."))] = "grade",
) -> None:
    """``benchmark schema`` (its help is :data:`SCHEMA_HELP`)."""
    from benchmark.contract import SCHEMAS

    model = SCHEMAS.get(document)
    if model is None:
        fail(
            _("unknown document {document}; one of: {documents}").format(
                document=repr(document), documents=", ".join(SCHEMAS)
            )
        )
    typer.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))


@handled
def explain(
    code: Annotated[str | None, typer.Argument(help=_("A problem code, e.g. E104."))] = None,
) -> None:
    """``benchmark explain`` (its help is :data:`EXPLAIN_HELP`): the problem registry's
    titles and explanations, said in the user's language."""
    from benchmark.problems import CHECKS, SEVERITY_WORDS

    if code is None:
        for check in CHECKS.values():
            severity = _(SEVERITY_WORDS[check.severity])
            typer.echo(f"{check.code}  {severity:<7}  {_(check.title)}")
        return
    found = CHECKS.get(code.upper())
    if found is None:
        fail(_("unknown code {code}; `benchmark explain` lists them").format(code=repr(code)))
    heading = _("{code} ({severity}): {title}").format(
        code=found.code, severity=_(SEVERITY_WORDS[found.severity]), title=_(found.title)
    )
    typer.echo(f"{heading}\n\n{_(found.explanation)}")

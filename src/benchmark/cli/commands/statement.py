"""``benchmark statement``: a print-ready page per enterprise, written into a folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from benchmark._oserrors import os_reason
from benchmark.cli._arguments import FilesArg, HiddenOpt, SheetOpt, StrictOpt
from benchmark.cli._errors import fail, handled
from benchmark.cli._options import Options, options
from benchmark.cli._runner import Request, check, inputs
from benchmark.i18n import N_, _, say
from benchmark.problems import has_errors

if TYPE_CHECKING:
    from benchmark.inputs import InputFile

HELP = N_(
    "Write a statement per enterprise: its lines with value, levels, tier, gaps, score, "
    "saving, deadline status and a chart against the two levels; the catalogue, the reporting "
    "date (--as-of) and room for a signature. Print-ready (A4 landscape).\n\n"
    "Exit codes as for `validate`.\n\n"
    "Example: `benchmark --as-of 2025-12-31 statement plants.xlsx -o statements/`"
)


def output_folder(folder: Path, arguments: list[str]) -> Path:
    """The folder the statements go into, made if need be; refused when it is a file (a
    statement cannot go inside one) or one of the input folders themselves."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        fail(_("{path}: cannot write: {reason}").format(path=folder, reason=say(os_reason(exc))))
    if info is not None and not stat.S_ISDIR(info.st_mode):
        fail(
            _("{path}: is a file, not a folder: -o names the folder the statements go into").format(
                path=folder
            )
        )
    if info is not None:
        for argument in arguments:
            try:
                other = os.stat(argument)
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                fail(
                    _("{path}: refusing to write into the input folder {folder}").format(
                        path=folder, folder=argument
                    )
                )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(
            _("{path}: cannot make the folder: {reason}").format(
                path=folder, reason=say(os_reason(exc))
            )
        )
    return folder


def write_statements(
    opts: Options, folder: Path, found: list[InputFile], request: Request
) -> NoReturn:
    """Read, grade, and write each enterprise's page atomically; exit as ``grade`` does."""
    from benchmark._atomic import write_atomic
    from benchmark.cli._console import stderr_console, stdout_console
    from benchmark.report import build_report
    from benchmark.report.statement import statements, summary_line
    from benchmark.report.text import problem_lines

    checked = check(opts, request, found)
    report = build_report(checked, opts.catalogue(), graded=checked.frame, as_of=opts.as_of())
    pages = statements(report)
    for name, page in pages.items():
        try:
            write_atomic(folder / name, page, found)
        except OSError as exc:
            fail(
                _("{path}: cannot write: {reason}").format(
                    path=folder / name, reason=say(os_reason(exc))
                )
            )
    console = stderr_console()
    for line in problem_lines(checked.problems):
        console.print(line, soft_wrap=True)
    stdout_console().print(summary_line(len(pages), str(folder)), soft_wrap=True)
    strict = opts.config().strict if request.strict is None else request.strict
    raise typer.Exit(1 if has_errors(checked.problems, strict) else 0)


@handled
def statement(
    ctx: typer.Context,
    files: FilesArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "The folder to write the statements into (made if need be): one HTML page "
                "per enterprise, named after it."
            ),
        ),
    ],
    strict: StrictOpt = None,
    sheet: SheetOpt = None,
    include_hidden: HiddenOpt = False,
) -> None:
    """``benchmark statement`` (its help is :data:`HELP`, said in the user's language)."""
    opts = options(ctx)
    found = inputs(opts, files)
    folder = output_folder(output, files)
    request = Request("statement", files, None, None, strict, sheet, include_hidden=include_hidden)
    write_statements(opts, folder, found, request)

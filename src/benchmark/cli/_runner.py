"""The run that ``validate`` and ``grade`` share: choose the format, read and check the files
(with a progress bar on a terminal), render, and exit with the run's code."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from benchmark.cli._console import emit, stderr_console, stdout_console
from benchmark.cli._errors import fail
from benchmark.cli._options import Options
from benchmark.formats import FORMATS, default_format, formats_for, from_extension, known_extension
from benchmark.i18n import CLAUSE_SEPARATOR, _
from benchmark.problems import has_errors

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from benchmark.inputs import InputFile
    from benchmark.pipeline import Checked


@dataclass(frozen=True)
class Request:
    """What a ``validate`` or ``grade`` command line asks for."""

    command: str
    files: list[str]
    fmt: str | None
    output: Path | None
    strict: bool | None
    sheet: str | None
    fail_on: str | None = None
    group_by: str | None = None
    year: int | None = None
    include_hidden: bool = False


def choose_format(
    command: str, flag: str | None, output: Path | None, configured: str | None
) -> str:
    """``--format``, else the output file's extension, else the configuration, else the
    command's default. A flag that contradicts the extension is an error, not a guess."""
    inferred = from_extension(command, output) if output is not None else None
    if flag and inferred and flag != inferred:
        fail(
            _(
                "--format {format} contradicts the output file {path} (a {inferred} name): "
                "drop one of them"
            ).format(format=flag, path=output, inferred=inferred)
        )
    if flag:
        return flag
    if inferred:
        return inferred
    if output is not None and known_extension(output):
        fail(
            _("{command} cannot write {suffix} files; its formats: {formats}").format(
                command=command, suffix=output.suffix, formats=", ".join(formats_for(command))
            )
        )
    if configured and configured in formats_for(command):
        return configured
    return default_format(command)


def inputs(opts: Options, files: list[str]) -> list[InputFile]:
    """The input files the arguments name, each once; a missing path stops the command."""
    from benchmark.inputs import expand_inputs

    found, missing = expand_inputs(files, hide_paths=opts.hide_paths)
    if missing:
        fail(
            _(CLAUSE_SEPARATOR).join(
                _("{file}: {problem}").format(file=p.file, problem=p.say()) for p in missing
            )
        )
    return found


#: Whether :func:`pause_collection` turned the cyclic garbage collector off.
_paused: list[bool] = []


def pause_collection() -> None:
    """Turn the cyclic garbage collector off for the start-up (the console entry point only).

    Importing typer, pydantic, pandas and pyarrow makes some 100,000 objects that live until
    the process ends; the collector walks them again and again while they are made (about
    0.1 s), and once more at exit (0.15 s): a quarter of a second of a two-row workbook's
    run, for no garbage (``benchmarks/README.md``). :func:`resume_collection` turns it back
    on before any data is read, and :func:`skip_final_collection` spares the walk at exit.
    """
    if gc.isenabled():
        gc.disable()
        _paused.append(True)


def resume_collection() -> None:
    """The collector on again, with every object made so far out of its sight (``gc.freeze``:
    modules, classes and the catalogue are never garbage); a no-op unless it was paused."""
    if _paused:
        _paused.clear()
        gc.freeze()
        gc.enable()


def skip_final_collection() -> None:
    """At the end of the command line: nothing is left to collect that exiting does not free,
    so the interpreter's last collection need not walk every object (``gc.freeze``)."""
    gc.freeze()


def check(opts: Options, request: Request, found: list[InputFile]) -> Checked:
    """Read and check (for ``grade``, grade) the files, with a progress bar on a terminal."""
    from benchmark.pipeline import Events, check_files

    catalogue = opts.catalogue()
    resume_collection()  # from here on, a large file makes garbage worth collecting
    events: Events = Events()
    progress = None
    if not opts.quiet and sys.stderr.isatty():
        from benchmark._progress import ReadProgress

        events = progress = ReadProgress(stderr_console(), len(found))
    with progress or contextlib.nullcontext():
        return check_files(
            found,
            catalogue,
            grade=request.command != "validate",
            sheet=request.sheet,
            include_hidden=request.include_hidden,
            header_aliases=opts.config().header_aliases,
            events=events,
            as_of=opts.as_of(),
        )


def of_year(checked: Checked, year: int | None) -> Checked:
    """The run's graded rows of ``year`` only (all of them when it is None); a year no row
    has stops the command with exit 1, naming the years there are."""
    from dataclasses import replace

    from benchmark.lines import NoRowsForYear, year_mask

    if year is None:
        return checked
    try:
        mask = year_mask(checked.frame, year)
    except NoRowsForYear as exc:
        fail(_("--year {year}: {reason}").format(year=year, reason=exc), code=1)
    return replace(checked, frame=checked.frame[mask].reset_index(drop=True))


def run(opts: Options, request: Request) -> NoReturn:
    """The whole command: exit 0 clean, 1 on errors (or a row failing ``--fail-on``)."""
    from benchmark.report import build_report

    config = opts.config()
    found, fmt = _prepare(opts, request)
    graded = request.command == "grade"
    checked = of_year(check(opts, request, found), request.year)
    report = build_report(
        checked,
        opts.catalogue(),
        graded=checked.frame if graded else None,
        group_by=request.group_by or config.group_by or "area",
        fail_on=(request.fail_on or config.fail_on) if graded else None,
        as_of=opts.as_of(),
        year=request.year,
    )
    if fmt in ("table", "text") and request.output is None:
        from benchmark.report import text

        (text.render_grade if graded else text.render_validate)(stdout_console(), report)
    else:
        _write(report, fmt, request, found, checked)
    strict = config.strict if request.strict is None else request.strict
    failed = has_errors(checked.problems, strict) or len(report.failing()) > 0
    raise typer.Exit(1 if failed else 0)


def _prepare(opts: Options, request: Request) -> tuple[list[InputFile], str]:
    """The inputs and the format; an output that would overwrite an input, or a binary
    format without one, stops the command before anything is read."""
    from benchmark._atomic import check_output_path

    found = inputs(opts, request.files)
    if request.output is not None:
        check_output_path(request.output, found)
    fmt = choose_format(request.command, request.fmt, request.output, opts.config().format)
    if FORMATS[fmt].binary and request.output is None:
        fail(
            _("--format {format} needs an output file: -o {command}.{format}").format(
                format=fmt, command=request.command
            )
        )
    return found, fmt


def _write(
    report: Any, fmt: str, request: Request, found: list[InputFile], checked: Checked
) -> None:
    """Render and write; a data format that holds no problems (CSV, JSON Lines) has them
    said on standard error, so that a pipe carries only the data and none goes unsaid."""
    import contextvars
    from concurrent.futures import ThreadPoolExecutor

    from benchmark.report import render
    from benchmark.report.text import problem_lines

    if fmt not in DATA_ONLY or not checked.problems:
        emit(render(report, fmt, request.command), request.output, found)
        return
    # The lines are worded (Python) while the data is written (Arrow, without the GIL).
    with ThreadPoolExecutor(1, "benchmark-problems") as pool:
        # in this thread's context: the language in use goes with it
        lines = pool.submit(contextvars.copy_context().run, problem_lines, checked.problems)
        emit(render(report, fmt, request.command), request.output, found)
        say_problems(lines.result())


def say_problems(lines: list[Text]) -> None:
    """Each problem's line (:func:`benchmark.report.text.problem_lines`) on standard error.

    Where standard error is no terminal (a log file, a CI job) nothing is styled, and rich
    spends 60 µs a line laying out text it then prints unchanged: 18,000 problems took 1.8 s
    after the output was written. Those lines are written as they are; a line rich would
    change (it expands tabs) still goes through rich."""
    console = stderr_console()
    if console.is_terminal or console.color_system is not None:
        for line in lines:
            console.print(line, soft_wrap=True)
        return
    plain: list[str] = []
    for line in lines:
        if "\t" not in line.plain:
            plain.append(line.plain + "\n")
            continue
        console.file.write("".join(plain))
        plain.clear()
        console.print(line, soft_wrap=True)
    console.file.write("".join(plain))
    console.file.flush()


#: Machine formats without a place for problems.
DATA_ONLY = ("csv", "jsonl")


def run_report(
    opts: Options,
    request: Request,
    build: Callable[[Checked], Any],
    show: Callable[[Console, Any], None],
) -> NoReturn:
    """``track`` and ``lists``: read and grade the files, ``build`` the command's report,
    ``show`` it on a terminal or render it in the chosen format; exit as ``grade`` does."""
    config = opts.config()
    found, fmt = _prepare(opts, request)
    checked = check(opts, request, found)
    report = build(checked)
    if fmt == "table" and request.output is None:
        show(stdout_console(), report)
    else:
        _write(report, fmt, request, found, checked)
    strict = config.strict if request.strict is None else request.strict
    raise typer.Exit(1 if has_errors(checked.problems, strict) else 0)

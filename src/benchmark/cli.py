"""The ``benchmark`` command line: argument parsing and rendering only.

Every command calls plain functions of the package (``check_files``, ``grade``,
``summarise``, the renderers); heavy imports (pandas, pyarrow) happen inside commands so that
``benchmark --version`` starts at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from benchmark._version import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from benchmark.catalogue import Catalogue
    from benchmark.config import Config
    from benchmark.outputs import Writer

app = typer.Typer(
    name="benchmark",
    help="Grade industrial plants against China's energy-efficiency benchmark (标杆) and "
         "baseline (基准) levels, 2021 edition (发改产业〔2021〕1609号).",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
catalogue_app = typer.Typer(
    help="List the catalogue of levels, show one area, or check a catalogue file.\n\n"
         "Example: `benchmark catalogue --sector steel`",
    invoke_without_command=True,
)
app.add_typer(catalogue_app, name="catalogue")


class State:
    """Global options, shared by every command."""

    catalogue_path: str | None = None
    use_config: bool = True
    quiet: bool = False
    hide_paths: bool = False
    _config: Config | None = None

    def config(self) -> Config:
        from benchmark.config import Config, ConfigError, load_config

        if self._config is None:
            if not self.use_config:
                self._config = Config()
            else:
                try:
                    self._config = load_config()
                except ConfigError as exc:
                    fail(str(exc))
        return self._config

    def catalogue(self) -> Catalogue:
        from benchmark.catalogue import CatalogueError, load_catalogue

        path = self.catalogue_path or self.config().catalogue
        try:
            return load_catalogue(path)
        except CatalogueError as exc:
            fail(str(exc))


state = State()


def fail(message: str, code: int = 2) -> NoReturn:
    """Stop with a message on stderr (exit 2: the command could not run)."""
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True).print(Text("error: ", style="bold red") + Text(message),
                               soft_wrap=True)
    raise typer.Exit(code)


def _stdout() -> Console:
    from rich.console import Console

    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"benchmark {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    catalogue: Annotated[str | None, typer.Option(
        "--catalogue", "-c", envvar="BENCHMARK_CATALOGUE", metavar="FILE",
        help="Catalogue YAML to use instead of the shipped 2021 edition.")] = None,
    no_config: Annotated[bool, typer.Option(
        "--no-config", help="Ignore [tool.benchmark] in pyproject.toml and benchmark.toml.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    hide_paths: Annotated[bool, typer.Option(
        "--hide-paths", help="Name input files by their file name only in every output.")
    ] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Global options."""
    state.catalogue_path = catalogue
    state.use_config = not no_config
    state.quiet = quiet
    state.hide_paths = hide_paths
    state._config = None


# --- catalogue ---------------------------------------------------------------------------------

class CatalogueFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@catalogue_app.callback()
def catalogue_list(
    ctx: typer.Context,
    fmt: Annotated[CatalogueFormat, typer.Option("--format", "-f")] = CatalogueFormat.table,
    sector: Annotated[str | None, typer.Option(help="Only areas of this sector, e.g. steel.")
                      ] = None,
) -> None:
    """List the areas and levels (the default when no subcommand is given)."""
    if ctx.invoked_subcommand is not None:
        return
    from benchmark.report import catalogue_view

    cat = state.catalogue()
    if sector is not None and sector not in {a.sector for a in cat.areas}:
        fail(f"unknown sector {sector!r}; sectors: "
             f"{', '.join(sorted({a.sector for a in cat.areas}))}")
    if fmt is CatalogueFormat.table:
        catalogue_view.render_table(_stdout(), cat, sector)
    else:
        sys.stdout.write(catalogue_view.RENDERERS[fmt.value](cat, sector))


@catalogue_app.command("show")
def catalogue_show(
    area: Annotated[str, typer.Argument(help="Area id or any alias, e.g. 水泥熟料 or BOF.")],
    fmt: Annotated[CatalogueFormat, typer.Option("--format", "-f")] = CatalogueFormat.table,
) -> None:
    """Show one area in full: levels, status, notes and aliases.

    Example: `benchmark catalogue show 转炉`
    """
    from benchmark.report import catalogue_view

    cat = state.catalogue()
    hit = cat.resolve(area)
    if hit is None and (new := cat.successor_area(area)) is not None:
        fail(catalogue_view.successor_message(cat, new))
    if hit is None:
        hints = cat.suggest(area)
        fail(f"unknown area {area!r}" + (f"; did you mean {' or '.join(hints)}?" if hints else
                                          "; `benchmark catalogue` lists the areas"))
    if fmt is CatalogueFormat.table:
        catalogue_view.render_area(_stdout(), cat, hit[0])
    else:
        sys.stdout.write(catalogue_view.RENDERERS[fmt.value](cat, None, hit[0].id))


@catalogue_app.command("validate")
def catalogue_validate(
    file: Annotated[Path, typer.Argument(help="A catalogue YAML file.")],
) -> None:
    """Check a catalogue file: exit 0 if valid, 1 with every error and its YAML location.

    Example: `benchmark catalogue validate examples/stricter_local_catalogue.yaml`
    """
    from benchmark.catalogue import CatalogueError, load_catalogue

    if not file.exists():
        fail(f"{file}: no such file")
    try:
        cat = load_catalogue(file)
    except CatalogueError as exc:
        typer.echo(str(exc), err=False)
        raise typer.Exit(1) from None
    levels = sum(len(a.levels) for a in cat.areas)
    typer.echo(f"{file}: valid catalogue, edition {cat.edition}, {len(cat.areas)} areas, "
               f"{levels} levels")


# --- validate and grade ------------------------------------------------------------------------

class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


class GradeFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"
    html = "html"
    github = "github"
    junit = "junit"


class FailOn(StrEnum):
    below_baseline = "below_baseline"
    between = "between"


class GroupBy(StrEnum):
    area = "area"
    sector = "sector"
    region = "region"
    enterprise = "enterprise"


FilesArg = Annotated[list[str], typer.Argument(
    help="Files (.xlsx, .xlsm, .csv, .parquet), directories (searched recursively), globs, "
         "or - for CSV on standard input.", show_default=False)]
SheetOpt = Annotated[str | None, typer.Option(
    "--sheet", help="Read only this sheet (default: every sheet with a header row).")]
OutOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write to this file (atomically) instead of standard output.")]
StrictOpt = Annotated[bool | None, typer.Option(
    "--strict/--no-strict", help="Warnings fail the run too.", show_default=False)]


def _check(files: list[str], sheet: str | None, *, graded: bool = False
           ) -> tuple[Any, Catalogue]:
    """Read and validate (and with ``graded``, grade) the files, with a progress bar on a
    terminal. Rows are graded a part at a time, as soon as each is checked."""
    from benchmark.grading import grade as grade_rows
    from benchmark.inputs import expand_inputs
    from benchmark.pipeline import check_files

    cat = state.catalogue()
    found, missing = expand_inputs(files, hide_paths=state.hide_paths)  # walked once
    if missing:
        fail("; ".join(f"{p.file}: {p.message}" for p in missing))
    aliases = state.config().header_aliases
    transform = (lambda rows: grade_rows(rows, cat)) if graded else None
    progress = None
    if not state.quiet and sys.stderr.isatty():
        from benchmark.progress import ReadProgress

        progress = ReadProgress(_stderr(), len(found))
    with progress or contextlib.nullcontext():
        return check_files(found, cat, sheet=sheet, header_aliases=aliases,
                           on_file_done=progress.file_done if progress else None,
                           on_rows=progress.rows if progress else None,
                           transform=transform), cat


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _emit(text: str | bytes | Writer, output: Path | None, files: list[str]) -> None:
    from benchmark.outputs import OutputError, write_atomic

    if output is None:
        if isinstance(text, bytes):
            fail("this format is binary: give an output file with -o")
        sys.stdout.flush()
        if callable(text):
            text(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return
    try:
        write_atomic(output, text, files)
    except OutputError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")


@app.command()
def validate(
    files: FilesArg,
    fmt: Annotated[ValidateFormat | None, typer.Option(
        "--format", "-f", help="text (default), json, github or junit.")] = None,
    strict: StrictOpt = None,
    sheet: SheetOpt = None,
    output: OutOpt = None,
) -> None:
    """Check input files and report every problem at its cell.

    Exit 0 when there is no error (warnings allowed unless --strict), 1 on any error, 2 when
    the command cannot run.

    Example: `benchmark validate examples/plants_with_errors.xlsx --format json`
    """
    from benchmark.problems import has_errors
    from benchmark.report import build_report, render_validate

    config = state.config()
    fmt_name = (fmt.value if fmt else None) or _config_format(config.format, ValidateFormat,
                                                              "text")
    checked, cat = _check(files, sheet)
    report = build_report(checked, cat, graded=None)
    if fmt_name == "text" and output is None:
        from benchmark.report.text import render_validate as render_text

        render_text(_stdout(), report)
    else:
        _emit(render_validate(report, fmt_name), output, files)
    strict_on = config.strict if strict is None else strict
    raise typer.Exit(1 if has_errors(checked.problems, strict_on) else 0)


def _config_format(name: str | None, enum: type[Enum], default: str) -> str:
    if name is None:
        return default
    if name not in {e.value for e in enum}:
        return default
    return name


@app.command()
def grade(
    files: FilesArg,
    fmt: Annotated[GradeFormat | None, typer.Option(
        "--format", "-f", help="table (default), json, jsonl, csv, markdown, xlsx, html, "
                               "github or junit.")] = None,
    output: OutOpt = None,
    fail_on: Annotated[FailOn | None, typer.Option(
        "--fail-on", help="Exit 1 when any row is at or worse than this tier.")] = None,
    group_by: Annotated[GroupBy | None, typer.Option(
        "--group-by", help="Summarise by area (default), sector, region or enterprise.")
    ] = None,
    strict: StrictOpt = None,
    sheet: SheetOpt = None,
) -> None:
    """Grade every valid row: tier, gaps, score, savings; summary against the 2025 targets.

    Exit codes as for `validate`, plus 1 when a row is at or worse than --fail-on.

    Example: `benchmark grade examples/plant.xlsx` or
    `benchmark grade examples/industry_list.xlsx -f xlsx -o report.xlsx`
    """
    from benchmark.problems import has_errors
    from benchmark.report import build_report, render_grade

    config = state.config()
    fmt_name = (fmt.value if fmt else None) or _config_format(config.format, GradeFormat,
                                                              "table")
    if fmt_name == "xlsx" and output is None:
        fail("--format xlsx needs an output file: -o report.xlsx")
    gate = fail_on.value if fail_on else config.fail_on
    by = group_by.value if group_by else (config.group_by or "area")
    checked, cat = _check(files, sheet, graded=True)
    report = build_report(checked, cat, graded=checked.frame, group_by=by, fail_on=gate)
    if fmt_name == "table" and output is None:
        from benchmark.report.text import render_grade as render_text

        render_text(_stdout(), report)
    else:
        _emit(render_grade(report, fmt_name), output, files)
    strict_on = config.strict if strict is None else strict
    failed = has_errors(checked.problems, strict_on) or len(report.failing()) > 0
    raise typer.Exit(1 if failed else 0)


@app.command()
def template(
    output: Annotated[Path, typer.Argument(help="The workbook to write, e.g. form.xlsx.")],
    area: Annotated[list[str] | None, typer.Option(
        "--area", "-a", help="Only these areas (id or alias); repeat for several.")] = None,
) -> None:
    """Write an input workbook to send to plants: bilingual headers, drop-downs, instructions.

    Example: `benchmark template form.xlsx --area 水泥熟料 --area 平板玻璃`
    """
    from benchmark.template import build_template

    try:
        data = build_template(state.catalogue(), list(area) if area else None)
    except ValueError as exc:
        fail(str(exc))
    _emit(data, output, [])
    typer.echo(f"wrote {output}")


@app.command()
def schema(
    document: Annotated[str, typer.Argument(help="grade or validate.")] = "grade",
) -> None:
    """Print the JSON Schema of `grade --format json` or `validate --format json`.

    Example: `benchmark schema validate > validate.schema.json`
    """
    import json

    from benchmark.schema import SCHEMAS

    model = SCHEMAS.get(document)
    if model is None:
        fail(f"unknown document {document!r}; one of: {', '.join(SCHEMAS)}")
    typer.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
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


def main() -> None:
    """Console-script entry point: exit codes 0/1/2, Ctrl-C is 130 (SIGTERM 143, SIGHUP 129),
    a failed write an ordinary message, never a traceback."""
    from benchmark.allocator import keep_freed_memory
    from benchmark.interrupts import cancel_on_signals, exit_status, received_name
    from benchmark.outputs import WriteError, flush_stdout, guard_stdout, silence_stdout

    keep_freed_memory()
    cancel_on_signals()
    guard_stdout()
    try:
        try:
            app()
        finally:
            flush_stdout()  # a full disk or a closed pipe is found here, not at exit
    except SystemExit as done:
        code = exit_status(done.code)
        if code != done.code:
            _say(f"benchmark: cancelled by {received_name()}\n")
        sys.exit(code)
    except WriteError as exc:
        if exc.broken_pipe:  # the reader stopped reading (| head): quiet, as Unix tools are
            silence_stdout()
            sys.exit(_BROKEN_PIPE)
        _say(f"error: {exc}\n")
        sys.exit(2)
    except KeyboardInterrupt:  # typer turns Ctrl-C into exit 130 itself; this is the backstop
        _say("interrupted\n")
        sys.exit(exit_status(130))
    except Exception as exc:  # a bug of ours: say so plainly; BENCHMARK_DEBUG=1 shows where
        if os.environ.get("BENCHMARK_DEBUG"):
            raise
        _say(f"benchmark: internal error ({type(exc).__name__}: {exc}); please "
             "report it with the command line; BENCHMARK_DEBUG=1 shows the traceback\n")
        sys.exit(2)


#: Exit status after the reader of standard output went away: a shell's 128 + SIGPIPE.
_BROKEN_PIPE = 141


def _say(text: str) -> None:
    """Write to stderr, which may be gone too (a closed ssh session)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text)
        sys.stderr.flush()


if __name__ == "__main__":  # pragma: no cover
    main()


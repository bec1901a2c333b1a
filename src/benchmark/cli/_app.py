"""The typer applications and the options before the command name."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import typer

from benchmark._version import __version__
from benchmark.cli._options import Options
from benchmark.formats import FORMATS, formats_for

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


class Lang(enum.StrEnum):
    zh = "zh"
    en = "en"


def format_choice(command: str) -> type[enum.StrEnum]:
    """The choices of ``--format`` for ``command``, from the format registry."""
    names = formats_for(command)
    return enum.StrEnum(f"{command.title()}Format", {n: n for n in names})  # type: ignore[return-value]


def format_help(command: str, default: str) -> str:
    names = formats_for(command)
    listed = ", ".join(f"{n} (default)" if n == default else n for n in names)
    return f"{listed}. Inferred from the extension of -o when not given."


if TYPE_CHECKING:
    from typing import TypeAlias

    GradeFormat: TypeAlias = str
    ValidateFormat: TypeAlias = str
    TrackFormat: TypeAlias = str
    ListsFormat: TypeAlias = str
else:
    GradeFormat = format_choice("grade")
    ValidateFormat = format_choice("validate")
    TrackFormat = format_choice("track")
    ListsFormat = format_choice("lists")


def _date(value: str | None) -> str | None:
    """``--as-of`` checked at once (exit 2 with the usage), whichever command follows."""
    from benchmark.config import parse_date

    if value is not None:
        try:
            parse_date(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"benchmark {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    catalogue: Annotated[
        str | None,
        typer.Option(
            "--catalogue",
            "-c",
            envvar="BENCHMARK_CATALOGUE",
            metavar="FILE",
            help="Catalogue YAML to use instead of the shipped 2021 edition.",
        ),
    ] = None,
    no_config: Annotated[
        bool,
        typer.Option(
            "--no-config", help="Ignore [tool.benchmark] in pyproject.toml and benchmark.toml."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    hide_paths: Annotated[
        bool,
        typer.Option(
            "--hide-paths", help="Name input files by their file name only in every output."
        ),
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            callback=_date,
            help="Reporting date (ISO, e.g. 2026-11-30) every deadline is judged at; default: "
            "today, or as-of in the configuration.",
        ),
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            help="Language of messages and reports for people: zh or en (default: lang in the "
            "configuration, else the locale, LANG=zh_CN.UTF-8 → zh). Machine formats stay as "
            "they are.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Global options."""
    from benchmark.i18n import language_from_locale, use

    use(lang.value if lang else language_from_locale())
    ctx.obj = Options(
        catalogue_path=catalogue,
        use_config=not no_config,
        quiet=quiet,
        hide_paths=hide_paths,
        as_of_text=as_of,
        lang=lang.value if lang else None,
    )


__all__ = [
    "FORMATS",
    "GradeFormat",
    "ListsFormat",
    "TrackFormat",
    "ValidateFormat",
    "app",
    "catalogue_app",
]

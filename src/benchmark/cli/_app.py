"""The typer applications and the options before the command name.

Every help text is said with :func:`~benchmark.i18n._` when this module is imported, which is
when typer takes it: :mod:`benchmark.cli` chooses the language before (``--lang`` in the
arguments, else the locale). Typer's own words — its panel titles, the help of ``--help``
and of the completion options — are said in the same language through the hooks typer
offers: the command classes (``cls``) and, when help or an error is shown, the settings of
:mod:`typer.rich_utils` (:mod:`benchmark.cli._typer_words`).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from benchmark._version import __version__
from benchmark.cli._options import Options
from benchmark.formats import FORMATS, formats_for
from benchmark.i18n import N_, _

#: The help of the options typer adds itself, by parameter name.
_BUILT_IN_HELP = {
    "help": N_("Show this message and exit."),
    "install_completion": N_("Install completion for the current shell."),
    "show_completion": N_(
        "Show completion for the current shell, to copy it or customize the installation."
    ),
}


def _said(params: list[Any]) -> list[Any]:
    for param in params:
        text = _BUILT_IN_HELP.get(param.name or "")
        if text is not None:
            param.help = _(text)
    return params


def _say_typer_words() -> None:
    from benchmark.cli._typer_words import say_typer_words

    say_typer_words()


class Command(TyperCommand):
    """A command whose help, ``--help`` option included, is in the user's language."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _said(super().get_params(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _say_typer_words()
        super().format_help(ctx, formatter)


class Group(TyperGroup):
    """A group whose help, built-in options (``--help``, completion) included, and whose
    usage errors (raised while the command line is parsed or a command is found) are in the
    user's language: typer's words are said just before it shows either."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _said(super().get_params(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _say_typer_words()
        super().format_help(ctx, formatter)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except typer.Exit:
            raise
        except Exception:  # a usage error, which typer is about to show
            _say_typer_words()
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.Exit:
            raise
        except Exception:
            _say_typer_words()
            raise


app = typer.Typer(
    name="benchmark",
    cls=Group,
    help=_(
        "Grade industrial plants against China's energy-efficiency benchmark (标杆) and "
        "baseline (基准) levels, 2021 edition (发改产业〔2021〕1609号)."
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
catalogue_app = typer.Typer(
    cls=Group,
    help=_(
        "List the catalogue of levels, show one area, or check a catalogue file.\n\n"
        "Example: `benchmark catalogue --sector steel`"
    ),
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
    """The help of ``--format``: the command's formats, its default marked."""
    names = formats_for(command)
    listed = ", ".join(
        _("{format} (default)").format(format=n) if n == default else n for n in names
    )
    return _("{formats}. Inferred from the extension of -o when not given.").format(formats=listed)


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


def _language(value: Lang | None) -> Lang | None:
    """``--lang`` said at once (an eager option), so that what the other options' checks
    say (``--as-of`` not a date) is said in it too."""
    if value is not None:
        from benchmark.i18n import use

        use(value.value)
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
            help=_("Catalogue YAML to use instead of the shipped 2021 edition."),
        ),
    ] = None,
    no_config: Annotated[
        bool,
        typer.Option(
            "--no-config", help=_("Ignore [tool.benchmark] in pyproject.toml and benchmark.toml.")
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_("No progress bar."))] = False,
    hide_paths: Annotated[
        bool,
        typer.Option(
            "--hide-paths", help=_("Name input files by their file name only in every output.")
        ),
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            callback=_date,
            help=_(
                "Reporting date (ISO, e.g. 2026-11-30) every deadline is judged at; default: "
                "today, or as-of in the configuration."
            ),
        ),
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            callback=_language,
            is_eager=True,
            help=_(
                "Language of messages and reports for people: zh or en (default: lang in the "
                "configuration, else the locale, LANG=zh_CN.UTF-8 → zh). Machine formats stay "
                "as they are."
            ),
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=_("Print the version and exit.")
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

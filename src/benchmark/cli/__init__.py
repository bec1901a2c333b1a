"""The ``benchmark`` command line: argument parsing and rendering only.

Every command calls plain functions of the package (``check_files``, ``grade``,
``summarise``, ``render``); heavy imports (pandas, pyarrow) happen inside commands so that
``benchmark --version``, ``catalogue`` and ``explain`` start at once. One module a command
(:mod:`benchmark.cli.commands`), one error handler (:mod:`benchmark.cli._errors`).
"""

from __future__ import annotations

import contextlib
import os
import sys

from benchmark.i18n import _, language_from_argv, language_from_locale, use

# Typer takes every help text when the application is built, on the imports below, long
# before --lang is parsed: the language is chosen first, from --lang in the arguments, else
# the locale (the option itself, parsed later, makes the same choice).
use(language_from_argv(sys.argv[1:]) or language_from_locale())

from benchmark.cli._app import Command, app, catalogue_app  # noqa: E402
from benchmark.cli.commands import (  # noqa: E402
    catalogue,
    grade,
    lists,
    reference,
    statement,
    track,
    validate,
)

__all__ = ["app", "main"]

catalogue_app.callback()(catalogue.catalogue_list)
catalogue_app.command("show", cls=Command, help=_(catalogue.SHOW_HELP))(catalogue.catalogue_show)
catalogue_app.command("validate", cls=Command, help=_(catalogue.VALIDATE_HELP))(
    catalogue.catalogue_validate
)
app.command(cls=Command, help=_(validate.HELP))(validate.validate)
app.command(cls=Command, help=_(grade.HELP))(grade.grade)
app.command(cls=Command, help=_(track.HELP))(track.track)
app.command(cls=Command, help=_(lists.HELP))(lists.lists)
app.command(cls=Command, help=_(statement.HELP))(statement.statement)
app.command(cls=Command, help=_(reference.TEMPLATE_HELP))(reference.template)
app.command(cls=Command, help=_(reference.SCHEMA_HELP))(reference.schema)
app.command(cls=Command, help=_(reference.EXPLAIN_HELP))(reference.explain)


def main() -> None:
    """Console-script entry point: exit codes 0/1/2, Ctrl-C is 130 (SIGTERM 143, SIGHUP 129),
    a failed write an ordinary message, never a traceback."""
    from benchmark._allocator import keep_freed_memory
    from benchmark._atomic import WriteError, flush_stdout, guard_stdout, silence_stdout
    from benchmark._interrupts import cancel_on_signals, exit_status, received_name
    from benchmark.cli._runner import pause_collection, skip_final_collection

    pause_collection()
    keep_freed_memory()
    cancel_on_signals()
    guard_stdout()
    try:
        try:
            app()
        finally:
            flush_stdout()  # a full disk or a closed pipe is found here, not at exit
            skip_final_collection()
    except SystemExit as done:
        code = exit_status(done.code)
        if code != done.code:
            _say(_("benchmark: cancelled by {signal}").format(signal=received_name()) + "\n")
        sys.exit(code)
    except WriteError as exc:
        if exc.broken_pipe:  # the reader stopped reading (| head): quiet, as Unix tools are
            silence_stdout()
            sys.exit(_BROKEN_PIPE)
        _say(_("error: ") + f"{exc}\n")
        sys.exit(2)
    except KeyboardInterrupt:  # typer turns Ctrl-C into exit 130 itself; this is the backstop
        _say(_("interrupted") + "\n")
        sys.exit(exit_status(130))
    except Exception as exc:  # a bug of ours: say so plainly; BENCHMARK_DEBUG=1 shows where
        if os.environ.get("BENCHMARK_DEBUG"):
            raise
        _say(
            _(
                "benchmark: internal error ({kind}: {error}); please report it with the "
                "command line; BENCHMARK_DEBUG=1 shows the traceback"
            ).format(kind=type(exc).__name__, error=exc)
            + "\n"
        )
        sys.exit(2)


#: Exit status after the reader of standard output went away: a shell's 128 + SIGPIPE.
_BROKEN_PIPE = 141


def _say(text: str) -> None:
    """Write to stderr, which may be gone too (a closed ssh session)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text)
        sys.stderr.flush()

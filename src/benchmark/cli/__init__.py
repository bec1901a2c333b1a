"""The ``benchmark`` command line: argument parsing and rendering only.

Every command calls plain functions of the package (``check_files``, ``grade``,
``summarise``, ``render``); heavy imports (pandas, pyarrow) happen inside commands so that
``benchmark --version``, ``catalogue`` and ``explain`` start at once. One module a command
(:mod:`benchmark.cli.commands`), one error handler (:mod:`benchmark.cli._errors`).
"""

from __future__ import annotations

import os
import sys

from benchmark.cli._app import app, catalogue_app
from benchmark.cli.commands import catalogue, grade, lists, reference, track, validate

__all__ = ["app", "main"]

catalogue_app.callback()(catalogue.catalogue_list)
catalogue_app.command("show")(catalogue.catalogue_show)
catalogue_app.command("validate")(catalogue.catalogue_validate)
app.command()(validate.validate)
app.command()(grade.grade)
app.command()(track.track)
app.command()(lists.lists)
app.command()(reference.template)
app.command()(reference.schema)
app.command()(reference.explain)


def main() -> None:
    """Console-script entry point: exit codes 0/1/2, Ctrl-C is 130, never a traceback."""
    from benchmark.allocator import keep_freed_memory

    keep_freed_memory()
    try:
        app()
    except KeyboardInterrupt:  # typer turns Ctrl-C into exit 130 itself; this is the backstop
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug of ours: say so plainly; BENCHMARK_DEBUG=1 shows where
        if os.environ.get("BENCHMARK_DEBUG"):
            raise
        sys.stderr.write(f"benchmark: internal error ({type(exc).__name__}: {exc}); please "
                         "report it with the command line; BENCHMARK_DEBUG=1 shows the "
                         "traceback\n")
        sys.exit(2)

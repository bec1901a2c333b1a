"""The command line's one error handler: what a command cannot do is said on standard error
with an exit code, never a traceback.

Commands raise :class:`CommandError` (or let an :class:`~benchmark._atomic.OutputError` or a
:class:`~benchmark.catalogue.CatalogueError` through); :func:`handled` turns them into a
message and exit 2. A bug of ours is caught last, in :func:`benchmark.cli.main`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])


class CommandError(Exception):
    """The command could not run (bad option, missing path, unusable catalogue …).

    Its message is said in the language in use when it is raised (``fail(_("…"))``): it is
    for the person at the terminal, never for a machine format.
    """

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = 2) -> NoReturn:
    """Stop the command with a message on standard error (exit 2: it could not run)."""
    raise CommandError(message, code)


def say_error(message: str) -> None:
    """``error: …`` on standard error, the way every failure is said."""
    from rich.console import Console
    from rich.text import Text

    from benchmark.i18n import _

    Console(stderr=True).print(Text(_("error: "), style="bold red") + Text(message), soft_wrap=True)


@contextlib.contextmanager
def error_handler() -> Iterator[None]:
    """Turn the failures a user can cause into a message and an exit code."""
    from benchmark._atomic import OutputError, WriteError
    from benchmark.catalogue import CatalogueError

    try:
        yield
    except WriteError as exc:
        if exc.broken_pipe:  # the reader went away: main() ends quietly, as Unix tools do
            raise
        say_error(str(exc))
        raise typer.Exit(2) from None
    except CommandError as exc:
        say_error(str(exc))
        raise typer.Exit(exc.code) from None
    except (OutputError, CatalogueError) as exc:
        say_error(str(exc))
        raise typer.Exit(2) from None


def handled(command: F) -> F:
    """``command`` run inside :func:`error_handler` (its signature kept for typer)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        with error_handler():
            return command(*args, **kwargs)

    return run  # type: ignore[return-value]

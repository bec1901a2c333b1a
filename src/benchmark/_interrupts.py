"""SIGTERM and SIGHUP cancel a run exactly as Ctrl-C does.

``timeout``, a cancelled CI job, ``docker stop`` and a closed ssh session end a process with
SIGTERM or SIGHUP, whose default action kills it on the spot: no ``finally`` runs, so a report
half-written to its temporary file and the pieces of a large sheet in ``TMPDIR`` would be left
behind. :func:`cancel_on_signals` makes either signal raise :class:`Terminated` — a
:class:`KeyboardInterrupt` — in the main thread instead, so everything that cleans up after
Ctrl-C runs: the reading threads are told to stop (``pipeline.check_files`` sets its ``stop``
event on any exception), temporary files are removed, and no output is renamed into place.
:func:`exit_status` then turns typer's 130 into the shell's convention, 128 + the signal
(143 for SIGTERM, 129 for SIGHUP).

Only the command line installs the handlers (like ``allocator.keep_freed_memory``): a library
must not change the signal handlers of the program that imports it.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

#: The signals that cancel a run (SIGINT keeps Python's own KeyboardInterrupt).
SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)

#: Exit status of a run cancelled by Ctrl-C (typer's; the shell's 128 + SIGINT).
INTERRUPTED = 130

_received: list[int] = []


class Terminated(KeyboardInterrupt):
    """The run was cancelled by a termination signal (``signum``), not by Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def cancel_on_signals(signals: tuple[signal.Signals, ...] = SIGNALS) -> None:
    """Make each of ``signals`` raise :class:`Terminated` in the main thread.

    A signal the process was started ignoring stays ignored (``nohup benchmark …`` must
    survive the hang-up it asked to survive). Only the first signal raises: a second one,
    arriving while the first is being cleaned up after, must not cut that cleanup short.
    """
    if threading.current_thread() is not threading.main_thread():
        return  # signal.signal works only there; a command line always runs there
    for signum in signals:
        if signal.getsignal(signum) is signal.SIG_IGN:
            continue
        signal.signal(signum, _cancel)


def _cancel(signum: int, frame: FrameType | None) -> None:
    first = not _received
    _received.append(signum)
    if first:
        raise Terminated(signum)


def received() -> int | None:
    """The termination signal that cancelled the run, if one did."""
    return _received[0] if _received else None


def received_name() -> str:
    """The name of that signal (``SIGTERM``), for a message."""
    signum = received()
    return "no signal" if signum is None else signal.Signals(signum).name


def exit_status(code: int | str | None) -> int | str | None:
    """The exit status for ``sys.exit``: 128 + the signal when a termination signal turned
    into typer's Ctrl-C status (130); anything else unchanged."""
    signum = received()
    if signum is not None and code == INTERRUPTED:
        return 128 + signum
    return code

"""Where output goes: the terminal (rich consoles) and files or standard output (bytes)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark._oserrors import os_reason
from benchmark.cli._errors import fail
from benchmark.i18n import _, say

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from benchmark._atomic import Writer
    from benchmark.inputs import InputFile

#: Width of the text written when standard output is not a terminal (a file, a pipe) and
#: COLUMNS does not say one.
PIPE_WIDTH = 160


def output_width() -> int | None:
    """The width to lay text out in: the terminal's (None: rich asks it), else COLUMNS when
    set (``COLUMNS=80 benchmark grade … | lpr`` prints what an 80-column terminal shows), else
    :data:`PIPE_WIDTH`."""
    if sys.stdout.isatty():
        return None
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else PIPE_WIDTH


def stdout_console() -> Console:
    from rich.console import Console

    return Console(soft_wrap=False, width=output_width())


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def emit(
    data: str | bytes | Writer, output: Path | None, inputs: Sequence[str | InputFile]
) -> None:
    """Write a rendered output to ``output`` (atomically, never over an input) or to
    standard output."""
    from benchmark._atomic import write_atomic

    if output is None:
        if isinstance(data, bytes):
            fail(_("this format is binary: give an output file with -o"))
        sys.stdout.flush()
        if callable(data):
            data(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    try:
        write_atomic(output, data, inputs)
    except OSError as exc:
        fail(_("{path}: cannot write: {reason}").format(path=output, reason=say(os_reason(exc))))

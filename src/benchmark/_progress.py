"""A progress bar for long reads: files and rows, shown only once the work takes a while.

A run that finishes within :data:`DELAY` seconds prints nothing, so quick checks and their
logs stay clean; a longer one shows a transient bar on the terminal, fed from the reading
threads (rich's ``Progress`` is thread-safe), which disappears when the work is done.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from benchmark.i18n import _
from benchmark.pipeline import Events

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

#: Seconds of work before the bar appears.
DELAY = 1.0


class ReadProgress(Events):
    """Counts files done and rows checked: the :class:`~benchmark.pipeline.Events` of a run,
    and a context manager around it."""

    def __init__(self, console: Console, files: int, delay: float = DELAY) -> None:
        super().__init__()
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._bar: Progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(_("files · {task.fields[rows]:,} rows")),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            auto_refresh=True,
        )
        self._task: TaskID = self._bar.add_task(_("reading"), total=files, rows=0)
        self._rows = 0
        self._lock = threading.Lock()
        self._timer = threading.Timer(delay, self._show)
        self._timer.daemon = True
        self._shown = False
        self._closed = False

    @property
    def shown(self) -> bool:
        """Whether the bar was put on the screen (the work took longer than the delay)."""
        return self._shown

    def rows(self, path: str, count: int) -> None:
        """Another ``count`` rows of ``path`` checked (a whole sheet, or a piece of one)."""
        with self._lock:
            self._rows += count
            self._bar.update(self._task, rows=self._rows, description=Path(path).name)

    def file_done(self, path: str, rows: int) -> None:
        """``path`` is read and checked."""
        self._bar.update(self._task, advance=1)

    def _show(self) -> None:
        with self._lock:
            if not self._closed:
                self._bar.start()
                self._shown = True

    def __enter__(self) -> ReadProgress:
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._shown:
                self._bar.stop()

"""Writing outputs without ever losing data: atomic replace, never over an input, every byte.

A report is written to a temporary file beside its destination and renamed into place, so an
interrupted run (an error, Ctrl-C, SIGTERM, a full disk) leaves the previous file or none,
never half a file; and a destination that is one of the run's inputs — named directly, through
a symlink or hard link, or found in an input folder or glob — is refused before anything is
written.

Every write goes through :class:`FullWrites`, which writes all the bytes it is given or raises
:class:`WriteError` naming the destination. Python's own buffered files may report a short
write as a success when the disk fills or the reader of a pipe goes away part-way (the error
is only raised on the *next* write, which may never come): the output would be cut short and
the run exit 0. :func:`guard_stdout` puts standard output on the same footing for the command
line, so that a full disk or a closed pipe there is an ordinary message, not a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from benchmark._oserrors import os_reason
from benchmark.i18n import _, say

if TYPE_CHECKING:
    from benchmark.inputs import InputFile

#: What messages call standard output.
STDOUT_NAME = "<stdout>"


class OutputError(Exception):
    """An output that must not or cannot be written; said in the language in use when it is
    raised (the system's own reason, ``No space left on device``, stays as the system says it).
    """


class WriteError(OutputError):
    """Writing to ``where`` failed with ``error`` (a full disk, a closed pipe, an I/O error)."""

    def __init__(self, where: str, error: OSError) -> None:
        super().__init__(
            _("{path}: cannot write: {reason}").format(path=where, reason=say(os_reason(error)))
        )
        self.where = where
        self.error = error

    @property
    def broken_pipe(self) -> bool:
        """Whether the reader went away (``benchmark … | head -1``): not a failure to report."""
        return self.error.errno in (errno.EPIPE, errno.ECONNRESET)


class FullWrites(io.RawIOBase):
    """A file descriptor that takes every byte it is given, or raises :class:`WriteError`.

    After a failure it swallows what follows, so that the flush at interpreter exit does not
    fail a second time over the same error.
    """

    def __init__(self, fd: int, where: str, *, closefd: bool = False) -> None:
        super().__init__()
        self._fd = fd
        self._where = where
        self._closefd = closefd
        self._failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        if self._failed:
            return len(view)
        done = 0
        while done < len(view):
            try:
                done += os.write(self._fd, view[done:])
            except OSError as exc:
                self._failed = True
                raise WriteError(self._where, exc) from exc
        return done

    def close(self) -> None:
        if not self.closed and self._closefd:
            os.close(self._fd)
        super().close()


def guard_stdout() -> None:
    """Route ``sys.stdout`` through :class:`FullWrites` (for the command line only).

    The text layer keeps the encoding, error handler and buffering of the stream it replaces;
    the original stays open as ``sys.__stdout__``.
    """
    current = sys.stdout
    try:
        fd = current.fileno()
    except (AttributeError, OSError, ValueError):
        return  # no real standard output (closed, or replaced by a test harness)
    line_buffered = bool(getattr(current, "line_buffering", False))
    with contextlib.suppress(OSError, ValueError):
        current.flush()
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(FullWrites(fd, STDOUT_NAME)),
        encoding=current.encoding,
        errors=current.errors,
        line_buffering=line_buffered,
    )


def flush_stdout() -> None:
    """Flush standard output now, inside the command's error handling, rather than at
    interpreter exit where a failure can only be printed as an ignored exception."""
    stream = sys.stdout
    if stream is not None:
        stream.flush()


def silence_stdout() -> None:
    """Send what is left of standard output to the null device (its reader is gone)."""
    with contextlib.suppress(OSError, AttributeError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def check_output_path(path: str | os.PathLike[str], inputs: Iterable[str | InputFile]) -> Path:
    """Refuse an output path that is one of the inputs, or that cannot be a file.

    The output is compared, by device and inode, with every file the inputs expand to (the
    files of input folders and the matches of globs included, found without following symlink
    loops): a symlink in an input folder pointing elsewhere makes that elsewhere an input.
    """
    from benchmark.inputs import readable  # here: the command line starts without the readers

    out = Path(path)
    shown = readable(str(out))
    try:
        info: os.stat_result | None = os.stat(out)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        reason = say(os_reason(exc))
        raise OutputError(
            _("{path}: cannot write: {reason}").format(path=shown, reason=reason)
        ) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(_("{path}: is a directory").format(path=shown))
    if info is not None and stat.S_ISREG(info.st_mode):
        _refuse_an_input(shown, (info.st_dev, info.st_ino), inputs)
    if info is None and not out.parent.is_dir():
        raise OutputError(
            _("{path}: folder {folder} does not exist").format(
                path=shown, folder=readable(str(out.parent))
            )
        )
    return out


def _refuse_an_input(
    shown: str, identity: tuple[int, int], inputs: Iterable[str | InputFile]
) -> None:
    from benchmark.inputs import expand_inputs, readable

    files, _missing = expand_inputs(inputs)
    for item in files:
        if item.identity == identity:
            argument = readable(item.argument)
            if item.from_folder:
                raise OutputError(
                    _(
                        "{path}: refusing to write over a file of the input folder {folder} "
                        "({file})"
                    ).format(path=shown, folder=argument, file=item.display)
                )
            raise OutputError(
                _("{path}: refusing to write over the input file {file}").format(
                    path=shown, file=argument
                )
            )


def _new_file_mode(out: Path) -> int:
    """The mode the output would have if written in place: the old file's, else 0666 − umask."""
    try:
        return stat.S_IMODE(out.stat().st_mode)
    except OSError:
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


#: Something that writes an output into a binary file: streamed, never held whole in memory.
Writer = Callable[[BinaryIO], None]


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes | Writer, inputs: Iterable[str | InputFile] = ()
) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    An interrupted run (error, Ctrl-C, SIGTERM) leaves the old file, or none — never a partial
    one, and no temporary file either. A destination that is not a regular file
    (``/dev/null``, a pipe) is written directly: renaming over it would replace the device
    itself. A failed write raises :class:`WriteError` naming ``path``.
    """
    from benchmark.inputs import readable

    out = check_output_path(path, inputs)
    shown = readable(str(out))

    def write(fh: BinaryIO) -> None:
        if callable(data):
            data(fh)
        else:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        fh.flush()

    try:
        special = out.exists() and not stat.S_ISREG(out.stat().st_mode)
    except OSError:
        special = False
    if special:
        with _binary(os.open(out, os.O_WRONLY | os.O_TRUNC), shown) as fh:
            write(fh)
        return
    mode = _new_file_mode(out)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with _binary(fd, shown) as fh:
            write(fh)
            os.fsync(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(out.parent)


def _binary(fd: int, where: str) -> io.BufferedWriter:
    """A buffered binary file on ``fd`` (closed with it) whose writes are complete or fail."""
    return io.BufferedWriter(FullWrites(fd, where, closefd=True), buffer_size=1024 * 1024)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

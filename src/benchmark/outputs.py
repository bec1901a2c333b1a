"""Writing outputs without ever losing data: atomic replace, never over an input file.

A report is written to a temporary file beside its destination and renamed into place, so an
interrupted run (an error, Ctrl-C, a full disk) leaves the previous file or none, never half a
file; and a destination that is one of the run's inputs — named directly, through a symlink or
hard link, or found in an input folder or glob — is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

#: Files that a folder given as input contributes (as in ``benchmark.pipeline.expand_paths``).
INPUT_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".parquet")


class OutputError(Exception):
    """An output that must not or cannot be written."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _is_input(out: Path, raw: str) -> bool:
    """Whether writing ``out`` would overwrite a file that the input ``raw`` makes the run read."""
    if raw == "-":
        return False
    inp = Path(raw)
    target = out.resolve()
    if inp.is_dir():
        return (out.exists() and target.is_relative_to(inp.resolve())
                and target.suffix.lower() in INPUT_SUFFIXES
                and not target.name.startswith("~$"))
    if not inp.exists() and glob.has_magic(raw):
        return any(_same_file(out, Path(hit)) or target == Path(hit).resolve()
                   for hit in glob.iglob(raw, recursive=True))
    return _same_file(out, inp) or target == inp.resolve()


def check_output_path(path: str | os.PathLike[str], inputs: Iterable[str]) -> Path:
    """Refuse an output path that is one of the inputs, or whose folder does not exist."""
    out = Path(path)
    for raw in inputs:
        if _is_input(out, raw):
            raise OutputError(f"{out}: refusing to write over the input file {raw}"
                              if not Path(raw).is_dir() else
                              f"{out}: refusing to write over a file of the input folder {raw}")
    if out.is_dir():
        raise OutputError(f"{out}: is a directory")
    if not out.parent.exists():
        raise OutputError(f"{out}: folder {out.parent} does not exist")
    return out


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


def write_atomic(path: str | os.PathLike[str], data: str | bytes | Writer,
                 inputs: Iterable[str] = ()) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    An interrupted run (error, Ctrl-C) leaves the old file, or none — never a partial one, and
    no temporary file either. A destination that is not a regular file (``/dev/null``, a pipe)
    is written directly: renaming over it would replace the device itself.
    """
    out = check_output_path(path, inputs)
    def write(fh: BinaryIO) -> None:
        if callable(data):
            data(fh)
        else:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)

    try:
        special = out.exists() and not stat.S_ISREG(out.stat().st_mode)
    except OSError:
        special = False
    if special:
        with open(out, "wb") as fh:
            write(fh)
        return
    mode = _new_file_mode(out)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(out.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

"""Writing outputs without ever losing data: atomic replace, never over an input file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputError(Exception):
    """An output that must not or cannot be written."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output_path(path: str | os.PathLike[str], inputs: Iterable[str]) -> Path:
    """Refuse an output path that is one of the inputs, or whose folder does not exist."""
    out = Path(path)
    for raw in inputs:
        if raw == "-":
            continue
        inp = Path(raw)
        if _same_file(out, inp) or out.resolve() == inp.resolve():
            raise OutputError(f"{out}: refusing to write over the input file {raw}")
    if out.is_dir():
        raise OutputError(f"{out}: is a directory")
    if not out.parent.exists():
        raise OutputError(f"{out}: folder {out.parent} does not exist")
    return out


def write_atomic(path: str | os.PathLike[str], data: str | bytes,
                 inputs: Iterable[str] = ()) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    An interrupted run (error, Ctrl-C) leaves the old file, or none — never a partial one.
    """
    out = check_output_path(path, inputs)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

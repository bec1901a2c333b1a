"""From command-line arguments to input files: each file once, found without looping, named
the same way in every output.

An argument is a file, a folder (searched recursively for .xlsx, .xlsm, .csv and .parquet), a
glob (``data/**/*.xlsx``) or ``-`` (standard input). Inputs are files, not spellings: a file
reached twice — named twice, through a symlink or a hard link, or through a folder that links
back to itself — is read once, under its first spelling, or every total would count it twice.
Folders and ``**`` are walked with a set of the (device, inode) of the directories already
entered, so a symlink to a parent folder ends the walk instead of sending it round 40 times
(Python's ``glob``) or 2⁴⁰ times (two such links).

Each input gets one *display name*, computed here once and shown by every problem, result row
and report header: relative to the working directory, also outside it (``../data/p.csv``: a
report handed over must not carry ``/home/consultant/…``), only the file name with ``hide_paths``,
and always printable — a name in GBK bytes (a zip made on a Chinese Windows) is decoded as
GBK, other undecodable bytes are shown as ``\\xNN``, and control characters are escaped. The
file itself is always opened by its real name.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import stat
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from benchmark._oserrors import os_reason
from benchmark.i18n import Msg
from benchmark.problems import Problem, problem
from benchmark.readers.sniff import INPUT_SUFFIXES, STDIN
from benchmark.readers.table import display_safe

#: What a problem or report calls standard input.
STDIN_NAME = "<stdin>"

#: A file's identity, whatever it is called: (device, inode).
Identity = tuple[int, int]


@dataclass(frozen=True)
class InputFile:
    """One file to read: ``path`` opens it (the first spelling found), ``display`` names it in
    every output, ``argument`` is the command-line argument it came from."""

    path: str
    display: str
    argument: str
    identity: Identity | None = None

    @property
    def from_folder(self) -> bool:
        """Whether the file was found by searching a folder (rather than named or globbed)."""
        return self.path != self.argument and _is_folder(self.argument)


def expand_inputs(
    arguments: Iterable[str | os.PathLike[str] | InputFile], *, hide_paths: bool = False
) -> tuple[list[InputFile], list[Problem]]:
    """The files that ``arguments`` name, each once, in argument order (a folder's or a glob's
    files sorted by path), and a problem (E001) for each argument that names nothing.

    An :class:`InputFile` among the arguments is taken as it is (already expanded), so a list
    expanded once can be passed on without walking the folders again.
    """
    found: list[InputFile] = []
    problems: list[Problem] = []
    seen_ids: set[Identity] = set()
    seen_paths: set[str] = set()
    for argument in arguments:
        if isinstance(argument, InputFile):
            candidates = [argument]
        else:
            spelled = os.fspath(argument)
            candidates = [
                InputFile(path, "", spelled, _identity(path))
                for path in _expand_argument(spelled, problems)
            ]
        for item in candidates:
            key = item.identity
            if (key is not None and key in seen_ids) or (key is None and item.path in seen_paths):
                continue
            if key is not None:
                seen_ids.add(key)
            seen_paths.add(item.path)
            found.append(item)
    return _named(found, hide_paths), problems


def display_name(path: str, *, hide_paths: bool = False) -> str:
    """What outputs call the file at ``path``: see the module's docstring."""
    if path == STDIN:
        return STDIN_NAME
    if hide_paths:
        return readable(os.path.basename(os.path.normpath(path)) or path)
    return readable(_relative(path))


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def readable(name: str) -> str:
    """A name from the file system as a person can read it, safe to print.

    Python keeps bytes that are not UTF-8 as lone surrogates (``\\udcb9``), which cannot be
    written to a terminal, a JSON document or an xlsx file. Each path component holding such
    bytes is decoded as GBK (or GB18030) where its bytes are valid GBK, and otherwise shown
    with the bad bytes as ``\\xNN``; controls and bidi marks are escaped (``\\u202e``).
    """
    if _ESCAPED_BYTE.search(name) is not None:
        name = os.sep.join(_decode_component(part) for part in name.split(os.sep))
    return display_safe(name)


def _decode_component(part: str) -> str:
    if _ESCAPED_BYTE.search(part) is None:
        return part
    raw = os.fsencode(part)
    for encoding in ("gbk", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="backslashreplace")


#: Folders of the system's own files (a pipe's /dev/fd/N): no one's machine path.
_DEVICE_FOLDERS = ("/dev/", "/proc/")


def _relative(path: str) -> str:
    """``path`` relative to the working directory (``../data/p.csv`` for a file beside it): a
    report handed over never carries the absolute path of the machine that made it. Only where
    no relative path exists (another drive on Windows) is it the file name alone."""
    try:
        absolute = os.path.abspath(path)
    except OSError:  # the working directory was removed
        return os.path.normpath(path)
    bases = _working_directories()
    for base in bases:
        if _inside(absolute, base):
            return os.path.relpath(absolute, base)
    if not os.path.isabs(path) or absolute.startswith(_DEVICE_FOLDERS):
        return os.path.normpath(path)  # as spelled; a pipe (<(cat x.csv)) keeps /dev/fd/63
    try:
        return os.path.relpath(absolute, bases[0]) if bases else os.path.basename(absolute)
    except ValueError:  # no relative path between two drives
        return os.path.basename(absolute)


def _working_directories() -> list[str]:
    """The working directory, and ``$PWD`` when it names the same one through a symlink
    (paths the user spelled with the shell's view of the folder)."""
    try:
        cwd = os.getcwd()
    except OSError:
        return []
    found = [cwd]
    logical = os.environ.get("PWD", "")
    if logical and logical != cwd and os.path.isabs(logical):
        try:
            if os.path.samefile(logical, cwd):
                found.append(os.path.normpath(logical))
        except OSError:
            pass
    return found


def _inside(path: str, folder: str) -> bool:
    folder = folder.rstrip(os.sep) + os.sep
    return path.startswith(folder)


def _named(files: list[InputFile], hide_paths: bool) -> list[InputFile]:
    """Give each file its display name; with ``hide_paths``, two files of the same name are
    told apart as ``plants.xlsx`` and ``plants.xlsx (2)``."""
    named: list[InputFile] = []
    taken: dict[str, int] = {}
    for item in files:
        shown = item.display or display_name(item.path, hide_paths=hide_paths)
        count = taken.get(shown, 0) + 1
        taken[shown] = count
        if count > 1:
            shown = f"{shown} ({count})"
        named.append(InputFile(item.path, shown, item.argument, item.identity))
    return named


def _identity(path: str) -> Identity | None:
    """(device, inode) of what ``path`` names (of the link itself when it leads nowhere)."""
    if path == STDIN:
        return None
    for look in (os.stat, os.lstat):
        try:
            info = look(path)
        except (OSError, ValueError):
            continue
        return info.st_dev, info.st_ino
    return None


def _is_folder(argument: str) -> bool:
    return (
        argument != STDIN
        and os.path.splitext(argument)[1].lower() not in INPUT_SUFFIXES
        and os.path.isdir(argument)
    )


def _expand_argument(argument: str, problems: list[Problem]) -> list[str]:
    """The files one argument names (a problem if none)."""
    shown = readable(argument)
    if argument == STDIN:
        return [argument]
    if _is_folder(argument):
        errors: list[tuple[str, OSError]] = []
        hits = folder_files(argument, errors)
        problems.extend(_walk_problems(errors))
        if not hits and not errors:
            problems.append(
                problem(
                    "E001", shown, Msg("directory holds no .xlsx, .xlsm, .csv or .parquet file")
                )
            )
        return hits
    if os.path.lexists(argument):
        return [argument]
    if glob.has_magic(argument):
        errors = []
        hits = glob_files(argument, errors)
        problems.extend(_walk_problems(errors))
        if not hits and not errors:
            problems.append(problem("E001", shown, Msg("no file matches this pattern")))
        return hits
    problems.append(problem("E001", shown, Msg("no such file")))
    return []


def _walk_problems(errors: list[tuple[str, OSError]]) -> list[Problem]:
    return [
        problem(
            "E001",
            readable(folder),
            Msg("folder cannot be searched: {reason}", reason=os_reason(exc)),
        )
        for folder, exc in errors
    ]


def _is_input_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in INPUT_SUFFIXES and not name.startswith("~$")


def folder_files(folder: str, errors: list[tuple[str, OSError]]) -> list[str]:
    """The input files under ``folder``, recursively, sorted by path (Excel's ``~$`` lock
    files left out); folders that cannot be listed are added to ``errors``."""
    found = [
        os.path.join(where, entry.name)
        for where, entries in walk(folder, errors)
        for entry in entries
        if _is_input_name(entry.name) and _is_file(entry)
    ]
    return sorted(found)


def glob_files(pattern: str, errors: list[tuple[str, OSError]]) -> list[str]:
    """The files a glob matches, sorted, as :func:`glob.glob` with ``recursive=True`` finds
    them (``*`` skips hidden names unless the pattern starts with a dot), but with each ``**``
    walking every directory once, however many symlinks lead back into it."""
    parts = pattern.split(os.sep)
    base = os.sep if os.path.isabs(pattern) else ""
    if base:
        parts = parts[1:]
    hits: list[str] = []
    _glob_in(base, parts, hits, errors)
    return sorted({hit for hit in hits if os.path.isfile(hit)})


def _glob_in(
    base: str, parts: list[str], hits: list[str], errors: list[tuple[str, OSError]]
) -> None:
    """Match ``parts`` below the directory ``base`` ("" is the working directory)."""
    if not parts:
        hits.append(base)
        return
    head, rest = parts[0], parts[1:]
    if head == "**":
        for where, entries in walk(base, errors, hidden=False):
            if rest:
                _glob_in(where, rest, hits, errors)
            else:
                hits.extend(
                    os.path.join(where, e.name) for e in entries if not e.name.startswith(".")
                )
        return
    if not glob.has_magic(head):
        path = os.path.join(base, head)
        if not rest:
            hits.append(path)
        elif os.path.isdir(path):
            _glob_in(path, rest, hits, errors)
        return
    show_hidden = head.startswith(".")
    for entry in _entries(base, errors):
        if (show_hidden or not entry.name.startswith(".")) and fnmatch.fnmatch(entry.name, head):
            path = os.path.join(base, entry.name)
            if not rest:
                hits.append(path)
            elif _is_dir(entry, follow=True):
                _glob_in(path, rest, hits, errors)


def walk(
    top: str, errors: list[tuple[str, OSError]], *, hidden: bool = True
) -> Iterator[tuple[str, list[os.DirEntry[str]]]]:
    """Each directory under ``top`` (``top`` first, "" for the working directory) with its
    entries sorted by name, entered once.

    Symlinks to directories are followed, but only into directories not yet entered (by
    device and inode), and only after the real tree: a folder reached both ways keeps its
    real name. ``hidden=False`` skips directories whose names start with a dot (as ``**``).
    """
    entered: set[Identity] = set()
    linked: deque[str] = deque([top])
    while linked:
        start = linked.popleft()
        key = _identity(start or os.curdir)
        if key is None or key in entered:
            continue
        entered.add(key)
        stack = [start]
        while stack:
            folder = stack.pop()
            entries = _entries(folder, errors)
            yield folder, entries
            real: list[str] = []
            for entry in entries:
                if not hidden and entry.name.startswith("."):
                    continue
                path = os.path.join(folder, entry.name)
                if _is_dir(entry, follow=False):
                    key = _entry_identity(entry)
                    if key is not None and key not in entered:
                        entered.add(key)
                        real.append(path)
                elif entry.is_symlink() and _is_dir(entry, follow=True):
                    linked.append(path)
            stack.extend(reversed(real))


def _entries(folder: str, errors: list[tuple[str, OSError]]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder or os.curdir) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        errors.append((folder or os.curdir, exc))
        return []


def _is_dir(entry: os.DirEntry[str], *, follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:  # a symlink loop, a folder removed meanwhile
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _entry_identity(entry: os.DirEntry[str]) -> Identity | None:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    return info.st_dev, info.st_ino

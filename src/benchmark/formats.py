"""The output formats: one registry from which the command-line options are made, the
configuration's ``format`` is checked, and ``-o report.xlsx`` finds its format.

Standard library only: the command line reads it before anything heavy is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One output format: the commands that write it, the file extensions that mean it,
    whether it must go to a file (``binary``), and whether it is data for a machine — then
    problems go to standard error, so that a pipe carries only the data."""

    name: str
    commands: frozenset[str]
    extensions: tuple[str, ...] = ()
    binary: bool = False
    machine: bool = False
    help: str = ""


def _fmt(
    name: str,
    commands: str,
    extensions: str = "",
    *,
    binary: bool = False,
    machine: bool = False,
    help: str = "",
) -> Format:
    return Format(
        name, frozenset(commands.split()), tuple(extensions.split()), binary, machine, help
    )


#: Every format, in the order ``--help`` lists them.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        _fmt("table", "grade track lists", ".txt", help="a table for people (the terminal)"),
        _fmt("text", "validate", ".txt", help="one problem a line, for people"),
        _fmt(
            "json",
            "grade validate track lists",
            ".json",
            machine=True,
            help="one JSON document (benchmark schema …)",
        ),
        _fmt("jsonl", "grade", ".jsonl .ndjson", machine=True, help="one result a line"),
        _fmt("csv", "grade track lists", ".csv", machine=True, help="results as CSV"),
        _fmt("markdown", "grade track lists", ".md .markdown", help="Markdown tables"),
        _fmt("xlsx", "grade track lists", ".xlsx", binary=True, help="an Excel workbook"),
        _fmt("html", "grade track", ".html .htm", help="one self-contained page"),
        _fmt("github", "grade validate", machine=True, help="GitHub workflow annotations"),
        _fmt("junit", "grade validate", ".xml", machine=True, help="JUnit XML"),
    )
}


def formats_for(command: str) -> list[str]:
    """The names of the formats a command writes, in registry order."""
    return [f.name for f in FORMATS.values() if command in f.commands]


def default_format(command: str) -> str:
    """The format a command writes when none is asked for."""
    return "text" if command == "validate" else "table"


def from_extension(command: str, path: str | os.PathLike[str]) -> str | None:
    """The format of ``command`` that an output file's extension names (``report.xlsx`` →
    xlsx), if any."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    return next(
        (f.name for f in FORMATS.values() if command in f.commands and suffix in f.extensions), None
    )


def known_extension(path: str | os.PathLike[str]) -> bool:
    """Whether the extension names some format (of any command)."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    return any(suffix in f.extensions for f in FORMATS.values())

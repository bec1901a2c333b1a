"""A check's result: the rows that fail it, and how to word the problem of each.

Checks return masks (as pandera's do); problems — a Python object per failing row, with its
Excel cell — are made only for the rows in a mask, after every check has run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmark.i18n import Msg
from benchmark.problems import Problem, problem
from benchmark.readers import Table

BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


@dataclass(frozen=True)
class Finding:
    """Rows of one table that fail one check: ``message(position)`` words each problem, as a
    :class:`~benchmark.i18n.Msg` to be said in the reader's language."""

    code: str
    field: str | None
    mask: BoolArray
    message: Callable[[int], Msg]


def problems_of(table: Table, findings: Iterable[Finding]) -> tuple[list[Problem], BoolArray]:
    """The problems of ``findings``, located at their cells, and the rows with an error."""
    bad = np.zeros(len(table.frame), dtype=bool)
    found: list[Problem] = []
    for finding in findings:
        positions = np.flatnonzero(finding.mask)
        if not len(positions):
            continue
        field = finding.field
        if field == "category" and field not in table.letters:
            field = "area"  # no category column at all: point at the area that needs one
        letter = table.letters.get(field) if field else None
        header = table.headers.get(field) if field else None
        found.extend(
            problem(
                finding.code,
                table.file,
                finding.message(int(pos)),
                sheet=table.sheet,
                row=int(table.rows[pos]),
                column=letter,
                header=header,
            )
            for pos in positions
        )
        if finding.code.startswith("E"):
            bad[positions] = True
    return found, bad

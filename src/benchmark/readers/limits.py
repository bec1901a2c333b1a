"""Safety limits of the readers: sizes, cells, columns and lines a file may reach, and the
typed :class:`Refusal` a reader gives when a file crosses one or is not what it claims.

Two of the limits, the ones a large legitimate file may reach, can be raised from the
environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from benchmark.i18n import Msg

# --- safety limits -----------------------------------------------------------------------------
#: Environment variables that change the two limits a large legitimate file may reach.
MAX_UNCOMPRESSED_ENV = "BENCHMARK_MAX_UNCOMPRESSED"
MAX_CELLS_ENV = "BENCHMARK_MAX_CELLS"
#: Uncompressed size of a workbook (all its zip entries together).
DEFAULT_MAX_UNCOMPRESSED = 2 * 1024**3
#: Cells of a sheet's bounding box (rows × columns); calamine needs 32 bytes for each.
DEFAULT_MAX_CELLS = 50_000_000
#: Above 50 MB, a workbook compressed more than this is a zip bomb (real sheets: 5–30:1).
MAX_COMPRESSION_RATIO = 200
#: Columns of a table; Excel itself stops at 16,384.
MAX_COLUMNS = 1000
#: Excel's last row.
EXCEL_MAX_ROWS = 1_048_576
#: Characters in one cell: Excel's own limit. Longer cells come only from CSV or crafted files.
MAX_CELL_CHARS = 32_767
#: Bytes of one CSV line, and of the head of a CSV file searched for the header row.
MAX_LINE_BYTES = 1024 * 1024
MAX_HEAD_BYTES = MAX_LINE_BYTES
#: Entries of a workbook's zip archive (real workbooks: tens to a few hundred).
MAX_ZIP_ENTRIES = 10_000


def _env_limit(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


def max_uncompressed_bytes() -> int:
    """The uncompressed-size limit of a workbook, read from the environment at each call."""
    return _env_limit(MAX_UNCOMPRESSED_ENV, DEFAULT_MAX_UNCOMPRESSED)


def max_cells() -> int:
    """The bounding-box limit of a sheet (rows × columns), read from the environment."""
    return _env_limit(MAX_CELLS_ENV, DEFAULT_MAX_CELLS)


@dataclass(frozen=True)
class Refusal:
    """Why a file, or one sheet of it, is not handed to its parser.

    ``E004`` when it exceeds a safety limit (a zip bomb, too many columns, a sparse sheet),
    ``E001`` when it is unreadable (corrupt, encrypted, a DTD). Carried as a value from the
    guard to the problem it becomes, so that no caller has to parse the code out of a message.
    """

    code: Literal["E001", "E004"]
    message: Msg


def too_long_first_line() -> Msg:
    """E004 for text whose first line is longer than a CSV line may be (no header fits)."""
    return Msg(
        "line 1 is longer than the limit of {limit} bytes: not a CSV table",
        limit=format(MAX_LINE_BYTES, ","),
    )


def over_limit(message: Msg) -> Refusal:
    """An E004 refusal: the input exceeds a safety limit."""
    return Refusal("E004", message)


def unreadable(message: Msg) -> Refusal:
    """An E001 refusal: the input is not a readable workbook."""
    return Refusal("E001", message)


class Refused(Exception):
    """Raised deep inside a check to abandon the file (or sheet) with its :class:`Refusal`."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(str(refusal.message))
        self.refusal = refusal

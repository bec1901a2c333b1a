"""The cells of a sheet (or of one piece of it) as calamine reads them, through fastexcel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchmark.readers.limits import MAX_COLUMNS


class TooWide(Exception):
    """A sheet wider than :data:`MAX_COLUMNS` (the guard measured it already: a second line of
    defence)."""

    def __init__(self, width: int) -> None:
        super().__init__(width)
        self.width = width


@dataclass
class Loaded:
    """A sheet or piece as loaded: a record batch, and the Excel column (0-based) of each of
    its columns."""

    batch: Any
    columns: list[int]


def load(reader: Any, name: str, skip_rows: int | None) -> Loaded:
    """A sheet (or piece) as text.

    ``skip_rows=0`` keeps leading empty rows, so that row 0 is Excel row 1; ``None`` skips them.
    """
    loaded = reader.load_sheet(name, header_row=None, skip_rows=skip_rows, dtypes="string")
    if loaded.width > MAX_COLUMNS:
        raise TooWide(loaded.width)
    return Loaded(loaded.to_arrow(), [c.absolute_index for c in loaded.available_columns()])

"""What the checks of one table know of its rows (:class:`Rows`), filled in step by step by
:mod:`~benchmark.validation.steps`, and the shapes of a step and of a row's message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from benchmark.catalogue import Catalogue
from benchmark.i18n import Msg
from benchmark.levels import LevelTable
from benchmark.problems import Problem
from benchmark.readers import Table
from benchmark.validation.findings import Finding

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]

#: Outcomes of looking up a row's category (kept beside the level index).
CATEGORY_OK, CATEGORY_MISSING, CATEGORY_UNKNOWN = 0, 1, 2


@dataclass
class Rows:
    """What the checks know of one table's rows, filled in step by step."""

    table: Table
    catalogue: Catalogue
    levels: LevelTable
    current_year: int
    texts: dict[str, pd.Series] = field(default_factory=dict)
    numbers: dict[str, pd.Series] = field(default_factory=dict)
    #: Per row: index into ``catalogue.areas``, and the level a category alias in the area
    #: cell implies (转炉 → converter steelmaking), -1 for none.
    area: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    implied: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: Per row: index into the level table (-1: none yet).
    level: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    unit_text: pd.Series | None = None
    #: The unit typed after each value (``118 kgce/t``), None where none.
    value_units: pd.Series | None = None
    #: Per quantity column, the product each row's figure counts (codes into
    #: :data:`~benchmark.validation.amounts.PRODUCTS`).
    products: dict[str, np.ndarray[Any, Any]] = field(default_factory=dict)
    #: Problems of the table rather than of a row (a header unit not understood).
    table_problems: list[Problem] = field(default_factory=list)
    #: The value in the catalogue unit (NaN where it cannot be).
    value: FloatArray = field(default_factory=lambda: np.zeros(0))
    negative: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    @property
    def headers(self) -> dict[str, str]:
        return self.table.headers

    def area_id(self, pos: int) -> str:
        return self.levels.area_ids[int(self.area[pos])]

    def area_name(self, pos: int) -> str:
        """The Chinese name of a row's area: a message in Chinese gives it after the id."""
        return self.catalogue.areas[int(self.area[pos])].name_zh


Step = Callable[[Rows], list[Finding]]
Message = Callable[[int], Msg]

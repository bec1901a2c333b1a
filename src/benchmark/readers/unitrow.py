"""A row of units right under the header: the second row of a two-row header.

Bureau lists often put the units in a row of their own under the header instead of in its
brackets::

    企业名称 | 生产线 | 行业     | 单位产品综合能耗 | 产量 | 年份
    单位     |        |          | kgce/t           | 万吨 |
    甲厂     | 1#     | 水泥熟料 | 110              | 100  | 2025

Read as a plant line it is a heading to skip, and 产量 100 then counts tonnes: every saving
10,000 times too small without a word. So such a row is the header's units: each applies to
its column exactly as a unit in the header's brackets would, and the row is no plant line.

A row is a units row only when every cell holding something is a unit the tool recognises
(:func:`~benchmark.quantities.parse_quantity_unit`, :func:`~benchmark.units.parse_unit`),
a unit of some other column (万元, tce, %: :data:`_OTHER_UNITS`) or a label (单位, 计量单位,
unit), and at least one unit stands under the value, output or capacity column: a plant line
always has a name, and a lone ``单位`` is no statement of units.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from benchmark.headers import HeaderMatcher
from benchmark.quantities import UnknownQuantityUnitError, parse_quantity_unit
from benchmark.units import UnitError, conversion_factor, parse_unit

__all__ = ["UNIT_FIELDS", "UnitsRow", "contradicts", "find_units_row"]

#: Fields a unit applies to: the value (energy per unit of product) and the quantities.
UNIT_FIELDS = frozenset({"value", "output", "capacity"})
#: The quantity fields, whose units :func:`parse_quantity_unit` reads.
QUANTITY_FIELDS = frozenset({"output", "capacity"})
#: A label naming the row (matched on NFKC lower-case text without spaces).
_LABEL = re.compile(r"^(?:单位|计量单位|units?|unitofmeasure)[:：]?$")
#: Units of columns the tool does not read (energy totals, money, shares, counts): they may
#: stand in a units row beside the units it reads, and are not applied to anything.
_OTHER_UNITS = re.compile(
    r"^(?:%|‰|[百千万亿]?(?:元|tce|tce/a|吨标准?煤|吨标煤|kwh|千瓦时|度|台|套|个|家|人|"
    r"m3|m³|立方米|gj|mj|kw|mw|千瓦|兆瓦|小时|h|天|d)|年)$"
)


@dataclass(frozen=True)
class UnitsRow:
    """The units row of a sheet: its Excel row and each unit by Excel column (0-based)."""

    row: int
    units: dict[int, str]


def find_units_row(
    header_cells: Sequence[Any],
    absolute: Sequence[int],
    columns: Sequence[Any],
    row: int,
    matcher: HeaderMatcher,
) -> UnitsRow | None:
    """The units row, if the first row of ``columns`` (Excel row ``row``) is one.

    ``header_cells``, ``absolute`` and ``columns`` are aligned: each column's header text,
    its Excel column and its cells (the first cell is the row looked at).
    """
    units: dict[int, str] = {}
    applies = False
    for text, column, values in zip(header_cells, absolute, columns, strict=True):
        cell = _first_cell(values)
        if cell is None:
            continue
        if not isinstance(cell, str):
            return None  # a number: a plant line (or anything but units)
        field = matcher.match(text)[0] if text is not None and str(text).strip() else None
        if field in UNIT_FIELDS and is_unit(cell):
            units[column] = cell
            applies = True
        elif not (is_unit(cell) or _is_label(cell) or _is_other_unit(cell)):
            return None
    return UnitsRow(row, units) if applies else None


def is_unit(text: str) -> bool:
    """Whether the tool reads ``text`` as a unit of output or capacity, or of energy per
    unit of product."""
    try:
        parse_quantity_unit(text)
    except UnknownQuantityUnitError:
        try:
            parse_unit(text)
        except UnitError:
            return False
    return True


def contradicts(field: str, stated: str, below: str) -> bool:
    """Whether the unit under a header contradicts the one in its brackets: two spellings of
    one unit (kgce/t and 千克标准煤/吨, 万吨 and 10⁴t) agree; anything else does not."""
    if _key(stated) == _key(below):
        return False
    if field in QUANTITY_FIELDS:
        try:
            a, b = parse_quantity_unit(stated), parse_quantity_unit(below)
        except UnknownQuantityUnitError:
            return True
        return (a.multiplier, a.product) != (b.multiplier, b.product)
    try:
        return conversion_factor(below, stated) != 1.0
    except UnitError:
        return True


def _first_cell(values: Any) -> str | float | None:
    """The first cell of a column: stripped text, a number (any cell not text), or None if
    blank."""
    if not len(values):
        return None
    cell = values.iloc[0] if isinstance(values, pd.Series) else values[0]
    if cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell):
        return None
    if not isinstance(cell, str):
        return 0.0
    return cell.strip() or None


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def _is_label(text: str) -> bool:
    return bool(_LABEL.match(_key(text)))


def _is_other_unit(text: str) -> bool:
    return bool(_OTHER_UNITS.match(_key(text)))

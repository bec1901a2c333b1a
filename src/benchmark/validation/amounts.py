"""Output and capacity as bureau workbooks state them: a unit in the header (``产量（万吨）``),
or in a cell (``45.3万吨``), scaled to units of product exactly once.

A 万吨 read as tonnes makes every saving 10,000 times too small without a word; so a header
unit the tool does not understand is an error at the header and the column's figures are not
used, a cell unit that contradicts its header's is an error at the cell, and the product
(tonnes, weight cases, m²) must be the one the area's indicator is per.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from benchmark._codes import factorize
from benchmark.i18n import N_, Msg
from benchmark.problems import Problem, problem
from benchmark.quantities import (
    NOT_A_NUMBER,
    NOT_FINITE,
    ParsedCells,
    QuantityUnit,
    UnknownQuantityUnitError,
    parse_quantity_unit,
)
from benchmark.readers import Table
from benchmark.validation.cells import quote
from benchmark.validation.findings import Finding

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

#: Products as small codes (0: the unit names none): per row, a vectorised comparison with the
#: product the area's indicator is per.
PRODUCTS: tuple[str | None, ...] = (None, "t", "weight case", "m2")
#: The product an indicator is per, as quantity units name it (refining's t·EF counts tonnes).
DENOMINATOR_PRODUCTS = {"t": "t", "t·EF": "t", "weight case": "weight case", "m2": "m2"}
_PRODUCT_WORDS = {"t": N_("tonnes"), "weight case": N_("weight cases")}


@dataclass
class Amounts:
    """One quantity column scaled to units of product, per row: the figure, the product it
    counts (None where the unit names none), and what was wrong."""

    values: FloatArray
    products: np.ndarray[Any, np.dtype[np.int8]]  # codes into PRODUCTS
    findings: list[Finding] = field(default_factory=list)
    header_problems: list[Problem] = field(default_factory=list)


def header_unit(table: Table, name: str) -> tuple[QuantityUnit | None, Problem | None]:
    """The quantity unit a column's header states, or the problem (E106 at the header, or at
    the unit's cell when a units row under the header states it)."""
    text = table.header_units.get(name)
    if text is None:
        return None, None
    try:
        return parse_quantity_unit(text), None
    except UnknownQuantityUnitError as exc:
        header = table.headers.get(name, name)
        return None, problem(
            "E106",
            table.file,
            Msg(
                "{header}: {reason}; the column's figures are not used",
                header=header,
                reason=exc.text,
            ),
            sheet=table.sheet,
            row=table.unit_rows.get(name, table.header_row),
            column=table.letters.get(name),
            header=header,
        )


def scale(table: Table, name: str, cells: ParsedCells) -> Amounts:
    """The column's figures in units of product, its header unit and cell units applied."""
    n = len(cells.values)
    if name in table.unit_conflicts:  # E107 at the units row said so once
        return Amounts(np.full(n, np.nan), np.zeros(n, dtype=np.int8))
    unit, refused = header_unit(table, name)
    if refused is not None:
        return Amounts(np.full(n, np.nan), np.zeros(n, dtype=np.int8), header_problems=[refused])
    multiplier = np.full(n, unit.multiplier if unit else 1.0)
    products = np.full(n, PRODUCTS.index(unit.product) if unit else 0, dtype=np.int8)
    codes, uniques = factorize(cells.units)
    unknown = np.zeros(n, dtype=bool)
    contradicts = np.zeros(n, dtype=bool)
    reasons: dict[int, Msg] = {}
    for code, text in enumerate(uniques):
        rows = codes == code
        cell, reason = _cell_unit(str(text), unit)
        if cell is None:
            assert reason is not None
            (contradicts if _contradiction(reason) else unknown)[rows] = True
            reasons[code] = reason
            continue
        multiplier[rows], products[rows] = cell[0], PRODUCTS.index(cell[1])
    header = table.headers.get(name, name)
    raw = cells.units

    def message(p: int) -> Msg:
        return Msg(
            "{header} {text} {reason}",
            header=header,
            text=quote(raw.iloc[p]),
            reason=reasons[int(codes[p])],
        )

    findings = [
        Finding("E106", name, unknown, message),
        Finding("E107", name, contradicts, message),
    ]
    values = cells.values * multiplier
    values[unknown | contradicts] = np.nan
    return Amounts(values, products, findings)


_CONTRADICTS = N_("contradicts the header's unit {unit}")


def _contradiction(reason: Msg) -> bool:
    """Whether a cell unit's reason is a contradiction of its header (E107), not an unknown
    unit (E106)."""
    return reason.template == _CONTRADICTS


def _cell_unit(
    text: str, header: QuantityUnit | None
) -> tuple[tuple[float, str | None] | None, Msg | None]:
    """The (multiplier, product) a cell's unit gives, or None and why it cannot be used."""
    try:
        cell = parse_quantity_unit(text)
    except UnknownQuantityUnitError as exc:
        return None, Msg("is not a unit of output or capacity ({reason})", reason=exc.text)
    if header is None:
        return (cell.multiplier, cell.product), None
    contradiction = Msg(_CONTRADICTS, unit=header.text)
    if cell.product is None:  # a bare 万 in a column of 吨: 万 吨
        if header.multiplier == 1.0:
            return (cell.multiplier, header.product), None
        return None, contradiction
    if (cell.multiplier, cell.product) != (header.multiplier, header.product):
        return None, contradiction
    return (cell.multiplier, cell.product), None


def product_mismatch(
    products: Any, area: Any, area_units: list[str]
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows whose figure counts another product than their area's indicator is per."""
    from benchmark.units import denominator_symbol

    per_area = np.array(
        [
            PRODUCTS.index(DENOMINATOR_PRODUCTS.get(denominator_symbol(u)))
            if DENOMINATOR_PRODUCTS.get(denominator_symbol(u)) in PRODUCTS
            else 0
            for u in area_units
        ]
        + [0],
        dtype=np.int8,
    )
    wanted = per_area[np.where(area < 0, len(area_units), area)]
    mismatch: np.ndarray[Any, np.dtype[np.bool_]] = (
        (products > 0) & (wanted > 0) & (products != wanted)
    )
    return mismatch


def _product_word(product: str) -> str | Msg:
    if product in _PRODUCT_WORDS:
        return Msg(_PRODUCT_WORDS[product])
    return "m²" if product == "m2" else product


def product_message(header: str, product: int, area: tuple[str, str], area_unit: str) -> Msg:
    """E107 of a quantity counting another product than the area's indicator; ``area`` is
    its id and its Chinese name."""
    from benchmark.units import denominator_symbol

    counted = PRODUCTS[product] or ""
    wanted = DENOMINATOR_PRODUCTS.get(denominator_symbol(area_unit), "")
    return Msg(
        "{header} counts {counted}, but {area} is measured per {wanted} ({unit}): the figure "
        "is not used",
        header=header,
        counted=_product_word(counted),
        area=area[0],
        area_name=area[1],
        wanted=_product_word(wanted),
        unit=area_unit,
    )


def reason_of(reasons: pd.Series, pos: int) -> Msg | None:
    """Why a cell is not a number (``decimal comma? …``), where saying so helps: kept to be
    said in the reader's language."""
    reason = reasons.iloc[pos]
    if reason is None or reason is pd.NA or reason in (NOT_A_NUMBER, NOT_FINITE):
        return None
    return Msg(str(reason))

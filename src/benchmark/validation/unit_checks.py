"""The units step: E106 for a unit that is not one of energy per unit of product, or not the
area's; E107 for a unit typed in a value cell, a quantity's product or its header that
contradicts what the row states; values converted once into the catalogue unit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from benchmark._codes import combine, factorize
from benchmark.i18n import Msg
from benchmark.units import (
    IncompatibleUnitError,
    UnitError,
    UnknownUnitError,
    conversion_factor,
    parse_unit,
)
from benchmark.validation.amounts import product_message, product_mismatch
from benchmark.validation.cells import quote
from benchmark.validation.findings import Finding
from benchmark.validation.rows import BoolArray, Message, Rows


def units(rows: Rows) -> list[Finding]:
    """E106: a unit not recognised; E107: a unit of another kind than the indicator's, a
    value's unit that contradicts the unit column or header, or an output or capacity that
    counts another product than the area's indicator is per.

    The value's unit is the one typed in its cell (``118 kgce/t``), else the unit column's,
    else the one stated in the value header, else the catalogue's."""
    column = rows.texts["unit"]
    in_doubt = "value" in rows.table.unit_conflicts
    default = None if in_doubt else rows.table.header_units.get("value")
    stated = column.fillna(default) if default else column
    typed = (
        rows.value_units
        if rows.value_units is not None
        else pd.Series(pd.NA, index=rows.frame.index, dtype="string[pyarrow]")
    )
    rows.unit_text = typed.fillna(stated)
    field_name = "unit" if "unit" in rows.frame.columns else "value"
    contradicts = _typed_contradicts(rows, typed, stated)
    found = _conversions(rows, field_name, ~contradicts.mask)
    found.append(contradicts)
    rows.value[contradicts.mask] = np.nan
    if in_doubt:
        found.append(_doubtful(rows))
    for name, products in rows.products.items():
        mismatch = product_mismatch(products, rows.area, rows.levels.area_units)
        rows.numbers[name] = rows.numbers[name].where(~mismatch)
        found.append(
            Finding(
                "E107", name, mismatch, _wrong_product(rows, rows.headers.get(name, name), products)
            )
        )
    return found


def _doubtful(rows: Rows) -> Finding:
    """E107 at each value whose unit only the header states, when the units row under the
    header contradicts its brackets: which of the two is meant cannot be told, and grading
    by either could be wrong by a factor of a thousand."""
    assert rows.unit_text is not None
    mask = rows.unit_text.isna().to_numpy(dtype=bool)
    rows.value[mask] = np.nan
    header = rows.headers["value"]
    return Finding(
        "E107",
        "value",
        mask,
        lambda p: Msg(
            "{header} {text}: the header and the units row under it state different units; "
            "the value is not used",
            header=header,
            text=quote(rows.frame["value"].iloc[p]),
        ),
    )


def _wrong_product(rows: Rows, header: str, products: np.ndarray[Any, Any]) -> Message:
    return lambda p: product_message(
        header,
        int(products[p]),
        (rows.area_id(p), rows.area_name(p)),
        rows.levels.area_units[int(rows.area[p])],
    )


def _conversions(rows: Rows, field_name: str, judged: BoolArray) -> list[Finding]:
    """The factor from each row's unit to its area's, once per distinct (unit, area)."""
    assert rows.unit_text is not None
    codes, uniques = factorize(rows.unit_text)
    combo, first = combine(codes, rows.area)
    factors: list[float] = []
    errors: list[Msg | None] = []
    kinds: list[str] = []
    for row in first:
        u, a = int(codes[row]), int(rows.area[row])
        factor, error, kind = 1.0, None, ""
        if u >= 0 and a >= 0:
            try:
                factor = conversion_factor(str(uniques[u]), rows.levels.area_units[a])
            except UnknownUnitError as exc:
                factor, error, kind = np.nan, exc.text, "E106"
            except IncompatibleUnitError as exc:
                factor, error, kind = np.nan, exc.text, "E107"
        factors.append(factor)
        errors.append(error)
        kinds.append(kind)
    header = rows.headers[field_name]
    error_of = np.array(errors, dtype=object)[combo]
    kind_of = np.array(kinds, dtype=object)[combo]
    rows.value = rows.numbers["value"].to_numpy() * np.array(factors)[combo]
    # Text after a value that is no unit at all (9x8, 12abc) makes the cell not a number.
    typed = (
        rows.value_units.notna().to_numpy()
        if rows.value_units is not None
        else np.zeros(len(kind_of), dtype=bool)
    )
    garbled = (kind_of == "E106") & typed & judged
    raw, units = rows.frame["value"], rows.value_units
    return [
        Finding(
            "E106",
            field_name,
            (kind_of == "E106") & ~typed & judged,
            lambda pos: Msg("{header} {reason}", header=header, reason=error_of[pos]),
        ),
        Finding(
            "E107",
            field_name,
            (kind_of == "E107") & judged,
            lambda pos: Msg("{header} {reason}", header=header, reason=error_of[pos]),
        ),
        Finding(
            "E104",
            "value",
            garbled,
            lambda pos: Msg(
                "{header} {text} is not a number (what follows the figure, {unit}, is no unit "
                "of energy per unit of product)",
                header=rows.headers["value"],
                text=quote(raw.iloc[pos]),
                unit=quote(units.iloc[pos] if units is not None else ""),
            ),
        ),
    ]


def _typed_contradicts(rows: Rows, typed: pd.Series, stated: pd.Series) -> Finding:
    """E107 where the unit typed in a value cell is not the one its unit column or header
    states (spellings of one unit agree: kgce/t and 千克标准煤/吨)."""
    typed_codes, typed_units = factorize(typed)
    stated_codes, stated_units = factorize(stated)
    pair, first = combine(typed_codes, stated_codes)  # each distinct pair looked at once
    wrong = np.zeros(len(first), dtype=bool)
    for k, row in enumerate(first):
        if typed_codes[row] < 0 or stated_codes[row] < 0:
            continue
        cell, other = str(typed_units[typed_codes[row]]), str(stated_units[stated_codes[row]])
        try:
            parse_unit(cell)  # text that is no unit at all is E104 (see _conversions)
        except UnitError:
            continue
        try:
            wrong[k] = conversion_factor(cell, other) != 1.0
        except UnitError:
            wrong[k] = True
    mask = wrong[pair]
    header = rows.headers["value"]
    return Finding(
        "E107",
        "value",
        mask,
        lambda p: Msg(
            "{header} {text}: the unit typed in the cell contradicts the stated unit {unit}",
            header=header,
            text=quote(rows.frame["value"].iloc[p]),
            unit=stated.iloc[p],
        ),
    )

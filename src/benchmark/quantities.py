"""Numbers as bureau workbooks write them: units and multipliers in headers and cells.

Lists laid out for people state a column's unit in its header (``产量（万吨）``) and sometimes a
cell's unit in the cell (``45.3万吨``, ``118.0 kgce/t``). A 万吨 read as tonnes makes every
saving 10,000 times too small without a word, so this module makes each unit explicit and
refuses what it does not understand; it never scales a figure itself. The caller compares a
cell's unit with its header's (E107 on a contradiction) and applies the multiplier once.

Three building blocks:

- :func:`parse_quantity_unit` — a unit of output or capacity (吨, 万吨, 10⁴t, 万重量箱, 万m²,
  each optionally per year) as a multiplier and a product; anything else is an error.
- :func:`split_header` — a header's name, the unit in its brackets and a year it states.
- :func:`parse_number_cells` / :func:`parse_year_cells` — a column of text cells as floats,
  with the unit typed after each number and a reason for each bad cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from benchmark.headers import HeaderParts, split_header
from benchmark.i18n import N_, Msg

__all__ = [
    "HeaderParts",
    "ParsedCells",
    "QuantityUnit",
    "UnknownQuantityUnitError",
    "parse_number_cells",
    "parse_quantity_unit",
    "parse_year_cells",
    "split_header",
]

# ---------------------------------------------------------------------------------------------
# Quantity units
# ---------------------------------------------------------------------------------------------


class UnknownQuantityUnitError(ValueError):
    """A quantity unit the tool does not understand: an error at the header, never tonnes.

    ``text`` is the reason kept to be said in the reader's language; ``str()`` its English.
    """

    def __init__(self, text: Msg) -> None:
        super().__init__(str(text))
        self.text = text


@dataclass(frozen=True)
class QuantityUnit:
    """A unit of output or capacity: ``万吨/年`` is 10⁴ tonnes a year.

    ``product`` is the unit of product the catalogue's indicators are per (``"t"``,
    ``"weight case"``, ``"m2"``), or None for a bare multiplier such as ``万``; a figure in
    this unit is ``multiplier`` of that product. ``per_year`` records a per-year suffix
    (capacity is per year whether or not the header says so).
    """

    text: str
    multiplier: float
    product: str | None
    per_year: bool = False


#: Multiplier words before a product (``万吨``), or alone (``万``).
_PREFIXES: dict[str, float] = {
    "": 1.0,
    "百": 1e2,
    "千": 1e3,
    "万": 1e4,
    "十万": 1e5,
    "百万": 1e6,
    "千万": 1e7,
    "亿": 1e8,
}
#: Products, by normalised spelling. "ton(s)" is accepted as in units.py: in Chinese lists it
#: always means the metric tonne. Mt is refused: it means megatonne and metric ton alike.
_PRODUCTS: dict[str, str] = {
    **dict.fromkeys(("t", "吨", "tonne", "tonnes", "ton", "tons"), "t"),
    **dict.fromkeys(
        ("重量箱", "weightcase", "weightcases", "weight-case", "weight-cases"), "weight case"
    ),
    **dict.fromkeys(("m2", "m^2", "平方米", "平米", "sqm"), "m2"),
}
_PER_YEAR = re.compile(r"(?:/(?:年|a|yr|y|year|annum)|每年)$")
#: ``10⁴t``, ``×10^4 t``: a power of ten before the product. Superscripts are rewritten before
#: NFKC, which would turn ``10⁴`` into ``104``.
_POWER = re.compile(r"^[×x*]?10\^(\d{1,2})")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_POWER = re.compile(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})")
_ENERGY_HINT = re.compile(r"标准?[煤油]|ce\b|oe\b|kwh|焦|瓦")


def _normalise_unit(text: str) -> str:
    """NFKC, casefold, no spaces; ``10⁴`` kept as ``10^4`` (NFKC alone would read 104)."""
    text = _SUPERSCRIPT_POWER.sub(lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS), text)
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", "", text)


def parse_quantity_unit(text: str) -> QuantityUnit:
    """Parse a unit of output or capacity as people write it in a header or a cell.

    Accepted (NFKC; case and spaces ignored): a product — 吨/t/tonne(s)/ton(s),
    重量箱/weight case(s), 平方米/平米/m²/m2/m^2/sqm — after an optional multiplier: 百, 千, 万,
    十万, 百万, 千万, 亿, or a power of ten ``10⁴``/``10^4``/``×10⁴`` (1–99); ``kt`` (kilotonne)
    is the one SI prefix, since ``km²`` or ``Mt`` would mean something else. A multiplier may
    stand alone (``万``: product None). Any of them may end with a per-year suffix:
    ``/年``, ``/a``, ``/yr``, ``/y``, ``/year``, ``/annum``, ``每年``.

    Raises :class:`UnknownQuantityUnitError` for anything else — ``万台``, ``kg``, ``吨标准煤``
    (an energy) — so that a unit not understood stops at the header instead of being taken as
    tonnes.
    """
    key = _normalise_unit(str(text))
    per_year = bool(_PER_YEAR.search(key))
    base = _PER_YEAR.sub("", key) if per_year else key
    parsed = _parse_base(base)
    if parsed is None:
        raise UnknownQuantityUnitError(_unknown_message(str(text), key))
    multiplier, product = parsed
    return QuantityUnit(str(text), multiplier, product, per_year)


def _parse_base(key: str) -> tuple[float, str | None] | None:
    """Multiplier and product of a normalised unit without its per-year suffix, or None."""
    if key == "kt":
        return 1e3, "t"
    power = _POWER.match(key)
    if power:
        multiplier, rest = 10.0 ** int(power.group(1)), key[power.end() :]
        if not rest:
            return multiplier, None
        product = _PRODUCTS.get(rest)
        return None if product is None else (multiplier, product)
    for prefix in sorted(_PREFIXES, key=len, reverse=True):
        if not key.startswith(prefix):
            continue
        rest = key[len(prefix) :]
        if prefix and not rest:
            return _PREFIXES[prefix], None
        if rest in _PRODUCTS:
            return _PREFIXES[prefix], _PRODUCTS[rest]
    return None


def _unknown_message(text: str, key: str) -> Msg:
    if _ENERGY_HINT.search(key):
        return Msg(
            "{unit} is an amount of energy, not of product: output and capacity are in "
            "product units such as 吨, 万吨, 重量箱 or 平方米",
            unit=repr(text),
        )
    return Msg(
        "{unit} is not a known unit of output or capacity: expected 吨/t, 千吨/kt, "
        "万吨/10⁴t, 亿吨, 重量箱, 万重量箱, 平方米/m², 万平方米 (optionally per year: /年, /a)",
        unit=repr(text),
    )


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ParsedCells:
    """A column of cells read as numbers, with what the caller needs to report each cell.

    ``values`` (float64) is NaN where the cell is blank or bad. ``bad`` marks a non-blank cell
    that is not a finite number; ``blank`` an empty or whitespace cell, or a lone dash.
    ``units`` holds the text typed after a number (``kgce/t`` of ``118.0 kgce/t``), None where
    there is none; ``reasons`` a short English reason for each bad cell, None elsewhere.
    """

    values: np.ndarray[Any, np.dtype[np.float64]]
    bad: np.ndarray[Any, np.dtype[np.bool_]]
    blank: np.ndarray[Any, np.dtype[np.bool_]]
    units: pd.Series
    reasons: pd.Series


# Why a cell is not a number: English text kept in Arrow arrays, one per distinct bad cell,
# and marked here so that a message quoting one says it in the reader's language
# (``Msg(reason)``).
NOT_A_NUMBER = N_("not a number")
NOT_FINITE = N_("not a finite number")
NOT_A_YEAR = N_("not a year")
NOT_A_WHOLE_YEAR = N_("not a whole year")
EXCEL_ERROR = N_("an Excel error value")
NO_FIGURE = N_("no figure: leave the cell blank")
DECIMAL_COMMA = N_("decimal comma? write decimals with a point; a comma only separates thousands")
BAD_GROUPING = N_("a thousands separator must stand between groups of three digits")
SPACES_INSIDE = N_("spaces inside a number, or two figures in one cell")
ESTIMATE = N_("an estimate or bound, not a figure")
OUT_OF_RANGE = N_("out of range")


#: A plain number Arrow casts as it is (RE2: ASCII digits only).
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_D = "[0-9０-９]"
#: Thousands groups: one separator kind a number, only between groups of exactly three digits.
_GROUPED = "|".join(
    f"{_D}{{1,3}}(?:{sep}{_D}{{3}})+" for sep in ("[,，]", "['’]", "[\\x{a0}\\x{2009}\\x{202f}]")
)
_SIGN = "[+\\-＋－\\x{2212}]?"
_NUMBER = f"{_SIGN}(?:(?:{_GROUPED}|{_D}+)(?:[.．]{_D}*)?|[.．]{_D}+)(?:[eEｅＥ][+\\-＋－]?{_D}+)?"
#: A unit after the number starts with a letter (kgce, 千克, 吨, 万), %, ‰, ° or a slash: never
#: with a digit, a separator, a sign, or an invisible or control character (``12\u202e34`` is
#: no number with a unit, it is not a number).
_UNIT_START = "[\\p{L}%‰°/]"
_LENIENT = (
    f"^(?P<number>{_NUMBER})[\\s\\x{{a0}}\\x{{2009}}\\x{{202f}}\\x{{3000}}]*"
    f"(?P<unit>{_UNIT_START}.*)?$"
)
#: A lone dash (1-3 of them) is "no figure", as Chinese statistical tables write it.
_DASH = "^[-‐‑‒–—―−－─━﹣]{1,3}$"
_STRING = pa.string()


def parse_number_cells(column: pd.Series) -> ParsedCells:
    """Parse a column of numbers typed by people, keeping the unit typed after each.

    Accepted: plain numbers (``98.5``, ``+5``, ``-30``, ``1e3``, ``.5``), surrounding spaces,
    full-width digits and signs (``１２３４``), and thousands separators — ``,`` ``，`` ``'``
    and (thin, no-break) spaces — but **only between groups of exactly three digits** in the
    integer part, one kind a number: ``1,234,567.8`` is a number, while ``98,5``, ``98，5``,
    ``1,23`` and ``12,3456`` are bad. Such a comma is a decimal comma or a slip, and no reading
    of it is safe — 98.5 and 985 are both plausible — so the cell is reported (reason
    ``decimal comma?``) rather than guessed.

    Text after the number is returned as its unit (``45.3万吨`` → 45.3 and ``万吨``) and never
    applied here: the caller checks it against the header and scales by it. A unit must start
    with something that cannot continue a number, so ``98 ,5`` is bad, not 98 in unit ``,5``.

    A lone dash (``-``, ``—``, ``－－``…) is **blank**, not bad: Chinese statistical tables write
    "—" for "no figure", and a blank required cell is still an error for the caller (E101,
    see ``blank``). ``NaN``, ``inf``, ``1e999``, ``NULL``, ``N/A`` and any other text are bad.

    A numeric column is passed through as float64 (non-finite values bad). Plain numbers are
    cast by Arrow in one pass, correctly rounded — the same float as Python's ``float(text)``;
    the rest go through one vectorised regex pass, and reasons are worded once per distinct
    bad text.
    """
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        return _numeric(column)
    text = _arrow_strings(column)
    trimmed = pc.utf8_trim_whitespace(text)
    present = _mask(pc.not_equal(trimmed, ""))
    plain = _mask(pc.match_substring_regex(trimmed, _PLAIN_NUMBER))
    values = _to_float(pc.if_else(pa.array(plain), trimmed, pa.scalar(None, _STRING)))
    todo = present & ~plain
    n = len(text)
    units = pa.nulls(n, _STRING)
    dash = np.zeros(n, dtype=bool)
    if todo.any():
        rest = trimmed.filter(pa.array(todo))
        rest_values, rest_units, rest_dash = _lenient(rest)
        values[todo] = rest_values
        units = pc.replace_with_mask(units, pa.array(todo), rest_units)
        dash[todo] = rest_dash
    bad = present & ~dash & ~np.isfinite(values)
    values[~np.isfinite(values)] = np.nan
    return ParsedCells(
        values,
        bad,
        ~present | dash,
        _series(units, column.index),
        _reasons(trimmed, bad, column.index),
    )


def parse_year_cells(column: pd.Series) -> ParsedCells:
    """Parse a column of years: ``2025``, ``2025.0``, ``2025年``, ``２０２５年度``.

    A year must be a whole number and may carry no unit but 年/年度; anything else is bad with
    its reason. The range (2000 to this year) stays the caller's check.
    """
    cells = parse_number_cells(column)
    unit = pc.utf8_trim_whitespace(_arrow_strings(cells.units))
    is_year_word = _mask(pc.match_substring_regex(unit, "^年度?$"))
    other_unit = _mask(pc.is_valid(unit)) & ~is_year_word
    with np.errstate(invalid="ignore"):
        fraction = np.isfinite(cells.values) & (cells.values % 1 != 0)
    bad = cells.bad | other_unit | fraction
    values = np.where(bad, np.nan, cells.values)
    reasons = pa.array(cells.reasons.array)
    for mask, reason in ((other_unit & ~cells.bad, NOT_A_YEAR), (fraction, NOT_A_WHOLE_YEAR)):
        reasons = pc.if_else(pa.array(mask), pa.scalar(reason, _STRING), reasons)
    return ParsedCells(
        values, bad, cells.blank, _nulls(column.index), _series(reasons, column.index)
    )


def _numeric(column: pd.Series) -> ParsedCells:
    """A numeric column as it is: float64, non-finite values bad."""
    values = column.to_numpy(dtype="float64", na_value=np.nan).copy()
    missing = column.isna().to_numpy(dtype=bool)
    bad = ~missing & ~np.isfinite(values)
    values[bad] = np.nan
    reasons = pc.if_else(pa.array(bad), pa.scalar(NOT_FINITE, _STRING), pa.scalar(None, _STRING))
    return ParsedCells(values, bad, missing, _nulls(column.index), _series(reasons, column.index))


def _lenient(rest: Any) -> tuple[np.ndarray[Any, Any], Any, np.ndarray[Any, Any]]:
    """Values, unit texts and dash mask of the cells the plain cast left over."""
    found = pc.extract_regex(rest, _LENIENT)
    number = pc.struct_field(found, "number")
    number = pc.utf8_normalize(number, form="NFKC")  # full-width digits, signs, separators
    number = pc.replace_substring(number, "\u2212", "-")
    number = pc.replace_substring_regex(number, "[,' ’]", "")
    unit = pc.utf8_trim_whitespace(pc.struct_field(found, "unit"))
    unit = pc.if_else(pc.equal(unit, ""), pa.scalar(None, _STRING), unit).cast(_STRING)
    dash = _mask(pc.match_substring_regex(rest, _DASH))
    return _to_float(number), unit, dash


def _to_float(text: Any) -> np.ndarray[Any, Any]:
    """Arrow's cast of number text to float64 (correctly rounded; nulls as NaN), writable."""
    cast = pc.cast(text, pa.float64())
    return np.asarray(cast.to_numpy(zero_copy_only=False), dtype="float64").copy()


_NO_FIGURE = frozenset({"null", "none", "n/a", "na", "nil", "无", "空", "/", "#n/a"})
_NOT_FINITE = re.compile(r"^[+-]?(nan|inf|infinity)$")
#: ``98,5`` or ``1.234,5``: a comma before the decimals (after NFKC, so ``，`` too).
_DECIMAL_COMMA = re.compile(r"[+\-]?(\d+|\d{1,3}(\.\d{3})+),\d+")
_BOUND = re.compile(r"^(约|大约|近|≈|~|～|<|>|≤|≥|<=|>=|不足|超过)")


def _reasons(trimmed: Any, bad: np.ndarray[Any, Any], index: pd.Index) -> pd.Series:
    """A short reason for each bad cell, worded once per distinct text."""
    reasons = pa.nulls(len(bad), _STRING)
    if bad.any():
        encoded = pc.dictionary_encode(trimmed.filter(pa.array(bad)))
        worded = pa.array([_reason(str(u)) for u in encoded.dictionary.to_pylist()], _STRING)
        reasons = pc.replace_with_mask(reasons, pa.array(bad), pc.take(worded, encoded.indices))
    return _series(reasons, index)


def _reason(text: str) -> str:
    """Why one cell is not a number, where a hint helps the user fix it."""
    key = unicodedata.normalize("NFKC", text).strip().casefold()
    if _NOT_FINITE.match(key):
        return NOT_FINITE
    if key.startswith("#"):
        return EXCEL_ERROR
    if key in _NO_FIGURE:
        return NO_FIGURE
    if _DECIMAL_COMMA.fullmatch(key):
        return DECIMAL_COMMA
    if re.fullmatch(r"[+\-]?[\d,'’.\s]*\d", key) and re.search(r"\d[,'’]\d", key):
        return BAD_GROUPING
    if re.fullmatch(r"[+\-]?[\d.]+(\s+[\d.]+)+", key):
        return SPACES_INSIDE
    if _BOUND.match(key):
        return ESTIMATE
    if re.fullmatch(r"[+\-]?\d*\.?\d+(e[+\-]?\d+)?", key.replace(",", "")):
        return OUT_OF_RANGE
    return NOT_A_NUMBER


def _mask(array: Any) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """An Arrow boolean array as a numpy mask, null as False."""
    filled = pc.fill_null(array, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


def _arrow_strings(column: pd.Series) -> Any:
    """The column as one Arrow string array (no copy when it already is one)."""
    series = column if column.dtype == "string[pyarrow]" else column.astype("string[pyarrow]")
    arr = pa.array(series.array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _series(array: Any, index: pd.Index) -> pd.Series:
    """An Arrow string array as a pandas string Series on ``index``."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return pd.Series(pd.arrays.ArrowStringArray(array.cast(_STRING)), index=index)


def _nulls(index: pd.Index) -> pd.Series:
    """An all-null string Series on ``index``."""
    return _series(pa.nulls(len(index), _STRING), index)

"""Units of the energy-efficiency indicators: parsing the spellings people type, and conversion.

Only physical conversions are made: between multiples of one energy carrier (kgce↔tce,
kWh↔MWh) and between coal and oil equivalent (1 kgoe = 1.4286 kgce, GB/T 2589-2020).
Electricity is a quantity of its own here: a kWh/t figure given for a kgce/t area is an error,
never a silent conversion, because the catalogue's electricity levels are AC power at the busbar,
not primary energy.

A hand-written table rather than pint: the work is recognising Chinese and English spellings
(千克标准煤/吨, kg标准煤/t, …), which pint does not know, and three factors; pint would add
start-up time for no gain in correctness.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from benchmark.i18n import N_, Msg

#: Equivalence factors, GB/T 2589-2020 (综合能耗计算通则).
KGCE_PER_KGOE = 1.4286
KGCE_PER_KWH = 0.1229  # electricity at its equivalent (当量) value
MJ_PER_KGCE = 29.307

#: The factors, as stated in every grading output's metadata.
FACTORS: dict[str, float] = {
    "kgce_per_kgoe": KGCE_PER_KGOE,
    "kgce_per_kwh": KGCE_PER_KWH,
    "mj_per_kgce": MJ_PER_KGCE,
}


@dataclass(frozen=True)
class Numerator:
    """An amount of energy: its dimension and its size in the dimension's base unit."""

    symbol: str
    dimension: str  # "energy" (coal/oil equivalent, heat) or "electricity"
    to_base: float  # base: kgce for energy, kWh for electricity


NUMERATORS: dict[str, Numerator] = {
    "kgce": Numerator("kgce", "energy", 1.0),
    "tce": Numerator("tce", "energy", 1000.0),
    "kgoe": Numerator("kgoe", "energy", KGCE_PER_KGOE),
    "toe": Numerator("toe", "energy", KGCE_PER_KGOE * 1000.0),
    "MJ": Numerator("MJ", "energy", 1.0 / MJ_PER_KGCE),
    "GJ": Numerator("GJ", "energy", 1000.0 / MJ_PER_KGCE),
    "kWh": Numerator("kWh", "electricity", 1.0),
    "MWh": Numerator("MWh", "electricity", 1000.0),
}

_NUMERATOR_SPELLINGS: dict[str, str] = {
    **{
        s: "kgce"
        for s in (
            "kgce",
            "kgec",
            "kg标准煤",
            "kg标煤",
            "千克标准煤",
            "千克标煤",
            "公斤标准煤",
            "公斤标煤",
            "kgce.",
            "kg ce",
        )
    },
    **{s: "tce" for s in ("tce", "t标准煤", "t标煤", "吨标准煤", "吨标煤")},
    **{
        s: "kgoe"
        for s in ("kgoe", "kg标准油", "kg标油", "千克标准油", "千克标油", "公斤标准油", "公斤标油")
    },
    **{s: "toe" for s in ("toe", "t标准油", "吨标准油", "吨标油")},
    **{s: "MJ" for s in ("mj", "兆焦", "兆焦耳")},
    **{s: "GJ" for s in ("gj", "吉焦", "吉焦耳")},
    **{s: "kWh" for s in ("kwh", "kw·h", "kw.h", "kw-h", "千瓦时", "千瓦·时", "度")},
    **{s: "MWh" for s in ("mwh", "mw·h", "兆瓦时")},
}

#: Denominators: the unit of product. Catalogue spelling → accepted spellings.
_DENOMINATOR_SPELLINGS: dict[str, str] = {
    **{s: "t" for s in ("t", "吨", "tonne", "ton", "吨产品", "t产品")},
    **{
        s: "t·EF"
        for s in (
            "(t·ef)",
            "t·ef",
            "(t.ef)",
            "t.ef",
            "t*ef",
            "(t*ef)",
            "tef",
            "(吨·能量因数)",
            "吨·能量因数",
            "吨能量因数",
            "(t·能量因数)",
        )
    },
    **{s: "weight case" for s in ("weightcase", "重量箱", "wc", "weight-case")},
    **{s: "m2" for s in ("m2", "平方米", "m^2", "sqm")},
}

#: The units a catalogue may use for an area, in their canonical spelling.
CATALOGUE_UNITS: frozenset[str] = frozenset(
    {"kgoe/(t·EF)", "kgce/t", "kgoe/t", "kgce/weight case", "kgce/m2", "kWh/t"}
)


@dataclass(frozen=True)
class Unit:
    """A parsed indicator unit: energy (or electricity) per unit of product."""

    numerator: Numerator
    denominator: str

    @property
    def symbol(self) -> str:
        den = "(t·EF)" if self.denominator == "t·EF" else self.denominator
        return f"{self.numerator.symbol}/{den}"


class UnitError(ValueError):
    """A unit that is not recognised, or not convertible to the one asked for.

    ``str()`` is the English reason; ``text`` the same kept to be said in the reader's
    language (it becomes part of a problem's message).
    """

    def __init__(self, text: Msg) -> None:
        super().__init__(str(text))
        self.text = text


class UnknownUnitError(UnitError):
    """A unit spelling that is not recognised."""


class IncompatibleUnitError(UnitError):
    """A unit that measures something else than the indicator."""


#: What a numerator measures and what a denominator counts, in words for a message.
_WORDS = {
    "energy": N_("energy"),
    "electricity": N_("electricity"),
    "weight case": N_("weight case"),
}


def _word(name: str) -> str | Msg:
    word = _WORDS.get(name)
    return name if word is None else Msg(word)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    text = text.replace("／", "/").replace("每", "/")
    return re.sub(r"\s+", "", text)


_NUMERATOR_KEYS = {_normalise(k): v for k, v in _NUMERATOR_SPELLINGS.items()}
_DENOMINATOR_KEYS = {_normalise(k): v for k, v in _DENOMINATOR_SPELLINGS.items()}


def parse_unit(text: str) -> Unit:
    """Parse a unit as people write it (``千克标准煤/吨``, ``kgce/t``, ``kWh/t``…)."""
    key = _normalise(text)
    if "/" not in key:
        raise UnknownUnitError(
            Msg(
                "{unit} is not a known unit: expected energy per unit of product, e.g. kgce/t "
                "or 千克标准煤/吨",
                unit=repr(text),
            )
        )
    num_text, den_text = key.split("/", 1)
    numerator = _NUMERATOR_KEYS.get(num_text)
    denominator = _DENOMINATOR_KEYS.get(den_text)
    if numerator is None or denominator is None:
        raise UnknownUnitError(Msg("{unit} is not a known unit", unit=repr(text)))
    return Unit(NUMERATORS[numerator], denominator)


def conversion_factor(source: str, target: str) -> float:
    """The factor that turns a figure in ``source`` into one in ``target``.

    Raises :class:`UnitError` when the units measure different things.
    """
    src, dst = parse_unit(source), parse_unit(target)
    if src.denominator != dst.denominator:
        raise IncompatibleUnitError(
            Msg(
                "{unit} is per {product}, the indicator ({indicator}) is per {wanted}",
                unit=repr(source),
                product=_word(src.denominator),
                indicator=target,
                wanted=_word(dst.denominator),
            )
        )
    if src.numerator.dimension != dst.numerator.dimension:
        raise IncompatibleUnitError(
            Msg(
                "{unit} measures {measure}, the indicator ({indicator}) measures {wanted}",
                unit=repr(source),
                measure=_word(src.numerator.dimension),
                indicator=target,
                wanted=_word(dst.numerator.dimension),
            )
        )
    return src.numerator.to_base / dst.numerator.to_base


def kgce_per_unit(catalogue_unit: str) -> float:
    """Coal equivalent of one unit of an indicator's numerator (for savings in tce)."""
    numerator = parse_unit(catalogue_unit).numerator
    if numerator.dimension == "electricity":
        return numerator.to_base * KGCE_PER_KWH
    return numerator.to_base


def numerator_symbol(catalogue_unit: str) -> str:
    """The numerator of a catalogue unit (``kgce`` of ``kgce/t``): the unit of a saving."""
    return parse_unit(catalogue_unit).numerator.symbol


def denominator_symbol(catalogue_unit: str) -> str:
    """The unit of product of a catalogue unit (``t``, ``weight case``, ``m2``)."""
    return parse_unit(catalogue_unit).denominator


#: How electricity is converted to coal equivalent (its words in the reader's language through
#: gettext; the machine formats carry this English).
ELECTRICITY_BASIS = N_("equivalent value (当量值)")


def factors_metadata() -> dict[str, Any]:
    """The conversion factors behind the tce figures, stated in every output."""
    return {**FACTORS, "source": "GB/T 2589-2020", "electricity": ELECTRICITY_BASIS}

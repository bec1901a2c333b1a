"""Units of the indicators: the spellings people type, and only physical conversions."""

from __future__ import annotations

import pytest

from benchmark.units import (
    CATALOGUE_UNITS,
    IncompatibleUnitError,
    UnknownUnitError,
    conversion_factor,
    denominator_symbol,
    kgce_per_unit,
    numerator_symbol,
    parse_unit,
)


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("kgce/t", "kgce/t"),
        ("千克标准煤/吨", "kgce/t"),
        ("kg标准煤/t", "kgce/t"),
        ("ＫＧＣＥ／Ｔ", "kgce/t"),
        (" tce / t ", "tce/t"),
        ("吨标准煤/吨", "tce/t"),
        ("kgoe/t", "kgoe/t"),
        ("千克标准油/吨", "kgoe/t"),
        ("kWh/t", "kWh/t"),
        ("千瓦时/吨", "kWh/t"),
        ("度/吨", "kWh/t"),
        ("MWh/t", "MWh/t"),
        ("kgce/重量箱", "kgce/weight case"),
        ("千克标准煤/平方米", "kgce/m2"),
        ("kgoe/(t·EF)", "kgoe/(t·EF)"),
        ("GJ每吨", "GJ/t"),
    ],
)
def test_spellings_people_type(text: str, symbol: str) -> None:
    assert parse_unit(text).symbol == symbol


@pytest.mark.parametrize("text", ["公斤/吨", "kg", "吨", "kgce", "furlongs/fortnight", ""])
def test_a_unit_not_recognised_is_refused(text: str) -> None:
    with pytest.raises(UnknownUnitError):
        parse_unit(text)


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("tce/t", "kgce/t", 1000.0),
        ("kgce/t", "kgce/t", 1.0),
        ("kgoe/t", "kgce/t", 1.4286),
        ("MWh/t", "kWh/t", 1000.0),
        ("千克标准煤/吨", "kgce/t", 1.0),
    ],
)
def test_physical_conversions(source: str, target: str, factor: float) -> None:
    assert conversion_factor(source, target) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("source", "target", "why"),
    [
        ("kWh/t", "kgce/t", "measures electricity"),
        ("kgce/m2", "kgce/t", "is per m2"),
        ("kgce/t", "kgce/weight case", "is per t"),
    ],
)
def test_no_conversion_across_kinds(source: str, target: str, why: str) -> None:
    """kWh/t for a kgce/t area is an error, never a silent conversion: the electricity levels
    are AC power at the busbar, not primary energy."""
    with pytest.raises(IncompatibleUnitError, match=why):
        conversion_factor(source, target)


def test_every_catalogue_unit_parses_and_has_a_coal_equivalent() -> None:
    for unit in CATALOGUE_UNITS:
        assert parse_unit(unit).symbol.replace("m2", "m2") == unit
        assert kgce_per_unit(unit) > 0
    assert kgce_per_unit("kWh/t") == pytest.approx(0.1229)
    assert numerator_symbol("kgoe/(t·EF)") == "kgoe"
    assert denominator_symbol("kgce/weight case") == "weight case"

"""What a sheet's name and headers say for every row of it: the year (``2023年度数据``,
``2025年产量``) and the area (``水泥熟料``) of a table without such a column."""

from __future__ import annotations

import re

from benchmark.catalogue import Catalogue
from benchmark.readers import Table


def table_year(table: Table) -> int | None:
    """The year of every row of a table without a year column: the one its headers state
    (``2025年产量``), else the one its sheet's name gives (``2023年``)."""
    if "year" in table.frame.columns:
        return None
    stated = {
        table.header_years[n] for n in ("value", "output", "capacity") if n in table.header_years
    }
    if len(stated) == 1:
        return stated.pop()
    return year_of_sheet(table.sheet) if not stated else None


_SHEET_YEAR = re.compile(r"^\D*((?:19|20)\d\d)\D*$")


def year_of_sheet(sheet: str | None) -> int | None:
    """The year a sheet's name gives (``2023``, ``2023年``, ``2023年度数据``) when its table has
    no year column: a workbook with a sheet a year keeps each year's rows apart."""
    if sheet is None:
        return None
    m = _SHEET_YEAR.match(sheet.strip())
    return int(m.group(1)) if m else None


def sheet_area(table: Table, catalogue: Catalogue) -> str | None:
    """The area a sheet's name gives (``水泥熟料``, ``2025年平板玻璃``) when its table has no
    area column: bureau workbooks often keep a sheet per area."""
    if table.sheet is None:
        return None
    name = table.sheet.strip()
    for text in (name, _SHEET_YEAR_WORDS.sub("", name).strip()):
        hit = catalogue.resolve(text) if text else None
        if hit is not None:
            return text
    return None


_SHEET_YEAR_WORDS = re.compile(r"(?:19|20)\d\d\s*年?度?|数据|清单|汇总表?|填报表?")

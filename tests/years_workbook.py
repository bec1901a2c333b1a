"""A five-line, 2021–2026 workbook as a plant lays it out: one row per line and year, the years
in blocks one under the other (shipped catalogue: cement clinker benchmark 100 / baseline 117,
converter steelmaking −30 / −10, deadline 2025-12-31).

* A 企业甲 1#窑 — 125 → 105 by −4 a year: below the baseline in 2021–2022, compliant since.
* B 企业甲 2#窑 — at benchmark in 2021–2022, worsening, below the baseline in 2025, 116 in 2026.
* C 企业乙 Kiln A — about 110 throughout (steady).
* D 企业乙 老窑 — 130, 128, 125 in 2022–2024, then no figure: below the baseline throughout.
* E 企业丙 1#转炉 (converter) — an undated −8, then −25 in 2024 and −31 in 2025.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from .conftest import HEADER_ZH

HEADER = HEADER_ZH
#: letter: (enterprise, line, area, {year: value}, capacity)
LINES: dict[str, tuple[str, str, str, dict[int | None, float], float | None]] = {
    "A": (
        "企业甲",
        "1#窑",
        "水泥熟料",
        {2021: 125, 2022: 121, 2023: 117, 2024: 113, 2025: 109, 2026: 105},
        100,
    ),
    "B": (
        "企业甲",
        "2#窑",
        "水泥熟料",
        {2021: 98, 2022: 99, 2023: 101, 2024: 103, 2025: 118, 2026: 116},
        300,
    ),
    "C": (
        "企业乙",
        "Kiln A",
        "水泥熟料",
        {2021: 110, 2022: 110.1, 2023: 109.9, 2024: 110.2, 2025: 110.1},
        100,
    ),
    "D": ("企业乙", "老窑", "水泥熟料", {2022: 130, 2023: 128, 2024: 125}, None),
    "E": ("企业丙", "1#转炉", "转炉", {None: -8, 2024: -25, 2025: -31}, 200),
}
YEARS_PRESENT = "2021, 2022, 2023, 2024, 2025, 2026"


def rows(extra: list[list[Any]] | None = None) -> list[list[Any]]:
    """The rows in year blocks (undated first), each with an output of 1,000 t."""
    out = []
    for year in (None, 2021, 2022, 2023, 2024, 2025, 2026):
        for enterprise, line, area, values, capacity in LINES.values():
            if year in values:
                out.append(
                    [enterprise, line, area, None, values[year], None, 1000, capacity, year, "河北"]
                )
    return out + (extra or [])


def write(path: Path, extra: list[list[Any]] | None = None) -> Path:
    """The workbook; text starting with '=' stays text, as a typed cell would."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for r, row in enumerate(rows(extra), start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    wb.save(path)
    return path


def by_line(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records (of ``track``'s lines or a list) by the letters of :data:`LINES`."""
    found = {}
    for key, (enterprise, line, *_) in LINES.items():
        hits = [r for r in items if r["enterprise"] == enterprise and r["line"] == line]
        if hits:
            assert len(hits) == 1, key
            found[key] = hits[0]
    return found

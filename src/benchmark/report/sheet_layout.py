"""Sheets written with openpyxl (the input form) laid out to print: rows as tall as their
text, a sentence merged to the table's edge, A4 landscape one page wide.

Neither Excel nor LibreOffice sizes a row of wrapped or merged cells when it opens a file: a
long sentence then runs over the cells beside it and the rows below. So the height of each
row is set here, from its text and the widths of the cells it spans.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

#: Points a line of 11-point text takes (Excel's and LibreOffice's default row).
LINE_POINTS = 15.0
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
Cell = str | float | None


@dataclass(frozen=True)
class CellStyle:
    """How a row's cells look; ``height`` fixes the row's height (a title's)."""

    font: Font | None = None
    fill: PatternFill | None = None
    border: Border | None = None
    height: float | None = None


def lines_needed(text: str, width: float) -> int:
    """How many lines ``text`` wraps onto in a cell ``width`` characters wide (a Chinese
    character is two wide; a tenth is kept in hand, as fonts differ)."""
    room = max(width - 1, 1)
    return sum(max(1, math.ceil(cell_len(part) * 1.1 / room)) for part in text.split("\n"))


def span(c: int, count: int, widths: Sequence[float]) -> tuple[int, float]:
    """The last column cell ``c`` (1-based, of ``count`` in its row) covers, and its width: a
    row of fewer cells than the table lets its last cell run to the table's edge."""
    last = len(widths) if c == count else c
    return last, float(sum(widths[c - 1 : last]))


def write_row(
    ws: Worksheet, r: int, cells: Sequence[Cell], widths: Sequence[float], style: CellStyle
) -> None:
    """One row: its cells styled and wrapped, its last cell merged to the table's edge, the
    row as tall as its longest text needs."""
    lines = 1
    for c, value in enumerate(cells, start=1):
        cell = ws.cell(row=r, column=c, value=value)
        last, width = span(c, len(cells), widths)
        if last > c:
            ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=last)
        if style.font is not None:
            cell.font = style.font
        if style.fill is not None:
            cell.fill = style.fill
        if style.border is not None:
            cell.border = style.border
        cell.alignment = WRAP_TOP
        if isinstance(value, str):
            lines = max(lines, lines_needed(value, width))
    ws.row_dimensions[r].height = style.height or lines * LINE_POINTS + 2


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """A4 landscape, one page wide and as many tall as needed, ``title_rows`` (``"1:2"``)
    printed atop every page: the sheet prints as it reads, not cut into strips."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows


# --------------------------------------------------------------------------- checks


def list_check(
    source: str, title: str, prompt: str, style: Literal["stop", "warning"]
) -> DataValidation:
    """A drop-down from a range; ``style`` stop refuses other text, warning lets it through."""
    check = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle=style,
    )
    check.promptTitle, check.prompt = title, prompt
    check.errorTitle = title
    check.error = (
        "不在列表中，请从下拉列表选择。Not in the list: pick from the drop-down."
        if style == "stop"
        else "不在列表中：请确认单位可换算。Not in the list: make sure the unit converts."
    )
    return check


def number_check(
    kind: Literal["whole", "decimal"],
    operator: Literal["between", "greaterThanOrEqual"],
    bounds: tuple[int, int | None],
    title: str,
    prompt: str,
) -> DataValidation:
    low, high = bounds
    check = DataValidation(
        type=kind,
        operator=operator,
        formula1=str(low),
        formula2=None if high is None else str(high),
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
    )
    check.promptTitle, check.prompt = title, prompt
    check.errorTitle = title
    check.error = prompt
    return check

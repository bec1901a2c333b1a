"""Cells of the Excel report: colours, formats made once per workbook, values typed as they
are (text is never read as a formula or a link), and the print setup every sheet shares."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from benchmark.report.defuse import defuse

#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767
#: Characters XML 1.0 cannot hold (as openpyxl's ILLEGAL_CHARACTERS_RE).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: A4 in Excel's paper codes.
PAPER_A4 = 9

GREEN, YELLOW, RED = "C6EFCE", "FFEB9C", "FFC7CE"
STATUS_FILLS = {"corroborated": "FCE4D6", "unverified": "F8CBAD"}
SEVERITY_FILLS = {"error": RED, "warning": YELLOW}
HEADER_FILL = "DDEBF7"


def clean(value: Any) -> Any:
    """A value Excel accepts: no control characters, at most 32,767 characters, finite."""
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)[:MAX_CELL_CHARS]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return clean(value.item())
    return value


def text(value: Any) -> Any:
    """A text cell's value, defused (for text that does not come through a frame)."""
    return clean(defuse(value))


@dataclass(frozen=True)
class Styled:
    """A value and the format of its cell."""

    value: Any
    format: Format | None


class Styles:
    """The formats of one workbook, each combination made once (xlsxwriter would otherwise
    add a duplicate format per call)."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self._made: dict[tuple[Any, ...], Format] = {}

    def format(
        self,
        fmt: str | None = None,
        fill: str | None = None,
        bold: bool = False,
        colour: str | None = None,
        italic: bool = False,
        header: bool = False,
        wrap: bool = False,
    ) -> Format | None:
        """The format with these properties (None for none at all); ``wrap``: long text
        wraps within its column rather than being cut by the next cell."""
        key = (fmt, fill, bold, colour, italic, header, wrap)
        if key == (None, None, False, None, False, False, False):
            return None
        made = self._made.get(key)
        if made is None:
            props: dict[str, Any] = {"bold": bold, "italic": italic}
            if wrap:
                props["text_wrap"] = True
            if fmt:
                props["num_format"] = fmt
            if fill:
                props.update(pattern=1, bg_color=f"#{fill}")
            if colour:
                props["font_color"] = f"#{colour}"
            if header:
                props.update(
                    bg_color=f"#{HEADER_FILL}",
                    pattern=1,
                    bold=True,
                    bottom=1,
                    bottom_color="#9BC2E6",
                    valign="bottom",
                    text_wrap=True,
                )
            made = self._made[key] = self.wb.add_format(props)
        return made

    def __call__(
        self,
        value: Any,
        *,
        fmt: str | None = None,
        fill: str | None = None,
        bold: bool = False,
        colour: str | None = None,
        italic: bool = False,
    ) -> Styled:
        """``value`` (cleaned for Excel) with the given style."""
        return Styled(clean(value), self.format(fmt, fill, bold, colour, italic))


def put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    """One cell, typed as its value is: text stays text, numbers numbers, None stays empty
    (styled if it has a style)."""
    fmt = value.format if isinstance(value, Styled) else None
    value = clean(value.value if isinstance(value, Styled) else value)
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    else:
        ws.write_string(row, col, value if isinstance(value, str) else str(value), fmt)


def put_row(ws: Worksheet, row: int, values: Sequence[Any]) -> None:
    for col, value in enumerate(values):
        put(ws, row, col, value)


def header_row(st: Styles, names: Sequence[str]) -> list[Styled]:
    header = st.format(header=True)
    return [Styled(name, header) for name in names]


def page_setup(
    ws: Worksheet, *, pages_tall: int = 0, header_rows: int = 0, running: str | None = None
) -> None:
    """Landscape A4, fit to one page wide (``pages_tall``: 0 for as many as needed), the first
    ``header_rows`` rows printed atop every page; ``running``, the catalogue edition and the
    reporting date, in the page header, and the page number in the footer."""
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.fit_to_pages(1, pages_tall)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.5)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    if running:
        ws.set_header("&L&8 " + running.replace("&", "&&")[:200], {"margin": 0.25})
        ws.set_footer("&R&8&P / &N", {"margin": 0.25})

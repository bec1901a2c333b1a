"""The input form a consultant sends to plants: an .xlsx that validates clean once filled in.

The form is built from the catalogue in use (the shipped edition or a province's own), so its
drop-down lists offer exactly the area, category and unit names the validator accepts, and its
instructions sheet shows the levels the rows will be graded against. Every header is one the
reader recognises (checked here, at build time), so a filled-in form needs no mapping.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from benchmark.catalogue import Area, Catalogue
from benchmark.fields import REQUIRED_FIELDS
from benchmark.headers import HeaderMatcher
from benchmark.i18n import ALTERNATIVES, _
from benchmark.report.sheet_layout import (
    CellStyle,
    list_check,
    number_check,
    print_setup,
    set_widths,
    write_row,
)

DATA_SHEET = "数据 Data"
INSTRUCTIONS_SHEET = "说明 Instructions"
LISTS_SHEET = "lists"
TITLE = "能效标杆水平和基准水平 填报表 / Energy-efficiency data form"
HEADER_ROW = 2
FIRST_DATA_ROW = 3
#: Drop-downs and number checks cover this many rows below the header.
FORM_ROWS = 2000
#: Bounds of the number checks: wide enough for every indicator (−30 kgce/t for converters,
#: 13 350 kWh/t for aluminium) and any plant, narrow enough to stop a typo of many digits.
VALUE_BOUNDS = (-10_000, 1_000_000)
YEAR_BOUNDS = (2000, 2100)

#: What the instructions sheet writes into a cell.
Cell = str | float | None


@dataclass(frozen=True)
class Column:
    """One column of the form: the field it feeds, its header words and its help text."""

    field: str
    zh: str
    en: str
    width: float
    help_zh: str
    help_en: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "enterprise",
        "企业名称",
        "enterprise",
        30,
        "企业（单位）全称，必填。",
        "Full name of the enterprise. Required.",
    ),
    Column(
        "line",
        "生产线",
        "line",
        14,
        "生产线或装置编号，如 1#窑；同一企业有多条线时必填，以免被判为重复行。",
        "Production line or unit, e.g. kiln 1. Needed when a plant has several lines, "
        "otherwise the rows count as duplicates.",
    ),
    Column(
        "region",
        "地区",
        "region",
        12,
        "所在省份或地区，如 河北。",
        "Province or region, e.g. Hebei.",
    ),
    Column(
        "year",
        "年份",
        "year",
        9,
        "数据所属年份（整数），如 2024。",
        "Year the figure is for (whole number), e.g. 2024.",
    ),
    Column(
        "area",
        "领域",
        "area",
        18,
        "重点领域，从下拉列表选择（也接受目录中的代码或别名），必填。",
        "Key area: pick from the drop-down (catalogue ids and aliases are accepted too). Required.",
    ),
    Column(
        "category",
        "类别",
        "category",
        34,
        "类别（工艺、规格）：领域有多个水平时必填，从下拉列表选择；只有一个水平的领域留空。",
        "Category (process, specification): required where the area has several levels, "
        "pick from the drop-down; leave blank for areas with one level.",
    ),
    Column(
        "value",
        "单位产品能耗",
        "value",
        16,
        "单位产品综合能耗（能效值），数字，必填；转炉炼钢可为负值。",
        "Energy consumption per unit of product: a number. Required. Negative only for "
        "converter steelmaking.",
    ),
    Column(
        "unit",
        "单位",
        "unit",
        20,
        "能效值的计量单位；留空即为目录单位（见说明表）。可换算的写法（tce/t、千克标准煤/吨）"
        "也接受。",
        "Unit of the value; blank means the catalogue unit (see the instructions). "
        "Convertible spellings (tce/t, 千克标准煤/吨) are accepted.",
    ),
    Column(
        "output",
        "产量",
        "output",
        14,
        "年产量（吨、重量箱或平方米，与指标单位的分母一致），非负数；用于计算节能量。",
        "Annual output (t, weight cases or m², as the indicator's denominator), not "
        "negative; gives the energy savings.",
    ),
    Column(
        "capacity",
        "产能",
        "capacity",
        14,
        "年产能，单位同产量，非负数；用于计算达到标杆水平的产能比例。",
        "Annual capacity, in the unit of output, not negative; weights the share of "
        "capacity at benchmark level.",
    ),
)

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
_SECTION_FONT = Font(bold=True, size=12)
_STATUS_TEXT: dict[str, tuple[str, str]] = {
    "confirmed": (
        "已核实：由引用该版目录的官方文件逐条载明（如发改产业〔2022〕200号）。",
        "Quoted row by row by an official text that cites the edition (such as "
        "发改产业〔2022〕200号).",
    ),
    "corroborated": (
        "佐证：两个数值均等于现行国家限额标准的等级，但未见通知原文。",
        "Both figures equal grades of the current national limit standard; no "
        "public copy of the notice's own row was at hand.",
    ),
    "unverified": (
        "未核实：转录自参考表，缺少第二来源；使用前请与通知原文核对。",
        "Transcribed without a second source: check against the notice before acting on it.",
    ),
}


def header_text(column: Column, matcher: HeaderMatcher | None = None) -> str:
    """The header cell text: bilingual when the reader recognises it, else Chinese only.

    A header the reader would not recognise would make the filled-in form fail with E003, so
    the bilingual form is used only once the reader's matcher maps it to the same field.
    """
    matcher = matcher or HeaderMatcher()
    for text in (f"{column.zh} / {column.en}", column.zh):
        if matcher.match(text) == (column.field, None):
            return text
    raise AssertionError(f"no recognised header for {column.field}")  # pragma: no cover


def select_areas(catalogue: Catalogue, areas: Sequence[str] | None) -> list[Area]:
    """The catalogue areas named (by id or any alias), in catalogue order; all when None.

    Raises ValueError naming every unknown area, with the closest names.
    """
    if not areas:
        return list(catalogue.areas)
    wanted: set[str] = set()
    unknown: list[str] = []
    for text in areas:
        hit = catalogue.resolve(text) if str(text).strip() else None
        if hit is None:
            hints = catalogue.suggest(str(text))
            unknown.append(
                repr(text)
                + (
                    _(" (did you mean {hints}?)").format(hints=_(ALTERNATIVES).join(hints))
                    if hints
                    else ""
                )
            )
        else:
            wanted.add(hit[0].id)
    if unknown:
        raise ValueError(
            _("unknown area {areas}; `benchmark catalogue` lists the areas").format(
                areas=", ".join(unknown)
            )
        )
    return [a for a in catalogue.areas if a.id in wanted]


def category_names(areas: Sequence[Area]) -> list[str]:
    """Chinese names of the categories of ``areas`` (areas with one level have none)."""
    return [
        lv.name_zh or str(lv.category) for a in areas for lv in a.levels if lv.category is not None
    ]


def unit_names(areas: Sequence[Area]) -> list[str]:
    """The catalogue units of ``areas``, each once, in catalogue order."""
    return list(dict.fromkeys(a.unit for a in areas))


def build_template(catalogue: Catalogue, areas: list[str] | None = None) -> bytes:
    """The input form as .xlsx bytes, restricted to ``areas`` (ids or aliases) if given.

    Raises ValueError for an area the catalogue does not know.
    """
    chosen = select_areas(catalogue, areas)
    wb = Workbook()
    data = wb.active
    assert isinstance(data, Worksheet)
    data.title = DATA_SHEET
    instructions = wb.create_sheet(INSTRUCTIONS_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    ranges = _write_lists(lists, chosen)
    lists.sheet_state = "hidden"
    _write_data_sheet(data, ranges)
    _write_instructions(instructions, catalogue, chosen)
    wb.active = 0
    wb.properties.title = TITLE
    wb.properties.creator = "benchmark"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_lists(ws: Worksheet, areas: Sequence[Area]) -> dict[str, str]:
    """Write the drop-down lists, one a column, and return each list's absolute range.

    Excel caps an inline list at 255 characters, which the area and category names exceed,
    so every list is a range on this (hidden) sheet.
    """
    columns = {
        "area": [a.name_zh for a in areas],
        "category": category_names(areas),
        "unit": unit_names(areas),
    }
    ranges: dict[str, str] = {}
    for index, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=1):
            ws.cell(row=row, column=index, value=value)
        if values:
            ranges[name] = f"{LISTS_SHEET}!${letter}$1:${letter}${len(values)}"
        ws.column_dimensions[letter].width = 40
    return ranges


def _write_data_sheet(ws: Worksheet, ranges: dict[str, str]) -> None:
    matcher = HeaderMatcher()
    last = get_column_letter(len(COLUMNS))
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 24
    ws.row_dimensions[HEADER_ROW].height = 32
    letters: dict[str, str] = {}
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        letters[column.field] = letter
        cell = ws.cell(row=HEADER_ROW, column=index, value=header_text(column, matcher))
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.field in REQUIRED_FIELDS else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = _BORDER
        required = "（必填 required）" if column.field in REQUIRED_FIELDS else ""
        comment = Comment(
            f"{column.zh} / {column.en}{required}\n{column.help_zh}\n{column.help_en}", "benchmark"
        )
        comment.width, comment.height = 320, 160
        cell.comment = comment
        ws.column_dimensions[letter].width = column.width
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW}"
    print_setup(ws, title_rows=f"1:{HEADER_ROW}")

    def cells(field: str) -> str:
        letter = letters[field]
        return f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + FORM_ROWS - 1}"

    checks: list[tuple[str, DataValidation]] = []
    if "area" in ranges:
        checks.append(
            (
                "area",
                list_check(
                    ranges["area"], "领域 Area", "从列表选择重点领域。Pick the key area.", "stop"
                ),
            )
        )
    if "category" in ranges:
        checks.append(
            (
                "category",
                list_check(
                    ranges["category"],
                    "类别 Category",
                    "领域有多个水平时从列表选择，否则留空。Pick one where the area has several "
                    "levels; else leave blank.",
                    "stop",
                ),
            )
        )
    if "unit" in ranges:
        checks.append(
            (
                "unit",
                list_check(
                    ranges["unit"],
                    "单位 Unit",
                    "留空即为目录单位；可换算的其他写法也接受。Blank means the catalogue unit; "
                    "convertible spellings are accepted too.",
                    "warning",
                ),
            )
        )
    checks.append(
        (
            "value",
            number_check(
                "decimal",
                "between",
                VALUE_BOUNDS,
                "单位产品能耗 Value",
                "请输入数字。Enter a number.",
            ),
        )
    )
    for field, title in (("output", "产量 Output"), ("capacity", "产能 Capacity")):
        checks.append(
            (
                field,
                number_check(
                    "decimal",
                    "greaterThanOrEqual",
                    (0, None),
                    title,
                    "请输入非负数。Enter a number, not negative.",
                ),
            )
        )
    checks.append(
        (
            "year",
            number_check(
                "whole",
                "between",
                YEAR_BOUNDS,
                "年份 Year",
                f"{YEAR_BOUNDS[0]}–{YEAR_BOUNDS[1]} 之间的整数。A whole year.",
            ),
        )
    )
    for field, check in checks:
        check.add(cells(field))
        ws.add_data_validation(check)


def _write_instructions(ws: Worksheet, catalogue: Catalogue, areas: Sequence[Area]) -> None:
    """Columns, areas with their levels, level status, and how to check the filled form.

    No row of this sheet names two input fields, so the reader never takes it for data.
    """
    rows: list[tuple[list[Cell], str]] = []  # (cells, style)

    def add(cells: list[Cell], style: str = "") -> None:
        rows.append((cells, style))

    add(["能效数据填报说明 / Instructions"], "title")
    add([f"{catalogue.title_zh}（{catalogue.document}）"])
    add([f"{catalogue.title_en}; edition {catalogue.edition}"])
    add([])
    add(["一、填报方法 How to fill in"], "section")
    add([f"在“{DATA_SHEET}”表第 {FIRST_DATA_ROW} 行起每行填写一条生产线一年的数据；不要修改表头。"])
    add(
        [
            f"On sheet “{DATA_SHEET}”, one row per production line and year, from row "
            f"{FIRST_DATA_ROW}; do not change the header row."
        ]
    )
    add([])
    add(["二、各列说明 Columns"], "section")
    add(["列 Col.", "表头 Heading", "必填 Req.", "说明", "Description"], "head")
    for index, column in enumerate(COLUMNS, start=1):
        add(
            [
                get_column_letter(index),
                f"{column.zh} / {column.en}",
                "是 yes" if column.field in REQUIRED_FIELDS else "",
                column.help_zh,
                column.help_en,
            ]
        )
    add([])
    add(["三、领域、类别与水平 Areas, categories and levels"], "section")
    add(
        [
            "越低越好；标杆水平为先进值，基准水平为下限。Lower is better: the benchmark is best "
            "practice, the baseline the floor."
        ]
    )
    add(
        [
            "领域代码 Area id",
            "领域名称",
            "Area name",
            "类别名称",
            "Category name",
            "标杆水平 Benchmark",
            "基准水平 Baseline",
            "指标单位 Indicator unit",
            "数据状态 Status",
            "依据 Standard",
        ],
        "head",
    )
    for area in areas:
        for lv in area.levels:
            add(
                [
                    area.id,
                    area.name_zh,
                    area.name_en,
                    lv.name_zh,
                    lv.name_en,
                    lv.benchmark,
                    lv.baseline,
                    area.unit,
                    lv.status,
                    lv.standard,
                ]
            )
    add([])
    add(["四、数据状态 Level status"], "section")
    for status, (zh, en) in _STATUS_TEXT.items():
        add([status, f"{zh}\n{en}"])
    add([])
    add(["五、检查与评级 Check and grade"], "section")
    add(["填好后检查（每个问题定位到单元格）：Check the filled form (every problem at its cell):"])
    add(["benchmark validate FILE.xlsx"], "code")
    add(["评级（标杆 / 基准–标杆 / 低于基准）：Grade it (benchmark / between / below baseline):"])
    add(["benchmark grade FILE.xlsx"], "code")
    add(["问题代码说明 What a problem code means: benchmark explain E104"])

    styles = {
        "head": CellStyle(font=Font(bold=True), fill=_HEADER_FILL, border=_BORDER),
        "code": CellStyle(font=Font(name="Consolas")),
        "title": CellStyle(font=Font(bold=True, size=14), height=22),
        "section": CellStyle(font=_SECTION_FONT, height=20),
        "cells": CellStyle(border=_BORDER),
    }
    widths = (26, 24, 26, 40, 48, 12, 12, 18, 14, 14)
    for r, (cells, style) in enumerate(rows, start=1):
        chosen = styles.get(style) or (styles["cells"] if len(cells) > 1 else CellStyle())
        write_row(ws, r, cells, widths, chosen)
    set_widths(ws, widths)
    print_setup(ws)

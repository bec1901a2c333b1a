"""Paper: the print setup of every workbook and page, read back from the files.

What Chromium and LibreOffice make of them is checked by eye (docs/printing.md: the commands,
and what to look for); here, on the 300-row example list, the fields that decide it: A4
landscape, one page wide, the headings atop every page, the catalogue edition and reporting
date in every page header, charts never cut, the Summary on one page, the template's rows as
tall as their text."""

from __future__ import annotations

import itertools
import math
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len
from typer.testing import CliRunner

from benchmark.catalogue import Catalogue
from benchmark.cli import app
from benchmark.report.page import CSS
from benchmark.report.xlsx_charts import BLOCK_ROWS, PAGE_ROWS
from benchmark.template import DATA_SHEET, INSTRUCTIONS_SHEET, build_template

from .conftest import ROOT
from .helpers_reports import Page

AS_OF = "2025-06-30"
EXAMPLE = ROOT / "examples" / "industry_list.xlsx"


def run(*args: str, lang: str = "zh") -> Any:
    return CliRunner().invoke(app, ["--no-config", "--lang", lang, "--as-of", AS_OF, *args])


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    folder = tmp_path_factory.mktemp("print")
    shutil.copy(EXAMPLE, folder / "list.xlsx")
    out = folder / "report.xlsx"
    assert run("grade", str(folder / "list.xlsx"), "-o", str(out)).exit_code == 1  # seeded errors
    return openpyxl.load_workbook(out)


def fits_to_page(ws: Worksheet) -> bool:
    """Whether the sheet prints scaled to its fit-to-pages setting."""
    props = ws.sheet_properties.pageSetUpPr
    return props is not None and bool(props.fitToPage)


def sheet(wb: openpyxl.Workbook, name: str) -> Worksheet:
    ws = wb[name]
    assert isinstance(ws, Worksheet)
    return ws


def test_every_sheet_a4_landscape_one_page_wide_with_edition_and_date(
    workbook: openpyxl.Workbook, catalogue: Catalogue
) -> None:
    for name in ("Summary", "Results", "Charts", "Levels", "Problems"):
        ws = sheet(workbook, name)
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9, name
        assert fits_to_page(ws), name
        assert ws.page_setup.fitToWidth in (None, 1), name  # one page wide (1: the default)
        assert ws.oddHeader is not None and ws.oddFooter is not None
        header = ws.oddHeader.left.text or ""
        assert catalogue.document in header and AS_OF in header, (name, header)
        assert "2021年版" in header and "报告日期" in header
        assert ws.oddFooter.right.text == "&P / &N"  # page n of N


def test_results_print_their_headings_on_every_page_and_fold_what_paper_needs_not(
    workbook: openpyxl.Workbook,
) -> None:
    ws = sheet(workbook, "Results")
    assert ws.print_title_rows == "$1:$2" and ws.page_setup.fitToHeight == 0
    assert ws.row_dimensions[1].hidden  # the field names: for programs, never printed
    fields = [c.value for c in ws[1]]
    columns = _columns(ws)
    shown = [f for i, f in enumerate(fields, 1) if not columns[i][1]]
    assert shown[:4] == ["enterprise", "line", "region", "year"]
    assert {"value", "benchmark", "baseline", "tier", "saving_to_benchmark_tce"} <= set(shown)
    assert not {"file", "sheet", "row", "input_value", "saving_unit"} & set(shown)
    # What decides how many pages 300 rows take: the width printed. Under 250 characters
    # across keeps A4 landscape's text legible at the fitted scale, about 90 rows a page.
    width = sum(columns[fields.index(f) + 1][0] for f in shown)
    assert width < 250, width
    category = fields.index("category") + 1
    assert ws.cell(3, category).alignment.wrap_text  # a long category wraps, never cut
    assert ws.max_row - 2 == 295  # every graded row, in about four pages


def _letter(i: int) -> str:
    return openpyxl.utils.get_column_letter(i)


def _columns(ws: Worksheet) -> dict[int, tuple[float, bool]]:
    """Each column's width and whether it is hidden, from the sheet's column ranges (a
    writer gives neighbouring columns alike one range)."""
    out: dict[int, tuple[float, bool]] = {}
    for dim in ws.column_dimensions.values():
        for i in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
            out[i] = (float(dim.width or 8.43), bool(dim.hidden))
    return {i: out.get(i, (8.43, False)) for i in range(1, ws.max_column + 1)}


def test_the_area_summary_prints_on_one_page(workbook: openpyxl.Workbook) -> None:
    ws = sheet(workbook, "Summary")
    assert ws.page_setup.fitToHeight in (None, 1)  # one page tall (1: the default)
    values = [c.value for row in ws.iter_rows(max_col=1) for c in row]
    assert "按领域汇总" in values and "合计" in values


def test_charts_are_never_cut_by_a_page(workbook: openpyxl.Workbook) -> None:
    """A page break falls only where an area's block starts, and a page holds no more rows
    than the fitted scale prints: a chart never straddles two pages."""
    ws = sheet(workbook, "Charts")
    starts = [r for r in range(1, ws.max_row + 1) if _is_title(ws.cell(r, 1).value)]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks and set(breaks) <= {s - 1 for s in starts}  # a break is after a block
    edges = [0, *breaks, ws.max_row + BLOCK_ROWS]
    assert all(b - a <= PAGE_ROWS + BLOCK_ROWS for a, b in itertools.pairwise(edges))
    assert len(breaks) <= math.ceil(len(starts) / 2) + 2  # about two areas a page, not one


def _is_title(value: Any) -> bool:
    return isinstance(value, str) and bool(re.fullmatch(r".+（[^）]+）", value))


def test_problems_headings_repeat(workbook: openpyxl.Workbook) -> None:
    ws = sheet(workbook, "Problems")
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.fitToHeight == 0


# --------------------------------------------------------------------------- the template


@pytest.fixture(scope="module")
def form(catalogue: Catalogue) -> openpyxl.Workbook:
    import io

    return openpyxl.load_workbook(io.BytesIO(build_template(catalogue)))


def test_the_form_prints_one_page_wide(form: openpyxl.Workbook) -> None:
    for name in (DATA_SHEET, INSTRUCTIONS_SHEET):
        ws = sheet(form, name)
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert fits_to_page(ws)
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert sheet(form, DATA_SHEET).print_title_rows == "$1:$2"


def test_the_instructions_never_run_over_each_other(form: openpyxl.Workbook) -> None:
    """A sentence is merged to the table's edge (it cannot spill over its neighbours), and
    every row is at least as tall as its text's lines: no text runs into the row below."""
    ws = sheet(form, INSTRUCTIONS_SHEET)
    merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    last = ws.max_column
    for row in ws.iter_rows():
        cells = [c for c in row if c.value is not None]
        if not cells:
            continue
        r = cells[0].row
        tail = cells[-1]
        if tail.column < last:
            span = merged.get((r, tail.column))
            assert span is not None and span.max_col == last, (r, tail.value)
        height = ws.row_dimensions[r].height
        assert height is not None, r
        for cell in cells:
            span = merged.get((r, cell.column))
            right = span.max_col if span else cell.column
            width = sum(
                ws.column_dimensions[_letter(c)].width for c in range(cell.column, right + 1)
            )
            text = str(cell.value)
            lines = sum(max(1, math.ceil(cell_len(p) / width)) for p in text.split("\n"))
            assert height >= 15 * lines, (r, text[:30], height, lines)
            if "\n" in text or cell_len(text) > width:
                assert cell.alignment.wrap_text, (r, text[:30])


# --------------------------------------------------------------------------- the page


def _rules(css: str) -> dict[str, dict[str, str]]:
    """``{context: {selector: declarations}}`` of a style sheet, one level of @media deep;
    context is "" outside any @media."""
    out: dict[str, dict[str, str]] = {}
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    pos, context, depth = 0, "", 0
    for m in re.finditer(r"([^{}]*)\{|\}", css):
        if m.group(0) == "}":
            depth -= 1
            if depth == 0:
                context = ""
            continue
        head = " ".join(m.group(1).split())
        if head.startswith("@media"):
            context, depth = head, depth + 1
            continue
        end = css.index("}", m.end())
        for selector in head.split(","):
            out.setdefault(context, {})[selector.strip()] = " ".join(css[m.end() : end].split())
        depth += 1
        pos = end
    assert pos
    return out


def test_print_css(tmp_path: Path) -> None:
    rules = _rules(CSS)
    screen, paper = rules[""], rules["@media print"]
    assert screen["@page"].replace(" ", "").startswith("size:A4landscape")
    assert screen["table.page>thead"] == "display:none"  # on screen the header says it
    assert paper["table.page>thead"] == "display:table-header-group"  # every printed page
    assert paper[".scroll"] == "overflow:visible"  # no column cut off at the right
    assert "width:100%" in paper["table.results"]
    for part in ("figure", "svg", "tr"):
        assert "break-inside:avoid" in paper[part].replace(" ", ""), part
    assert "position:static" in paper["thead th"]


def test_the_page_frame_carries_the_running_header(tmp_path: Path, catalogue: Catalogue) -> None:
    shutil.copy(EXAMPLE, tmp_path / "list.xlsx")
    out = tmp_path / "r.html"
    run("grade", str(tmp_path / "list.xlsx"), "-o", str(out))
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    (running,) = page.find("div", class_="running")
    assert running is not None
    frame = text.split('<table class="page"><thead>', 1)[1].split("</thead>", 1)[0]
    assert catalogue.document in frame and AS_OF in frame and "2021年版" in frame

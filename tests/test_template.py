"""The input form: its sheets, drop-downs and checks, and — above all — that a filled-in form
validates clean and grades every row, through the real reader and CLI."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from benchmark.catalogue import Catalogue
from benchmark.cli import app
from benchmark.fields import FIELDS
from benchmark.headers import HeaderMatcher
from benchmark.template import (
    COLUMNS,
    DATA_SHEET,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    build_template,
)


@pytest.fixture(scope="module")
def form(catalogue: Catalogue) -> bytes:
    return build_template(catalogue)


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet(wb: openpyxl.Workbook, name: str) -> Worksheet:
    ws = wb[name]
    assert isinstance(ws, Worksheet)
    return ws


def validations(ws: Worksheet) -> dict[str, DataValidation]:
    """Each data validation, by the column letter of the cells it covers."""
    found: dict[str, DataValidation] = {}
    for dv in ws.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            found[re.match(r"[A-Z]+", ref).group(0)] = dv  # type: ignore[union-attr]
    return found


def letters() -> dict[str, str]:
    return {c.field: openpyxl.utils.get_column_letter(i) for i, c in enumerate(COLUMNS, 1)}


def list_values(wb: openpyxl.Workbook, formula: str) -> list[str]:
    """The cells a list validation's range reference points at."""
    m = re.fullmatch(r"'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert m, f"{formula!r} is no range reference (an inline list is capped at 255 chars)"
    name, col, first, col2, last = m.groups()
    assert col == col2
    ws = sheet(wb, name)
    return [str(ws[f"{col}{r}"].value) for r in range(int(first), int(last) + 1)]


def cli(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["--no-config", *args])


# --- structure ---------------------------------------------------------------------------------


def test_sheets_title_headers_and_layout(form: bytes) -> None:
    wb = load(form)
    assert wb.sheetnames == [DATA_SHEET, INSTRUCTIONS_SHEET, LISTS_SHEET]
    assert sheet(wb, LISTS_SHEET).sheet_state == "hidden"
    assert wb.active is not None and wb.active.title == DATA_SHEET
    ws = sheet(wb, DATA_SHEET)
    assert "填报表" in str(ws["A1"].value) and "Energy-efficiency data form" in str(ws["A1"].value)
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    matcher = HeaderMatcher()
    headers = [str(ws.cell(row=HEADER_ROW, column=i).value) for i in range(1, len(COLUMNS) + 1)]
    # The exact header text is what the reader recognises, as the same field and no unit.
    assert [matcher.match(h) for h in headers] == [(c.field, None) for c in COLUMNS]
    assert {c.field for c in COLUMNS} == set(FIELDS)
    for i, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i)
        assert cell.comment is not None and column.en in cell.comment.text
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
        assert width is not None and width >= 8


def test_drop_downs_cover_the_catalogue(form: bytes, catalogue: Catalogue) -> None:
    wb = load(form)
    checks = validations(sheet(wb, DATA_SHEET))
    col = letters()
    area = checks[col["area"]]
    assert area.type == "list" and area.errorStyle == "stop"
    areas = list_values(wb, str(area.formula1))
    assert areas == [a.name_zh for a in catalogue.areas] and len(areas) == 25
    assert all(catalogue.resolve(a) is not None for a in areas)
    categories = list_values(wb, str(checks[col["category"]].formula1))
    expected = [lv.name_zh for _, lv in catalogue.iter_levels() if lv.category is not None]
    assert categories == expected
    assert len(",".join(categories)) > 255  # why the lists sheet exists
    for area_obj, lv in catalogue.iter_levels():
        if lv.category is not None:
            found = area_obj.find_category(lv.name_zh)
            assert found is not None and found.category == lv.category
    units = list_values(wb, str(checks[col["unit"]].formula1))
    assert sorted(units) == sorted({a.unit for a in catalogue.areas})
    for name in ("area", "category", "unit"):
        assert f"{col[name]}{FIRST_DATA_ROW}:" in str(checks[col[name]].sqref)


def test_number_checks(form: bytes) -> None:
    checks = validations(sheet(load(form), DATA_SHEET))
    col = letters()
    value = checks[col["value"]]
    assert value.type == "decimal" and float(str(value.formula1)) < -30  # converters are < 0
    assert float(str(value.formula2)) > 13_350  # aluminium, kWh/t
    for name in ("output", "capacity"):
        assert checks[col[name]].type == "decimal"
        assert checks[col[name]].operator == "greaterThanOrEqual"
        assert str(checks[col[name]].formula1) == "0"
    year = checks[col["year"]]
    assert year.type == "whole" and str(year.formula1) == "2000"
    for check in checks.values():
        assert check.showErrorMessage and check.allow_blank
        assert len(check.prompt or "") <= 255 and len(check.promptTitle or "") <= 32


def test_instructions_list_columns_levels_status_and_the_check(
    form: bytes, catalogue: Catalogue
) -> None:
    ws = sheet(load(form), INSTRUCTIONS_SHEET)
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    text = "\n".join(str(c) for row in rows for c in row if c is not None)
    for column in COLUMNS:
        assert column.zh in text and column.en in text
    for area, lv in catalogue.iter_levels():
        assert any(
            row[0] == area.id
            and (row[3] or "") == lv.name_zh
            and row[5] == lv.benchmark
            and row[6] == lv.baseline
            and row[7] == area.unit
            and row[8] == lv.status
            for row in rows
        ), (area.id, lv.category)
    for status in ("confirmed", "corroborated", "unverified"):
        assert status in text
    assert "benchmark validate FILE.xlsx" in text


def _split_matcher() -> HeaderMatcher:
    """A matcher that also reads each part of a bilingual header, as readers may one day."""

    class Split(HeaderMatcher):
        def match(self, text: str | None) -> tuple[str | None, str | None]:
            hit = super().match(text)
            if hit[0] is None and text is not None:
                for part in re.split(r"\s+/\s+|\n", str(text)):
                    hit = super().match(part)
                    if hit[0] is not None:
                        return hit
            return hit

    return Split()


@pytest.mark.parametrize("name", [INSTRUCTIONS_SHEET, LISTS_SHEET])
def test_other_sheets_never_look_like_data(form: bytes, name: str) -> None:
    """A row naming two input fields would be read as a table, and fail validation."""
    ws = sheet(load(form), name)
    for matcher in (HeaderMatcher(), _split_matcher()):
        for row in ws.iter_rows(values_only=True):
            cells = [None if c is None else str(c) for c in row]
            assert matcher.score(cells) <= 1, row


# --- filled in ---------------------------------------------------------------------------------


def fill(data: bytes, rows: Iterable[dict[str, Any]], path: Path) -> Path:
    """Type rows into the form as a plant would, and save it."""
    wb = load(data)
    ws = sheet(wb, DATA_SHEET)
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        for c, column in enumerate(COLUMNS, start=1):
            ws.cell(row=r, column=c, value=row.get(column.field))
    wb.save(path)
    return path


def rows_from_drop_downs(data: bytes, catalogue: Catalogue) -> list[dict[str, Any]]:
    """One row per level of the form, with names taken from its own drop-down lists."""
    wb = load(data)
    checks = validations(sheet(wb, DATA_SHEET))
    col = letters()
    areas = list_values(wb, str(checks[col["area"]].formula1))
    categories = (
        list_values(wb, str(checks[col["category"]].formula1)) if col["category"] in checks else []
    )
    units = list_values(wb, str(checks[col["unit"]].formula1))
    rows: list[dict[str, Any]] = []
    for i, area_name in enumerate(areas):
        hit = catalogue.resolve(area_name)
        assert hit is not None
        area = hit[0]
        assert area.unit in units
        for lv in area.levels:
            category = None
            if lv.category is not None:
                category = next(c for c in categories if area.find_category(c) == lv)
            rows.append(
                {
                    "enterprise": f"示例企业{i:02d}有限公司",
                    "line": f"{len(rows) + 1}#线",
                    "region": "河北",
                    "year": 2024,
                    "area": area_name,
                    "category": category,
                    "value": (lv.benchmark + lv.baseline) / 2,
                    "unit": area.unit if len(rows) % 2 else None,
                    "output": 100_000 + len(rows),
                    "capacity": 120_000,
                }
            )
    return rows


def test_filled_form_validates_clean_and_grades_every_row(
    form: bytes, catalogue: Catalogue, tmp_path: Path
) -> None:
    rows = rows_from_drop_downs(form, catalogue)
    assert len(rows) == sum(len(a.levels) for a in catalogue.areas) == 47
    path = fill(form, rows, tmp_path / "filled.xlsx")
    runner = CliRunner()
    result = cli(runner, "validate", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["problems"] == [] and doc["rows_valid"] == doc["rows_total"] == 47
    text = cli(runner, "validate", str(path))
    assert text.exit_code == 0 and "0 error(s), 0 warning(s)" in text.stdout
    graded = cli(runner, "grade", str(path), "--format", "json")
    assert graded.exit_code == 0, graded.output
    results = json.loads(graded.stdout)["results"]
    assert [r["row"] for r in results] == list(range(FIRST_DATA_ROW, FIRST_DATA_ROW + 47))
    assert {(r["area"], r["category"]) for r in results} == {
        (a.id, lv.category) for a, lv in catalogue.iter_levels()
    }
    assert {r["tier"] for r in results} == {"between"}
    assert {r["sheet"] for r in results} == {DATA_SHEET}


def test_empty_form_validates_with_no_rows(form: bytes, tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(form)
    result = cli(CliRunner(), "validate", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows_total"] == 0


def test_area_restriction_by_id_and_alias(catalogue: Catalogue, tmp_path: Path) -> None:
    data = build_template(catalogue, ["平板玻璃", "clinker", "转炉", "cement_clinker"])
    wb = load(data)
    checks = validations(sheet(wb, DATA_SHEET))
    col = letters()
    # Catalogue order, each once; 转炉 (a category alias) selects all of steelmaking.
    assert list_values(wb, str(checks[col["area"]].formula1)) == ["水泥熟料", "平板玻璃", "炼钢"]
    assert list_values(wb, str(checks[col["category"]].formula1)) == [
        lv.name_zh for a in ("flat_glass", "steelmaking") for lv in catalogue.area(a).levels
    ]
    assert list_values(wb, str(checks[col["unit"]].formula1)) == ["kgce/t", "kgce/weight case"]
    ids = {row[0] for row in sheet(wb, INSTRUCTIONS_SHEET).iter_rows(values_only=True)}
    assert {"cement_clinker", "flat_glass", "steelmaking"} <= ids
    assert not ids & {"oil_refining", "electrolytic_aluminium"}
    rows = rows_from_drop_downs(data, catalogue)
    assert len(rows) == 1 + 2 + 3
    path = fill(data, rows, tmp_path / "filled.xlsx")
    result = cli(CliRunner(), "grade", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["results"]) == 6


def test_single_level_areas_have_no_category_list(catalogue: Catalogue) -> None:
    wb = load(build_template(catalogue, ["水泥熟料"]))
    checks = validations(sheet(wb, DATA_SHEET))
    assert letters()["category"] not in checks
    assert list_values(wb, str(checks[letters()["area"]].formula1)) == ["水泥熟料"]


def test_unknown_area_is_a_value_error_with_a_suggestion(catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match=r"水泥熟科.*cement_clinker"):
        build_template(catalogue, ["水泥熟科"])
    with pytest.raises(ValueError, match="no-such-area"):
        build_template(catalogue, ["cement_clinker", "no-such-area"])


def test_template_command(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    runner = CliRunner()
    result = cli(runner, "template", str(out), "--area", "水泥熟料", "--area", "glass")
    assert result.exit_code == 0, result.output
    assert DATA_SHEET in load(out.read_bytes()).sheetnames
    bad = cli(runner, "template", str(tmp_path / "bad.xlsx"), "--area", "水泥熟科")
    assert bad.exit_code == 2 and not (tmp_path / "bad.xlsx").exists()

"""Validation: every check at its Excel cell, every format, every exit code."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import benchmark
from benchmark.cli import app
from benchmark.inputs import display_name
from benchmark.pipeline import check_files
from benchmark.validation import parse_numbers

from .conftest import RecordingEvents, WriteXlsx

# Columns of HEADER_ZH: A enterprise, B line, C area, D category, E value, F unit, G output,
# H capacity, I year, J region. Rows start at 2 (header in row 1).
SEEDED = [
    ["好企业", "1#", "水泥熟料", None, 99, "kgce/t", 1000, 1200, 2024, "河北"],  # 2 valid
    [None, "1#", "水泥熟料", None, 99, None, None, None, 2024, None],  # 3 E101 A
    ["甲", "1#", "水泥熟科", None, 99, None, None, None, 2024, None],  # 4 E102 C
    ["乙", "1#", "烧碱", None, 320, None, None, None, 2024, None],  # 5 E103 D
    ["丙", "1#", "水泥熟料", None, "12,o5", None, None, None, 2024, None],  # 6 E104 E
    ["丁", "1#", "烧碱", "液碱99%", 320, None, None, None, 2024, None],  # 7 E105 D
    ["戊", "1#", "水泥熟料", None, 99, "furlongs/t", None, None, 2024, None],  # 8 E106 F
    ["己", "1#", "水泥熟料", None, 99, "kWh/t", None, None, 2024, None],  # 9 E107 F
    ["庚", "1#", "水泥熟料", None, 99, None, -5, None, 2024, None],  # 10 E108 G
    ["辛", "1#", "水泥熟料", None, -99, None, None, None, 2024, None],  # 11 E109 E
    ["好企业", "1#", "clinker", None, 101, None, None, None, 2024, None],  # 12 E110 A
    ["壬", "1#", "水泥熟料", None, 0.1, None, None, None, 2024, None],  # 13 W201 E
    ["癸", "1#", "水泥熟料", None, 99, None, None, None, 1990, None],  # 14 W202 I
    ["子", "1#", "转炉", None, -25, None, None, None, 2024, None],  # 15 valid
    ["丑", "1#", "水泥熟料", None, None, None, None, None, 2024, None],  # 16 E101 E
]
EXPECTED = {
    ("E101", 3, "A"),
    ("E102", 4, "C"),
    ("E103", 5, "D"),
    ("E104", 6, "E"),
    ("E105", 7, "D"),
    ("E106", 8, "F"),
    ("E107", 9, "F"),
    ("E108", 10, "G"),
    ("E109", 11, "E"),
    ("E110", 12, "A"),
    ("W201", 13, "E"),
    ("W202", 14, "I"),
    ("E101", 16, "E"),
}


def test_every_check_at_its_cell(write_xlsx: WriteXlsx, runner: CliRunner) -> None:
    path = write_xlsx(SEEDED)
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    assert doc["rows_total"] == 15
    # Rows with warnings only are still valid: 2, 13, 14, 15.
    assert doc["rows_valid"] == 4
    found = {(p["code"], p["row"], p["column"]) for p in doc["problems"]}
    assert found == EXPECTED
    by_code = {p["code"]: p for p in doc["problems"]}
    assert by_code["E104"]["message"] == '单位产品能耗 "12,o5" is not a number'
    assert by_code["E104"]["header"] == "单位产品能耗" and by_code["E104"]["sheet"] == "Sheet1"
    assert "did you mean 'cement_clinker'" in by_code["E102"]["message"]
    assert "membrane_liquid_30" in by_code["E103"]["message"]
    assert "duplicate of row 2" in by_code["E110"]["message"]
    assert by_code["W201"]["severity"] == "warning"


def test_text_format_names_file_sheet_cell(write_xlsx: WriteXlsx, runner: CliRunner) -> None:
    path = write_xlsx(SEEDED)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    shown = display_name(str(path))  # as the report names it: relative to the working directory
    assert f'{shown}:Sheet1!E6: E104 单位产品能耗 "12,o5" is not a number' in result.stdout
    assert not shown.startswith("/")  # never the absolute path
    assert "15 row(s), 4 valid; 11 error(s), 2 warning(s)" in result.stdout


def test_warnings_fail_only_when_strict(write_xlsx: WriteXlsx, runner: CliRunner) -> None:
    path = write_xlsx([SEEDED[0], SEEDED[12], SEEDED[13]])
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(path), "--strict"]).exit_code == 1


def test_title_rows_and_offset_columns_keep_excel_coordinates(
    tmp_path: Path, runner: CliRunner
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "清单"
    ws["C2"] = "2024年重点用能单位能效清单"
    for col, text in zip("CDEF", ["企业名称", "领域", "单位产品综合能耗", "备注"], strict=True):
        ws[f"{col}5"] = text
    ws["C6"], ws["D6"], ws["E6"] = "甲", "水泥熟料", 99
    ws["C8"], ws["D8"], ws["E8"] = "乙", "水泥熟料", "abc"  # row 7 left empty
    ws["C9"], ws["D9"], ws["E9"], ws["F9"] = "丙", "水泥熟料", "1，234.5", "=1+1"
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    frame, problems = benchmark.read_plants(path)
    assert [(p.code, p.sheet, p.row, p.column) for p in problems if p.code == "E104"] == [
        ("E104", "清单", 8, "E")
    ]
    assert list(frame["row"]) == [6, 9]
    assert list(frame["value"]) == [99.0, 1234.5]
    assert "备注" in frame.columns


def test_unit_in_header_is_the_default_unit(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(
        [["甲", "水泥熟料", "0.105"], ["乙", "水泥熟料", "0.098"]],
        header=["企业名称", "领域", "单位产品综合能耗（tce/t）"],
    )
    frame, problems = benchmark.read_plants(path)
    assert problems == []
    assert list(frame["value"]) == pytest.approx([105.0, 98.0])


def test_missing_required_column_is_a_file_problem(
    write_xlsx: WriteXlsx, runner: CliRunner
) -> None:
    path = write_xlsx([["甲", "水泥熟料"]], header=["企业名称", "领域", "备注"])
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert [(p["code"], p["row"], p["header"]) for p in problems] == [("E003", 1, "value")]


def test_every_sheet_with_a_header_or_only_the_named_one(tmp_path: Path, runner: CliRunner) -> None:
    wb = openpyxl.Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["这是说明页"])
    for name, value in (("2023", 99), ("2024", 130)):
        ws = wb.create_sheet(name)
        ws.append(["企业名称", "领域", "单位产品能耗"])
        ws.append(["甲", "水泥熟料", value])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    frame, problems = benchmark.read_plants(path)
    assert problems == [] and list(frame["sheet"]) == ["2023", "2024"]
    only = runner.invoke(app, ["grade", str(path), "--sheet", "2024", "-f", "json"])
    assert [r["tier"] for r in json.loads(only.stdout)["results"]] == ["below_baseline"]
    missing = runner.invoke(app, ["validate", str(path), "--sheet", "2025", "-f", "json"])
    assert missing.exit_code == 1 and "no sheet named '2025'" in missing.stdout


def test_gbk_and_bom_csv(tmp_path: Path) -> None:
    text = (
        "企业名称,领域,类别,单位产品能耗,单位\n"
        "甲,烧碱,液碱30%,320,千克标准煤/吨\n乙,水泥熟料,,98,\n"
    )
    for name, data in (
        ("gbk.csv", text.encode("gbk")),
        ("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8")),
    ):
        (tmp_path / name).write_bytes(data)
        frame, problems = benchmark.read_plants(tmp_path / name)
        assert problems == [], name
        assert list(frame["area"]) == ["caustic_soda", "cement_clinker"]
        assert list(frame["row"]) == [2, 3]


def test_english_headers_case_and_space_insensitive(write_xlsx: WriteXlsx) -> None:
    path = write_xlsx(
        [["Acme", "Cement clinker", " 99 "]], header=[" Enterprise ", "AREA", "Value"]
    )
    frame, problems = benchmark.read_plants(path)
    assert problems == [] and frame["value"].tolist() == [99.0]


def test_numbers_typed_by_people() -> None:
    import pandas as pd

    values = pd.Series(
        [" 1,234 ", "１２３．５", "12,o5", "NaN", "inf", "1e999", None, "", "-3"], dtype="string"
    )
    numbers, bad = parse_numbers(values)
    assert numbers.tolist()[:2] == [1234.0, 123.5]
    assert bad.tolist() == [False, False, True, True, True, True, False, False, False]
    assert numbers.iloc[8] == -3


def test_directories_and_missing_paths(
    write_xlsx: WriteXlsx, tmp_path: Path, runner: CliRunner
) -> None:
    write_xlsx([SEEDED[0]], name="a.xlsx")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.csv").write_text("企业名称,领域,单位产品能耗\n乙,水泥熟料,130\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert sorted(Path(f).name for f in doc["files"]) == ["a.xlsx", "b.csv"]
    assert doc["rows_valid"] == 2
    missing = runner.invoke(app, ["validate", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    bad_option = runner.invoke(app, ["validate", "--format", "yaml", str(tmp_path)])
    assert bad_option.exit_code == 2


def test_unreadable_file_is_a_problem_and_others_go_on(
    write_xlsx: WriteXlsx, tmp_path: Path, runner: CliRunner
) -> None:
    good = write_xlsx([SEEDED[0]])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(app, ["validate", str(broken), str(good), "-f", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["rows_valid"] == 1
    assert [p["code"] for p in doc["problems"]] == ["E001"]
    assert doc["problems"][0]["file"] == display_name(str(broken))


def test_github_format(write_xlsx: WriteXlsx, runner: CliRunner) -> None:
    path = write_xlsx(SEEDED)
    result = runner.invoke(app, ["validate", str(path), "--format", "github"])
    lines = result.stdout.splitlines()
    shown = display_name(str(path))  # relative to the working directory, as GitHub wants it
    assert (
        f'::error file={shown},title=Sheet1!E6 E104::单位产品能耗 "12,o5" is not a number' in lines
    )
    assert sum(line.startswith("::warning ") for line in lines) == 2
    assert len(lines) == len(EXPECTED)


def test_junit_format(write_xlsx: WriteXlsx, runner: CliRunner) -> None:
    path = write_xlsx(SEEDED)
    result = runner.invoke(app, ["validate", str(path), "--format", "junit"])
    root = ET.fromstring(result.stdout)
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("name") == display_name(str(path))
    cases = suites[0].findall("testcase")
    assert len(cases) == 15  # one per checked row
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert len(failed) == 11
    assert "Sheet1!row 6" in failed


def test_json_problems_match_the_documented_schema(
    write_xlsx: WriteXlsx, runner: CliRunner
) -> None:
    path = write_xlsx(SEEDED)
    doc = json.loads(runner.invoke(app, ["validate", str(path), "-f", "json"]).stdout)
    for p in doc["problems"]:
        assert set(p) == {"code", "severity", "file", "sheet", "row", "column", "header", "message"}
        assert isinstance(p["row"], int) and isinstance(p["column"], str)


def test_category_needed_but_no_category_column_points_at_the_area(tmp_path: Path) -> None:
    path = tmp_path / "no_category.csv"
    path.write_text("企业名称,领域,单位产品能耗\n甲,烧碱,320\n乙,转炉,-20\n", encoding="utf-8")
    frame, problems = benchmark.read_plants(path)
    assert [(p.code, p.row, p.column, p.header) for p in problems] == [("E103", 2, "B", "领域")]
    assert list(frame["category"]) == ["converter"]  # 转炉 names the category itself


@pytest.mark.parametrize(
    ("header", "field", "unit"),
    [
        ("企业名称 / enterprise", "enterprise", None),
        ("企业名称\nenterprise", "enterprise", None),
        ("企业名称 (enterprise)", "enterprise", None),
        ("单位产品综合能耗（tce/t）", "value", "tce/t"),
        ("单位产品能耗 / value (kgce/t)", "value", "kgce/t"),
        ("kgce/t", None, None),
        ("企业名称 / area", None, None),  # two different fields: ambiguous, not a header
    ],
)
def test_bilingual_headers(header: str, field: str | None, unit: str | None) -> None:
    from benchmark.headers import HeaderMatcher

    assert HeaderMatcher().match(header) == (field, unit)


def test_a_notes_table_without_required_fields_is_no_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["单位", "年份", "地区"])  # names fields, but none that a data table needs
    data = wb.create_sheet("数据")
    data.append(["企业名称 / enterprise", "领域 / area", "单位产品能耗 / value"])
    data.append(["甲", "水泥熟料", 99])
    path = tmp_path / "notes.xlsx"
    wb.save(path)
    frame, problems = benchmark.read_plants(path)
    assert problems == [] and list(frame["sheet"]) == ["数据"]


def test_a_long_table_checked_in_slices_equals_one_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV longer than CHECK_ROWS is checked a slice at a time: same rows, same problems
    (duplicates across slices included), same grades, and row counts a slice at a time."""
    from benchmark import pipeline

    lines = ["企业名称,生产线,领域,单位产品能耗,年份"]
    for i in range(230):
        value = "约100" if i % 41 == 7 else str(100 + i % 9)
        lines.append(f"厂{i % 150},{i % 2 + 1}号线,水泥熟料,{value},{2021 + i % 150 // 75}")
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    whole = check_files([str(path)], grade=True)
    monkeypatch.setattr(pipeline, "CHECK_ROWS", 40)
    events = RecordingEvents()
    sliced = check_files([str(path)], grade=True, events=events)
    assert events.row_counts == [40] * 5 + [30]
    assert [str(p) for p in sliced.problems] == [str(p) for p in whole.problems]
    assert any(p.code == "E110" for p in whole.problems)
    assert any(p.code == "E104" for p in whole.problems)
    assert sliced.frame.equals(whole.frame)
    assert sliced.rows_total == whole.rows_total == 230


def test_a_category_given_by_its_figure(tmp_path: Path, runner: CliRunner) -> None:
    """A 熔窑规模 of 1200 t/d is the flat-glass level for over 800 t/d; a 60 t furnace the
    EAF level for 50 t or more; 0.3% water absorption the porcelain-tile level. A figure in
    no range is E105, never the nearest level."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "生产线", "行业/产品", "熔窑规模", "单位产品综合能耗"])
    ws.append(["玻璃甲", "1线", "平板玻璃", "1200t/d", 10])
    ws.append(["玻璃甲", "2线", "平板玻璃", "600", 10])
    ws.append(["玻璃乙", "1线", "平板玻璃", "400 t/d", 10])
    ws.append(["钢厂", "1#", "炼钢", "60吨", 70])
    ws.append(["陶瓷厂", "1#", "建筑陶瓷", "0.3%", 5])
    path = tmp_path / "figures.xlsx"
    wb.save(path)
    frame, problems = benchmark.read_plants(path)
    assert frame["category"].tolist() == [
        "capacity_over_800",
        "capacity_500_800",
        "eaf_50_plus",
        "absorption_le_0_5",
    ]
    assert [(p.code, p.row, p.column) for p in problems] == [("E105", 4, "D")]
    assert "capacity_over_800 (生产能力>800 t/d)" in problems[0].message


def test_a_unit_typed_in_the_value_cell_must_agree_with_the_unit_column(
    write_xlsx: WriteXlsx,
) -> None:
    """E107 at the value where the unit typed after the figure is another unit than its row's
    unit column states; another spelling of the same unit agrees, and a row stating none has
    nothing to contradict. Each distinct pair of units is judged once, for every row."""
    rows = [
        ["甲", "1#", "水泥熟料", None, "98 kgce/t", "kgce/t", None, None, 2024, None],  # 2
        ["乙", "1#", "水泥熟料", None, "98 千克标准煤/吨", "kgce/t", None, None, 2024, None],  # 3
        ["丙", "1#", "水泥熟料", None, "0.098 tce/t", "kgce/t", None, None, 2024, None],  # 4
        ["丁", "1#", "水泥熟料", None, "98 kgce/t", None, None, None, 2024, None],  # 5
        ["戊", "1#", "水泥熟料", None, "0.1 tce/t", "kgce/t", None, None, 2024, None],  # 6
        ["己", "1#", "水泥熟料", None, "98 kgce/t", "tce/t", None, None, 2024, None],  # 7
        ["庚", "1#", "水泥熟料", None, 98, "kgce/t", None, None, 2024, None],  # 8
    ]
    checked = check_files([str(write_xlsx(rows))])
    found = [(p.code, p.row, p.column) for p in checked.problems]
    assert found == [("E107", 4, "E"), ("E107", 6, "E"), ("E107", 7, "E")]
    assert checked.problems[0].message.endswith(
        '"0.098 tce/t": the unit typed in the cell contradicts the stated unit kgce/t'
    )
    assert sorted(checked.frame["row"]) == [2, 3, 5, 8]

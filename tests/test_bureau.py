"""Real workbooks, read right: a provincial bureau's list as bureaus lay them out.

The shipped ``examples/bureau_list.xlsx`` has all of it at once — a sheet per area, a merged
title, a 填报单位 line, 序号, 万 units and years in the headers, section headings, subtotals and
totals with formulas, enterprises merged down over their lines, a value with its unit in the
cell, a category given by its figure (1200 t/d), thousands separators, notes and signatures,
and a hidden sheet — and each piece gets a test of its own here on a workbook written by the
test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from benchmark.cli import app

from .conftest import ROOT, benchmark_script

BUREAU = ROOT / "examples" / "bureau_list.xlsx"
#: (sheet, Excel row) → (value in the catalogue unit, output in units of product, tier).
EXPECTED: dict[tuple[str, int], tuple[float, float, str]] = {
    ("水泥熟料", 5): (98.5, 1_200_000, "benchmark"),
    ("水泥熟料", 6): (112.0, 850_000, "between"),
    ("水泥熟料", 7): (104.0, 1_400_000, "between"),
    ("水泥熟料", 10): (121.0, 600_000, "below_baseline"),
    ("水泥熟料", 11): (0.118, 500_000, "to_check"),
    ("平板玻璃", 4): (7.6, 15_000_000, "benchmark"),
    ("平板玻璃", 5): (12.8, 8_000_000, "between"),
    ("电解铝", 4): (13_150.0, 300_000, "between"),
    ("电解铝", 5): (13_420.0, 250_000, "below_baseline"),
}
#: Benchmark levels of the lines above (kgce/t, kgce/weight case, kWh/t).
BENCHMARKS = {"水泥熟料": 100.0, "平板玻璃": (8.0, 9.5), "电解铝": 13_000.0}


def grade(runner: CliRunner, *paths: Path, fmt: str = "json") -> tuple[int, Any]:
    result = runner.invoke(app, ["--no-config", "grade", *map(str, paths), "-f", fmt])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout) if fmt == "json" else result.stdout


def _saving_tce(sheet: str, row: int) -> float:
    """The saving to the benchmark, from first principles: (value − benchmark) × output."""
    value, output, _tier = EXPECTED[(sheet, row)]
    bench = BENCHMARKS[sheet]
    if isinstance(bench, tuple):  # flat glass: over 800 t/d (一线), 500–800 t/d (二线)
        bench = bench[0] if row == 4 else bench[1]
    kgce = max(value - bench, 0) * output
    return kgce * (0.1229 if sheet == "电解铝" else 1.0) / 1000


def test_the_bureau_list_grades_every_plant_line_right(runner: CliRunner) -> None:
    code, doc = grade(runner, BUREAU)
    assert code == 0  # one warning (the value to check), no error
    got = {(r["sheet"], r["row"]): r for r in doc["results"]}
    assert set(got) == set(EXPECTED)
    for key, (value, output, tier) in EXPECTED.items():
        row = got[key]
        assert (row["value"], row["output"], row["tier"]) == (pytest.approx(value), output, tier)
        if tier != "to_check":
            assert row["saving_to_benchmark_tce"] == pytest.approx(_saving_tce(*key)), key
    # The enterprise merged down over its lines belongs to each of them.
    assert got[("水泥熟料", 6)]["enterprise"] == "铜川某水泥有限公司"
    assert got[("电解铝", 5)]["enterprise"] == "榆林某铝业有限公司"
    assert got[("平板玻璃", 4)]["category"] == "capacity_over_800"
    assert {r["year"] for r in doc["results"]} == {2025}
    assert [p["code"] for p in doc["problems"]] == ["W201"]
    notices = [n["message"] for n in doc["notices"]]
    assert "hidden sheet skipped: 旧数据" in notices
    assert any("2 section headings, 3 totals, 2 notes" in n for n in notices)


def test_the_bureau_list_and_its_resubmitted_copy_count_once(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(BUREAU, folder / "清单.xlsx")
    shutil.copy(BUREAU, folder / "清单_修改版.xlsx")
    code, doc = grade(runner, folder)
    _, alone = grade(runner, BUREAU)
    assert code == 1  # the repeats are errors
    repeats = [p for p in doc["problems"] if p["code"] == "E110"]
    assert len(repeats) == len(EXPECTED)
    assert {p["file"] for p in repeats} == {"submissions/清单_修改版.xlsx"} or all(
        p["file"].endswith("清单_修改版.xlsx") for p in repeats
    )
    assert all("清单.xlsx" in p["message"] for p in repeats)
    assert len(doc["results"]) == len(EXPECTED)
    totals, once = doc["summary"]["totals"], alone["summary"]["totals"]
    assert totals["saving_to_benchmark_tce"] == pytest.approx(once["saving_to_benchmark_tce"])
    assert totals["rows"] == once["rows"]


def test_the_readme_line_of_the_bureau_example() -> None:
    """The README shows the bureau list's result; a real process gives it."""
    proc = subprocess.run(
        [
            benchmark_script(),
            "--no-config",
            "--lang",
            "en",
            "validate",
            "examples/bureau_list.xlsx",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 file(s), 9 row(s), 9 valid; 0 error(s), 1 warning(s)" in proc.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "examples/bureau_list.xlsx" in readme


# --- each piece on a workbook of its own ------------------------------------------------------


def _sheet(
    tmp_path: Path,
    header: list[str],
    rows: list[list[Any]],
    *,
    title: str | None = None,
    name: str = "Sheet1",
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = name
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    path = tmp_path / "list.xlsx"
    wb.save(path)
    return path


def test_wan_tonnes_in_a_header_and_in_a_cell(tmp_path: Path, runner: CliRunner) -> None:
    """10,000 times too small without a word was the old failure: 万吨 scales by 10⁴."""
    path = _sheet(
        tmp_path,
        ["企业名称", "行业/产品", "单位产品综合能耗", "产量（万吨）", "年产能（亿吨）"],
        [["甲", "水泥熟料", 112, 1.2, 0.015], ["乙", "水泥熟料", 112, "45.3万吨", 0.01]],
        title="2025年水泥熟料企业清单",
    )
    code, doc = grade(runner, path)
    assert code == 0, doc["problems"]
    assert [r["output"] for r in doc["results"]] == [12_000, 453_000]
    assert [r["capacity"] for r in doc["results"]] == [1_500_000, 1_000_000]
    assert doc["results"][0]["saving_to_benchmark_tce"] == pytest.approx(144.0)


@pytest.mark.parametrize(
    ("header", "cell", "code", "column"),
    [
        ("产量（万台）", 5, "E106", "D"),  # a unit of output the tool does not know
        ("产量（万吨）", "3万重量箱", "E107", "D"),  # the cell contradicts its header
        ("产量（万重量箱）", 5, "E107", "D"),  # cement is per tonne, not per weight case
    ],
)
def test_a_quantity_unit_not_understood_is_never_tonnes(
    tmp_path: Path, runner: CliRunner, header: str, cell: Any, code: str, column: str
) -> None:
    path = _sheet(
        tmp_path, ["企业名称", "领域", "单位产品能耗", header], [["甲", "水泥熟料", 112, cell]]
    )
    status, doc = grade(runner, path)
    assert status == 1
    assert [(p["code"], p["column"]) for p in doc["problems"]] == [(code, column)]
    assert doc["results"] == [] or doc["results"][0]["output"] is None


@pytest.mark.parametrize(
    ("typed", "value", "code"),
    [
        ("98,5", None, "E104"),
        ("98，5", None, "E104"),
        ("1,234", None, None),
        ("１１２", 112.0, None),
        ("112 kgce/t", 112.0, None),
        ("112 千克标准煤/吨", 112.0, None),
        ("0.112 tce/t", None, "E107"),  # a unit the header does not state: contradicts it
        ("112 kWh/t", None, "E107"),
        ("—", None, "E101"),
        ("112吨", None, "E104"),
    ],
)
def test_values_as_people_type_them(
    tmp_path: Path, runner: CliRunner, typed: str, value: float | None, code: str | None
) -> None:
    path = _sheet(
        tmp_path, ["企业名称", "领域", "单位产品能耗（kgce/t）"], [["甲", "水泥熟料", typed]]
    )
    _, doc = grade(runner, path)
    codes = [p["code"] for p in doc["problems"] if p["severity"] == "error"]
    if code is None and typed != "1,234":
        assert codes == [] and doc["results"][0]["value"] == pytest.approx(value)
    elif typed == "1,234":  # a thousands separator between groups of three: 1234, to check
        assert doc["results"][0]["value"] == 1234.0
        assert doc["results"][0]["tier"] == "to_check"
    else:
        assert codes == [code]


def test_a_year_written_2025年_and_a_year_in_the_header(tmp_path: Path, runner: CliRunner) -> None:
    path = _sheet(
        tmp_path,
        ["企业名称", "领域", "单位产品能耗", "统计年度"],
        [["甲", "水泥熟料", 110, "2025年"], ["乙", "水泥熟料", 110, "２０２４"]],
    )
    _, doc = grade(runner, path)
    assert [r["year"] for r in doc["results"]] == [2025, 2024]
    headed = _sheet(
        tmp_path,
        ["企业名称", "领域", "2024年单位产品能耗", "2024年产量（万吨）"],
        [["甲", "水泥熟料", 110, 1]],
    )
    _, doc = grade(runner, headed)
    assert doc["results"][0]["year"] == 2024


def test_variant_headers_of_every_field(tmp_path: Path, runner: CliRunner) -> None:
    header = [
        "序号",
        "用能单位名称",
        "所在省份",
        "所在地市",
        "窑线",
        "所属行业",
        "原料",
        "单位产品综合能耗（kgce/t）",
        "实际产量",
        "年产能",
        "数据年份",
        "备注",
    ]
    path = _sheet(
        tmp_path,
        header,
        [
            [
                1,
                "甲煤化工",
                "陕西",
                "榆林",
                "1#",
                "煤制甲醇",
                "烟煤",
                1500,
                300_000,
                600_000,
                2025,
                "新建",
            ]
        ],
    )
    code, doc = grade(runner, path)
    assert code == 0, doc["problems"]
    row = doc["results"][0]
    assert (row["enterprise"], row["line"], row["area"], row["category"]) == (
        "甲煤化工",
        "1#",
        "coal_to_methanol",
        "bituminous",
    )
    assert (row["output"], row["capacity"], row["year"]) == (300_000, 600_000, 2025)
    assert row["region"] in ("陕西", "榆林") and row["序号"] == "1" and row["备注"] == "新建"
    notices = " ".join(n["message"] for n in doc["notices"])
    assert "所在地市" in notices  # a second region column is named, never dropped in silence

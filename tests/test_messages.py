"""Every message a person reads, in Chinese and in English: problems found in real workbooks
(with the reasons inside them), notices, refused files, and the command line's own errors.

The English of every message is what machine formats carry, whatever the language; the
Chinese keeps codes, cell references, numbers, units and quoted cell text as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from benchmark.cli import app
from benchmark.i18n import Msg, in_language
from benchmark.pipeline import check_files
from benchmark.problems import Problem

from .conftest import ROOT, WriteXlsx

#: One row per kind of problem a person makes in a list (header: conftest.HEADER_ZH).
ROWS = [
    ["甲厂", "1#", "水泥熟料", None, "98,5", "kgce/t", 100_000, None, 2024, "河北"],  # E104
    ["乙厂", "1#", "水泥熟科", None, 105, "kgce/t", 100_000, None, 2024, "河北"],  # E102
    [None, "1#", "水泥熟料", None, 105, "kgce/t", 100_000, None, 2024, "河北"],  # E101
    ["丙厂", "1#", "烧碱", None, 300, "kgce/t", 100_000, None, 2024, "河北"],  # E103
    ["丁厂", "1#", "烧碱", "液碱50%", 300, "kgce/t", 100_000, None, 2024, "河北"],  # E105
    ["戊厂", "1#", "水泥熟料", None, 105, "公斤/吨", 100_000, None, 2024, "河北"],  # E106
    ["己厂", "1#", "水泥熟料", None, 105, "kWh/t", 100_000, None, 2024, "河北"],  # E107
    ["庚厂", "1#", "水泥熟料", None, 105, "kgce/t", -5000, None, 2024, "河北"],  # E108
    ["辛厂", "1#", "水泥熟料", None, -98.5, "kgce/t", 100_000, None, 2024, "河北"],  # E109
    ["壬厂", "1#", "水泥熟料", None, 105, "kgce/t", 100_000, None, 2024, "河北"],
    ["壬厂", "1#", "水泥熟料", None, 105, "kgce/t", 100_000, None, 2024, "河北"],  # E110
    ["癸厂", "1#", "水泥熟料", None, 0.1, "kgce/t", 100_000, None, 2024, "河北"],  # W201
    ["子厂", "1#", "水泥熟料", None, 105, "kgce/t", 100_000, None, 2204, "河北"],  # W202
    ["丑厂", "1#", "水泥熟料", None, "9x8", None, 100_000, None, 2024, "河北"],  # E104
    ["寅厂", "1#", "水泥熟料", None, 105, "kgce/t", "45万台", None, 2024, "河北"],  # E106
    ["卯厂", "1#", "平板玻璃", None, 13, "kgce/重量箱", 100_000, None, 2024, "河北"],
    ["卯厂", "2#", "平板玻璃", None, 13, "kgce/重量箱", "4.5万吨", None, 2024, "河北"],  # E107
]
_FIELD = re.compile(r"\{[^{}]*\}")


def _latin_words(template: str) -> set[str]:
    """The Latin words of a template, its placeholders left out."""
    return set(re.findall(r"[A-Za-z]{2,}", _FIELD.sub(" ", template)))


def _assert_translated(message: Msg) -> None:
    """Each template of a message, its nested ones too, has a Chinese translation that keeps
    only the Latin words (units, formats, options) of its English: no English sentence is
    left in a Chinese message, whatever its values."""
    chinese = in_language("zh", message.template)
    if _latin_words(message.template) - {"kgce", "tce"}:
        assert chinese != message.template, message.template
    assert _latin_words(chinese) <= _latin_words(message.template), (message.template, chinese)
    for value in message.params.values():
        if isinstance(value, Msg):
            _assert_translated(value)


def _assert_said_in_chinese(p: Problem) -> str:
    """The problem's Chinese, checked; its English is what machine formats carry."""
    assert p.text is not None
    assert p.say("en") == p.message == str(p.text)
    _assert_translated(p.text)
    chinese = p.say("zh")
    assert chinese != p.message
    return chinese


def test_every_problem_of_a_list_is_said_in_chinese(write_xlsx: WriteXlsx) -> None:
    checked = check_files([str(write_xlsx(ROWS))])
    by_code: dict[str, list[Problem]] = {}
    for p in checked.problems:
        by_code.setdefault(p.code, []).append(p)
    expected = [
        "E101",
        "E102",
        "E103",
        "E104",
        "E105",
        "E106",
        "E107",
        "E108",
        "E109",
        "E110",
        "W201",
        "W202",
    ]
    assert sorted(by_code) == expected
    said = {p.location.rsplit("/", 1)[-1]: _assert_said_in_chinese(p) for p in checked.problems}
    # values, cells and codes stay as they are; the words around them are Chinese
    assert said["plants.xlsx:Sheet1!E2"] == (
        '单位产品能耗 "98,5" 不是数字（是否误用逗号作小数点？小数请用小数点；逗号只用作千位分隔符）'
    )
    assert said["plants.xlsx:Sheet1!C3"] == (
        '领域 "水泥熟科" 不是已知领域；是否指 cement_clinker（水泥熟料）？'
    )
    assert said["plants.xlsx:Sheet1!A4"] == "企业名称 为空"
    assert said["plants.xlsx:Sheet1!F8"] == (
        "单位 'kWh/t' 计量的是电量，而该指标（kgce/t）计量的是能量"
    )
    assert said["plants.xlsx:Sheet1!A12"] == (
        "与第 11 行重复（企业名称、生产线、领域、类别和年份均相同）"
    )
    this_year = dt.date.today().year
    assert said["plants.xlsx:Sheet1!I14"] == f"年份 2204 不在 2000–{this_year} 年之间"
    assert "离子膜法液碱≥30%" in said["plants.xlsx:Sheet1!D5"]  # the valid categories listed
    # the English is the machine formats' text, word for word as before
    english = {p.location.rsplit("/", 1)[-1]: p.message for p in checked.problems}
    assert english["plants.xlsx:Sheet1!E2"] == (
        '单位产品能耗 "98,5" is not a number (decimal comma? write decimals with a point; '
        "a comma only separates thousands)"
    )
    assert english["plants.xlsx:Sheet1!C3"] == (
        "领域 \"水泥熟科\" is not a known area; did you mean 'cement_clinker'?"
    )


def test_a_notice_is_said_in_chinese(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "领域", "单位产品能耗", "产量"])
    ws.append(["甲厂", "水泥熟料", 105, 1000])
    ws.append(["合计", None, None, 1000])
    hidden = wb.create_sheet("旧数据")
    hidden.sheet_state = "hidden"
    hidden.append(["企业名称", "领域", "单位产品能耗"])
    path = tmp_path / "plants.xlsx"
    wb.save(path)
    checked = check_files([str(path)])
    assert checked.problems == []
    said = sorted(n.say("zh") for n in checked.notices)
    assert said == ["已跳过隐藏工作表：旧数据", "跳过 1 行（不是生产线数据）：1 个合计行"]
    assert sorted(n.message for n in checked.notices) == [
        "1 row(s) skipped, not plant lines: 1 total",
        "hidden sheet skipped: 旧数据",
    ]


def test_a_file_that_is_no_table_is_said_in_chinese(tmp_path: Path) -> None:
    pdf = tmp_path / "report.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 100)
    legacy = tmp_path / "old.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    nul = tmp_path / "plants.csv"
    nul.write_bytes("企业名称,领域,单位产品能耗\n甲厂,水泥熟料,105\n".encode() + b"\0\n")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    checked = check_files([str(p) for p in (pdf, legacy, nul, empty)])
    said = {Path(p.file).name: _assert_said_in_chinese(p) for p in checked.problems}
    assert said == {
        "report.xlsx": "是 PDF 文档，不是电子表格",
        "old.xls": "是加密（有密码保护）的工作簿或旧版 .xls 文件：请去掉密码或另存为 .xlsx",
        "plants.csv": "第 3 行有 NUL 字节：是二进制数据或已损坏的文件，不是 CSV 文本",
        "empty.csv": "空文件",
    }


def test_a_header_unit_not_understood_is_said_in_chinese(write_xlsx: WriteXlsx) -> None:
    header = ["企业名称", "领域", "单位产品能耗", "产量（万台）"]
    checked = check_files([str(write_xlsx([["甲厂", "水泥熟料", 105, 3]], header=header))])
    (p,) = checked.problems
    assert p.code == "E106"
    assert _assert_said_in_chinese(p).startswith(
        "产量（万台）：'万台' 不是已知的产量或产能单位：应为 吨/t"
    )
    assert p.message.endswith("; the column's figures are not used")


@pytest.fixture
def bad_catalogue(tmp_path: Path) -> Path:
    data = yaml.safe_load((ROOT / "data" / "benchmarks_2021.yaml").read_text(encoding="utf-8"))
    data["areas"][3]["levels"][0]["benchmark"] = 420
    data["areas"][3]["levels"][0]["baseline"] = 400
    path = tmp_path / "local.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_catalogue_problem_is_said_in_chinese_at_its_location(
    runner: CliRunner, bad_catalogue: Path
) -> None:
    zh = runner.invoke(app, ["--lang", "zh", "catalogue", "validate", str(bad_catalogue)])
    assert zh.exit_code == 1
    assert "目录文件无效（1 个问题）" in zh.stdout
    assert (
        "areas[3].levels[0].baseline: 标杆水平 420 必须严格低于基准水平 400（数值越低越好）"
        in zh.stdout
    )
    en = runner.invoke(app, ["--lang", "en", "catalogue", "validate", str(bad_catalogue)])
    assert (
        "areas[3].levels[0].baseline: benchmark 420 must be strictly lower than baseline 400"
        in en.stdout
    )
    used = runner.invoke(app, ["--lang", "zh", "--catalogue", str(bad_catalogue), "catalogue"])
    assert used.exit_code == 2 and "错误：" in used.output and "标杆水平 420" in used.output


def test_command_errors_are_said_in_the_language_asked_for(
    runner: CliRunner, tmp_path: Path, write_xlsx: WriteXlsx
) -> None:
    plants = write_xlsx([["甲厂", "1#", "水泥熟料", None, 105, "kgce/t", 1, None, 2024, "河北"]])
    cases = [
        (["catalogue", "show", "cemnt"], "未知领域 'cemnt'；是否指 cement_clinker？"),
        (["explain", "E999"], "未知代码 'E999'；`benchmark explain` 可列出全部代码"),
        (["grade", str(plants), "-o", str(plants)], "拒绝覆盖输入文件"),
        (["grade", str(plants), "-f", "xlsx"], "--format xlsx 需要输出文件：-o grade.xlsx"),
        (["grade", str(plants), "--year", "2019"], "没有 2019 年的数据行；现有年份：2024"),
        (["--as-of", "2026-13-01", "grade", str(plants)], "'2026-13-01' 不是日期"),
        (
            ["catalogue", "show", "尿素"],
            "尿素（Urea）不在本目录中（2021 年版，发改产业〔2021〕1609号）",
        ),
    ]
    for args, chinese in cases:
        result = runner.invoke(app, ["--lang", "zh", *args])
        assert result.exit_code in (1, 2) and chinese in result.output, (args, result.output)
        english = runner.invoke(app, ["--lang", "en", *args])
        assert english.exit_code == result.exit_code
        # Chinese in English output is the user's own (an area they typed, a document's name)
        assert not re.search("错误|未知|不是|没有|：|；", english.output), args


def test_a_configuration_error_is_said_in_chinese_around_pydantics_words(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "benchmark.toml").write_text('format = "x"\nnope = 1\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    zh = runner.invoke(app, ["--lang", "zh", "explain", "E104"])
    assert zh.exit_code == 0  # explain needs no configuration
    zh = runner.invoke(app, ["--lang", "zh", "validate", str(ROOT / "examples" / "plant.xlsx")])
    assert zh.exit_code == 2
    assert "benchmark.toml：配置有误：format: Value error, 未知格式 'x'；可用格式：" in zh.output
    assert "；nope: Extra inputs are not permitted" in zh.output  # pydantic's own words
    en = runner.invoke(app, ["--lang", "en", "validate", str(ROOT / "examples" / "plant.xlsx")])
    assert "benchmark.toml: bad configuration: format: Value error, unknown format 'x'" in en.output

"""Reports for people in the reader's language, machine formats in none: the same bytes under
``--lang zh`` and ``--lang en``; Chinese headings, tiers, names and sentences where people
read; every word through gettext."""

from __future__ import annotations

import ast
import copy
import json
import os
import pickle
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from benchmark.cli import app
from benchmark.i18n import Msg, Said, say

from .conftest import ROOT, benchmark_script
from .helpers_reports import BAD_ROWS, GOOD_ROWS, Page, write_plants

AS_OF = "2026-11-30"  # after the deadline: the sentences that say it has passed


@pytest.fixture(scope="module")
def plants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_plants(tmp_path_factory.mktemp("in") / "plants.xlsx", GOOD_ROWS + BAD_ROWS)


def run(lang: str, *args: str) -> Any:
    return CliRunner().invoke(app, ["--no-config", "--lang", lang, "--as-of", AS_OF, *args])


MACHINE = [
    ("grade", "json"),
    ("grade", "jsonl"),
    ("grade", "csv"),
    ("grade", "github"),
    ("grade", "junit"),
    ("validate", "json"),
    ("validate", "github"),
    ("validate", "junit"),
    ("track", "json"),
    ("track", "csv"),
    ("lists", "json"),
    ("lists", "csv"),
]


@pytest.mark.parametrize(("command", "fmt"), MACHINE)
def test_machine_formats_are_the_same_bytes_in_every_language(
    plants: Path, command: str, fmt: str
) -> None:
    zh = run("zh", command, str(plants), "-f", fmt)
    en = run("en", command, str(plants), "-f", fmt)
    assert zh.exit_code == en.exit_code == 1  # the bad rows
    assert zh.stdout_bytes == en.stdout_bytes
    assert zh.stdout_bytes  # something was written


def test_json_keeps_english_sentences_that_people_read_in_chinese(plants: Path) -> None:
    doc = json.loads(run("zh", "grade", str(plants), "-f", "json").stdout)
    scope = doc["summary"]["scope"]["text"]
    deadline = doc["summary"]["deadlines"][0]["text"]
    assert scope.startswith("Latest year of each line: 2023 for 12 lines")
    assert deadline.startswith("The deadline 2025-12-31 has passed")
    md = run("zh", "grade", str(plants), "-f", "markdown").stdout
    assert "各生产线最近年份：2023年 12 条生产线。" in md
    assert "期限 2025-12-31 已过" in md and "The deadline" not in md


def test_markdown_in_chinese_names_and_words(plants: Path) -> None:
    md = run("zh", "grade", str(plants), "-f", "markdown").stdout
    head = next(line for line in md.splitlines() if line.startswith("| 企业名称"))
    assert head.split(" | ")[:5] == ["| 企业名称", "生产线", "年份", "类别", "能效值"]
    assert "能效水平" in head and "与标杆差距" in head and "节能潜力（吨标准煤）" in head
    assert "| 离子膜法液碱≥30% |" in md and "liquid_30" not in md
    assert "| 基准–标杆 |" in md and "below_baseline" not in md and "| 已核实 |" in md
    assert "## 烧碱（kgce/t）" in md and "## 按领域汇总" in md and "| **合计** |" in md
    assert "| 错误 |" in md  # the problems' severity


def test_html_in_chinese(plants: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert run("zh", "grade", str(plants), "-o", str(out)).exit_code == 1
    page = Page(out.read_text(encoding="utf-8"))
    assert page.find("html", lang="zh-CN")
    heads = page.rows["results"][0]
    assert heads[:3] == ["企业名称", "生产线", "地区"] and "能效水平" in heads
    words = " ".join("".join(page.text).split())
    assert "能效标杆与基准水平评估" in words and "按领域汇总" in words
    assert "基准水平以下产能改造升级期限" in words and "期限 2025-12-31 已过" in words
    english = tmp_path / "e.html"
    run("en", "grade", str(plants), "-o", str(english))
    assert Page(english.read_text(encoding="utf-8")).find("html", lang="en")


def test_xlsx_in_english_and_chinese(plants: Path, tmp_path: Path) -> None:
    for lang, headings, tier in (
        ("zh", ["企业名称", "生产线"], "低于基准"),
        ("en", ["Enterprise", "Line"], "below baseline"),
    ):
        out = tmp_path / f"{lang}.xlsx"
        assert run(lang, "grade", str(plants), "-o", str(out)).exit_code == 1
        ws = openpyxl.load_workbook(out)["Results"]
        assert [c.value for c in ws[2]][3:5] == headings
        fields = [c.value for c in ws[1]]
        assert fields[3:5] == ["enterprise", "line"]  # the same names whatever the language
        tiers = {r[fields.index("tier")] for r in ws.iter_rows(min_row=3, values_only=True)}
        assert tier in tiers


def test_track_and_lists_for_people(plants: Path) -> None:
    track = run("zh", "track", str(plants), "-f", "markdown").stdout
    assert "# 能效水平逐年跟踪" in track and "## 分年份标杆产能占比" in track
    lists = run("en", "lists", str(plants), "-f", "markdown").stdout
    assert "# List of lines at or above the benchmark level (advanced)" in lists
    assert "| No. | Enterprise | Located in |" in lists
    catalogue = CliRunner().invoke(app, ["--lang", "zh", "catalogue", "--format", "markdown"])
    assert "| 领域 | 类别 | 单位 | 标杆水平 | 基准水平 |" in catalogue.stdout
    assert "| 已核实 |" in catalogue.stdout


@pytest.mark.parametrize("fmt", ["table", "html"])
def test_a_chinese_locale_in_a_real_process(plants: Path, tmp_path: Path, fmt: str) -> None:
    """``LANG=zh_CN.UTF-8`` and no --lang: the report a Chinese official opens."""
    args = [benchmark_script(), "--no-config", "--as-of", AS_OF, "grade", str(plants)]
    out = tmp_path / "r.html"
    args += ["-o", str(out)] if fmt == "html" else []
    env = {"PATH": os.environ["PATH"], "LANG": "zh_CN.UTF-8", "COLUMNS": "100"}
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    if fmt == "html":  # the text of the page, not its style sheet
        text = "".join(Page(out.read_text(encoding="utf-8").split("</style>")[1]).text)
    else:
        text = proc.stdout
    assert "能效水平" in text and "节能潜力" in text and "（吨标准煤）" in text
    assert "低于基准" in text and "below_baseline" not in text  # what a reader sees


def test_a_said_sentence_is_english_text_that_keeps_its_message() -> None:
    said = Said(Msg("{n} lines", n="3"))
    assert said == "3 lines" and json.dumps({"t": said}) == '{"t": "3 lines"}'
    for copied in (copy.deepcopy(said), pickle.loads(pickle.dumps(said))):
        assert isinstance(copied, Said) and say(copied, "zh") == "3 条生产线"
    assert say("plain", "zh") == "plain"


def _fstring_calls(path: Path) -> list[int]:
    """Lines where ``_()`` is called inside an f-string: gettext's extraction skips those,
    so the text would never be translated."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("_", "N_", "Msg")
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):
                    found.append(inner.lineno)
    return found


def test_no_message_is_hidden_from_extraction_in_an_f_string() -> None:
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "src" / "benchmark").rglob("*.py"))
        if (lines := _fstring_calls(path))
    }
    assert offenders == {}

"""`benchmark statement FILES -o DIR`: one print-ready page per enterprise, named after it
safely, written atomically; through the real CLI, and its Python twin."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmark import i18n
from benchmark.catalogue import Catalogue
from benchmark.cli import app
from benchmark.pipeline import check_files
from benchmark.report import build_report
from benchmark.report.statement import MAX_NAME_BYTES, file_names, safe_name, statements
from benchmark.report.svg import GAUGE_W

from .conftest import WriteXlsx, benchmark_script
from .helpers_reports import SCRIPT, Page

AS_OF = "2025-06-30"
ROWS: list[list[Any]] = [
    ["冀东水泥", "1#窑", "水泥熟料", None, 98.5, None, 1_200_000, 1_500_000, 2024, "河北"],
    ["冀东水泥", "2#窑", "水泥熟料", None, 112.0, None, 1_180_000, 1_500_000, 2024, "河北"],
    ["冀东水泥", "2#窑", "水泥熟料", None, 121.0, None, 1_180_000, 1_500_000, 2023, "河北"],
    ["宝钢", "转炉1", "转炉", None, -35, None, 3_000_000, 3_500_000, 2024, "上海"],
    ["A/B", "L1", "烧碱", "离子膜法液碱≥30%", 340, None, 300_000, 350_000, 2024, "天津"],
    ["A_B", "L1", "烧碱", "离子膜法液碱≥30%", 360, None, 300_000, 350_000, 2024, "天津"],
    [SCRIPT, "X", "电解铝", None, 13_200, "kWh/t", 400_000, 500_000, 2024, "河南"],
]


@pytest.fixture
def plants(write_xlsx: WriteXlsx) -> Path:
    return write_xlsx(ROWS)


def run(*args: str, lang: str = "zh") -> Any:
    return CliRunner().invoke(app, ["--no-config", "--lang", lang, "--as-of", AS_OF, *args])


def test_a_page_per_enterprise_with_everything_an_auditor_signs(
    plants: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    out = tmp_path / "statements"
    result = run("statement", str(plants), "-o", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 5 and "冀东水泥.html" in names and "宝钢.html" in names
    assert not [n for n in names if n.startswith(".")]  # no temporary file left behind
    assert "5" in result.stdout and str(out) in result.stdout
    text = (out / "冀东水泥.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.find("html", lang="zh-CN")
    assert "能效水平评估证明" in text and "冀东水泥" in text
    lines = page.rows["lines"][1:]
    # Every year of each line, oldest first.
    assert [(r[0], r[1]) for r in lines] == [("1#窑", "2024"), ("2#窑", "2023"), ("2#窑", "2024")]
    assert [r[3:6] for r in lines] == [
        ["98.5", "100", "117"],
        ["121", "100", "117"],
        ["112", "100", "117"],
    ]
    assert [r[6] for r in lines] == ["标杆", "低于基准", "基准–标杆"]
    assert lines[2][7].startswith("+12") and lines[2][10] == "14,160"  # gap, saving in tce
    assert lines[1][11].startswith("期限未到")  # below the baseline in 2023, deadline ahead
    assert lines[2][11] == "–"
    assert len(page.find("svg", class_="gauge")) == 3  # a chart per line
    meta = dict((r[0], r[1]) for r in page.rows["meta"])
    assert meta["文号"] == catalogue.document and meta["目录 sha256"] == catalogue.sha256
    assert meta["报告日期"] == AS_OF and meta["版本"] == catalogue.edition
    assert "2025-12-31（截至报告日期未到）" in meta["基准水平以下产能改造升级期限"]
    sources = page.rows["sources"][1:]
    (clinker,) = catalogue.area("cement_clinker").levels
    assert sources == [["水泥熟料", "100", "117", "kgce/t", "已核实", clinker.source]]
    assert "审核人" in text and "日期" in text  # room for a signature
    assert "@page{size:A4 landscape" in text


def test_names_collide_told_apart_and_markup_escaped(plants: Path, tmp_path: Path) -> None:
    out = tmp_path / "s"
    assert run("statement", str(plants), "-o", str(out)).exit_code == 0
    names = {p.name for p in out.iterdir()}
    ab = sorted(n for n in names if n.startswith("A_B"))
    assert len(ab) == 2 and all(re.fullmatch(r"A_B-[0-9a-f]{8}\.html", n) for n in ab)
    evil = next(n for n in names if "script" in n)
    assert "/" not in evil and "<" not in evil and ">" not in evil
    text = (out / evil).read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_converter_and_kwh_levels_chart_in_the_picture(plants: Path, tmp_path: Path) -> None:
    out = tmp_path / "s"
    run("statement", str(plants), "-o", str(out))
    for name in ("宝钢.html", next(p.name for p in out.iterdir() if "script" in p.name)):
        svg = re.search(r"<svg[^>]*class=\"gauge\".*?</svg>", (out / name).read_text("utf-8"), re.S)
        assert svg is not None
        xs = [float(x) for x in re.findall(r'(?:cx|x1|x)="(-?[\d.]+)"', svg.group(0))]
        assert xs and all(0 <= x <= GAUGE_W for x in xs)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_python_twin_speaks_the_language_in_use(
    plants: Path, catalogue: Catalogue, lang: i18n.Language
) -> None:
    checked = check_files([str(plants)], catalogue, grade=True)
    report = build_report(checked, catalogue, graded=checked.frame, as_of=dt.date(2025, 6, 30))
    i18n.use(lang)
    pages = statements(report)
    assert set(pages) == set(file_names(checked.frame["enterprise"].unique()).values())
    word = "Statement of energy-efficiency performance" if lang == "en" else "能效水平评估证明"
    assert all(word in page for page in pages.values())
    assert ("Reviewed by" in pages["宝钢.html"]) == (lang == "en")


def test_output_folder_refused_when_a_file_or_an_input(plants: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "taken.txt"
    a_file.write_text("x", encoding="utf-8")
    refused = run("statement", str(plants), "-o", str(a_file), lang="en")
    assert refused.exit_code == 2 and "is a file" in refused.output
    in_chinese = run("statement", str(plants), "-o", str(a_file))
    assert in_chinese.exit_code == 2 and "这是文件而不是文件夹" in in_chinese.output
    assert a_file.read_text(encoding="utf-8") == "x"
    folder = plants.parent
    before = sorted(p.name for p in folder.iterdir())
    into_input = run("statement", str(folder), "-o", str(folder), lang="en")
    assert into_input.exit_code == 2 and "input folder" in into_input.output
    assert sorted(p.name for p in folder.iterdir()) == before
    made = run("statement", str(plants), "-o", str(tmp_path / "new" / "deeper"))
    assert made.exit_code == 0 and len(list((tmp_path / "new" / "deeper").iterdir())) == 5


def test_errors_fail_the_run_and_are_said(write_xlsx: WriteXlsx, tmp_path: Path) -> None:
    bad = write_xlsx([*ROWS[:1], ["坏", "X", "水泥熟料", None, "abc", None, 1, 1, 2024, None]])
    result = run("statement", str(bad), "-o", str(tmp_path / "s"))
    assert result.exit_code == 1 and "E104" in result.output
    assert [p.name for p in (tmp_path / "s").iterdir()] == ["冀东水泥.html"]


def test_a_real_process_in_a_chinese_locale(plants: Path, tmp_path: Path) -> None:
    out = tmp_path / "s"
    env = {"PATH": os.environ["PATH"], "LANG": "zh_CN.UTF-8"}
    proc = subprocess.run(
        [benchmark_script(), "--no-config", "statement", str(plants), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "已将 5 份证明写入" in proc.stdout
    assert "能效水平评估证明" in (out / "宝钢.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("冀东水泥", "冀东水泥"),
        ("a/b\\c", "a_b_c"),
        ('x<>:"|?*y', "x_______y"),
        ("tab\there\x00nul", "tab here nul"),
        ("evil\u202eabc", "evil abc"),
        ("..", "enterprise"),
        (". 0", "0"),
        ("../../etc/passwd", "_.._etc_passwd"),
        (" trailing dot. ", "trailing dot"),
        ("CON", "_CON"),
        ("com1.txt", "_com1.txt"),
        ("", "enterprise"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


@given(st.text(max_size=300))
def test_any_name_is_a_file_name_on_every_system(name: str) -> None:
    safe = safe_name(name)
    assert safe and len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    assert not re.search(r'[<>:"/\\|?*\x00-\x1f\x7f]', safe)
    assert safe == safe.strip() and not safe.startswith(".") and not safe.endswith(".")
    assert safe.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


@given(st.lists(st.text(max_size=40), max_size=12, unique=True))
def test_different_enterprises_never_share_a_file(names: list[str]) -> None:
    files = file_names(names)
    assert len({f.casefold() for f in files.values()}) == len(names)
    assert all(f.endswith(".html") for f in files.values())

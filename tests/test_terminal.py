"""The terminal report at 80, 100 and 160 columns (and narrower): every figure whole, every
category told apart, empty columns left out, long names wrapped — never ``14,1…``.

Rendered as a terminal of each width renders it (rich ``Console(width=…, record=True)``), on a
real workbook with the figures that broke the old layout: six-digit savings, negative levels,
kWh values, three caustic-soda categories that begin alike, a long enterprise name."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console

from benchmark import i18n
from benchmark.catalogue import Catalogue
from benchmark.pipeline import check_files
from benchmark.report import build_report
from benchmark.report.model import Report
from benchmark.report.terminal import Col, Grid, cards, fitted, needed_width, stacked, table
from benchmark.report.text import render_grade

from .conftest import WriteXlsx, benchmark_script

LONG_NAME = "Hebei Jidong Heidelberg Cement Group Company Limited Number Two Works"
ROWS: list[list[Any]] = [
    [LONG_NAME, "2#窑", "水泥熟料", None, 112.0, None, 1_180_000, 1_500_000, 2024, "河北"],
    ["冀东水泥", "1#窑", "水泥熟料", None, 98.5, None, 1_200_000, 1_500_000, 2024, "河北"],
    ["氯碱甲", "L1", "烧碱", "离子膜法液碱≥30%", 340, None, 300_000, 350_000, 2024, "天津"],
    ["氯碱乙", "L2", "烧碱", "离子膜法液碱≥45%", 455, None, 250_000, 300_000, 2024, "天津"],
    ["氯碱丙", "L3", "烧碱", "离子膜法固碱≥98%", 700, None, 280_000, 300_000, 2024, "天津"],
    ["宝钢", "转炉1", "转炉", None, -35, None, 3_000_000, 3_500_000, 2024, "上海"],
    ["宝钢", "转炉2", "转炉", None, -5, None, 9_300_000, 9_500_000, 2024, "上海"],
    ["中铝", "电解1", "电解铝", None, 13_200, "kWh/t", 400_000, 500_000, 2024, "河南"],
]
WIDTHS = (80, 100, 160)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Report:
    import openpyxl

    from .conftest import HEADER_ZH

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER_ZH)
    for row in ROWS:
        ws.append(row)
    path = tmp_path_factory.mktemp("terminal") / "plants.xlsx"
    wb.save(path)
    checked = check_files([str(path)], catalogue, grade=True)
    assert not checked.problems
    return build_report(checked, catalogue, graded=checked.frame, as_of=dt.date(2025, 6, 30))


def render(report: Report, width: int, lang: i18n.Language) -> str:
    i18n.use(lang)
    with open(os.devnull, "w") as sink:
        console = Console(width=width, record=True, color_system=None, file=sink)
        render_grade(console, report)
        return console.export_text()


def figures(report: Report) -> list[str]:
    """Each graded line's value, gap and saving as a reader reads them: one decimal,
    thousands separated, the gap signed."""
    out = []
    for r in report.graded.to_dict("records"):
        out += [f"{r['value']:,.1f}", f"{r['gap_to_benchmark']:+,.1f}"]
        out.append(f"{r['saving_to_benchmark_tce']:,.1f}")
    return out


def whole(text: str, figure: str) -> bool:
    """``figure`` stands in ``text`` with no digit, sign or separator glued to either end."""
    return re.search(rf"(?<![\d.,+-]){re.escape(figure)}(?![\d.,])", text) is not None


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_every_figure_whole_and_every_category_told_apart(
    report: Report, width: int, lang: i18n.Language
) -> None:
    out = render(report, width, lang)
    assert "…" not in out  # nothing cut: 14,1… and 离子膜法… are what this prevents
    assert max(cell_len(line) for line in out.splitlines()) <= width  # 中 is two columns
    for figure in figures(report):
        assert whole(out, figure), (width, lang, figure)
    assert whole(out, "232,500.0")  # the converter: 25 kgce/t over 9.3 Mt, in tce
    names = (
        ["离子膜法液碱≥30%", "离子膜法液碱≥45%", "离子膜法固碱≥98%"]
        if lang == "zh"
        else [
            "Ion-membrane liquid caustic soda ≥30%",
            "Ion-membrane liquid caustic soda ≥45%",
            "Ion-membrane solid caustic soda ≥98%",
        ]
    )
    flat = " ".join(out.split())
    for name in names:
        assert name in flat or name in out.replace("\n", ""), (width, name)


def test_the_words_follow_the_language(report: Report) -> None:
    zh = render(report, 160, "zh")
    assert "企业名称" in zh and "能效水平" in zh and "与标杆差距" in zh and "节能潜力" in zh
    assert "基准–标杆" in zh and "低于基准" in zh and "below_baseline" not in zh
    en = render(report, 160, "en")
    assert "Enterprise" in en and "below baseline" in en and "below_baseline" not in en
    assert "cement_clinker" not in en and "caustic_soda" not in en  # names, not ids


@pytest.mark.parametrize("width", WIDTHS)
def test_a_long_name_wraps_whole(report: Report, width: int) -> None:
    out = render(report, width, "en")
    cells = [line.split("│")[1].strip() for line in out.splitlines() if line.count("│") > 2]
    first_column = " ".join(c for c in cells if c)
    assert LONG_NAME in first_column or LONG_NAME in " ".join(out.split()), width


def test_layouts_by_width(report: Report) -> None:
    """Wide: the levels in every row; narrower: a table per category, its levels in the
    title; the narrowest: a card per line."""
    wide = render(report, 160, "en")
    assert "Benchmark" in wide and "Category" in wide
    narrow = render(report, 80, "en")
    assert "benchmark level 315.0, baseline level 350.0" in " ".join(narrow.split())
    tiny = render(report, 44, "en")
    assert "┃" not in tiny.split("Summary by area")[0]  # cards, no table before the summary
    for figure in figures(report):
        assert whole(tiny, figure), figure


def test_empty_columns_are_left_out(write_xlsx: WriteXlsx, catalogue: Catalogue) -> None:
    """No line, no category, no output: their columns would only take room."""
    path = write_xlsx(
        [["冀东水泥", None, "水泥熟料", None, 112.0, None, None, None, 2024, None]],
        name="bare.xlsx",
    )
    checked = check_files([str(path)], catalogue, grade=True)
    report = build_report(checked, catalogue, graded=checked.frame, as_of=dt.date(2025, 6, 30))
    out = render(report, 160, "zh")
    table_part = out.split("按领域汇总")[0]
    assert "生产线" not in table_part and "类别" not in table_part
    assert "节能潜力" not in table_part  # no output, no saving
    assert "112.0" in table_part and "+12.0" in table_part


def test_the_grid_measures_what_it_keeps_whole() -> None:
    grid = Grid([Col("Enterprise", title=True), Col("Saving (tce)", "figure")])
    grid.add("A", "1,234,567.8")
    grid.add("B", "–")
    assert needed_width(grid) == 1 + (8 + 3) + (11 + 3)
    assert stacked("节能潜力（吨标准煤）", 11) == "节能潜力\n（吨标准煤）"
    assert stacked("Gap to benchmark", 9) == "Gap to\nbenchmark"
    empty = Grid([Col("Line"), Col("Value", "figure")])
    empty.add("", "1.0")
    assert [c.heading for c in empty.without_empty_columns().columns] == ["Value"]
    (only,) = fitted([[(grid, "t")]], 25)
    assert not hasattr(only, "columns")  # 25 columns are too few for the table: cards
    assert fitted([[(grid, "t")]], 40)[0].__class__ is table(grid).__class__
    assert cards(grid).renderables  # a card per row


def test_a_real_terminal_session_in_chinese(tmp_path: Path, write_xlsx: WriteXlsx) -> None:
    """``LANG=zh_CN.UTF-8`` in a real process: Chinese words, and at 80 columns every
    figure of the JSON output appears whole in the table."""
    path = write_xlsx(ROWS, name="plants.xlsx")
    env = {"PATH": os.environ["PATH"], "LANG": "zh_CN.UTF-8", "COLUMNS": "80"}
    args = [benchmark_script(), "--no-config", "--as-of", "2025-06-30", "grade", str(path)]
    doc = json.loads(
        subprocess.run([*args, "-f", "json"], capture_output=True, text=True, env=env).stdout
    )
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    # Not a terminal, but COLUMNS says 80: the text is laid out at 80 columns, in Chinese.
    assert "能效水平" in proc.stdout and "按领域汇总" in proc.stdout and "…" not in proc.stdout
    assert max(cell_len(line) for line in proc.stdout.splitlines()) <= 80
    for r in doc["results"]:
        assert whole(proc.stdout, f"{r['saving_to_benchmark_tce']:,.1f}")
    del env["COLUMNS"]  # a pipe and no COLUMNS: the pipe width
    wide = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert 80 < max(cell_len(line) for line in wide.stdout.splitlines()) <= 160

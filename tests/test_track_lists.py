"""`benchmark track` and `benchmark lists` in every format, through the real CLI, on the
five-line 2021–2026 workbook of :mod:`tests.years_workbook`."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from benchmark.cli import app
from benchmark.contract import ListsDocument, TrackDocument
from benchmark.report.track import sparkline

from . import years_workbook
from .conftest import benchmark_script
from .helpers_reports import FORMULA, SCRIPT, Page

LATE, EARLY = "2026-11-30", "2025-06-30"
ADVANCED, LAGGING = "能效标杆水平以上（先进）清单", "能效基准水平以下（落后）清单"
PUBLISHED = [
    "序号",
    "企业名称",
    "所在地区",
    "生产线/装置",
    "领域",
    "类别",
    "能效值",
    "单位",
    "标杆水平",
    "基准水平",
    "产能",
    "数据年份",
]


@pytest.fixture
def plants(tmp_path: Path) -> Path:
    return years_workbook.write(tmp_path / "plants_2021-2026.xlsx")


def invoke(command: str, path: Path, *args: str, as_of: str = LATE, lang: str = "en") -> Any:
    return CliRunner().invoke(
        app, ["--no-config", "--lang", lang, "--as-of", as_of, command, str(path), *args]
    )


def track_doc(path: Path, as_of: str = LATE) -> dict[str, Any]:
    result = invoke("track", path, "-f", "json", as_of=as_of)
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    TrackDocument.model_validate(doc)
    return doc


def sheet(path: Path, name: str) -> Worksheet:
    ws = openpyxl.load_workbook(path)[name]
    assert isinstance(ws, Worksheet)
    return ws


# --------------------------------------------------------------------------- track


def test_track_json_follows_each_line(plants: Path) -> None:
    doc = track_doc(plants)
    assert set(doc) == {"schema_version", "catalogue", "as_of", "lines", "by_year", "problems"}
    assert doc["as_of"] == LATE and doc["problems"] == []
    lines = years_workbook.by_line(doc["lines"])
    assert {k: r["latest_tier"] for k, r in lines.items()} == {
        "A": "between",
        "B": "between",
        "C": "between",
        "D": "below_baseline",
        "E": "benchmark",
    }
    assert {k: r["trend"] for k, r in lines.items()} == {
        "A": "improving",
        "B": "worsening",
        "C": "steady",
        "D": "improving",
        "E": "improving",
    }
    assert {k: r["deadline_status"] for k, r in lines.items()} == {
        "A": "met",
        "B": "missed",
        "C": None,
        "D": "unknown",
        "E": "met",
    }
    assert lines["E"]["years"] == [None, 2024, 2025]
    assert lines["E"]["values"] == [-8.0, -25.0, -31.0]
    assert lines["A"]["change_per_year"] == -4.0
    assert (lines["D"]["projected_baseline_year"], lines["D"]["projected_benchmark_year"]) == (
        2028,
        2034,
    )
    assert lines["B"]["reached_benchmark_in"] == 2021
    cement_2021 = next(
        r for r in doc["by_year"] if r["area"] == "cement_clinker" and r["year"] == 2021
    )
    # B (capacity 300) at benchmark of A 100 + B 300 + C 100.
    assert cement_2021["share_at_benchmark"] == pytest.approx(0.6)
    assert cement_2021["target_share"] == 0.3
    early = years_workbook.by_line(track_doc(plants, EARLY)["lines"])
    assert early["D"]["deadline_status"] == "open"  # the deadline is still ahead


def test_schema_track_and_lists(plants: Path) -> None:
    runner = CliRunner()
    for document, field in (("track", "by_year"), ("lists", "lagging")):
        result = runner.invoke(app, ["schema", document])
        assert result.exit_code == 0
        assert field in json.loads(result.stdout)["properties"]


def test_sparkline_is_scaled_between_levels_and_values() -> None:
    # 125 … 105 against benchmark 100: (v − 100) / 25 × 7 blocks up.
    assert sparkline([125, 121, 117, 113, 109, 105], 100, 125) == "█▇▆▅▄▂"
    assert sparkline([None, 5.0], 0, 10) == " ▅"
    assert sparkline([3.0, 3.0], 3.0, 3.0) == "▄▄"


def test_track_table(plants: Path) -> None:
    result = invoke("track", plants)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Cement clinker (kgce/t)" in out and "Steelmaking (kgce/t)" in out
    assert "█▇▆▅▄▂" in out  # A: 125 down to 105
    assert "Share at benchmark by year" in out and "60.0%" in out
    assert "Reporting date (as of): 2026-11-30." in out
    assert "1 line was still below baseline in 2025" in " ".join(out.split())
    zh = " ".join(invoke("track", plants, lang="zh").stdout.split())
    assert "水泥熟料（kgce/t）" in zh and "分年份标杆产能占比" in zh
    assert "报告日期：2026-11-30。" in zh and "1 条生产线（2025）仍低于基准水平" in zh


def test_track_csv_one_row_per_line(plants: Path) -> None:
    result = invoke("track", plants, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5
    steel = next(r for r in rows if r["enterprise"] == "企业丙")
    assert (steel["years"], steel["values"], steel["tiers"]) == (
        ";2024;2025",
        "-8;-25;-31",
        "below_baseline;between;benchmark",
    )
    assert steel["deadline_status"] == "met" and steel["latest_value"] == "-31"


def test_track_markdown(plants: Path) -> None:
    out = invoke("track", plants, "-f", "markdown").stdout
    assert "## Share at benchmark by year" in out
    assert "| Cement clinker |  | 60.0% | 20.0% |" in out
    assert "125 → 121 → 117 → 113 → 109 → 105" in out
    assert "Reporting date (as of): 2026-11-30." in out


def test_track_xlsx(plants: Path, tmp_path: Path) -> None:
    out = tmp_path / "track.xlsx"
    result = invoke("track", plants, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["Lines", "By year", "Charts"]
    ws = sheet(out, "Lines")
    assert "2026-11-30" in str(ws["A2"].value)
    header = [c.value for c in ws[5]]
    assert header[8:15] == ["undated", "2021", "2022", "2023", "2024", "2025", "2026"]
    body = {(r[0].value, r[1].value): r for r in ws.iter_rows(min_row=6)}
    b = body[("企业甲", "2#窑")]
    assert [c.value for c in b[9:15]] == [98, 99, 101, 103, 118, 116]
    assert b[13].fill.fgColor.rgb.endswith("FFC7CE")  # 2025: below the baseline, red
    assert b[9].fill.fgColor.rgb.endswith("C6EFCE")  # 2021: at benchmark, green
    assert body[("企业丙", "1#转炉")][8].value == -8  # the undated figure
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref
    by_year = sheet(out, "By year")
    cement = [r for r in by_year.iter_rows(min_row=6, values_only=True) if r[1] == "Cement clinker"]
    assert [r[0] for r in cement] == [2021, 2022, 2023, 2024, 2025, 2026]
    assert cement[0][6] == pytest.approx(0.6) and cement[0][8] == 0.3
    assert len(sheet(out, "Charts")._charts) == 2  # a chart per area


def test_track_html(tmp_path: Path) -> None:
    extra = [[SCRIPT, "X", "水泥熟料", None, 100, None, 1000, 10, 2025, "河北"]]
    plants = years_workbook.write(tmp_path / "plants.xlsx", extra)
    out = tmp_path / "track.html"
    assert invoke("track", plants, "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert not page.find("script") and "&lt;script&gt;" in text
    charts = page.find("svg", class_="chart")
    # Per area: shares by year against the target, and the lines against their levels.
    assert len(charts) == 4
    assert len(page.find("svg", class_="spark")) == 6
    assert len(page.find("line", class_="target")) == 2
    assert ["Reporting date (as of)", "2026-11-30"] in page.rows["meta"]
    words = " ".join("".join(page.text).split())
    assert "2 lines were still below baseline in 2025" not in words  # one line is
    assert "1 line was still below baseline in 2025" in words


#: Words of the area-year tables, by language.
AREA_NAMES = {
    "en": {"cement_clinker": "Cement clinker", "steelmaking": "Steelmaking"},
    "zh": {"cement_clinker": "水泥熟料", "steelmaking": "炼钢"},
}
VERDICTS = {"en": {True: "yes", False: "no"}, "zh": {True: "是", False: "否"}}
UNDATED = {"en": "undated", "zh": "无年份"}
TIERS_TITLE = {"en": "Tiers by area and year", "zh": "分领域、分年份能效水平分布"}


def expected_area_years(
    path: Path, lang: str, to_check: bool = False
) -> dict[tuple[str, str], list[str]]:
    """The JSON's ``by_year`` as the reports for people should show it: per (area name,
    year label), the cells after the area (year, rows, tiers, share, target, verdict)."""
    out = {}
    for r in track_doc(path)["by_year"]:
        year = UNDATED[lang] if r["year"] is None else str(r["year"])
        tiers = [r["benchmark"], r["between"], r["below_baseline"]]
        checked = [r["rows"] - sum(tiers)] if to_check else []
        share = r["share_at_benchmark"]
        out[(AREA_NAMES[lang][r["area"]], year)] = [
            year,
            str(r["rows"]),
            *(str(n) for n in tiers + checked),
            f"{share * 100:.1f}%",
            f"{r['target_share'] * 100:.1f}%",
            VERDICTS[lang][share >= r["target_share"]],
        ]
    return out


def markdown_area_years(text: str, lang: str) -> dict[tuple[str, str], list[str]]:
    """The rows of the Markdown's area-year table, by (area, year)."""
    section = text.split(f"## {TIERS_TITLE[lang]}\n\n", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("| ").split(" | ") for line in section.splitlines()[2:]]
    return {(r[0], r[1]): r[1:] for r in rows}


def terminal_rows(text: str) -> list[list[str]]:
    """The cells of every body row of the terminal's tables (rich's box characters)."""
    return [
        [c.strip() for c in line.strip().strip("│").split("│")]
        for line in text.splitlines()
        if line.startswith("│")
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_track_markdown_counts_tiers_by_area_and_year(plants: Path, lang: str) -> None:
    """Per area and year: rows, tiers, share at benchmark, the area's target and whether it is
    met, in words — the JSON's ``by_year``, in the reader's language."""
    want = expected_area_years(plants, lang)
    out = invoke("track", plants, "-f", "markdown", lang=lang).stdout
    assert markdown_area_years(out, lang) == want
    assert want[(AREA_NAMES[lang]["cement_clinker"], "2021")][-1] == VERDICTS[lang][True]
    assert want[(AREA_NAMES[lang]["cement_clinker"], "2022")][-1] == VERDICTS[lang][False]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_track_table_counts_tiers_by_area_and_year(plants: Path, lang: str) -> None:
    """Wide, one table with an area column; at 80 columns a table per area, the target in its
    title where the column does not fit. Either way every count is the JSON's, and the verdict
    a word (no colour reaches a pipe)."""
    want = expected_area_years(plants, lang)
    args = ["--no-config", "--lang", lang, "--as-of", LATE, "track", str(plants)]
    wide = CliRunner().invoke(app, args, env={"COLUMNS": "160", "NO_COLOR": "1"}).stdout
    found = {(r[0], r[1]): r[1:] for r in terminal_rows(wide) if (r[0], r[1]) in want}
    assert found == want
    narrow = CliRunner().invoke(app, args, env={"COLUMNS": "80", "NO_COLOR": "1"}).stdout
    area = None
    seen = {}
    for line in narrow.splitlines():
        name = next((n for n in AREA_NAMES[lang].values() if line.startswith(n)), None)
        if name is not None:
            area = name
        elif line.startswith("│") and area is not None:
            cells = terminal_rows(line)[0]
            if (area, cells[0]) in want and len(cells) in (7, 8):
                seen[(area, cells[0])] = cells
    assert set(seen) == set(want)
    for key, cells in seen.items():
        full = want[key]
        assert cells in (full, full[:-2] + full[-1:]), key  # the target in the title
    assert max(len(line) for line in narrow.splitlines()) <= 80


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_track_html_counts_tiers_by_year_in_each_area(tmp_path: Path, lang: str) -> None:
    """The page has a table of each area's years beside its chart, not the chart alone."""
    plants = years_workbook.write(tmp_path / "plants.xlsx")
    want = expected_area_years(plants, lang)
    out = tmp_path / "track.html"
    assert invoke("track", plants, "-o", str(out), lang=lang).exit_code == 0
    rows = Page(out.read_text(encoding="utf-8")).rows["results by-year"]
    heading = rows[0]
    tables: list[list[list[str]]] = []
    for row in rows:
        if row == heading:
            tables.append([])
        else:
            tables[-1].append(row)
    areas = list(dict.fromkeys(area for area, _year in want))
    assert len(tables) == len(areas)
    found = {(area, r[0]): r for area, table in zip(areas, tables, strict=True) for r in table}
    assert found == want


def test_track_tiers_by_year_show_the_rows_to_check(tmp_path: Path) -> None:
    """A value to check (0.118 kgce/t, a tce/t slip) is in ``rows`` and in no tier: the
    area-year table gives it a column of its own, so the counts add up."""
    extra = [["企业丁", "1#窑", "水泥熟料", None, 0.118, None, 1000, 900, 2024, "河北"]]
    plants = years_workbook.write(tmp_path / "check.xlsx", extra)
    want = expected_area_years(plants, "en", to_check=True)
    assert want[("Cement clinker", "2024")][1:6] == ["5", "0", "3", "1", "1"]
    out = invoke("track", plants, "-f", "markdown").stdout
    assert "| to check |" in out
    assert markdown_area_years(out, "en") == want


def test_track_problems_are_said_and_fail_the_run(plants: Path, tmp_path: Path) -> None:
    bad = years_workbook.write(
        tmp_path / "bad.xlsx", [["坏数", "X", "水泥熟料", None, "n/a", None, 1, 1, 2025, None]]
    )
    result = invoke("track", bad, "-f", "csv")
    assert result.exit_code == 1
    assert "E104" in result.stderr and "E104" not in result.stdout
    doc = json.loads(invoke("track", bad, "-f", "json").stdout)
    assert [p["code"] for p in doc["problems"]] == ["E104"] and len(doc["lines"]) == 5


def test_track_csv_and_xlsx_defuse_formulas(tmp_path: Path) -> None:
    plants = years_workbook.write(
        tmp_path / "plants.xlsx",
        [[FORMULA, "=1+1", "水泥熟料", None, 99, None, 1, 1, 2025, "@SUM(A1)"]],
    )
    rows = list(csv.DictReader(io.StringIO(invoke("track", plants, "-f", "csv").stdout)))
    evil = next(r for r in rows if "HYPERLINK" in r["enterprise"])
    assert evil["enterprise"] == "'" + FORMULA and evil["region"] == "'@SUM(A1)"
    out = tmp_path / "track.xlsx"
    invoke("track", plants, "-o", str(out))
    cells = [c for row in sheet(out, "Lines").iter_rows(min_row=6) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + FORMULA in [c.value for c in cells]


# --------------------------------------------------------------------------- lists


def test_lists_xlsx_writes_both_lists(plants: Path, tmp_path: Path) -> None:
    out = tmp_path / "lists.xlsx"
    result = invoke("lists", plants, "-o", str(out), lang="zh")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == [ADVANCED, LAGGING]
    for name in (ADVANCED, LAGGING):
        ws = sheet(out, name)
        assert ws["A1"].value == name
        assert "报告日期：2026-11-30" in ws["A2"].value
        assert "发改产业〔2021〕1609号" in ws["A2"].value
        assert ws["A3"].value == (
            "数据年份：各生产线最近年份（2026年 2 条生产线、2025年 2 条生产线、2024年 1 条生产线）"
        )
    advanced = list(sheet(out, ADVANCED).iter_rows(min_row=5, values_only=True))
    assert list(advanced[0]) == PUBLISHED
    assert list(advanced[1]) == [
        1,
        "企业丙",
        "河北",
        "1#转炉",
        "炼钢",
        "转炉工序",
        -31,
        "kgce/t",
        -30,
        -10,
        200,
        2025,
    ]
    lagging = list(sheet(out, LAGGING).iter_rows(min_row=5, values_only=True))
    assert list(lagging[0]) == [*PUBLISHED, "改造升级期限"]
    assert list(lagging[1]) == [
        1,
        "企业乙",
        "河北",
        "老窑",
        "水泥熟料",
        None,
        125,
        "kgce/t",
        100,
        117,
        None,
        2024,
        "期限已过：所列数据早于期限年度",
    ]
    assert len(lagging) == 2


def test_lists_of_one_year_and_its_error(plants: Path) -> None:
    doc = json.loads(invoke("lists", plants, "-f", "json", "--year", "2025").stdout)
    ListsDocument.model_validate(doc)
    assert doc["year"] == 2025 and doc["scope"] == "Year 2025."
    assert [(r["line"], r["value"], r["deadline_status"]) for r in doc["lagging"]] == [
        ("2#窑", 118.0, "missed")
    ]
    assert [r["line"] for r in doc["advanced"]] == ["1#转炉"]
    missing = invoke("lists", plants, "--year", "2030")
    assert missing.exit_code == 1 and years_workbook.YEARS_PRESENT in missing.output


def test_lists_json_csv_markdown_table(plants: Path) -> None:
    doc = json.loads(invoke("lists", plants, "-f", "json").stdout)
    ListsDocument.model_validate(doc)
    assert doc["as_of"] == LATE and doc["year"] is None
    assert doc["scope"] == (
        "Each line in its latest year: 2026 for 2 lines, 2025 for 2 lines, 2024 for 1 line."
    )
    assert [(r["enterprise"], r["deadline_status"]) for r in doc["lagging"]] == [
        ("企业乙", "passed")
    ]
    rows = list(csv.reader(io.StringIO(invoke("lists", plants, "-f", "csv").stdout)))
    assert rows[0] == ["清单", *PUBLISHED, "改造升级期限"]
    assert [r[0] for r in rows[1:]] == [ADVANCED, LAGGING]
    assert (
        invoke("lists", plants, "-f", "csv", lang="zh").stdout
        == invoke("lists", plants, "-f", "csv").stdout
    )  # a machine format: the same words whatever the language
    markdown = invoke("lists", plants, "-f", "markdown", lang="zh").stdout
    assert f"# {ADVANCED}" in markdown and f"# {LAGGING}" in markdown
    assert "| 1 | 企业乙 | 河北 | 老窑 | 水泥熟料 |  | 125 |" in markdown
    table = invoke("lists", plants, lang="zh").stdout
    assert ADVANCED in table and LAGGING in table and "报告日期：2026-11-30" in table
    english = invoke("lists", plants, "-f", "markdown").stdout
    assert "# List of lines below the baseline level (lagging)" in english
    assert "| 1 | 企业乙 | 河北 | 老窑 | Cement clinker |  | 125 |" in english
    assert "passed: the figure listed is from before the deadline's year" in english
    early = json.loads(invoke("lists", plants, "-f", "json", as_of=EARLY).stdout)
    assert early["lagging"][0]["deadline_status"] == "open"


def test_real_subprocess_track_and_lists(plants: Path, tmp_path: Path) -> None:
    out = tmp_path / "lists.xlsx"
    proc = subprocess.run(
        [benchmark_script(), "--no-config", "--as-of", LATE, "lists", str(plants), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "", "LC_ALL": ""},
    )
    assert proc.returncode == 0, proc.stderr
    assert openpyxl.load_workbook(out).sheetnames == [ADVANCED, LAGGING]
    proc = subprocess.run(
        [benchmark_script(), "--no-config", "track", str(plants), "-f", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert len(json.loads(proc.stdout)["lines"]) == 5
    needs_o = subprocess.run(
        [benchmark_script(), "--no-config", "track", str(plants), "-f", "xlsx"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert needs_o.returncode == 2 and "-o" in needs_o.stderr


@pytest.mark.parametrize(
    ("command", "fmt"),
    [
        (c, f)
        for c in ("track", "lists")
        for f in ("table", "json", "csv", "markdown", "xlsx", "html")
        if (c, f) != ("lists", "html")
    ],
)
def test_no_graded_row_is_said_not_a_traceback(tmp_path: Path, command: str, fmt: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("企业名称,领域,单位产品能耗\n甲,水泥熟料,abc\n", encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    args = ["-o", str(out)] if fmt in ("xlsx", "html") else ["-f", fmt]
    proc = subprocess.run(
        [benchmark_script(), "--no-config", command, str(bad), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr  # the E104 row, and nothing worse
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert "E104" in proc.stdout + proc.stderr or out.exists()


@pytest.mark.parametrize("command", ["track", "lists"])
def test_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example" in result.stdout


def test_render_is_the_python_twin_of_every_format(plants: Path) -> None:
    import datetime as dt

    import benchmark
    from benchmark.report.lists import build_lists_report
    from benchmark.report.track import build_track_report

    catalogue = benchmark.load_catalogue()
    checked = benchmark.check_files(
        [str(plants)], catalogue, grade=True, as_of=dt.date(2026, 11, 30)
    )
    tracked = build_track_report(checked, catalogue, dt.date(2026, 11, 30))
    assert json.loads(str(benchmark.render(tracked, "json", "track"))) == track_doc(plants)
    published = build_lists_report(checked, catalogue, dt.date(2026, 11, 30))
    assert (
        benchmark.render(published, "csv", "lists") == invoke("lists", plants, "-f", "csv").stdout
    )
    with pytest.raises(ValueError, match="lists has no format 'html'"):
        benchmark.render(published, "html", "lists")

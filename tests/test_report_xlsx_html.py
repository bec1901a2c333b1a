"""`grade --format xlsx` and `--format html`: real inputs, the real CLI, the files opened again.

The JSON contract output of the same run is the reference: the workbook and the page must show
the same rows, tiers, problems and summary numbers. Both are written for Chinese readers
(``--lang zh``), as officials receive them; the workbook's hidden field names make it read
back to the contract's rows whatever its language.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from benchmark.catalogue import load_catalogue
from benchmark.grading import grade as grade_frame
from benchmark.inputs import display_name
from benchmark.pipeline import check_files
from benchmark.report import Report, build_report
from benchmark.report import html as html_report
from benchmark.report import xlsx as xlsx_report
from benchmark.report.model import RESULT_FIELDS
from benchmark.report.svg import nice_axis

from .helpers_reports import (
    BAD_ROWS,
    FORMULA,
    GOOD_ROWS,
    GRADED_AREAS,
    SCRIPT,
    Page,
    grade,
    grade_json,
    mixed_status_catalogue,
    write_plants,
)

AS_OF = "2025-06-30"
TIER_RGB = {
    "benchmark": xlsx_report.GREEN,
    "between": xlsx_report.YELLOW,
    "below_baseline": xlsx_report.RED,
}


@pytest.fixture(scope="module")
def plants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_plants(tmp_path_factory.mktemp("in") / "plants.xlsx", GOOD_ROWS + BAD_ROWS)


@pytest.fixture(scope="module")
def statuses(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue with a corroborated and an unverified level, as a user's own may have."""
    return mixed_status_catalogue(tmp_path_factory.mktemp("cat") / "statuses.yaml")


@pytest.fixture(scope="module")
def reference(plants: Path, statuses: Path) -> dict[str, Any]:
    return grade_json(plants, catalogue=statuses)


@pytest.fixture(scope="module")
def workbook(plants: Path, statuses: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "report.xlsx"
    result = grade(
        plants, "--format", "xlsx", "-o", str(out), catalogue=statuses, lang="zh", as_of=AS_OF
    )
    assert result.exit_code == 1, result.output  # the two bad rows are errors
    return out


@pytest.fixture(scope="module")
def page_text(plants: Path, statuses: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("out") / "report.html"
    result = grade(plants, "--format", "html", "-o", str(out), catalogue=statuses, lang="zh")
    assert result.exit_code == 1, result.output
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(page_text: str) -> Page:
    return Page(page_text)


def sheet(path: Path, name: str) -> Worksheet:
    ws = openpyxl.load_workbook(path)[name]
    assert isinstance(ws, Worksheet)
    return ws


def report_for(path: Path) -> Report:
    """The Report the CLI would render, built through the public pipeline."""
    cat = load_catalogue()
    checked = check_files([str(path)], cat)
    return build_report(checked, cat, graded=grade_frame(checked.frame, cat))


# --------------------------------------------------------------------------- xlsx


def test_xlsx_sheets(workbook: Path) -> None:
    assert openpyxl.load_workbook(workbook).sheetnames == [
        "Summary",
        "Results",
        "Charts",
        "Levels",
        "Problems",
    ]
    levels = list(sheet(workbook, "Levels").iter_rows(values_only=True))
    assert levels[0][0] == "所用水平" and levels[1][:3] == ("领域", "类别", "单位")
    assert ("炼钢", "转炉工序", "kgce/t", -30, -10, "佐证") in [r[:6] for r in levels[2:]]


ZH_TIERS = {"标杆": "benchmark", "基准–标杆": "between", "低于基准": "below_baseline"}


def test_xlsx_results_read_back_to_the_graded_rows(
    workbook: Path, reference: dict[str, Any], statuses: Path
) -> None:
    """The hidden first row names the contract's fields: read by it, the Chinese sheet gives
    back the JSON rows — ids, tiers, statuses and numbers."""
    ws = sheet(workbook, "Results")
    assert [c.value for c in ws[1]][: len(RESULT_FIELDS)] == list(RESULT_FIELDS)
    assert ws.row_dimensions[1].hidden
    headings = [c.value for c in ws[2]]
    assert headings[3:5] == ["企业名称", "生产线"] and "能效水平" in headings
    assert "节能潜力（吨标准煤）" in headings and "tier" not in headings
    back = xlsx_report.read_results(workbook, load_catalogue(statuses))
    expected = reference["results"]
    assert len(back) == len(expected) == len(GOOD_ROWS)
    for got, want in zip(back.to_dict("records"), expected, strict=True):
        for field in ("row", "area", "category", "tier", "level_status", "deadline"):
            assert (None if got[field] != got[field] else got[field]) == want[field], field
        for field in ("value", "benchmark", "baseline", "saving_to_benchmark_tce"):
            assert got[field] == pytest.approx(want[field]), field


def test_xlsx_results_show_names_and_words(workbook: Path) -> None:
    rows = list(sheet(workbook, "Results").iter_rows(min_row=3, values_only=True))
    fields = next(sheet(workbook, "Results").iter_rows(max_row=1, values_only=True))
    cells = [dict(zip(fields, r, strict=True)) for r in rows]
    assert {c["area"] for c in cells} == {"烧碱", "水泥熟料", "炼钢", "电解铝"}
    assert {c["category"] for c in cells} == {None, "离子膜法液碱≥30%", "转炉工序"}
    assert {c["tier"] for c in cells} == set(ZH_TIERS)
    assert {c["level_status"] for c in cells} == {"已核实", "佐证", "未核实"}


def test_xlsx_results_header_frozen_filtered_and_folded(workbook: Path) -> None:
    ws = sheet(workbook, "Results")
    assert ws.freeze_panes == "A3"
    last = openpyxl.utils.get_column_letter(ws.max_column)
    assert ws.auto_filter.ref == f"A2:{last}{len(GOOD_ROWS) + 2}"
    assert ws.column_dimensions["D"].width >= 10  # enterprise, sized to its text
    assert ws["J3"].number_format == "#,##0.0#"  # value
    fields = [c.value for c in ws[1]]
    folded = {
        f for i, f in enumerate(fields, 1) if ws.column_dimensions[get_column_letter(i)].hidden
    }
    assert {"file", "sheet", "row", "input_value", "saving_unit"} <= folded
    assert not folded & {"enterprise", "value", "benchmark", "baseline", "tier"}


def test_xlsx_tier_and_status_fills(workbook: Path) -> None:
    ws = sheet(workbook, "Results")
    fields = [c.value for c in ws[1]]
    tier_col, status_col = fields.index("tier") + 1, fields.index("level_status") + 1
    seen = set()
    for r in range(3, ws.max_row + 1):
        tier = ws.cell(r, tier_col)
        assert tier.fill.fgColor.rgb.endswith(TIER_RGB[ZH_TIERS[str(tier.value)]])
        seen.add(ZH_TIERS[str(tier.value)])
        status = ws.cell(r, status_col)
        if status.value == "已核实":
            assert status.fill.fill_type is None
        else:
            key = {"佐证": "corroborated", "未核实": "unverified"}[str(status.value)]
            assert status.fill.fgColor.rgb.endswith(xlsx_report.STATUS_FILLS[key])
    assert seen == {"benchmark", "between", "below_baseline"}


def test_xlsx_formula_text_is_neutralised(workbook: Path) -> None:
    ws = sheet(workbook, "Results")
    names = [ws.cell(r, 4).value for r in range(3, ws.max_row + 1)]
    assert "'" + FORMULA in names and FORMULA not in names
    assert SCRIPT in names  # markup is harmless in a spreadsheet and kept verbatim
    with zipfile.ZipFile(workbook) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in z.read(n).decode() for n in sheets)  # no formula anywhere


def test_xlsx_one_chart_per_graded_area(workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = [z.read(n).decode() for n in charts]
    assert len(charts) == len(GRADED_AREAS) + 1  # and the Summary's share chart
    for name in ("烧碱（kgce/t）", "水泥熟料（kgce/t）", "炼钢（kgce/t）", "电解铝（kWh/t）"):
        assert sum(name in x for x in xml) == 1
    converter = next(x for x in xml if "炼钢" in x)
    assert re.search(r'<c:min val="-\d', converter)  # the axis reaches the negative levels
    assert sheet(workbook, "Charts")["A1"].value == "烧碱（kgce/t）"


def test_xlsx_problems_sheet(workbook: Path, reference: dict[str, Any]) -> None:
    rows = list(sheet(workbook, "Problems").iter_rows(values_only=True))
    assert list(rows[0]) == [
        "位置",
        "代码",
        "严重程度",
        "文件",
        "工作表",
        "行号",
        "列",
        "表头",
        "说明",
    ]
    assert {r[2] for r in rows[1:]} == {"错误"}
    assert [(r[1], r[5], r[6]) for r in rows[1:]] == [
        (p["code"], p["row"], p["column"]) for p in reference["problems"]
    ]
    assert {r[1] for r in rows[1:]} == {"E102", "E104"}
    assert all(str(r[0]).endswith(f"!{r[6]}{r[5]}") for r in rows[1:])


def test_xlsx_summary(workbook: Path, reference: dict[str, Any]) -> None:
    ws = sheet(workbook, "Summary")
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == load_catalogue().title_zh
    assert any(row[:2] == ["文号", "发改产业〔2021〕1609号"] for row in values)
    assert any(row[:2] == ["报告日期", AS_OF] for row in values)
    start = next(i for i, row in enumerate(values) if row[0] == "领域") + 1
    groups = reference["summary"]["by_area"]
    for i, g in enumerate(groups):
        row = ws[start + i + 1]
        assert row[0].value == g["name_zh"]
        assert [c.value for c in row[2:7]] == [
            g["rows"],
            g["benchmark"],
            g["between"],
            g["below_baseline"],
            g["to_check"],
        ]
        share = row[7]
        assert share.value == pytest.approx(g["share_at_benchmark"])
        assert share.number_format == "0.0%"
        want = xlsx_report.GREEN if g["meets_target"] else xlsx_report.RED
        assert share.fill.fgColor.rgb.endswith(want)
    assert not all(g["meets_target"] for g in groups)  # aluminium misses: both fills tested
    totals = values[start + len(groups)]
    assert totals[0] == "合计" and totals[2] == len(GOOD_ROWS)
    text = " ".join(str(v) for row in values for v in row if v)
    assert "尚未核实" in text and "按产能加权" in text  # per area
    assert "须于 2025-12-31 前完成改造升级或淘汰" in text  # the deadline sentence, said in Chinese
    assert "各生产线最近年份：2023年" in text  # the scope sentence


def test_xlsx_summary_by_enterprise_is_neutralised(plants: Path, tmp_path: Path) -> None:
    out = tmp_path / "by_enterprise.xlsx"
    result = grade(plants, "--format", "xlsx", "--group-by", "enterprise", "-o", str(out))
    assert result.exit_code == 1
    groups = [row[0] for row in sheet(out, "Summary").iter_rows(values_only=True)]
    assert "'" + FORMULA in groups and FORMULA not in groups and SCRIPT in groups


def test_xlsx_spills_past_the_row_limit_and_caps_chart_points(
    plants: Path, reference: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(xlsx_report, "MAX_SHEET_ROWS", 5)
    monkeypatch.setattr(xlsx_report, "CHUNK_ROWS", 4)
    monkeypatch.setattr(xlsx_report, "MAX_CHART_POINTS", 2)
    out = tmp_path / "r.xlsx"
    out.write_bytes(xlsx_report.grade_xlsx(report_for(plants)))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[1:4] == ["Results", "Results 2", "Results 3"]
    parts = [list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames[1:4]]
    assert [len(p) for p in parts] == [7, 7, 4]  # two header rows on each, 5 + 5 + 2 rows
    assert all(p[0][0] == "file" and p[1][0] == "File" for p in parts)
    assert [r[2] for p in parts for r in p[2:]] == [r["row"] for r in reference["results"]]
    with zipfile.ZipFile(out) as z:
        xml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert any("first 2 of 3 lines" in x for x in xml)


def test_xlsx_control_characters_and_empty_results(tmp_path: Path, plants: Path) -> None:
    report = report_for(plants)
    report.graded.loc[0, "enterprise"] = "bad\x07name"
    out = tmp_path / "r.xlsx"
    out.write_bytes(xlsx_report.grade_xlsx(report))
    assert sheet(out, "Results")["D3"].value == "badname"

    only_bad = write_plants(tmp_path / "bad.xlsx", BAD_ROWS)
    result = grade(only_bad, "--format", "xlsx", "-o", str(tmp_path / "bad_report.xlsx"))
    assert result.exit_code == 1
    wb = openpyxl.load_workbook(tmp_path / "bad_report.xlsx")
    assert wb["Results"].max_row == 2
    assert wb["Problems"].max_row == 1 + len(BAD_ROWS)
    with zipfile.ZipFile(tmp_path / "bad_report.xlsx") as z:
        assert not [n for n in z.namelist() if n.startswith("xl/charts/")]


def test_xlsx_print_setup_on_every_sheet(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    for name in wb.sheetnames:
        ws = wb[name]
        assert isinstance(ws, Worksheet)
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name  # one page wide
        assert ws.page_setup.fitToWidth in (None, 1), name  # (1 is the default, left out)
    assert wb["Results"].print_title_rows == "$1:$2"  # the hidden names do not print
    assert wb["Problems"].print_title_rows == "$1:$1"
    for name in ("Results", "Problems"):
        assert wb[name].page_setup.fitToHeight == 0
    assert wb["Summary"].page_setup.fitToHeight in (None, 1)  # the area summary on one page


def test_xlsx_summary_chart_of_shares_against_targets(
    workbook: Path, reference: dict[str, Any]
) -> None:
    ws = sheet(workbook, "Summary")
    with zipfile.ZipFile(workbook) as z:
        xml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    (chart,) = [x for x in xml if "2025年目标" in x]
    groups = reference["summary"]["by_area"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "领域")
    first, last = header + 1, header + len(groups)
    assert f"Summary!$H${first}:$H${last}" in chart  # shares at benchmark
    assert f"Summary!$I${first}:$I${last}" in chart  # each area's own target
    targets = [ws.cell(r, 9).value for r in range(first, last + 1)]
    assert targets == [pytest.approx(g["target_share"]) for g in groups]
    assert len(set(targets)) > 1  # aluminium's, caustic soda's … targets differ
    assert '<c:symbol val="dash"/>' in chart  # the target is marked, not a bar


def test_xlsx_numbers_exact_and_text_escaped(tmp_path: Path, plants: Path) -> None:
    report = report_for(plants)
    graded = report.graded
    graded.loc[0, "value"] = 277.49999988900004
    graded.loc[1, "value"] = 0.1 + 0.2
    graded.loc[2, "gap_to_benchmark"] = float("inf")
    graded.loc[3, "enterprise"] = "A&B <Co> " + "长" * 40_000
    graded.loc[4, "enterprise"] = "  padded  "
    out = tmp_path / "r.xlsx"
    out.write_bytes(xlsx_report.grade_xlsx(report))
    ws = sheet(out, "Results")
    assert ws["J3"].value == 277.49999988900004 and ws["J4"].value == 0.1 + 0.2
    assert ws["P5"].value is None  # no value for infinity
    assert ws["D6"].value == ("A&B <Co> " + "长" * 40_000)[:32_767]
    assert ws["D7"].value == "  padded  "
    assert [c.value for c in ws[8]][:3] == [
        display_name(str(plants)),
        "Sheet",
        int(graded.loc[5, "row"]),
    ]


# --------------------------------------------------------------------------- html


def test_html_summary_numbers(page: Page, reference: dict[str, Any]) -> None:
    rows = page.rows["summary"]
    body = rows[1:-1]
    groups = reference["summary"]["by_area"]
    assert len(body) == len(groups)
    for row, g in zip(body, groups, strict=True):
        assert row[0] == g["name_zh"]
        assert row[1:5] == [
            str(g["rows"]),
            str(g["benchmark"]),
            str(g["between"]),
            str(g["below_baseline"]),
        ]
        assert row[5] == f"{g['share_at_benchmark'] * 100:.1f}%"
        assert row[6] == f"{g['target_share'] * 100:.1f}%"
    totals = rows[-1]
    assert totals[0] == "合计" and totals[1] == str(len(GOOD_ROWS))
    met = {g["name_zh"]: g["meets_target"] for g in groups}
    cells = page.find("td", class_="share")
    assert [("meets" in c["class"]) for c in cells[: len(groups)]] == list(met.values())
    assert any("misses" in c["class"] for c in cells)


def test_html_one_svg_per_graded_area(page: Page, page_text: str) -> None:
    assert len(page.find("svg")) == len(GRADED_AREAS)
    sections = [a["id"] for a in page.find("section", class_="area")]
    assert sections == [f"area-{a}" for a in GRADED_AREAS]
    for svg in re.findall(r"<svg.*?</svg>", page_text, flags=re.S):
        assert len(re.findall(r"<circle", svg)) == 3  # every line of the area is drawn


def test_html_chart_points_stay_in_the_plot(page_text: str) -> None:
    """Negative levels (converter) and large ones (kWh/t) scale into the plot box."""
    for svg in re.findall(r"<svg.*?</svg>", page_text, flags=re.S):
        box = re.search(
            r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" '
            r'class="box"',
            svg,
        )
        assert box is not None
        top, bottom = float(box[1]), float(box[1]) + float(box[2])
        ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
        assert ys and all(top < y < bottom for y in ys)
        assert len(set(ys)) == 3  # the three lines sit at different heights
    converter = next(s for s in re.findall(r"<svg.*?</svg>", page_text, flags=re.S) if "炼钢" in s)
    assert "标杆 -30 kgce/t" in converter and "基准 -10 kgce/t" in converter
    aluminium = next(
        s for s in re.findall(r"<svg.*?</svg>", page_text, flags=re.S) if "电解铝" in s
    )
    assert "标杆 13,000 kWh/t" in aluminium and "基准 13,350 kWh/t" in aluminium


def test_html_is_self_contained(page: Page, page_text: str) -> None:
    for tag, attr in page.tags:
        for key in ("src", "href"):
            value = attr.get(key, "")
            assert not re.match(r"(https?:)?//", value), (tag, value)
    assert not page.find("script") and not page.find("link") and not page.find("img")
    assert "@import" not in page_text and "url(" not in page_text


def test_html_tier_classes(page: Page, reference: dict[str, Any]) -> None:
    rows = [a["class"] for a in page.find("tr") if a.get("class", "").startswith("tier-")]
    assert sorted(rows) == sorted(f"tier-{r['tier']}" for r in reference["results"])
    for tier in ("benchmark", "between", "below_baseline"):
        assert page.find("span", class_=f"tier-{tier}")


def test_html_escapes_user_text(page: Page, page_text: str) -> None:
    assert "<script>" not in page_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_text
    assert SCRIPT in "".join(page.text)  # shown to the reader as text
    assert FORMULA in "".join(page.text)


def test_html_unconfirmed_footnote(page: Page) -> None:
    note = " ".join(page.by_id["levels-note"])
    assert "佐证" in note and "未核实" in note and "炼钢 / 转炉工序" in note
    marks = page.find("a", href="#levels-note")
    assert marks  # each unconfirmed status points to the footnote
    statuses = page.find("span", class_="corroborated")
    assert statuses and all("unconfirmed" in s["class"] for s in statuses)


def test_html_problems_table(page: Page, reference: dict[str, Any]) -> None:
    rows = page.rows["problems"][1:]
    assert [r[1] for r in rows] == [p["code"] for p in reference["problems"]]
    assert all(r[2] == "错误" for r in rows)


def test_html_caps_chart_points_and_table_rows(
    plants: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_report, "MAX_CHART_POINTS", 2)
    monkeypatch.setattr(html_report, "MAX_TABLE_ROWS", 2)
    text = html_report.grade_html(report_for(plants))
    assert text.count("First 2 of 3 lines shown in the chart.") == len(GRADED_AREAS)
    svg = re.findall(r"<svg.*?</svg>", text, flags=re.S)[0]
    assert len(re.findall(r"<circle", svg)) == 2
    assert text.count("1 more row(s) not listed") == len(GRADED_AREAS)
    assert len(Page(text).find("tr", class_="tier-benchmark")) == len(GRADED_AREAS)


def test_html_only_problems(tmp_path: Path) -> None:
    bad = write_plants(tmp_path / "bad.xlsx", BAD_ROWS)
    out = tmp_path / "bad.html"
    assert grade(bad, "--format", "html", "-o", str(out)).exit_code == 1
    page = Page(out.read_text(encoding="utf-8"))
    assert not page.find("svg") and "summary" not in page.rows
    assert "No row could be graded." in "".join(page.text)
    assert len(page.rows["problems"]) == 1 + len(BAD_ROWS)


@pytest.mark.parametrize(
    ("lo", "hi"), [(95, 125), (-35, -5), (12_900, 13_500), (5, 5), (-0.4, 0.3), (0, 1e6)]
)
def test_nice_axis_holds_the_range(lo: float, hi: float) -> None:
    vmin, vmax, step = nice_axis(lo, hi)
    assert vmin < lo <= hi < vmax
    ticks = (vmax - vmin) / step
    assert abs(ticks - round(ticks)) < 1e-9 and 2 <= round(ticks) <= 12


# --------------------------------------------------------------------------- the grade workbook's
# sentences, values to check and notices


def test_xlsx_summary_by_year_leaves_totals_it_cannot_add_blank(
    tmp_path: Path, plants: Path
) -> None:
    """Grouped by year, shares and savings of different years are never added up: the
    totals' cells stay empty rather than showing a sum that means nothing."""
    out = tmp_path / "by_year.xlsx"
    assert grade(plants, "-f", "xlsx", "--group-by", "year", "-o", str(out)).exit_code == 1
    values = [[c.value for c in row] for row in sheet(out, "Summary").iter_rows()]
    totals = next(row for row in values if row[0] == "Total")
    assert totals[2] == len(GOOD_ROWS)  # rows do add up
    assert totals[7] is None and totals[15] is None and totals[16] is None  # shares, savings
    for fmt in ("table", "markdown", "html"):
        result = grade(plants, "-f", fmt, "--group-by", "year", "-o", str(tmp_path / f"y.{fmt}"))
        assert result.exit_code == 1 and "internal error" not in result.output, fmt


def test_xlsx_summary_shows_values_to_check_with_their_warning_and_the_notices(
    tmp_path: Path,
) -> None:
    import openpyxl as xl

    wb = xl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "生产线", "领域", "单位产品能耗", "产量", "年份"])
    ws.append(["甲", "1#", "水泥熟料", 0.118, 1000, 2025])  # tce/t typed as kgce/t
    ws.append(["乙", "1#", "水泥熟料", 110, 1000, 2025])
    old = wb.create_sheet("旧数据")
    old.append(["企业名称", "领域", "单位产品能耗"])
    old.sheet_state = "hidden"
    path = tmp_path / "check.xlsx"
    wb.save(path)
    out = tmp_path / "r.xlsx"
    result = grade(path, "-f", "xlsx", "-o", str(out), lang="zh", as_of="2025-06-30")
    assert result.exit_code == 0, result.output  # a warning only
    values = [[c.value for c in row] for row in sheet(out, "Summary").iter_rows()]
    title = next(i for i, row in enumerate(values) if str(row[0]).startswith("待核实数值"))
    assert values[title][0] == "待核实数值（1）"
    checked = values[title + 2]
    assert checked[:2] == ["甲", "1#"] and checked[4] == 0.118 and checked[6] == "待核实"
    assert "0.118" in str(checked[7])  # the W201 warning beside it
    notices = next(i for i, row in enumerate(values) if row[0] == "提示")
    assert "旧数据" in " ".join(str(v) for v in values[notices + 1] if v)
    group = next(row for row in values if row[0] == "水泥熟料")
    assert group[6] == 1  # the value to check, counted in its own column

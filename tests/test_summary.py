"""Summaries: each area measured against its own 2025 targets, in every format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from benchmark.catalogue import Catalogue
from benchmark.cli import app
from benchmark.pipeline import check_files
from benchmark.summary import AreaSummary, meets_below_baseline, summarise

from .conftest import HEADER_ZH, WriteXlsx
from .helpers_reports import Page


def _lines(
    enterprise: str,
    area: str,
    category: str | None,
    at: float,
    between: float,
    below: float,
    capacities: tuple[int, int, int],
) -> list[list[Any]]:
    """Three lines of one area: at benchmark, between, below baseline, with capacities."""
    return [
        [enterprise, f"{i + 1}#", area, category, value, None, None, cap, 2025, "河北"]
        for i, (value, cap) in enumerate(zip((at, between, below), capacities, strict=True))
    ]


@pytest.fixture
def targets_workbook(write_xlsx: WriteXlsx) -> Path:
    """Ammonia with 20% of its capacity at benchmark (target 15%), flat glass with 25%
    (target 20%), cement clinker with 25% (target 30%)."""
    rows = (
        _lines("氨厂", "合成氨", "天然气", 990, 1100, 1300, (200, 500, 300))
        + _lines("玻璃厂", "平板玻璃", "生产能力>800 t/d", 7.5, 10, 13, (250, 700, 50))
        + _lines("水泥厂", "水泥熟料", None, 98, 110, 120, (250, 750, 0))
    )
    rows[-1][7] = 1  # a line needs capacity to weigh: give the last cement line a little
    return write_xlsx(rows)


def test_each_area_meets_or_misses_its_own_target(
    targets_workbook: Path, runner: CliRunner
) -> None:
    result = runner.invoke(app, ["--no-config", "grade", str(targets_workbook), "-f", "json"])
    assert result.exit_code == 0, result.output
    by_area = {g["group"]: g for g in json.loads(result.stdout)["summary"]["by_area"]}
    ammonia, glass, cement = (
        by_area[a] for a in ("synthetic_ammonia", "flat_glass", "cement_clinker")
    )
    assert ammonia["share_at_benchmark"] == pytest.approx(0.2)
    assert (ammonia["target_share"], ammonia["meets_target"]) == (0.15, True)
    assert glass["share_at_benchmark"] == pytest.approx(0.25)
    assert (glass["target_share"], glass["meets_target"]) == (0.2, True)
    assert cement["share_at_benchmark"] == pytest.approx(250 / 1001)
    assert (cement["target_share"], cement["meets_target"]) == (0.3, False)
    # Below the baseline: ammonia and glass have capacity there (ceiling 0, 基本清零).
    assert ammonia["target_below_baseline"] == 0 and ammonia["meets_below_baseline_target"] is False
    assert cement["share_below_baseline"] == pytest.approx(1 / 1001)
    # The national 2020 starting point rides along, "under 5%" kept as a bound.
    assert glass["national_2020"] == {
        "at_benchmark": {"share": 0.05, "under": True},
        "below_baseline": {"share": 0.08, "under": False},
    }
    assert json.loads(result.stdout)["summary"]["totals"]["areas_meeting_target"] == 2


def test_markdown_and_terminal_show_the_own_targets(
    targets_workbook: Path, runner: CliRunner
) -> None:
    md = runner.invoke(app, ["--no-config", "grade", str(targets_workbook), "-f", "markdown"])
    rows = {
        line.split(" | ")[0].lstrip("| "): line.split(" | ")
        for line in md.stdout.splitlines()
        if line.startswith("| ")
    }
    assert rows["Synthetic ammonia"][6] == "15.0%"
    assert rows["Flat glass"][6] == "20.0%"
    assert rows["Flat glass"][11] == "<5% / 8%"  # national 2020, after the ceiling's verdict
    assert rows["Cement clinker"][6] == "30.0%"
    assert "2023 catalogue can be supplied with --catalogue" in md.stdout
    table = runner.invoke(
        app, ["--no-config", "grade", str(targets_workbook)], env={"COLUMNS": "220"}
    )
    assert "15.0%" in table.stdout and "20.0%" in table.stdout


#: Whether an area meets its target, in a word, by language.
VERDICTS = {"en": {True: "yes", False: "no"}, "zh": {True: "是", False: "否"}}
AREAS = {"en": "Cement clinker", "zh": "水泥熟料"}


def _meets_by_name(
    path: Path, runner: CliRunner, lang: str, verdict: str = "meets_target"
) -> dict[str, bool]:
    """Each area's ``verdict`` as the JSON says it, by the area's name in ``lang``."""
    doc = json.loads(runner.invoke(app, ["--no-config", "grade", str(path), "-f", "json"]).stdout)
    key = "name_zh" if lang == "zh" else "name_en"
    return {g[key]: g[verdict] for g in doc["summary"]["by_area"]}


#: Each verdict of the JSON, and the heading of its column by language.
VERDICT_HEADINGS = {
    "meets_target": {"zh": "是否达到目标", "en": "Meets target"},
    "meets_below_baseline_target": {"zh": "是否低于上限", "en": "Meets ceiling"},
}


@pytest.mark.parametrize("verdict", list(VERDICT_HEADINGS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_whether_an_area_meets_its_target_is_said_in_words(
    targets_workbook: Path,
    write_xlsx: WriteXlsx,
    runner: CliRunner,
    lang: str,
    verdict: str,
    tmp_path: Path,
) -> None:
    """Markdown has no colour, and a terminal under NO_COLOR or a pipe loses it: whether an
    area meets its target share at benchmark, and its ceiling below baseline, is a word in
    its own column, the JSON's verdict, in the reader's language."""
    path = targets_workbook
    if verdict == "meets_below_baseline_target":  # an area with nothing below its baseline too
        path = write_xlsx(
            _lines("氨厂", "合成氨", "天然气", 990, 1100, 1300, (200, 500, 300))
            + _lines("水泥厂", "水泥熟料", None, 98, 110, 112, (250, 750, 100)),
            name="ceilings.xlsx",
        )
    meets = _meets_by_name(path, runner, lang, verdict)
    assert set(meets.values()) == {True, False}
    base = ["--no-config", "--lang", lang, "grade", str(path)]
    md = runner.invoke(app, [*base, "-f", "markdown"]).stdout
    table = [line.split(" | ") for line in md.splitlines() if line.startswith("| ")]
    column = table[0].index(VERDICT_HEADINGS[verdict][lang])
    cells = {row[0].lstrip("| "): row[column] for row in table[1:]}
    for name, verdict in meets.items():
        assert cells[name] == VERDICTS[lang][verdict], md
    plain = runner.invoke(app, base, env={"COLUMNS": "220", "NO_COLOR": "1"}).stdout
    for name, verdict in meets.items():
        (row,) = [line for line in plain.splitlines() if line.startswith(f"│ {name} ")]
        cells_of_row = [c.strip() for c in row.split("│")]
        assert VERDICTS[lang][verdict] in cells_of_row, row
    out = tmp_path / "report.html"
    assert runner.invoke(app, [*base, "-o", str(out)]).exit_code == 0
    head, *body = Page(out.read_text(encoding="utf-8")).rows["summary"]
    html = {row[0]: row[column] for row in body}
    assert head[column] == table[0][column]
    for name, verdict in meets.items():
        assert html[name] == VERDICTS[lang][verdict], name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_summary_without_targets_says_nothing_of_them(
    targets_workbook: Path, runner: CliRunner, lang: str
) -> None:
    """By year (or sector, region) no group has a target: no target column, no verdict, and
    no sentence about how the target counts; by area, all three."""
    sentence = "2025年目标按达到标杆水平的产能计" if lang == "zh" else "The 2025 target counts"
    target = "2025年目标" if lang == "zh" else "2025 target"
    base = ["--no-config", "--lang", lang, "grade", str(targets_workbook)]
    for fmt in ("markdown", "table"):
        by_area = runner.invoke(app, [*base, "-f", fmt], env={"COLUMNS": "220"}).stdout
        by_year = runner.invoke(
            app, [*base, "-f", fmt, "--group-by", "year"], env={"COLUMNS": "220"}
        ).stdout
        assert sentence in " ".join(by_area.split()), fmt
        assert sentence not in " ".join(by_year.split()), fmt
        assert target in by_area
        assert VERDICTS[lang][True] not in by_year.split("|") and "是否达到目标" not in by_year


def test_html_marks_each_areas_own_target(
    targets_workbook: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["--no-config", "grade", str(targets_workbook), "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = Page(out.read_text(encoding="utf-8"))
    marks = [a["style"] for a in page.find("i", class_="target")]
    assert marks == ["left:15.0%", "left:30.0%", "left:20.0%"]  # catalogue order
    shares = page.find("td", class_="share")
    assert [("meets" in s["class"].split()) for s in shares[:3]] == [True, False, True]


def test_xlsx_summary_has_the_own_targets(
    targets_workbook: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "report.xlsx"
    result = runner.invoke(
        app, ["--no-config", "grade", str(targets_workbook), "-f", "xlsx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["Summary"]
    rows: dict[Any, Any] = {}
    for r in ws.iter_rows(values_only=True):  # the summary's row, not the levels' below it
        rows.setdefault(r[0], r)
    assert (rows["Synthetic ammonia"][8], rows["Synthetic ammonia"][9]) == (0.15, "yes")
    assert (rows["Flat glass"][8], rows["Flat glass"][9]) == (0.2, "yes")
    assert (rows["Cement clinker"][8], rows["Cement clinker"][9]) == (0.3, "no")
    assert rows["Flat glass"][11] == "0%" and rows["Flat glass"][13] == "<5% / 8%"


@pytest.mark.parametrize(
    ("share", "ceiling", "meets"),
    [
        (0.0, 0.0, True),
        (0.001, 0.0, False),
        (0.29, 0.3, True),
        (0.3, 0.3, False),
        (0.5, None, None),
        (None, 0.3, None),
    ],
)
def test_below_baseline_ceiling(
    share: float | None, ceiling: float | None, meets: bool | None
) -> None:
    """基本清零 (0) means none left; "under 30%" (低于30%) means strictly under."""
    assert meets_below_baseline(share, ceiling) is meets


def test_shares_weigh_capacity_then_output_then_rows(
    write_xlsx: WriteXlsx, catalogue: Catalogue
) -> None:
    rows = [
        ["甲", "1#", "水泥熟料", None, 98, None, 100, 900, 2025, None],
        ["甲", "2#", "水泥熟料", None, 110, None, 100, 100, 2025, None],
        ["乙", "1#", "电解铝", None, 12_900, None, 300, None, 2025, None],
        ["乙", "2#", "电解铝", None, 13_200, None, 100, None, 2025, None],
        ["丙", "1#", "转炉", None, -35, None, None, None, 2025, None],
        ["丙", "2#", "转炉", None, -20, None, 100, None, 2025, None],
    ]
    checked = check_files([str(write_xlsx(rows))], catalogue, grade=True)
    summary = summarise(checked.frame, catalogue)
    by_area = {g.group: g for g in summary.groups}
    assert (
        by_area["cement_clinker"].share_basis,
        by_area["cement_clinker"].share_at_benchmark,
    ) == ("capacity", 0.9)
    assert (
        by_area["electrolytic_aluminium"].share_basis,
        by_area["electrolytic_aluminium"].share_at_benchmark,
    ) == ("output", 0.75)
    assert (by_area["steelmaking"].share_basis, by_area["steelmaking"].share_at_benchmark) == (
        "rows",
        0.5,
    )
    assert all(isinstance(g, AreaSummary) for g in summary.groups)
    assert summary.totals.share_basis == "rows" and summary.totals.rows == 6
    by_region = summarise(checked.frame, catalogue, "region")
    assert [g.group for g in by_region.groups] == ["(blank)"]
    assert by_region.as_dict()["totals"]["areas"] is None
    with pytest.raises(ValueError, match="group_by must be one of"):
        summarise(checked.frame, catalogue, "colour")


def test_a_summary_of_no_rows(catalogue: Catalogue) -> None:
    from benchmark.validation import empty_result

    summary = summarise(empty_result(), catalogue)
    assert summary.groups == () and summary.totals.rows == 0
    assert summary.totals.share_at_benchmark is None
    doc = summary.as_dict()
    assert doc == {
        "group_by": "area",
        "by_area": [],
        "totals": doc["totals"],
        "as_of": doc["as_of"],
        "scope": doc["scope"],
        "deadlines": doc["deadlines"],
    }
    assert doc["scope"]["rows"] == 0 and doc["scope"]["kind"] == "latest_year"
    assert HEADER_ZH  # the shared header is the one the workbooks above use


def test_a_value_to_check_counts_toward_no_share_and_no_saving(
    write_xlsx: WriteXlsx, runner: CliRunner
) -> None:
    """0.118 in a kgce/t column (a tce/t slip) was graded at benchmark before: now it is to
    check — in no tier's share, no saving — and every report shows it beside its warning."""
    rows = [
        ["甲", "1#", "水泥熟料", None, 0.118, None, 1000, 900, 2025, None],
        ["甲", "2#", "水泥熟料", None, 110, None, 1000, 100, 2025, None],
        ["乙", "1#", "水泥熟料", None, 95, None, 1000, 300, 2025, None],
    ]
    path = write_xlsx(rows)
    result = runner.invoke(app, ["--no-config", "grade", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output  # a warning, not an error
    doc = json.loads(result.stdout)
    first = doc["results"][0]
    assert first["tier"] == "to_check" and first["score"] is None
    assert first["saving_to_benchmark_tce"] is None and first["deadline"] is None
    assert [p["code"] for p in doc["problems"]] == ["W201"]
    assert "Graded as to check" in doc["problems"][0]["message"]
    cement = doc["summary"]["by_area"][0]
    assert (cement["rows"], cement["to_check"], cement["benchmark"]) == (3, 1, 1)
    assert cement["share_at_benchmark"] == pytest.approx(300 / 400)  # 900 t left out
    totals = doc["summary"]["totals"]
    assert totals["to_check"] == 1 and totals["share_at_benchmark"] == pytest.approx(0.5)
    table = runner.invoke(app, ["--no-config", "grade", str(path)], env={"COLUMNS": "200"})
    assert "to check" in table.stdout and "W201" in table.stdout
    strict = runner.invoke(app, ["--no-config", "grade", str(path), "--strict", "-f", "json"])
    assert strict.exit_code == 1

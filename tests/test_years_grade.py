"""`grade` over several years, through the real CLI: the summary covers each line's latest
year by default and says so, `--year` one year, `--group-by year` one group per year; every
report judges the deadline at `--as-of` and says so; `deadline_status` in the results."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import benchmark
from benchmark.cli import app
from benchmark.contract import GradeDocument

from . import years_workbook
from .conftest import benchmark_script
from .helpers_reports import Page

LATE, EARLY = "2026-11-30", "2025-06-30"
PASSED = (
    "The deadline 2025-12-31 has passed: 1 line was still below baseline in 2025; "
    "1 line below baseline in 2024 has no later figure to show it was upgraded or "
    "retired."
)
DUE = "1 line below baseline must be upgraded or retired by 2025-12-31."


@pytest.fixture
def plants(tmp_path: Path) -> Path:
    return years_workbook.write(tmp_path / "plants_2021-2026.xlsx")


def grade(path: Path, *args: str, as_of: str = LATE) -> Any:
    return CliRunner().invoke(app, ["--no-config", "--as-of", as_of, "grade", str(path), *args])


def grade_doc(path: Path, *args: str, as_of: str = LATE) -> dict[str, Any]:
    result = grade(path, "-f", "json", *args, as_of=as_of)
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    GradeDocument.model_validate(doc)
    return doc


def _key(row: dict[str, Any]) -> tuple[str, str, int | None]:
    return row["enterprise"], row["line"], row["year"]


def test_the_summary_covers_each_lines_latest_year_and_says_so(plants: Path) -> None:
    doc = grade_doc(plants)
    assert len(doc["results"]) == 23  # every line-year is graded and kept
    scope = doc["summary"]["scope"]
    assert scope["kind"] == "latest_year" and (scope["rows"], scope["lines"]) == (5, 5)
    assert scope["latest_years"] == [
        {"year": 2026, "lines": 2},
        {"year": 2025, "lines": 2},
        {"year": 2024, "lines": 1},
    ]
    assert scope["text"].startswith(
        "Latest year of each line: 2026 for 2 lines, 2025 for 2, 2024 for 1; 5 of 23 rows"
    )
    by_area = {g["group"]: g for g in doc["summary"]["by_area"]}
    cement = by_area["cement_clinker"]
    assert (cement["rows"], cement["benchmark"], cement["between"], cement["below_baseline"]) == (
        4,
        0,
        3,
        1,
    )
    assert by_area["steelmaking"]["benchmark"] == 1  # −31 in 2025, not the undated −8
    # Savings are those of the latest rows (5 + 16 + 10.1 + 25 tce), never added over years.
    latest = {
        ("企业甲", "1#窑", 2026),
        ("企业甲", "2#窑", 2026),
        ("企业乙", "Kiln A", 2025),
        ("企业乙", "老窑", 2024),
        ("企业丙", "1#转炉", 2025),
    }
    saving = sum(r["saving_to_benchmark_tce"] for r in doc["results"] if _key(r) in latest)
    pooled = sum(r["saving_to_benchmark_tce"] for r in doc["results"])
    assert cement["saving_to_benchmark_tce"] == pytest.approx(56.1) == pytest.approx(saving)
    assert doc["summary"]["totals"]["saving_to_benchmark_tce"] == pytest.approx(56.1)
    assert pooled > 3 * saving


def test_year_grades_and_summarises_one_year(plants: Path) -> None:
    doc = grade_doc(plants, "--year", "2022")
    assert {r["year"] for r in doc["results"]} == {2022}
    assert len(doc["results"]) == 4
    scope = doc["summary"]["scope"]
    assert (scope["kind"], scope["year"], scope["text"]) == (
        "year",
        2022,
        "Year 2022 only: 4 lines.",
    )
    cement = doc["summary"]["by_area"][0]
    # B at benchmark (capacity 300) of A 100, B 300, C 100 and D (no capacity: output 1,000).
    assert cement["share_at_benchmark"] == pytest.approx(300 / 1500)
    assert cement["share_basis"] == "capacity/output"
    assert (cement["benchmark"], cement["between"], cement["below_baseline"]) == (1, 1, 2)


def test_a_year_no_row_has_exits_1_naming_the_years_present(plants: Path) -> None:
    result = grade(plants, "--year", "2030")
    assert result.exit_code == 1
    assert "no row of year 2030" in result.output
    assert years_workbook.YEARS_PRESENT in result.output
    assert "Traceback" not in result.output


def test_group_by_year_gives_shares_per_year_and_adds_no_savings(plants: Path) -> None:
    doc = grade_doc(plants, "--group-by", "year")
    groups = doc["summary"]["by_year"]
    assert [g["group"] for g in groups] == [
        "undated",
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
        "2026",
    ]
    assert [g["rows"] for g in groups] == [1, 3, 4, 4, 5, 4, 2]
    share = {g["group"]: g["share_at_benchmark"] for g in groups}
    assert share["2021"] == pytest.approx(1 / 3) and share["2025"] == pytest.approx(1 / 4)
    totals = doc["summary"]["totals"]
    assert totals["rows"] == 23
    assert totals["saving_to_benchmark_tce"] is None and totals["share_at_benchmark"] is None
    assert doc["summary"]["scope"]["kind"] == "every_year"
    assert "rows without a year form the group 'undated'" in doc["summary"]["scope"]["text"]


def test_deadline_status_in_json_and_csv_results(plants: Path) -> None:
    late = {_key(r): r["deadline_status"] for r in grade_doc(plants)["results"]}
    early = {_key(r): r["deadline_status"] for r in grade_doc(plants, as_of=EARLY)["results"]}
    assert late[("企业甲", "2#窑", 2025)] == early[("企业甲", "2#窑", 2025)] == "missed"
    assert (late[("企业甲", "1#窑", 2021)], early[("企业甲", "1#窑", 2021)]) == ("passed", "open")
    assert (late[("企业丙", "1#转炉", None)], early[("企业丙", "1#转炉", None)]) == (
        "passed",
        "open",
    )
    assert late[("企业甲", "1#窑", 2023)] is None  # 117: at the baseline, not below
    assert sum(v is not None for v in late.values()) == 7
    rows = list(csv.DictReader(io.StringIO(grade(plants, "-f", "csv").stdout)))
    assert "deadline_status" in rows[0]
    from_csv = {
        (r["enterprise"], r["line"], int(r["year"]) if r["year"] else None): r["deadline_status"]
        or None
        for r in rows
    }
    assert from_csv == late


def test_every_report_prints_the_date_and_the_deadline_as_of_it(
    plants: Path, tmp_path: Path
) -> None:
    table = grade(plants).stdout
    assert "Reporting date (as of): 2026-11-30." in table and PASSED in " ".join(table.split())
    assert "Latest year of each line: 2026 for 2 lines" in table
    assert "must be upgraded or retired" not in table
    before = " ".join(grade(plants, as_of=EARLY).stdout.split())
    assert DUE in before and "has passed" not in before
    markdown = grade(plants, "-f", "markdown").stdout
    assert "**Reporting date (as of): 2026-11-30.** " + PASSED in markdown
    assert "Latest year of each line: 2026 for 2 lines, 2025 for 2, 2024 for 1" in markdown
    out = tmp_path / "report.html"
    assert grade(plants, "-o", str(out)).exit_code == 0
    page = Page(out.read_text(encoding="utf-8"))
    text = " ".join("".join(page.text).split())
    assert "Reporting date (as of)" in text and "2026-11-30" in text and PASSED in text
    assert "Latest year of each line" in text


def test_as_of_from_the_configuration_and_bad_dates(
    plants: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    (tmp_path / "benchmark.toml").write_text("as-of = 2025-06-30\n", encoding="utf-8")
    doc = json.loads(runner.invoke(app, ["grade", str(plants), "-f", "json"]).stdout)
    assert doc["summary"]["as_of"] == EARLY
    assert {r["deadline_status"] for r in doc["results"]} == {None, "open", "missed"}
    flag = json.loads(
        runner.invoke(app, ["--as-of", LATE, "grade", str(plants), "-f", "json"]).stdout
    )
    assert flag["summary"]["as_of"] == LATE  # the flag wins
    bad_flag = runner.invoke(app, ["--as-of", "2026-13-01", "grade", str(plants)])
    assert bad_flag.exit_code == 2 and "not a date" in bad_flag.output
    (tmp_path / "benchmark.toml").write_text("as-of = 5\n", encoding="utf-8")
    bad_config = runner.invoke(app, ["grade", str(plants)])
    assert bad_config.exit_code == 2 and "as-of" in bad_config.output


def test_the_default_date_is_today(plants: Path) -> None:
    doc = json.loads(
        CliRunner().invoke(app, ["--no-config", "grade", str(plants), "-f", "json"]).stdout
    )
    assert doc["summary"]["as_of"] == dt.date.today().isoformat()


def test_python_twins(plants: Path, catalogue: benchmark.Catalogue) -> None:
    frame, problems = benchmark.read_plants(plants, catalogue)
    assert problems == []
    graded = benchmark.grade(frame, catalogue, as_of=dt.date(2025, 6, 30))
    assert graded["deadline_status"].value_counts().to_dict() == {"open": 6, "missed": 1}
    summary = benchmark.summarise(graded, catalogue, year=2024, as_of=dt.date(2026, 11, 30))
    assert summary.scope is not None and summary.scope.text == "Year 2024 only: 5 lines."
    # One year alone cannot say whether a line was upgraded later.
    assert summary.deadlines[0].text == (
        "The deadline 2025-12-31 has passed: 1 line below baseline in 2024, before the "
        "deadline (this year alone cannot show whether it was upgraded or retired)."
    )
    tracking = benchmark.track(graded)  # the shipped catalogue, today
    assert len(tracking.lines) == 5
    published = benchmark.lists(graded, year=2025)
    assert published.lagging["line"].tolist() == ["2#窑"]


def test_real_subprocess_as_of_and_year(plants: Path) -> None:
    proc = subprocess.run(
        [
            benchmark_script(),
            "--no-config",
            "--as-of",
            LATE,
            "grade",
            str(plants),
            "--year",
            "2025",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert {r["year"] for r in doc["results"]} == {2025}
    assert doc["summary"]["deadlines"][0]["missed"] == 1
    missing = subprocess.run(
        [benchmark_script(), "--no-config", "grade", str(plants), "--year", "1999"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert years_workbook.YEARS_PRESENT in missing.stderr


def test_summary_of_a_frame_in_memory_scopes_as_the_cli(
    plants: Path, catalogue: benchmark.Catalogue
) -> None:
    frame, _ = benchmark.read_plants(plants, catalogue)
    graded = benchmark.grade(frame, catalogue)
    doc = grade_doc(plants)
    summary = json.loads(
        json.dumps(benchmark.summarise(graded, catalogue, as_of=dt.date(2026, 11, 30)).as_dict())
    )
    assert summary["scope"] == doc["summary"]["scope"]
    assert summary["deadlines"] == doc["summary"]["deadlines"]
    assert isinstance(graded["deadline_status"].dtype, pd.StringDtype)


def test_deadline_status_in_every_report_for_people(plants: Path, tmp_path: Path) -> None:
    """Each below-baseline row says where it stands against the deadline in the table, the
    Markdown and the HTML too, beside its tier; other rows leave it blank."""
    markdown = grade(plants, "-f", "markdown").stdout
    header = next(line for line in markdown.splitlines() if line.startswith("| Enterprise"))
    column = [c.strip() for c in header.strip("|").split("|")].index("Deadline status")
    statuses = {}
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| 企业") and len(cells) > column:
            statuses[(cells[0], cells[1], cells[2])] = cells[column]
    assert statuses[("企业甲", "2#窑", "2025")] == "missed"
    assert statuses[("企业甲", "1#窑", "2021")] == "passed"
    assert statuses[("企业甲", "1#窑", "2023")] == ""
    out = tmp_path / "report.html"
    assert grade(plants, "-o", str(out)).exit_code == 0
    rows = Page(out.read_text(encoding="utf-8")).rows["results"]
    texts = [" ".join(cell.strip() for cell in row) for row in rows]
    row_2025 = [t for t in texts if t.startswith("企业甲 2#窑") and " 2025 " in t]
    assert len(row_2025) == 1 and "missed" in row_2025[0], texts
    table = (
        CliRunner()
        .invoke(
            app,
            ["--no-config", "--as-of", LATE, "grade", str(plants)],
            env={"COLUMNS": "200"},
        )
        .stdout
    )
    assert "Deadline" in table  # its heading, on two lines of the table's header
    row = next(line for line in table.splitlines() if "2#窑" in line and "2025" in line)
    assert "missed" in row

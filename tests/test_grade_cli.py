"""`benchmark grade`: formats, gates, grouping, outputs, configuration — through the real CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli import app

from .conftest import WriteXlsx, benchmark_script
from .helpers_reports import mixed_status_catalogue

ROWS = [
    ["冀东水泥", "1#窑", "水泥熟料", None, 98, "kgce/t", 1_000_000, 1_200_000, 2024, "河北"],
    ["冀东水泥", "2#窑", "水泥熟料", None, 112, "kgce/t", 800_000, 900_000, 2024, "河北"],
    ["华北钢铁", "1#转炉", "炼钢", "转炉", -5, None, 2_000_000, 2_000_000, 2024, "河北"],
    ["华东氯碱", "A", "烧碱", "液碱30%", 320, None, 100_000, None, 2024, "江苏"],
    ["某铝业", "电解一厂", "电解铝", None, 13_400, "kWh/t", 500_000, 600_000, 2024, "新疆"],
    ["坏数据", "X", "水泥熟料", None, "n/a", None, None, None, 2024, "河北"],
]


@pytest.fixture
def plants(write_xlsx: WriteXlsx) -> Path:
    return write_xlsx(ROWS)


def test_json_contract(plants: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["grade", str(plants), "--format", "json"])
    assert result.exit_code == 1  # one bad row
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    assert set(doc["catalogue"]) >= {"edition", "document", "sha256"}
    assert doc["factors"]["kgce_per_kgoe"] == 1.4286 and doc["factors"]["kgce_per_kwh"] == 0.1229
    results = doc["results"]
    keys = [
        "file",
        "sheet",
        "row",
        "enterprise",
        "line",
        "region",
        "year",
        "area",
        "category",
        "value",
        "unit",
        "benchmark",
        "baseline",
        "level_status",
        "tier",
        "gap_to_benchmark",
        "gap_to_baseline",
        "score",
        "output",
        "saving_to_benchmark_tce",
        "saving_to_baseline_tce",
        "deadline",
    ]
    for r in results:
        assert set(keys) <= set(r)
    assert [(r["row"], r["area"], r["category"], r["tier"]) for r in results] == [
        (2, "cement_clinker", None, "benchmark"),
        (3, "cement_clinker", None, "between"),
        (4, "steelmaking", "converter", "below_baseline"),
        (5, "caustic_soda", "membrane_liquid_30", "between"),
        (6, "electrolytic_aluminium", None, "below_baseline"),
    ]
    assert results[2]["deadline"] == "2025-12-31" and results[0]["deadline"] is None
    assert {r["level_status"] for r in results} == {"confirmed"}
    # 2#窑: 12 kgce/t over benchmark × 800,000 t = 9,600 tce
    assert results[1]["saving_to_benchmark_tce"] == pytest.approx(9600.0)
    assert [p["code"] for p in doc["problems"]] == ["E104"]
    by_area = {g["group"]: g for g in doc["summary"]["by_area"]}
    clinker = by_area["cement_clinker"]
    assert (clinker["benchmark"], clinker["between"], clinker["below_baseline"]) == (1, 1, 0)
    assert clinker["share_at_benchmark"] == pytest.approx(1_200_000 / 2_100_000)
    assert clinker["share_basis"] == "capacity"
    assert clinker["meets_target"] is True
    # caustic soda has no capacity: weighted by output.
    assert by_area["caustic_soda"]["share_basis"] == "output"
    totals = doc["summary"]["totals"]
    assert totals["rows"] == 5 and totals["below_baseline"] == 2
    assert totals["unconfirmed_levels"] == []


def test_a_levels_status_is_carried_into_every_verdict(
    plants: Path, runner: CliRunner, tmp_path: Path
) -> None:
    statuses = mixed_status_catalogue(tmp_path / "statuses.yaml")
    result = runner.invoke(app, ["--catalogue", str(statuses), "grade", str(plants), "-f", "json"])
    doc = json.loads(result.stdout)
    assert [r["level_status"] for r in doc["results"]] == [
        "confirmed",
        "confirmed",
        "corroborated",
        "confirmed",
        "unverified",
    ]
    assert doc["summary"]["totals"]["unconfirmed_levels"] == ["corroborated", "unverified"]


def test_table_on_a_terminal_names_tiers_and_footnotes(
    plants: Path, runner: CliRunner, tmp_path: Path
) -> None:
    statuses = mixed_status_catalogue(tmp_path / "statuses.yaml")
    result = runner.invoke(app, ["--catalogue", str(statuses), "grade", str(plants)])
    out = " ".join(result.stdout.split())
    assert "benchmark" in out and "between" in out and "below baseline" in out
    assert "below_baseline" not in out  # the reader's words, not the ids
    assert "Summary by area" in out
    assert "rest on levels that are not confirmed" in out
    assert "Steelmaking / Basic oxygen (converter) process (corroborated)" in out
    assert "E104" in out
    zh = runner.invoke(app, ["--lang", "zh", "--catalogue", str(statuses), "grade", str(plants)])
    said = " ".join(zh.stdout.split())
    assert "标杆" in said and "基准–标杆" in said and "低于基准" in said
    assert "按领域汇总" in said and "炼钢 / 转炉工序 (佐证)" in said


def test_fail_on_gates(plants: Path, write_xlsx: WriteXlsx, runner: CliRunner) -> None:
    clean = write_xlsx(ROWS[:2], name="clean.xlsx")
    assert runner.invoke(app, ["grade", str(clean), "-f", "json"]).exit_code == 0
    assert (
        runner.invoke(
            app, ["grade", str(clean), "-f", "json", "--fail-on", "below_baseline"]
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(app, ["grade", str(clean), "-f", "json", "--fail-on", "between"]).exit_code
        == 1
    )


def test_github_and_junit_gates(plants: Path, runner: CliRunner) -> None:
    gh = runner.invoke(app, ["grade", str(plants), "-f", "github", "--fail-on", "below_baseline"])
    lines = gh.stdout.splitlines()
    tier_lines = [line for line in lines if "below_baseline" in line]
    assert len(tier_lines) == 2
    assert any("E104" in line for line in lines)
    junit = runner.invoke(app, ["grade", str(plants), "-f", "junit", "--fail-on", "between"])
    root = ET.fromstring(junit.stdout)
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 6  # five graded rows and the bad one
    failing = [c for c in cases if c.find("failure") is not None]
    assert len(failing) == 5  # 2 between + 2 below baseline + the E104 row


def test_csv_jsonl_markdown(plants: Path, runner: CliRunner) -> None:
    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(app, ["grade", str(plants), "-f", "csv"]).stdout))
    )
    assert [r["tier"] for r in rows] == [
        "benchmark",
        "between",
        "below_baseline",
        "between",
        "below_baseline",
    ]
    assert rows[0]["enterprise"] == "冀东水泥" and rows[0]["row"] == "2"
    lines = runner.invoke(app, ["grade", str(plants), "-f", "jsonl"]).stdout.splitlines()
    assert [json.loads(line)["row"] for line in lines] == [2, 3, 4, 5, 6]
    md = runner.invoke(app, ["grade", str(plants), "-f", "markdown"]).stdout
    assert "## Summary by area" in md and "| Cement clinker |" in md
    assert "## Steelmaking (kgce/t)" in md and "## Problems (1)" in md
    zh = runner.invoke(app, ["--lang", "zh", "grade", str(plants), "-f", "markdown"]).stdout
    assert "## 按领域汇总" in zh and "| 水泥熟料 |" in zh
    assert "## 炼钢（kgce/t）" in zh and "## 问题（1）" in zh


@pytest.mark.parametrize(
    ("by", "groups"),
    [
        ("sector", {"building_materials", "steel", "chemical", "nonferrous"}),
        ("region", {"河北", "江苏", "新疆"}),
        ("enterprise", {"冀东水泥", "华北钢铁", "华东氯碱", "某铝业"}),
    ],
)
def test_group_by(plants: Path, runner: CliRunner, by: str, groups: set[str]) -> None:
    doc = json.loads(
        runner.invoke(app, ["grade", str(plants), "-f", "json", "--group-by", by]).stdout
    )
    assert {g["group"] for g in doc["summary"][f"by_{by}"]} == groups


def test_output_file_is_atomic_and_never_an_input(
    plants: Path, tmp_path: Path, runner: CliRunner
) -> None:
    out = tmp_path / "graded.csv"
    result = runner.invoke(app, ["grade", str(plants), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 1 and out.exists()
    assert not list(tmp_path.glob(".graded.csv.*"))
    before = hashlib.sha256(plants.read_bytes()).hexdigest()
    refused = runner.invoke(app, ["grade", str(plants), "-f", "csv", "-o", str(plants)])
    assert refused.exit_code == 2 and "refusing to write over the input" in refused.output
    assert hashlib.sha256(plants.read_bytes()).hexdigest() == before
    needs_o = runner.invoke(app, ["grade", str(plants), "-f", "xlsx"])
    assert needs_o.exit_code == 2


def test_formula_injection_is_neutralised_in_csv(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "evil.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["企业名称", "生产线", "领域", "单位产品能耗", "地区"],
                ['=HYPERLINK("http://evil")', "+1", "水泥熟料", "99", "@SUM(A1)"],
            ]
        )
    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(app, ["grade", str(path), "-f", "csv"]).stdout))
    )
    assert rows[0]["enterprise"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["region"] == "'@SUM(A1)"
    assert rows[0]["line"] == "+1"  # a plain number is data, not a formula


def test_configuration_file(
    plants: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "benchmark.toml").write_text(
        'fail-on = "between"\nformat = "json"\n', encoding="utf-8"
    )
    clean = tmp_path / "clean.csv"
    clean.write_text("企业名称,领域,单位产品能耗\n甲,水泥熟料,110\n", encoding="utf-8")
    result = runner.invoke(app, ["grade", str(clean)])
    assert result.exit_code == 1 and json.loads(result.stdout)["results"][0]["tier"] == "between"
    assert runner.invoke(app, ["grade", str(clean), "--fail-on", "below_baseline"]).exit_code == 0
    assert runner.invoke(app, ["--no-config", "grade", str(clean)]).exit_code == 0
    (tmp_path / "benchmark.toml").write_text('colour = "red"\n', encoding="utf-8")
    bad = runner.invoke(app, ["grade", str(clean)])
    assert bad.exit_code == 2 and "colour" in bad.output


def test_pyproject_configuration_with_header_aliases(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.benchmark]\nheader-aliases = { value = ["吨熟料综合能耗"] }\n', encoding="utf-8"
    )
    data = tmp_path / "d.csv"
    data.write_text("企业名称,领域,吨熟料综合能耗\n甲,水泥熟料,99\n", encoding="utf-8")
    result = runner.invoke(app, ["grade", str(data), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["tier"] == "benchmark"


def test_explain_and_version(runner: CliRunner) -> None:
    out = runner.invoke(app, ["explain", "E104"])
    assert out.exit_code == 0 and "not a number" in out.stdout
    listing = runner.invoke(app, ["explain"]).stdout
    assert all(code in listing for code in ("E001", "E110", "W201", "W202"))
    assert runner.invoke(app, ["explain", "E999"]).exit_code == 2
    assert runner.invoke(app, ["--version"]).stdout.startswith("benchmark ")


def test_real_subprocess_grade_and_stdin(plants: Path) -> None:
    proc = subprocess.run(
        [benchmark_script(), "grade", str(plants), "-f", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(json.loads(proc.stdout)["results"]) == 5
    csv_text = "企业名称,领域,单位产品能耗\n甲,水泥熟料,99\n"
    piped = subprocess.run(
        [benchmark_script(), "grade", "-", "-f", "jsonl"],
        input=csv_text.encode("gbk"),
        capture_output=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout.decode())["tier"] == "benchmark"


def test_json_outputs_validate_against_the_published_schema(
    plants: Path, runner: CliRunner
) -> None:
    from benchmark.contract import GradeDocument, ValidateDocument

    grade_doc = GradeDocument.model_validate_json(
        runner.invoke(app, ["grade", str(plants), "-f", "json"]).stdout
    )
    assert len(grade_doc.results) == 5
    assert grade_doc.summary.by_area is not None and len(grade_doc.summary.by_area) == 4
    validate_doc = ValidateDocument.model_validate_json(
        runner.invoke(app, ["validate", str(plants), "-f", "json"]).stdout
    )
    assert validate_doc.errors == 1 and validate_doc.rows_valid == 5
    schema = json.loads(runner.invoke(app, ["schema", "grade"]).stdout)
    assert "results" in schema["properties"]


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["grade"],
        ["template"],
        ["schema"],
        ["explain"],
        ["catalogue"],
        ["catalogue", "show"],
        ["catalogue", "validate"],
    ],
)
def test_every_command_help_has_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout

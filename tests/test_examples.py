"""The shipped examples say what the README says: seeded errors at their cells, the right tiers,
full coverage of the catalogue, and they are exactly what make_examples.py writes."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.cli import app
from benchmark.problems import CHECKS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ERRORS = EXAMPLES / "plants_with_errors.xlsx"
PLANT = EXAMPLES / "plant.xlsx"
INDUSTRY = EXAMPLES / "industry_list.xlsx"
STRICTER = EXAMPLES / "stricter_local_catalogue.yaml"

#: (code, sheet, row, column) of every error seeded in plants_with_errors.xlsx.
SEEDED_ERRORS = {
    ("E101", "Sheet1", 5, "A"),
    ("E102", "Sheet1", 6, "C"),
    ("E104", "Sheet1", 7, "E"),
    ("E103", "Sheet1", 8, "D"),
    ("E105", "Sheet1", 9, "D"),
    ("E106", "Sheet1", 10, "F"),
    ("E107", "Sheet1", 11, "F"),
    ("E108", "Sheet1", 12, "G"),
    ("E109", "Sheet1", 13, "E"),
    ("E110", "Sheet1", 14, "A"),
    ("W201", "Sheet1", 15, "E"),
    ("W202", "Sheet1", 16, "I"),
}
#: The bad rows of industry_list.xlsx.
SEEDED_INDUSTRY = {
    ("E102", "企业名单", 40, "E"),
    ("E104", "企业名单", 91, "G"),
    ("E103", "企业名单", 153, "F"),
    ("E107", "企业名单", 214, "H"),
    ("E110", "企业名单", 265, "B"),
}


def run(*args: str) -> tuple[int, Any]:
    """Run the CLI in-process; return the exit code and the parsed JSON output."""
    result = CliRunner().invoke(app, ["--no-config", *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def located(problems: list[dict[str, Any]]) -> set[tuple[str, str, int, str]]:
    return {(p["code"], p["sheet"], p["row"], p["column"]) for p in problems}


@pytest.fixture(scope="module")
def industry() -> tuple[int, Any]:
    return run("grade", str(INDUSTRY), "--format", "json")


# --- plants_with_errors.xlsx -------------------------------------------------------------------


def test_every_row_level_code_is_seeded_once() -> None:
    row_level = {c for c in CHECKS if c[1] in "12"}
    assert sorted(code for code, *_ in SEEDED_ERRORS) == sorted(row_level)


def test_seeded_errors_are_reported_at_their_cells() -> None:
    code, doc = run("validate", str(ERRORS), "--format", "json")
    assert code == 1
    assert located(doc["problems"]) == SEEDED_ERRORS
    # Named relative to the working directory when under it (hand-over reports).
    assert {(Path.cwd() / p["file"]).resolve() for p in doc["problems"]} == {ERRORS}
    assert len(doc["problems"]) == len(SEEDED_ERRORS)
    e104 = next(p for p in doc["problems"] if p["code"] == "E104")
    assert e104["header"] == "单位产品能耗" and '"12,o5"' in e104["message"]
    assert doc["rows_total"] == 16 and doc["rows_valid"] == 6  # 4 valid + W201 + W202 rows


def test_readme_lists_the_seeded_cells() -> None:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for code, sheet, row, column in SEEDED_ERRORS | SEEDED_INDUSTRY:
        assert re.search(rf"`{sheet}!{column}{row}` \| {code} \|", text), (code, sheet, row)
    for name in (
        "plant.xlsx",
        "industry_list.xlsx",
        "plants_with_errors.xlsx",
        "plants.csv",
        "stricter_local_catalogue.yaml",
        "github-actions.yml",
    ):
        assert f"`{name}`" in text


# --- plant.xlsx --------------------------------------------------------------------------------


def test_plant_validates_clean() -> None:
    code, doc = run("validate", str(PLANT), "--format", "json")
    assert code == 0 and doc["problems"] == [] and doc["rows_valid"] == 2


def test_plant_grades_both_kilns() -> None:
    code, doc = run("grade", str(PLANT), "--format", "json")
    assert code == 0
    got = [
        (r["sheet"], r["row"], r["line"], r["value"], r["benchmark"], r["baseline"], r["tier"])
        for r in doc["results"]
    ]
    assert got == [
        ("Sheet1", 3, "1#窑", 98.5, 100.0, 117.0, "benchmark"),
        ("Sheet1", 4, "2#窑", 112.0, 100.0, 117.0, "between"),
    ]
    assert {r["area"] for r in doc["results"]} == {"cement_clinker"}
    assert doc["results"][0]["enterprise"] == "冀东某水泥有限公司"
    assert doc["results"][1]["saving_to_benchmark_tce"] == pytest.approx(12 * 1_180_000 / 1000)


# --- industry_list.xlsx ------------------------------------------------------------------------


def test_industry_list_covers_every_area_and_level(
    industry: tuple[int, Any], catalogue: Catalogue
) -> None:
    _, doc = industry
    results = doc["results"]
    assert doc["rows_total"] == 300 and len(results) == 295
    assert {r["area"] for r in results} == {a.id for a in catalogue.areas}
    assert {(r["area"], r["category"]) for r in results} == {
        (a.id, lv.category) for a, lv in catalogue.iter_levels()
    }
    assert len({(r["area"], r["category"]) for r in results}) == 47
    for area, lv in catalogue.iter_levels():
        tiers = {r["tier"] for r in results if (r["area"], r["category"]) == (area.id, lv.category)}
        assert tiers == {"benchmark", "between", "below_baseline"}, (area.id, lv.category)
    assert any(r["value"] == r["benchmark"] for r in results)  # some exactly at the level
    converter = [r["value"] for r in results if r["category"] == "converter"]
    assert converter and min(converter) < -10
    assert {r["year"] for r in results} == {2022, 2023, 2024}
    assert sum(r["output"] is not None for r in results) > 0.8 * len(results)
    assert sum(r["capacity"] is not None for r in results) > 0.8 * len(results)


def test_industry_list_converts_unit_spellings(industry: tuple[int, Any]) -> None:
    results = industry[1]["results"]
    units = {r["input_unit"] for r in results}
    assert {"tce/t", "千克标准煤/吨", "kgoe/t", "MWh/t", None} <= units
    kgoe = [r for r in results if r["input_unit"] == "kgoe/t" and r["unit"] == "kgce/t"]
    assert kgoe, "kgoe/t given for a kgce/t area"
    for r in kgoe:
        assert r["value"] == pytest.approx(float(r["input_value"]) * 1.4286)
    for r in results:
        if r["input_unit"] == "tce/t":
            assert r["value"] == pytest.approx(float(r["input_value"]) * 1000)


def test_industry_list_reports_exactly_the_seeded_bad_rows(industry: tuple[int, Any]) -> None:
    code, doc = industry
    assert code == 1
    assert located(doc["problems"]) == SEEDED_INDUSTRY
    assert all(p["severity"] == "error" for p in doc["problems"])


# --- plants.csv --------------------------------------------------------------------------------


def test_gbk_csv() -> None:
    raw = (EXAMPLES / "plants.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk").startswith("企业名称,")
    code, doc = run("grade", str(EXAMPLES / "plants.csv"), "--format", "json")
    assert code == 0 and doc["problems"] == []
    assert [r["area"] for r in doc["results"]] == [
        "steelmaking",
        "ironmaking",
        "flat_glass",
        "electrolytic_aluminium",
        "synthetic_ammonia",
    ]


# --- the stricter catalogue --------------------------------------------------------------------


def test_stricter_catalogue_validates_and_differs_in_two_areas(catalogue: Catalogue) -> None:
    result = CliRunner().invoke(app, ["--no-config", "catalogue", "validate", str(STRICTER)])
    assert result.exit_code == 0, result.output
    local = load_catalogue(STRICTER)
    assert local.edition != catalogue.edition and "河北" in local.title_zh
    changed = {
        (a.id, lv.category)
        for (a, lv), (_, national) in zip(local.iter_levels(), catalogue.iter_levels(), strict=True)
        if (lv.benchmark, lv.baseline) != (national.benchmark, national.baseline)
    }
    assert {area for area, _ in changed} == {"cement_clinker", "flat_glass"}
    for area_id, category in changed:
        ours = local.area(area_id).level(category)
        national = catalogue.area(area_id).level(category)
        assert ours.baseline < national.baseline and ours.benchmark <= national.benchmark


def test_stricter_catalogue_changes_a_tier() -> None:
    _, shipped = run("grade", str(PLANT), "--format", "json")
    code, local = run("--catalogue", str(STRICTER), "grade", str(PLANT), "--format", "json")
    assert code == 0
    assert [r["tier"] for r in shipped["results"]] == ["benchmark", "between"]
    assert [r["tier"] for r in local["results"]] == ["benchmark", "below_baseline"]
    assert local["results"][1]["baseline"] == 108.0
    assert local["catalogue"]["edition"] == "2021-hebei-example"


# --- CI files ----------------------------------------------------------------------------------


def test_github_workflow() -> None:
    doc = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text(encoding="utf-8"))
    runs = [s.get("run", "") for job in doc["jobs"].values() for s in job["steps"]]
    assert any(r.startswith("pip install") for r in runs)
    assert "benchmark validate data/ --format github" in runs
    assert "benchmark grade data/ --fail-on below_baseline --format github" in runs


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "benchmark-validate")
    assert hook["language"] == "python" and hook["entry"] == "benchmark validate"
    files = re.compile(hook["files"])
    assert files.search("data/plants.xlsx") and files.search("a.xlsm") and files.search("b.csv")
    assert not files.search("notes.txt") and not files.search("plants.xlsx.bak")
    assert re.search(hook["exclude"], "data/~$plants.xlsx")


# --- reproducibility ---------------------------------------------------------------------------


def _make_examples(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import the script by path (registered while it runs: its dataclasses need that)."""
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_examples", module)
    spec.loader.exec_module(module)
    return module


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_examples_are_what_the_script_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_examples(monkeypatch).main(["--out", str(tmp_path)])
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == [
        "README.md",
        "bureau_list.xlsx",
        "industry_list.xlsx",
        "plant.xlsx",
        "plants.csv",
        "plants_with_errors.xlsx",
        "stricter_local_catalogue.yaml",
    ]
    for name in written:
        if name.endswith(".xlsx"):
            # xlsx zips carry timestamps: compare what a reader sees, cell by cell.
            assert _cells(tmp_path / name) == _cells(EXAMPLES / name), name
        else:
            assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), name

"""The catalogue: equal to the reference table, and every kind of broken catalogue refused."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from benchmark.catalogue import CatalogueError, load_catalogue, parse_catalogue
from benchmark.cli import app

from .conftest import ROOT, benchmark_script

REFERENCE = ROOT.parent / "shared" / "reference" / "levels_2021.csv"
YAML_PATH = ROOT / "data" / "benchmarks_2021.yaml"


def reference_rows() -> list[dict[str, str]]:
    if not REFERENCE.exists():
        pytest.skip("shared/reference is not beside this checkout")
    with REFERENCE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_yaml_equals_reference_row_by_row() -> None:
    cat = load_catalogue(YAML_PATH)
    ours = [(a, lv) for a, lv in cat.iter_levels()]
    ref = reference_rows()
    assert len(ours) == len(ref) == 45
    assert len(cat.areas) == 25
    for (area, lv), row in zip(ours, ref, strict=True):
        assert area.id == row["area_id"]
        assert area.name_zh == row["area_zh"] and area.name_en == row["area_en"]
        assert area.sector == row["sector"]
        assert (lv.category or "") == row["category_id"]
        assert lv.name_zh == row["category_zh"] and lv.name_en == row["category_en"]
        assert area.indicator_zh == row["indicator_zh"]
        assert area.indicator_en == row["indicator_en"]
        assert area.unit == row["unit"]
        assert lv.benchmark == float(row["benchmark"]), (area.id, lv.category)
        assert lv.baseline == float(row["baseline"]), (area.id, lv.category)
        assert lv.standard == row["standard"]
        assert lv.status == row["status"]
        assert lv.note == row["note"]


def test_yaml_numbers_are_written_to_the_digit() -> None:
    """The YAML text carries the reference's digits, not a float's rounding."""
    data = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    written = [(a["id"], lv["category"] or "", str(lv["benchmark"]), str(lv["baseline"]))
               for a in data["areas"] for lv in a["levels"]]
    ref = [(r["area_id"], r["category_id"], r["benchmark"], r["baseline"])
           for r in reference_rows()]
    assert written == ref


def test_edition_metadata(catalogue) -> None:  # type: ignore[no-untyped-def]
    assert catalogue.document == "发改产业〔2021〕1609号"
    assert catalogue.effective.isoformat() == "2022-01-01"
    assert catalogue.deadline.isoformat() == "2025-12-31"
    assert catalogue.target_share == 0.3
    for area_id in ("copper_smelting", "lead_smelting", "zinc_smelting"):
        assert catalogue.target_for(catalogue.area(area_id)) == 0.5
    assert catalogue.target_for(catalogue.area("cement_clinker")) == 0.3


@pytest.mark.parametrize(("text", "area", "category"), [
    ("水泥熟料", "cement_clinker", None), ("clinker", "cement_clinker", None),
    ("Cement clinker", "cement_clinker", None), ("CEMENT_CLINKER", "cement_clinker", None),
    ("离子膜法液碱≥30%", "caustic_soda", "membrane_liquid_30"),
    ("30% liquid caustic soda", "caustic_soda", "membrane_liquid_30"),
    ("转炉", "steelmaking", "converter"), ("BOF", "steelmaking", "converter"),
    ("converter", "steelmaking", "converter"), ("电解铝", "electrolytic_aluminium", None),
    ("ｃｌｉｎｋｅｒ", "cement_clinker", None), ("水泥\u200f熟料", "cement_clinker", None),
])
def test_lookup_by_alias(catalogue, text: str, area: str, category: str | None  # type: ignore[no-untyped-def]
                         ) -> None:
    hit = catalogue.resolve(text)
    assert hit is not None
    assert hit[0].id == area
    assert (hit[1].category if hit[1] else None) == category


def _base() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))


def _problems(data: object) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(yaml.safe_dump(data, allow_unicode=True).encode(), "x.yaml")
    return [str(p) for p in info.value.problems]


def test_refuses_duplicate_id() -> None:
    data = _base()
    data["areas"][5]["id"] = data["areas"][2]["id"]
    assert any(p.startswith("areas[5].id: duplicate id 'coal_to_methanol'")
               for p in _problems(data))


def test_refuses_duplicate_alias_across_areas() -> None:
    data = _base()
    data["areas"][3]["aliases"].append("clinker")
    assert any(p.startswith("areas[3].aliases: alias 'clinker' is already used")
               or "alias 'clinker'" in p for p in _problems(data))


def test_refuses_benchmark_not_below_baseline() -> None:
    data = _base()
    data["areas"][3]["levels"][0]["benchmark"] = data["areas"][3]["levels"][0]["baseline"]
    assert any(p.startswith("areas[3].levels[0].baseline: benchmark") for p in _problems(data))


def test_refuses_unknown_unit() -> None:
    data = _base()
    data["areas"][0]["unit"] = "furlongs/fortnight"
    assert any(p.startswith("areas[0].unit: unknown unit") for p in _problems(data))


def test_refuses_missing_category_in_multi_level_area() -> None:
    data = _base()
    data["areas"][1]["levels"][1]["category"] = None
    assert any(p.startswith("areas[1].levels[1].category:") for p in _problems(data))


def test_refuses_missing_field_and_unknown_key() -> None:
    data = _base()
    del data["areas"][4]["levels"][0]["baseline"]
    data["areas"][2]["colour"] = "red"
    problems = _problems(data)
    assert any(p.startswith("areas[4].levels[0].baseline: Field required") for p in problems)
    assert any(p.startswith("areas[2].colour: Extra inputs are not permitted") for p in problems)


def test_refuses_bad_status() -> None:
    data = _base()
    data["areas"][0]["levels"][0]["status"] = "probably"
    assert any(p.startswith("areas[0].levels[0].status:") for p in _problems(data))


def test_refuses_yaml_aliases_and_huge_files() -> None:
    bomb = b"a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b]\n"
    with pytest.raises(CatalogueError, match="aliases are not allowed"):
        parse_catalogue(bomb, "bomb.yaml")
    with pytest.raises(CatalogueError, match="at most"):
        parse_catalogue(b"#" * 3_000_000, "big.yaml")


def test_catalogue_json_contract(runner: CliRunner) -> None:
    result = runner.invoke(app, ["catalogue", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["edition"] == "2021" and doc["document"] == "发改产业〔2021〕1609号"
    assert len(doc["areas"]) == 25
    assert sum(len(a["levels"]) for a in doc["areas"]) == 45
    area_keys = {"id", "name_zh", "name_en", "sector", "indicator_zh", "indicator_en", "unit",
                 "standard", "levels"}
    level_keys = {"category", "name_zh", "name_en", "benchmark", "baseline", "status", "note"}
    for area in doc["areas"]:
        assert area_keys <= set(area)
        for lv in area["levels"]:
            assert level_keys <= set(lv)
    ref = reference_rows()
    flat = [(a["id"], lv["category"] or "", lv["benchmark"], lv["baseline"], lv["status"])
            for a in doc["areas"] for lv in a["levels"]]
    assert flat == [(r["area_id"], r["category_id"], float(r["benchmark"]),
                     float(r["baseline"]), r["status"]) for r in ref]


def test_catalogue_table_sector_filter_and_formats(runner: CliRunner) -> None:
    result = runner.invoke(app, ["catalogue", "--sector", "steel"])
    assert result.exit_code == 0
    assert "steelmaking" in result.stdout and "cement_clinker" not in result.stdout
    csv_out = runner.invoke(app, ["catalogue", "--format", "csv", "--sector", "nonferrous"])
    rows = list(csv.DictReader(csv_out.stdout.splitlines()))
    assert [r["area"] for r in rows] == ["copper_smelting", "lead_smelting", "zinc_smelting",
                                         "electrolytic_aluminium"]
    md = runner.invoke(app, ["catalogue", "--format", "markdown"])
    assert md.stdout.count("\n| ") == 46  # header and 45 levels
    bad = runner.invoke(app, ["catalogue", "--sector", "textiles"])
    assert bad.exit_code == 2


def test_catalogue_show_by_chinese_alias_and_did_you_mean(runner: CliRunner) -> None:
    result = runner.invoke(app, ["catalogue", "show", "转炉"])
    assert result.exit_code == 0
    assert "-30" in result.stdout and "-10" in result.stdout and "converter" in result.stdout
    unknown = runner.invoke(app, ["catalogue", "show", "cemnt"])
    assert unknown.exit_code == 2
    assert "did you mean cement_clinker" in unknown.output


def test_catalogue_validate_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    good = runner.invoke(app, ["catalogue", "validate", str(YAML_PATH)])
    assert good.exit_code == 0 and "25 areas, 45 levels" in good.stdout
    data = _base()
    data["areas"][3]["levels"][0]["benchmark"] = 99999
    data["areas"][0]["unit"] = "kg"
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    bad = runner.invoke(app, ["catalogue", "validate", str(bad_file)])
    assert bad.exit_code == 1
    assert "areas[3].levels[0].baseline" in bad.stdout and "areas[0].unit" in bad.stdout


def test_global_catalogue_option_and_environment(runner: CliRunner, tmp_path: Path) -> None:
    data = _base()
    data["areas"][0]["levels"][0]["benchmark"] = 7.0
    custom = tmp_path / "local.yaml"
    custom.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    by_flag = runner.invoke(app, ["--catalogue", str(custom), "catalogue", "-f", "json"])
    assert json.loads(by_flag.stdout)["areas"][0]["levels"][0]["benchmark"] == 7.0
    by_env = runner.invoke(app, ["catalogue", "-f", "json"],
                           env={"BENCHMARK_CATALOGUE": str(custom)})
    assert json.loads(by_env.stdout)["areas"][0]["levels"][0]["benchmark"] == 7.0
    missing = runner.invoke(app, ["--catalogue", str(tmp_path / "nope.yaml"), "catalogue"])
    assert missing.exit_code == 2 and "nope.yaml" in missing.output


def test_installed_script_finds_the_shipped_catalogue(tmp_path: Path) -> None:
    """A real subprocess, run away from the source tree."""
    proc = subprocess.run([benchmark_script(), "catalogue", "--format", "json"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["areas"]) == 25
    version = subprocess.run([benchmark_script(), "--version"], capture_output=True, text=True,
                             timeout=60)
    from benchmark import __version__
    assert version.stdout.strip() == f"benchmark {__version__}"

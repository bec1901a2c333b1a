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

#: The reference as last copied into the repository; ``shared/reference`` beside the checkout,
#: where there is one, must still equal it.
REFERENCE_DIR = ROOT / "tests" / "reference"
SHARED_DIR = ROOT.parent / "shared" / "reference"
YAML_PATH = ROOT / "data" / "benchmarks_2021.yaml"


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def reference_rows() -> list[dict[str, str]]:
    return _csv(REFERENCE_DIR / "levels_2021.csv")


def reference_targets() -> list[dict[str, str]]:
    return _csv(REFERENCE_DIR / "targets_2021.csv")


@pytest.mark.parametrize("name", ["levels_2021.csv", "targets_2021.csv"])
def test_the_copied_reference_is_the_shared_one(name: str) -> None:
    if not (SHARED_DIR / name).exists():
        pytest.skip("shared/reference is not beside this checkout")
    assert (REFERENCE_DIR / name).read_bytes() == (SHARED_DIR / name).read_bytes()


def test_yaml_equals_reference_row_by_row() -> None:
    cat = load_catalogue(YAML_PATH)
    ours = [(a, lv) for a, lv in cat.iter_levels()]
    ref = reference_rows()
    assert len(ours) == len(ref) == 47
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
        assert lv.source == row["source"]
        assert lv.note == row["note"]


def test_yaml_numbers_are_written_to_the_digit() -> None:
    """The YAML text carries the reference's digits, not a float's rounding."""
    data = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    written = [
        (a["id"], lv["category"] or "", str(lv["benchmark"]), str(lv["baseline"]))
        for a in data["areas"]
        for lv in a["levels"]
    ]
    ref = [
        (r["area_id"], r["category_id"], r["benchmark"], r["baseline"]) for r in reference_rows()
    ]
    assert written == ref


def test_edition_metadata(catalogue) -> None:  # type: ignore[no-untyped-def]
    assert catalogue.document == "发改产业〔2021〕1609号"
    assert catalogue.effective.isoformat() == "2022-01-01"
    assert catalogue.deadline.isoformat() == "2025-12-31"
    own = {
        "synthetic_ammonia": 0.15,
        "flat_glass": 0.2,
        "caustic_soda": 0.4,
        "paraxylene": 0.5,
        "coal_to_olefins": 0.5,
        "soda_ash": 0.5,
        "copper_smelting": 0.5,
        "lead_smelting": 0.5,
        "zinc_smelting": 0.5,
        "cement_clinker": 0.3,
    }
    for area_id, share in own.items():
        assert catalogue.target_for(catalogue.area(area_id)) == share, area_id
    assert catalogue.successor.document == "发改产业〔2023〕723号"
    assert len(catalogue.successor.new_areas) == 11


def test_three_corrected_rows_and_the_methanol_feedstocks(catalogue) -> None:  # type: ignore[no-untyped-def]
    soda = catalogue.area("soda_ash")
    assert (soda.level("ammonia_heavy").benchmark, soda.level("ammonia_heavy").baseline) == (
        390,
        420,
    )
    assert (soda.level("dual_heavy").benchmark, soda.level("dual_heavy").baseline) == (210, 295)
    lead = catalogue.area("lead_smelting").levels[0]
    assert (lead.benchmark, lead.baseline) == (230, 300)
    methanol = catalogue.area("coal_to_methanol")
    assert [(lv.category, lv.benchmark, lv.baseline) for lv in methanol.levels] == [
        ("lignite", 1550, 2000),
        ("bituminous", 1400, 1800),
        ("anthracite", 1250, 1600),
    ]
    for text, category in (
        ("褐煤", "lignite"),
        ("烟煤", "bituminous"),
        ("无烟煤", "anthracite"),
        ("Lignite", "lignite"),
        ("bituminous coal", "bituminous"),
    ):
        level = methanol.find_category(text)
        assert level is not None and level.category == category, text


def test_a_category_name_shared_by_two_areas_names_no_area(catalogue) -> None:  # type: ignore[no-untyped-def]
    """烟煤 is a feed of both methanol and ammonia: alone it cannot say which area."""
    assert catalogue.resolve("烟煤") is None
    assert catalogue.area("synthetic_ammonia").find_category("烟煤").category == "pulverized_coal"
    hit = catalogue.resolve("褐煤")  # methanol's alone
    assert hit is not None and hit[0].id == "coal_to_methanol"


@pytest.mark.parametrize(
    ("text", "area", "category"),
    [
        ("水泥熟料", "cement_clinker", None),
        ("clinker", "cement_clinker", None),
        ("Cement clinker", "cement_clinker", None),
        ("CEMENT_CLINKER", "cement_clinker", None),
        ("离子膜法液碱≥30%", "caustic_soda", "membrane_liquid_30"),
        ("30% liquid caustic soda", "caustic_soda", "membrane_liquid_30"),
        ("转炉", "steelmaking", "converter"),
        ("BOF", "steelmaking", "converter"),
        ("converter", "steelmaking", "converter"),
        ("电解铝", "electrolytic_aluminium", None),
        ("ｃｌｉｎｋｅｒ", "cement_clinker", None),
        ("水泥\u200f熟料", "cement_clinker", None),
    ],
)
def test_lookup_by_alias(
    catalogue,
    text: str,
    area: str,
    category: str | None,  # type: ignore[no-untyped-def]
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
    assert any(
        p.startswith("areas[5].id: duplicate id 'coal_to_methanol'") for p in _problems(data)
    )


def test_refuses_duplicate_alias_across_areas() -> None:
    data = _base()
    data["areas"][3]["aliases"].append("clinker")
    assert any("alias 'clinker'" in p for p in _problems(data))
    data = _base()  # a category named like another area
    data["areas"][1]["levels"][0]["aliases"].append("水泥")
    assert (
        "areas[1].levels[0].aliases: alias '水泥' is already used by cement_clinker"
        in _problems(data)
    )


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


def _share_text(share: dict | None) -> str:  # type: ignore[type-arg]
    """A JSON share as the reference writes it: 25, <5, or blank."""
    if share is None:
        return ""
    return ("<" if share.get("under") else "") + f"{share['share'] * 100:g}"


def test_catalogue_json_equals_both_reference_files(runner: CliRunner) -> None:
    """Every field of levels_2021.csv and targets_2021.csv, through the real CLI."""
    result = runner.invoke(app, ["catalogue", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["edition"] == "2021" and doc["document"] == "发改产业〔2021〕1609号"
    assert len(doc["areas"]) == 25
    flat = [(a, lv) for a in doc["areas"] for lv in a["levels"]]
    ref = reference_rows()
    assert len(flat) == len(ref) == 47
    for (area, lv), row in zip(flat, ref, strict=True):
        got = {
            "area_id": area["id"],
            "area_zh": area["name_zh"],
            "area_en": area["name_en"],
            "sector": area["sector"],
            "category_id": lv["category"] or "",
            "category_zh": lv["name_zh"],
            "category_en": lv["name_en"],
            "indicator_zh": area["indicator_zh"],
            "indicator_en": area["indicator_en"],
            "unit": area["unit"],
            "benchmark": f"{lv['benchmark']:g}",
            "baseline": f"{lv['baseline']:g}",
            "standard": lv["standard"],
            "status": lv["status"],
            "source": lv["source"],
            "note": lv["note"],
        }
        assert got == row
    by_id = {a["id"]: a for a in doc["areas"]}
    targets = reference_targets()
    assert [t["area_id"] for t in targets] != [] and set(by_id) == {t["area_id"] for t in targets}
    for row in targets:
        area = by_id[row["area_id"]]
        below = area["target_below_baseline"]
        got = {
            "area_id": area["id"],
            "target_benchmark_share_2025": f"{area['target_share'] * 100:g}",
            "target_below_baseline_2025": "" if below is None else f"{below * 100:g}",
            "national_benchmark_share_2020": _share_text(area["national_2020"]["at_benchmark"]),
            "national_below_baseline_share_2020": _share_text(
                area["national_2020"]["below_baseline"]
            ),
            "source": area["target_source"],
            "note": area["target_note"],
        }
        assert got == row


def test_catalogue_table_sector_filter_and_formats(runner: CliRunner) -> None:
    result = runner.invoke(app, ["catalogue", "--sector", "steel"])
    assert result.exit_code == 0
    assert "steelmaking" in result.stdout and "cement_clinker" not in result.stdout
    csv_out = runner.invoke(app, ["catalogue", "--format", "csv", "--sector", "nonferrous"])
    rows = list(csv.DictReader(csv_out.stdout.splitlines()))
    assert [r["area"] for r in rows] == [
        "copper_smelting",
        "lead_smelting",
        "zinc_smelting",
        "electrolytic_aluminium",
    ]
    md = runner.invoke(app, ["catalogue", "--format", "markdown"])
    assert md.stdout.count("\n| ") == 48  # header and 47 levels
    bad = runner.invoke(app, ["catalogue", "--sector", "textiles"])
    assert bad.exit_code == 2


def test_catalogue_show_by_chinese_alias_and_did_you_mean(runner: CliRunner) -> None:
    result = runner.invoke(app, ["catalogue", "show", "转炉"])
    assert result.exit_code == 0
    assert "-30" in result.stdout and "-10" in result.stdout and "converter" in result.stdout
    unknown = runner.invoke(app, ["catalogue", "show", "cemnt"])
    assert unknown.exit_code == 2
    assert "did you mean cement_clinker" in unknown.output


def test_catalogue_show_gives_sources_targets_and_2020_shares(runner: CliRunner) -> None:
    result = runner.invoke(app, ["catalogue", "show", "平板玻璃"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "发改产业〔2022〕200号 附件12" in result.stdout
    assert "at least 20% of capacity at the benchmark level" in result.stdout
    assert "none left (基本清零)" in result.stdout
    assert "national 2020: <5% at benchmark, 8% below baseline" in result.stdout
    phosphate = runner.invoke(app, ["catalogue", "show", "MAP"], env={"COLUMNS": "200"})
    assert "below the baseline: under 30%" in phosphate.stdout
    refining = runner.invoke(app, ["catalogue", "show", "炼油"], env={"COLUMNS": "200"})
    assert "below the baseline: no figure given" in refining.stdout


@pytest.mark.parametrize("name", ["尿素", "PVC", "工业硅", "粘胶短纤维", "乙二醇", "MEG"])
def test_an_area_of_the_2023_edition_is_named_as_such(runner: CliRunner, name: str) -> None:
    result = runner.invoke(app, ["catalogue", "show", name])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "is not in this catalogue (2021 edition" in text
    assert "2023 edition (发改产业〔2023〕723号)" in text and "--catalogue" in text
    assert "unknown area" not in text


def test_bare_ethylene_glycol_is_not_graded_against_the_coal_route(
    runner: CliRunner, tmp_path: Path
) -> None:
    """乙二醇 of any route is an area of 2023: only a coal-route name takes the 煤制 levels."""
    path = tmp_path / "eg.csv"
    path.write_text(
        "企业名称,行业,单位产品综合能耗,产能\n"
        "甲厂,乙二醇,1100,20\n"
        "乙厂,煤制乙二醇,1100,20\n"
        "丙厂,coal to MEG,1100,20\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["grade", str(path), "-f", "json"])
    doc = json.loads(result.stdout)
    graded = {row["enterprise"]: row["area"] for row in doc["results"]}
    assert graded == {"乙厂": "coal_to_ethylene_glycol", "丙厂": "coal_to_ethylene_glycol"}
    (problem,) = [p for p in doc["problems"] if p["code"] == "E102"]
    assert problem["row"] == 2 and "2023 edition" in problem["message"]
    assert "if it is 'coal_to_ethylene_glycol', name that area" in problem["message"]
    urea = tmp_path / "urea.csv"
    urea.write_text("企业名称,行业,单位产品综合能耗\n甲厂,尿素,1100\n", encoding="utf-8")
    (only,) = json.loads(runner.invoke(app, ["validate", str(urea), "-f", "json"]).stdout)[
        "problems"
    ]
    assert "2023 edition" in only["message"] and "name that area" not in only["message"]


def test_catalogue_validate_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    good = runner.invoke(app, ["catalogue", "validate", str(YAML_PATH)])
    assert good.exit_code == 0 and "25 areas, 47 levels" in good.stdout
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
    by_env = runner.invoke(
        app, ["catalogue", "-f", "json"], env={"BENCHMARK_CATALOGUE": str(custom)}
    )
    assert json.loads(by_env.stdout)["areas"][0]["levels"][0]["benchmark"] == 7.0
    missing = runner.invoke(app, ["--catalogue", str(tmp_path / "nope.yaml"), "catalogue"])
    assert missing.exit_code == 2 and "nope.yaml" in missing.output


def test_installed_script_finds_the_shipped_catalogue(tmp_path: Path) -> None:
    """A real subprocess, run away from the source tree."""
    proc = subprocess.run(
        [benchmark_script(), "catalogue", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["areas"]) == 25
    version = subprocess.run(
        [benchmark_script(), "--version"], capture_output=True, text=True, timeout=60
    )
    from benchmark import __version__

    assert version.stdout.strip() == f"benchmark {__version__}"

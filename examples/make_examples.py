#!/usr/bin/env python3
"""Regenerate the shipped examples, byte for byte in content, from the catalogue.

    python examples/make_examples.py            # rewrite examples/ in place
    python examples/make_examples.py --out DIR  # write them elsewhere (the tests compare)

Generated rather than hand-made so that every seeded error sits at a known cell, the industry
list covers every level row of the catalogue, and a catalogue change is one command away from
examples that agree with it. Plain Python, openpyxl and PyYAML only, with a fixed random seed;
all enterprise names are fictitious.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE.parent / "data" / "benchmarks_2021.yaml"
SEED = 1609
#: Workbook metadata time, fixed so that only the zip timestamps change between runs.
FIXED_TIME = dt.datetime(2024, 12, 31, 12, 0, 0)
#: kgce per kgoe (GB/T 2589-2020), as the units module uses it.
KGCE_PER_KGOE = 1.4286

Row = dict[str, Any]
TIERS = ("benchmark", "between", "below_baseline")

PROVINCES = (
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "天津",
)
TRADE_NAMES = (
    "华瑞",
    "恒信",
    "金泰",
    "宏达",
    "鑫源",
    "海天",
    "天成",
    "永兴",
    "东方",
    "新港",
    "丰源",
    "安泰",
    "万通",
    "盛达",
    "中泰",
    "瑞丰",
    "嘉禾",
    "宝源",
    "荣盛",
    "昌盛",
)
#: Word in a fictitious company name, and the word for one of its lines, per area.
NAME_WORDS: dict[str, tuple[str, str]] = {
    "oil_refining": ("石化", "常减压装置"),
    "coal_to_coke": ("焦化", "焦炉"),
    "coal_to_methanol": ("煤化工", "甲醇装置"),
    "coal_to_olefins": ("煤化工", "烯烃装置"),
    "coal_to_ethylene_glycol": ("煤化工", "乙二醇装置"),
    "caustic_soda": ("氯碱化工", "电解槽"),
    "soda_ash": ("碱业", "纯碱装置"),
    "calcium_carbide": ("电石", "电石炉"),
    "ethylene": ("石化", "乙烯裂解装置"),
    "paraxylene": ("石化", "芳烃装置"),
    "yellow_phosphorus": ("磷化工", "黄磷炉"),
    "synthetic_ammonia": ("化肥", "合成氨装置"),
    "monoammonium_phosphate": ("磷肥", "磷铵装置"),
    "diammonium_phosphate": ("磷肥", "磷铵装置"),
    "cement_clinker": ("水泥", "窑"),
    "flat_glass": ("玻璃", "浮法线"),
    "building_ceramics": ("陶瓷", "窑炉"),
    "sanitary_ceramics": ("洁具", "隧道窑"),
    "ironmaking": ("钢铁", "高炉"),
    "steelmaking": ("钢铁", "炼钢炉"),
    "ferroalloy": ("铁合金", "矿热炉"),
    "copper_smelting": ("铜业", "熔炼系统"),
    "lead_smelting": ("铅业", "熔炼系统"),
    "zinc_smelting": ("锌业", "冶炼系统"),
    "electrolytic_aluminium": ("铝业", "电解系列"),
}
#: Annual capacity range per area, in the indicator's unit of product.
CAPACITY: dict[str, tuple[float, float]] = {
    "oil_refining": (5e6, 2e7),
    "coal_to_coke": (1e6, 4e6),
    "coal_to_methanol": (6e5, 1.8e6),
    "coal_to_olefins": (3e5, 8e5),
    "coal_to_ethylene_glycol": (2e5, 6e5),
    "caustic_soda": (1e5, 6e5),
    "soda_ash": (3e5, 1.5e6),
    "calcium_carbide": (2e5, 1e6),
    "ethylene": (5e5, 1.5e6),
    "paraxylene": (5e5, 2.5e6),
    "yellow_phosphorus": (2e4, 8e4),
    "synthetic_ammonia": (2e5, 8e5),
    "monoammonium_phosphate": (1e5, 6e5),
    "diammonium_phosphate": (1e5, 6e5),
    "cement_clinker": (1e6, 4e6),
    "flat_glass": (3e6, 1.5e7),
    "building_ceramics": (5e6, 3e7),
    "sanitary_ceramics": (2e4, 1e5),
    "ironmaking": (1e6, 8e6),
    "steelmaking": (1e6, 1e7),
    "ferroalloy": (5e4, 3e5),
    "copper_smelting": (1e5, 5e5),
    "lead_smelting": (5e4, 2e5),
    "zinc_smelting": (1e5, 4e5),
    "electrolytic_aluminium": (2e5, 1e6),
}
#: Other spellings of each catalogue unit: (spelling, figures in it per figure in the unit).
UNIT_SPELLINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "kgce/t": (
        ("千克标准煤/吨", 1.0),
        ("kg标准煤/t", 1.0),
        ("tce/t", 0.001),
        ("kgoe/t", 1 / KGCE_PER_KGOE),
    ),
    "kgoe/t": (("千克标准油/吨", 1.0), ("kgce/t", KGCE_PER_KGOE)),
    "kWh/t": (("千瓦时/吨", 1.0), ("MWh/t", 0.001)),
    "kgce/weight case": (("千克标准煤/重量箱", 1.0),),
    "kgce/m2": (("千克标准煤/平方米", 1.0), ("kgce/m²", 1.0)),
    "kgoe/(t·EF)": (("千克标准油/(吨·能量因数)", 1.0),),
}

INDUSTRY_HEADERS = {
    "seq": "序号",
    "enterprise": "企业名称",
    "region": "地区",
    "line": "生产线",
    "area": "领域",
    "category": "类别",
    "value": "单位产品综合能耗",
    "unit": "单位",
    "output": "产量",
    "capacity": "产能",
    "year": "年份",
}
ERRORS_HEADERS = {
    "enterprise": "企业名称",
    "line": "生产线",
    "area": "领域",
    "category": "类别",
    "value": "单位产品能耗",
    "unit": "单位",
    "output": "产量",
    "capacity": "产能",
    "year": "年份",
    "region": "地区",
}
PLANT_HEADERS = {
    "enterprise": "企业名称",
    "line": "生产线",
    "area": "领域",
    "value": "单位产品综合能耗",
    "unit": "单位",
    "output": "产量",
    "capacity": "产能",
    "year": "年份",
    "region": "地区",
}
CSV_HEADERS = {
    "enterprise": "企业名称",
    "line": "生产线",
    "area": "领域",
    "category": "类别",
    "value": "单位产品综合能耗",
    "unit": "单位",
    "output": "产量",
    "capacity": "产能",
    "year": "年份",
    "region": "地区",
}
TITLE_ROWS = 1  # one title row above each header row
FIRST_ROW = TITLE_ROWS + 2


@dataclass(frozen=True)
class Seeded:
    """An error put into an example on purpose, and the cell where the validator must find it."""

    file: str
    sheet: str
    row: int
    column: str
    code: str
    what: str

    @property
    def cell(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}"


# --- writing -----------------------------------------------------------------------------------


def write_workbook(
    path: Path,
    sheet: str,
    title: str,
    headers: dict[str, str],
    rows: Sequence[Row],
    widths: dict[str, float] | None = None,
) -> None:
    """A sheet as a plant would send it: a title row, Chinese headers, one row per line."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(list(headers.values()))
    for cell in ws[TITLE_ROWS + 1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(field) for field in headers])
    for index, field in enumerate(headers, start=1):
        width = (widths or {}).get(field, 26 if field == "enterprise" else 14)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{FIRST_ROW}"
    wb.properties.creator = "benchmark examples"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.save(path)


def letter(headers: dict[str, str], field: str) -> str:
    return get_column_letter(list(headers).index(field) + 1)


# --- plant.xlsx --------------------------------------------------------------------------------


def plant_rows() -> list[Row]:
    """One cement works, two kiln lines: one at benchmark level, one between the levels."""
    common = {
        "enterprise": "冀东某水泥有限公司",
        "area": "水泥熟料",
        "unit": "kgce/t",
        "year": 2024,
        "region": "河北",
    }
    return [
        {**common, "line": "1#窑", "value": 98.5, "output": 1_520_000, "capacity": 1_550_000},
        {**common, "line": "2#窑", "value": 112, "output": 1_180_000, "capacity": 1_240_000},
    ]


# --- plants_with_errors.xlsx -------------------------------------------------------------------

ERRORS_FILE = "plants_with_errors.xlsx"
ERRORS_SHEET = "Sheet1"


def error_rows() -> tuple[list[Row], list[Seeded]]:
    """Valid rows, then one row per row-level problem code, each with that one problem only."""
    cement = {"area": "水泥熟料", "unit": "kgce/t", "year": 2024, "region": "河北"}
    soda = {"area": "烧碱", "unit": "千克标准煤/吨", "year": 2024, "region": "山东"}
    valid: list[Row] = [
        {
            **cement,
            "enterprise": "唐山某水泥有限公司",
            "line": "1#窑",
            "value": 104.2,
            "output": 1_500_000,
            "capacity": 1_550_000,
        },
        {
            **soda,
            "enterprise": "山东某氯碱化工有限公司",
            "line": "1#电解槽",
            "category": "离子膜法液碱≥30%",
            "value": 318,
            "output": 200_000,
            "capacity": 220_000,
        },
    ]
    # (field whose cell holds the error, code, description, row)
    seeded: list[tuple[str, str, str, Row]] = [
        (
            "enterprise",
            "E101",
            "企业名称 left blank",
            {**cement, "enterprise": None, "line": "2#窑", "value": 110.5, "output": 1_200_000},
        ),
        (
            "area",
            "E102",
            "area typed 水泥熟科 (a typo of 水泥熟料)",
            {
                **cement,
                "enterprise": "邯郸某水泥有限公司",
                "line": "1#窑",
                "area": "水泥熟科",
                "value": 106.0,
                "output": 900_000,
            },
        ),
        (
            "value",
            "E104",
            'value "12,o5" (a letter o for a zero)',
            {
                **cement,
                "enterprise": "保定某建材有限公司",
                "line": "1#窑",
                "value": "12,o5",
                "output": 800_000,
            },
        ),
        (
            "category",
            "E103",
            "烧碱 (three levels) without a category",
            {
                **soda,
                "enterprise": "潍坊某化工有限公司",
                "line": "1#电解槽",
                "value": 330,
                "output": 150_000,
            },
        ),
        (
            "category",
            "E105",
            "category 液碱50% is not a category of 烧碱",
            {
                **soda,
                "enterprise": "淄博某化工有限公司",
                "line": "2#电解槽",
                "category": "液碱50%",
                "value": 430,
                "output": 120_000,
            },
        ),
        (
            "unit",
            "E106",
            "unit 公斤/吨 is not recognised (公斤 alone is a mass)",
            {
                **cement,
                "enterprise": "承德某水泥有限公司",
                "line": "1#窑",
                "unit": "公斤/吨",
                "value": 108.0,
                "output": 700_000,
            },
        ),
        (
            "unit",
            "E107",
            "kWh/t given for cement clinker, a kgce/t area",
            {
                **cement,
                "enterprise": "张家口某水泥有限公司",
                "line": "1#窑",
                "unit": "kWh/t",
                "value": 52.0,
                "output": 650_000,
            },
        ),
        (
            "output",
            "E108",
            "negative output",
            {
                **cement,
                "enterprise": "沧州某水泥有限公司",
                "line": "1#窑",
                "value": 109.0,
                "output": -5000,
            },
        ),
        (
            "value",
            "E109",
            "negative value for cement clinker, whose levels are positive",
            {
                **cement,
                "enterprise": "衡水某水泥有限公司",
                "line": "1#窑",
                "value": -98.5,
                "output": 600_000,
            },
        ),
        ("enterprise", "E110", "the same row as row 3 entered twice", dict(valid[0])),
        (
            "value",
            "W201",
            "0.1 kgce/t: tonnes (tce) entered as kilograms",
            {
                **cement,
                "enterprise": "秦皇岛某水泥有限公司",
                "line": "1#窑",
                "value": 0.1,
                "output": 1_000_000,
            },
        ),
        (
            "year",
            "W202",
            "year 2204 (a typo of 2024)",
            {
                **cement,
                "enterprise": "廊坊某水泥有限公司",
                "line": "1#窑",
                "value": 101.3,
                "output": 1_100_000,
                "year": 2204,
            },
        ),
    ]
    tail: list[Row] = [
        {
            "enterprise": "河北某钢铁有限公司",
            "line": "1#转炉",
            "area": "炼钢",
            "category": "转炉工序",
            "value": -24.6,
            "unit": "kgce/t",
            "output": 3_000_000,
            "capacity": 3_200_000,
            "year": 2024,
            "region": "河北",
        },
        {
            "enterprise": "沙河某玻璃有限公司",
            "line": "1#浮法线",
            "area": "平板玻璃",
            "category": "生产能力>800 t/d",
            "value": 11.2,
            "unit": "kgce/重量箱",
            "output": 9_000_000,
            "capacity": 9_500_000,
            "year": 2024,
            "region": "河北",
        },
    ]
    rows = [*valid, *(r for *_, r in seeded), *tail]
    found = [
        Seeded(
            ERRORS_FILE,
            ERRORS_SHEET,
            FIRST_ROW + len(valid) + i,
            letter(ERRORS_HEADERS, field),
            code,
            what,
        )
        for i, (field, code, what, _) in enumerate(seeded)
    ]
    return rows, found


# --- industry_list.xlsx ------------------------------------------------------------------------

INDUSTRY_FILE = "industry_list.xlsx"
INDUSTRY_SHEET = "企业名单"
GOOD_ROWS = 295


def _tier(value: float, benchmark: float, baseline: float) -> str:
    if value <= benchmark:
        return "benchmark"
    return "between" if value <= baseline else "below_baseline"


def _plausible(value: float, benchmark: float, baseline: float) -> bool:
    """Inside the validator's W201 bounds (half the benchmark to twice the baseline)."""
    return benchmark <= 0 or benchmark / 2 <= value <= baseline * 2


def _draw_value(rng: random.Random, benchmark: float, baseline: float, tier: str) -> float:
    """A value of the wanted tier near the levels, rounded as plants report it."""
    span = baseline - benchmark
    size = max(abs(benchmark), abs(baseline))
    digits = 2 if size < 20 else (1 if size < 2000 else 0)
    for _ in range(100):
        if tier == "benchmark":
            raw = (
                benchmark
                if rng.random() < 0.15
                else benchmark - rng.uniform(0.01, 0.12) * abs(benchmark)
            )
        elif tier == "between":
            raw = benchmark + rng.uniform(0.05, 1.0) * span
        else:
            raw = baseline + rng.uniform(0.02, 0.2) * abs(baseline)
        value = round(raw, digits)
        if _tier(value, benchmark, baseline) == tier and _plausible(value, benchmark, baseline):
            return value
    raise AssertionError(f"no {tier} value for {benchmark}/{baseline}")  # pragma: no cover


def _spell(
    rng: random.Random, unit: str, value: float, benchmark: float, baseline: float
) -> tuple[str | None, float]:
    """The unit as written (now and then another, convertible spelling, or blank) and the value.

    A converted figure is kept only if it converts back to the same tier, away from both
    levels, so neither rounding nor floating point can change a verdict.
    """
    roll = rng.random()
    if roll < 0.08:
        return None, value
    if roll < 0.70:
        return unit, value
    spelling, per = rng.choice(UNIT_SPELLINGS[unit])
    if per == 1.0:
        return spelling, value
    written = round(value * per, 6)
    back = written / per
    near_a_level = min(abs(back - benchmark), abs(back - baseline)) < 1e-6
    if (
        not near_a_level
        and _tier(back, benchmark, baseline) == _tier(value, benchmark, baseline)
        and _plausible(back, benchmark, baseline)
    ):
        return spelling, written
    return unit, value


def industry_rows(catalogue: dict[str, Any], rng: random.Random) -> tuple[list[Row], list[Seeded]]:
    """A few hundred lines: every level row in every tier, then random ones; five bad rows."""
    levels = [(area, lv) for area in catalogue["areas"] for lv in area["levels"]]
    plan = [(area, lv, tier) for area, lv in levels for tier in TIERS]
    while len(plan) < GOOD_ROWS:
        area, lv = rng.choice(levels)
        plan.append((area, lv, rng.choices(TIERS, weights=(3, 5, 2))[0]))
    rng.shuffle(plan)
    used: set[tuple[str, str, str, str, int]] = set()
    rows: list[Row] = []
    for area, lv, tier in plan:
        rows.append(_industry_row(rng, area, lv, tier, used))

    bad: list[tuple[int, str, str, str, Row]] = [
        (
            37,
            "area",
            "E102",
            "多晶硅 (polysilicon) is not an area of the 2021 catalogue",
            {
                "enterprise": "新疆某硅业有限公司",
                "region": "新疆",
                "line": "1#还原炉",
                "area": "多晶硅",
                "value": 9.8,
                "unit": "tce/t",
                "output": 50_000,
                "capacity": 60_000,
                "year": 2024,
            },
        ),
        (
            88,
            "value",
            "E104",
            "value 未统计 (not compiled) instead of a number",
            {
                "enterprise": "山西某焦化有限公司",
                "region": "山西",
                "line": "3#焦炉",
                "area": "煤制焦炭",
                "category": "顶装焦炉",
                "value": "未统计",
                "unit": "kgce/t",
                "output": 1_200_000,
                "capacity": 1_500_000,
                "year": 2023,
            },
        ),
        (
            150,
            "category",
            "E103",
            "合成氨 without the feedstock category",
            {
                "enterprise": "河南某化肥有限公司",
                "region": "河南",
                "line": "2#合成氨装置",
                "area": "合成氨",
                "value": 1290,
                "unit": "kgce/t",
                "output": 300_000,
                "capacity": 300_000,
                "year": 2023,
            },
        ),
        (
            211,
            "unit",
            "E107",
            "电解铝 given in kgce/t (its indicator is AC power, kWh/t)",
            {
                "enterprise": "内蒙古某铝业有限公司",
                "region": "内蒙古",
                "line": "1#电解系列",
                "area": "电解铝",
                "value": 1640,
                "unit": "kgce/t",
                "output": 400_000,
                "capacity": 420_000,
                "year": 2024,
            },
        ),
    ]
    for position, *_, row in bad:
        rows.insert(position, row)
    duplicate_at, original_at = 262, 240
    rows.insert(duplicate_at, dict(rows[original_at]))
    bad.append(
        (
            duplicate_at,
            "enterprise",
            "E110",
            f"a copy of row {FIRST_ROW + original_at} (same enterprise, line, area, "
            "category and year)",
            rows[duplicate_at],
        )
    )
    for seq, row in enumerate(rows, start=1):
        row["seq"] = seq
    found = [
        Seeded(
            INDUSTRY_FILE,
            INDUSTRY_SHEET,
            FIRST_ROW + position,
            letter(INDUSTRY_HEADERS, field),
            code,
            what,
        )
        for position, field, code, what, _ in bad
    ]
    return rows, found


def _industry_row(
    rng: random.Random,
    area: dict[str, Any],
    lv: dict[str, Any],
    tier: str,
    used: set[tuple[str, str, str, str, int]],
) -> Row:
    benchmark, baseline = float(lv["benchmark"]), float(lv["baseline"])
    value = _draw_value(rng, benchmark, baseline, tier)
    unit, written = _spell(rng, area["unit"], value, benchmark, baseline)
    area_text, category_text = _names(rng, area, lv)
    province = rng.choice(PROVINCES)
    word, line_word = NAME_WORDS[area["id"]]
    if area["id"] == "steelmaking":
        line_word = "转炉" if lv["category"] == "converter" else "电炉"
    enterprise = f"{province}{rng.choice(TRADE_NAMES)}{word}有限公司"
    year = rng.choice((2022, 2023, 2024))
    number = rng.randint(1, 3)
    while (enterprise, f"{number}#{line_word}", area["id"], str(lv["category"]), year) in used:
        number += 1
    used.add((enterprise, f"{number}#{line_word}", area["id"], str(lv["category"]), year))
    low, high = CAPACITY[area["id"]]
    capacity = int(round(rng.uniform(low, high), -3))
    output = int(round(capacity * rng.uniform(0.6, 1.0), -2))
    return {
        "enterprise": enterprise,
        "region": province,
        "line": f"{number}#{line_word}",
        "area": area_text,
        "category": category_text,
        "value": written,
        "unit": unit,
        "output": output if rng.random() > 0.1 else None,
        "capacity": capacity if rng.random() > 0.12 else None,
        "year": year,
    }


def _names(rng: random.Random, area: dict[str, Any], lv: dict[str, Any]) -> tuple[str, str | None]:
    """How a plant names its area and category: mostly the Chinese names, now and then an id
    or alias, and 转炉 alone for converter steelmaking (the alias implies the category)."""
    if lv["category"] == "converter" and rng.random() < 0.3:
        return "转炉", None
    roll = rng.random()
    if roll < 0.75 or not area["aliases"]:
        area_text = area["name_zh"]
    elif roll < 0.85:
        area_text = area["id"]
    else:
        area_text = area["aliases"][0]
    if lv["category"] is None:
        return area_text, None
    if rng.random() < 0.85 or not lv.get("aliases"):
        return area_text, lv["name_zh"]
    return area_text, lv["aliases"][0]


# --- plants.csv --------------------------------------------------------------------------------


def csv_rows() -> list[Row]:
    """A few lines of several areas, as a Chinese Excel "CSV (逗号分隔)" export sends them."""
    return [
        {
            "enterprise": "唐山某钢铁有限公司",
            "line": "1#转炉",
            "area": "炼钢",
            "category": "转炉工序",
            "value": -25.3,
            "unit": "kgce/t",
            "output": 4_100_000,
            "capacity": 4_500_000,
            "year": 2024,
            "region": "河北",
        },
        {
            "enterprise": "唐山某钢铁有限公司",
            "line": "2#高炉",
            "area": "高炉工序",
            "category": None,
            "value": 372.5,
            "unit": "千克标准煤/吨",
            "output": 3_600_000,
            "capacity": 4_000_000,
            "year": 2024,
            "region": "河北",
        },
        {
            "enterprise": "沙河某玻璃有限公司",
            "line": "2#浮法线",
            "area": "平板玻璃",
            "category": "生产能力>800 t/d",
            "value": 12.6,
            "unit": "kgce/重量箱",
            "output": 8_500_000,
            "capacity": 9_000_000,
            "year": 2024,
            "region": "河北",
        },
        {
            "enterprise": "包头某铝业有限公司",
            "line": "1#电解系列",
            "area": "电解铝",
            "category": None,
            "value": 13180,
            "unit": "千瓦时/吨",
            "output": 560_000,
            "capacity": 600_000,
            "year": 2024,
            "region": "内蒙古",
        },
        {
            "enterprise": "四川某化肥有限公司",
            "line": "1#合成氨装置",
            "area": "合成氨",
            "category": "天然气",
            "value": 1050,
            "unit": "kgce/t",
            "output": 280_000,
            "capacity": 300_000,
            "year": 2023,
            "region": "四川",
        },
    ]


def write_csv_gbk(path: Path, headers: dict[str, str], rows: Sequence[Row]) -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(headers.values())
    for row in rows:
        writer.writerow("" if row.get(f) is None else row[f] for f in headers)
    path.write_bytes(text.getvalue().encode("gbk"))


# --- stricter_local_catalogue.yaml -------------------------------------------------------------

#: (area id, category or None) → (benchmark, baseline) in the illustrative local catalogue.
STRICTER: dict[tuple[str, str | None], tuple[float, float]] = {
    ("cement_clinker", None): (100, 108),
    ("flat_glass", "capacity_over_800"): (8, 11),
    ("flat_glass", "capacity_500_800"): (9.5, 12.5),
}


def stricter_catalogue(text: str) -> str:
    """The shipped catalogue with two areas' baselines lowered, as a province might do."""
    data = yaml.safe_load(text)
    data["edition"] = "2021-hebei-example"
    data["title_zh"] += "——河北省从严地方水平（示例）"
    data["title_en"] += " with stricter local levels for Hebei (illustrative example)"
    data["document"] += "；地方从严水平为示例，并非真实文件 (local levels illustrative only)"
    for area in data["areas"]:
        for lv in area["levels"]:
            key = (area["id"], lv["category"])
            if key in STRICTER:
                national = (lv["benchmark"], lv["baseline"])
                lv["benchmark"], lv["baseline"] = STRICTER[key]
                lv["status"] = "unverified"
                lv["note"] = (
                    f"illustrative stricter local level (not an actual provincial "
                    f"rule); national levels {national[0]:g}/{national[1]:g}"
                )
    header = (
        "# An example of a local catalogue: the 2021 national levels, with stricter\n"
        "# baselines for cement clinker (117 → 108 kgce/t) and flat glass (12 → 11 and\n"
        "# 13.5 → 12.5 kgce/weight case), as a province may set them. The local levels are\n"
        "# ILLUSTRATIVE, not an actual provincial rule. Generated by make_examples.py.\n"
        "#   benchmark catalogue validate examples/stricter_local_catalogue.yaml\n"
        "#   benchmark --catalogue examples/stricter_local_catalogue.yaml grade FILE\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# --- README ------------------------------------------------------------------------------------


# --- a provincial bureau's list, laid out for people ----------------------------------------

BUREAU_FILE = "bureau_list.xlsx"
#: Lines of the bureau list by sheet: (serial, enterprise, city, line, category, value,
#: output, capacity); None for an enterprise cell merged down from the row above.
BUREAU_CEMENT: list[Any] = [
    "一、关中地区",
    (1, "铜川某水泥有限公司", "铜川", "1#窑", None, 98.5, 120, 150),
    (2, None, "铜川", "2#窑", None, "112.0 kgce/t", 85, 100),
    (3, "咸阳某建材集团有限公司", "咸阳", "1#窑", None, 104, 140, 150),
    ("subtotal", "关中地区小计"),
    "二、陕北地区",
    (4, "榆林某水泥有限公司", "榆林", "1#窑", None, 121, 60, 80),
    (5, "延安某建材有限公司", "延安", "1#窑", None, 0.118, 50, 60),
    ("subtotal", "陕北地区小计"),
    ("total", "合计"),
]
BUREAU_GLASS: list[Any] = [
    (1, "咸阳某玻璃有限公司", "咸阳", "一线", "1200t/d", 7.6, 1500, 1600),
    (2, None, "咸阳", "二线", "600 t/d", 12.8, 800, 900),
    ("total", "合计"),
]
BUREAU_ALUMINIUM: list[Any] = [
    (1, "榆林某铝业有限公司", "榆林", "一系列", None, "13,150", 30, 35),
    (2, None, "榆林", "二系列", None, "13,420", 25, 30),
]
#: (sheet, headers, lines): each sheet one area, named after it (no area column).
BUREAU_SHEETS: tuple[tuple[str, tuple[str, ...], list[Any]], ...] = (
    (
        "水泥熟料",
        (
            "序号",
            "企业名称",
            "所在地市",
            "窑线",
            "工艺",
            "可比熟料综合能耗（kgce/t）",
            "2025年产量（万吨）",
            "设计产能（万吨/年）",
        ),
        BUREAU_CEMENT,
    ),
    (
        "平板玻璃",
        (
            "序号",
            "企业名称",
            "所在地市",
            "生产线",
            "熔窑规模",
            "单位产品综合能耗（kgce/重量箱）",
            "2025年产量（万重量箱）",
            "设计产能（万重量箱/年）",
        ),
        BUREAU_GLASS,
    ),
    (
        "电解铝",
        (
            "序号",
            "用能单位名称",
            "所在地市",
            "生产线",
            "工艺",
            "铝液交流电耗（kWh/t）",
            "2025年产量（万吨）",
            "年产能（万吨）",
        ),
        BUREAU_ALUMINIUM,
    ),
)


def write_bureau(path: Path) -> None:
    """A provincial bureau's list as bureaus lay them out: a sheet per area, a merged title,
    a 填报单位 line, 序号, 万 units and years in the headers, section headings, subtotals and
    totals with formulas, enterprises merged down over their lines, a value with its unit in
    the cell, notes and signatures under the table, and a hidden sheet of old data."""
    from openpyxl.styles import Alignment

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, headers, lines in BUREAU_SHEETS:
        ws = wb.create_sheet(sheet)
        width = get_column_letter(len(headers))
        ws.append([f"陕西省2025年度重点领域能效水平清单（{sheet}，示例数据，企业名称均为虚构）"])
        ws.merge_cells(f"A1:{width}1")
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.append(
            ["填报单位：陕西省某市发展和改革委员会", None, None, None, "填报日期：2026年3月15日"]
        )
        ws.append(list(headers))
        for cell in ws[3]:
            cell.font = Font(bold=True)
        _bureau_lines(ws, lines, len(headers))
        ws.append(["注：产量、产能以万吨（平板玻璃为万重量箱）计；能耗为2025年统计值。"])
        ws.append(["填表人：张某", None, None, "审核人：李某", None, "联系电话：029-0000000"])
        for column, size in zip("ABCDEFGH", (6, 26, 10, 10, 12, 24, 18, 18), strict=True):
            ws.column_dimensions[column].width = size
    old = wb.create_sheet("旧数据")
    old.append(["企业名称", "领域", "单位产品能耗", "年份"])
    old.append(["铜川某水泥有限公司", "水泥熟料", 126, 2020])
    old.sheet_state = "hidden"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.save(path)


def _bureau_lines(ws: Any, lines: list[Any], width: int) -> None:
    """The table's rows: plant lines, headings, subtotals over the lines above them."""
    first = ws.max_row + 1
    merge_from = None
    for line in lines:
        row = ws.max_row + 1
        if isinstance(line, str):
            ws.append([line])
        elif line[0] in ("subtotal", "total"):
            ws.append(
                [
                    None,
                    line[1],
                    None,
                    None,
                    None,
                    None,
                    f"=SUM(G{first}:G{row - 1})",
                    f"=SUM(H{first}:H{row - 1})",
                ][:width]
            )
        else:
            ws.append(list(line))
            if line[1] is None and merge_from is not None:
                ws.merge_cells(f"B{merge_from}:B{row}")
                continue
            merge_from = row


def readme(errors: Sequence[Seeded], industry: Sequence[Seeded], industry_count: int) -> str:
    def table(seeded: Sequence[Seeded]) -> str:
        lines = ["| cell | code | seeded error |", "|---|---|---|"]
        lines += [f"| `{s.cell}` | {s.code} | {s.what} |" for s in seeded]
        return "\n".join(lines)

    files = "\n".join(
        [
            "| file | what it shows |",
            "|---|---|",
            *(
                f"| `{name}` | {what} |"
                for name, what in _file_notes(industry_count, len(industry))
            ),
        ]
    )
    return f"""# Examples

Generated by `python examples/make_examples.py` (fixed seed; `--out DIR` writes elsewhere).
Do not edit the workbooks by hand: change the script and run it again. Every enterprise name is
fictitious.

{files}

```console
$ benchmark grade examples/plant.xlsx
$ benchmark validate examples/plants_with_errors.xlsx
$ benchmark --catalogue examples/stricter_local_catalogue.yaml grade examples/plant.xlsx
```

## Seeded errors in `plants_with_errors.xlsx`

`benchmark validate examples/plants_with_errors.xlsx` reports each at its cell and exits 1
(the warnings W201 and W202 alone would exit 0, or 1 with `--strict`):

{table(errors)}

## Bad rows in `industry_list.xlsx`

{table(industry)}

All other rows are valid and graded. The pre-commit hook for other repositories is
`.pre-commit-hooks.yaml` at the root of this repository (`id: benchmark-validate`).
"""


def _file_notes(rows: int, bad: int) -> list[tuple[str, str]]:
    return [
        (
            "plant.xlsx",
            "one cement works (冀东某水泥有限公司), two kiln lines: 1#窑 98.5 kgce/t "
            "(标杆 benchmark), 2#窑 112 kgce/t (基准–标杆 between); a title row above Chinese "
            "headers",
        ),
        (
            "bureau_list.xlsx",
            "a provincial bureau's list as bureaus lay them out: a sheet per area (水泥熟料, "
            "平板玻璃, 电解铝) with a merged title, a 填报单位 line, 序号, 万吨 and 万重量箱 "
            "and the year in the headers, section headings, subtotals and totals with formulas, "
            "enterprises merged down over their lines, 112.0 kgce/t typed in a cell, a kiln "
            "given by its 1200 t/d, notes and signatures, one value to check (0.118 kgce/t) and "
            "a hidden sheet of old data; `benchmark validate` grades all 9 plant lines and exits "
            "0",
        ),
        (
            "industry_list.xlsx",
            f"{rows} lines across all 25 areas and all 47 level rows, every "
            "tier, 2022–2024, convertible unit spellings (tce/t, 千克标准煤/吨, kgoe/t, MWh/t …), "
            f"converter steelmaking below zero, a pass-through column 序号, and {bad} bad rows",
        ),
        (
            "plants_with_errors.xlsx",
            "one seeded problem of every row-level code, each alone in its row, plus valid rows",
        ),
        (
            "plants.csv",
            "a GBK-encoded CSV with Chinese headers, as Chinese Excel exports it "
            '("CSV (逗号分隔)"); all rows valid',
        ),
        (
            "stricter_local_catalogue.yaml",
            "the shipped catalogue with stricter (illustrative) "
            "baselines for cement clinker (117 → 108) and flat glass; `catalogue validate` passes",
        ),
        (
            "github-actions.yml",
            "a workflow to copy: install, `benchmark validate data/ --format "
            "github`, grade with `--fail-on below_baseline --format github`",
        ),
        ("make_examples.py", "the script that writes all of the above but the workflow"),
    ]


# --- main --------------------------------------------------------------------------------------


def generate(out: Path, catalogue_path: Path = CATALOGUE) -> list[Seeded]:
    """Write every generated example into ``out``; return the seeded errors."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    catalogue_text = catalogue_path.read_text(encoding="utf-8")
    catalogue = yaml.safe_load(catalogue_text)

    write_workbook(
        out / "plant.xlsx",
        "Sheet1",
        "2024年度重点用能单位能效数据填报表",
        PLANT_HEADERS,
        plant_rows(),
        {"line": 10},
    )
    rows, errors = error_rows()
    write_workbook(
        out / ERRORS_FILE,
        ERRORS_SHEET,
        "能效数据填报表（含错误示例）",
        ERRORS_HEADERS,
        rows,
        {"category": 22},
    )
    industry, bad = industry_rows(catalogue, rng)
    write_workbook(
        out / INDUSTRY_FILE,
        INDUSTRY_SHEET,
        "重点领域企业能效清单（2022–2024年，示例数据，企业名称均为虚构）",
        INDUSTRY_HEADERS,
        industry,
        {"seq": 6, "category": 30, "line": 16},
    )
    write_bureau(out / BUREAU_FILE)
    write_csv_gbk(out / "plants.csv", CSV_HEADERS, csv_rows())
    (out / "stricter_local_catalogue.yaml").write_text(
        stricter_catalogue(catalogue_text), encoding="utf-8"
    )
    (out / "README.md").write_text(readme(errors, bad, len(industry)), encoding="utf-8")
    return [*errors, *bad]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="folder to write into (default: examples/ beside this script)",
    )
    args = parser.parse_args(argv)
    for seeded in generate(args.out):
        print(f"{seeded.file}:{seeded.cell} {seeded.code}")


if __name__ == "__main__":
    main()

"""The vocabulary of the tool: input fields and the header names that mean them, and the output
columns with their types — defined once, read by the readers, validation, grading, every
renderer and the JSON contract (:mod:`benchmark.headers` matches header cells to fields).

Standard library only, so that light commands (``benchmark catalogue``, ``explain``,
``--version``) and the configuration can use it without loading numpy or pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Fields of the input format and the header names that mean them (English and Chinese), as
#: people head their lists: forms, bureau lists and statistics exports.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "enterprise": (
        "enterprise",
        "company",
        "enterprise name",
        "plant",
        "企业名称",
        "企业",
        "单位名称",
        "企业(单位)名称",
        "公司名称",
        "用能单位名称",
        "用能单位",
        "企业全称",
    ),
    "area": (
        "area",
        "industry",
        "product",
        "key area",
        "领域",
        "行业",
        "产品",
        "重点领域",
        "行业领域",
        "产品名称",
        "行业/产品",
        "行业类别",
        "所属行业",
        "所属领域",
        "产品类别名称",
    ),
    "category": (
        "category",
        "process",
        "type",
        "spec",
        "specification",
        "类别",
        "工艺",
        "规格",
        "细分类别",
        "工艺类别",
        "产品类别",
        "工艺路线",
        "原料",
        "原料路线",
        "熔窑规模",
        "产品规格",
    ),
    "value": (
        "value",
        "energy intensity",
        "energy consumption per unit product",
        "单位产品能耗",
        "单位产品综合能耗",
        "能效值",
        "能效水平",
        "单位产品能源消耗",
        "单耗",
        "工序能耗",
        "单位产品能耗值",
        "能耗指标",
        "可比熟料综合能耗",
        "熟料综合能耗",
        "铝液交流电耗",
        "单位能量因数综合能耗",
        "高炉工序单位产品能耗",
        "单位产品能源消耗量",
        "能效指标",
    ),
    "unit": ("unit", "units", "单位", "计量单位", "能耗单位", "能效值单位"),
    # 原油加工量: a refinery's output is the crude it runs (its indicator is per tonne of it).
    "output": (
        "output",
        "production",
        "annual output",
        "throughput",
        "crude throughput",
        "产量",
        "年产量",
        "实际产量",
        "产品产量",
        "加工量",
        "原油加工量",
        "年加工量",
    ),
    "capacity": ("capacity", "产能", "设计产能", "生产能力", "年产能", "核定产能", "设计生产能力"),
    "region": (
        "region",
        "province",
        "city",
        "location",
        "地区",
        "所在地",
        "省份",
        "所在地区",
        "所在地市",
        "地市",
        "所在省份",
        "所在市",
        "市",
        "县区",
    ),
    "year": ("year", "年份", "年度", "统计年份", "统计年度", "数据年份", "填报年份"),
    "line": (
        "line",
        "production line",
        "unit id",
        "生产线",
        "装置",
        "产线",
        "装置名称",
        "生产线名称",
        "窑线",
        "生产线编号",
        "装置编号",
    ),
}
FIELDS: tuple[str, ...] = tuple(FIELD_ALIASES)
#: A row needs these to be graded; a sheet without one of them is not checked at all (E003).
REQUIRED_FIELDS: tuple[str, ...] = ("enterprise", "area", "value")
#: Free text of the input that names things (cleaned of controls, compared ignoring case).
TEXT_FIELDS: tuple[str, ...] = ("enterprise", "line", "region")
#: Cells that hold numbers (E104 when they do not).
NUMBER_FIELDS: tuple[str, ...] = ("value", "output", "capacity", "year")
#: What makes two rows the same line-year (E110 when a later row repeats an earlier one).
DUPLICATE_KEY: tuple[str, ...] = ("area", "category", "year", "line", "enterprise")
#: A production line over the years: the duplicate key without the year.
LINE_KEY: tuple[str, ...] = ("enterprise", "line", "area", "category")

Tier = Literal["benchmark", "between", "below_baseline"]
#: Tiers from best to worst.
TIERS: tuple[Tier, ...] = ("benchmark", "between", "below_baseline")
#: The tier of a value too far from its levels to be believed (W201): it is in no tier's
#: share and gives no saving until someone checks it.
TO_CHECK = "to_check"
GradeTier = Literal["benchmark", "between", "below_baseline", "to_check"]
Status = Literal["confirmed", "corroborated", "unverified"]
STATUSES: tuple[Status, ...] = ("confirmed", "corroborated", "unverified")
DeadlineStatus = Literal["missed", "open", "passed"]
#: Deadline statuses of a graded row below the baseline, as of a reporting date.
DEADLINE_STATUSES: tuple[DeadlineStatus, ...] = ("missed", "open", "passed")

ColumnType = Literal["str", "int", "float", "tier", "status", "deadline_status"]


@dataclass(frozen=True)
class OutputColumn:
    """One column of the results table: its name, type, whether it may be null, where it
    comes from (``read``: a validated input row; ``grade``: added by grading), and what it
    means (the JSON Schema's description)."""

    name: str
    type: ColumnType
    nullable: bool
    stage: Literal["read", "grade"]
    description: str


def _col(
    name: str, type_: ColumnType, nullable: bool, stage: Literal["read", "grade"], description: str
) -> OutputColumn:
    return OutputColumn(name, type_, nullable, stage, description)


#: The results table in contract order; passed-through input columns follow these.
RESULT_COLUMNS: tuple[OutputColumn, ...] = (
    _col("file", "str", False, "read", "input file, as shown to the user"),
    _col("sheet", "str", True, "read", "sheet name (null for CSV and Parquet)"),
    _col("row", "int", False, "read", "row number as Excel shows it (the CSV line)"),
    _col("enterprise", "str", False, "read", "enterprise name"),
    _col("line", "str", True, "read", "production line or unit"),
    _col("region", "str", True, "read", "province, city or region"),
    _col("year", "int", True, "read", "year the figure is for"),
    _col("area", "str", False, "read", "catalogue area id"),
    _col("category", "str", True, "read", "catalogue category id (null for one-level areas)"),
    _col("value", "float", False, "read", "energy per unit of product, in the catalogue unit"),
    _col("unit", "str", False, "read", "the catalogue unit of the value"),
    _col("benchmark", "float", False, "grade", "benchmark level (标杆水平)"),
    _col("baseline", "float", False, "grade", "baseline level (基准水平)"),
    _col("level_status", "status", False, "grade", "how far the level used is checked"),
    _col(
        "tier",
        "tier",
        False,
        "grade",
        "benchmark, between or below_baseline; to_check for a value too far from its levels "
        "to be believed (W201), which counts toward no share and no saving",
    ),
    _col("gap_to_benchmark", "float", False, "grade", "value − benchmark"),
    _col("gap_to_baseline", "float", False, "grade", "value − baseline"),
    _col(
        "gap_to_benchmark_pct",
        "float",
        True,
        "grade",
        "gap to the benchmark as a percentage of it (null for levels not above zero)",
    ),
    _col(
        "gap_to_baseline_pct",
        "float",
        True,
        "grade",
        "gap to the baseline as a percentage of it (null for levels not above zero)",
    ),
    _col(
        "score",
        "float",
        True,
        "grade",
        "0 at the baseline, 100 at the benchmark, linear (null when to_check)",
    ),
    _col("output", "float", True, "read", "annual output, in the unit of product"),
    _col("capacity", "float", True, "read", "annual capacity, in the unit of product"),
    _col(
        "saving_to_benchmark",
        "float",
        True,
        "grade",
        "energy saved by reaching the benchmark, in the numerator unit",
    ),
    _col(
        "saving_to_baseline",
        "float",
        True,
        "grade",
        "energy saved by reaching the baseline, in the numerator unit",
    ),
    _col("saving_unit", "str", False, "grade", "unit of the two savings (kgce, kgoe, kWh)"),
    _col(
        "saving_to_benchmark_tce",
        "float",
        True,
        "grade",
        "saving to the benchmark in tonnes of coal equivalent",
    ),
    _col(
        "saving_to_baseline_tce",
        "float",
        True,
        "grade",
        "saving to the baseline in tonnes of coal equivalent",
    ),
    _col(
        "deadline",
        "str",
        True,
        "grade",
        "upgrade-or-retire deadline of a below-baseline row (ISO date)",
    ),
    _col(
        "deadline_status",
        "deadline_status",
        True,
        "grade",
        "a below-baseline row against its deadline, as of the reporting date: missed (below "
        "in the deadline's year or later), open (the deadline is still ahead), passed (below "
        "in an earlier year and the deadline has passed since); null when not below",
    ),
    _col("input_value", "str", True, "read", "the value cell as typed"),
    _col("input_unit", "str", True, "read", "the unit the value was given in"),
)
RESULT_NAMES: tuple[str, ...] = tuple(c.name for c in RESULT_COLUMNS)
#: Columns of a validated (not yet graded) frame, in contract order.
VALIDATED_NAMES: tuple[str, ...] = tuple(c.name for c in RESULT_COLUMNS if c.stage == "read")
#: Columns :func:`benchmark.grading.grade` adds, in contract order.
GRADE_NAMES: tuple[str, ...] = tuple(c.name for c in RESULT_COLUMNS if c.stage == "grade")

"""The vocabulary of the tool: input fields and the header names that mean them, and the output
columns with their types — defined once, read by the readers, validation, grading, every
renderer and the JSON contract.

Standard library only, so that light commands (``benchmark catalogue``, ``explain``,
``--version``) and the configuration can use it without loading numpy or pandas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

#: Fields of the input format and the header names that mean them (English and Chinese), as
#: people head their lists: forms, bureau lists and statistics exports.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "enterprise": ("enterprise", "company", "enterprise name", "plant", "企业名称", "企业",
                   "单位名称", "企业(单位)名称", "公司名称", "用能单位名称", "用能单位",
                   "企业全称"),
    "area": ("area", "industry", "product", "key area", "领域", "行业", "产品", "重点领域",
             "行业领域", "产品名称", "行业/产品", "行业类别", "所属行业", "所属领域",
             "产品类别名称"),
    "category": ("category", "process", "type", "spec", "specification", "类别", "工艺",
                 "规格", "细分类别", "工艺类别", "产品类别", "工艺路线", "原料", "原料路线",
                 "熔窑规模", "产品规格"),
    "value": ("value", "energy intensity", "energy consumption per unit product",
              "单位产品能耗", "单位产品综合能耗", "能效值", "能效水平", "单位产品能源消耗",
              "单耗", "工序能耗", "单位产品能耗值", "能耗指标"),
    "unit": ("unit", "units", "单位", "计量单位", "能耗单位", "能效值单位"),
    "output": ("output", "production", "annual output", "产量", "年产量", "实际产量",
               "产品产量"),
    "capacity": ("capacity", "产能", "设计产能", "生产能力", "年产能", "核定产能",
                 "设计生产能力"),
    "region": ("region", "province", "city", "location", "地区", "所在地", "省份", "所在地区",
               "所在地市", "地市", "所在省份", "所在市", "市", "县区"),
    "year": ("year", "年份", "年度", "统计年份", "统计年度", "数据年份", "填报年份"),
    "line": ("line", "production line", "unit id", "生产线", "装置", "产线", "装置名称",
             "生产线名称", "窑线", "生产线编号", "装置编号"),
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


def _col(name: str, type_: ColumnType, nullable: bool, stage: Literal["read", "grade"],
         description: str) -> OutputColumn:
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
    _col("tier", "tier", False, "grade", "benchmark, between or below_baseline"),
    _col("gap_to_benchmark", "float", False, "grade", "value − benchmark"),
    _col("gap_to_baseline", "float", False, "grade", "value − baseline"),
    _col("gap_to_benchmark_pct", "float", True, "grade",
         "gap to the benchmark as a percentage of it (null for levels not above zero)"),
    _col("gap_to_baseline_pct", "float", True, "grade",
         "gap to the baseline as a percentage of it (null for levels not above zero)"),
    _col("score", "float", False, "grade", "0 at the baseline, 100 at the benchmark, linear"),
    _col("output", "float", True, "read", "annual output, in the unit of product"),
    _col("capacity", "float", True, "read", "annual capacity, in the unit of product"),
    _col("saving_to_benchmark", "float", True, "grade",
         "energy saved by reaching the benchmark, in the numerator unit"),
    _col("saving_to_baseline", "float", True, "grade",
         "energy saved by reaching the baseline, in the numerator unit"),
    _col("saving_unit", "str", False, "grade", "unit of the two savings (kgce, kgoe, kWh)"),
    _col("saving_to_benchmark_tce", "float", True, "grade",
         "saving to the benchmark in tonnes of coal equivalent"),
    _col("saving_to_baseline_tce", "float", True, "grade",
         "saving to the baseline in tonnes of coal equivalent"),
    _col("deadline", "str", True, "grade",
         "upgrade-or-retire deadline of a below-baseline row (ISO date)"),
    _col("deadline_status", "deadline_status", True, "grade",
         "a below-baseline row against its deadline, as of the reporting date: missed (below "
         "in the deadline's year or later), open (the deadline is still ahead), passed (below "
         "in an earlier year and the deadline has passed since); null when not below"),
    _col("input_value", "str", True, "read", "the value cell as typed"),
    _col("input_unit", "str", True, "read", "the unit the value was given in"),
)
RESULT_NAMES: tuple[str, ...] = tuple(c.name for c in RESULT_COLUMNS)
#: Columns of a validated (not yet graded) frame, in contract order.
VALIDATED_NAMES: tuple[str, ...] = tuple(c.name for c in RESULT_COLUMNS if c.stage == "read")
#: Columns :func:`benchmark.grading.grade` adds, in contract order.
GRADE_NAMES: tuple[str, ...] = tuple(c.name for c in RESULT_COLUMNS if c.stage == "grade")


# --- header names ------------------------------------------------------------------------------

#: Ignored when matching headers: spaces, underscores, and invisible or control characters
#: (a right-to-left mark pasted along with a header must not hide it).
_HEADER_NOISE = re.compile("[\\s_\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                           "\u2060-\u2069\ufeff]+")
_UNIT_IN_HEADER = re.compile(r"^(?P<name>.+?)\s*[(\[](?P<unit>[^()\[\]]+)[)\]]\s*$")
#: Separators of a bilingual header, ``企业名称 / enterprise`` or two lines in one cell. The
#: slash needs spaces around it, so that a unit such as kgce/t is never split.
_BILINGUAL = re.compile(r"\s+/\s+|\s*\n\s*")


def header_key(text: str) -> str:
    """A header as compared: width, case, spaces and invisible characters don't matter."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


class HeaderMatcher:
    """Recognises header cells, including a unit given in the header: ``能耗（kgce/t）``.

    ``extra`` adds header names per field (the configuration's ``header-aliases``, the
    catalogue's indicator names).
    """

    def __init__(self, extra: Mapping[str, Iterable[str]] | None = None) -> None:
        self._keys: dict[str, str] = {}
        for name, aliases in FIELD_ALIASES.items():
            for alias in (*aliases, *(extra or {}).get(name, ())):
                self._keys.setdefault(header_key(alias), name)

    def match(self, text: str | None) -> tuple[str | None, str | None]:
        """The field a header names, and the unit it states, if any."""
        if text is None or not str(text).strip():
            return None, None
        norm = unicodedata.normalize("NFKC", str(text)).strip()
        hit = self._keys.get(header_key(norm))
        if hit is not None:
            return hit, None
        m = _UNIT_IN_HEADER.match(norm)
        if m:
            hit = self._keys.get(header_key(m.group("name")))
            if hit is not None:
                inner = m.group("unit").strip()
                # 企业名称 (enterprise) is a translation, 能耗 (tce/t) a unit.
                same = self._keys.get(header_key(inner)) == hit
                return hit, None if same else inner
        parts = [p for p in _BILINGUAL.split(norm) if p.strip()]
        if len(parts) > 1:
            found = [self.match(p) for p in parts]
            fields = {f for f, _ in found if f is not None}
            if len(fields) == 1:
                return fields.pop(), next((u for _, u in found if u), None)
        return None, None

    def score(self, cells: Iterable[str | None]) -> int:
        """Fields a row names; 0 unless it names a required one (a notes table is no header)."""
        fields = {f for f, _ in map(self.match, cells) if f is not None}
        return len(fields) if fields & set(REQUIRED_FIELDS) else 0

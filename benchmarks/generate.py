"""Synthetic enterprise workbooks for the benchmarks: realistic rows, a few bad ones, fast.

Rows cover every area and category of the shipped catalogue, with values spread around the
benchmark and baseline levels (so all three tiers occur), Chinese headers under a title row,
and about 2% bad rows of the kinds people really send: text in the value, an unknown area, a
missing category, an impossible unit, a blank enterprise, a negative output, a year as text.

Workbooks are written by hand (the sheet XML streamed into the zip): openpyxl's write-only mode
takes minutes for a million rows; this takes seconds and needs nothing but the standard library,
numpy and pandas. The files are ordinary .xlsx with a shared-string table, as Excel saves them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

HEADERS: tuple[str, ...] = (
    "企业名称",
    "生产线",
    "领域",
    "类别",
    "单位产品综合能耗",
    "单位",
    "产量",
    "产能",
    "年份",
    "地区",
)
TITLE = "2021年度高耗能行业重点领域能效水平填报汇总表（基准测试数据）"
REGIONS: tuple[str, ...] = (
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
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
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
)
WORDS: tuple[str, ...] = (
    "华能",
    "恒通",
    "中联",
    "金石",
    "鑫源",
    "宏达",
    "泰和",
    "远大",
    "海螺",
    "新希望",
    "鼎盛",
    "昌隆",
    "瑞丰",
    "永兴",
    "东方",
    "长城",
)
TRADES: tuple[str, ...] = ("化工", "钢铁", "建材", "能源", "有色金属", "石化", "实业")
#: Other spellings of each catalogue unit, and the factor to multiply a catalogue-unit value by.
UNIT_VARIANTS: dict[str, tuple[tuple[str, float], ...]] = {
    "kgce/t": (("千克标准煤/吨", 1.0), ("tce/t", 0.001)),
    "kgoe/t": (("千克标准油/吨", 1.0), ("toe/t", 0.001)),
    "kgoe/(t·EF)": (("千克标准油/(t·EF)", 1.0), ("kgoe/(t·EF)", 1.0)),
    "kgce/weight case": (("千克标准煤/重量箱", 1.0), ("kgce/weight case", 1.0)),
    "kgce/m2": (("千克标准煤/平方米", 1.0), ("kgce/m2", 1.0)),
    "kWh/t": (("千瓦时/吨", 1.0), ("MWh/t", 0.001)),
}
BAD_KINDS: tuple[str, ...] = (
    "value_text",
    "unknown_area",
    "missing_category",
    "blank_enterprise",
    "wrong_unit",
    "negative_output",
    "year_text",
)
BAD_SHARE = 0.02


@dataclass(frozen=True)
class _Level:
    area_names: tuple[str, ...]
    category_names: tuple[str, ...] | None
    benchmark: float
    baseline: float
    unit: str


def _levels() -> list[list[_Level]]:
    """The shipped catalogue as generator input: per area, its levels with the names people use."""
    import benchmark

    cat = benchmark.load_catalogue()
    out: list[list[_Level]] = []
    for area in cat.areas:
        names = (area.name_zh, area.name_zh, area.name_zh, *area.aliases[:2])
        levels = []
        for lv in area.levels:
            cats = (
                None
                if lv.category is None
                else (lv.name_zh, lv.name_zh, lv.category, *lv.aliases[:1])
            )
            levels.append(_Level(names, cats, lv.benchmark, lv.baseline, area.unit))
        out.append(levels)
    return out


def make_rows(n: int, seed: int = 2021) -> pd.DataFrame:
    """``n`` plant rows, columns named by ``HEADERS``; cells are str, float or None (blank)."""
    rng = np.random.default_rng(seed)
    areas = _levels()
    flat = [(a, lv) for a, levels in enumerate(areas) for lv in levels]
    area_of = rng.integers(0, len(areas), n)
    # A level within each row's area, uniformly.
    first = np.cumsum([0] + [len(levels) for levels in areas])[:-1]
    count = np.array([len(levels) for levels in areas])
    level_of = first[area_of] + (rng.random(n) * count[area_of]).astype(np.int64)

    bench = np.array([lv.benchmark for _, lv in flat])[level_of]
    base = np.array([lv.baseline for _, lv in flat])[level_of]
    # Mostly between the levels, some better than the benchmark, some worse than the baseline.
    u = np.clip(rng.normal(0.55, 0.55, n), -0.5, 1.8)
    value = bench + (base - bench) * u
    decimals = np.where(np.abs(base) < 50, 2, 1)
    value = np.round(value * 10.0**decimals) / 10.0**decimals

    pick = rng.integers(0, 1 << 30, n)
    area_text = np.array(
        [
            flat[i][1].area_names[p % len(flat[i][1].area_names)]
            for i, p in zip(level_of.tolist(), pick.tolist(), strict=True)
        ],
        dtype=object,
    )
    category_text = np.array(
        [
            None
            if flat[i][1].category_names is None
            else flat[i][1].category_names[p % len(flat[i][1].category_names)]
            for i, p in zip(level_of.tolist(), (pick >> 8).tolist(), strict=True)
        ],
        dtype=object,
    )
    unit_text = np.array([lv.unit for _, lv in flat], dtype=object)[level_of]
    variant = rng.random(n)
    factor = np.ones(n)
    for unit, variants in UNIT_VARIANTS.items():
        for k, (spelling, f) in enumerate(variants):
            hit = (unit_text == unit) & (variant >= 0.90 + 0.05 * k) & (variant < 0.95 + 0.05 * k)
            unit_text = np.where(hit, spelling, unit_text)
            factor[hit] = f
    value = np.round(value * factor, 6)

    firm = np.arange(n) // 3
    region_of = rng.integers(0, len(REGIONS), firm[-1] + 1 if n else 0)[firm]
    enterprise = [
        f"{REGIONS[r]}{WORDS[f % len(WORDS)]}{TRADES[f % len(TRADES)]}第{f}有限公司"
        for r, f in zip(region_of.tolist(), firm.tolist(), strict=True)
    ]
    line = [f"{k}号线" for k in (np.arange(n) % 3 + 1).tolist()]
    output = np.round(rng.lognormal(12.0, 1.0, n))
    capacity = np.round(output / rng.uniform(0.6, 0.98, n))
    year = rng.integers(2021, 2025, n).astype(float)

    frame = pd.DataFrame(
        {
            "企业名称": pd.Series(enterprise, dtype=object),
            "生产线": pd.Series(line, dtype=object),
            "领域": pd.Series(area_text, dtype=object),
            "类别": pd.Series(category_text, dtype=object),
            "单位产品综合能耗": pd.Series(value, dtype=object),
            "单位": pd.Series(unit_text, dtype=object),
            "产量": pd.Series(output, dtype=object),
            "产能": pd.Series(capacity, dtype=object),
            "年份": pd.Series(year, dtype=object),
            "地区": pd.Series([REGIONS[r] for r in region_of.tolist()], dtype=object),
        }
    )
    _spoil(frame, rng, [lv.category_names is not None for _, lv in flat], level_of)
    return frame


def _spoil(
    frame: pd.DataFrame,
    rng: np.random.Generator,
    has_categories: Sequence[bool],
    level_of: np.ndarray[Any, Any],
) -> None:
    """Make about ``BAD_SHARE`` of the rows bad, each in one of the ``BAD_KINDS`` ways."""
    n = len(frame)
    bad = rng.choice(n, size=int(n * BAD_SHARE), replace=False) if n else np.array([], int)
    kinds = rng.integers(0, len(BAD_KINDS), len(bad))
    multi = np.asarray(has_categories)[level_of]
    for kind_index, kind in enumerate(BAD_KINDS):
        rows = bad[kinds == kind_index]
        if kind == "value_text":
            frame.loc[rows, "单位产品综合能耗"] = rng.choice(
                np.array(["待定", "N/A", "12,3a", "—", "见附表"], dtype=object), len(rows)
            )
        elif kind == "unknown_area":
            frame.loc[rows, "领域"] = rng.choice(
                np.array(["钛冶炼", "多晶硅", "造纸", "水泥熟料厂房"], dtype=object), len(rows)
            )
        elif kind == "missing_category":
            frame.loc[rows[multi[rows]], "类别"] = None
        elif kind == "blank_enterprise":
            frame.loc[rows, "企业名称"] = None
        elif kind == "wrong_unit":
            frame.loc[rows, "单位"] = rng.choice(
                np.array(["吨/吨", "kgce/重量箱", "GJ"], dtype=object), len(rows)
            )
        elif kind == "negative_output":
            frame.loc[rows, "产量"] = -frame.loc[rows, "产量"].astype(float)
        elif kind == "year_text":
            frame.loc[rows, "年份"] = rng.choice(
                np.array(["2023年", "二〇二二", "2022/23"], dtype=object), len(rows)
            )


# --- xlsx --------------------------------------------------------------------------------------

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/xl/sharedStrings.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="填报表" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/>\
<Relationship Id="rId3" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
Target="sharedStrings.xml"/></Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""
_SHEET_HEAD = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<dimension ref="A1:{last}"/><sheetData>"""
_SHEET_TAIL = "</sheetData></worksheet>"
CHUNK_ROWS = 50_000


class _SharedStrings:
    """The workbook's shared-string table: each distinct text once, cells refer by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.refs = 0

    def codes(self, texts: Sequence[Any]) -> np.ndarray[Any, Any]:
        """Shared-string index of each text cell, -1 where the cell is not text."""
        codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=True)
        table = np.array(
            [
                self.index.setdefault(u, len(self.index)) if isinstance(u, str) else -1
                for u in uniques
            ]
            + [-1],
            dtype=np.int64,
        )
        out = table[np.where(codes < 0, len(uniques), codes)]
        self.refs += int((out >= 0).sum())
        return out

    def xml(self) -> Iterator[bytes]:
        yield (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
            f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{self.refs}" uniqueCount="{len(self.index)}">'
        ).encode()
        items = list(self.index)
        for start in range(0, len(items), CHUNK_ROWS):
            yield "".join(
                f"<si><t>{escape(s)}</t></si>" for s in items[start : start + CHUNK_ROWS]
            ).encode()
        yield b"</sst>"


def _column_cells(
    letter: str, first_row: int, values: Sequence[Any], codes: np.ndarray[Any, Any]
) -> list[str]:
    """The ``<c>`` element of each cell of one column: shared string, number, or nothing."""
    out: list[str] = []
    append = out.append
    for r, (v, k) in enumerate(zip(values, codes.tolist(), strict=True), start=first_row):
        if k >= 0:
            append(f'<c r="{letter}{r}" t="s"><v>{k}</v></c>')
        elif v is None or (isinstance(v, float) and v != v):
            append("")
        else:
            append(f'<c r="{letter}{r}"><v>{float(v)!r}</v></c>')
    return out


def write_xlsx(frame: pd.DataFrame, path: Path, title: str = TITLE) -> None:
    """Write ``frame`` as a one-sheet workbook: ``title`` in A1, the header in row 2.

    Written to a temporary name and renamed, so an interrupted run never leaves a file that
    the cache would take for a finished one.
    """
    letters = [chr(65 + i) for i in range(len(frame.columns))]
    sst = _SharedStrings()
    tmp = path.with_name(path.name + ".part")
    n = len(frame)
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_SHEET_HEAD.format(last=f"{letters[-1]}{n + 2}").encode())
            for r, cells in enumerate([[title], list(frame.columns)], start=1):
                codes = sst.codes(cells).tolist()
                row = "".join(
                    f'<c r="{letters[i]}{r}" t="s"><v>{k}</v></c>' for i, k in enumerate(codes)
                )
                fh.write(f'<row r="{r}">{row}</row>'.encode())
            for start in range(0, n, CHUNK_ROWS):
                part = frame.iloc[start : start + CHUNK_ROWS]
                first = start + 3
                columns = [
                    _column_cells(
                        letter, first, part[name].tolist(), sst.codes(part[name].tolist())
                    )
                    for letter, name in zip(letters, frame.columns, strict=True)
                ]
                fh.write(
                    "".join(
                        f'<row r="{r}">{"".join(cells)}</row>'
                        for r, cells in enumerate(zip(*columns, strict=True), start=first)
                    ).encode()
                )
            fh.write(_SHEET_TAIL.encode())
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            for chunk in sst.xml():
                fh.write(chunk)
    tmp.replace(path)


def write_csv(frame: pd.DataFrame, path: Path, title: str = TITLE) -> None:
    """Write ``frame`` as UTF-8 CSV with a BOM (Excel's "CSV UTF-8"), ``title`` on line 1."""
    tmp = path.with_name(path.name + ".part")
    text = frame.map(
        lambda v: (
            ""
            if v is None or (isinstance(v, float) and v != v)
            else (repr(v) if isinstance(v, float) else v)
        )
    )
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(title + "\n")
        text.to_csv(fh, index=False, lineterminator="\n")
    tmp.replace(path)


def cached_path(kind: str, n: int, seed: int, out_dir: Path) -> Path:
    """Where the ``kind`` (``xlsx`` or ``csv``) file of ``n`` rows for ``seed`` is cached."""
    return out_dir / f"plants_{n}_seed{seed}.{kind}"


def ensure(kind: str, n: int, seed: int, out_dir: Path) -> Path:
    """The cached file of ``n`` rows for ``seed``, made first if absent."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = cached_path(kind, n, seed, out_dir)
    if path.exists():
        return path
    frame = make_rows(n, seed)
    (write_xlsx if kind == "xlsx" else write_csv)(frame, path)
    return path

"""Row kinds: plant lines told from headings, totals, notes and blank rows in real workbooks.

Every workbook is written with openpyxl as a bureau lays it out and read back by the tool's own
reader (fastexcel), so the cells reach :func:`classify_rows` exactly as they do in a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.fields import FIELDS
from benchmark.readers import read_tables
from benchmark.readers.numbers import python_text
from benchmark.readers.rowkinds import RowKind, classify_rows, describe_skipped

from .conftest import WriteXlsx

#: A: 序号, B: enterprise, C: line, D: area, E: value, F: output, G: region.
HEADER = ["序号", "企业名称", "生产线", "领域", "单位产品能耗", "产量", "地区"]
PLANT = [1, "某水泥有限公司", "1#窑", "水泥熟料", 98.5, 120, "西安"]


def kinds_of(path: Path) -> dict[int, str]:
    """Each Excel row under the header with the name of its kind."""
    tables, problems = read_tables(path)
    assert not problems
    (table,) = tables
    fields = {f: f for f in FIELDS if f in table.frame.columns}
    kinds = classify_rows(table.frame, fields)
    assert kinds.dtype == np.int8
    return {int(r): RowKind(int(k)).name for r, k in zip(table.rows, kinds, strict=True)}


def classify(
    write_xlsx: WriteXlsx, rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER
) -> list[str]:
    """Kinds of ``rows`` written under ``header`` (one plant line first, so the header is
    found whatever the rows hold)."""
    kinds = kinds_of(write_xlsx([PLANT, *rows], header=header))
    assert kinds.pop(2) == "PLANT"
    return [kinds[row] for row in sorted(kinds)]


def test_a_bureau_list(write_xlsx: WriteXlsx) -> None:
    rows: list[list[Any]] = [
        ["一、关中地区", None, None, None, None, None, None],  # 4
        ["（一）", "西安市", None, None, None, None, None],  # 5
        [1, "某水泥有限公司", "1#窑", "水泥熟料", 98.5, 120, "西安"],  # 6
        [2, "合计化工有限公司", "1#", "烧碱", 320, 50, "西安"],  # 7
        ["小计", None, None, None, None, 170, None],  # 8
        [None, "关中地区合计", None, None, None, 170, None],  # 9
        ["二. 陕南", None, None, None, None, 300, None],  # 10
        [None, "水泥熟料", None, None, None, None, None],  # 11
        [3, "汉中水泥厂", "2#窑", "水泥熟料", "—", "—", None],  # 12
        ["  ", None, "\u3000", None, None, None, None],  # 13
        ["合　计", None, None, None, None, "=SUM(F5:F6)", None],  # 14
        ["总计", None, None, None, None, 470, None],  # 15
        ["注：1．产量为2024年数据。", None, None, None, None, None, None],  # 16
        ["2．能耗按当量值计算。", None, None, None, None, None, None],  # 17
        ["填表人：张三", None, "审核人：李四", None, "联系电话：029-1234", None, None],  # 18
    ]
    kinds = kinds_of(
        write_xlsx(
            rows,
            title_rows=[
                ["陕西省重点行业能效对标表"],
                ["填报单位：陕西省发改委", None, None, "填报日期：2025年3月"],
            ],
        )
    )
    # The header is row 3: the title and the 填报单位 line above it are no rows of the table.
    assert kinds == {
        4: "SECTION",
        5: "SECTION",
        6: "PLANT",
        7: "PLANT",
        8: "TOTAL",
        9: "TOTAL",
        10: "SECTION",
        11: "SECTION",
        12: "PLANT",
        13: "BLANK",
        14: "TOTAL",
        15: "TOTAL",
        16: "NOTE",
        17: "NOTE",
        18: "NOTE",
    }


# --- BLANK ------------------------------------------------------------------------------------


def test_blank_rows(write_xlsx: WriteXlsx) -> None:
    rows = [
        [" ", None, None, None, None, None, None],
        [None, "\u3000", "\t", None, None, None, None],
        [7, None, None, None, None, None, None],  # a pre-numbered empty form line
        [None, 7, None, None, None, None, None],
    ]  # 7 typed as an enterprise
    assert classify(write_xlsx, rows) == ["BLANK", "BLANK", "BLANK", "PLANT"]


def test_a_lone_number_is_no_serial_when_the_first_column_is_a_field(write_xlsx: WriteXlsx) -> None:
    header = HEADER[1:]
    rows = [[None, None, None, 98.5, None, None], ["7", None, None, None, None, None]]
    kinds = kinds_of(write_xlsx([PLANT[1:], *rows], header=header))
    assert kinds == {2: "PLANT", 3: "PLANT", 4: "PLANT"}


# --- TOTAL ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "小计",
        "合计",
        "总计",
        "共计",
        "累计",
        "合 计",
        "合　计",
        "全省合计",
        "关中地区小计",
        "陕西省总计",
        "合计（12家）",
        "合计:",
        "小计：3家",
        "其中：",
        "Total",
        "TOTAL",
        "Sub Total",
        "subtotal",
        "Grand total",
        "Sum",
        "Total (3 plants)",
        "ｔｏｔａｌ",
    ],
)
@pytest.mark.parametrize("column", [0, 1, 3, 6])
def test_totals(write_xlsx: WriteXlsx, text: str, column: int) -> None:
    row: list[Any] = [None] * 7
    row[column] = text
    row[5] = 1234.5  # the sum of the output column
    assert classify(write_xlsx, [row]) == ["TOTAL"]


def test_a_total_of_an_enterprise_in_the_line_column(write_xlsx: WriteXlsx) -> None:
    rows = [[None, "某水泥有限公司", "小计", "水泥熟料", 99.1, 240, "西安"]]
    assert classify(write_xlsx, rows) == ["TOTAL"]


@pytest.mark.parametrize(
    "name",
    [
        "合计化工有限公司",
        "某某合计(集团)有限公司",
        "总计量检测中心",
        "Summit Cement Co.",
        "Totalenergies Refining",
        "累计化工",
        "小计量泵厂",
    ],
)
def test_names_holding_a_total_word_are_plant_lines(write_xlsx: WriteXlsx, name: str) -> None:
    assert classify(write_xlsx, [[3, name, "1#", "水泥熟料", 99, 10, "西安"]]) == ["PLANT"]


@pytest.mark.parametrize(
    "text",
    [
        "平均",
        "平均值",
        "均值",
        "加权平均",
        "加权平均值",
        "平 均",
        "全省平均",
        "行业平均值",
        "平均：",
        "平均（5家）",
        "Average",
        "weighted average",
        "Mean",
    ],
)
@pytest.mark.parametrize("column", [0, 1, 3])
def test_averages(write_xlsx: WriteXlsx, text: str, column: int) -> None:
    """An average row summarises the lines above, as a total does: never a plant line, even
    when it carries an area and a value."""
    row: list[Any] = [None, None, None, "水泥熟料", 101.2, 75, None]
    row[column] = text
    assert classify(write_xlsx, [row]) == ["AVERAGE"]


def test_an_average_with_no_area_is_no_plant_missing_one(write_xlsx: WriteXlsx) -> None:
    rows = [[None, "加权平均值", None, None, 108.3, None, None]]
    assert classify(write_xlsx, rows) == ["AVERAGE"]


@pytest.mark.parametrize(
    "row",
    [
        [3, "平均山水泥厂", "1#窑", "水泥熟料", 99, 10, "西安"],
        [3, "平均", "1#窑", "水泥熟料", 99, 10, "西安"],  # a line named: a plant, say it
        [3, "平均化工有限公司", None, "烧碱", 320, 10, "西安"],
        [3, "Meanwell Cement Co.", "2#", "水泥熟料", 99, 10, None],
    ],
)
def test_names_holding_an_average_word_are_plant_lines(
    write_xlsx: WriteXlsx, row: list[Any]
) -> None:
    assert classify(write_xlsx, [row]) == ["PLANT"]


def test_a_total_word_outside_the_key_columns_is_no_total(write_xlsx: WriteXlsx) -> None:
    header = [*HEADER, "备注"]
    rows = [[3, "乙公司", "1#", "水泥熟料", 99, 10, "西安", "合计"]]
    assert classify(write_xlsx, rows, header=header) == ["PLANT"]


# --- SECTION ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        ["一、关中地区", None, None, None, None, None, None],
        [None, "一、关中地区", None, None, None, None, None],
        ["（一）水泥", None, None, None, None, None, None],
        ["(二) 平板玻璃", None, None, None, None, None, None],
        ["二. 陕南", None, None, None, None, None, None],
        ["第一部分", None, None, None, None, None, None],
        ["第2部分 钢铁", None, None, None, None, None, None],
        ["1、关中地区", None, None, None, None, None, None],
        ["（1）水泥", None, None, None, None, None, None],
        ["IV. 有色", None, None, None, None, None, None],
        [None, "关中地区", None, None, None, None, None],
        [None, None, None, "水泥熟料", None, None, None],
        [None, None, None, None, None, None, "汉中市"],
        ["一", "关中地区", None, None, None, None, None],
        ["（二）", "陕南", None, None, None, None, None],
        ["三、陕北", None, None, None, None, 3200, None],  # a heading with its subtotal
        ["（一）西安市", None, None, None, "—", 1200, 1500],
        ["（三）陕西某集团有限公司", None, None, None, None, None, None],  # numbered: a heading
    ],
)
def test_sections(write_xlsx: WriteXlsx, row: list[Any]) -> None:
    assert classify(write_xlsx, [row]) == ["SECTION"]


@pytest.mark.parametrize(
    "row",
    [
        [None, "秦岭水泥有限公司", None, None, None, None, None],  # a plant with no figures
        [None, "汉中水泥厂", None, None, None, None, None],
        [None, None, "1#窑", None, None, None, None],
        [None, "关中地区", None, None, 98.5, None, None],  # a value: a plant line
        ["一、关中地区", None, None, None, 98.5, None, None],
        ["（一）", "某水泥有限公司", None, None, None, None, None],
        [None, "关中地区", None, "水泥熟料", None, None, None],  # two text cells
        ["一", "关中地区", None, "水泥熟料", None, None, None],
        [None, None, None, None, None, 120, None],  # a lone figure
        [None, None, None, None, "停产", None, None],  # text where the value goes
    ],
)
def test_rows_that_are_no_heading(write_xlsx: WriteXlsx, row: list[Any]) -> None:
    assert classify(write_xlsx, [row]) == ["PLANT"]


# --- NOTE -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "注：产量为2024年数据",
        "注:",
        "注",
        "注1：按当量值计算",
        "注 本表由企业填报",
        "说明：单位为万吨",
        "备注：",
        "填表人：张三",
        "填报人: 李四",
        "审核人：王五",
        "制表人：赵六",
        "负责人：钱七",
        "单位负责人：孙八",
        "联系人：周九",
        "联系电话：029-12345678",
        "数据来源：统计局",
        "资料来源：企业填报",
        "填报单位：陕西省发改委    填报日期：2025年3月1日",
        "审核：张三",
        "Note: figures for 2024",
        "Notes 2: estimated",
        "Source: NBS",
        "注：",
    ],
)
def test_notes(write_xlsx: WriteXlsx, text: str) -> None:
    assert classify(write_xlsx, [[text, None, None, None, None, None, None]]) == ["NOTE"]


def test_a_note_in_a_later_column_after_empty_cells(write_xlsx: WriteXlsx) -> None:
    rows = [[None, None, "填表人：张三", None, "审核人：李四", None, None]]
    assert classify(write_xlsx, rows) == ["NOTE"]


def test_the_lines_of_a_note_and_a_plant_line_after_it(write_xlsx: WriteXlsx) -> None:
    rows = [
        ["注：", None, None, None, None, None, None],
        ["1．产量为2024年数据；", None, None, None, None, None, None],
        ["2．能耗按当量值计算。", None, None, None, None, None, None],
        [None, "本表由", "企业填报", None, None, None, None],
        [9, "后补企业有限公司", "1#窑", "水泥熟料", 101, 80, "西安"],
    ]
    assert classify(write_xlsx, rows) == ["NOTE"] * 4 + ["PLANT"]


@pytest.mark.parametrize("name", ["说明书印刷厂", "备注", "注塑厂", "审核人才中心"])
def test_names_beginning_like_a_note_are_plant_lines(write_xlsx: WriteXlsx, name: str) -> None:
    row: list[Any] = [5, name, "1#", "水泥熟料", 99, 10, "西安"]
    assert classify(write_xlsx, [row]) == ["PLANT"]


# --- PLANT ------------------------------------------------------------------------------------


def test_plant_lines_with_problems_stay_plant_lines(write_xlsx: WriteXlsx) -> None:
    """Validation reports these; skipped, their problems would go unseen."""
    rows = [
        [2, "乙公司", "1#", "水泥熟科", "12,o5", None, None],
        [None, "丙公司", None, None, 99, None, None],
        [3, None, "2#", "水泥熟料", 99, 10, None],
        [4, "丁有限公司", "1#", "水泥熟料", "—", None, None],
    ]
    assert classify(write_xlsx, rows) == ["PLANT"] * 4


def test_enterprise_as_first_column(write_xlsx: WriteXlsx) -> None:
    header = HEADER[1:]
    rows = [
        ["合计", None, None, None, 240, None],
        ["关中地区", None, None, None, None, None],
        ["注：单位万吨", None, None, None, None, None],
        ["某水泥有限公司", "2#窑", "水泥熟料", 97, 100, "西安"],
    ]
    kinds = kinds_of(write_xlsx([PLANT[1:], *rows], header=header))
    assert kinds == {2: "PLANT", 3: "TOTAL", 4: "SECTION", 5: "NOTE", 6: "PLANT"}


# --- frames beyond workbooks ------------------------------------------------------------------


def test_typed_columns_as_parquet_gives_them() -> None:
    frame = pd.DataFrame(
        {
            "序号": pd.Series(["1", "合计", None], dtype="string[pyarrow]"),
            "enterprise": pd.Series(["甲公司", None, None], dtype="string[pyarrow]"),
            "value": pd.Series([98.5, None, None], dtype="float64"),
            "output": pd.Series([10, 10, None], dtype="Int64"),
        }
    )
    kinds = classify_rows(frame, {"enterprise": "enterprise", "value": "value", "output": "output"})
    assert kinds.tolist() == [RowKind.PLANT, RowKind.TOTAL, RowKind.BLANK]


def test_without_a_value_column() -> None:
    frame = pd.DataFrame({"企业名称": pd.Series(["一、关中", "甲公司"], dtype="string[pyarrow]")})
    assert classify_rows(frame, {"enterprise": "企业名称"}).tolist() == [
        RowKind.SECTION,
        RowKind.PLANT,
    ]


def test_empty_frames() -> None:
    assert classify_rows(pd.DataFrame(), {}).tolist() == []
    assert classify_rows(pd.DataFrame(index=range(2)), {}).tolist() == [RowKind.BLANK] * 2
    empty = pd.DataFrame({"a": pd.Series([], dtype="string[pyarrow]")})
    assert classify_rows(empty, {}).tolist() == []


def test_many_rows_are_classified_alike() -> None:
    """Whole-column kernels: a pattern repeated 20,000 times gives the same kinds."""
    block = pd.DataFrame(
        {
            "序号": ["一、关中", "1", "小计", None, "注：", "备考"],
            "enterprise": [None, "甲公司", None, None, None, None],
            "value": [None, "98.5", None, None, None, None],
        },
        dtype="string[pyarrow]",
    )
    fields = {"enterprise": "enterprise", "value": "value"}
    one = classify_rows(block, fields)
    assert one.tolist() == [
        RowKind.SECTION,
        RowKind.PLANT,
        RowKind.TOTAL,
        RowKind.BLANK,
        RowKind.NOTE,
        RowKind.NOTE,
    ]
    many = pd.concat([block] * 20_000, ignore_index=True)
    # Below the first note, lone text rows are note lines: all later headings are, too.
    expected = np.tile(one, 20_000)
    later_lone = np.arange(len(many)) > 4
    expected[later_lone & (np.tile(np.arange(6), 20_000) == 0)] = RowKind.NOTE
    assert (classify_rows(many, fields) == expected).all()


def test_numbers_read_as_numbers_classify_as_their_text() -> None:
    """A column read as numbers (a later piece of a large sheet) gives the kinds its text
    gives: a number is a figure, never a word, a dash or a serial number alone."""
    as_text = pd.DataFrame(
        {
            "序号": pd.Series(
                ["1", "2023.0", None, "一、关中", None, "小计"], dtype="string[pyarrow]"
            ),
            "enterprise": pd.Series(
                ["甲公司", None, None, None, "乙公司", None], dtype="string[pyarrow]"
            ),
            "value": pd.Series(
                ["98.5", None, "-3.0", None, "1e-05", None], dtype="string[pyarrow]"
            ),
            "output": pd.Series(
                ["10.0", "2023.0", None, "120.0", None, "inf"], dtype="string[pyarrow]"
            ),
        }
    )
    as_numbers = as_text.assign(
        value=pd.Series([98.5, None, -3.0, None, 1e-05, None], dtype="float64"),
        output=pd.Series([10.0, 2023.0, None, 120.0, None, float("inf")], dtype="float64"),
    )
    fields = {"enterprise": "enterprise", "value": "value", "output": "output"}
    kinds = classify_rows(as_text, fields).tolist()
    assert classify_rows(as_numbers, fields).tolist() == kinds
    first_numbers = as_numbers.assign(序号=pd.Series([1.0, 2023.0] + [None] * 4, dtype="float64"))
    first_text = as_text.assign(序号=pd.Series(["1.0", "2023.0"] + [None] * 4, dtype="string"))
    assert (
        classify_rows(first_numbers, fields).tolist() == classify_rows(first_text, fields).tolist()
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.none(), max_size=40))
def test_python_text_is_what_pandas_gives(values: list[float | None]) -> None:
    column = pd.Series(values, dtype="float64")
    want = [None if v is pd.NA else v for v in column.astype("string").astype(object)]
    assert python_text(column.to_numpy()).to_pylist() == want


# --- describe_skipped -------------------------------------------------------------------------


def test_describe_skipped(write_xlsx: WriteXlsx) -> None:
    rows: list[list[Any]] = [
        ["一、关中地区"] + [None] * 6,
        ["小计"] + [None] * 6,
        ["合计"] + [None] * 6,
        [None, "平均", None, "水泥熟料", 99] + [None] * 2,
        ["注："] + [None] * 6,
    ]
    tables, _ = read_tables(write_xlsx([PLANT, *rows], header=HEADER))
    frame = tables[0].frame
    kinds = classify_rows(frame, {f: f for f in FIELDS if f in frame.columns})
    assert describe_skipped(kinds) == {"section": 1, "total": 2, "note": 1, "average": 1}
    assert list(describe_skipped(kinds)) == ["section", "total", "note", "average"]
    assert describe_skipped(np.zeros(5, dtype=np.int8)) == {}
    assert describe_skipped(np.array([], dtype=np.int8)) == {}

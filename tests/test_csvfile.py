"""The CSV reader: encodings as Chinese Excel writes them, and row numbers of the text file."""

from __future__ import annotations

import pandas as pd

from benchmark.headers import HeaderMatcher
from benchmark.readers.csvfile import read_csv

HEADER = "企业名称,领域,单位产品能耗\n"


def read(data: bytes) -> tuple[list[list[str | None]], list[int], list[str]]:
    tables, problems = read_csv(data, "plants.csv", HeaderMatcher())
    assert len(tables) <= 1
    if not tables:
        return [], [], [p.message for p in problems]
    frame = tables[0].frame
    cells = [
        [None if v is None or v is pd.NA or v != v else str(v) for v in row]
        for row in frame[["enterprise", "area", "value"]].astype(object).values.tolist()
    ]
    return cells, tables[0].rows.tolist(), [p.message for p in problems]


def test_utf8_gbk_and_bom_read_the_same() -> None:
    text = HEADER + "冀东水泥,水泥熟料,98.5\n"
    for data in (text.encode("utf-8"), text.encode("gbk"), b"\xef\xbb\xbf" + text.encode()):
        cells, rows, problems = read(data)
        assert cells == [["冀东水泥", "水泥熟料", "98.5"]] and rows == [2] and problems == []


def test_a_title_row_above_the_header_and_blank_lines_keep_line_numbers() -> None:
    data = ("2024年填报表,,\n" + HEADER + "甲,水泥熟料,98\n\n乙,水泥熟料,110\n").encode()
    cells, rows, _ = read(data)
    assert [c[0] for c in cells] == ["甲", "乙"] and rows == [3, 5]


def test_a_quoted_line_break_keeps_the_line_the_row_starts_on() -> None:
    data = (HEADER + '"甲\n分厂",水泥熟料,98\n乙,水泥熟料,110\n').encode()
    cells, rows, _ = read(data)
    assert cells[0][0] == "甲\n分厂" and rows == [2, 4]


def test_ragged_rows_are_read_and_said() -> None:
    data = (HEADER + "甲,水泥熟料,98,extra\n乙,水泥熟料\n").encode()
    cells, rows, problems = read(data)
    assert cells == [["甲", "水泥熟料", "98"], ["乙", "水泥熟料", None]] and rows == [2, 3]
    assert problems == ["row has 4 fields, the header has 3; extra fields ignored"]


def test_nan_and_null_stay_text_for_validation_to_name() -> None:
    cells, _, _ = read((HEADER + "甲,水泥熟料,NaN\n乙,水泥熟料,NULL\n").encode())
    assert [c[2] for c in cells] == ["NaN", "NULL"]


def test_no_header_and_an_empty_file() -> None:
    assert read(b"a,b,c\n1,2,3\n")[2][0].startswith("no header row")
    assert read(b"")[2] == ["an empty file"]

"""Which rows under a header are plant lines, and which are headings, totals, notes or blank.

Bureau workbooks are laid out for people: regions head their plants (``一、关中地区``), subtotals
and totals follow them (``小计``, ``全省合计``) with sums in the quantity columns, and notes and
signatures close the sheet (``注：…``, ``填表人：…``). Graded as plant lines, a total would double
the output of its region and a heading would raise a blank-cell error; skipped without a word,
a plant line would vanish. So every row gets a kind, the caller skips all but plant lines and
says how many of each it skipped (:func:`describe_skipped`), and when in doubt a row is a plant
line: it then meets validation, which says what is wrong with it.

Every rule is a vectorised test over a column (Arrow string kernels, RE2); the text of the few
candidate rows is normalised and matched once more, and nothing loops over rows in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from benchmark.readers.numbers import python_text

__all__ = ["RowKind", "classify_rows", "describe_skipped"]


class RowKind(IntEnum):
    """What a row under the header is; only PLANT rows are plant lines."""

    PLANT = 0
    SECTION = 1
    TOTAL = 2
    NOTE = 3
    BLANK = 4
    AVERAGE = 5


#: Fields whose cells may name a total (besides the first column, often 序号).
_TOTAL_FIELDS = ("enterprise", "line", "area", "category", "region")
_CN_NUM = "[一二三四五六七八九十百零〇]"

# Patterns for RE2, matched on a key: NFKC, lower case, no spaces (so 合　计 is 合计 and
# （一） is (一)). A total is a total word alone, or a name ending in 合计/小计/总计, either
# followed only by a bracketed remark or a colon and text: 全省合计, 合计（12家）, 小计: 3 家.
# 其中 ("of which") opens the breakdown of a total. 合计化工有限公司 is none of these.
_TOTAL = (
    "^(?:小计|合计|总计|共计|累计|总合计|其中|sub-?totals?|grand-?totals?|totals?|sum|"
    ".+(?:合计|小计|总计))(?:\\(.*\\)|\\[.*\\]|【.*】|:.*)?$"
)
#: Cheap test on the raw cell before normalising: every total above contains one of these.
_TOTAL_HINT = "计|其中|(?i:total|sum|ｔｏｔａｌ|ｓｕｍ)"
# An average row summarises the lines above it like a total: the word alone, or a short
# name ending in it (全省平均, 行业加权平均值), with a remark as for totals. 平均山水泥厂 is a
# plant; and a row naming a line (1#窑) is one whatever its other cells say.
_AVERAGE = (
    "^(?:.{0,8}平均值?|均值|(?:weighted-?|arithmetic-?)?(?:average|mean)s?|avg\\.?)"
    "(?:\\(.*\\)|\\[.*\\]|【.*】|:.*)?$"
)
_AVERAGE_HINT = "均|(?i:average|mean|avg|ａｖｅｒａｇｅ|ｍｅａｎ)"
#: A numbered heading: 一、 二. （一） 第一部分 I. 1、 (1) 1.水泥
_HEADING = (
    f"^(?:{_CN_NUM}+[、.,:]|\\({_CN_NUM}+\\)|"
    f"第(?:{_CN_NUM}|[0-9])+[部分章节类篇组批项片区]|"
    "[ivx]+[、.]|[0-9]{1,2}、|\\([0-9]{1,2}\\)|[0-9]{1,2}\\.[^0-9])"
)
#: A serial cell holding only a heading numeral: 一, 一、, （二）, IV.
_NUMERAL = f"^(?:{_CN_NUM}+|\\({_CN_NUM}+\\)|[ivx]+)[、.]?$"
#: Text that names a company or a production line: never a heading.
_COMPANY = "公司|集团|厂|股份|有限|[0-9]+(?:#|号)|co\\.|ltd|inc\\.|corp|plant|works|mill|factory"
#: A note or signature line, matched on NFKC lower-case text with its spaces: the word, then
#: a colon, a digit, a space or the end of the cell (说明书印刷厂 is no note). Short words that
#: could begin a name (审核, 日期, 单位) count only with a colon.
_NOTE = (
    "^(?:(?:注|说明|备注|填表人|填报人|审核人|制表人|负责人|单位负责人|企业负责人|统计负责人|"
    "联系人|联系电话|数据来源|资料来源|填报单位|填报日期|填表日期|制表日期|报送日期)"
    "(?:[:0-9\\s]|$)|(?:审核|复核|填表|制表|日期|单位|电话|签字|盖章):|"
    "(?:notes?|remarks?|sources?)\\s*[0-9]*\\s*:)"
)
#: Cheap test on a row's first cell before normalising: the first character of a note word
#: (ideographs are the same under NFKC) or a letter of one (full-width too).
_NOTE_HINT = "^(?:[注说备填审制负单企统联数资报复日电签盖]|(?i:[nrsｎｒｓ]))"
#: A cell holding a figure (a subtotal) or a dash for none: not text for the heading rules.
_FIGURE = (
    "^(?:[+\\-－]?[0-9０-９][0-9０-９,，.．'\\s]*(?:[eE][+\\-]?[0-9]+)?%?|[-‐‑‒–—―−－─━﹣]{1,3})$"
)
#: A lone dash (1-3 of them): "no figure".
_DASH = "^[-‐‑‒–—―−－─━﹣]{1,3}$"
_SPACES = "[\\s\\p{Z}\\x{200b}-\\x{200d}\\x{2060}\\x{feff}]+"
_STRING = pa.string()


def classify_rows(frame: pd.DataFrame, fields: Mapping[str, str]) -> np.ndarray[Any, Any]:
    """A :class:`RowKind` code (int8) for each row of a table of text cells under its header.

    ``fields`` maps field names (``enterprise``, ``area``, ``value``, …) to the frame's
    columns where known; the frame's first column is the sheet's first (often 序号). Rules, the
    first that applies wins:

    1. BLANK: every cell empty or whitespace — or only a whole number in the first column when
       that column is no known field (a form's pre-numbered empty line).
    2. NOTE: the first non-empty cell starts a note or signature (注：, 说明, 备注, 填表人,
       审核人, 联系电话, 数据来源, 填报单位：… 填报日期：…, ``Note:``…); below a note, rows with
       no value and at most two cells, all text (the note's further lines), are notes too,
       unless they are totals.
    3. TOTAL: the first column or an enterprise/line/area/category/region cell is a total
       (小计, 合计, 总计, 共计, 累计, 其中, total, subtotal, sum, or ends with 合计/小计/总计),
       whatever the other cells hold. AVERAGE: such a cell is an average (平均, 平均值, 均值,
       加权平均, a short name ending in 平均/平均值 such as 全省平均, average, mean), and the
       row's line cell is blank (or that average word): 平均山水泥厂 and a row naming its
       line 1#窑 stay plant lines.
    4. SECTION: no value, and either one text cell that is a numbered heading (一、关中地区,
       （一）水泥, 二. 陕南, 第一部分) beside figures only (a heading carrying its subtotals);
       or a lone cell, the row's only one, whose text names no company or line (a region or
       area heading: 关中地区, 水泥熟料); or a heading numeral in the first column (一, （二）)
       beside one such text cell, and figures only.
    5. PLANT: everything else, so a row with an enterprise and a value is always a plant line.

    Each rule looks at a column's distinct texts, not at its rows (:class:`_Cells`): a list of
    a million lines holds a few thousand names, areas and units.
    """
    n = len(frame)
    if not len(frame.columns):
        return np.full(n, RowKind.BLANK, dtype=np.int8)
    columns = [_Cells.of(frame[c]) for c in frame.columns]
    filled = np.column_stack([c.filled for c in columns])
    first = filled.argmax(axis=1)
    position = {name: i for i, name in enumerate(frame.columns)}
    value_at = position.get(fields.get("value", ""))
    value_empty = (
        np.ones(n, dtype=bool)
        if value_at is None
        else ~filled[:, value_at] | _dash(columns[value_at])
    )

    blank = ~filled.any(axis=1) | _serial_only(columns[0], filled, frame.columns[0], fields)
    total_columns = [0, *(position[fields[f]] for f in _TOTAL_FIELDS if fields.get(f) in position)]
    keyed = [columns[i] for i in dict.fromkeys(total_columns)]
    total = _totals(keyed) & ~blank
    line_at = position.get(fields.get("line", ""))
    average = _averages(keyed, None if line_at is None else columns[line_at]) & ~blank & ~total
    note = _notes(columns, first, filled, value_empty & ~blank & ~total & ~average) & ~blank
    total &= ~note
    average &= ~note
    section = _sections(columns, first, filled, value_empty & ~blank & ~note & ~total & ~average)
    kinds = np.select(
        [blank, note, total, average, section],
        [RowKind.BLANK, RowKind.NOTE, RowKind.TOTAL, RowKind.AVERAGE, RowKind.SECTION],
        RowKind.PLANT,
    )
    return kinds.astype(np.int8)


class _Cells:
    """One column's cells as codes into its distinct trimmed texts (-1: empty or blank).

    A rule is a test of the distinct texts spread to the rows by their codes; the text of a
    few rows (the candidates for a heading, the lines below a note) is taken back by code.
    A column read as numbers (``numbers``) has the text pandas would give each number
    (:func:`~benchmark.readers.numbers.python_text`), made only when a rule asks for it.
    """

    def __init__(self, codes: np.ndarray[Any, Any], texts: Any, numbers: Any = None) -> None:
        self.codes = codes
        self.filled = codes >= 0
        self._texts = texts
        self._numbers = numbers
        #: Whether the cells are numbers (no dash, no word: figures only).
        self.numbers = numbers is not None

    @classmethod
    def of(cls, column: pd.Series) -> _Cells:
        """The distinct texts of a column: a string column's values trimmed of (Unicode)
        whitespace; a column read as numbers, its numbers."""
        if pd.api.types.is_float_dtype(column.dtype):  # each row its own code: no hashing
            values = column.to_numpy(dtype="float64", na_value=np.nan)
            return cls(np.where(np.isnan(values), -1, np.arange(len(values))), None, values)
        series = column if pd.api.types.is_string_dtype(column.dtype) else column.astype("string")
        array = pa.array(series.astype("string[pyarrow]").array)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        encoded = pc.dictionary_encode(array.cast(_STRING))
        texts = pc.utf8_trim_whitespace(encoded.dictionary)
        empty = np.append(_mask(pc.equal(texts, "")), True)
        codes = np.asarray(
            pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64
        )
        return cls(np.where(empty[codes], -1, codes), texts)

    @property
    def size(self) -> int:
        """How many distinct texts (or numbers) there are."""
        return len(self._numbers) if self._texts is None else len(self._texts)

    def texts_of(self, codes: np.ndarray[Any, Any]) -> Any:
        """The texts of some distinct values (codes, none of them -1)."""
        if self._texts is None:
            return python_text(self._numbers[codes])
        return self._texts.take(pa.array(codes, pa.int64()))

    def matches(
        self, pattern: str, rows: np.ndarray[Any, Any] | None = None
    ) -> np.ndarray[Any, Any]:
        """Which rows (or which of ``rows``) hold text matching the RE2 ``pattern``; only
        the texts those rows hold are tested."""
        codes = self.codes if rows is None else self.codes[rows]
        used = np.arange(self.size) if rows is None else self._distinct(codes)
        hit = np.zeros(self.size + 1, dtype=bool)
        hit[used] = _mask(pc.match_substring_regex(self.texts_of(used), pattern))
        spread: np.ndarray[Any, Any] = hit[codes]
        return spread

    def text(self, rows: np.ndarray[Any, Any]) -> Any:
        """The trimmed text of the given rows (null where empty)."""
        codes = self.codes[rows]
        if not self.size:
            return pa.nulls(len(codes), _STRING)
        return pc.if_else(
            pa.array(codes < 0), pa.scalar(None, _STRING), self.texts_of(np.maximum(codes, 0))
        )

    def _distinct(self, codes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The codes among ``codes`` (-1 left out), each once: a mark per distinct value,
        not a sort."""
        seen = np.zeros(self.size + 1, dtype=bool)
        seen[codes] = True
        return np.flatnonzero(seen[:-1])


def describe_skipped(kinds: np.ndarray[Any, Any]) -> dict[str, int]:
    """How many rows of each kind but PLANT there are, for a summary line: ``{"total": 3}``.

    Keys are the kinds' lower-case names in :class:`RowKind` order; kinds with no row are left
    out, so an empty dict means nothing was skipped.
    """
    counts = np.bincount(np.asarray(kinds, dtype=np.int64), minlength=len(RowKind))
    return {
        kind.name.lower(): int(counts[kind])
        for kind in RowKind
        if kind is not RowKind.PLANT and counts[kind]
    }


def _serial_only(
    first: _Cells, filled: np.ndarray[Any, Any], name: Any, fields: Mapping[str, str]
) -> np.ndarray[Any, Any]:
    """Rows holding nothing but a whole number in the first column, if it is no field."""
    only = np.zeros(len(filled), dtype=bool)
    if filled.shape[1] < 2 or name in fields.values():
        return only
    only |= filled[:, 0] & (filled.sum(axis=1) == 1) & first.matches("^[0-9０-９]+$")
    return only


def _notes(
    columns: list[_Cells],
    first: np.ndarray[Any, Any],
    filled: np.ndarray[Any, Any],
    valueless: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Note rows: a note word leads the row, or a few text cells (no value) follow a note."""
    note = np.zeros(len(filled), dtype=bool)
    for i, column in enumerate(columns):
        leads = np.flatnonzero((first == i) & filled[:, i])
        if not len(leads):
            continue
        hinted = leads[column.matches(_NOTE_HINT, leads)]
        if not len(hinted):
            continue
        lowered = pc.utf8_lower(pc.utf8_normalize(column.text(hinted), form="NFKC"))
        note[hinted[_mask(pc.match_substring_regex(lowered, _NOTE))]] = True
    if not note.any():
        return note
    below = np.logical_or.accumulate(note)
    below[1:] = below[:-1].copy()
    below[0] = False
    rows = np.flatnonzero(below & valueless & ~note & (filled.sum(axis=1) <= 2))
    text = _text_cells(columns, filled, rows)
    note[rows[text.sum(axis=1) == filled[rows].sum(axis=1)]] = True
    return note


def _totals(
    columns: list[_Cells], pattern: str = _TOTAL, hint: str = _TOTAL_HINT
) -> np.ndarray[Any, Any]:
    """Rows where any of ``columns`` names a total (or what ``pattern`` matches); normalises
    only the texts ``hint`` finds."""
    total = np.zeros(len(columns[0].codes), dtype=bool)
    for column in columns:
        if column.numbers:
            continue
        hinted = np.flatnonzero(column.matches(hint))
        if len(hinted):
            keys = _key(column.text(hinted))
            total[hinted[_mask(pc.match_substring_regex(keys, pattern))]] = True
    return total


def _averages(columns: list[_Cells], line: _Cells | None) -> np.ndarray[Any, Any]:
    """Rows where any of ``columns`` names an average (平均, 加权平均值, 全省平均, average),
    unless the row names a production line: a plant line stays one."""
    average = _totals(columns, _AVERAGE, _AVERAGE_HINT)
    if line is not None and average.any():
        average &= ~line.filled | _totals([line], _AVERAGE, _AVERAGE_HINT)
    return average


def _sections(
    columns: list[_Cells],
    first: np.ndarray[Any, Any],
    filled: np.ndarray[Any, Any],
    candidate: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Heading rows among the candidates (rows with no value, nor any other kind)."""
    section = np.zeros(len(candidate), dtype=bool)
    rows = np.flatnonzero(candidate)
    text = _text_cells(columns, filled, rows)
    count = text.sum(axis=1)
    keep = (count >= 1) & (count <= 2)
    rows, text, count = rows[keep], text[keep], count[keep]
    if not len(rows):
        return section
    head = _key(pc.choose(pa.array(first[rows], pa.int64()), *(c.text(rows) for c in columns)))
    heading = _mask(pc.match_substring_regex(head, _HEADING))
    numeral = _mask(pc.match_substring_regex(head, _NUMERAL)) & (first[rows] == 0)
    company = np.zeros(len(rows), dtype=bool)
    for i, column in enumerate(columns):
        if text[:, i].any():
            named = _mask(pc.match_substring_regex(_key(column.text(rows)), _COMPANY))
            company |= text[:, i] & named
    lone = filled[rows].sum(axis=1) == 1
    found = (heading & (count == 1)) | (
        ~company & ((lone & (count == 1)) | (numeral & (count == 2)))
    )
    section[rows[found]] = True
    return section


def _text_cells(
    columns: list[_Cells], filled: np.ndarray[Any, Any], rows: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """For the given rows, which cells hold text rather than a figure or a dash."""
    text: np.ndarray[Any, Any] = filled[rows].copy()
    if not len(rows):
        return text
    for i, column in enumerate(columns):
        if text[:, i].any():
            text[:, i] &= ~column.matches(_FIGURE, rows)
    return text


def _key(array: Any) -> Any:
    """Text for matching words: NFKC, lower case, every space (full-width too) removed."""
    lowered = pc.utf8_lower(pc.utf8_normalize(array, form="NFKC"))
    return pc.replace_substring_regex(lowered, _SPACES, "")


def _dash(column: _Cells) -> np.ndarray[Any, Any]:
    """Rows holding a lone dash (a number is none)."""
    if column.numbers:
        return np.zeros(len(column.codes), dtype=bool)
    return column.matches(_DASH)


def _mask(array: Any) -> np.ndarray[Any, Any]:
    """An Arrow boolean array as a numpy mask, null as False."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)

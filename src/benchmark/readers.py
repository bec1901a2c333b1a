"""Read enterprise files (.xlsx/.xlsm, .csv, .parquet) into tables that remember Excel coordinates.

Every value is read as text, so that nothing a person typed is lost or guessed at before
validation, and every row keeps the row number Excel shows. Workbooks are read with fastexcel
(Rust calamine into Arrow): twenty times faster than openpyxl on large sheets. Files are sniffed
by content, not by name, and refused with a problem — never a traceback — when they are not what
they claim, are encrypted, or exceed a safety limit.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark.problems import Problem, problem

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Fields of the input format and the header names that mean them (English and Chinese).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "enterprise": ("enterprise", "company", "enterprise name", "plant", "企业名称", "企业",
                   "单位名称", "企业(单位)名称", "公司名称"),
    "area": ("area", "industry", "product", "key area", "领域", "行业", "产品", "重点领域",
             "行业领域", "产品名称"),
    "category": ("category", "process", "type", "spec", "specification", "类别", "工艺",
                 "规格", "细分类别", "工艺类别", "产品类别"),
    "value": ("value", "energy intensity", "energy consumption per unit product",
              "单位产品能耗", "单位产品综合能耗", "能效值", "能效水平", "单位产品能源消耗",
              "单耗"),
    "unit": ("unit", "units", "单位", "计量单位", "能耗单位"),
    "output": ("output", "production", "annual output", "产量", "年产量"),
    "capacity": ("capacity", "产能", "设计产能", "生产能力"),
    "region": ("region", "province", "location", "地区", "所在地", "省份", "所在地区"),
    "year": ("year", "年份", "年度", "统计年份"),
    "line": ("line", "production line", "unit id", "生产线", "装置", "产线", "装置名称",
             "生产线名称"),
}
FIELDS: tuple[str, ...] = tuple(FIELD_ALIASES)
REQUIRED_FIELDS: tuple[str, ...] = ("enterprise", "area", "value")

#: How many rows from the top may stand above the header row.
HEADER_SEARCH_ROWS = 20
#: Safety limits: uncompressed size of a workbook, and width of a table.
MAX_UNCOMPRESSED_BYTES = int(os.environ.get("BENCHMARK_MAX_UNCOMPRESSED", 2 * 1024**3))
MAX_COMPRESSION_RATIO = 200
MAX_COLUMNS = 1000
MAX_HEAD_BYTES = 1024 * 1024

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
INPUT_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".parquet")
STDIN = "-"


@dataclass
class Table:
    """One sheet (or CSV) of input: text cells plus the coordinates of each cell in Excel."""

    file: str
    sheet: str | None
    header_row: int
    frame: pd.DataFrame
    rows: np.ndarray[Any, Any]
    letters: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    header_units: dict[str, str] = field(default_factory=dict)


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_]+", "", text)


_UNIT_IN_HEADER = re.compile(r"^(?P<name>.+?)\s*[(\[](?P<unit>[^()\[\]]+)[)\]]\s*$")


class HeaderMatcher:
    """Recognises header cells, including a unit given in the header: ``能耗（kgce/t）``."""

    def __init__(self, extra: Mapping[str, Iterable[str]] | None = None) -> None:
        self._keys: dict[str, str] = {}
        for name, aliases in FIELD_ALIASES.items():
            for alias in (*aliases, *(extra or {}).get(name, ())):
                self._keys.setdefault(_header_key(alias), name)

    def match(self, text: str | None) -> tuple[str | None, str | None]:
        """The field a header names, and the unit it states, if any."""
        if text is None or not str(text).strip():
            return None, None
        norm = unicodedata.normalize("NFKC", str(text)).strip()
        hit = self._keys.get(_header_key(norm))
        if hit is not None:
            return hit, None
        m = _UNIT_IN_HEADER.match(norm)
        if m:
            hit = self._keys.get(_header_key(m.group("name")))
            if hit is not None:
                return hit, m.group("unit").strip()
        return None, None

    def score(self, cells: Iterable[str | None]) -> int:
        return len({f for f, _ in map(self.match, cells) if f is not None})


def _find_header(head: list[list[str | None]], matcher: HeaderMatcher) -> int | None:
    """Index of the row in ``head`` that names the most known fields (at least two)."""
    best, best_score = None, 1
    for i, cells in enumerate(head[:HEADER_SEARCH_ROWS]):
        score = matcher.score(cells)
        if score > best_score:
            best, best_score = i, score
    return best


def _build_table(file: str, sheet: str | None, header_row: int, header_cells: list[str | None],
                 absolute: list[int], columns: list[Any], rows: np.ndarray[Any, Any],
                 matcher: HeaderMatcher) -> Table:
    """Name the columns (known fields by their field name, others by their header)."""
    import pandas as pd

    data: dict[str, Any] = {}
    table = Table(file, sheet, header_row, pd.DataFrame(), rows)
    for text, abs_index, values in zip(header_cells, absolute, columns, strict=True):
        if text is None or not str(text).strip():
            continue
        name, unit = matcher.match(text)
        if name is None or name in data:
            name = str(text).strip()
            while name in data or name in FIELDS:
                name = f"{name}_"
        data[name] = values
        table.letters[name] = column_letter(abs_index)
        table.headers[name] = str(text).strip()
        if unit:
            table.header_units[name] = unit
    frame = pd.DataFrame(data)
    if len(frame.columns):
        keep = frame.notna().any(axis=1).to_numpy()
        if not keep.all():
            frame = frame[keep].reset_index(drop=True)
            table.rows = rows[keep]
    table.frame = frame
    return table


# --- sniffing ----------------------------------------------------------------------------------

def _sniff(path: Path, head: bytes) -> str:
    """What a file really is: ``xlsx``, ``csv``, ``parquet``, or a reason it is none."""
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("an encrypted (password-protected) workbook or a legacy .xls file: remove the "
                "password or save it as .xlsx")
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"%PDF"):
        return "a PDF document, not a spreadsheet"
    if not head:
        return "an empty file"
    if suffix in WORKBOOK_SUFFIXES or suffix in (".xls", ".xlsb"):
        return f"not a {suffix} workbook (no spreadsheet signature): the file may be corrupt"
    return "csv"


def _check_zip(path: Path) -> str | None:
    """Refuse what no workbook reader should open: zip bombs, .xlsb, zips that are no workbook."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"not a readable workbook (corrupt zip: {exc})"
    names = {i.filename for i in infos}
    if "xl/workbook.bin" in names:
        return "an .xlsb (binary) workbook: save it as .xlsx"
    if "xl/workbook.xml" not in names:
        return "a zip archive but not an Excel workbook"
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES:
        return (f"limit: uncompressed size {total:,} bytes exceeds the limit of "
                f"{MAX_UNCOMPRESSED_BYTES:,} bytes")
    if total > 50 * 1024**2 and total / packed > MAX_COMPRESSION_RATIO:
        return (f"limit: compression ratio {total / packed:,.0f}:1 exceeds the limit of "
                f"{MAX_COMPRESSION_RATIO}:1 (a zip bomb?)")
    return None


def _file_problem(file: str, message: str) -> Problem:
    if message.startswith("limit: "):
        return problem("E004", file, message.removeprefix("limit: "))
    return problem("E001", file, message)


# --- workbooks ---------------------------------------------------------------------------------

def _read_workbook(path: Path, file: str, sheet: str | None,
                   matcher: HeaderMatcher) -> tuple[list[Table], list[Problem]]:
    import fastexcel
    import numpy as np

    refusal = _check_zip(path)
    if refusal:
        return [], [_file_problem(file, refusal)]
    try:
        reader = fastexcel.read_excel(str(path))
        names = list(reader.sheet_names)
    except Exception as exc:  # fastexcel raises its own hierarchy, all meaning "unreadable"
        return [], [problem("E001", file, f"not a readable workbook: {_short(exc)}")]
    if sheet is not None:
        if sheet not in names:
            return [], [problem("E002", file, f"no sheet named {sheet!r}; the sheets are "
                                f"{', '.join(map(repr, names)) or 'none'}")]
        names = [sheet]
    if not names:
        return [], [problem("E002", file, "the workbook has no sheets")]
    tables: list[Table] = []
    problems: list[Problem] = []
    for name in names:
        try:
            head_sheet = reader.load_sheet(name, header_row=None, skip_rows=0,
                                           n_rows=HEADER_SEARCH_ROWS, dtypes="string")
            if head_sheet.width > MAX_COLUMNS:
                problems.append(problem("E004", file, f"{head_sheet.width:,} columns exceed "
                                        f"the limit of {MAX_COLUMNS:,}", sheet=name))
                continue
            head_batch = head_sheet.to_arrow()
            head = [list(r.values()) for r in head_batch.to_pylist()]
            header_idx = _find_header(head, matcher)
            if header_idx is None:
                continue
            absolute = [c.absolute_index for c in head_sheet.available_columns()]
            body = reader.load_sheet(name, header_row=None, skip_rows=header_idx + 1,
                                     dtypes="string").to_arrow()
        except Exception as exc:
            problems.append(problem("E001", file, f"sheet cannot be read: {_short(exc)}",
                                    sheet=name))
            continue
        columns = [body.column(i).to_pandas(types_mapper=_string_mapper)
                   if i < body.num_columns else _empty(body.num_rows)
                   for i in range(len(absolute))]
        rows = np.arange(header_idx + 2, header_idx + 2 + body.num_rows, dtype=np.int64)
        tables.append(_build_table(file, name, header_idx + 1, head[header_idx], absolute,
                                   columns, rows, matcher))
    if not tables and not problems:
        problems.append(problem("E002", file, "no sheet has a header row naming the known "
                                "columns (enterprise/企业名称, area/领域, value/单位产品能耗) "
                                f"in its first {HEADER_SEARCH_ROWS} rows"))
    return tables, problems


def _string_mapper(dtype: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    return pd.StringDtype("pyarrow") if dtype in (pa.string(), pa.large_string()) else None


def _empty(n: int) -> pd.Series:
    import pandas as pd

    return pd.Series([None] * n, dtype="string[pyarrow]")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# --- CSV ---------------------------------------------------------------------------------------

def _decode_head(data: bytes) -> tuple[str, str]:
    """Detect the encoding of a CSV export: UTF-8 (with or without BOM), else GB18030 (GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", data[3:MAX_HEAD_BYTES + 3].decode("utf-8", errors="ignore")
    try:
        data.decode("utf-8")
        return "utf-8", data[:MAX_HEAD_BYTES].decode("utf-8", errors="ignore")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030", data[:MAX_HEAD_BYTES].decode("gb18030", errors="ignore")
    except UnicodeDecodeError:
        return "mixed", data[:MAX_HEAD_BYTES].decode("utf-8", errors="replace")


def _read_csv(data: bytes, file: str, matcher: HeaderMatcher
              ) -> tuple[list[Table], list[Problem]]:
    import numpy as np

    if not data.strip():
        return [], [problem("E001", file, "an empty file")]
    if b"\x00" in data[:MAX_HEAD_BYTES]:
        return [], [problem("E001", file, "binary data (NUL bytes) where CSV text was expected")]
    encoding, head_text = _decode_head(data)
    lines = head_text.splitlines()
    if len(data) > MAX_HEAD_BYTES and len(lines) <= 1:
        return [], [problem("E004", file, f"the first line is longer than the limit of "
                            f"{MAX_HEAD_BYTES:,} bytes")]
    try:
        head = list(csv.reader(lines[:HEADER_SEARCH_ROWS]))
    except csv.Error as exc:
        return [], [problem("E001", file, f"not readable as CSV: {exc}")]
    header_idx = _find_header([list(r) for r in head], matcher)
    if header_idx is None:
        return [], [problem("E002", file, "no header row naming the known columns "
                            "(enterprise/企业名称, area/领域, value/单位产品能耗) "
                            f"in the first {HEADER_SEARCH_ROWS} rows")]
    header = head[header_idx]
    if len(header) > MAX_COLUMNS:
        return [], [problem("E004", file, f"{len(header):,} columns exceed the limit of "
                            f"{MAX_COLUMNS:,}")]
    problems: list[Problem] = []
    if encoding == "mixed":
        problems.append(problem("E001", file, "the file mixes text encodings (neither UTF-8 nor "
                                "GBK throughout); undecodable characters were replaced"))
    columns, rows = _parse_csv_fast(data, encoding, header_idx, len(header))
    if columns is None:
        columns, rows, ragged = _parse_csv_slow(data, encoding, header_idx, len(header))
        problems.extend(problem("E001", file, f"row has {n} fields, the header has "
                                f"{len(header)}; extra fields ignored", row=r)
                        for r, n in ragged)
    tables = [_build_table(file, None, header_idx + 1, list(header), list(range(len(header))),
                           columns, np.asarray(rows, dtype=np.int64), matcher)]
    return tables, problems


def _parse_csv_fast(data: bytes, encoding: str, header_idx: int, width: int
                    ) -> tuple[list[Any] | None, Any]:
    """pyarrow's multithreaded parser; gives up (returns None) on any irregular row."""
    import numpy as np
    import pyarrow as pa
    from pyarrow import csv as pacsv

    if encoding == "mixed":
        return None, None
    irregular: list[int] = []

    def on_invalid(row: Any) -> str:
        irregular.append(1)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(
                skip_rows=header_idx + 1, column_names=names,
                encoding="utf8" if encoding.startswith("utf-8") else encoding,
                block_size=16 * 1024 * 1024),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid,
                                              ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=True,
                quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException, ValueError, OSError):
        return None, None
    if irregular:
        return None, None
    rows = np.arange(header_idx + 2, header_idx + 2 + table.num_rows, dtype=np.int64)
    return [table.column(i).to_pandas(types_mapper=_string_mapper) for i in range(width)], rows


def _parse_csv_slow(data: bytes, encoding: str, header_idx: int, width: int
                    ) -> tuple[list[Any], list[int], list[tuple[int, int]]]:
    """Python's csv module, line by line: for ragged or odd files, keeping each row's number."""
    import pandas as pd

    text = data.decode("utf-8-sig" if encoding.startswith("utf-8") else
                       ("gb18030" if encoding == "gb18030" else "utf-8"), errors="replace")
    values: list[list[str | None]] = [[] for _ in range(width)]
    rows: list[int] = []
    ragged: list[tuple[int, int]] = []
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text.replace("\x00", "")))
    for record in reader:
        line = reader.line_num
        if line <= header_idx + 1:
            continue
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > width:
            ragged.append((line, len(record)))
        for i in range(width):
            values[i].append(record[i] if i < len(record) and record[i] != "" else None)
        rows.append(line)
    return [pd.Series(v, dtype="string[pyarrow]") for v in values], rows, ragged


# --- Parquet -----------------------------------------------------------------------------------

def _read_parquet(path: Path, file: str, matcher: HeaderMatcher
                  ) -> tuple[list[Table], list[Problem]]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        return [], [problem("E001", file, f"not a readable Parquet file: {_short(exc)}")]
    names = list(table.column_names)
    columns = [table.column(i).cast(pa.string()).to_pandas(types_mapper=_string_mapper)
               if not pa.types.is_floating(table.column(i).type) else
               table.column(i).to_pandas() for i in range(len(names))]
    rows = np.arange(2, 2 + table.num_rows, dtype=np.int64)
    return [_build_table(file, None, 1, list(names), list(range(len(names))), columns, rows,
                         matcher)], []


# --- entry points ------------------------------------------------------------------------------

def read_tables(path: str | os.PathLike[str], *, sheet: str | None = None,
                header_aliases: Mapping[str, Iterable[str]] | None = None,
                display_name: str | None = None) -> tuple[list[Table], list[Problem]]:
    """Read every table of one input file (``-`` is CSV on standard input).

    Never raises for bad input: an unreadable file gives a problem and no tables.
    """
    matcher = HeaderMatcher(header_aliases)
    if str(path) == STDIN:
        return _read_csv(sys.stdin.buffer.read(), display_name or "<stdin>", matcher)
    p = Path(path)
    file = display_name or str(path)
    try:
        if p.is_dir():
            return [], [problem("E001", file, "a directory, not a file")]
        with open(p, "rb") as fh:
            head = fh.read(8)
        kind = _sniff(p, head)
        if kind == "xlsx":
            return _read_workbook(p, file, sheet, matcher)
        if kind == "parquet":
            return _read_parquet(p, file, matcher)
        if kind == "csv":
            return _read_csv(p.read_bytes(), file, matcher)
        return [], [problem("E001", file, kind)]
    except OSError as exc:
        return [], [problem("E001", file, f"cannot be read: {exc.strerror or exc}")]
    except MemoryError:
        return [], [problem("E004", file, "too large to read into memory")]

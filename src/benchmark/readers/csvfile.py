"""CSV files: UTF-8 (with or without BOM) or GBK, parsed by Arrow, with exact line numbers."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmark.i18n import Msg
from benchmark.problems import Problem, problem
from benchmark.readers.limits import (
    MAX_COLUMNS,
    MAX_HEAD_BYTES,
    MAX_LINE_BYTES,
    too_long_first_line,
)
from benchmark.readers.table import (
    HEADER_SEARCH_ROWS,
    HeaderMatcher,
    Table,
    build_table,
    find_header,
    string_mapper,
)

_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(r"\r\n|\r|\n")


def read_csv_file(
    path: Path, file: str, matcher: HeaderMatcher
) -> tuple[list[Table], list[Problem]]:
    """A CSV file: a first line too long to be a header is refused before the rest is read."""
    with open(path, "rb") as fh:
        head = fh.read(MAX_LINE_BYTES + 1)
        if len(head) > MAX_LINE_BYTES and b"\n" not in head and b"\r" not in head:
            return [], [
                problem(
                    "E004",
                    file,
                    too_long_first_line(),
                    row=1,
                )
            ]
        if len(head) > MAX_LINE_BYTES:  # read again whole: no copy of the rest onto the head
            fh.seek(0)
            head = fh.read()
    return read_csv(head, file, matcher)


def read_csv(data: bytes, file: str, matcher: HeaderMatcher) -> tuple[list[Table], list[Problem]]:
    """Every row of a CSV's bytes under its header, with the line each starts on.

    Text whose first megabyte is UTF-8 is taken to be UTF-8 and handed straight to Arrow's
    parser, which checks every byte is as it parses: a file that is not (GBK further down,
    two encodings mixed) fails there and is read again through :func:`_decode`, as is every
    other file. The separate check of a 100 MB file would cost a tenth of a second.
    """
    if not data or data.isspace():
        return [], [problem("E001", file, Msg("an empty file"))]
    refusal = _csv_refusal(data, file)
    if refusal:
        return [], [refusal]
    text = data[len(_BOM) :] if data.startswith(_BOM) else data
    if _head_is_utf8(text):
        read = _read_text(text, "utf-8", [], file, matcher, trusted=False)
        if read is not None:
            return read
    decoded, encoding, problems = _decode(data, file)
    read = _read_text(decoded, encoding, problems, file, matcher, trusted=True)
    assert read is not None
    return read


def _head_is_utf8(text: bytes) -> bool:
    """Whether the first megabyte is UTF-8 (a character cut at its end aside)."""
    try:
        text[:MAX_HEAD_BYTES].decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= MAX_HEAD_BYTES - 3 and exc.reason == "unexpected end of data"
    return True


def _read_text(
    text: bytes,
    encoding: str,
    problems: list[Problem],
    file: str,
    matcher: HeaderMatcher,
    *,
    trusted: bool,
) -> tuple[list[Table], list[Problem]] | None:
    """The table in ``text`` (in ``encoding``); None when the encoding is not ``trusted``
    and the fast parse could not vouch for it (the caller decodes the file properly)."""

    head_text = text[:MAX_HEAD_BYTES].decode(encoding, errors="ignore")
    lines = _LINE_END.split(head_text)[:HEADER_SEARCH_ROWS]
    try:
        head = list(csv.reader(lines))
    except csv.Error as exc:
        return [], [problem("E001", file, Msg("not readable as CSV: {error}", error=str(exc)))]
    header_idx = find_header([list(r) for r in head], matcher)
    if header_idx is None:
        return [], [
            problem(
                "E002",
                file,
                Msg(
                    "no header row naming the known columns (enterprise/企业名称, area/领域, "
                    "value/单位产品能耗) in the first {rows} rows",
                    rows=HEADER_SEARCH_ROWS,
                ),
            )
        ]
    header = head[header_idx]
    if len(header) > MAX_COLUMNS:
        return [], [
            problem(
                "E004",
                file,
                Msg(
                    "{count} columns exceed the limit of {limit}",
                    count=format(len(header), ","),
                    limit=format(MAX_COLUMNS, ","),
                ),
                row=header_idx + 1,
            )
        ]
    columns, rows = _parse_csv_fast(text, encoding, header_idx, len(header))
    if columns is None:
        if not trusted:
            return None
        columns, rows, found = _parse_csv_slow(text, encoding, file, header_idx, len(header))
        problems = problems + found
    table, found = build_table(
        file,
        None,
        header_idx + 1,
        list(header),
        list(range(len(header))),
        columns,
        np.asarray(rows, dtype=np.int64),
        matcher,
    )
    return [table], problems + found


def _csv_refusal(data: bytes, file: str) -> Problem | None:
    """Reasons not to parse bytes as CSV at all: UTF-16, NUL bytes, a line over the limit.

    Each is one pass at memchr or numpy speed, so a 100 MB line is refused in well under a
    second instead of being split into fields.
    """

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return problem(
            "E001",
            file,
            Msg('UTF-16 text (Excel\'s "Unicode Text"): save it as "CSV UTF-8 (comma delimited)"'),
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return problem(
            "E001",
            file,
            Msg(
                "a NUL byte on line {line}: binary data or a damaged file, not CSV text",
                line=format(line, ","),
            ),
            row=line,
        )
    # Lines are shorter than the limit if every half-limit window holds a line end: a few
    # hundred memchr calls for 100 MB; only a file that fails this is measured line by line.
    half = MAX_LINE_BYTES // 2
    if all(
        data.find(b"\n", at, at + half) >= 0 or data.find(b"\r", at, at + half) >= 0
        for at in range(0, len(data) - half, half)
    ):
        return None
    a = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(a == 10)
    if not len(ends):
        ends = np.flatnonzero(a == 13)
    bounds = np.concatenate(([-1], ends, [len(a)]))
    lengths = np.diff(bounds) - 1
    longest = int(np.argmax(lengths))
    if lengths[longest] > MAX_LINE_BYTES:
        return problem(
            "E004",
            file,
            Msg(
                "line {line} is {length} bytes long, over the limit of {limit} bytes",
                line=format(longest + 1, ","),
                length=format(int(lengths[longest]), ","),
                limit=format(MAX_LINE_BYTES, ","),
            ),
            row=longest + 1,
        )
    return None


def _decode(data: bytes, file: str) -> tuple[bytes, str, list[Problem]]:
    """The CSV's bytes and their encoding: UTF-8 (BOM removed) or GB18030 (GBK's superset).

    A file that mixes the two (exports of two systems pasted together) is decoded line by line,
    each in its own encoding, and reported: nothing is silently turned into mojibake.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if _is_utf8(data):
        return data, "utf-8", []
    try:
        data.decode("utf-8")  # only to find the first bad byte
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        return data, "utf-8", []
    if data[:first_bad].isascii():
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            if not _has_utf8_lines(data):
                return data, "gb18030", []
    return _decode_by_line(data, file)


def _is_utf8(data: bytes) -> bool:
    """Whether bytes are valid UTF-8, checked by Arrow without decoding them into a str
    (half the time, and no transient copy of twice the file's size)."""

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _is_utf8_text(line: bytes) -> bool:
    """Whether a line is UTF-8 with at least one character beyond Latin (not GBK by chance)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(ord(ch) >= 0x800 for ch in text)


def _has_utf8_lines(data: bytes, step: int = 1024 * 1024) -> bool:
    """Whether UTF-8 lines hide in a file that decodes as GB18030: a line sampled every MB."""
    for start in (*range(0, len(data), step), max(0, len(data) - 65536)):
        begin = data.find(b"\n", start) + 1 if start else 0
        for _ in range(4):
            end = data.find(b"\n", begin)
            line = data[begin : end if end >= 0 else len(data)][:65536]
            if not line.isascii() and _is_utf8_text(line):
                return True
            if end < 0:
                break
            begin = end + 1
    return False


def _decode_by_line(data: bytes, file: str) -> tuple[bytes, str, list[Problem]]:
    """Each line in its own encoding, re-encoded as UTF-8; the mix and any garbage reported."""
    out: list[bytes] = []
    utf8_lines: list[int] = []
    gbk_lines: list[int] = []
    bad_lines: list[int] = []
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            out.append(line)
            continue
        try:
            line.decode("utf-8")
            out.append(line)
            utf8_lines.append(number)
        except UnicodeDecodeError:
            try:
                out.append(line.decode("gb18030").encode("utf-8"))
                gbk_lines.append(number)
            except UnicodeDecodeError:
                out.append(line.decode("utf-8", errors="replace").encode("utf-8"))
                bad_lines.append(number)
    problems: list[Problem] = []
    if utf8_lines and gbk_lines:
        minority, name = (
            (gbk_lines, "GBK") if len(gbk_lines) <= len(utf8_lines) else (utf8_lines, "UTF-8")
        )
        problems.append(
            problem(
                "E001",
                file,
                Msg(
                    "the file mixes text encodings: {gbk} line(s) in GBK and {utf8} in UTF-8 "
                    "(this is the first {encoding} one); each line was read in its own encoding: "
                    "save the file again as CSV UTF-8",
                    gbk=format(len(gbk_lines), ","),
                    utf8=format(len(utf8_lines), ","),
                    encoding=name,
                ),
                row=minority[0],
            )
        )
    if bad_lines:
        first, more = f"{bad_lines[0]:,}", f"{len(bad_lines) - 1:,}"
        problems.append(
            problem(
                "E001",
                file,
                Msg(
                    "line {line} is neither UTF-8 nor GBK text; undecodable bytes were replaced "
                    "with \ufffd",
                    line=first,
                )
                if len(bad_lines) == 1
                else Msg(
                    "line {line} (and {more} more) is neither UTF-8 nor GBK text; undecodable "
                    "bytes were replaced with \ufffd",
                    line=first,
                    more=more,
                ),
                row=bad_lines[0],
            )
        )
    return b"\n".join(out), "utf-8", problems


def _parse_csv_fast(
    text: bytes, encoding: str, header_idx: int, width: int
) -> tuple[list[Any] | None, Any]:
    """pyarrow's multithreaded parser; gives up (returns None) on any irregular row.

    Only the empty string is null: "NaN", "NULL" or "N/A" stay text, so that validation can
    call them what they are (not a number) instead of "blank". A quoted line break would shift
    every later row number, so the rows parsed must match the lines counted.
    """
    from pyarrow import csv as pacsv

    irregular: list[int] = []

    def on_invalid(row: Any) -> str:
        irregular.append(1)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text),
            read_options=pacsv.ReadOptions(
                skip_rows=header_idx + 1,
                column_names=names,
                encoding="utf8" if encoding == "utf-8" else encoding,
                block_size=16 * 1024 * 1024,
            ),
            parse_options=pacsv.ParseOptions(
                invalid_row_handler=on_invalid, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                # large strings: what pandas' Arrow strings hold, so no column is cast again
                column_types={n: pa.large_string() for n in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError, OSError):
        return None, None
    if irregular:
        return None, None
    ends = text.count(b"\n") or text.count(b"\r")
    lines = ends + (0 if text.endswith((b"\n", b"\r")) else 1)
    if table.num_rows != lines - (header_idx + 1):
        return None, None
    rows = np.arange(header_idx + 2, header_idx + 2 + table.num_rows, dtype=np.int64)
    return [table.column(i).to_pandas(types_mapper=string_mapper) for i in range(width)], rows


def _parse_csv_slow(
    text: bytes, encoding: str, file: str, header_idx: int, width: int
) -> tuple[list[Any], list[int], list[Problem]]:
    """Python's csv module: for ragged or odd files, keeping the line each row starts on."""

    values: list[list[str | None]] = [[] for _ in range(width)]
    rows: list[int] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text.decode(encoding, errors="replace"), newline=""))
    end = 0
    start = 1
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if end <= header_idx + 1 or not any(cell.strip() for cell in record):
                continue
            if len(record) > width:
                problems.append(
                    problem(
                        "E001",
                        file,
                        Msg(
                            "row has {count} fields, the header has {width}; extra fields ignored",
                            count=format(len(record), ","),
                            width=width,
                        ),
                        row=start,
                    )
                )
            for i in range(width):
                values[i].append(record[i] if i < len(record) and record[i] != "" else None)
            rows.append(start)
    except csv.Error as exc:
        problems.append(
            problem(
                "E001",
                file,
                Msg(
                    "not readable as CSV from this line on ({error}): a quote that is never "
                    "closed?",
                    error=str(exc),
                ),
                row=end + 1,
            )
        )
    else:
        if end > start and text.count(b'"') % 2 and rows and rows[-1] == start:
            problems.append(
                problem(
                    "E001",
                    file,
                    Msg(
                        "a quote opened on this line is never closed, so lines {start}–{end} are "
                        "one cell; the row was not read",
                        start=format(start, ","),
                        end=format(end, ","),
                    ),
                    row=start,
                )
            )
            rows.pop()
            for column in values:
                column.pop()
    return [pd.Series(v, dtype="string[pyarrow]") for v in values], rows, problems

"""Text of many rows at once with Arrow: each column formatted by a kernel, the pieces of each
row joined by one kernel, the bytes read straight from the result's buffer.

Used for the rows of the JSON documents (:mod:`benchmark.report.machine`) and of the Results
sheet (:mod:`benchmark.report.xlsx_rows`): no Python object per value. JSON is made a slice of
rows at a time, the slices on every core and written in order as they come, so that a
million rows never exist as one string (:func:`json_chunks`).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TEXT = pa.large_string()
#: What ``json.dumps`` escapes in a string (``ensure_ascii=False``).
_JSON_SPECIAL = r'[\x00-\x1f"\\]'


def string_bytes(array: Any) -> bytes:
    """The UTF-8 of every string of a large-string ``array`` back to back, straight from its
    data buffer (one copy, no Python string per row)."""
    return bytes(string_buffer(array))


def string_buffer(array: Any) -> Any:
    """:func:`string_bytes` without the copy: a slice of the array's own data buffer (an
    Arrow buffer, which a binary file writes as it is)."""
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    array = array.cast(TEXT) if array.type != TEXT else array
    data = array.buffers()[2]
    if len(array) == 0 or data is None:
        return pa.py_buffer(b"")
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64, count=len(array) + 1 + array.offset)
    start, end = int(offsets[array.offset]), int(offsets[-1])
    return data[start:end]


def rows_text(pieces: Sequence[Any], n: int) -> bytes:
    """The ``n`` rows made of ``pieces`` — per piece an array of ``n`` strings (a missing
    value adds nothing), or one string the same in every row — as bytes, row after row."""
    return bytes(rows_buffer(pieces, n))


def rows_buffer(pieces: Sequence[Any], n: int) -> Any:
    """:func:`rows_text` as an Arrow buffer (no copy of the text once made).

    One ``binary_join_element_wise`` lays each row out (it measures every row, then copies
    each piece once): five times faster than concatenating the pieces and taking them back in
    row order."""
    if n == 0:
        return pa.py_buffer(b"")
    args = [pa.scalar(p, TEXT) if isinstance(p, str) else _text(p) for p in pieces]
    if not any(isinstance(a, pa.Array) for a in args):
        return pa.py_buffer("".join(pieces).encode("utf-8") * n)
    joined = pc.binary_join_element_wise(
        *args, pa.scalar("", TEXT), null_handling="replace", null_replacement=""
    )
    return string_buffer(joined)


def _text(piece: Any) -> Any:
    """A piece as one large-string array."""
    piece = piece.combine_chunks() if isinstance(piece, pa.ChunkedArray) else piece
    return piece.cast(TEXT) if piece.type != TEXT else piece


T = TypeVar("T")
R = TypeVar("R")


def in_order(fn: Callable[[T], R], items: Iterable[T], ahead: int | None = None) -> Iterator[R]:
    """``fn`` over ``items`` on every core, the results given in order as they are ready,
    with at most ``ahead`` (default: the cores) made ahead of the one being used: the
    caller writes one slice while the next are formatted, and the memory stays a few slices."""
    from benchmark._parallel import workers

    count = workers()
    if count < 2:
        yield from map(fn, items)
        return
    waiting: deque[Future[R]] = deque()
    with ThreadPoolExecutor(count, "benchmark-text") as pool:
        try:
            for item in items:
                waiting.append(pool.submit(fn, item))
                if len(waiting) > (ahead or count):
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()
        finally:  # the caller stopped (a failed write): drop what is not started
            for future in waiting:
                future.cancel()


# --------------------------------------------------------------------------- JSON values


def _python_float_text(values: Any) -> Any:
    """Each finite float as Python's ``repr`` writes it (``388.0``, ``1e-05``, ``1e+16``;
    :func:`benchmark.readers.numbers.python_text`); null for NaN, infinities and nulls (JSON
    has no value for them)."""
    from benchmark.readers.numbers import python_text

    finite = pc.fill_null(pc.is_finite(values), False)
    return python_text(pc.if_else(finite, values, pa.scalar(None, pa.float64())))


def _json_strings(values: Any) -> Any:
    """Each string quoted and escaped as ``json.dumps(..., ensure_ascii=False)`` does; the few
    that need escaping go through ``json.dumps`` itself.

    A column of few distinct texts (an area, a tier, a file, a unit) is quoted once per text
    and spread with its dictionary's indices: a hash and a ``take`` cost a third of quoting
    and scanning every row."""
    values = values.cast(pa.string()) if values.type != pa.string() else values
    if len(values) >= 64:
        encoded = pc.dictionary_encode(values)
        if len(encoded.dictionary) * 2 <= len(values):
            return _quoted(encoded.dictionary).take(encoded.indices)
    return _quoted(values)


def _quoted(values: Any) -> Any:
    """Each string of a string array quoted and escaped (see :func:`_json_strings`)."""
    quoted = pc.binary_join_element_wise('"', values, '"', "")
    special = pc.fill_null(pc.match_substring_regex(values, _JSON_SPECIAL), False)
    odd = np.flatnonzero(special.to_numpy(zero_copy_only=False))
    if len(odd):
        texts = values.take(pa.array(odd)).to_pylist()
        mask = np.zeros(len(values), dtype=bool)
        mask[odd] = True
        quoted = pc.replace_with_mask(
            quoted,
            pa.array(mask),
            pa.array([json.dumps(t, ensure_ascii=False) for t in texts], pa.string()),
        )
    return quoted


def json_values(column: Any) -> Any:
    """A column's values as JSON text, as ``json.dumps`` would write the Python values that
    :func:`benchmark.report.model.plain` makes of them; ``null`` for missing values."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    kind = column.type
    if pa.types.is_dictionary(kind):
        column, kind = column.cast(kind.value_type), kind.value_type
    if pa.types.is_null(kind):
        text = pa.nulls(len(column), pa.string())
    elif pa.types.is_boolean(kind):
        text = pc.if_else(column, "true", "false")
    elif pa.types.is_integer(kind):
        text = pc.cast(column, pa.string())
    elif pa.types.is_floating(kind):
        text = _python_float_text(column.cast(pa.float64()))
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = _json_strings(column)
    else:  # anything else (dates, decimals, lists): as the generic encoder writes it
        from benchmark.report.model import plain

        text = pa.array(
            [json.dumps(plain(v), ensure_ascii=False, default=str) for v in column.to_pylist()],
            pa.string(),
        )
    return pc.fill_null(text, "null")


#: Rows of a JSON document made into text at a time (by one thread): about 30 MB of text.
JSON_SLICE_ROWS = 32_768


def json_chunks(table: Any, *, indent: str | None) -> Iterator[Any]:
    """Each row of ``table`` as a JSON object, the rows separated as ``json.dumps`` separates
    list items: with ``indent`` (the objects' own indentation) as in an indented document,
    else one object a line (JSON Lines, default separators), each line ending in a newline.

    Given a slice of rows at a time, in order (:func:`in_order`), each as an Arrow buffer
    (:func:`rows_buffer`: bytes without a copy); in an indented document
    every object is followed by ``,\n``, the last one too: the caller drops those two
    bytes (see :func:`write_json_rows`)."""
    names = [json.dumps(str(c), ensure_ascii=False) for c in table.column_names]
    if indent is None:
        pieces: list[str] = [
            ("{" if k == 0 else ", ") + name + ": " for k, name in enumerate(names)
        ]
        end = "}\n" if names else "{}\n"
    else:
        inner = indent + "  "
        pieces = [
            (f"{indent}{{\n" if k == 0 else ",\n") + inner + name + ": "
            for k, name in enumerate(names)
        ]
        end = f"\n{indent}}},\n" if names else f"{indent}{{}},\n"

    def one(start: int) -> Any:
        part = table.slice(start, JSON_SLICE_ROWS)
        laid: list[Any] = []
        for k, prefix in enumerate(pieces):
            laid += [prefix, json_values(part.column(k))]
        laid.append(end)
        return rows_buffer(laid, part.num_rows)

    yield from in_order(one, range(0, table.num_rows, JSON_SLICE_ROWS))


def write_json_rows(table: Any, fh: BinaryIO, *, indent: str | None) -> bool:
    """:func:`json_chunks` written into ``fh`` (in an indented document, without the comma
    after the last object); whether there was any row."""
    held: Any = None
    for chunk in json_chunks(table, indent=indent):
        if held is not None:
            fh.write(held)
        held = chunk
    if held is not None:
        fh.write(memoryview(held)[:-2] if indent is not None else held)  # no comma after the last
    return bool(table.num_rows > 0)


def json_rows(table: Any, *, indent: str | None) -> bytes:
    """Every row of :func:`json_chunks` as one byte string (the last comma dropped)."""
    import io

    out = io.BytesIO()
    write_json_rows(table, out, indent=indent)
    return out.getvalue()

"""Text of many rows at once with Arrow: each column formatted by a kernel, the pieces laid out
row by row with one ``take``, the bytes read straight from the result's buffer.

Used for the rows of the JSON documents (:mod:`benchmark.report.machine`) and of the Results
sheet (:mod:`benchmark.report.xlsx_rows`): no Python object per value.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TEXT = pa.large_string()
#: What ``json.dumps`` escapes in a string (``ensure_ascii=False``).
_JSON_SPECIAL = r'[\x00-\x1f"\\]'


def string_bytes(array: Any) -> bytes:
    """The UTF-8 of every string of a large-string ``array`` back to back, straight from its
    data buffer (one copy, no Python string per row)."""
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    array = array.cast(TEXT) if array.type != TEXT else array
    if len(array) == 0:
        return b""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64, count=len(array) + 1 + array.offset)
    start, end = int(offsets[array.offset]), int(offsets[-1])
    data = array.buffers()[2]
    return b"" if data is None else data[start:end].to_pybytes()


def rows_text(pieces: Sequence[Any], n: int) -> bytes:
    """The ``n`` rows made of ``pieces`` — per piece an array of ``n`` strings, or one string
    the same in every row — as bytes, row after row."""
    arrays = []
    order = np.empty((len(pieces), n), dtype=np.int64)
    at = 0
    for k, piece in enumerate(pieces):
        if isinstance(piece, str):
            arrays.append(pa.array([piece], TEXT))
            order[k] = at
            at += 1
        else:
            piece = piece.combine_chunks() if isinstance(piece, pa.ChunkedArray) else piece
            arrays.append(piece.cast(TEXT) if piece.type != TEXT else piece)
            order[k] = np.arange(at, at + n)
            at += n
    if n == 0:
        return b""
    return string_bytes(pa.concat_arrays(arrays).take(pa.array(order.T.ravel())))


# --------------------------------------------------------------------------- JSON values


def _python_float_text(values: Any) -> Any:
    """Each finite float as Python's ``repr`` writes it (``388.0``, ``1e-05``, ``1e+16``);
    null for NaN, infinities and nulls (JSON has no value for them).

    Arrow prints the same shortest round-trip digits; it differs in where it switches to an
    exponent, in the exponent's digits and in the ``.0`` of whole numbers. The first is fixed
    by Python itself for the rare rows concerned; the others by two string kernels.
    """
    finite = pc.fill_null(pc.is_finite(values), False)
    values = pc.if_else(finite, values, pa.scalar(None, pa.float64()))
    text = pc.cast(values, pa.string())
    text = pc.replace_substring_regex(text, r"e([+-])(\d)$", r"e\10\2")  # e-7 → e-07
    whole = pc.invert(pc.match_substring_regex(text, r"[.e]"))
    text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)
    size = pc.abs(values)
    wants_exponent = pc.or_(
        pc.greater_equal(size, 1e16), pc.and_(pc.less(size, 1e-4), pc.not_equal(size, 0.0))
    )
    has_exponent = pc.match_substring(text, "e")
    odd = np.flatnonzero(
        pc.fill_null(pc.not_equal(wants_exponent, has_exponent), False).to_numpy(
            zero_copy_only=False
        )
    )
    if len(odd):
        floats = values.to_numpy(zero_copy_only=False)
        fixed = [repr(float(floats[i])) for i in odd]  # only the rows Arrow writes otherwise
        mask = np.zeros(len(values), dtype=bool)
        mask[odd] = True
        text = pc.replace_with_mask(text, pa.array(mask), pa.array(fixed, pa.string()))
    return text


def _json_strings(values: Any) -> Any:
    """Each string quoted and escaped as ``json.dumps(..., ensure_ascii=False)`` does; the few
    that need escaping go through ``json.dumps`` itself."""
    values = values.cast(pa.string()) if values.type != pa.string() else values
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


def json_rows(table: Any, *, indent: str | None) -> bytes:
    """Each row of ``table`` as a JSON object, the rows separated as ``json.dumps`` separates
    list items: with ``indent`` (the objects' own indentation) as in an indented document,
    else one object a line (JSON Lines, default separators), each line ending in a newline."""
    n = table.num_rows
    from benchmark._parallel import parallel_map

    names = [json.dumps(str(c), ensure_ascii=False) for c in table.column_names]
    # Columns on every core: Arrow's kernels release the GIL.
    values = parallel_map(lambda i: json_values(table.column(i)), range(table.num_columns))
    pieces: list[Any] = []
    if indent is None:
        for k, (name, value) in enumerate(zip(names, values, strict=True)):
            pieces += [("{" if k == 0 else ", ") + name + ": ", value]
        pieces.append("}\n" if names else "{}\n")
        return rows_text(pieces, n)
    inner = indent + "  "
    for k, (name, value) in enumerate(zip(names, values, strict=True)):
        pieces += [(f"{indent}{{\n" if k == 0 else ",\n") + inner + name + ": ", value]
    pieces.append(f"\n{indent}}},\n" if names else f"{indent}{{}},\n")
    body = rows_text(pieces, n)
    return body[:-2] if body else body  # no comma after the last

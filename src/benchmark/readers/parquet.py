"""Parquet files: the columns the tool reads as text or exact numbers, the others as they are.

Only the columns whose header the matcher recognises (enterprise, area, value, …) are read by
the tool, so only they are converted: a float64 column stays a number, every other type
becomes the text of its exact value (an integer's digits, a decimal's ``98.500``, a float32's
shortest ``0.1``), which validation then parses as it parses a typed cell. The other columns
are passed through to the outputs as they are when they are text, numbers or booleans, and as
their exact text otherwise (dates, timestamps, decimals: no output format loses or mangles
them as text).

A column no output can hold — nested data (a list, struct or map) or binary data that is not
UTF-8 text — is left out of the table with one warning for it (W001), rather than losing the
whole file: such a column is metadata the plant data came with, not plant data. Converting it
to JSON text instead would cost a Python call per cell on a million rows, and binary data has
no faithful text at all. If the tool needs that column (a ``value`` that is a list), it is an
error (E001) at the column instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmark.i18n import Msg
from benchmark.problems import Problem, problem
from benchmark.readers.limits import MAX_COLUMNS
from benchmark.readers.table import (
    HeaderMatcher,
    Table,
    build_table,
    column_letter,
    display_safe,
    short_error,
    string_mapper,
)


def read_parquet(
    source: Path | bytes, file: str, matcher: HeaderMatcher
) -> tuple[list[Table], list[Problem]]:
    """A Parquet file (a path, or its bytes read from a pipe) as one table."""
    # Here, not at the top: pyarrow.parquet brings pyarrow.fs, S3 and ssl (9 ms), which a run
    # that reads no Parquet would pay for nothing.
    import pyarrow.parquet as pq

    try:
        with _opened(source) as handle:
            parquet = pq.ParquetFile(handle)
            width = len(parquet.schema_arrow)
            if width > MAX_COLUMNS:
                too_wide = Msg(
                    "{count} columns exceed the limit of {limit}",
                    count=format(width, ","),
                    limit=format(MAX_COLUMNS, ","),
                )
                return [], [problem("E004", file, too_wide)]
            table = parquet.read()
    except (pa.ArrowException, OSError, ValueError) as exc:
        unreadable = Msg("not a readable Parquet file: {error}", error=short_error(exc))
        return [], [problem("E001", file, unreadable)]
    names: list[str | None] = []
    absolute: list[int] = []
    columns: list[Any] = []
    problems: list[Problem] = []
    for index, field in enumerate(table.schema):
        used = matcher.match(field.name)[0] is not None
        try:
            values, reason = convert_column(table.column(index), used=used)
        except (pa.ArrowException, ValueError, TypeError) as exc:  # a type pandas cannot hold
            values, reason = (
                None,
                Msg("{type} data ({error})", type=_type_name(field.type), error=short_error(exc)),
            )
        if values is None:
            problems.append(_left_out(file, field, index, reason, used=used))
            continue
        names.append(field.name)
        absolute.append(index)
        columns.append(values)
    rows = np.arange(2, 2 + table.num_rows, dtype=np.int64)
    built, found = build_table(file, None, 1, names, absolute, columns, rows, matcher)
    return [built], problems + found


@contextlib.contextmanager
def _opened(source: Path | bytes) -> Iterator[Any]:
    """What pyarrow can open: the bytes, the path as text, or — for a name that is not UTF-8,
    which pyarrow cannot pass on to the file system — a Python file opened by its real name."""

    if isinstance(source, bytes):
        yield pa.BufferReader(source)
        return
    try:
        str(source).encode("utf-8")
    except UnicodeEncodeError:
        with open(source, "rb") as fh:
            yield fh
        return
    yield str(source)


def convert_column(column: pa.ChunkedArray, *, used: bool) -> tuple[Any, Msg | None]:
    """A column as pandas data (see the module's docstring), or None and why it cannot be."""

    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)  # decoded: a category column is its values
        kind = column.type
    if pa.types.is_nested(kind):
        return None, Msg("nested data ({type})", type=_type_name(kind))
    if _bytes_or_view(kind):
        try:
            column = column.cast(pa.string())  # validates UTF-8
        except pa.ArrowInvalid:
            return None, Msg("binary data that is not UTF-8 text ({type})", type=_type_name(kind))
        kind = column.type
    if kind == pa.float64():
        return column.to_pandas(), None  # a number, read or passed through as it is
    if pa.types.is_floating(kind) and used:
        return _as_text(column)  # float32's shortest digits, not its float64 expansion
    if not used and (
        pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
    ):
        return column.to_pandas(types_mapper=_nullable_mapper), None
    return _as_text(column)


def _as_text(column: pa.ChunkedArray) -> tuple[Any, Msg | None]:
    """The column's exact values as text (large_string kept large: a cast could overflow)."""

    kind = column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        try:
            column = column.cast(pa.string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            return None, Msg("values that have no text form ({type})", type=_type_name(kind))
    return column.to_pandas(types_mapper=string_mapper), None


def _bytes_or_view(kind: pa.DataType) -> bool:
    """Binary columns (text from writers that do not mark it so) and string views: cast to
    plain strings, which validates UTF-8."""

    return bool(
        pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
        or pa.types.is_fixed_size_binary(kind)
        or pa.types.is_binary_view(kind)
        or pa.types.is_string_view(kind)
    )


def _nullable_mapper(kind: pa.DataType) -> Any:
    """Integers and booleans as pandas' nullable types: a null stays a null, and an integer
    column with one is not turned into floats (``7`` read back as ``7.0``)."""

    if pa.types.is_boolean(kind):
        return pd.BooleanDtype()
    if pa.types.is_integer(kind):
        return pd.ArrowDtype(kind)
    return None


def _type_name(kind: pa.DataType) -> str:
    text = str(kind)
    return text if len(text) <= 60 else text[:57] + "…"


def _left_out(file: str, field: pa.Field, index: int, reason: Msg | None, *, used: bool) -> Problem:
    header = display_safe(field.name)
    letter = column_letter(index)
    if used:
        return problem(
            "E001",
            file,
            Msg(
                "column {header} holds {reason}: no figure can be read from it; save it as "
                "text or numbers",
                header=repr(header),
                reason=reason,
            ),
            row=1,
            column=letter,
            header=header,
        )
    return problem(
        "W001",
        file,
        Msg(
            "column {header} holds {reason}, which no report can show: it was left out",
            header=repr(header),
            reason=reason,
        ),
        row=1,
        column=letter,
        header=header,
    )

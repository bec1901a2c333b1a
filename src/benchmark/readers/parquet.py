"""Parquet files: columns by name, numbers kept as numbers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from benchmark.problems import Problem, problem
from benchmark.readers.limits import MAX_COLUMNS
from benchmark.readers.table import HeaderMatcher, Table, build_table, short_error, string_mapper

if TYPE_CHECKING:
    pass


def read_parquet(path: Path, file: str, matcher: HeaderMatcher
                  ) -> tuple[list[Table], list[Problem]]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        return [], [problem("E001", file, f"not a readable Parquet file: {short_error(exc)}")]
    names = list(table.column_names)
    if len(names) > MAX_COLUMNS:
        return [], [problem("E004", file, f"{len(names):,} columns exceed the limit of "
                            f"{MAX_COLUMNS:,}")]
    columns = [table.column(i).cast(pa.string()).to_pandas(types_mapper=string_mapper)
               if not pa.types.is_floating(table.column(i).type) else
               table.column(i).to_pandas() for i in range(len(names))]
    rows = np.arange(2, 2 + table.num_rows, dtype=np.int64)
    built, problems = build_table(file, None, 1, list(names), list(range(len(names))), columns,
                                   rows, matcher)
    return [built], problems



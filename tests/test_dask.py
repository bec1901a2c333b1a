"""Grading a partitioned Parquet dataset with Dask gives exactly the single-process result.

``benchmark.grade`` is a pure function of a frame, so ``map_partitions`` may split the rows any
way it likes; this test holds that promise (and the recipe in docs/dask.md) to account.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

dd = pytest.importorskip("dask.dataframe")

import pandas as pd  # noqa: E402 - after the skip: without Dask there is nothing to test

import benchmark  # noqa: E402
from benchmark.catalogue import Catalogue  # noqa: E402

from .conftest import HEADER_ZH, WriteXlsx  # noqa: E402

SORT = ["file", "row"]
#: Dask's own Parquet reader still calls ``reset_index(inplace=True)``, deprecated in pandas 3.1.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")


def _rows(catalogue: Catalogue, per_level: int) -> list[list[Any]]:
    """Rows over every area and category: at, between and beyond the levels, some invalid."""
    rows: list[list[Any]] = []
    fractions = (-0.2, 0.0, 0.5, 1.0, 1.3)
    for a, (area, level) in enumerate(catalogue.iter_levels()):
        for k in range(per_level):
            f = fractions[k % len(fractions)]
            value = round(level.benchmark + (level.baseline - level.benchmark) * f, 3)
            rows.append(
                [
                    f"企业{a}-{k}",
                    f"{k + 1}号线",
                    area.name_zh,
                    level.name_zh or None,
                    value,
                    area.unit,
                    1000 * (k + 1),
                    1500 * (k + 1),
                    2021 + k % 4,
                    ("河北", "山东", "江苏")[k % 3],
                ]
            )
    rows[3][4] = "待定"  # not a number: dropped by validation, never graded
    rows[7][2] = "钛冶炼"  # unknown area
    return rows


def _write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER_ZH)
        writer.writerows(rows)
    return path


def _to_parquet(frame: pd.DataFrame, path: Path) -> None:
    """As docs/dask.md says: one dtype for ``file`` and ``sheet`` in every part."""
    frame.astype({"file": "string", "sheet": "string"}).to_parquet(path, index=False)


@pytest.fixture
def dataset(
    tmp_path: Path, catalogue: Catalogue, write_xlsx: WriteXlsx
) -> tuple[Path, pd.DataFrame]:
    """Four Parquet parts from two workbooks and two CSV files; and their rows, concatenated."""
    rows = _rows(catalogue, per_level=8)
    quarter = len(rows) // 4
    chunks = [rows[i * quarter : (i + 1) * quarter if i < 3 else None] for i in range(4)]
    inputs = [
        write_xlsx(chunks[0], name="a.xlsx", title_rows=[["2021年能效填报"]]),
        write_xlsx(chunks[1], name="b.xlsx"),
        _write_csv(tmp_path / "c.csv", chunks[2]),
        _write_csv(tmp_path / "d.csv", chunks[3]),
    ]
    parts = tmp_path / "plants.parquet"
    parts.mkdir()
    frames = []
    for i, path in enumerate(inputs):
        frame, _problems = benchmark.read_plants(path)
        _to_parquet(frame, parts / f"part-{i:03d}.parquet")
        frames.append(frame)
    return parts, pd.concat(frames, ignore_index=True)


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(SORT).reset_index(drop=True)


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_map_partitions_equals_single_process(
    dataset: tuple[Path, pd.DataFrame], catalogue: Catalogue, scheduler: str
) -> None:
    parts, _ = dataset
    ddf = dd.read_parquet(parts)
    assert ddf.npartitions >= 3
    graded = ddf.map_partitions(
        benchmark.grade, catalogue=catalogue, meta=benchmark.grade(ddf._meta, catalogue)
    )
    result = graded.compute(scheduler=scheduler)

    expected = benchmark.grade(pd.read_parquet(parts), catalogue)
    assert len(result) == len(expected) > 300
    assert set(result["area"]) == {a.id for a in catalogue.areas}
    assert {"benchmark", "between", "below_baseline"} <= set(result["tier"])
    pd.testing.assert_frame_equal(_canonical(result), _canonical(expected))


def test_parquet_round_trip_keeps_what_grading_needs(
    dataset: tuple[Path, pd.DataFrame], catalogue: Catalogue
) -> None:
    """Grading the Parquet parts equals grading ``read_plants``' frames (dtypes of text aside)."""
    parts, frame = dataset
    direct = benchmark.grade(frame, catalogue)
    result = (
        dd.read_parquet(parts)
        .map_partitions(benchmark.grade, meta=benchmark.grade(dd.read_parquet(parts)._meta))
        .compute(scheduler="sync")
    )
    left = _canonical(result)
    right = _canonical(direct).astype({"file": "string", "sheet": "string"})
    pd.testing.assert_frame_equal(left, right)


def test_meta_matches_the_computed_dtypes(dataset: tuple[Path, pd.DataFrame]) -> None:
    """``grade`` of the empty meta frame predicts every column and dtype a partition yields."""
    parts, _ = dataset
    ddf = dd.read_parquet(parts)
    meta = benchmark.grade(ddf._meta)
    computed = (
        ddf.map_partitions(benchmark.grade, meta=meta).partitions[0].compute(scheduler="sync")
    )
    assert list(computed.columns) == list(meta.columns)
    assert computed.dtypes.to_dict() == meta.dtypes.to_dict()

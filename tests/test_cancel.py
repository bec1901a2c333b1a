"""Ctrl-C takes effect at once: queued files are dropped, a workbook being read stops at its
next chunk, and no temporary piece is left behind."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from benchmark import pipeline
from benchmark._parallel import Cancelled
from benchmark.readers import iter_tables, read_tables
from benchmark.validation import check_rows

from .conftest import WriteXlsx

ROW = ["冀东水泥", "1号线", "水泥熟料", None, 100, "kgce/t", 1000, 1200, 2023, "河北"]


def test_a_stopped_workbook_read_raises_cancelled_and_cleans_up(
    write_xlsx: WriteXlsx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    path = write_xlsx([ROW] * 50)
    stop = threading.Event()
    assert read_tables(path, stop=stop)[0], "reads normally while not stopped"
    stop.set()
    with pytest.raises(Cancelled):
        read_tables(path, stop=stop)
    assert not list(scratch.iterdir())


def test_an_interrupted_batch_stops_the_files_being_read(
    write_xlsx: WriteXlsx, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first file is quick, the others slow to read; the interrupt comes with the first
    result. Files queued are dropped, and the ones being read are not validated after."""
    paths = [str(write_xlsx([ROW], name=f"plant{i}.xlsx")) for i in range(6)]
    validated: list[str] = []
    real_read, real_check = iter_tables, check_rows

    def read(path: str, **kw: object) -> object:
        if not path.endswith("plant0.xlsx"):
            time.sleep(0.5)
        return real_read(path, **kw)  # type: ignore[arg-type]

    def validate(table: object, catalogue: object) -> object:
        validated.append(str(getattr(table, "file", "")))
        return real_check(table, catalogue)  # type: ignore[arg-type]

    class Interrupt(pipeline.Events):
        def file_done(self, path: str, rows: int) -> None:
            raise KeyboardInterrupt

    monkeypatch.setattr("benchmark.pipeline.iter_tables", read)
    monkeypatch.setattr("benchmark.pipeline.check_rows", validate)
    monkeypatch.setattr("benchmark.pipeline.workers", lambda: 2)
    with pytest.raises(KeyboardInterrupt):
        pipeline.check_files(paths, events=Interrupt())
    assert len(validated) == 1 and validated[0].endswith("plant0.xlsx"), validated

"""Shared fixtures: real workbooks written with openpyxl, the real catalogue, the real CLI."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.pipeline import Events

ROOT = Path(__file__).resolve().parents[1]
HEADER_ZH = [
    "企业名称",
    "生产线",
    "领域",
    "类别",
    "单位产品能耗",
    "单位",
    "产量",
    "产能",
    "年份",
    "地区",
]

WriteXlsx = Callable[..., Path]


@pytest.fixture(autouse=True)
def english() -> None:
    """Every test starts in English: a CLI run with ``--lang zh`` leaves its language in use,
    and a renderer called directly afterwards would speak it."""
    from benchmark import i18n

    i18n.use("en")


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write_xlsx(tmp_path: Path) -> WriteXlsx:
    """Write rows under a header (optionally below title rows) into a real .xlsx file."""

    def write(
        rows: Sequence[Sequence[Any]],
        header: Sequence[str] = tuple(HEADER_ZH),
        name: str = "plants.xlsx",
        sheet: str = "Sheet1",
        title_rows: Sequence[Sequence[Any]] = (),
    ) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = sheet
        for title in title_rows:
            ws.append(list(title))
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
        path = tmp_path / name
        wb.save(path)
        return path

    return write


class RecordingEvents(Events):
    """Events of a run, written down: rows checked and files done, in the order reported."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[tuple[str, int]] = []
        self.done: list[tuple[str, int]] = []

    def rows(self, path: str, count: int) -> None:
        self.counts.append((path, count))

    def file_done(self, path: str, rows: int) -> None:
        self.done.append((path, rows))

    @property
    def row_counts(self) -> list[int]:
        return [n for _, n in self.counts]


def benchmark_script() -> str:
    """The installed console script, beside the running interpreter."""
    return str(Path(sys.executable).parent / "benchmark")

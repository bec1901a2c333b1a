"""Shared fixtures: real workbooks written with openpyxl, the real catalogue, the real CLI."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from benchmark import i18n
from benchmark.catalogue import Catalogue, load_catalogue
from benchmark.pipeline import Events
from benchmark.readers import pieces, split, xlsx
from benchmark.readers.split import SheetPiece

ROOT = Path(__file__).resolve().parents[1]


def english_environment(environ: dict[str, str] | os._Environ[str]) -> None:
    """A locale that speaks English: the variables that choose the language cleared, LANG=C."""
    for name in i18n.LOCALE_VARIABLES:
        environ.pop(name, None)
    environ["LANG"] = "C.UTF-8"


# Tests assert English messages unless they ask for Chinese. Set before any test module
# imports benchmark.cli, whose help texts are made in the locale's language at import, and
# inherited by every subprocess a test starts.
english_environment(os.environ)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts in English (LANG=C.UTF-8, the language in use "en"), whatever the test
    before chose; a test asks for Chinese with ``monkeypatch.setenv("LANG", "zh_CN.UTF-8")``,
    ``--lang zh`` or :func:`benchmark.i18n.use`."""
    for name in i18n.LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.use("en")
    yield
    i18n.use("en")


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


@pytest.fixture
def pieces_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[SheetPiece]]:
    """Split every sheet into pieces of a few KB on two workers (a large sheet's path on a
    small workbook); yields the pieces read, and checks their folder is gone afterwards."""
    monkeypatch.setattr(split, "MIN_PIECE_BYTES", 1)
    monkeypatch.setattr(pieces, "plan_pieces", lambda sheet, others, workers: 5)
    monkeypatch.setattr(xlsx, "workers", lambda: 2)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    loaded: list[SheetPiece] = []
    load = pieces._load_piece

    def spy(piece: SheetPiece, name: str, kinds: Any, stop: object) -> object:
        loaded.append(piece)
        return load(piece, name, kinds, stop)  # type: ignore[arg-type]

    monkeypatch.setattr(pieces, "_load_piece", spy)
    yield loaded
    assert not list(scratch.iterdir()), "the pieces' directory was not removed"

"""The last English words in Chinese output, found by reading every report in Chinese: units
of product (重量箱), the electricity basis (当量值), the share basis of ``track``'s workbook,
the operating system's errors, the configuration's ``lang``; and every printed sheet of the
``track`` and ``lists`` workbooks set up for paper with the reporting date on top."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import CliRunner

from benchmark.cli import app

from .conftest import WriteXlsx

AS_OF = "2026-11-30"
#: Two flat-glass lines (kgce per weight case) over two years, one below the baseline.
GLASS = [
    ["甲玻璃", "1线", "平板玻璃", "capacity_over_800", 7.6, None, 500, 600, 2024, "河北"],
    ["甲玻璃", "1线", "平板玻璃", "capacity_over_800", 7.4, None, 520, 600, 2025, "河北"],
    ["乙玻璃", "2线", "平板玻璃", "capacity_over_800", 14.0, None, 300, 400, 2025, "山东"],
]


def run(*args: str, lang: str = "zh") -> Any:
    return CliRunner().invoke(app, ["--no-config", "--lang", lang, "--as-of", AS_OF, *args])


def test_units_of_product_and_the_electricity_basis_in_chinese(
    write_xlsx: WriteXlsx, tmp_path: Path
) -> None:
    path = write_xlsx(GLASS)
    table = run("grade", str(path))
    assert table.exit_code == 0, table.output
    assert "kgce/重量箱" in table.stdout and "weight case" not in table.stdout
    page = tmp_path / "report.html"
    assert run("grade", str(path), "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "kgce/重量箱" in html and "weight case" not in html
    assert "当量值" in html and "equivalent value" not in html
    english = tmp_path / "report_en.html"
    assert run("grade", str(path), "-o", str(english), lang="en").exit_code == 0
    assert "kgce/weight case" in english.read_text(encoding="utf-8")
    book = tmp_path / "report.xlsx"
    assert run("grade", str(path), "-o", str(book)).exit_code == 0
    cells = [
        str(c.value)
        for ws in openpyxl.load_workbook(book).worksheets
        if ws.title in ("Summary", "Levels")
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert any("重量箱" in c for c in cells) and not any("weight case" in c for c in cells)
    assert any("当量值" in c for c in cells) and not any("equivalent value" in c for c in cells)


def test_the_published_lists_write_the_unit_in_chinese_in_every_language(
    write_xlsx: WriteXlsx,
) -> None:
    path = write_xlsx(GLASS)
    for lang in ("zh", "en"):
        out = run("lists", str(path), "-f", "csv", lang=lang)
        assert out.exit_code == 0, out.output
        units = {r["单位"] for r in csv.DictReader(io.StringIO(out.stdout)) if r.get("单位")}
        assert units == {"kgce/重量箱"}, units
    assert "kgce/weight case" in run("lists", str(path), lang="en").stdout


def test_track_and_lists_workbooks_print_with_the_date_and_the_share_basis_in_words(
    write_xlsx: WriteXlsx, tmp_path: Path
) -> None:
    path = write_xlsx(GLASS)
    track = tmp_path / "track.xlsx"
    assert run("track", str(path), "-o", str(track)).exit_code == 0
    lists = tmp_path / "lists.xlsx"
    assert run("lists", str(path), "-o", str(lists)).exit_code == 0
    for book in (track, lists):
        for ws in openpyxl.load_workbook(book).worksheets:
            assert ws.page_setup.orientation == "landscape", (book.name, ws.title)
            assert ws.page_setup.paperSize == 9, (book.name, ws.title)  # A4
            assert AS_OF in ws.oddHeader.left.text, (book.name, ws.title)
    by_year = openpyxl.load_workbook(track)["By year"]
    basis = {str(c.value) for row in by_year.iter_rows() for c in row if c.value is not None}
    assert "产能" in basis and not {"capacity", "capacity/output", "rows"} & basis


def test_the_operating_systems_errors_in_chinese(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    zh = run("--catalogue", str(missing), "catalogue")
    assert zh.exit_code == 2
    assert "文件或文件夹不存在" in zh.output and "No such file" not in zh.output
    en = run("--catalogue", str(missing), "catalogue", lang="en")
    assert "No such file or directory" in en.output


def test_lang_in_the_configuration_file(
    write_xlsx: WriteXlsx, tmp_path: Path, monkeypatch: Any
) -> None:
    path = write_xlsx(GLASS)
    (tmp_path / "benchmark.toml").write_text('lang = "zh"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    said = CliRunner().invoke(app, ["--as-of", AS_OF, "grade", str(path)])
    assert said.exit_code == 0, said.output
    assert "能效水平" in said.stdout or "标杆" in said.stdout
    assert "Benchmark level" not in said.stdout
    english = CliRunner().invoke(app, ["--lang", "en", "--as-of", AS_OF, "grade", str(path)])
    assert "Benchmark" in english.stdout  # the command line wins over the file

"""Inputs and parsers for the xlsx and html report tests: real workbooks, the real CLI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from typer.testing import CliRunner

from benchmark.catalogue import shipped_catalogue_path
from benchmark.cli import app

from .conftest import HEADER_ZH

HEADER = HEADER_ZH
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'

#: Four areas, each with a line in every tier: positive, negative (converter) and kWh levels.
GOOD_ROWS: list[list[Any]] = [
    ["华新水泥", "1#线", "水泥熟料", None, 95, "kgce/t", 1_200_000, 1_500_000, 2023, "湖北"],
    [SCRIPT, "2#线", "水泥熟料", None, 110, "kgce/t", 1_000_000, 1_200_000, 2023, "湖北"],
    [FORMULA, "3#线", "水泥熟料", None, 125, "kgce/t", 800_000, 900_000, 2023, "安徽"],
    ["宝钢", "转炉1", "转炉", None, -35, None, 3_000_000, 3_500_000, 2023, "上海"],
    ["宝钢", "转炉2", "转炉", None, -20, None, 3_000_000, 3_500_000, 2023, "上海"],
    ["沙钢", "转炉3", "转炉", None, -5, None, 2_000_000, 2_500_000, 2023, "江苏"],
    ["中铝", "电解1", "电解铝", None, 12_900, "kWh/t", 400_000, 500_000, 2023, "河南"],
    ["中铝", "电解2", "电解铝", None, 13_200, "kWh/t", 400_000, 500_000, 2023, "河南"],
    ["魏桥", "电解3", "电解铝", None, 13_500, "kWh/t", 600_000, 700_000, 2023, "山东"],
    ["氯碱A", "L1", "烧碱", "液碱30%", 300, None, 100_000, 120_000, 2023, "天津"],
    ["氯碱B", "L2", "烧碱", "液碱30%", 330, None, 100_000, 120_000, 2023, "天津"],
    ["氯碱C", "L3", "烧碱", "液碱30%", 360, None, 100_000, 120_000, 2023, "河北"],
]
BAD_ROWS: list[list[Any]] = [
    ["坏领域", "X", "不存在的领域", None, 100, None, 1, 1, 2023, "河北"],
    ["坏数值", "Y", "水泥熟料", None, "abc", None, 1, 1, 2023, "河北"],
]
GRADED_AREAS = ["caustic_soda", "cement_clinker", "steelmaking", "electrolytic_aluminium"]


def write_plants(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """Write rows under the Chinese header; text starting with '=' stays text, not a formula."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    wb.save(path)
    return path


def mixed_status_catalogue(path: Path) -> Path:
    """The shipped catalogue with two levels marked as a user's own catalogue may mark them:
    the converter corroborated, electrolytic aluminium unverified (every shipped level is
    confirmed, and reports must still carry a level's status into every verdict)."""
    data = yaml.safe_load(shipped_catalogue_path().read_text(encoding="utf-8"))
    for area in data["areas"]:
        for level in area["levels"]:
            if level["category"] == "converter":
                level["status"] = "corroborated"
            elif area["id"] == "electrolytic_aluminium":
                level["status"] = "unverified"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def grade(
    path: Path,
    *args: str,
    catalogue: Path | None = None,
    lang: str = "en",
    as_of: str | None = None,
) -> Any:
    """Run ``benchmark --no-config --lang LANG grade PATH ARGS`` in-process; return the
    click result."""
    chosen = ["--catalogue", str(catalogue)] if catalogue is not None else []
    if as_of is not None:
        chosen += ["--as-of", as_of]
    return CliRunner().invoke(
        app, ["--no-config", "--lang", lang, *chosen, "grade", str(path), *args]
    )


def grade_json(path: Path, catalogue: Path | None = None) -> dict[str, Any]:
    """The JSON contract output of a grade run: the reference the other formats must match."""
    result = grade(path, "--format", "json", catalogue=catalogue)
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


class Page(HTMLParser):
    """A parsed page: every start tag with its attributes, text per element id and class."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._stack: list[tuple[str, dict[str, str]]] = []
        self.by_id: dict[str, list[str]] = {}
        self.rows: dict[str, list[list[str]]] = {}  # table class → rows of cell texts
        self._cell: list[str] | None = None
        self._table: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attr))
        if tag in ("br", "meta", "circle", "line", "rect", "path"):
            return
        self._stack.append((tag, attr))
        if tag == "table":
            self._table.append(attr.get("class", ""))
        elif tag == "tr" and self._table:
            self.rows.setdefault(self._table[-1], []).append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.rows[self._table[-1]][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._table:
            self._table.pop()
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        for _, attr in self._stack:
            if "id" in attr:
                self.by_id.setdefault(attr["id"], []).append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Start tags named ``tag`` whose attributes include ``attrs`` (class_ for class)."""
        want = {k.rstrip("_"): v for k, v in attrs.items()}
        return [
            a
            for t, a in self.tags
            if t == tag and all(v in a.get(k, "").split() or a.get(k) == v for k, v in want.items())
        ]

"""`grade --format json` and `--format jsonl`: made column-wise by Arrow, the same bytes the
reference encoder (``json.dumps`` of :func:`benchmark.report.model.records`) writes, and valid
against `benchmark schema grade`."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmark.catalogue import load_catalogue
from benchmark.cli import app
from benchmark.pipeline import check_files
from benchmark.report import Report, build_report
from benchmark.report.arrowtext import json_values
from benchmark.report.machine import grade_json, grade_jsonl
from benchmark.report.model import plain, records

from .helpers_reports import BAD_ROWS, GOOD_ROWS, grade, write_plants

#: Text json.dumps escapes, or that a naive encoder would get wrong.
AWKWARD_TEXT = [
    'say "hi"',
    "back\\slash",
    "line\nbreak\ttab",
    "bell\x07",
    "中文 ünï 😀",
    "\u2028sep",
    "\x7fdel",
    "</script>",
    "",
]
#: Floats where Arrow's text and Python's repr part ways unless fixed.
AWKWARD_FLOATS = [
    388.0,
    -0.0,
    0.1 + 0.2,
    1e-05,
    1.5e-07,
    0.0001,
    21364299749.86111,
    1e16,
    1e22,
    5e-324,
    1.7976931348623157e308,
    277.49999988900004,
    -47.0,
]


@pytest.fixture(scope="module")
def plants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_plants(tmp_path_factory.mktemp("in") / "plants.xlsx", GOOD_ROWS + BAD_ROWS)


def report_of(path: Path) -> Report:
    cat = load_catalogue()
    checked = check_files([str(path)], cat, grade=True)
    return build_report(checked, cat, graded=checked.frame)


def reference_json(report: Report) -> str:
    """The document as the encoder before the Arrow one wrote it."""
    doc = json.loads(grade_json(report))
    doc["results"] = records(report.results())
    return json.dumps(doc, ensure_ascii=False, indent=2, default=plain) + "\n"


def reference_jsonl(report: Report) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(report.results()))


def test_json_output_validates_against_the_schema(plants: Path, tmp_path: Path) -> None:
    schema = json.loads(CliRunner().invoke(app, ["schema", "grade"]).output)
    out = tmp_path / "report.json"
    result = grade(plants, "--format", "json", "-o", str(out))
    assert result.exit_code == 1, result.output  # the bad rows are errors
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    assert len(doc["results"]) == len(GOOD_ROWS) and len(doc["problems"]) == len(BAD_ROWS)


def test_json_and_jsonl_are_the_reference_bytes(plants: Path) -> None:
    report = report_of(plants)
    assert grade_json(report) == reference_json(report)
    assert grade_jsonl(report) == reference_jsonl(report)


def test_awkward_text_and_numbers_encode_as_json_dumps_does(plants: Path) -> None:
    report = report_of(plants)
    graded = report.graded
    n = len(graded)
    graded["enterprise"] = [AWKWARD_TEXT[i % len(AWKWARD_TEXT)] for i in range(n)]
    graded["value"] = [AWKWARD_FLOATS[i % len(AWKWARD_FLOATS)] for i in range(n)]
    graded.loc[graded.index[0], "gap_to_benchmark"] = math.nan
    graded.loc[graded.index[1], "gap_to_baseline"] = math.inf
    graded["passed_through"] = pa.array([None, "x"] * (n // 2) + [None] * (n % 2)).to_pylist()
    assert grade_jsonl(report) == reference_jsonl(report)
    assert grade_json(report) == reference_json(report)
    rows = [json.loads(line) for line in grade_jsonl(report).split("\n")[:-1]]
    assert rows[0]["gap_to_benchmark"] is None and rows[1]["gap_to_baseline"] is None
    assert [r["value"] for r in rows] == [graded["value"].iloc[i] for i in range(n)]


def test_no_results_leaves_an_empty_list(tmp_path: Path) -> None:
    report = report_of(write_plants(tmp_path / "bad.xlsx", BAD_ROWS))
    doc = json.loads(grade_json(report))
    assert doc["results"] == [] and grade_json(report) == reference_json(report)
    assert grade_jsonl(report) == ""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.none(), max_size=40))
def test_float_text_is_pythons_repr(values: list[float | None]) -> None:
    got = json_values(pa.array(values, pa.float64())).to_pylist()
    want = [json.dumps(plain(v)) for v in values]
    assert got == want
    for text, value in zip(got, values, strict=True):  # and it reads back as the same number
        if value is not None and math.isfinite(value):
            assert float(text) == value


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text() | st.none(), max_size=30))
def test_string_text_is_json_dumps(values: list[Any]) -> None:
    got = json_values(pa.array(values, pa.string())).to_pylist()
    assert got == [json.dumps(v, ensure_ascii=False) for v in values]

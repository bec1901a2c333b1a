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
from benchmark.report import Report, build_report, machine
from benchmark.report.arrowtext import json_values
from benchmark.report.machine import text_of
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


def grade_json(report: Report) -> str:
    """The document the JSON writer streams, as text."""
    return text_of(machine.grade_json(report))


def grade_jsonl(report: Report) -> str:
    return text_of(machine.grade_jsonl(report))


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


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("slice_rows", [1, 5, 12, 32_768])
def test_rows_made_in_slices_are_the_same_bytes(
    plants: Path, monkeypatch: pytest.MonkeyPatch, slice_rows: int, workers: str
) -> None:
    """Twelve graded rows in slices of 1, 5 (the last one short), 12 and one slice: the
    document and the lines are the reference bytes however the rows are cut and threaded."""
    from benchmark.report import arrowtext

    monkeypatch.setenv("BENCHMARK_WORKERS", workers)
    monkeypatch.setattr(arrowtext, "JSON_SLICE_ROWS", slice_rows)
    report = report_of(plants)
    assert len(report.graded) == len(GOOD_ROWS)
    assert grade_json(report) == reference_json(report)
    assert grade_jsonl(report) == reference_jsonl(report)


def test_the_cli_streams_the_document_it_renders(plants: Path, tmp_path: Path) -> None:
    """``grade -f json -o`` and ``-f jsonl`` to a file and to standard output write what the
    writers stream, the results in the rows' order."""
    from benchmark.report import render

    report = report_of(plants)
    for fmt, want in (("json", reference_json(report)), ("jsonl", reference_jsonl(report))):
        writer = render(report, fmt)
        assert callable(writer) and text_of(writer) == want
        out = tmp_path / f"report.{fmt}"
        grade(plants, "--format", fmt, "-o", str(out))
        got = out.read_text(encoding="utf-8")
        assert got == want
        piped = grade(plants, "--format", fmt)
        assert piped.stdout == got


def test_rows_text_joins_pieces_and_leaves_missing_values_out() -> None:
    from benchmark.report.arrowtext import rows_text

    cells = pa.array(["a", None, "c"], pa.string())
    numbers = pa.chunked_array([pa.array(["1"]), pa.array(["2", "3"])])
    assert rows_text(["<", cells, "|", numbers, ">\n"], 3) == b"<a|1>\n<|2>\n<c|3>\n"
    assert rows_text(["x", "y"], 2) == b"xyxy"
    assert rows_text(["x", cells], 0) == b""


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text() | st.none(), min_size=1, max_size=30), st.integers(3, 12))
def test_repeated_strings_are_quoted_once_and_spread(values: list[Any], times: int) -> None:
    """A column of few distinct texts (quoted once per text) gives what ``json.dumps`` gives."""
    column = values * (64 // len(values) + times)
    got = json_values(pa.array(column, pa.large_string())).to_pylist()
    assert got == [json.dumps(v, ensure_ascii=False) for v in column]

"""Machine-readable renderers: JSON, JSON Lines, CSV, GitHub annotations and JUnit XML."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO

from benchmark.problems import Problem
from benchmark.report.defuse import defuse_table
from benchmark.report.model import SCHEMA_VERSION, Report, plain, records, results_table

if TYPE_CHECKING:
    from benchmark._atomic import Writer


def problems_payload(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.as_dict() for p in problems]


def validate_json(report: Report) -> str:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "catalogue": report.catalogue_meta(),
        "files": report.files,
        "rows_total": report.rows_total,
        "rows_valid": len(report.graded),
        "errors": sum(p.severity == "error" for p in report.problems),
        "warnings": sum(p.severity == "warning" for p in report.problems),
        "problems": problems_payload(report.problems),
        "notices": [n.as_dict() for n in report.notices],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


#: Where the results go in the indented document: a raw newline is in no JSON string, so this
#: text can only be the key itself.
_RESULTS_SLOT = '\n  "results": [],\n'


def grade_json(report: Report) -> Writer:
    """The JSON document (``benchmark schema grade``) as a writer that streams it: everything
    but the results through ``json.dumps``, the results — nearly all of it — column-wise by
    Arrow a slice of rows at a time (:func:`benchmark.report.arrowtext.json_chunks`), the
    same bytes ``json.dumps`` writes. Never one string of the whole document: at 50,000 rows
    that is 47 MB decoded, joined and encoded again for nothing."""

    def write(fh: BinaryIO) -> None:
        from benchmark.report.arrowtext import write_json_rows

        doc = {
            "schema_version": SCHEMA_VERSION,
            "catalogue": report.catalogue_meta(),
            "factors": report.factors(),
            "files": report.files,
            "rows_total": report.rows_total,
            "rows_graded": len(report.graded),
            "results": [],
            "problems": problems_payload(report.problems),
            "notices": [n.as_dict() for n in report.notices],
            "summary": report.summary.as_dict(),
        }
        text = json.dumps(doc, ensure_ascii=False, indent=2, default=plain) + "\n"
        table = results_table(report.results())
        if table.num_rows == 0:
            fh.write(text.encode("utf-8"))
            return
        head, _, tail = text.partition(_RESULTS_SLOT)
        fh.write((head + '\n  "results": [\n').encode("utf-8"))
        write_json_rows(table, fh, indent="    ")
        fh.write(("\n  ],\n" + tail).encode("utf-8"))

    return write


def grade_jsonl(report: Report) -> Writer:
    """One result a line, as ``json.dumps`` writes each (made column-wise by Arrow), streamed
    a slice of rows at a time."""

    def write(fh: BinaryIO) -> None:
        from benchmark.report.arrowtext import write_json_rows

        write_json_rows(results_table(report.results()), fh, indent=None)

    return write


def text_of(write: Writer) -> str:
    """What a writer writes, as text (tests and callers that want the document whole)."""
    import io

    out = io.BytesIO()
    write(out)
    return out.getvalue().decode("utf-8")


def grade_csv(report: Report) -> Writer:
    """The results table as CSV, streamed by Arrow's writer (ten times pandas' speed)."""

    def write(fh: BinaryIO) -> None:
        write_csv(results_table(report.results()), fh, prepare=defuse_table)

    return write


#: Rows formatted by one task of :func:`write_csv`.
CSV_SLICE_ROWS = 131_072


def write_csv(table: Any, fh: BinaryIO, prepare: Callable[[Any], Any] | None = None) -> None:
    """Arrow's CSV writer on every core: slices of rows are formatted in threads (Arrow
    releases the GIL; formatting numbers is most of the cost) and written in order as they
    are ready, a few slices held at a time. ``prepare`` — a function of rows alone, such as
    :func:`~benchmark.report.defuse.defuse_table` — is applied to each slice in its thread."""
    import io

    import pyarrow.csv as pacsv

    from benchmark.report.arrowtext import in_order

    def text(start: int) -> bytes:
        part = table.slice(start, CSV_SLICE_ROWS)
        out = io.BytesIO()
        options = pacsv.WriteOptions(include_header=start == 0, batch_size=16_384)
        pacsv.write_csv(part if prepare is None else prepare(part), out, options)
        return out.getvalue()

    for piece in in_order(text, range(0, max(table.num_rows, 1), CSV_SLICE_ROWS)):
        fh.write(piece)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_problems(problems: list[Problem]) -> list[str]:
    lines = []
    for p in problems:
        level = "error" if p.severity == "error" else "warning"
        cell = f"{p.sheet + '!' if p.sheet else ''}{p.column or ''}{p.row or ''}"
        title = f"{cell} {p.code}".strip()
        props = f"file={_gh_escape(p.file, True)},title={_gh_escape(title, True)}"
        lines.append(f"::{level} {props}::{_gh_escape(p.message)}")
    return lines


def validate_github(report: Report) -> str:
    return "".join(line + "\n" for line in github_problems(report.problems))


def grade_github(report: Report) -> str:
    lines = github_problems(report.problems)
    for row in records(report.failing()):
        cell = f"{row['sheet'] + '!' if row.get('sheet') else ''}row {row['row']}"
        title = f"{cell} {row['tier']}"
        msg = (
            f"{row['enterprise']} {row.get('line') or ''} {row['area']}"
            f"{'/' + row['category'] if row.get('category') else ''}: {row['value']:g} "
            f"{row['unit']} is {row['tier']} (benchmark {row['benchmark']:g}, baseline "
            f"{row['baseline']:g}; level {row['level_status']})"
        )
        lines.append(
            f"::error file={_gh_escape(row['file'], True)},"
            f"title={_gh_escape(title, True)}::{_gh_escape(msg)}"
        )
    return "".join(line + "\n" for line in lines)


def _junit(suites: dict[str, list[tuple[str, str | None]]]) -> str:
    """``suites``: file → [(testcase name, failure message or None)]."""
    # Here, not at the top: xml.sax.saxutils imports urllib.request, http.client and ssl
    # (26 ms), which every other format's run would pay for nothing.
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    total = sum(len(c) for c in suites.values())
    failures = sum(1 for c in suites.values() for _, f in c if f)
    out.append(f'<testsuites name="benchmark" tests="{total}" failures="{failures}">')
    for file, cases in suites.items():
        fails = sum(1 for _, f in cases if f)
        out.append(f'  <testsuite name={quoteattr(file)} tests="{len(cases)}" failures="{fails}">')
        for name, failure in cases:
            if failure is None:
                out.append(f"    <testcase classname={quoteattr(file)} name={quoteattr(name)}/>")
            else:
                out.append(f"    <testcase classname={quoteattr(file)} name={quoteattr(name)}>")
                first = failure.splitlines()[0]
                out.append(f"      <failure message={quoteattr(first)}>{escape(failure)}</failure>")
                out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _row_name(sheet: str | None, row: int | None) -> str:
    return f"{sheet + '!' if sheet else ''}row {row}" if row is not None else "file"


def validate_junit(report: Report) -> str:
    """A testsuite per file, a testcase per checked row (failing where it has an error)."""
    suites: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for file in report.files:
        suites.setdefault(file, {})
    for row in records(report.graded[["file", "sheet", "row"]]):
        suites[row["file"]].setdefault(_row_name(row["sheet"], row["row"]), [])
    for p in report.problems:
        if p.severity == "error":
            suites[p.file].setdefault(_row_name(p.sheet, p.row), []).append(str(p))
    return _junit(
        {
            f: [(name, "\n".join(msgs) or None) for name, msgs in cases.items()]
            for f, cases in suites.items()
        }
    )


def grade_junit(report: Report) -> str:
    """A testcase per graded row, failing at or worse than ``--fail-on``; problems fail too."""
    from benchmark.grading import tiers_at_or_worse

    failing = set(tiers_at_or_worse(report.fail_on)) if report.fail_on else set()
    suites: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for file in report.files:
        suites.setdefault(file, {})
    for row in records(
        report.graded[
            [
                "file",
                "sheet",
                "row",
                "enterprise",
                "area",
                "value",
                "unit",
                "tier",
                "benchmark",
                "baseline",
                "level_status",
            ]
        ]
    ):
        msgs = suites[row["file"]].setdefault(_row_name(row["sheet"], row["row"]), [])
        if row["tier"] in failing:
            msgs.append(
                f"{row['enterprise']} {row['area']}: {row['value']:g} {row['unit']} is "
                f"{row['tier']} (benchmark {row['benchmark']:g}, baseline "
                f"{row['baseline']:g}; level {row['level_status']})"
            )
    for p in report.problems:
        if p.severity == "error":
            suites[p.file].setdefault(_row_name(p.sheet, p.row), []).append(str(p))
    return _junit(
        {
            f: [(name, "\n".join(msgs) or None) for name, msgs in cases.items()]
            for f, cases in suites.items()
        }
    )

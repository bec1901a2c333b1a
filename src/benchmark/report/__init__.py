"""Renderers: one module a format family; :func:`render` picks one by command and format.

Light to import (the catalogue views need no pandas): the report model and each renderer are
imported when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from benchmark._atomic import Writer
    from benchmark.catalogue import Catalogue
    from benchmark.i18n import Language
    from benchmark.pipeline import Checked
    from benchmark.report.lists import ListsReport
    from benchmark.report.model import Report
    from benchmark.report.track import TrackReport
    from benchmark.results import Summary

#: (command, format) → (module, function) writing it: text, bytes (xlsx), or a writer that
#: streams it (csv). Modules are imported when their format is asked for.
RENDERERS: dict[tuple[str, str], tuple[str, str]] = {
    ("grade", "json"): ("machine", "grade_json"),
    ("grade", "jsonl"): ("machine", "grade_jsonl"),
    ("grade", "csv"): ("machine", "grade_csv"),
    ("grade", "github"): ("machine", "grade_github"),
    ("grade", "junit"): ("machine", "grade_junit"),
    ("grade", "markdown"): ("markdown", "grade_markdown"),
    ("grade", "xlsx"): ("xlsx", "grade_xlsx"),
    ("grade", "html"): ("html", "grade_html"),
    ("grade", "table"): ("text", "grade_plain"),
    ("validate", "json"): ("machine", "validate_json"),
    ("validate", "github"): ("machine", "validate_github"),
    ("validate", "junit"): ("machine", "validate_junit"),
    ("validate", "text"): ("text", "validate_plain"),
    ("track", "json"): ("track", "track_json"),
    ("track", "csv"): ("track", "track_csv"),
    ("track", "markdown"): ("track_markdown", "track_markdown"),
    ("track", "table"): ("track", "track_plain"),
    ("track", "xlsx"): ("workbook", "track_xlsx"),
    ("track", "html"): ("track_html", "track_html"),
    ("lists", "json"): ("lists", "lists_json"),
    ("lists", "csv"): ("lists", "lists_csv"),
    ("lists", "markdown"): ("lists", "lists_markdown"),
    ("lists", "table"): ("lists", "lists_plain"),
    ("lists", "xlsx"): ("workbook", "lists_xlsx"),
}


def render(
    report: Report | TrackReport | ListsReport,
    fmt: str,
    command: str = "grade",
    *,
    lang: Language | None = None,
) -> str | bytes | Writer:
    """The report of a ``grade`` (or ``validate``) run — or of ``track`` or ``lists``
    (:func:`benchmark.report.track.build_track_report`,
    :func:`benchmark.report.lists.build_lists_report`) — in a format of the registry
    (:mod:`benchmark.formats`): text, bytes, or a writer that streams it into a binary file
    (csv, the track and lists workbooks). The Python twin of ``benchmark COMMAND --format
    FMT``.

    Reports for people speak ``lang`` ("zh" or "en"; default: the language in use, see
    :func:`benchmark.i18n.use`); machine formats are the same in every language. A writer
    (csv, the track and lists workbooks) speaks ``lang`` whenever it is called."""
    from benchmark.i18n import speaking

    try:
        module, func = RENDERERS[(command, fmt)]
    except KeyError:
        raise ValueError(f"{command} has no format {fmt!r}") from None
    with speaking(lang):
        result: str | bytes | Writer = getattr(
            importlib.import_module(f"benchmark.report.{module}"), func
        )(report)
    if callable(result) and lang is not None:
        return _speaking_writer(result, lang)
    return result


def _speaking_writer(write: Writer, lang: Language) -> Writer:
    """A writer that says its words in ``lang`` when it runs, after :func:`render` returned."""
    from benchmark.i18n import speaking

    def written_in(out: BinaryIO) -> None:
        with speaking(lang):
            write(out)

    return written_in


def statements(report: Report, *, lang: Language | None = None) -> dict[str, str]:
    """Each enterprise's print-ready statement (HTML), by the name of its file: the Python
    twin of ``benchmark statement``. In ``lang`` (default: the language in use)."""
    from benchmark.i18n import speaking
    from benchmark.report.statement import statements as pages

    with speaking(lang):
        return pages(report)


def build_report(
    checked: Checked,
    catalogue: Catalogue,
    *,
    graded: pd.DataFrame | None,
    group_by: str = "area",
    fail_on: str | None = None,
    as_of: dt.date | None = None,
    year: int | None = None,
) -> Report:
    """Bundle a run's results for the renderers (``graded=None`` for a validate run).

    The summary covers each line's latest year, or ``year`` (see
    :func:`benchmark.summary.summarise`); deadlines are judged as of ``as_of`` (today)."""
    from benchmark.deadlines import as_date
    from benchmark.report.model import Report
    from benchmark.summary import summarise

    frame = checked.frame if graded is None else graded
    day = as_date(as_of)

    def summary() -> Summary:
        return summarise(
            frame if graded is not None else frame.iloc[0:0],
            catalogue,
            group_by,
            year=year if graded is not None else None,
            as_of=day,
        )

    return Report(
        frame,
        checked.problems,
        summary,
        catalogue,
        checked.files,
        checked.rows_total,
        fail_on,
        list(checked.notices),
        as_of=day,
        year=year,
    )


__all__ = ["RENDERERS", "Report", "build_report", "render", "statements"]


def __getattr__(name: str) -> Any:
    if name == "Report":
        from benchmark.report.model import Report

        return Report
    raise AttributeError(f"module 'benchmark.report' has no attribute {name!r}")

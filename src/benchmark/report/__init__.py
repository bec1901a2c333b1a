"""Renderers: one module a format family. ``render_grade``/``render_validate`` pick by name."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from benchmark.report.model import Report

if TYPE_CHECKING:
    import pandas as pd

    from benchmark.catalogue import Catalogue
    from benchmark.outputs import Writer
    from benchmark.pipeline import Checked
    from benchmark.summary import Summary

#: Format name → (module, function) producing text (or bytes, for xlsx).
GRADE_RENDERERS: dict[str, tuple[str, str]] = {
    "json": ("machine", "grade_json"),
    "jsonl": ("machine", "grade_jsonl"),
    "csv": ("machine", "grade_csv"),
    "github": ("machine", "grade_github"),
    "junit": ("machine", "grade_junit"),
    "markdown": ("markdown", "grade_markdown"),
    "xlsx": ("xlsx", "grade_xlsx"),
    "html": ("html", "grade_html"),
    "table": ("text", "grade_plain"),
}
VALIDATE_RENDERERS: dict[str, tuple[str, str]] = {
    "json": ("machine", "validate_json"),
    "github": ("machine", "validate_github"),
    "junit": ("machine", "validate_junit"),
    "text": ("text", "validate_plain"),
}


def _renderer(table: dict[str, tuple[str, str]], name: str) -> Any:
    module, func = table[name]
    return getattr(importlib.import_module(f"benchmark.report.{module}"), func)


def render_grade(report: Report, fmt: str) -> str | bytes | Writer:
    """The report in a format: text, bytes (xlsx), or a writer that streams it (csv)."""
    result: str | bytes | Writer = _renderer(GRADE_RENDERERS, fmt)(report)
    return result


def render_validate(report: Report, fmt: str) -> str | bytes:
    result: str | bytes = _renderer(VALIDATE_RENDERERS, fmt)(report)
    return result


def build_report(checked: Checked, catalogue: Catalogue, *, graded: pd.DataFrame | None,
                 group_by: str = "area", fail_on: str | None = None) -> Report:
    """Bundle a run's results for the renderers (``graded=None`` for a validate run)."""
    from benchmark.summary import summarise

    frame = checked.frame if graded is None else graded

    def summary() -> Summary:
        return summarise(frame if graded is not None else frame.iloc[0:0], catalogue,
                         group_by)

    return Report(frame, checked.problems, summary, catalogue, checked.files,
                  checked.rows_total, fail_on)


__all__ = ["Report", "build_report", "render_grade", "render_validate"]

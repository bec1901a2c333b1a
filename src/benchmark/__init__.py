"""Grade industrial plants against China's energy-efficiency benchmark and baseline levels.

The public API, usable without the CLI::

    import benchmark
    frame, problems = benchmark.read_plants("plants.xlsx")
    graded = benchmark.grade(frame)

Names are imported lazily so that the command line starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from benchmark._version import __version__

if TYPE_CHECKING:
    from benchmark.catalogue import Catalogue, CatalogueError, load_catalogue
    from benchmark.grading import GradeInputError, grade
    from benchmark.pipeline import Checked, Events, check_files, read_plants, validate_frame
    from benchmark.problems import Problem
    from benchmark.report import Report, build_report, render, statements
    from benchmark.summary import Summary, summarise
    from benchmark.tracking import Lists, Tracking, lists, track

_EXPORTS = {
    "Catalogue": "benchmark.catalogue",
    "CatalogueError": "benchmark.catalogue",
    "load_catalogue": "benchmark.catalogue",
    "GradeInputError": "benchmark.grading",
    "grade": "benchmark.grading",
    "Checked": "benchmark.pipeline",
    "Events": "benchmark.pipeline",
    "check_files": "benchmark.pipeline",
    "read_plants": "benchmark.pipeline",
    "validate_frame": "benchmark.pipeline",
    "Problem": "benchmark.problems",
    "Report": "benchmark.report",
    "build_report": "benchmark.report",
    "render": "benchmark.report",
    "statements": "benchmark.report",
    "Summary": "benchmark.summary",
    "summarise": "benchmark.summary",
    "Lists": "benchmark.tracking",
    "Tracking": "benchmark.tracking",
    "lists": "benchmark.tracking",
    "track": "benchmark.tracking",
}

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Checked",
    "Events",
    "GradeInputError",
    "Lists",
    "Problem",
    "Report",
    "Summary",
    "Tracking",
    "__version__",
    "build_report",
    "check_files",
    "grade",
    "lists",
    "load_catalogue",
    "read_plants",
    "render",
    "statements",
    "summarise",
    "track",
    "validate_frame",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'benchmark' has no attribute {name!r}")

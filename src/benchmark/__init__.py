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
    from benchmark.grading import grade
    from benchmark.pipeline import check_files, read_plants
    from benchmark.problems import Problem
    from benchmark.summary import summarise

_EXPORTS = {
    "Catalogue": "benchmark.catalogue",
    "CatalogueError": "benchmark.catalogue",
    "load_catalogue": "benchmark.catalogue",
    "grade": "benchmark.grading",
    "read_plants": "benchmark.pipeline",
    "check_files": "benchmark.pipeline",
    "Problem": "benchmark.problems",
    "summarise": "benchmark.summary",
}

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Problem",
    "__version__",
    "check_files",
    "grade",
    "load_catalogue",
    "read_plants",
    "summarise",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'benchmark' has no attribute {name!r}")

"""The public Python API: what ``benchmark`` exports, pinned (as httpx pins its ``__all__``),
every name importable, and importing the package loading nothing heavy."""

from __future__ import annotations

import subprocess
import sys

import benchmark

PUBLIC = {
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
    "summarise",
    "track",
    "validate_frame",
}


def test_all_is_pinned_and_every_name_resolves() -> None:
    assert set(benchmark.__all__) == PUBLIC
    for name in benchmark.__all__:
        assert getattr(benchmark, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        benchmark.nonsense  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "nonsense" in str(exc)
    else:
        raise AssertionError("no AttributeError")


def test_importing_the_package_loads_nothing_heavy() -> None:
    code = (
        "import sys, benchmark\n"
        "print([m for m in ('numpy', 'pandas', 'pyarrow') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr

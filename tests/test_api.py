"""The public Python API: what ``benchmark`` exports, pinned (as httpx pins its ``__all__``),
every name importable, and importing the package loading nothing heavy."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl

import benchmark
from benchmark.report.lists import build_lists_report

from .conftest import ROOT

EXAMPLES = ROOT / "examples"

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
    "statements",
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


def _written(rendered: object) -> bytes:
    """What a rendered report holds: its text, or the bytes its writer writes."""
    if isinstance(rendered, str):
        return rendered.encode()
    assert callable(rendered)
    out = io.BytesIO()
    rendered(out)
    return out.getvalue()


def test_render_and_statements_speak_the_language_asked_and_leave_it(tmp_path: Path) -> None:
    """``lang=`` is for this report only: the language in use is the same afterwards, a
    writer returned speaks it when it writes later, and machine formats ignore it."""
    from benchmark import i18n

    catalogue = benchmark.load_catalogue()
    checked = benchmark.check_files([EXAMPLES / "plant.xlsx"], catalogue, grade=True)
    report = benchmark.build_report(checked, catalogue, graded=checked.frame)
    i18n.use("en")
    page = benchmark.render(report, "html", lang="zh")
    assert isinstance(page, str) and "能效水平" in page and i18n.current() == "en"
    assert "能效水平" not in str(benchmark.render(report, "html"))
    assert _written(benchmark.render(report, "json", lang="zh")) == _written(
        benchmark.render(report, "json")
    )
    lists_report = build_lists_report(checked, catalogue)
    writer = benchmark.render(lists_report, "xlsx", "lists", lang="zh")
    assert callable(writer)
    out = tmp_path / "lists.xlsx"
    with out.open("wb") as fh:
        writer(fh)
    sheets = openpyxl.load_workbook(out).sheetnames
    assert any("清单" in name for name in sheets), sheets
    (name, statement), *_ = benchmark.statements(report, lang="zh").items()
    assert name.endswith(".html") and "审核人" in statement and i18n.current() == "en"
    assert "Reviewed by" in next(iter(benchmark.statements(report).values()))

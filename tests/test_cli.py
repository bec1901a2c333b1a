"""The command line's shape: one format registry, the format read from ``-o``, the
configuration found upwards and checked, light commands that load no pandas."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli import app
from benchmark.formats import FORMATS, formats_for, from_extension

from .conftest import ROOT

PLANT = ROOT / "examples" / "plant.xlsx"


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("report.xlsx", lambda p: zipfile.is_zipfile(p)),
        ("report.html", lambda p: p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")),
        ("report.json", lambda p: json.loads(p.read_text(encoding="utf-8"))["schema_version"] == 1),
        ("report.csv", lambda p: p.read_text(encoding="utf-8").startswith('"file","sheet","row",')),
        ("report.md", lambda p: p.read_text(encoding="utf-8").startswith("# ")),
        ("report.xml", lambda p: p.read_text(encoding="utf-8").startswith("<?xml")),
    ],
)
def test_the_format_comes_from_the_output_files_extension(
    name: str, check: object, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["--no-config", "grade", str(PLANT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert check(out)  # type: ignore[operator]


def test_a_format_that_contradicts_the_extension_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["--no-config", "grade", str(PLANT), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert "--format csv contradicts the output file" in result.output
    wrong = runner.invoke(
        app, ["--no-config", "validate", str(PLANT), "-o", str(tmp_path / "v.xlsx")]
    )
    assert wrong.exit_code == 2 and "validate cannot write .xlsx files" in wrong.output
    unknown = runner.invoke(
        app, ["--no-config", "grade", str(PLANT), "-o", str(tmp_path / "notes.dat")]
    )
    assert unknown.exit_code == 0  # an extension of no format: the default, as text
    assert "冀东" in (tmp_path / "notes.dat").read_text(encoding="utf-8")


def test_the_registry_is_what_the_options_offer(runner: CliRunner) -> None:
    for command in ("grade", "validate"):
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        for name in formats_for(command):
            assert name in result.stdout
    assert from_extension("grade", "x.XLSX") == "xlsx"
    assert from_extension("validate", "x.txt") == "text"
    assert all(f.binary is (f.name == "xlsx") for f in FORMATS.values())


@pytest.mark.parametrize(
    "text",
    [
        '[tool.benchmark]\nformat = "json"\n',  # the README's block, copied into benchmark.toml
        'format = "json"\n',  # bare keys
    ],
)
def test_benchmark_toml_takes_both_spellings_and_is_found_upwards(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "benchmark.toml").write_text(text, encoding="utf-8")
    below = tmp_path / "data" / "2025"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    result = CliRunner().invoke(app, ["grade", str(PLANT)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema_version"] == 1


def test_the_nearest_configuration_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "benchmark.toml").write_text('format = "json"\n', encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.benchmark]\nformat = "markdown"\n', encoding="utf-8"
    )
    monkeypatch.chdir(inner)
    result = CliRunner().invoke(app, ["grade", str(PLANT)])
    assert result.stdout.startswith("# ")
    ignored = CliRunner().invoke(app, ["--no-config", "grade", str(PLANT)])
    assert not ignored.stdout.startswith("# ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('format = "pdf"\n', "unknown format 'pdf'"),
        ('colour = "red"\n', "Extra inputs are not permitted"),
        ('format = "json"\n[tool.benchmark]\nstrict = true\n', "keep one"),
        ("format = \n", "not valid TOML"),
    ],
)
def test_a_bad_configuration_exits_2(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "benchmark.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["grade", str(PLANT)])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split()), result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["catalogue"],
        ["catalogue", "show", "转炉"],
        ["explain"],
        ["explain", "E104"],
        ["schema"],
    ],
)
def test_light_commands_load_no_pandas(args: list[str], tmp_path: Path) -> None:
    """The commands that read no data start without numpy, pandas, pyarrow or fastexcel."""
    code = (
        "import sys\nfrom benchmark.cli import app\n"
        f"try:\n    app({args!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('numpy', 'pandas', 'pyarrow', 'fastexcel', 'openpyxl')\n"
        "         if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert "HEAVY []" in proc.stderr, proc.stderr

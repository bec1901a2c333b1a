"""The README's commands work on a fresh checkout and print what the README shows."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, benchmark_script

README = ROOT / "README.md"


def console_blocks() -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of a console block, with the output lines shown under it."""
    text = README.read_text(encoding="utf-8")
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        in_block: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                in_block.append((line[2:].strip(), []))
            elif in_block and line.strip():
                in_block[-1][1].append(line.rstrip())
        found.extend(in_block)
    return found


COMMANDS = [c for c in console_blocks() if c[0].startswith("benchmark ")]


def test_readme_has_the_quick_start() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    lines = [line for line in quick.strip().splitlines() if line.strip()]
    assert len(lines) == 2
    assert "benchmark grade examples/plant.xlsx" in lines[0]
    assert lines[1] == "python -m pytest"
    assert "python -m pytest" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize(("command", "shown"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_readme_command(command: str, shown: list[str], tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    argv = shlex.split(command)
    argv[0] = benchmark_script()
    proc = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "160", "LANG": "C.UTF-8"},
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    # The shipped lists hold seeded bad rows: commands reading them exit 1, as documented.
    reads_bad_rows = any(
        name in f"{command} " for name in ("errors", "industry_list", "examples/ ")
    )
    expected_exit = 1 if reads_bad_rows or "--fail-on" in command else 0
    assert proc.returncode == expected_exit, (proc.stdout[-2000:], proc.stderr[-2000:])
    for line in shown:
        if line.strip() in ("…", "..."):
            continue
        assert line.strip() in proc.stdout, f"README shows {line!r}, output lacks it"


def test_bad_input_table_uses_real_codes_and_covers_the_file_checks() -> None:
    from benchmark.problems import CHECKS

    text = README.read_text(encoding="utf-8")
    table = text.split("## What bad input gets", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    cells = [line.split("|")[2] for line in rows[1:]]
    codes = {c for cell in cells for c in re.findall(r"\b[EW]\d{3}\b", cell)}
    assert codes <= set(CHECKS)
    assert {"E001", "E004"} <= codes
    assert len(rows) > 20


def test_problem_code_table_lists_every_code() -> None:
    from benchmark.problems import CHECKS

    text = README.read_text(encoding="utf-8")
    table = text.split("## Problem codes", 1)[1].split("\n## ", 1)[0]
    listed = {
        line.split("|")[1].strip()
        for line in table.splitlines()
        if line.startswith("| ") and "---" not in line
    } - {"code"}
    assert listed == set(CHECKS)
    for code, check in CHECKS.items():
        assert f"| {code} | {check.severity} |" in table

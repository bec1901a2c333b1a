"""The command line's run: problems said on standard error as rich would say them, the
garbage collector paused only while the command line starts."""

from __future__ import annotations

import gc
import io
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from benchmark.cli import _runner
from benchmark.i18n import Msg
from benchmark.problems import Problem, problem
from benchmark.report.text import problem_lines

from .conftest import WriteXlsx

#: Text rich changes (tabs expanded, control characters dropped) or might: markup, wide and
#: combining characters, an escape, a line break.
AWKWARD = [
    "\t",
    "a\tb",
    "\x07",
    "\r",
    "\x0b",
    "\x1b[31m",
    "[bold]x[/]",
    "中文",
    "e\u0301",
    "😀",
    "\n",
]


def rich_text(problems: list[Problem]) -> str:
    """What a rich console that is no terminal prints for the problems."""
    out = io.StringIO()
    console = Console(file=out)
    for line in problem_lines(problems):
        console.print(line, soft_wrap=True)
    return out.getvalue()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text() | st.sampled_from(AWKWARD), min_size=1, max_size=8))
def test_problems_on_a_pipe_are_what_rich_prints(messages: list[str]) -> None:
    problems = [
        problem(
            "E104",
            "a\tfile.xlsx" if i % 3 == 0 else "plants.xlsx",
            Msg("{text}", text=m),
            sheet="表",
            row=i + 2,
        )
        for i, m in enumerate(messages)
    ]
    err = io.StringIO()
    real = sys.stderr
    sys.stderr = err
    try:
        _runner.say_problems(problem_lines(problems))
    finally:
        sys.stderr = real
    assert err.getvalue() == rich_text(problems)


def test_a_csv_run_says_its_problems_on_standard_error(
    write_xlsx: WriteXlsx, tmp_path: Path
) -> None:
    """The real command line, standard error a pipe: one line per problem, in sheet order."""
    path = write_xlsx(
        [
            ["甲水泥", "1#", "水泥熟料", None, "abc"],
            ["乙水泥", "1#", "不存在", None, 100],
            ["丙水泥", "1#", "水泥熟料", None, 98.5],
        ]
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmark.cli",
            "--no-config",
            "--lang",
            "en",
            "grade",
            str(path),
            "-f",
            "csv",
            "-o",
            str(tmp_path / "out.csv"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert [line.split(": ")[1][:4] for line in lines] == ["E104", "E102"]
    assert lines[0].endswith('"abc" is not a number') and ":Sheet1!E2" in lines[0]


def test_the_collector_is_paused_only_by_the_command_line() -> None:
    """Paused, it comes back on before data is read, with the start-up's objects frozen;
    without a pause, resuming changes nothing."""
    assert gc.isenabled()
    _runner.resume_collection()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    try:
        _runner.pause_collection()
        assert not gc.isenabled()
        _runner.resume_collection()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()

"""The command line in the user's language, as a real process starts it: the language from the
locale (``LANG=zh_CN.UTF-8``) or ``--lang``, help texts included — typer makes them when the
application is built, before any option is parsed — while machine formats stay English."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from .conftest import ROOT, benchmark_script, english_environment

EXAMPLE = str(ROOT / "examples" / "plants_with_errors.xlsx")
CHINESE = re.compile("[\u4e00-\u9fff]")


def run(*args: str, lang: str = "C.UTF-8", columns: int = 200) -> subprocess.CompletedProcess[str]:
    """The installed command with ``LANG=lang`` (every other locale variable cleared)."""
    env = dict(os.environ)
    english_environment(env)
    env["LANG"] = lang
    env["COLUMNS"] = str(columns)
    return subprocess.run(
        [benchmark_script(), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def _chinese_lines(text: str) -> int:
    return sum(bool(CHINESE.search(line)) for line in text.splitlines())


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        (("--help",), "zh_CN.UTF-8"),
        (("--lang", "zh", "--help"), "C.UTF-8"),
        (("--lang=zh", "grade", "--help"), "en_US.UTF-8"),
        (("grade", "--help"), "zh_CN.UTF-8"),
    ],
)
def test_help_is_chinese_in_a_chinese_locale_or_with_lang_zh(
    args: tuple[str, ...], lang: str
) -> None:
    done = run(*args, lang=lang)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "选项" in out and "显示本帮助并退出。" in out
    if "grade" in args:
        assert "对每个有效行评级：档次、差距、得分、节能量" in out
        assert "有任何行达到或差于此档次时，退出码为 1。" in out
    else:
        assert (
            "命令" in out and "对照《高耗能行业重点领域能效标杆水平和基准水平（2021年版）》" in out
        )
        assert "检查输入文件，并在所在单元格处报告每个问题。" in out
    assert "Show this message" not in out and "Options" not in out
    narrow = run(*args, lang=lang, columns=60).stdout
    assert "…" not in narrow  # Chinese folded in narrow columns, never cut short


@pytest.mark.parametrize("args", [("--lang", "en", "--help"), ("--lang", "en", "grade", "--help")])
def test_help_is_english_with_lang_en_whatever_the_locale(args: tuple[str, ...]) -> None:
    done = run(*args, lang="zh_CN.UTF-8")
    assert done.returncode == 0, done.stderr
    assert "Options" in done.stdout and "Show this message and exit." in done.stdout
    assert "选项" not in done.stdout and "显示本帮助" not in done.stdout


def test_validate_speaks_the_users_language() -> None:
    zh = run("validate", EXAMPLE, lang="zh_CN.UTF-8")
    en = run("--lang", "en", "validate", EXAMPLE, lang="zh_CN.UTF-8")
    assert zh.returncode == en.returncode == 1
    assert 'Sheet1!E7: E104 单位产品能耗 "12,o5" 不是数字' in zh.stdout
    assert (
        'Sheet1!C6: E102 领域 "水泥熟科" 不是已知领域；是否指 cement_clinker（水泥熟料）？'
        in zh.stdout
    )
    assert "Sheet1!F11: E107 单位 'kWh/t' 计量的是电量，而该指标（kgce/t）计量的是能量" in zh.stdout
    assert 'Sheet1!E7: E104 单位产品能耗 "12,o5" is not a number' in en.stdout
    assert "did you mean 'cement_clinker'?" in en.stdout
    problems = [line for line in zh.stdout.splitlines() if re.search(r"!\w+\d+: [EW]\d{3} ", line)]
    assert len(problems) == 12
    assert not [p for p in problems if re.search(" is |did you mean|duplicate|measures", p)]
    english = [line for line in en.stdout.splitlines() if re.search(r"!\w+\d+: [EW]\d{3} ", line)]
    assert len(english) == 12
    # the Chinese in English lines is the workbook's own (headers and cell text)
    assert all(re.search(" is |duplicate of| measures ", line) for line in english)


def test_machine_formats_are_the_same_bytes_in_both_languages() -> None:
    zh = run("validate", EXAMPLE, "--format", "json", lang="zh_CN.UTF-8")
    en = run("validate", EXAMPLE, "--format", "json", lang="C.UTF-8")
    assert zh.returncode == en.returncode == 1
    assert zh.stdout == en.stdout
    messages = {p["code"]: p["message"] for p in json.loads(en.stdout)["problems"]}
    assert messages["E104"] == '单位产品能耗 "12,o5" is not a number'
    assert (
        messages["E102"] == "领域 \"水泥熟科\" is not a known area; did you mean 'cement_clinker'?"
    )


def test_explain_in_both_languages() -> None:
    zh = run("explain", "E104", lang="zh_CN.UTF-8")
    en = run("explain", "E104", lang="C.UTF-8")
    assert zh.returncode == en.returncode == 0
    assert zh.stdout.startswith(
        "E104（错误）：不是数字\n\n数值单元格（单位产品能耗、产量、产能、年份）"
    )
    assert en.stdout.startswith("E104 (error): not a number\n\nA numeric cell (value, output,")
    listed = run("--lang", "zh", "explain").stdout.splitlines()
    assert len(listed) == 17 and all(CHINESE.search(line) for line in listed)
    assert listed[0].split() == ["E001", "错误", "文件无法读取"]


def test_errors_on_standard_error_in_both_languages() -> None:
    zh = run("--lang", "zh", "grade", "nope.xlsx")
    en = run("--lang", "en", "grade", "nope.xlsx", lang="zh_CN.UTF-8")
    assert zh.returncode == en.returncode == 2
    assert zh.stdout == en.stdout == ""
    assert zh.stderr.strip() == "错误：nope.xlsx：文件不存在"
    assert en.stderr.strip() == "error: nope.xlsx: no such file"
    usage = run("--lang", "zh", "grade", EXAMPLE, "--format", "nope")
    assert usage.returncode == 2 and "错误" in usage.stderr and "运行" in usage.stderr

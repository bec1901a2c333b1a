"""The user's language: gettext catalogues complete and compiled, the language chosen as the
user expects, and machine formats that never change with it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from benchmark import i18n
from benchmark.i18n import Msg, language_from_locale

from .conftest import ROOT

LOCALE = ROOT / "src" / "benchmark" / "locale"
KEYWORDS = {"_": None, "N_": None, "Msg": None, "ngettext": (1, 2)}


def _po(lang: str) -> object:
    with (LOCALE / lang / "LC_MESSAGES" / "benchmark.po").open("rb") as fh:
        return read_po(fh)


def marked_messages() -> set[str]:
    """Every message the source marks for translation, as pybabel extract finds them."""
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "src" / "benchmark"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_marked_message_has_a_chinese_translation() -> None:
    catalogue = _po("zh")
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalogue if m.id}  # type: ignore[attr-defined]
    missing = sorted(m for m in marked_messages() if not translated.get(m))
    assert missing == [], f"{len(missing)} message(s) without a zh translation: {missing[:10]}"


def test_the_compiled_catalogue_is_the_po_file() -> None:
    """``pybabel compile`` was run after the last change of the .po file."""
    po = {m.id: m.string for m in _po("zh") if m.id}  # type: ignore[attr-defined]
    with (LOCALE / "zh" / "LC_MESSAGES" / "benchmark.mo").open("rb") as fh:
        mo = {m.id: m.string for m in read_mo(fh) if m.id}
    assert mo == {k: v for k, v in po.items() if v}


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.GB18030", "LANG": "en_US.UTF-8"}, "zh"),
        ({}, "en"),
        ({"LANGUAGE": "en:zh", "LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_the_language_follows_the_locale(environ: dict[str, str], lang: str) -> None:
    assert language_from_locale(environ) == lang


def test_a_message_kept_for_later_is_english_until_said() -> None:
    message = Msg("{header} is blank", header="企业名称")
    assert str(message) == "企业名称 is blank"
    previous = i18n.current()
    try:
        i18n.use("zh")
        assert message.say("en") == "企业名称 is blank"
    finally:
        i18n.use(previous)
    with pytest.raises(ValueError, match="unknown language"):
        i18n.use("fr")  # type: ignore[arg-type]


def test_the_pot_template_is_up_to_date(tmp_path: Path) -> None:
    """The template lists what the source marks (run the extraction in babel.cfg)."""
    with (LOCALE / "benchmark.pot").open("rb") as fh:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}  # type: ignore[attr-defined]
    assert template == marked_messages()
    assert io  # the catalogues are read as bytes, as gettext reads them


def _fields(text: str) -> list[tuple[str, str]]:
    """The values a template names, with their format specs, in order of appearance."""
    import string

    return sorted(
        (name, spec or "")
        for _literal, name, spec, _conversion in string.Formatter().parse(text)
        if name is not None
    )


#: A value that a Chinese template may name beyond its English one: the Chinese name of the
#: area an English message gives by its id (cement_clinker → cement_clinker（水泥熟料）).
AREA_NAME = ("area_name", "")


def test_every_translation_names_the_values_of_its_message() -> None:
    """A translation that dropped a value would lose a figure, a cell text or a unit; one that
    named a value its message does not give would fail when said. Every value is kept, with
    its format, and the only one added is an area's Chinese name beside its id."""
    wrong = []
    for m in _po("zh"):  # type: ignore[attr-defined]
        if not m.id or not m.string:
            continue
        english, chinese = _fields(m.id), _fields(m.string)
        extra = [f for f in chinese if f not in english]
        allowed = [AREA_NAME] if ("area", "") in english else []
        if sorted(f for f in chinese if f not in extra) != english or any(
            f not in allowed for f in extra
        ):
            wrong.append((m.id, m.string))
    assert wrong == []


def test_every_check_of_the_registry_has_a_chinese_title_and_explanation() -> None:
    from benchmark.problems import CHECKS, SEVERITY_WORDS

    for check in CHECKS.values():
        for text in (check.title, check.explanation, SEVERITY_WORDS[check.severity]):
            said = i18n.in_language("zh", text)
            assert said != text and _has_chinese(said), (check.code, text)
    # the codes, options and file names a reader acts on stay as they are
    assert "--strict" in i18n.in_language("zh", CHECKS["W201"].explanation)
    assert "`benchmark catalogue`" in i18n.in_language("zh", CHECKS["E102"].explanation)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["--lang", "zh", "grade", "x.xlsx"], "zh"),
        (["--lang=en", "--help"], "en"),
        (["grade", "--help"], None),
        (["--lang"], None),  # the value is missing: the parser says so
        (["--lang", "fr"], None),  # not a language: the parser refuses it
        (["grade", "--", "--lang", "zh"], None),  # after --, a file name
    ],
)
def test_the_language_a_command_line_asks_for(argv: list[str], lang: str | None) -> None:
    assert i18n.language_from_argv(argv) == lang


def test_a_list_is_said_in_the_readers_language() -> None:
    items = i18n.joined([Msg("{count} total", count=2), "x"])
    message = Msg("{count} row(s) skipped, not plant lines: {kinds}", count=3, kinds=items)
    assert str(message) == "3 row(s) skipped, not plant lines: 2 total, x"
    assert message.say("zh") == "跳过 3 行（不是生产线数据）：2 个合计行、x"
    options = i18n.joined(["a", "b"], i18n.ALTERNATIVES)
    assert (options.say("en"), options.say("zh")) == ("a or b", "a 或 b")
    assert str(i18n.joined([])) == ""


def test_a_translation_that_cannot_be_said_falls_back_to_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A catalogue edited by hand (a value renamed) must not turn a problem into a
    traceback: the message is said in English instead."""
    import gettext

    class Broken(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "{header} 为空 {renamed}"

    monkeypatch.setitem(i18n._catalogues, "zh", Broken())
    assert Msg("{header} is blank", header="企业名称").say("zh") == "企业名称 is blank"

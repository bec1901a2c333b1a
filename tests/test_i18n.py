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

"""The user's language: Chinese or English, through standard gettext catalogues.

Messages are written in English in the code and marked for translation: :func:`_` for text
said at once (an error on standard error, a report heading), :class:`Msg` for text kept and
said later (a problem's message, rendered in the language of the report that shows it, and in
English in every machine format, so that CI and scripts never see it change). The
translations live in ``benchmark/locale/<lang>/LC_MESSAGES/benchmark.po``, compiled to ``.mo``
(``pybabel compile``, checked by a test); extraction is ``pybabel extract`` with the
configuration in ``babel.cfg``.

The language is ``--lang``, else ``lang`` in the configuration, else the locale
(``LANG=zh_CN.UTF-8`` → zh), else English. Standard library only.

Conventions, checked by ``tests/test_i18n.py``: a template names its values
(``Msg("{header} {text} is not a number", header=…, text=…)``), and its translation names the
same ones — numbers, units, cell text and codes are values, never translated; the one value a
Chinese template may add is ``area_name``, the Chinese name given beside an area's id. A list
is :func:`joined`, so that its separator is said in the reader's language too. Catalogues are
changed only with the commands in ``babel.cfg``.
"""

from __future__ import annotations

import contextlib
import gettext
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DOMAIN = "benchmark"
#: Environment variables that name the user's locale, in the order gettext reads them.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_current: Language = "en"
_catalogues: dict[Language, gettext.NullTranslations] = {}


def language_from_locale(environ: Mapping[str, str] | None = None) -> Language:
    """zh when the locale is Chinese (``zh_CN.UTF-8``, ``zh_TW``, ``zh``), else en."""
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            first = value.split(":")[0].lower()
            return "zh" if first.startswith("zh") else "en"
    return "en"


def language_from_argv(argv: Sequence[str]) -> Language | None:
    """The language ``--lang zh`` or ``--lang=en`` names on a command line, if any.

    The command line's help texts are made when its application is built, before any option
    is parsed: this lets it be built in the language asked for. Arguments after ``--`` are
    file names, never options; an unknown language is left to the parser to refuse.
    """
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGUAGES:
            return value  # type: ignore[return-value]
    return None


def catalogue(lang: Language) -> gettext.NullTranslations:
    """The compiled translations of a language (none needed for English)."""
    found = _catalogues.get(lang)
    if found is None:
        found = gettext.NullTranslations()
        if lang != "en":
            path = resources.files("benchmark") / "locale" / lang / "LC_MESSAGES" / "benchmark.mo"
            if path.is_file():
                with path.open("rb") as fh:
                    found = gettext.GNUTranslations(fh)
        _catalogues[lang] = found
    return found


def use(lang: Language) -> None:
    """Make ``lang`` the language of what is said from now on."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
    global _current
    _current = lang


def current() -> Language:
    """The language in use."""
    return _current


@contextlib.contextmanager
def speaking(lang: Language | None) -> Iterator[None]:
    """Say everything in ``lang`` within the block (None: the language in use), then go back
    to the language before: a Python caller's ``render(report, "html", lang="zh")`` leaves
    the rest of its program as it was."""
    if lang is None:
        yield
        return
    before = _current
    use(lang)
    try:
        yield
    finally:
        use(before)


def _(message: str) -> str:
    """``message`` in the language in use."""
    return catalogue(_current).gettext(message)


def N_(message: str) -> str:
    """Mark text for translation where it is defined, to be said later with :func:`_` (the
    problem registry's titles, a table's headings)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, in the language in use."""
    return catalogue(_current).ngettext(singular, plural, n)


def in_language(lang: Language, message: str) -> str:
    """``message`` in ``lang``, whatever the language in use."""
    return catalogue(lang).gettext(message)


@dataclass(frozen=True)
class Msg:
    """A message kept to be said later: an English template and its values.

    ``str()`` gives the English text (what machine formats carry); :meth:`say` gives it in a
    language. A value may itself be a :class:`Msg` (a reason within a message), translated
    with it.
    """

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, template: str, /, **params: Any) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "params", params)

    def say(self, lang: Language | None = None) -> str:
        """The message in ``lang`` (default: the language in use)."""
        chosen = lang or _current
        values = {k: v.say(chosen) if isinstance(v, Msg) else v for k, v in self.params.items()}
        try:
            return in_language(chosen, self.template).format(**values)
        except (KeyError, IndexError, ValueError):  # a translation naming a value not given
            return self.template.format(**values)

    def __str__(self) -> str:
        return self.say("en")

    def __hash__(self) -> int:
        return hash((self.template, tuple(sorted((k, str(v)) for k, v in self.params.items()))))


#: How items of a list are separated, and alternatives offered (marked: said in the
#: reader's language, as "、" and " 或 " in Chinese).
LIST_SEPARATOR = N_(", ")
CLAUSE_SEPARATOR = N_("; ")
ALTERNATIVES = N_(" or ")


def joined(items: Iterable[str | Msg], separator: str = LIST_SEPARATOR) -> Msg:
    """Items said one after another, each and the separator in the reader's language.

    Built as a :class:`Msg` whose template is only placeholders (no catalogue entry, so it
    is the same in every language), so that a list of kept messages stays one value of
    another message.
    """
    params: dict[str, str | Msg] = {"separator": Msg(separator)}
    names = []
    for i, item in enumerate(items):
        params[f"item{i}"] = item
        names.append(f"{{item{i}}}")
    template = "{separator}".join(names)
    return Msg(template, **params)


def say(text: str | Msg, lang: Language | None = None) -> str:
    """Text as it is, or a :class:`Msg` (or :class:`Said`) in ``lang`` (default: the
    language in use)."""
    return text.say(lang) if isinstance(text, Msg | Said) else text


class Said(str):
    """English text that keeps the :class:`Msg` it was said from.

    It is a plain ``str`` wherever text is expected — a typed result's ``text`` field, the
    JSON contract, machine formats, ``==`` — so a sentence kept in a result (a summary's
    scope, a deadline) needs no second field and changes no contract; :func:`say` (or
    :meth:`say`) renders it in the reader's language. Copies and pickles keep the message.
    """

    msg: Msg

    def __new__(cls, msg: Msg) -> Said:
        made = super().__new__(cls, str(msg))
        made.msg = msg
        return made

    def __getnewargs__(self) -> tuple[Msg]:  # type: ignore[override]
        return (self.msg,)

    def say(self, lang: Language | None = None) -> str:
        """The text in ``lang`` (default: the language in use)."""
        return self.msg.say(lang)

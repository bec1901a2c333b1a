"""Header cells matched to input fields, with the unit and the year a header states:
``2025年产量（万吨）`` is the output, in 万吨, for 2025; ``单位产品综合能耗（kgce/t）`` the value,
in kgce/t.

Standard library only, like :mod:`benchmark.fields`: the template and the configuration use it
without loading numpy or pandas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from benchmark.fields import FIELD_ALIASES, REQUIRED_FIELDS

__all__ = ["HeaderMatch", "HeaderMatcher", "HeaderParts", "header_key", "split_header"]


@dataclass(frozen=True)
class HeaderParts:
    """A header cell taken apart: ``2025年产量（万吨）`` is 产量, in 万吨, for 2025.

    ``unit`` is the bracket text as written (stripped, not normalised); the caller decides
    whether it is an indicator unit (kgce/t), a quantity unit (万吨) or a translation
    (``企业名称（enterprise）``).
    """

    name: str
    unit: str | None
    year: int | None


_OPENERS = "(（[【"
_CLOSERS = ")）]】"
_DIGIT = "[0-9０-９]"
_SEP = "[\\s,，;；、:：]"
#: A year written with 年 (``2025年``, ``2025 年度``; not 2021年版, an edition) or bare
#: (19xx/20xx) when set apart.
_YEAR = (
    f"(?:(?P<y1>{_DIGIT}{{4}})\\s*年度?(?!版)|(?P<y2>(?:19|20|１９|２０){_DIGIT}{{2}})(?={_SEP}|$))"
)
_LEADING_YEAR = re.compile(f"^{_YEAR}{_SEP}*")
_TRAILING_YEAR = re.compile(
    f"(?<!{_DIGIT})(?:(?P<y1>{_DIGIT}{{4}})\\s*年度?|(?:(?<={_SEP})|^)"
    f"(?P<y2>(?:19|20|１９|２０){_DIGIT}{{2}}))\\s*$"
)


def split_header(text: str) -> HeaderParts:
    """Split a header into its name, its bracketed unit and the year it states.

    Supported: a unit in the last bracket group, any of ``( )``, ``（ ）``, ``[ ]``, ``【 】``
    (mixed pairs and nested brackets too: ``能耗（kgoe/(t·EF)）``); a year leading the name
    (``2025年产量``, ``2025年度产量``, ``2025 output``), ending it (``产量2025年``) or in the
    brackets, alone or beside the unit (``产量（2025年，万吨）``, ``产量（万吨）（2025）``). A bare
    year (no 年) counts only when it is 19xx/20xx and set apart by a space, comma or bracket.

    At most two trailing bracket groups are taken, and only one of them may be a unit: in
    ``产能（熟料）（万吨/年）`` the unit is 万吨/年 and ``产能（熟料）`` stays the name. When two
    different years appear, neither is taken and the header is returned unsplit: the column then
    matches no field rather than being read for the wrong year.
    """
    whole = str(text).strip()
    rest, unit, years = whole, None, []
    for _ in range(2):
        group = _last_group(rest)
        if group is None:
            break
        start, inner = group
        inner, year = _take_year(inner.strip())
        if inner and unit is not None:
            break
        rest = rest[:start].rstrip()
        years += [year] if year is not None else []
        unit = inner or unit
    name, year = _take_year(rest)
    years += [year] if year is not None else []
    if len(set(years)) > 1:
        return HeaderParts(whole, None, None)
    return HeaderParts(name, unit, years[0] if years else None)


def _last_group(text: str) -> tuple[int, str] | None:
    """Start and inner text of the bracket group that ends ``text``, nesting respected."""
    if not text or text[-1] not in _CLOSERS:
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] in _CLOSERS:
            depth += 1
        elif text[i] in _OPENERS:
            depth -= 1
            if depth == 0:
                return i, text[i + 1 : -1]
    return None


def _take_year(text: str) -> tuple[str, int | None]:
    """``text`` without a leading or trailing year, and that year."""
    for pattern in (_LEADING_YEAR, _TRAILING_YEAR):
        m = pattern.search(text)
        if m:
            digits = unicodedata.normalize("NFKC", m.group("y1") or m.group("y2"))
            rest = (text[: m.start()] + text[m.end() :]).strip()
            return re.sub(f"{_SEP}+$", "", rest).strip(), int(digits)
    return text, None


def _as_written(unit: str | None, text: str) -> str | None:
    """``unit`` (taken from the NFKC header) as the header writes it, when its brackets hold
    the same unit: NFKC turns ``10⁴t`` into ``104t``, which would then be no unit at all."""
    if unit is None:
        return None
    raw = split_header(text.strip()).unit
    if raw is not None and unicodedata.normalize("NFKC", raw) == unit:
        return raw
    return unit


# --- matching ----------------------------------------------------------------------------------

#: Ignored when matching headers: spaces, underscores, and invisible or control characters
#: (a right-to-left mark pasted along with a header must not hide it).
_HEADER_NOISE = re.compile(
    "[\\s_\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+"
)
#: Separators of a bilingual header, ``企业名称 / enterprise`` or two lines in one cell. The
#: slash needs spaces around it, so that a unit such as kgce/t is never split.
_BILINGUAL = re.compile(r"\s+/\s+|\s*\n\s*")


def header_key(text: str) -> str:
    """A header as compared: width, case, spaces and invisible characters don't matter."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class HeaderMatch:
    """The field a header names, the unit it states (raw text, None if none) and the year it
    states (None if none)."""

    field: str
    unit: str | None = None
    year: int | None = None


class HeaderMatcher:
    """Recognises header cells: the field, and a unit or year the header states.

    ``extra`` adds header names per field (the configuration's ``header-aliases``, the
    catalogue's indicator names).
    """

    def __init__(self, extra: Mapping[str, Iterable[str]] | None = None) -> None:
        self._keys: dict[str, str] = {}
        for name, aliases in FIELD_ALIASES.items():
            for alias in (*aliases, *(extra or {}).get(name, ())):
                self._keys.setdefault(header_key(alias), name)

    def field_of(self, text: str) -> str | None:
        """The field a header names exactly (no unit, no year), if any."""
        return self._keys.get(header_key(text))

    def find(self, text: str | None) -> HeaderMatch | None:
        """What a header cell names, if it names a known field."""
        if text is None or not str(text).strip():
            return None
        norm = unicodedata.normalize("NFKC", str(text)).strip()
        hit = self._keys.get(header_key(norm))
        if hit is not None:
            return HeaderMatch(hit)
        parts = split_header(norm)
        hit = self._keys.get(header_key(parts.name)) if parts.name else None
        if hit is not None:
            # 企业名称 (enterprise) is a translation, 能耗 (tce/t) a unit.
            unit = _as_written(parts.unit, str(text))
            if unit is not None and self._keys.get(header_key(unit)) == hit:
                unit = None
            return HeaderMatch(hit, unit, parts.year)
        return self._bilingual(norm)

    def _bilingual(self, norm: str) -> HeaderMatch | None:
        """``企业名称 / enterprise``, or two lines in one cell: one field in both halves."""
        pieces = [p for p in _BILINGUAL.split(norm) if p.strip()]
        if len(pieces) < 2:
            return None
        found = [m for m in map(self.find, pieces) if m is not None]
        if not found or len({m.field for m in found}) != 1 or len(found) < len(pieces) - 1:
            return None
        return HeaderMatch(
            found[0].field,
            next((m.unit for m in found if m.unit), None),
            next((m.year for m in found if m.year), None),
        )

    def match(self, text: str | None) -> tuple[str | None, str | None]:
        """The field a header names and the unit it states (None, None if no field)."""
        found = self.find(text)
        return (None, None) if found is None else (found.field, found.unit)

    def score(self, cells: Iterable[str | None]) -> int:
        """Fields a row names; 0 unless it names a required one (a notes table is no header)."""
        fields = {m.field for m in map(self.find, cells) if m is not None}
        return len(fields) if fields & set(REQUIRED_FIELDS) else 0

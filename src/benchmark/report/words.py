"""The words of the reports for people, in the reader's language.

Column headings, tiers, level and deadline statuses, area and category names: every report
for people (terminal, Markdown, HTML, xlsx, statements, track, lists) takes them from here,
so that a tier or a column is called the same everywhere, and every word goes through
gettext (:mod:`benchmark.i18n`: English in the code, Chinese in ``locale/zh``). The machine
formats never come here: they keep the field names and ids of the contract.

Names replace ids as a reader knows them: ``水泥熟料`` for ``cement_clinker``,
``离子膜法液碱≥30%`` for ``membrane_liquid_30`` — looked up once per distinct value, never
per row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from benchmark.fields import TIERS
from benchmark.i18n import N_, Msg, _, current, joined, say
from benchmark.results import AreaSummary, GroupSummary

if TYPE_CHECKING:
    import pandas as pd

    from benchmark.catalogue import Area, Catalogue

#: Tiers as the catalogue names them (标杆 / 基准–标杆 / 低于基准), and a value to check.
TIER_WORDS: dict[str, str] = {
    "benchmark": N_("benchmark"),
    "between": N_("between"),
    "below_baseline": N_("below baseline"),
    "to_check": N_("to check"),
}
#: How far a level is checked (see the README's data caveat).
STATUS_WORDS: dict[str, str] = {
    "confirmed": N_("confirmed"),
    "corroborated": N_("corroborated"),
    "unverified": N_("unverified"),
}
#: A below-baseline row against its deadline (:func:`benchmark.deadlines.row_deadline_status`)
#: and a tracked line's (``met`` and ``unknown`` too).
DEADLINE_WORDS: dict[str, str] = {
    "missed": N_("missed"),
    "open": N_("open"),
    "passed": N_("passed"),
    "met": N_("met"),
    "unknown": N_("unknown"),
}
SEVERITY_WORDS: dict[str, str] = {"error": N_("error"), "warning": N_("warning")}
#: The two levels in a word (a chart's label: 标杆 100 kgce/t).
LEVEL_WORDS: dict[str, str] = {"benchmark": N_("benchmark"), "baseline": N_("baseline")}

#: Column headings of the results, by field (the contract's names stay in machine formats).
HEADINGS: dict[str, str] = {
    "file": N_("File"),
    "sheet": N_("Sheet"),
    "row": N_("Row"),
    "enterprise": N_("Enterprise"),
    "line": N_("Line"),
    "region": N_("Region"),
    "year": N_("Year"),
    "area": N_("Area"),
    "category": N_("Category"),
    "value": N_("Value"),
    "unit": N_("Unit"),
    "benchmark": N_("Benchmark level"),
    "baseline": N_("Baseline level"),
    "level_status": N_("Level status"),
    "tier": N_("Tier"),
    "gap_to_benchmark": N_("Gap to benchmark"),
    "gap_to_baseline": N_("Gap to baseline"),
    "gap_to_benchmark_pct": N_("Gap to benchmark (%)"),
    "gap_to_baseline_pct": N_("Gap to baseline (%)"),
    "score": N_("Score"),
    "output": N_("Output"),
    "capacity": N_("Capacity"),
    "saving_to_benchmark": N_("Saving to benchmark"),
    "saving_to_baseline": N_("Saving to baseline"),
    "saving_unit": N_("Saving unit"),
    "saving_to_benchmark_tce": N_("Saving (tce)"),
    "saving_to_baseline_tce": N_("Saving to baseline (tce)"),
    "deadline": N_("Deadline"),
    "deadline_status": N_("Deadline status"),
    "input_value": N_("Value as entered"),
    "input_unit": N_("Unit as entered"),
}

#: Titles of the documents for people.
GRADING_TITLE = N_("Energy-efficiency grading")
TRACK_TITLE = N_("Lines year on year")
STATEMENT_TITLE = N_("Statement of energy-efficiency performance")
#: The title of a summary, by what it groups.
SUMMARY_TITLES: dict[str, str] = {
    "area": N_("Summary by area"),
    "sector": N_("Summary by sector"),
    "region": N_("Summary by region"),
    "enterprise": N_("Summary by enterprise"),
    "year": N_("Summary by year"),
}
GROUP_HEADINGS: dict[str, str] = {"sector": N_("Sector")}


def summary_title(group_by: str) -> str:
    """``按领域汇总`` / ``Summary by area``."""
    return _(SUMMARY_TITLES.get(group_by, SUMMARY_TITLES["area"]))


def group_heading(group_by: str) -> str:
    """The heading of a summary's first column: what its groups are."""
    found = GROUP_HEADINGS.get(group_by)
    return _(found) if found is not None else heading(group_by)


def summary_headings(group_by: str) -> list[str]:
    """The headings of a summary table, as every report shows them: whether an area meets its
    target and its own ceiling below the baseline (in words, not only colours) and its
    national 2020 shares only when the groups are areas."""
    by_area = group_by == "area"
    return [
        group_heading(group_by),
        _("Rows"),
        *(tier_word(t) for t in TIERS),
        _("Share at benchmark"),
        _("2025 target"),
        *((_("Meets target"),) if by_area else ()),
        _("Share below baseline"),
        *((_("Ceiling below baseline"), _("Meets ceiling"), _("National 2020")) if by_area else ()),
        heading("saving_to_benchmark_tce"),
        _("Levels"),
    ]


def yes_no(value: bool | None) -> str | None:
    """是 / 否 (yes / no): a verdict in a word, so that it reads without colour (NO_COLOR, a
    pipe, a printout); None where there is nothing to judge."""
    return None if value is None else (_("yes") if value else _("no"))


def listed(items: Sequence[str]) -> str:
    """Items as a list in the reader's language (``a, b, c``; ``甲、乙、丙``)."""
    return say(joined(list(items), ", "))


def group_name(group: GroupSummary) -> str:
    """A summary group as a reader names it: an area by its name, any other by its value."""
    if isinstance(group, AreaSummary):
        return group.name_zh if zh() else group.name_en
    return group.group


def heading(field: str) -> str:
    """A column's heading in the reader's language; a passed-through input column keeps the
    name it had in the input."""
    found = HEADINGS.get(field)
    return _(found) if found is not None else field


def _word(words: dict[str, str], key: Any) -> str:
    if key is None or (isinstance(key, float) and math.isnan(key)):
        return "–"
    found = words.get(str(key))
    return _(found) if found is not None else str(key)


def tier_word(tier: Any) -> str:
    """标杆 / 基准–标杆 / 低于基准 / 待核实 (benchmark / between / below baseline / to check)."""
    return _word(TIER_WORDS, tier)


def status_word(status: Any) -> str:
    """已核实 / 佐证 / 未核实 (confirmed / corroborated / unverified)."""
    return _word(STATUS_WORDS, status)


def deadline_word(status: Any) -> str:
    """逾期 / 期限未到 / 期限已过 … (missed / open / passed …)."""
    return _word(DEADLINE_WORDS, status)


def severity_word(severity: Any) -> str:
    return _word(SEVERITY_WORDS, severity)


def level_word(level: str) -> str:
    """标杆 / 基准 (benchmark / baseline): a level in one word."""
    return _word(LEVEL_WORDS, level)


def zh() -> bool:
    """Whether the reader reads Chinese (names from the catalogue's ``name_zh``)."""
    return current() == "zh"


def catalogue_title(catalogue: Catalogue) -> str:
    """The catalogue's title in the reader's language."""
    return catalogue.title_zh if zh() else catalogue.title_en


def area_name(area: Area) -> str:
    """The area's name in the reader's language (水泥熟料 / Cement clinker)."""
    return area.name_zh if zh() else area.name_en


def area_title(area: Area) -> str:
    """``水泥熟料（kgce/t）`` / ``Cement clinker (kgce/t)``: an area and its unit."""
    unit = unit_label(area.unit)
    return f"{area.name_zh}（{unit}）" if zh() else f"{area.name_en} ({unit})"


#: Units of product the catalogue writes in English words (the same word its messages use).
_PRODUCT_UNITS: dict[str, str] = {"weight case": N_("weight case")}


def unit_label(unit: Any, chinese: bool | None = None) -> str:
    """A catalogue unit as the reader writes it: ``kgce/重量箱`` for ``kgce/weight case`` in
    Chinese (``chinese``: that language whatever the reader's, as the published lists are);
    a unit of symbols only (kgce/t) is the same in both."""
    text = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    for name, word in _PRODUCT_UNITS.items():
        if name in text and chinese is not False:
            text = text.replace(name, _(word) if chinese is None else Msg(word).say("zh"))
    return text


def category_name(area: Area, category: Any) -> str | None:
    """A category's name in the reader's language (离子膜法液碱≥30%); None for an area of one
    level; the id itself where the catalogue gives no name."""
    if category is None or (isinstance(category, float) and math.isnan(category)):
        return None
    try:
        level = area.level(str(category))
    except KeyError:
        return str(category)
    name = level.name_zh if zh() else level.name_en
    return name or level.category


def level_name(catalogue: Catalogue, area_id: Any, category: Any) -> str:
    """``烧碱 / 离子膜法液碱≥30%``: an area and its category, for a footnote or a heading."""
    try:
        area = catalogue.area(str(area_id))
    except KeyError:
        return str(area_id)
    name = category_name(area, category if isinstance(category, str) else None)
    return area_name(area) + (f" / {name}" if name else "")


def area_names(catalogue: Catalogue, areas: pd.Series) -> pd.Series:
    """A column of area ids as names, looked up once per distinct id (an id the catalogue
    lacks stays as it is)."""
    names = {}
    for area_id in areas.dropna().unique().tolist():
        try:
            names[area_id] = area_name(catalogue.area(str(area_id)))
        except KeyError:
            names[area_id] = str(area_id)
    return areas.map(names).astype("string")


def category_names(catalogue: Catalogue, areas: pd.Series, categories: pd.Series) -> pd.Series:
    """A column of category ids as names (each area's own), once per distinct pair."""
    import pandas as pd

    pairs = pd.DataFrame({"a": areas.astype("object"), "c": categories.astype("object")})
    distinct = pairs.dropna(subset=["c"]).drop_duplicates()
    lookup: dict[tuple[Any, Any], str | None] = {}
    for area_id, category in distinct.itertuples(index=False, name=None):
        try:
            lookup[(area_id, category)] = category_name(catalogue.area(str(area_id)), category)
        except KeyError:
            lookup[(area_id, category)] = str(category)
    if not lookup:
        return pd.Series(pd.NA, index=categories.index, dtype="string")
    keys = pd.MultiIndex.from_frame(pairs)
    names = pd.Series([*lookup.values(), None], dtype="object")
    at = pd.MultiIndex.from_tuples(list(lookup), names=["a", "c"]).get_indexer(keys)
    out = names.iloc[at].reset_index(drop=True)
    out.index = categories.index
    return out.astype("string")


def words_of(column: pd.Series, words: dict[str, str]) -> pd.Series:
    """A column of machine words (tiers, statuses) in the reader's language; missing stays
    missing."""
    said = {key: _(msgid) for key, msgid in words.items()}
    return column.map(said).astype("string").where(column.notna(), None)

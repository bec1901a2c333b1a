"""Renderers of the catalogue itself: rich tables, JSON (the contract), CSV and Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from benchmark.catalogue import Area, Catalogue, ReportedShare, SuccessorArea, catalogue_as_dict
from benchmark.i18n import N_, _
from benchmark.report import words
from benchmark.report.labels import STATUS_STYLES

COLUMNS = ("area", "category", "unit", "benchmark", "baseline", "standard", "status", "source")


def _rows(cat: Catalogue, sector: str | None, area_id: str | None = None) -> list[tuple[Area, Any]]:
    return [
        (a, lv)
        for a, lv in cat.iter_levels()
        if (sector is None or a.sector == sector) and (area_id is None or a.id == area_id)
    ]


def _flat(cat: Catalogue, sector: str | None, area_id: str | None) -> list[dict[str, Any]]:
    return [
        {
            "area": a.id,
            "area_zh": a.name_zh,
            "area_en": a.name_en,
            "sector": a.sector,
            "category": lv.category or "",
            "category_zh": lv.name_zh,
            "category_en": lv.name_en,
            "unit": a.unit,
            "benchmark": f"{lv.benchmark:g}",
            "baseline": f"{lv.baseline:g}",
            "standard": lv.standard,
            "status": lv.status,
            "source": lv.source,
            "note": lv.note,
        }
        for a, lv in _rows(cat, sector, area_id)
    ]


def as_json(cat: Catalogue, sector: str | None, area_id: str | None = None) -> str:
    doc = catalogue_as_dict(cat)
    doc["areas"] = [
        a
        for a in doc["areas"]
        if (sector is None or a["sector"] == sector) and (area_id is None or a["id"] == area_id)
    ]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def as_csv(cat: Catalogue, sector: str | None, area_id: str | None = None) -> str:
    rows = _flat(cat, sector, area_id)
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=list(rows[0]) if rows else ["area"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


#: Headings of the catalogue's human views.
VIEW_HEADINGS: dict[str, str] = {
    "area": N_("Area"),
    "category": N_("Category"),
    "unit": N_("Unit"),
    "benchmark": N_("Benchmark level"),
    "baseline": N_("Baseline level"),
    "standard": N_("Standard"),
    "status": N_("Level status"),
    "source": N_("Source"),
    "note": N_("Note"),
}


def _heading(name: str) -> str:
    return _(VIEW_HEADINGS[name])


def _area_label(area: Area) -> str:
    """``水泥熟料 cement_clinker``: the name in the reader's language, and the id to type."""
    return f"{words.area_name(area)} {area.id}"


def _level_label(area: Area, level: Any) -> str:
    name = words.category_name(area, level.category) or ""
    return f"{name} {level.category or ''}".strip()


def as_markdown(cat: Catalogue, sector: str | None, area_id: str | None = None) -> str:
    """The levels as a Markdown table, in the reader's language (ids beside the names)."""
    head = [_heading(c) for c in ("area", "category", "unit", "benchmark", "baseline")]
    head += [_heading("standard"), _heading("status")]
    lines = [
        f"{words.catalogue_title(cat)} — {cat.document}",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for area, lv in _rows(cat, sector, area_id):
        cells = [
            _area_label(area),
            _level_label(area, lv),
            words.unit_label(area.unit),
            f"{lv.benchmark:g}",
            f"{lv.baseline:g}",
            lv.standard,
            words.status_word(lv.status),
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[..., str]] = {"json": as_json, "csv": as_csv, "markdown": as_markdown}


def render_table(console: Console, cat: Catalogue, sector: str | None) -> None:
    title = _(
        "{title}\n{document}, in force {effective}; below-baseline capacity upgraded or "
        "retired by {deadline}"
    ).format(
        title=words.catalogue_title(cat),
        document=cat.document,
        effective=cat.effective,
        deadline=cat.deadline,
    )
    table = Table(title=title, title_justify="left")
    for name in COLUMNS:
        table.add_column(
            _heading(name),
            justify="right" if name in ("benchmark", "baseline") else "left",
            overflow="fold",
            no_wrap=name in ("benchmark", "baseline"),
        )
    last = None
    for area, lv in _rows(cat, sector):
        label = _area_label(area) if area.id != last else ""
        last = area.id
        table.add_row(
            Text(label),
            Text(_level_label(area, lv)),
            words.unit_label(area.unit),
            f"{lv.benchmark:g}",
            f"{lv.baseline:g}",
            lv.standard,
            Text(words.status_word(lv.status), style=STATUS_STYLES[lv.status]),
            Text(lv.source),
        )
    console.print(table)
    counts = {s: sum(1 for _a, lv in _rows(cat, sector) if lv.status == s) for s in STATUS_STYLES}
    console.print(
        Text(
            _(
                "{confirmed} confirmed, {corroborated} corroborated, {unverified} unverified "
                "level rows. corroborated: equal to grades of the national limit standard; "
                "unverified: transcribed without a second source."
            ).format(**counts),
            style="dim",
        )
    )


def share_text(share: ReportedShare | None) -> str:
    """A reported share as the official text states it: ``24%``, ``<5%``, or ``–``."""
    if share is None:
        return "–"
    return f"{'<' if share.under else ''}{share.share * 100:g}%"


def below_baseline_target_text(area: Area) -> str:
    """The 2025 ceiling on below-baseline capacity, in words."""
    target = area.target_below_baseline
    if target is None:
        return _("no figure given")
    if target == 0:
        return _("none left (基本清零)")
    return _("under {share}").format(share=f"{target * 100:g}%")


def render_area(console: Console, cat: Catalogue, area: Area) -> None:
    console.print(Text(f"{area.name_zh} {area.name_en} ({area.id})", style="bold"))
    console.print(
        Text(
            _("sector: {sector}   unit: {unit}").format(
                sector=area.sector, unit=words.unit_label(area.unit)
            )
        )
    )
    console.print(
        Text(_("indicator: {zh} / {en}").format(zh=area.indicator_zh, en=area.indicator_en))
    )
    targets = _(
        "2025 targets: at least {share} of capacity at the benchmark level; below the "
        "baseline: {ceiling}"
    ).format(share=f"{cat.target_for(area) * 100:g}%", ceiling=below_baseline_target_text(area))
    console.print(Text(targets), soft_wrap=True)
    if area.national_2020 is not None:
        n = area.national_2020
        console.print(
            Text(
                _("national 2020: {at} at benchmark, {below} below baseline").format(
                    at=share_text(n.at_benchmark), below=share_text(n.below_baseline)
                )
            ),
            soft_wrap=True,
        )
    if area.target_source or area.target_note:
        console.print(
            Text(
                f"({area.target_source}{'; ' if area.target_note else ''}{area.target_note})",
                style="dim",
            ),
            soft_wrap=True,
        )
    if area.aliases:
        console.print(
            Text(_("aliases: {aliases}").format(aliases=", ".join(area.aliases))), soft_wrap=True
        )
    console.print(_levels_table(area))


def _levels_table(area: Area) -> Table:
    table = Table(show_lines=True)
    for name in ("category", "benchmark", "baseline", "standard", "status", "source", "note"):
        table.add_column(_heading(name), overflow="fold")
    for lv in area.levels:
        name = f"{lv.name_zh}\n{lv.name_en}\n{lv.category}" if lv.category else _("(single level)")
        if lv.aliases:
            name += "\n" + _("aliases: {aliases}").format(aliases=", ".join(lv.aliases))
        table.add_row(
            Text(name),
            f"{lv.benchmark:g}",
            f"{lv.baseline:g}",
            lv.standard,
            Text(words.status_word(lv.status), style=STATUS_STYLES[lv.status]),
            Text(lv.source),
            Text(lv.note),
        )
    return table


def successor_message(cat: Catalogue, new: SuccessorArea) -> str:
    """What to say of an area that only a later edition has (尿素 in the 2021 catalogue)."""
    from benchmark.i18n import _

    succ = cat.successor
    assert succ is not None
    due = (
        _(", with below-baseline capacity due by {date}").format(
            date=succ.new_areas_deadline.isoformat()
        )
        if succ.new_areas_deadline
        else ""
    )
    return _(
        "{name_zh} ({name_en}) is not in this catalogue ({edition} edition, {document}): it is "
        "one of the {count} areas that the {new_edition} edition ({new_document}) added{due}. "
        "That edition's levels are not shipped: supply a {new_edition} catalogue with "
        "--catalogue FILE."
    ).format(
        name_zh=new.name_zh,
        name_en=new.name_en,
        edition=cat.edition,
        document=cat.document,
        count=len(succ.new_areas),
        new_edition=succ.edition,
        new_document=succ.document,
        due=due,
    )

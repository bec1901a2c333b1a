"""Renderers of the catalogue itself: rich tables, JSON (the contract), CSV and Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from benchmark.catalogue import Area, Catalogue, ReportedShare, SuccessorArea, catalogue_as_dict
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


def as_markdown(cat: Catalogue, sector: str | None, area_id: str | None = None) -> str:
    head = ["area", "category", "unit", "benchmark 标杆", "baseline 基准", "standard", "status"]
    lines = [
        f"{cat.title_zh} — {cat.document}",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for r in _flat(cat, sector, area_id):
        cells = [
            f"{r['area_zh']} {r['area']}",
            f"{r['category_zh']} {r['category']}".strip(),
            r["unit"],
            r["benchmark"],
            r["baseline"],
            r["standard"],
            r["status"],
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[..., str]] = {"json": as_json, "csv": as_csv, "markdown": as_markdown}


def render_table(console: Console, cat: Catalogue, sector: str | None) -> None:
    table = Table(
        title=f"{cat.title_zh}\n{cat.document}, in force {cat.effective}; "
        f"below-baseline capacity upgraded or retired by {cat.deadline}",
        title_justify="left",
    )
    for name in COLUMNS:
        table.add_column(name, justify="right" if name in ("benchmark", "baseline") else "left")
    last = None
    for area, lv in _rows(cat, sector):
        label = f"{area.name_zh} {area.id}" if area.id != last else ""
        last = area.id
        table.add_row(
            escape(label),
            escape(f"{lv.name_zh} {lv.category or ''}".strip()),
            area.unit,
            f"{lv.benchmark:g}",
            f"{lv.baseline:g}",
            lv.standard,
            Text(lv.status, style=STATUS_STYLES[lv.status]),
            escape(lv.source),
        )
    console.print(table)
    counts = {s: sum(1 for _, lv in _rows(cat, sector) if lv.status == s) for s in STATUS_STYLES}
    console.print(
        Text(
            f"{counts['confirmed']} confirmed, {counts['corroborated']} corroborated, "
            f"{counts['unverified']} unverified level rows. corroborated: equal to grades of the "
            "national limit standard; unverified: transcribed without a second source.",
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
        return "no figure given"
    if target == 0:
        return "none left (基本清零)"
    return f"under {target * 100:g}%"


def render_area(console: Console, cat: Catalogue, area: Area) -> None:
    console.print(Text(f"{area.name_zh} {area.name_en} ({area.id})", style="bold"))
    console.print(f"sector: {area.sector}   unit: {area.unit}")
    console.print(f"indicator: {escape(area.indicator_zh)} / {escape(area.indicator_en)}")
    targets = (
        f"2025 targets: at least {cat.target_for(area) * 100:g}% of capacity at the "
        f"benchmark level; below the baseline: {below_baseline_target_text(area)}"
    )
    console.print(escape(targets), soft_wrap=True)
    if area.national_2020 is not None:
        n = area.national_2020
        console.print(
            f"national 2020: {share_text(n.at_benchmark)} at benchmark, "
            f"{share_text(n.below_baseline)} below baseline",
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
        console.print(f"aliases: {escape(', '.join(area.aliases))}", soft_wrap=True)
    table = Table(show_lines=True)
    for name in ("category", "benchmark", "baseline", "standard", "status", "source", "note"):
        table.add_column(name)
    for lv in area.levels:
        name = f"{lv.name_zh}\n{lv.name_en}\n{lv.category}" if lv.category else "(single level)"
        if lv.aliases:
            name += f"\naliases: {', '.join(lv.aliases)}"
        table.add_row(
            escape(name),
            f"{lv.benchmark:g}",
            f"{lv.baseline:g}",
            lv.standard,
            Text(lv.status, style=STATUS_STYLES[lv.status]),
            escape(lv.source),
            escape(lv.note),
        )
    console.print(table)


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

"""The frame of every printable page (grade, track, statements): the document, its style
sheet, and the running header that prints on every sheet of paper.

Chromium prints no ``@page`` margin boxes, so the running header is the head of a table that
holds the whole page: a table's ``thead`` repeats on every printed page (Chromium, Firefox),
and it takes its own room, so it never covers the text under it. On screen it is hidden, the
page's own header says the same. Text is escaped here (:func:`escape`); user data may hold
markup.
"""

from __future__ import annotations

import html
import math
from importlib import resources
from typing import TYPE_CHECKING, Any

from benchmark.i18n import _, current
from benchmark.report.labels import TIER_COLOURS
from benchmark.report.words import (
    category_name,
    heading,
    severity_word,
    status_word,
    tier_word,
    unit_label,
)

if TYPE_CHECKING:
    from benchmark.catalogue import Area, Catalogue
    from benchmark.problems import Problem
    from benchmark.report.model import Report

#: Problems listed; the rest are counted.
MAX_PROBLEM_ROWS = 2000

#: The page's style sheet, a file of the package (``report/static/report.css``); its print
#: rules (A4 landscape, tables within the width, charts whole) are in the same file.
CSS = resources.files("benchmark.report").joinpath("static/report.css").read_text(encoding="utf-8")


def escape(value: Any) -> str:
    """Escaped text of any value (None shows as an empty string)."""
    return "" if value is None else html.escape(str(value), quote=True)


def number(value: Any, digits: int = 2, sign: bool = False) -> str:
    """A number with thousands separators and no trailing zeros; a dash for none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "+0") else text


def document(title: str, running: str, body: list[str], extra_css: str = "") -> str:
    """A whole page: ``body`` inside the print frame whose head, ``running`` (the catalogue
    edition and the reporting date), repeats atop every printed page."""
    lang = "zh-CN" if current() == "zh" else "en"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{lang}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{CSS}{extra_css}</style>",
            "</head>",
            "<body>",
            '<table class="page"><thead><tr><td>',
            f'<div class="running">{escape(running)}</div>',
            "</td></tr></thead><tbody><tr><td><main>",
            *body,
            "</main></td></tr></tbody></table>",
            "</body>",
            "</html>",
            "",
        ]
    )


def running_header(catalogue: Catalogue, as_of: str) -> str:
    """What every printed page says on top: the catalogue, its edition, the reporting date."""
    return _("{document}, {edition} edition · Reporting date {date}").format(
        document=catalogue.document, edition=catalogue.edition, date=as_of
    )


def tier_badge(tier: str) -> str:
    return f'<span class="tier tier-{escape(tier)}">{escape(tier_word(tier))}</span>'


def status_badge(status: Any) -> str:
    """The level status; anything but confirmed is marked and points to the footnote."""
    if status == "confirmed":
        return f'<span class="status confirmed">{escape(status_word(status))}</span>'
    return (
        f'<span class="status unconfirmed {escape(status)}">{escape(status_word(status))}'
        '<sup><a href="#levels-note">*</a></sup></span>'
    )


def levels_line(area: Area, categories: set[Any]) -> str:
    """The levels the area's verdicts rest on, one chip per category used."""
    chips = []
    for lv in area.levels:
        if lv.category not in categories:
            continue
        name = f"{escape(category_name(area, lv.category))}: " if lv.category else ""
        unit = escape(unit_label(area.unit))
        chips.append(
            f'<span class="levels">{name}{escape(heading("benchmark"))} ≤ {number(lv.benchmark)}, '
            f"{escape(heading('baseline'))} ≤ {number(lv.baseline)} {unit} "
            f"({status_badge(lv.status)})</span>"
        )
    return f'<p class="levelline">{"".join(chips)}</p>'


def legend() -> str:
    dots = "".join(
        f'<span><i class="dot" style="background:{colour}"></i>{escape(tier_word(t))}</span>'
        for t, colour in TIER_COLOURS.items()
    )
    return (
        f'<div class="legend">{dots}<span><i class="dash bm"></i>{escape(heading("benchmark"))}'
        f'</span><span><i class="dash bl"></i>{escape(heading("baseline"))}</span></div>'
    )


def problems_section(report: Report) -> list[str]:
    """Every problem at its cell, its message in the reader's language."""
    problems = report.problems
    out = [
        '<section id="problems">',
        "<h2>" + escape(_("Problems")) + f" <small>{len(problems):,}</small></h2>",
    ]
    if not problems:
        none = escape(_("No problem found in the input."))
        out.append(f'<p class="note">{none}</p></section>')
        return out
    heads = (_("Location"), _("Code"), _("Severity"), _("Column"), _("Message"))
    out.append(
        '<div class="scroll"><table class="problems"><thead><tr>'
        + "".join(f"<th>{escape(h)}</th>" for h in heads)
        + "</tr></thead><tbody>"
    )
    for p in problems[:MAX_PROBLEM_ROWS]:
        out.append(
            f'<tr class="sev-{escape(p.severity)}"><td><code>{escape(p.location)}</code></td>'
            f"<td><code>{escape(p.code)}</code></td><td>{escape(severity_word(p.severity))}</td>"
            f"<td>{escape(p.header)}</td><td>{escape(p.say())}</td></tr>"
        )
    out.append("</tbody></table></div>")
    if len(problems) > MAX_PROBLEM_ROWS:
        out.append(
            '<p class="note">'
            + escape(
                _(
                    "{n} more problem(s) not listed; `benchmark validate --format json` lists "
                    "them all."
                ).format(n=f"{len(problems) - MAX_PROBLEM_ROWS:,}")
            )
            + "</p>"
        )
    out.append("</section>")
    return out


def notices_section(report: Report) -> list[str]:
    """Rows skipped, hidden sheets left out: what the run did that is no problem."""
    if not report.notices:
        return []
    items = "".join(
        f"<li><code>{escape(n.location)}</code> {escape(n.say())}</li>" for n in report.notices
    )
    title = escape(_("Notices"))
    return [f'<section id="notices"><h2>{title}</h2><ul>{items}</ul></section>']


def problems_list(problems: list[Problem]) -> list[str]:
    """The problems as a list (the track page's), each at its cell, in the reader's
    language."""
    if not problems:
        return []
    items = "".join(
        f"<li><code>{escape(p.location)}</code> {escape(p.code)} {escape(p.say())}</li>"
        for p in problems[:MAX_PROBLEM_ROWS]
    )
    return [
        '<section id="problems"><h2>' + escape(_("Problems")) + f" <small>{len(problems):,}"
        f"</small></h2><ul>{items}</ul></section>"
    ]

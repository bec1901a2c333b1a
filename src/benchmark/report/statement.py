"""A statement per enterprise: the auditor's deliverable, one print-ready page that an
enterprise receives and an official signs (like ENERGY STAR's Statement of Energy
Performance).

Each page holds the enterprise's graded lines — value, levels, tier, gaps, score, saving,
deadline status and a small chart of the value against the two levels — the catalogue it was
graded against (edition, document number, sha256, the source of every level used), the
reporting date, and room for a signature. :func:`statements` gives every page by the name of
its file: the enterprise's name made safe for any file system (:func:`file_names`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from benchmark._version import __version__
from benchmark.i18n import N_, _
from benchmark.report.html import running_header
from benchmark.report.labels import edition_note, status_note
from benchmark.report.model import Report, records
from benchmark.report.page import document, status_badge, tier_badge
from benchmark.report.page import escape as _e
from benchmark.report.page import number as _num
from benchmark.report.svg import gauge_svg
from benchmark.report.words import (
    STATEMENT_TITLE,
    area_title,
    catalogue_title,
    category_name,
    deadline_word,
    heading,
    level_name,
    unit_label,
)

if TYPE_CHECKING:
    import pandas as pd

    from benchmark.catalogue import Area, Catalogue

__all__ = ["file_names", "safe_name", "statements"]

#: The columns of a statement's table of lines, in order.
LINE_COLUMNS = (
    "line",
    "year",
    "category",
    "value",
    "benchmark",
    "baseline",
    "tier",
    "gap_to_benchmark",
    "gap_to_baseline",
    "score",
    "saving_to_benchmark_tce",
    "deadline_status",
)
#: What a statement reads of each row (its columns and the ones that place it).
ROW_FIELDS = (*LINE_COLUMNS, "area", "region", "level_status", "deadline", "gap_to_benchmark_pct")
#: The deadline of an enterprise's areas, as of the reporting date.
DEADLINE_STATES: dict[bool, str] = {
    False: N_("{deadline} (ahead as of the reporting date)"),
    True: N_("{deadline} (passed as of the reporting date)"),
}
#: Bytes a file name may take before ``.html``: file systems allow 255, and a suffix that
#: tells two colliding names apart needs room.
MAX_NAME_BYTES = 120
#: Characters Windows refuses in a file name, and the path separators of every system.
_RESERVED = re.compile(r'[<>:"/\\|?*]')
#: Device names Windows reserves whatever the extension (``CON.html`` cannot be created).
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in range(1, 10)}
)
STATEMENT_CSS = """
.statement h1{font-size:22px;margin-bottom:2px}.statement .who{font-size:26px;font-weight:700;
margin:6px 0 2px}.statement .where{color:var(--mute);margin:0 0 12px}
table.lines{width:100%;font-size:13px}table.lines td.chart{width:300px;padding:2px 4px}
svg.gauge{width:290px;height:auto;display:block}svg.gauge text{font-size:11px}
svg.gauge .val{font-weight:600}
table.sources{font-size:12px;margin-top:6px}table.sources td,table.sources th{padding:2px 8px}
.statement .signature{break-inside:avoid;page-break-inside:avoid}
@media print{.statement h1{font-size:15pt;margin:0}.statement .who{font-size:17pt;margin:1mm 0}
.statement .where{margin:0 0 2mm}.statement h2{font-size:11pt;margin:3mm 0 1mm;padding-bottom:1mm}
.statement table.meta th,.statement table.meta td{padding:0 3mm 0 0;font-size:8pt}
table.lines{font-size:8pt}table.lines td.chart{width:62mm}svg.gauge{width:60mm}
table.sources{font-size:7.5pt}.statement p.small{margin:1mm 0;font-size:7.5pt}
.statement .signature{margin-top:6mm}.statement .signature div{padding-top:8mm}}
"""


# --------------------------------------------------------------------------- file names


def safe_name(name: Any) -> str:
    """An enterprise's name as a file name any system accepts: no path separator, no control
    or invisible formatting character, none of Windows' reserved characters (``<>:"/\\|?*``,
    replaced by ``_``), no leading dot or trailing dot or space, not a reserved device name,
    at most :data:`MAX_NAME_BYTES` bytes of UTF-8 (cut at a character)."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    text = _RESERVED.sub("_", text)
    text = " ".join(text.split())  # one space between words, none at either end
    text = text.strip(". ")  # ". 0" loses its dot, then its space
    encoded = text.encode("utf-8")[:MAX_NAME_BYTES]
    text = encoded.decode("utf-8", errors="ignore").rstrip(". ")
    if not text:
        text = "enterprise"
    if text.split(".")[0].upper() in _DEVICES:
        text = f"_{text}"
    return text


def file_names(enterprises: Iterable[Any]) -> dict[Any, str]:
    """Each enterprise's file name (``name.html``), different for every enterprise even where
    their safe names collide — ``A/B`` and ``A_B``, or ``Abc`` and ``abc`` on a file system
    that ignores case: those get a short hash of their real name, so that a name does not
    depend on which other enterprises a run holds."""
    names = {e: safe_name(e) for e in enterprises}
    groups: dict[str, list[Any]] = {}
    for enterprise, safe in names.items():
        groups.setdefault(safe.casefold(), []).append(enterprise)
    out: dict[Any, str] = {}
    for members in groups.values():
        for enterprise in members:
            safe = names[enterprise]
            if len(members) > 1:
                digest = hashlib.sha256(str(enterprise).encode("utf-8")).hexdigest()[:8]
                safe = f"{safe}-{digest}"
            out[enterprise] = f"{safe}.html"
    return out


# --------------------------------------------------------------------------- the page


def _cell(name: str, row: dict[str, Any], area: Area) -> str:
    value = row.get(name)
    if name == "tier":
        return f"<td>{tier_badge(str(value))}</td>"
    if name == "category":
        return f"<td>{_e(category_name(area, value))}</td>"
    if name == "year":
        return f'<td class="num">{_e(value)}</td>'
    if name in ("benchmark", "baseline"):
        mark = "" if row.get("level_status") == "confirmed" else "*"
        return f'<td class="num">{_num(value)}{mark}</td>'
    if name == "gap_to_benchmark" and row.get("gap_to_benchmark_pct") is not None:
        pct = _num(row["gap_to_benchmark_pct"], 1, sign=True)
        return f'<td class="num">{_num(value, sign=True)}<br><small>{pct}%</small></td>'
    if name.startswith("gap"):
        return f'<td class="num">{_num(value, sign=True)}</td>'
    if name == "deadline_status":
        return f"<td>{_e(_deadline(row))}</td>"
    if name == "line":
        return f"<td>{_e(value)}</td>"
    return f'<td class="num">{_num(value, 1)}</td>'


def _deadline(row: dict[str, Any]) -> str:
    """``期限未到（2025-12-31）`` for a line below the baseline; a dash for any other."""
    status = row.get("deadline_status")
    if status is None:
        return "–"
    return f"{deadline_word(status)} ({row.get('deadline') or '–'})"


def _area_block(area: Area, rows: list[dict[str, Any]]) -> list[str]:
    """An area's lines: a row each, with its chart against the two levels."""
    head = "".join(
        f'<th class="{"" if c in ("line", "category", "tier", "deadline_status") else "num"}">'
        f"{_e(heading(c))}</th>"
        for c in LINE_COLUMNS
    )
    out = [
        f"<h2>{_e(area_title(area))}</h2>",
        '<table class="lines"><thead><tr>'
        + head
        + "<th>"
        + _e(_("Against the levels"))
        + "</th></tr></thead><tbody>",
    ]
    for row in rows:
        chart = gauge_svg(
            float(row["value"]),
            float(row["benchmark"]),
            float(row["baseline"]),
            unit_label(area.unit),
            str(row["tier"]),
        )
        cells = "".join(_cell(c, row, area) for c in LINE_COLUMNS)
        out.append(f'<tr class="tier-{_e(row["tier"])}">{cells}<td class="chart">{chart}</td></tr>')
    out.append("</tbody></table>")
    return out


def _sources(catalogue: Catalogue, rows: list[dict[str, Any]]) -> list[str]:
    """Every level the statement rests on, its status and the text it is quoted from."""
    used = {(r["area"], r.get("category")) for r in rows}
    lines = []
    for area, level in catalogue.iter_levels():
        if (area.id, level.category) not in used:
            continue
        lines.append(
            f"<tr><td>{_e(level_name(catalogue, area.id, level.category))}</td>"
            f'<td class="num">{_num(level.benchmark)}</td>'
            f'<td class="num">{_num(level.baseline)}</td><td>{_e(unit_label(area.unit))}</td>'
            f"<td>{status_badge(level.status)}</td><td>{_e(level.source)}</td></tr>"
        )
    heads = (
        heading("category"),
        heading("benchmark"),
        heading("baseline"),
        heading("unit"),
        heading("level_status"),
        _("Source"),
    )
    return [
        "<h2>" + _e(_("Levels applied")) + "</h2>",
        '<table class="sources"><thead><tr>'
        + "".join(f"<th>{_e(h)}</th>" for h in heads)
        + "</tr></thead><tbody>",
        *lines,
        "</tbody></table>",
    ]


def _deadlines(report: Report, areas: set[str]) -> str:
    """The upgrade-or-retire deadline of the enterprise's areas, passed or not as of the
    reporting date (each line's own standing is in its row)."""
    cat = report.catalogue
    days = sorted({cat.deadline_for(a) for a in cat.areas if a.id in areas} or {cat.deadline})
    return "; ".join(
        _(DEADLINE_STATES[report.as_of > day]).format(deadline=day.isoformat()) for day in days
    )


def _meta(report: Report, areas: set[str]) -> str:
    cat = report.catalogue
    rows = [
        (_("Catalogue"), _e(catalogue_title(cat))),
        (_("Document"), _e(cat.document)),
        (_("Edition"), _e(cat.edition)),
        (_("Catalogue sha256"), f"<code>{_e(cat.sha256)}</code>"),
        (_("Reporting date (as of)"), f"<b>{_e(report.as_of.isoformat())}</b>"),
        (_("Deadline for below-baseline capacity"), _e(_deadlines(report, areas))),
    ]
    return (
        '<table class="meta">'
        + "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
        + "</table>"
    )


def _notes(report: Report, rows: list[dict[str, Any]]) -> list[str]:
    notes = [edition_note(report.catalogue)]
    if any(r.get("level_status") != "confirmed" for r in rows):
        notes.insert(0, _("* a level that is not confirmed:") + " " + status_note())
    f = report.factors()
    notes.append(
        _(
            "Savings are to the benchmark level, in tonnes of coal equivalent ({source} "
            "factors). The score is 0 at the baseline and 100 at the benchmark."
        ).format(source=f["source"])
    )
    notes.append(_("Generated by benchmark {version}.").format(version=__version__))
    return [f'<p class="small">{_e(n)}</p>' for n in notes]


def _signature() -> str:
    return (
        '<div class="signature"><div>'
        + _e(_("Reviewed by"))
        + "</div><div>"
        + _e(_("Date"))
        + "</div></div>"
    )


def statement_page(report: Report, enterprise: str, rows: list[dict[str, Any]]) -> str:
    """One enterprise's statement: its lines by area in catalogue order, the catalogue and
    the levels they rest on, the reporting date, and room for a signature."""
    cat = report.catalogue
    regions = sorted({str(r["region"]) for r in rows if r.get("region") is not None})
    by_area: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_area.setdefault(str(row["area"]), []).append(row)
    body = [
        '<div class="statement">',
        f"<h1>{_e(_(STATEMENT_TITLE))}</h1>",
        f'<p class="who">{_e(enterprise)}</p>',
        f'<p class="where">{_e(", ".join(regions))}</p>' if regions else "",
        _meta(report, set(by_area)),
    ]
    for area in cat.areas:
        if area.id in by_area:
            body += _area_block(area, by_area[area.id])
    body += _sources(cat, rows)
    body += _notes(report, rows)
    body.append(_signature())
    body.append("</div>")
    title = f"{_(STATEMENT_TITLE)} — {enterprise}"
    running = f"{enterprise} · {running_header(cat, report.as_of.isoformat())}"
    return document(title, running, body, STATEMENT_CSS)


def _graded(report: Report) -> pd.DataFrame:
    graded = report.graded
    if "tier" not in graded.columns:
        return graded.iloc[0:0]
    graded = graded[graded["tier"].notna()]
    return graded[[c for c in ("enterprise", *ROW_FIELDS) if c in graded.columns]]


def statements(report: Report) -> dict[str, str]:
    """Every enterprise's statement, by the name of its file (``华新水泥.html``), in the
    language in use (:func:`benchmark.i18n.use`). Enterprises in name order; each page
    lists the enterprise's graded lines, every year of each."""
    graded = _graded(report)
    if not len(graded):
        return {}
    ordered = graded.sort_values(
        [c for c in ("enterprise", "line", "year") if c in graded.columns],
        kind="stable",
        na_position="last",
    )
    groups = {str(name): part for name, part in ordered.groupby("enterprise", sort=True)}
    names = file_names(groups)
    return {
        names[enterprise]: statement_page(report, enterprise, records(part))
        for enterprise, part in groups.items()
    }


def summary_line(count: int, folder: str) -> str:
    """What ``benchmark statement`` says when it is done."""
    return _("{n} statement(s) written to {folder}").format(n=f"{count:,}", folder=folder)

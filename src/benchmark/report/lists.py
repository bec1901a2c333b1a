"""The report of ``benchmark lists``: the two lists the 1464号 opinions tell provinces to
publish — lines at the benchmark level (能效标杆水平以上（先进）清单) and lines below the
baseline (能效基准水平以下（落后）清单) — each line in its latest year, or in one year.

People read the lists in the published shape: the title, the reporting date and the
catalogue edition above each table, and the published headings (序号, 企业名称, 所在地区 …) —
in the reader's language in the workbook (:mod:`benchmark.report.workbook`), Markdown and the
terminal, always in Chinese in the CSV, which is a machine format and never changes with the
language. JSON keeps the English field names of :data:`benchmark.tracking.LIST_COLUMNS`
(``benchmark schema lists``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from rich.console import Console
from rich.text import Text

from benchmark.catalogue import Catalogue
from benchmark.deadlines import DeadlineNote, as_date, deadline_notes, lines_msg
from benchmark.i18n import N_, Msg, Said, _, joined, say
from benchmark.lines import latest_year_mask, latest_year_note, year_mask
from benchmark.problems import Problem
from benchmark.report import words
from benchmark.report.defuse import defuse_frame
from benchmark.report.model import SCHEMA_VERSION, plain, records
from benchmark.report.terminal import Col, Grid, fitted
from benchmark.tracking import LAGGING_COLUMNS, LIST_COLUMNS, Lists, lists

if TYPE_CHECKING:
    from benchmark.pipeline import Checked

ADVANCED_TITLE = "能效标杆水平以上（先进）清单"
LAGGING_TITLE = "能效基准水平以下（落后）清单"
#: Chinese headings of the published lists, by field (the CSV's, whatever the language).
HEADINGS: dict[str, str] = {
    "seq": "序号",
    "enterprise": "企业名称",
    "region": "所在地区",
    "line": "生产线/装置",
    "area": "领域",
    "category": "类别",
    "value": "能效值",
    "unit": "单位",
    "benchmark": "标杆水平",
    "baseline": "基准水平",
    "capacity": "产能",
    "year": "数据年份",
    "deadline_status": "改造升级期限",
}
#: A below-baseline line's deadline status as the lagging list states it (the CSV's).
DEADLINE_ZH: dict[str, str] = {
    "missed": "逾期：期限年度仍低于基准水平",
    "open": "期限未到：须按期改造升级或淘汰",
    "passed": "期限已过：所列数据早于期限年度",
}
#: The same, for people: in the reader's language (Chinese: the published words above).
TITLES: dict[str, str] = {
    "advanced": N_("List of lines at or above the benchmark level (advanced)"),
    "lagging": N_("List of lines below the baseline level (lagging)"),
}
LIST_HEADINGS: dict[str, str] = {
    "seq": N_("No."),
    "enterprise": N_("Enterprise"),
    "region": N_("Located in"),
    "line": N_("Line / unit"),
    "area": N_("Area"),
    "category": N_("Category"),
    "value": N_("Value"),
    "unit": N_("Unit"),
    "benchmark": N_("Benchmark level"),
    "baseline": N_("Baseline level"),
    "capacity": N_("Capacity"),
    "year": N_("Year of data"),
    "deadline_status": N_("Upgrade-or-retire deadline"),
}
DEADLINE_WORDS: dict[str, str] = {
    "missed": N_("missed: still below the baseline in the deadline's year"),
    "open": N_("open: to be upgraded or retired by the deadline"),
    "passed": N_("passed: the figure listed is from before the deadline's year"),
}
#: The deadline above each list, passed or not as of the reporting date.
DEADLINE_STATES: dict[bool, str] = {
    True: N_(
        "Deadline to upgrade or retire capacity below the baseline: {deadline} (passed as of "
        "the reporting date)"
    ),
    False: N_(
        "Deadline to upgrade or retire capacity below the baseline: {deadline} (ahead as of "
        "the reporting date)"
    ),
}
#: Columns shown right-aligned, as figures.
FIGURES = ("seq", "value", "benchmark", "baseline", "capacity", "year")


@dataclass(frozen=True)
class ListsReport:
    """A finished ``lists`` run: both lists, which rows they cover, problems, the date."""

    lists: Lists
    problems: list[Problem]
    catalogue: Catalogue
    files: list[str]
    rows_total: int
    rows_graded: int
    as_of: dt.date
    year: int | None
    #: Which year each list shows: English (the JSON's), said in the reader's language.
    scope: str
    deadlines: tuple[DeadlineNote, ...]


def build_lists_report(
    checked: Checked, catalogue: Catalogue, as_of: dt.date | None = None, year: int | None = None
) -> ListsReport:
    """Both lists of the graded rows of a run, each line in its latest year or in ``year``
    (:class:`benchmark.tracking.NoRowsForYear` when no row has it)."""
    day = as_date(as_of)
    graded = checked.frame
    mask = year_mask(graded, year) if year is not None else latest_year_mask(graded)
    published = lists(graded, catalogue, day, year)
    return ListsReport(
        published,
        checked.problems,
        catalogue,
        checked.files,
        checked.rows_total,
        len(graded),
        day,
        year,
        _scope(graded, mask, year),
        deadline_notes(
            graded[mask] if year is not None else graded, catalogue, day, one_year=year is not None
        ),
    )


def _scope(graded: pd.DataFrame, mask: Any, year: int | None) -> str:
    """Which year each list shows: English, keeping its message (:class:`Said`)."""
    if year is not None:
        return Said(Msg("Year {year}.", year=year))
    note = latest_year_note(graded, mask)
    parts = [
        Msg("{year} for {lines}", year=y, lines=lines_msg(n))
        if y is not None
        else Msg("no year for {lines}", lines=lines_msg(n))
        for y, n in note.items()
    ]
    if not parts:
        return Said(Msg("Each line in its latest year: no line."))
    return Said(Msg("Each line in its latest year: {years}.", years=joined(parts, ", ")))


def header_lines(report: ListsReport) -> list[str]:
    """The lines above each table: reporting date, catalogue edition, data year, deadline."""
    cat = report.catalogue
    return [
        _("Reporting date: {date}   Catalogue: {title} ({document})").format(
            date=report.as_of.isoformat(),
            title=cat.title_zh if words.zh() else cat.title_en,
            document=cat.document,
        ),
        say(report.scope),
        "; ".join(
            _(DEADLINE_STATES[d.passed]).format(deadline=d.deadline) for d in report.deadlines
        ),
    ]


def _names(report: ListsReport, frame: pd.DataFrame) -> pd.DataFrame:
    """Area and category names (Chinese in the lists) in the reader's language: looked up
    once per distinct name."""
    if words.zh() or not len(frame):
        return frame
    areas = {a.name_zh: a for a in report.catalogue.areas}
    out = frame.copy()
    area = frame["area"].astype("object")
    category = frame["category"].astype("object")
    for zh_name, found in areas.items():
        rows = area == zh_name
        if rows.any():
            english = {lv.name_zh: lv.name_en for lv in found.levels if lv.name_zh and lv.name_en}
            mapped = category[rows].map(english)
            category[rows] = mapped.where(mapped.notna(), category[rows])
    out["area"] = area.map({k: a.name_en for k, a in areas.items()}).fillna(area).astype("string")
    out["category"] = category.astype("string")
    return out


def published(report: ListsReport, which: str, for_people: bool = True) -> pd.DataFrame:
    """One list with its headings and deadline statuses in words — the reader's language
    ``for_people``, else the published Chinese (the CSV's) — text defused."""
    frame = report.lists.advanced if which == "advanced" else report.lists.lagging
    columns = LIST_COLUMNS if which == "advanced" else LAGGING_COLUMNS
    out = frame[list(columns)].copy()
    if for_people:
        out = _names(report, out)
    if "unit" in out.columns:  # kgce/重量箱 in Chinese (the published lists are)
        labels = {
            u: words.unit_label(u, None if for_people else True) for u in out["unit"].unique()
        }
        out["unit"] = out["unit"].map(labels, na_action="ignore").astype("string")
    if "deadline_status" in out.columns:
        said = {k: _(v) for k, v in DEADLINE_WORDS.items()} if for_people else DEADLINE_ZH
        out["deadline_status"] = (
            out["deadline_status"].map(said, na_action="ignore").astype("string")
        )
    heads = {k: _(v) for k, v in LIST_HEADINGS.items()} if for_people else HEADINGS
    return defuse_frame(out).rename(columns=heads)


def both(report: ListsReport, for_people: bool = True) -> list[tuple[str, str, pd.DataFrame]]:
    """Both lists: which, title and table (see :func:`published`)."""
    titles = (
        (_(TITLES["advanced"]), _(TITLES["lagging"]))
        if for_people
        else (ADVANCED_TITLE, LAGGING_TITLE)
    )
    return [
        ("advanced", titles[0], published(report, "advanced", for_people)),
        ("lagging", titles[1], published(report, "lagging", for_people)),
    ]


# --------------------------------------------------------------------------- machines


def lists_json(report: ListsReport) -> str:
    """The JSON contract of ``benchmark lists`` (:class:`benchmark.contract.ListsDocument`)."""
    cat = report.catalogue
    doc = {
        "schema_version": SCHEMA_VERSION,
        "catalogue": {
            "edition": cat.edition,
            "document": cat.document,
            "sha256": cat.sha256,
            "source": cat.source,
            "deadline": cat.deadline.isoformat(),
        },
        "as_of": report.as_of.isoformat(),
        "year": report.year,
        "scope": str(report.scope),
        "deadlines": [d.text for d in report.deadlines],
        "advanced": records(report.lists.advanced[list(LIST_COLUMNS)]),
        "lagging": records(report.lists.lagging[list(LAGGING_COLUMNS)]),
        "problems": [p.as_dict() for p in report.problems],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, default=plain) + "\n"


def lists_csv(report: ListsReport) -> str:
    """Both lists in one CSV with the published headings, a 清单 column naming the list."""
    parts = [frame.assign(**{"清单": title}) for _, title, frame in both(report, False)]
    table = pd.concat(parts, ignore_index=True)
    table = table[["清单", *[c for c in table.columns if c != "清单"]]]
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


# --------------------------------------------------------------------------- people


def _text(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def lists_markdown(report: ListsReport) -> str:
    out: list[str] = []
    for _which, title, frame in both(report):
        out += [f"# {title}", "", *(f"{line}  " for line in header_lines(report)), ""]
        heads = list(frame.columns)
        out += ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
        out += [
            "| " + " | ".join(_text(v).replace("|", "\\|") for v in row) + " |"
            for row in frame.itertuples(index=False, name=None)
        ]
        out += ["" if len(frame) else _("(none)"), ""]
    if report.problems:
        out += ["## " + _("Problems ({n})").format(n=len(report.problems)), ""]
        out += [f"- `{p.location}` {p.code} {p.say()}" for p in report.problems]
        out.append("")
    return "\n".join(out)


def _list_grid(frame: pd.DataFrame, which: str) -> Grid:
    figures = {_(LIST_HEADINGS[f]) for f in FIGURES}
    value = _(LIST_HEADINGS["value"])
    first = {_(LIST_HEADINGS[f]) for f in ("seq", "enterprise", "line")}
    grid = Grid(
        [
            Col(str(name), "figure" if name in figures else "text", title=name in first)
            for name in frame.columns
        ]
    )
    style = "green" if which == "advanced" else "red"
    for row in frame.itertuples(index=False, name=None):
        grid.add(
            *(
                Text(_text(v), style=style if name == value else "")
                for name, v in zip(frame.columns, row, strict=True)
            )
        )
    return grid


def render_lists(console: Console, report: ListsReport) -> None:
    """Both lists as terminal tables (cards on a narrow terminal), the header lines above
    each."""
    from benchmark.report.text import problem_lines

    for which, title, frame in both(report):
        console.print(Text(title, style="bold"))
        for note in header_lines(report):
            console.print(Text(note, style="dim"))
        if not len(frame):
            console.print(_("(none)"))
        for part in fitted([[(_list_grid(frame, which), None)]], console.width):
            console.print(part)
    for line in problem_lines(report.problems):
        console.print(line, soft_wrap=True)
    console.print(
        _(
            "{advanced} advanced, {lagging} lagging line(s); {scope} Reporting date (as of): "
            "{date}."
        ).format(
            advanced=f"{len(report.lists.advanced):,}",
            lagging=f"{len(report.lists.lagging):,}",
            scope=say(report.scope),
            date=report.as_of.isoformat(),
        )
    )


def lists_plain(report: ListsReport) -> str:
    """The terminal lists as plain text (for ``-o lists.txt``)."""
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=180, color_system=None, file=sink)
        render_lists(console, report)
        return console.export_text()

"""The report of ``benchmark lists``: the two lists the 1464号 opinions tell provinces to
publish — lines at the benchmark level (能效标杆水平以上（先进）清单) and lines below the
baseline (能效基准水平以下（落后）清单) — each line in its latest year, or in one year.

People read the lists in the published shape: Chinese headings (序号, 企业名称, 所在地区 …),
the title, the reporting date and the catalogue edition above each table; so do the workbook
(:mod:`benchmark.report.workbook`), Markdown, CSV and the terminal. JSON keeps the English
field names of :data:`benchmark.tracking.LIST_COLUMNS` (``benchmark schema lists``).
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
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from benchmark.catalogue import Catalogue
from benchmark.deadlines import DeadlineNote, as_date, deadline_notes
from benchmark.lines import count_lines, latest_year_mask, latest_year_note, year_mask
from benchmark.problems import Problem
from benchmark.report.defuse import defuse_frame
from benchmark.report.model import SCHEMA_VERSION, plain, records
from benchmark.tracking import LAGGING_COLUMNS, LIST_COLUMNS, Lists, lists

if TYPE_CHECKING:
    from benchmark.pipeline import Checked

ADVANCED_TITLE = "能效标杆水平以上（先进）清单"
LAGGING_TITLE = "能效基准水平以下（落后）清单"
#: Chinese headings of the published lists, by field.
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
#: A below-baseline line's deadline status as the lagging list states it.
DEADLINE_ZH: dict[str, str] = {
    "missed": "逾期：期限年度仍低于基准水平",
    "open": "期限未到：须按期改造升级或淘汰",
    "passed": "期限已过：所列数据早于期限年度",
}


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
    scope_zh: str
    scope_en: str
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
    zh, en = _scope(graded, mask, year)
    return ListsReport(
        published,
        checked.problems,
        catalogue,
        checked.files,
        checked.rows_total,
        len(graded),
        day,
        year,
        zh,
        en,
        deadline_notes(
            graded[mask] if year is not None else graded, catalogue, day, one_year=year is not None
        ),
    )


def _scope(graded: pd.DataFrame, mask: Any, year: int | None) -> tuple[str, str]:
    """Which year each list shows, in Chinese and in English."""
    if year is not None:
        return f"数据年份：{year}年", f"Year {year}."
    note = latest_year_note(graded, mask)
    zh = "、".join(
        f"{y}年 {n:,}条" if y is not None else f"无年份 {n:,}条" for y, n in note.items()
    )
    en = ", ".join(
        f"{y if y is not None else 'no year'} for {count_lines(n)}" for y, n in note.items()
    )
    return (
        f"数据年份：各生产线最近年份（{zh or '无'}）",
        f"Each line in its latest year: {en or 'no line'}.",
    )


def header_lines(report: ListsReport) -> list[str]:
    """The lines above each table: reporting date, catalogue edition, data year, deadline."""
    cat = report.catalogue
    return [
        f"报告日期：{report.as_of.isoformat()}　目录：《{cat.title_zh}》（{cat.document}）",
        report.scope_zh,
        "；".join(
            f"基准水平以下产能改造升级或淘汰期限：{d.deadline}（截至报告日期"
            f"{'已过' if d.passed else '未到'}）"
            for d in report.deadlines
        ),
    ]


def published(report: ListsReport, which: str) -> pd.DataFrame:
    """One list with Chinese headings, deadline statuses in words; text defused."""
    frame = report.lists.advanced if which == "advanced" else report.lists.lagging
    columns = LIST_COLUMNS if which == "advanced" else LAGGING_COLUMNS
    out = frame[list(columns)].copy()
    if "deadline_status" in out.columns:
        out["deadline_status"] = (
            out["deadline_status"].map(DEADLINE_ZH, na_action="ignore").astype("string")
        )
    return defuse_frame(out).rename(columns=HEADINGS)


def both(report: ListsReport) -> list[tuple[str, str, pd.DataFrame]]:
    return [
        ("advanced", ADVANCED_TITLE, published(report, "advanced")),
        ("lagging", LAGGING_TITLE, published(report, "lagging")),
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
        "scope": report.scope_en,
        "deadlines": [d.text for d in report.deadlines],
        "advanced": records(report.lists.advanced[list(LIST_COLUMNS)]),
        "lagging": records(report.lists.lagging[list(LAGGING_COLUMNS)]),
        "problems": [p.as_dict() for p in report.problems],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, default=plain) + "\n"


def lists_csv(report: ListsReport) -> str:
    """Both lists in one CSV with the published headings, a 清单 column naming the list."""
    parts = [frame.assign(**{"清单": title}) for _, title, frame in both(report)]
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
    for _, title, frame in both(report):
        out += [f"# {title}", "", *(f"{line}  " for line in header_lines(report)), ""]
        heads = list(frame.columns)
        out += ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
        out += [
            "| " + " | ".join(_text(v).replace("|", "\\|") for v in row) + " |"
            for row in frame.itertuples(index=False, name=None)
        ]
        out += ["" if len(frame) else "（无）", ""]
    if report.problems:
        out += [f"## Problems ({len(report.problems)})", ""]
        out += [f"- `{p.location}` {p.code} {p.message}" for p in report.problems]
        out.append("")
    return "\n".join(out)


def render_lists(console: Console, report: ListsReport) -> None:
    """Both lists as terminal tables, the header lines above each."""
    from benchmark.report.text import problem_lines

    for which, title, frame in both(report):
        table = Table(
            title=title,
            title_justify="left",
            title_style="bold",
            caption="\n".join(header_lines(report)),
            caption_justify="left",
        )
        for name in frame.columns:
            table.add_column(
                name,
                justify="right"
                if name in ("序号", "能效值", "标杆水平", "基准水平", "产能", "数据年份")
                else "left",
            )
        style = "green" if which == "advanced" else "red"
        for row in frame.itertuples(index=False, name=None):
            table.add_row(
                *(Text(escape(_text(v)), style=style if i == 6 else "") for i, v in enumerate(row))
            )
        console.print(table)
    for line in problem_lines(report.problems):
        console.print(line, soft_wrap=True)
    console.print(
        f"{len(report.lists.advanced):,} advanced, {len(report.lists.lagging):,} "
        f"lagging line(s); {report.scope_en} Reporting date (as of): "
        f"{report.as_of.isoformat()}."
    )


def lists_plain(report: ListsReport) -> str:
    """The terminal lists as plain text (for ``-o lists.txt``)."""
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=180, color_system=None, file=sink)
        render_lists(console, report)
        return console.export_text()

"""Problems found in input files: stable codes, severities, and where each one is.

Codes are part of the public contract (CI pipelines filter on them); never renumber one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

from benchmark.i18n import N_, Language, Msg

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Check:
    """A kind of problem: its code, severity, title and a longer explanation.

    Title and explanation are English, marked for translation where they are written and
    said in the reader's language by whoever shows them (``benchmark explain``).
    """

    code: str
    severity: Severity
    title: str
    explanation: str


#: The severities in words, for people; machine formats keep ``error`` and ``warning``.
SEVERITY_WORDS: dict[str, str] = {"error": N_("error"), "warning": N_("warning")}

CHECKS: dict[str, Check] = {
    c.code: c
    for c in (
        Check(
            "E001",
            "error",
            N_("unreadable file"),
            N_(
                "The path exists but is no readable workbook or CSV: corrupt, encrypted, a legacy "
                ".xls or .xlsb, another kind of file renamed, empty, or a directory. Save it again "
                "as .xlsx or UTF-8 CSV. The other files of the run go on."
            ),
        ),
        Check(
            "E002",
            "error",
            N_("no header row"),
            N_(
                "No sheet has a recognisable header row in its first 20 rows. A header row names "
                "at least two of the known columns (enterprise/企业名称, area/领域, "
                "value/单位产品能耗 …)."
            ),
        ),
        Check(
            "E003",
            "error",
            N_("required column missing"),
            N_(
                "The header row lacks a required column: enterprise (企业名称), area (领域) or "
                "value (单位产品能耗). No row of that sheet can be graded."
            ),
        ),
        Check(
            "E004",
            "error",
            N_("input too large"),
            N_(
                "The file exceeds a safety limit (uncompressed size, columns, cell length). The "
                "limit is in the message; it guards against zip bombs and runaway files."
            ),
        ),
        Check(
            "E101",
            "error",
            N_("blank required cell"),
            N_(
                "A row has data but its enterprise, area or value cell is empty. A formula whose "
                "result was never calculated also reads as empty: open and save the file in Excel."
            ),
        ),
        Check(
            "E102",
            "error",
            N_("unknown area"),
            N_(
                "The area is neither a catalogue id nor a known alias (Chinese or English). The "
                "message suggests the closest names; `benchmark catalogue` lists them all."
            ),
        ),
        Check(
            "E103",
            "error",
            N_("category missing"),
            N_(
                "The area has several level rows (e.g. caustic soda by concentration), so the row "
                "must say which one applies in the category column; the message lists them."
            ),
        ),
        Check(
            "E104",
            "error",
            N_("not a number"),
            N_(
                "A numeric cell (value, output, capacity, year) holds text that is not a finite "
                "number. Thousands separators, full-width digits and spaces are accepted."
            ),
        ),
        Check(
            "E105",
            "error",
            N_("unknown category"),
            N_(
                "The category is not one of the area's level rows; the message lists the valid "
                "ones."
            ),
        ),
        Check(
            "E106",
            "error",
            N_("unknown unit"),
            N_(
                "The unit is not recognised. Use the catalogue unit (e.g. kgce/t, 千克标准煤/吨) "
                "or leave the cell empty to mean the catalogue unit."
            ),
        ),
        Check(
            "E107",
            "error",
            N_("incompatible unit"),
            N_(
                "The unit measures something else than the area's indicator (kWh/t for a kgce/t "
                "area, or per m² for a per-tonne area). It is never converted silently."
            ),
        ),
        Check("E108", "error", N_("negative output"), N_("Output or capacity is negative.")),
        Check(
            "E109",
            "error",
            N_("negative value"),
            N_(
                "The value is negative, but every level of the area is positive: only converter "
                "steelmaking, which recovers more energy than it uses, has negative levels."
            ),
        ),
        Check(
            "E110",
            "error",
            N_("duplicate row"),
            N_(
                "Another row has the same enterprise, line, area, category and year; the first is "
                "graded, the repeats are not."
            ),
        ),
        Check(
            "W201",
            "warning",
            N_("implausible value"),
            N_(
                "The value is under half the benchmark or over twice the baseline: often a unit "
                "slip (tce entered as kgce). Graded all the same; fails only with --strict."
            ),
        ),
        Check(
            "W202",
            "warning",
            N_("year out of range"),
            N_("The year is outside 2000 to the current year. Fails only with --strict."),
        ),
        Check(
            "W001",
            "warning",
            N_("column left out"),
            N_(
                "A Parquet column that the tool does not read holds nested data (a list, struct or "
                "map) or binary data that is not text, which no report can show: it is left out of "
                "the results; every other column is read or passed through. Fails only with "
                "--strict."
            ),
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, located as the user sees it in Excel (row number and column letter)."""

    code: str
    severity: Severity
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    header: str | None
    message: str
    #: The message to translate (:class:`~benchmark.i18n.Msg`); ``message`` is its English.
    text: Msg | None = field(default=None, compare=False, repr=False)

    @property
    def location(self) -> str:
        """``plants.xlsx:Sheet1!E7`` — file, sheet, cell, as far as they are known."""
        where = self.file
        cell = f"{self.column or ''}{self.row if self.row is not None else ''}"
        if self.sheet is not None:
            where += f":{self.sheet}" + (f"!{cell}" if cell else "")
        elif cell:
            where += f":{cell}"
        return where

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"

    def say(self, lang: Language | None = None) -> str:
        """The message in ``lang`` (default: the language in use); English if untranslated."""
        return self.text.say(lang) if self.text is not None else self.message

    def as_dict(self) -> dict[str, Any]:
        """The contract's fields (the English message; no translation)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "text"}


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a run did that is no problem but that the user should know, said once per
    sheet: rows skipped as totals or notes, a hidden sheet left out, a column passed through
    unrecognised."""

    file: str
    sheet: str | None
    message: str
    text: Msg | None = field(default=None, compare=False, repr=False)

    @property
    def location(self) -> str:
        return self.file + (f":{self.sheet}" if self.sheet is not None else "")

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def say(self, lang: Language | None = None) -> str:
        return self.text.say(lang) if self.text is not None else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "message": self.message}


def problem(
    code: str,
    file: str,
    message: Msg,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    header: str | None = None,
) -> Problem:
    """Make a problem of a registered kind (its severity comes from the registry).

    The message is a :class:`~benchmark.i18n.Msg`, never ready-made text: it is kept to be
    said in the reader's language, and its English is what machine formats carry.
    """
    return Problem(
        code, CHECKS[code].severity, file, sheet, row, column, header, str(message), message
    )


def notice(file: str, sheet: str | None, message: Msg) -> Notice:
    """A notice, said in the reader's language (its English in machine formats)."""
    return Notice(file, sheet, str(message), message)


def has_errors(problems: list[Problem], strict: bool = False) -> bool:
    """Whether the problems make a run fail: any error, or with ``strict`` any warning."""
    return any(p.severity == "error" or strict for p in problems)


def in_sheet_order(problems: list[Problem]) -> None:
    """Sort one table's problems by row, then column, in place: the order a reader scans."""
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))

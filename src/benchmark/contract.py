"""The JSON output contract as pydantic models: documented, exported as JSON Schema, tested.

The renderers build plain dicts for speed (a model per result row would cost seconds at a
million rows); these models are the reference those dicts are checked against, and what
``benchmark schema`` prints for consumers that want to validate our output.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from benchmark.fields import RESULT_COLUMNS
from benchmark.problems import Notice, Problem
from benchmark.results import AreaSummary, DeadlineNote, GroupSummary, Scope, Totals


def _problem_model() -> type[BaseModel]:
    """``ProblemOut``: the fields of :class:`benchmark.problems.Problem`, so that the published
    contract and what the renderers write cannot drift apart."""
    hints = typing.get_type_hints(Problem)
    fields: dict[str, Any] = {
        f.name: (hints[f.name], ...) for f in dataclasses.fields(Problem) if f.name != "text"
    }
    model: type[BaseModel] = create_model(
        "ProblemOut",
        __config__=ConfigDict(extra="forbid"),
        __doc__="One problem, located as the user sees it in Excel.",
        **fields,
    )
    return model


if typing.TYPE_CHECKING:
    ProblemOut = BaseModel  # for the type checker; built from Problem's fields below
else:
    ProblemOut = _problem_model()


class NoticeOut(BaseModel):
    """Something the run did that is no problem: rows skipped, a sheet left out."""

    model_config = ConfigDict(extra="forbid")

    file: str
    sheet: str | None
    message: str


assert {f.name for f in dataclasses.fields(Notice)} - {"text"} == set(NoticeOut.model_fields)


class CatalogueRef(BaseModel):
    edition: str
    document: str
    sha256: str
    source: str
    deadline: str


class ValidateDocument(BaseModel):
    """``benchmark validate --format json``."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1]
    catalogue: CatalogueRef
    files: list[str]
    rows_total: int
    rows_valid: int
    errors: int
    warnings: int
    problems: list[ProblemOut]
    notices: list[NoticeOut] = []


_TYPES: dict[str, Any] = {
    "str": str,
    "int": int,
    "float": float,
    "tier": Literal["benchmark", "between", "below_baseline", "to_check"],
    "status": Literal["confirmed", "corroborated", "unverified"],
    "deadline_status": Literal["missed", "open", "passed"],
}


def _result_model() -> type[BaseModel]:
    """``ResultOut``: one graded row, its fields and types read from the vocabulary
    (:data:`benchmark.fields.RESULT_COLUMNS`), so that the contract and what the renderers
    write cannot drift apart. Passed-through input columns follow the fixed fields."""
    fields: dict[str, Any] = {}
    for column in RESULT_COLUMNS:
        kind = _TYPES[column.type]
        fields[column.name] = (
            kind | None if column.nullable else kind,
            Field(description=column.description),
        )
    model: type[BaseModel] = create_model(
        "ResultOut",
        __config__=ConfigDict(extra="allow"),
        __doc__="One graded row; passed-through input columns follow the fixed fields.",
        **fields,
    )
    return model


if typing.TYPE_CHECKING:
    ResultOut = BaseModel
else:
    ResultOut = _result_model()


class SummaryOut(BaseModel):
    """The summary: the groups under ``by_<group_by>``, and the totals."""

    model_config = ConfigDict(extra="forbid")

    group_by: Literal["area", "sector", "region", "enterprise", "year"]
    by_area: list[AreaSummary] | None = None
    by_sector: list[GroupSummary] | None = None
    by_region: list[GroupSummary] | None = None
    by_enterprise: list[GroupSummary] | None = None
    by_year: list[GroupSummary] | None = None
    totals: Totals
    as_of: str | None = None
    scope: Scope | None = None
    deadlines: list[DeadlineNote] = []


class GradeDocument(BaseModel):
    """``benchmark grade --format json``; ``summary`` holds ``by_<group_by>`` and ``totals``."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1]
    catalogue: CatalogueRef
    factors: dict[str, Any]
    files: list[str]
    rows_total: int
    rows_graded: int
    results: list[ResultOut]
    problems: list[ProblemOut]
    notices: list[NoticeOut] = []
    summary: SummaryOut


Tier = Literal["benchmark", "between", "below_baseline"]


class LineOut(BaseModel):
    """One line year on year (``benchmark track``): aligned ``years`` (ascending, an undated
    row first as null), ``values`` and ``tiers``; see :func:`benchmark.tracking.track`."""

    model_config = ConfigDict(extra="forbid")

    enterprise: str
    line: str | None
    area: str
    category: str | None
    region: str | None
    years: list[int | None]
    values: list[float | None]
    tiers: list[Tier | None]
    first_year: int | None
    latest_year: int | None
    latest_value: float | None
    latest_tier: Tier | None
    change_per_year: float | None
    trend: Literal["improving", "steady", "worsening"] | None
    reached_benchmark_in: int | None
    deadline_status: Literal["met", "missed", "open", "unknown"] | None
    projected_baseline_year: int | None
    projected_benchmark_year: int | None
    unit: str | None
    benchmark: float | None
    baseline: float | None


class AreaYearOut(BaseModel):
    """One area in one year (``benchmark track``): tiers counted, the share at benchmark
    weighted as ``grade`` weights it, the area's 2025 target; ``year`` null: undated rows."""

    model_config = ConfigDict(extra="forbid")

    year: int | None
    area: str
    rows: int
    benchmark: int
    between: int
    below_baseline: int
    share_at_benchmark: float | None
    share_basis: str
    target_share: float


class TrackDocument(BaseModel):
    """``benchmark track --format json``."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1]
    catalogue: CatalogueRef
    as_of: str
    lines: list[LineOut]
    by_year: list[AreaYearOut]
    problems: list[ProblemOut]


class ListRowOut(BaseModel):
    """One line in a published list (area and category by their Chinese names)."""

    model_config = ConfigDict(extra="forbid")

    seq: int
    enterprise: str
    region: str | None
    line: str | None
    area: str
    category: str | None
    value: float
    unit: str | None
    benchmark: float
    baseline: float
    capacity: float | None
    year: int | None


class LaggingRowOut(ListRowOut):
    """A line of the lagging list, with its row's deadline status as of the reporting date."""

    deadline_status: Literal["missed", "open", "passed"] | None


class ListsDocument(BaseModel):
    """``benchmark lists --format json``: ``advanced`` (能效标杆水平以上（先进）清单) and
    ``lagging`` (能效基准水平以下（落后）清单); ``year`` null: each line in its latest year."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1]
    catalogue: CatalogueRef
    as_of: str
    year: int | None
    scope: str
    deadlines: list[str]
    advanced: list[ListRowOut]
    lagging: list[LaggingRowOut]
    problems: list[ProblemOut]


SCHEMAS: dict[str, type[BaseModel]] = {
    "grade": GradeDocument,
    "validate": ValidateDocument,
    "track": TrackDocument,
    "lists": ListsDocument,
}

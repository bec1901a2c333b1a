"""The JSON output contract as pydantic models: documented, exported as JSON Schema, tested.

The renderers build plain dicts for speed (a model per result row would cost seconds at a
million rows); these models are the reference those dicts are checked against, and what
``benchmark schema`` prints for consumers that want to validate our output.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model

from benchmark.problems import Problem


def _problem_model() -> type[BaseModel]:
    """``ProblemOut``: the fields of :class:`benchmark.problems.Problem`, so that the published
    contract and what the renderers write cannot drift apart."""
    hints = typing.get_type_hints(Problem)
    fields: dict[str, Any] = {f.name: (hints[f.name], ...) for f in dataclasses.fields(Problem)}
    model: type[BaseModel] = create_model("ProblemOut", __config__=ConfigDict(extra="forbid"),
                                          __doc__="One problem, located as the user sees it in "
                                                  "Excel.", **fields)
    return model


if typing.TYPE_CHECKING:
    ProblemOut = BaseModel  # for the type checker; built from Problem's fields below
else:
    ProblemOut = _problem_model()


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


class ResultOut(BaseModel):
    """One graded row; passed-through input columns follow the fixed fields."""

    model_config = ConfigDict(extra="allow")

    file: str
    sheet: str | None
    row: int
    enterprise: str
    line: str | None
    region: str | None
    year: int | None
    area: str
    category: str | None
    value: float
    unit: str
    benchmark: float
    baseline: float
    level_status: Literal["confirmed", "corroborated", "unverified"]
    tier: Literal["benchmark", "between", "below_baseline"]
    gap_to_benchmark: float
    gap_to_baseline: float
    gap_to_benchmark_pct: float | None
    gap_to_baseline_pct: float | None
    score: float
    output: float | None
    capacity: float | None
    saving_to_benchmark: float | None
    saving_to_baseline: float | None
    saving_unit: str
    saving_to_benchmark_tce: float | None
    saving_to_baseline_tce: float | None
    deadline: str | None
    deadline_status: Literal["missed", "open", "passed"] | None
    input_value: str | None
    input_unit: str | None


class GroupSummary(BaseModel):
    model_config = ConfigDict(extra="allow")

    group: str
    rows: int
    benchmark: int
    between: int
    below_baseline: int
    share_at_benchmark: float | None
    share_below_baseline: float | None
    share_basis: str
    saving_to_benchmark_tce: float
    saving_to_baseline_tce: float
    unconfirmed_levels: list[str]
    target_share: float | None = None
    meets_target: bool | None = None


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
    summary: dict[str, Any]


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


SCHEMAS: dict[str, type[BaseModel]] = {"grade": GradeDocument, "validate": ValidateDocument,
                                       "track": TrackDocument, "lists": ListsDocument}

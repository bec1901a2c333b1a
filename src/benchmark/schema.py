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


SCHEMAS: dict[str, type[BaseModel]] = {"grade": GradeDocument, "validate": ValidateDocument}

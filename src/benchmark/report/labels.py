"""Words, colours and number formats that every report shares, so that a tier or a status is
named and coloured the same on a terminal, in Markdown, in HTML and in Excel."""

from __future__ import annotations

from benchmark.fields import TIERS

__all__ = ["TIERS", "TIER_LABELS_EN", "TIER_LABELS_ZH"]

TIER_LABELS_ZH: dict[str, str] = {
    "benchmark": "标杆", "between": "基准–标杆", "below_baseline": "低于基准"}
TIER_LABELS_EN: dict[str, str] = {
    "benchmark": "benchmark", "between": "between", "below_baseline": "below baseline"}

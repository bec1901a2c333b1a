"""A long table's slices are checked two at a time in threads and merged in order: the
outcome is that of one check, whatever the number of workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark import pipeline
from benchmark.pipeline import check_files

from .conftest import RecordingEvents


def long_csv(path: Path) -> Path:
    """230 plant lines under a header whose value unit is unknown (a header problem every
    slice repeats), with headings and totals between them, repeats across slices (E110),
    text in the value column (E104), and a unit that no figure can have (E106)."""
    lines = ["企业名称,生产线,领域,单位产品能耗,单位,产量（万台）,年份"]
    for i in range(230):
        if i % 57 == 3:
            lines.append(f"第{i // 57 + 1}部分,,,,,,")
        if i % 61 == 60:
            lines.append(",,小计,,,,")
        value = "约100" if i % 41 == 7 else str(100 + i % 9)
        unit = "furlongs" if i % 53 == 11 else "kgce/t"
        year = 2021 + i % 150 // 75
        lines.append(f"厂{i % 150},{i % 2 + 1}号线,水泥熟料,{value},{unit},{i},{year}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", ["1", "2"])
def test_slices_checked_in_threads_equal_one_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    path = long_csv(tmp_path / "long.csv")
    whole = check_files([str(path)], grade=True)
    monkeypatch.setenv("BENCHMARK_WORKERS", workers)
    monkeypatch.setattr(pipeline, "CHECK_ROWS", 30)
    events = RecordingEvents()
    sliced = check_files([str(path)], grade=True, events=events)
    assert events.row_counts == [30] * 7 + [27]  # in order, headings and totals counted
    assert [str(p) for p in sliced.problems] == [str(p) for p in whole.problems]
    codes = {p.code for p in whole.problems}
    assert {"E104", "E106", "E110"} <= codes
    assert sum(p.row == 1 for p in whole.problems) == 1  # the header's unit, said once
    assert [str(n) for n in sliced.notices] == [str(n) for n in whole.notices]
    assert "row(s) skipped" in str(whole.notices[0])
    assert sliced.frame.equals(whole.frame)
    assert sliced.rows_total == whole.rows_total

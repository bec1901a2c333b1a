"""Time ``benchmark validate`` and ``benchmark grade`` against the raw read of the same file.

The question this answers: how much does checking and grading cost on top of merely reading a
sheet with the fastest Excel reader there is (fastexcel, Rust calamine into Arrow)? Each file is
read raw, validated and graded by the real installed CLI, each in its own process, ``--repeat``
times; the median wall time and the peak resident memory are reported, with PASS/FAIL against
the targets of the issue "Scale and speed".

Usage, from a fresh clone::

    pip install .
    python benchmarks/run.py                     # 10k, 100k, 300k and 1M rows, 3 repeats
    python benchmarks/run.py --sizes 10000 --repeat 1

Generated files are cached in ``--out-dir`` (git-ignored) by size and seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # beside this script, found through the line above

HERE = Path(__file__).resolve().parent
TIME = "/usr/bin/time"
GB = 1024**3

#: Targets of the issue: the workbook ratios at each of these sizes, the CSV and the peak
#: memory at the largest.
TARGET_ROWS = 1_000_000
RATIO_ROWS = (300_000, 1_000_000)
GRADE_OVER_RAW = 1.5
VALIDATE_OVER_RAW = 1.3
#: ``grade`` of the CSV against pyarrow's own read of it (``RAW_CSV``).
CSV_GRADE_OVER_RAW = 12.0
PEAK_BYTES = 1.5 * GB
VERSION_SECONDS = 0.3
CATALOGUE_SECONDS = 0.6
#: Report formats against the CSV of the same run (``grade -f FMT -o …``), at REPORT_ROWS.
REPORT_ROWS = 50_000
REPORT_OVER_CSV = {"xlsx": 3.0, "json": 1.5, "table": 2.0, "html": 2.0}
#: Grading the two-line example against a bare import of the libraries it stands on.
EXAMPLE_OVER_IMPORT = 1.3
BARE_IMPORT = "import pandas, pyarrow, fastexcel, rich"

#: Raw reads, run in a fresh interpreter; they print the seconds spent reading (not importing).
RAW_XLSX = """
import json, sys, time
import fastexcel
t = time.perf_counter()
table = fastexcel.read_excel(sys.argv[1]).load_sheet(0, header_row=1).to_arrow()
print(json.dumps({"seconds": time.perf_counter() - t, "rows": table.num_rows}))
"""
#: The read ``benchmark`` itself makes: every cell as text, header found by looking.
RAW_XLSX_TEXT = """
import json, sys, time
import fastexcel
t = time.perf_counter()
table = fastexcel.read_excel(sys.argv[1]).load_sheet(
    0, header_row=None, skip_rows=2, dtypes="string").to_arrow()
print(json.dumps({"seconds": time.perf_counter() - t, "rows": table.num_rows}))
"""
RAW_CSV = """
import json, sys, time
from pyarrow import csv
t = time.perf_counter()
table = csv.read_csv(sys.argv[1], read_options=csv.ReadOptions(skip_rows=1))
print(json.dumps({"seconds": time.perf_counter() - t, "rows": table.num_rows}))
"""
#: Fallback where /usr/bin/time is missing: run a command, report its peak memory.
WRAPPER = """
import json, resource, subprocess, sys
result = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE)
sys.stdout.buffer.write(result.stdout)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
scale = 1 if sys.platform == "darwin" else 1024
with open(sys.argv[1], "w") as fh:
    json.dump({"peak_bytes": peak * scale, "returncode": result.returncode}, fh)
"""


@dataclass
class Run:
    """One timed process: wall seconds (or the seconds it reported), peak memory, exit code."""

    seconds: float
    peak_bytes: int | None
    returncode: int
    stdout: str


@dataclass
class Measure:
    """The median of several runs of one command, and the highest peak memory among them."""

    seconds: float
    peak_bytes: int | None
    runs: list[float] = field(default_factory=list)


@dataclass
class Row:
    """The measurements of one input file."""

    kind: str
    rows: int
    size_bytes: int
    raw: Measure
    raw_text: Measure | None
    validate: Measure
    grade: Measure

    @property
    def grade_ratio(self) -> float:
        return self.grade.seconds / self.raw.seconds

    @property
    def validate_ratio(self) -> float:
        return self.validate.seconds / self.raw.seconds

    @property
    def peak(self) -> int | None:
        peaks = [m.peak_bytes for m in (self.validate, self.grade) if m.peak_bytes is not None]
        return max(peaks) if peaks else None


def cli_path() -> str:
    """The installed ``benchmark`` console script: beside this interpreter, else on PATH."""
    beside = Path(sys.executable).parent / "benchmark"
    if beside.exists():
        return str(beside)
    found = shutil.which("benchmark")
    if found is None:
        sys.exit(
            "benchmarks/run.py: the `benchmark` command is not installed; run `pip install .`"
            " first (in the interpreter that runs this script)"
        )
    return found


def run_once(cmd: Sequence[str], *, reports_seconds: bool = False) -> Run:
    """Run ``cmd`` in its own process; time it and measure its peak resident memory."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt", delete=False) as tmp:
        report = Path(tmp.name)
    try:
        if os.access(TIME, os.X_OK):
            full = [TIME, "-v", "-o", str(report), *cmd]
        else:
            full = [sys.executable, "-c", WRAPPER, str(report), *cmd]
        start = time.perf_counter()
        proc = subprocess.run(
            full, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"}
        )
        wall = time.perf_counter() - start
        peak, code = _peak(report.read_text(errors="replace"), proc.returncode)
    finally:
        report.unlink(missing_ok=True)
    if code not in (0, 1):
        sys.exit(f"benchmarks/run.py: {' '.join(cmd)} failed (exit {code}):\n{proc.stderr}")
    seconds = json.loads(proc.stdout)["seconds"] if reports_seconds else wall
    return Run(seconds, peak, code, proc.stdout)


def _peak(report: str, returncode: int) -> tuple[int | None, int]:
    """Peak memory and exit code from /usr/bin/time -v's report or the wrapper's JSON."""
    if report.lstrip().startswith("{"):
        data = json.loads(report)
        return int(data["peak_bytes"]), int(data["returncode"])
    peak = None
    code = returncode
    for line in report.splitlines():
        name, _, value = line.strip().rpartition(": ")
        if name == "Maximum resident set size (kbytes)":
            peak = int(value) * 1024
        elif name == "Exit status":
            code = int(value)
    return peak, code


def measure(cmd: Sequence[str], repeat: int, *, reports_seconds: bool = False) -> Measure:
    return summarise_runs([run_once(cmd, reports_seconds=reports_seconds) for _ in range(repeat)])


def summarise_runs(runs: Sequence[Run]) -> Measure:
    peaks = [r.peak_bytes for r in runs if r.peak_bytes is not None]
    return Measure(
        statistics.median(r.seconds for r in runs),
        max(peaks) if peaks else None,
        [round(r.seconds, 4) for r in runs],
    )


def measure_interleaved(cmds: dict[str, tuple[list[str], bool]], repeat: int) -> dict[str, Measure]:
    """Each command once per round, ``repeat`` rounds: a machine that drifts (a shared VM's
    speed varies by a third over minutes) then shifts every contender alike, and the ratios
    to the raw read stay fair."""
    runs: dict[str, list[Run]] = {name: [] for name in cmds}
    for _ in range(repeat):
        for name, (cmd, reports_seconds) in cmds.items():
            runs[name].append(run_once(cmd, reports_seconds=reports_seconds))
    return {name: summarise_runs(found) for name, found in runs.items()}


def bench_file(path: Path, kind: str, rows: int, exe: str, out_dir: Path, repeat: int) -> Row:
    """Raw read, validate and grade one file, in ``repeat`` interleaved rounds, each command
    in a fresh process."""
    path.read_bytes()  # warm the page cache: every contender reads from memory
    py = sys.executable
    base = [exe, "--no-config", "--quiet"]
    cmds: dict[str, tuple[list[str], bool]] = {}
    if kind == "xlsx":
        cmds["raw"] = ([py, "-c", RAW_XLSX, str(path)], True)
        cmds["raw_text"] = ([py, "-c", RAW_XLSX_TEXT, str(path)], True)
    else:
        cmds["raw"] = ([py, "-c", RAW_CSV, str(path)], True)
    cmds["validate"] = (
        [
            *base,
            "validate",
            str(path),
            "--format",
            "json",
            "-o",
            str(out_dir / f"validate_{kind}_{rows}.json"),
        ],
        False,
    )
    cmds["grade"] = (
        [
            *base,
            "grade",
            str(path),
            "--format",
            "csv",
            "-o",
            str(out_dir / f"graded_{kind}_{rows}.csv"),
        ],
        False,
    )
    found = measure_interleaved(cmds, repeat)
    return Row(
        kind,
        rows,
        path.stat().st_size,
        found["raw"],
        found.get("raw_text"),
        found["validate"],
        found["grade"],
    )


def bench_reports(path: Path, exe: str, out_dir: Path, repeat: int) -> dict[str, Measure]:
    """``grade -f FMT -o FILE`` for CSV and each report format, interleaved rounds."""
    path.read_bytes()
    base = [exe, "--no-config", "--quiet", "grade", str(path)]
    cmds = {
        fmt: ([*base, "--format", fmt, "-o", str(out_dir / f"report.{fmt}")], False)
        for fmt in ("csv", *REPORT_OVER_CSV)
    }
    return measure_interleaved(cmds, repeat)


def bench_example(exe: str, times: int = 7) -> dict[str, Measure]:
    """`benchmark grade examples/plant.xlsx` against a bare import, interleaved (after one
    untimed run of each, which also fills the catalogue cache)."""
    example = HERE.parent / "examples" / "plant.xlsx"
    cmds = {
        "import": ([sys.executable, "-c", BARE_IMPORT], False),
        "example": ([exe, "--no-config", "grade", str(example)], False),
    }
    measure_interleaved(cmds, 1)
    return measure_interleaved(cmds, times)


def startup(exe: str, args: Sequence[str], times: int = 5) -> Measure:
    """Median wall time of a light command (after one untimed run that warms caches)."""
    run_once([exe, "--no-config", *args])
    return measure([exe, "--no-config", *args], times)


def compile_package() -> None:
    """Compile the installed package's bytecode, as ``pip install`` does: with
    ``PYTHONDONTWRITEBYTECODE`` set (or an editable install that has not run yet) every run
    would compile its modules from source, a tenth of a second of every start-up that no
    installed copy pays."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("benchmark")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in ("benchmark-levels", "fastexcel", "pyarrow", "pandas", "numpy"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:
            versions[name] = "?"
    return {
        "date": dt.date.today().isoformat(),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        **versions,
    }


def _mb(n: int | None) -> str:
    return "?" if n is None else f"{n / 1024**2:,.0f}"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table (readable as is, pasteable into the README)."""
    head = (
        "| file | rows | size MB | raw s | raw text s | validate s | grade s | grade rows/s "
        "| grade/raw | validate/raw | peak MB |"
    )
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        out.append(
            f"| {r.kind} | {r.rows:,} | {r.size_bytes / 1024**2:,.1f} | {r.raw.seconds:.2f} | "
            f"{'' if r.raw_text is None else f'{r.raw_text.seconds:.2f}'} | "
            f"{r.validate.seconds:.2f} | {r.grade.seconds:.2f} | "
            f"{r.rows / r.grade.seconds:,.0f} | {r.grade_ratio:.2f}× | {r.validate_ratio:.2f}× | "
            f"{_mb(r.peak)} |"
        )
    return "\n".join(out)


def report_verdicts(
    reports: dict[str, Measure] | None, example: dict[str, Measure]
) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/FAIL/n/a) for the report formats and the example's start-up."""
    out: list[tuple[str, str, str]] = []
    for fmt, limit in REPORT_OVER_CSV.items():
        name = f"grade {REPORT_ROWS:,} rows --format {fmt} ≤ {limit:g}× --format csv"
        if reports is None:
            out.append((name, "not run", "n/a"))
            continue
        ratio = reports[fmt].seconds / reports["csv"].seconds
        out.append(
            (
                name,
                f"{ratio:.2f}× ({reports[fmt].seconds:.2f} s / {reports['csv'].seconds:.2f} s)",
                "PASS" if ratio <= limit else "FAIL",
            )
        )
    ratio = example["example"].seconds / example["import"].seconds
    out.append(
        (
            f"grade examples/plant.xlsx ≤ {EXAMPLE_OVER_IMPORT}× `{BARE_IMPORT}`",
            f"{ratio:.2f}× ({example['example'].seconds:.2f} s / "
            f"{example['import'].seconds:.2f} s)",
            "PASS" if ratio <= EXAMPLE_OVER_IMPORT else "FAIL",
        )
    )
    return out


def verdicts(rows: list[Row], version: Measure, catalogue: Measure) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/FAIL/n/a) for each target of the issue."""
    big = {r.kind: r for r in rows if r.rows == TARGET_ROWS}
    out: list[tuple[str, str, str]] = []

    def check(name: str, measured: str, ok: bool | None) -> None:
        out.append((name, measured, "n/a" if ok is None else ("PASS" if ok else "FAIL")))

    sheets = {r.rows: r for r in rows if r.kind == "xlsx"}
    for size in RATIO_ROWS:
        x = sheets.get(size)
        name = f"{size // 1000:,}k" if size < TARGET_ROWS else f"{size // TARGET_ROWS}M"
        check(
            f"grade {name}-row xlsx ≤ {GRADE_OVER_RAW}× raw fastexcel read",
            f"{x.grade_ratio:.2f}× ({x.grade.seconds:.2f} s / {x.raw.seconds:.2f} s)"
            if x
            else "not run",
            x.grade_ratio <= GRADE_OVER_RAW if x else None,
        )
        check(
            f"validate {name}-row xlsx ≤ {VALIDATE_OVER_RAW}× raw fastexcel read",
            f"{x.validate_ratio:.2f}× ({x.validate.seconds:.2f} s / {x.raw.seconds:.2f} s)"
            if x
            else "not run",
            x.validate_ratio <= VALIDATE_OVER_RAW if x else None,
        )
    c = big.get("csv")
    check(
        f"grade 1M-row CSV ≤ {CSV_GRADE_OVER_RAW:g}× raw pyarrow read",
        f"{c.grade_ratio:.1f}× ({c.grade.seconds:.2f} s / {c.raw.seconds:.2f} s)"
        if c
        else "not run",
        c.grade_ratio <= CSV_GRADE_OVER_RAW if c else None,
    )
    peaks = [r.peak for r in big.values() if r.peak is not None]
    check(
        f"peak memory at 1M rows ≤ {PEAK_BYTES / GB:g} GB",
        f"{max(peaks) / GB:.2f} GB" if peaks else "not run",
        max(peaks) <= PEAK_BYTES if peaks else None,
    )
    check(
        f"`benchmark --version` ≤ {VERSION_SECONDS} s",
        f"{version.seconds:.3f} s",
        version.seconds <= VERSION_SECONDS,
    )
    check(
        f"`benchmark catalogue` ≤ {CATALOGUE_SECONDS} s",
        f"{catalogue.seconds:.3f} s",
        catalogue.seconds <= CATALOGUE_SECONDS,
    )
    return out


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default="10000,100000,300000,1000000",
        help="comma-separated row counts (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each command; the median is reported (default: 3)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=HERE / "_data",
        help="generated inputs (cached) and outputs (default: benchmarks/_data)",
    )
    parser.add_argument("--seed", type=int, default=2021, help="generator seed (default: 2021)")
    parser.add_argument("--no-csv", action="store_true", help="skip the CSV of the largest size")
    parser.add_argument(
        "--report-rows",
        type=int,
        default=REPORT_ROWS,
        help="rows of the workbook the report formats are timed on (default: "
        "%(default)s; 0 skips them)",
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error(f"--sizes: expected numbers separated by commas, got {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1:
        parser.error("--sizes and --repeat must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Generate (or reuse) the inputs, measure, print the table and the targets."""
    args = parse_args(argv)
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    exe = cli_path()
    compile_package()
    info = machine()
    print(
        f"benchmark {info['benchmark-levels']} ({exe}) on {info['cpus']} × {info['cpu']}, "
        f"Python {info['python']}, {info['date']}",
        flush=True,
    )
    print(
        f"fastexcel {info['fastexcel']}, pyarrow {info['pyarrow']}, pandas {info['pandas']}, "
        f"numpy {info['numpy']}; peak memory from "
        f"{TIME + ' -v' if os.access(TIME, os.X_OK) else 'getrusage(RUSAGE_CHILDREN)'}",
        flush=True,
    )

    version = startup(exe, ["--version"])
    catalogue = startup(exe, ["catalogue"])
    print(
        f"start-up: --version {version.seconds:.3f} s, catalogue {catalogue.seconds:.3f} s "
        f"(median of 5)",
        flush=True,
    )

    example = bench_example(exe)
    print(
        f"start-up: grade examples/plant.xlsx {example['example'].seconds:.3f} s, "
        f"`{BARE_IMPORT}` {example['import'].seconds:.3f} s (median of 7)",
        flush=True,
    )
    reports = None
    if args.report_rows:
        path = generate.ensure("xlsx", args.report_rows, args.seed, out_dir)
        reports = bench_reports(path, exe, out_dir, args.repeat)
        print(
            "reports: "
            + ", ".join(f"{fmt} {m.seconds:.2f} s" for fmt, m in reports.items())
            + f" ({args.report_rows:,} rows, median of {args.repeat})",
            flush=True,
        )

    jobs = [("xlsx", n) for n in args.sizes]
    if not args.no_csv:
        jobs.append(("csv", args.sizes[-1]))
    rows: list[Row] = []
    for kind, n in jobs:
        cached = generate.cached_path(kind, n, args.seed, out_dir).exists()
        start = time.perf_counter()
        path = generate.ensure(kind, n, args.seed, out_dir)
        note = "cached" if cached else f"made in {time.perf_counter() - start:.1f} s"
        print(f"{kind} {n:,} rows: {path.name} ({note}); measuring…", flush=True)
        rows.append(bench_file(path, kind, n, exe, out_dir, args.repeat))
        print(table(rows[-1:]).splitlines()[-1], flush=True)

    print()
    print(table(rows))
    print()
    results = verdicts(rows, version, catalogue) + report_verdicts(reports, example)
    width = max(len(t) for t, _, _ in results)
    for target, measured, verdict in results:
        print(f"{verdict:<5} {target:<{width}}  {measured}")
    (out_dir / "results.json").write_text(
        json.dumps(
            {
                "machine": info,
                "repeat": args.repeat,
                "startup": {
                    "version": asdict(version),
                    "catalogue": asdict(catalogue),
                    **{k: asdict(m) for k, m in example.items()},
                },
                "reports": {k: asdict(m) for k, m in (reports or {}).items()},
                "files": [
                    {
                        **asdict(r),
                        "grade_over_raw": r.grade_ratio,
                        "validate_over_raw": r.validate_ratio,
                    }
                    for r in rows
                ],
                "targets": [{"target": t, "measured": m, "verdict": v} for t, m, v in results],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    return 1 if any(v == "FAIL" for _, _, v in results) else 0


if __name__ == "__main__":
    sys.exit(main())

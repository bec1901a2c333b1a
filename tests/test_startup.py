"""Start-up: the validated catalogue is kept between runs (keyed by its bytes), a damaged or
foreign cache is a miss and never an error, and a run loads only the renderer it uses."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from benchmark import catalogue_loading as catalogue_module
from benchmark.catalogue import load_catalogue, shipped_catalogue_path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(catalogue_module.CACHE_ENV, str(folder))
    catalogue_module._load_cached.cache_clear()
    yield folder
    catalogue_module._load_cached.cache_clear()


def copy_of_shipped(path: Path, extra: str = "") -> Path:
    path.write_bytes(shipped_catalogue_path().read_bytes() + extra.encode())
    return path


def test_a_validated_catalogue_is_kept_and_reused(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = copy_of_shipped(tmp_path / "levels.yaml")
    first = load_catalogue(source)
    kept = list(cache.glob("catalogue-*.pickle"))
    assert len(kept) == 1 and not list(cache.glob(".*.part"))

    catalogue_module._load_cached.cache_clear()

    def no_parsing(*_: object) -> None:
        raise AssertionError("parsed again although a validated copy was kept")

    monkeypatch.setattr(catalogue_module, "parse_catalogue", no_parsing)
    again = load_catalogue(source)
    assert again == first and again.sha256 == first.sha256
    assert again.area("cement_clinker").level(None).benchmark == 100.0


def test_other_bytes_are_another_entry(cache: Path, tmp_path: Path) -> None:
    a = load_catalogue(copy_of_shipped(tmp_path / "a.yaml"))
    catalogue_module._load_cached.cache_clear()
    b = load_catalogue(copy_of_shipped(tmp_path / "b.yaml", "\n# a comment\n"))
    assert a.sha256 != b.sha256
    assert len(list(cache.glob("catalogue-*.pickle"))) == 2


def test_a_catalogue_kept_by_other_model_code_is_not_reused(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change to the catalogue's model, with the same version number (a checkout, a
    release that forgot to bump it), parses again instead of loading the old objects."""
    source = copy_of_shipped(tmp_path / "levels.yaml")
    load_catalogue(source)
    catalogue_module._load_cached.cache_clear()
    parsed: list[str] = []
    real_parse = catalogue_module.parse_catalogue

    def counting(text: bytes, where: str) -> object:
        parsed.append(where)
        return real_parse(text, where)

    monkeypatch.setattr(catalogue_module, "parse_catalogue", counting)
    monkeypatch.setattr(catalogue_module, "_model_fingerprint", lambda: b"other model code")
    assert load_catalogue(source).areas
    assert len(parsed) == 1
    assert len(list(cache.glob("catalogue-*.pickle"))) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps({"areas": []})])
def test_a_damaged_or_foreign_cache_is_a_miss(cache: Path, tmp_path: Path, damage: bytes) -> None:
    source = copy_of_shipped(tmp_path / "levels.yaml")
    want = load_catalogue(source)
    (kept,) = cache.glob("catalogue-*.pickle")
    kept.write_bytes(damage)
    catalogue_module._load_cached.cache_clear()
    assert load_catalogue(source) == want
    assert pickle.loads(kept.read_bytes()) == want  # written again, whole


def test_an_unwritable_cache_or_none_at_all_still_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv(catalogue_module.CACHE_ENV, str(blocker / "cache"))
    catalogue_module._load_cached.cache_clear()
    assert load_catalogue(copy_of_shipped(tmp_path / "x.yaml")).areas
    monkeypatch.setenv(catalogue_module.CACHE_ENV, "")
    assert catalogue_module.cache_dir() is None
    catalogue_module._load_cached.cache_clear()
    assert load_catalogue(copy_of_shipped(tmp_path / "y.yaml")).areas


def test_an_invalid_catalogue_is_never_kept(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("edition: 2021\n", encoding="utf-8")
    with pytest.raises(catalogue_module.CatalogueError):
        load_catalogue(bad)
    assert not cache.exists() or not list(cache.iterdir())


RUN_AND_LIST_MODULES = """
import sys
from benchmark.cli import main
sys.argv = ["benchmark", "--no-config", "grade", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in
                     ("xlsxwriter", "openpyxl", "benchmark", "xml", "pyarrow"))), file=sys.stderr)
"""


def modules_loaded(*args: str, cache_dir: Path) -> set[str]:
    env = {**os.environ, "BENCHMARK_CACHE_DIR": str(cache_dir)}
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return set(done.stderr.split())


def test_a_run_loads_only_the_renderer_it_uses(tmp_path: Path) -> None:
    example = str(Path(__file__).resolve().parents[1] / "examples" / "plant.xlsx")
    table = modules_loaded(example, cache_dir=tmp_path)
    assert "benchmark.report.text" in table
    assert (
        not {
            "xlsxwriter",
            "benchmark.report.xlsx",
            "benchmark.report.html",
            "benchmark.report.machine",
        }
        & table
    )
    csv = modules_loaded(example, "-f", "csv", "-o", str(tmp_path / "r.csv"), cache_dir=tmp_path)
    assert "benchmark.report.machine" in csv and "xlsxwriter" not in csv
    # Libraries that pull in http.client and ssl: only when Parquet is read or JUnit written.
    assert not {"pyarrow.parquet", "xml.sax.saxutils"} & (table | csv)
    xlsx = modules_loaded(example, "-o", str(tmp_path / "r.xlsx"), cache_dir=tmp_path)
    assert {"xlsxwriter", "benchmark.report.xlsx"} <= xlsx

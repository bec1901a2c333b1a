"""The extent scan (benchmark.readers.extent) measures a sheet's bounding box as calamine does.

The fast numpy scan must find the true box of every sheet it vouches for, fed in any chunking,
and hand anything unusual to the exact scan, which follows every tag; both are checked against
each other on random sheets, and against calamine itself.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from benchmark.readers.extent import Extent, exact_extent, extent_refusal

from .test_hostile import xlsx_bytes


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


CELLS = st.lists(st.tuples(st.integers(1, 3000), st.integers(1, 800)), min_size=1, max_size=40)
#: How a cell tag may be written: the usual forms, and forms the fast scan must not vouch for.
STYLES = {
    "canonical": '<c r="{ref}" t="n"><v>1</v></c>',
    "quoted": "<c r='{ref}'><v>1</v></c>",
    "later": '<c s="0" r="{ref}"><v>1</v></c>',
    "spaced": '<c r = "{ref}"/>',
    "prefixed": '<x:c r="{ref}"><x:v>1</x:v></x:c>',
    "zeros": '<c r="{col}0{row}"><v>1</v></c>',
}


def _sheet(cells: list[tuple[int, int]], style: str) -> bytes:
    rows: dict[int, list[int]] = {}
    for r, c in cells:
        rows.setdefault(r, []).append(c)
    out = [
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><cols><col min="1" max="2" width="9"/></cols><sheetData>'
    ]
    for r in sorted(rows):
        out.append(f'<row r="{r}" spans="1:9">')
        for c in sorted(set(rows[r])):
            out.append(STYLES[style].format(ref=f"{_letters(c)}{r}", col=_letters(c), row=r))
        out.append("</row>")
    out.append('</sheetData><pageMargins header="0.3" footer="0.3"/></worksheet>')
    return "".join(out).encode()


def _fast(data: bytes, chunk: int) -> Extent:
    extent = Extent()
    for i in range(0, len(data), chunk):
        extent.feed(data[i : i + chunk])
        assert extent.scanned <= i + chunk  # never claims bytes it has not seen
    extent.feed(b"", final=True)
    return extent


@given(
    cells=CELLS,
    chunk=st.sampled_from([7, 64, 1000, 1 << 20]),
    style=st.sampled_from(sorted(STYLES)),
)
@settings(max_examples=200, deadline=None)
def test_fast_sheet_scan_agrees_with_the_exact_scan(
    cells: list[tuple[int, int]], chunk: int, style: str
) -> None:
    """Fed in any chunking, the fast scan finds the true box, or defers to the exact scan."""
    data = _sheet(cells, style)
    box = (max(r for r, _ in cells), max(c for _, c in cells))
    exact = _exact_extent_of(data, chunk)
    assert exact[:2] == box and exact[2] == len(set(cells))
    fast = _fast(data, chunk)
    if style in ("canonical", "quoted"):
        assert not fast.odd and fast.scanned == len(data)
    if style in ("spaced", "later", "prefixed", "zeros"):
        # Legal XML the fast scan cannot read safely: it must notice, never guess.
        assert fast.odd or (fast.max_row, fast.max_col) == box
    if not fast.odd:
        assert (fast.max_row, fast.max_col) == box and fast.cells == len(set(cells))


def _exact_extent_of(data: bytes, chunk: int) -> tuple[int, int, int]:
    return exact_extent([data[i : i + chunk] for i in range(0, len(data), chunk)])


@pytest.mark.parametrize(
    ("xml", "box"),
    [
        (b'<row r="1"><c r="A1"><v>1</v></c><c><v>2</v></c></row>', (1, 2, 2)),  # a cell without r
        (b'<row r="1"><c r="A1" r="C1"><v>1</v></c></row>', (1, 3, 1)),  # a second r: the last wins
        (b'<row r="1"><c r = "D1"><v>1</v></c></row>', (1, 4, 1)),  # spaces around =
        (b'<row r="1"><c r="A007"><v>1</v></c></row>', (7, 1, 1)),  # leading zeros
        (b'<row r="1"><c t="n" r="B1"><v>1</v></c></row>', (1, 2, 1)),  # r not the first attribute
    ],
)
def test_odd_xml_falls_back_to_the_exact_scan(xml: bytes, box: tuple[int, int, int]) -> None:
    data = b'<worksheet xmlns="x"><sheetData>' + xml + b"</sheetData></worksheet>"
    assert _fast(data, 1 << 20).odd
    assert exact_extent([data]) == box


def test_the_exact_scan_follows_cells_without_references_as_calamine_does() -> None:
    data = (
        b'<sheetData><row r="3"><c r="C3"/><c/><c/></row><row><c/></row>'
        b'<row r="9"/><row><c r="B"/></row></sheetData>'
    )
    # C3, D3, E3; row 4: A4; row 9 is empty; row 10: B10
    assert exact_extent([data]) == (10, 5, 5)


def test_refusals_are_typed() -> None:
    assert extent_refusal(1_048_576, 26, 1_000_000) is None
    wide = extent_refusal(1, 16_384, 1)
    assert (
        wide is not None and wide.code == "E004" and str(wide.message).startswith("16,384 columns")
    )
    deep = extent_refusal(2_000_000, 1, 1)
    assert (
        deep is not None and deep.code == "E004" and "beyond Excel's last row" in str(deep.message)
    )
    sparse = extent_refusal(1_048_576, 26, 7)
    assert sparse is not None and "delete the stray cells" in str(sparse.message)


@given(cells=st.lists(st.tuples(st.integers(1, 300), st.integers(1, 60)), min_size=1, max_size=20))
@settings(max_examples=25, deadline=None)
def test_the_scan_bounds_what_calamine_loads(cells: list[tuple[int, int]]) -> None:
    import fastexcel

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.xlsx"
        data = _sheet(cells, "canonical")
        path.write_bytes(xlsx_bytes({"S": data}))
        loaded = fastexcel.read_excel(str(path)).load_sheet(
            0, header_row=None, skip_rows=0, dtypes="string"
        )
        fast = _fast(data, 1 << 20)
        assume(loaded.height > 0)
        assert fast.max_row >= loaded.height and fast.max_col >= loaded.width
        assert (fast.max_row, fast.max_col) == (loaded.height, max(c for _, c in cells))


# --- the census of cell kinds taken by the same scan -------------------------------------------

#: How each kind of cell is written, and what the census must find for it.
KINDS = {
    "number": ('<c r="{ref}"><v>{n}</v></c>', set()),
    "typed number": ('<c r="{ref}" s="1" t="n"><v>{n}</v></c>', set()),
    "long": ('<c r="{ref}"><v>0.30000000000000004</v></c>', {"long"}),
    "tiny": ('<c r="{ref}" s="2"><v>1E-10</v></c>', {"long"}),
    "shared": ('<c r="{ref}" t="s"><v>{n}</v></c>', {"text"}),
    "inline": ('<c r="{ref}" t="inlineStr"><is><t>1.23456789012345</t></is></c>', {"text"}),
    "formula text": ('<c r="{ref}" t="str"><f>A1&amp;"x"</f><v>ab</v></c>', {"text"}),
    "formula": ('<c r="{ref}"><f t="shared" ref="A1:A9" si="0">B1*2</f><v>{n}</v></c>', set()),
    "boolean": ('<c r="{ref}" t="b"><v>1</v></c>', {"text", "boolean"}),
    "error": ('<c r="{ref}" t="e"><v>#N/A</v></c>', {"text"}),
    "date": ('<c r="{ref}" t="d"><v>2021-06-30T00:00:00</v></c>', {"text"}),
}


@given(
    cells=st.lists(
        st.tuples(st.integers(1, 400), st.integers(1, 12), st.sampled_from(sorted(KINDS))),
        min_size=1,
        max_size=60,
        unique_by=lambda c: c[:2],
    ),
    chunk=st.sampled_from([13, 256, 4096, 1 << 20]),
)
@settings(max_examples=150, deadline=None)
def test_the_census_finds_every_kind_of_cell_by_column(
    cells: list[tuple[int, int, str]], chunk: int
) -> None:
    """Whole sheet: exactly the columns holding each kind; any byte range: at least those of
    the cells written in it; and the cells of the first 20 rows never count for a range
    after them (the header must not make the data below it look like text)."""
    from benchmark.readers.census import ColumnCensus

    rows: dict[int, list[tuple[int, str]]] = {}
    for r, c, kind in cells:
        rows.setdefault(r, []).append((c, kind))
    parts = ['<?xml version="1.0"?><worksheet xmlns="x"><sheetData>']
    spans: list[tuple[int, int, int, int, str]] = []  # start, end, row, column, kind
    for r in sorted(rows):
        parts.append(f'<row r="{r}">')
        for c, kind in sorted(rows[r]):
            start = sum(map(len, parts))
            parts.append(KINDS[kind][0].format(ref=f"{_letters(c)}{r}", n=r * 7 + c))
            spans.append((start, start + len(parts[-1]), r, c - 1, kind))
        parts.append("</row>")
    parts.append('</sheetData><pageMargins left="0.7875" top="1.05277777777778"/></worksheet>')
    data = "".join(parts).encode()
    census = ColumnCensus()
    extent = Extent(census)
    for i in range(0, len(data), chunk):
        extent.feed(data[i : i + chunk])
    extent.feed(b"", final=True)
    assert not extent.odd

    def expected(chosen: list[tuple[int, int, int, int, str]], what: str) -> set[int]:
        return {c for _s, _e, _r, c, kind in chosen if what in KINDS[kind][1]}

    whole = census.kinds()
    assert whole.not_numbers == expected(spans, "text")
    assert whole.booleans == expected(spans, "boolean")
    assert whole.long_numbers == expected(spans, "long")
    assert whole.width == max(c for _r, c, _k in cells)
    deep = [s for s in spans if s[2] > 20]
    if deep:
        after = census.kinds(deep[0][0])  # from the first cell below row 20 on
        assert after.not_numbers == expected(deep, "text")
        assert after.long_numbers == expected(deep, "long")
    for start, end, _row, column, kind in spans:
        assert set(census.kinds(start, end).not_numbers) >= expected(
            [(start, end, _row, column, kind)], "text"
        )

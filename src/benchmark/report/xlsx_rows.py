"""The rows of the Results sheet as SpreadsheetML, made column-wise by Arrow and spliced into
the workbook that xlsxwriter wrote around them.

Why not let the writer write them: a cell written through any Python API costs a call, a type
dispatch and a style lookup — 4–5 µs in xlsxwriter, 0.7 µs through the Rust rust_xlsxwriter
binding — and a Results sheet holds 30 cells a row (benchmarks/README.md has the figures). Here
each column of a slice of rows becomes the text of its cells in a few Arrow kernels (numbers in
their shortest round-trip form, text escaped for XML, the style of the tier where the tier
colours a cell), the cells of a row are joined, and the slice is deflated while the next one is
made. xlsxwriter still writes everything else — styles, header row, frozen pane, filter, print
setup, charts — and the style of every cell comes from what it wrote: the sheet holds a few
*probe* rows, one cell of each style the rows need, whose ``s`` attributes are read back from
its XML before the probe rows are replaced by the real ones.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmark._parallel import workers
from benchmark.readers.table import column_letter
from benchmark.report.arrowtext import TEXT, rows_text

#: Rows made into XML at a time: bounds the memory the text of a slice takes (~50 MB).
SLICE_ROWS = 32_768
#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767
#: zlib level of the rewritten workbook: 1 deflates three times as fast as the default 6 for
#: a file about a quarter larger; the sheet XML is most of the work of writing the report.
COMPRESS_LEVEL = 1
#: Characters XML 1.0 cannot hold at all (openpyxl's ILLEGAL_CHARACTERS_RE, plus U+FFFE/FFFF).
_ILLEGAL_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"
#: Text that needs more than copying into the XML: markup characters, illegal characters, or
#: spaces at either end (kept only with ``xml:space="preserve"``).
_NEEDS_CARE = r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]|^\s|\s$"


@dataclass(frozen=True)
class ColumnStyle:
    """How one column's cells are styled: ``base`` for every cell, or per row the style of the
    row's key (the tier) where ``by_key`` names one; ``key`` is the column holding the keys."""

    base: int | None
    key: str | None = None
    by_key: Mapping[str, int] | None = None


@dataclass(frozen=True)
class SheetRows:
    """The data rows of one sheet: the table, the style of each of its columns, and the
    columns whose text wraps (index → width in characters)."""

    table: Any  # pa.Table
    styles: Sequence[ColumnStyle]
    wrapped: Mapping[int, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- cell text


def _escaped_text(column: Any) -> tuple[Any, Any]:
    """Text for inline strings — illegal characters dropped, cut at Excel's limit, escaped —
    and where it needs ``xml:space="preserve"`` (spaces at either end), or None for nowhere.

    One scan decides: text that needs none of this (nearly all) is used as it is.
    """
    special = pc.match_substring_regex(column, _NEEDS_CARE)
    too_long = pc.max(pc.utf8_length(column)).as_py() or 0
    if not pc.any(special).as_py() and too_long <= MAX_CELL_CHARS:
        return column, None
    text = pc.replace_substring_regex(column, _ILLEGAL_XML, "")
    text = pc.utf8_slice_codeunits(text, 0, MAX_CELL_CHARS)
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, raw, entity)
    return text, pc.fill_null(pc.match_substring_regex(text, r"^\s|\s$"), False)


def _number_text(column: Any) -> Any:
    """Shortest round-trip text of each number (what Python's repr gives, without ``.0``);
    NaN and infinities are left out, as Excel has no value for them."""
    if pa.types.is_floating(column.type):
        column = pc.if_else(pc.is_finite(column), column, pa.scalar(None, column.type))
    return pc.cast(column, pa.string())


@dataclass(frozen=True)
class Values:
    """A column's values as the text inside its cells (large strings: a slice of long cells
    may pass 2 GB), the cell kind — ``n`` number, ``b`` boolean, ``s`` inline string — and,
    for strings, which need ``xml:space="preserve"`` (None: none do)."""

    text: Any
    kind: str
    preserve: Any = None


def _values(column: Any) -> Values:
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = pc.cast(column, kind.value_type)
        kind = column.type
    if pa.types.is_boolean(kind):
        return Values(pc.cast(pc.cast(column, pa.int8()), TEXT), "b")
    if pa.types.is_decimal(kind):
        column = pc.cast(column, pa.float64())
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        return Values(pc.cast(_number_text(column), TEXT), "n")
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        column = pc.cast(column, pa.string())  # dates and times: their ISO text
    text, preserve = _escaped_text(column)
    return Values(pc.cast(text, TEXT), "s", preserve)


_OPEN = {"n": '"><v>', "b": '" t="b"><v>', "s": '" t="inlineStr"><is><t>'}
_PRESERVE = '" t="inlineStr"><is><t xml:space="preserve">'
_CLOSE = {"n": "</v></c>", "b": "</v></c>", "s": "</t></is></c>"}


def _attr(style: int | None) -> str:
    return "" if style is None else f'" s="{style}'


def _opening(style: ColumnStyle, table: Any, values: Values) -> Any:
    """Each row's text between the cell reference and the value: the style attribute (the
    column's, or its key's) and the cell kind; one scalar when every row has the same."""
    keyed = style.key is not None and style.by_key is not None and style.key in table.column_names
    if not keyed and values.preserve is None:
        return pa.scalar(_attr(style.base) + _OPEN[values.kind], TEXT)
    attrs: Any = pa.scalar(_attr(style.base), TEXT)
    if keyed:
        assert style.key is not None and style.by_key is not None
        names = list(style.by_key)
        choices = pa.array([_attr(style.by_key[n]) for n in names] + [_attr(style.base)], TEXT)
        found = pc.index_in(table.column(style.key), value_set=pa.array(names, pa.string()))
        attrs = pc.take(choices, pc.fill_null(found, len(names)))
    kinds: Any = pa.scalar(_OPEN[values.kind], TEXT)
    if values.preserve is not None:
        kinds = pc.if_else(values.preserve, pa.scalar(_PRESERVE, TEXT), kinds)
    return pc.binary_join_element_wise(attrs, kinds, pa.scalar("", TEXT))


def _cells(table: Any, i: int, style: ColumnStyle, rows: Any) -> Any:
    """The XML of column ``i``'s cells in every row ("" where the value is missing)."""
    values = _values(table.column(i))
    cells = pc.binary_join_element_wise(
        pa.scalar(f'<c r="{column_letter(i)}', TEXT),
        rows,
        _opening(style, table, values),
        values.text,
        pa.scalar(_CLOSE[values.kind], TEXT),
        pa.scalar("", TEXT),
    )
    return pc.fill_null(cells, pa.scalar("", TEXT))


#: Points a line of 11-point text takes.
LINE_POINTS = 15
#: Column units a Chinese character takes in 11-point text (a digit takes one).
WIDE = 1.75


def _heights(table: Any, wrapped: Mapping[int, float]) -> Any:
    """Each row's height attribute where a wrapped cell needs more than one line, else
    nothing: neither Excel nor LibreOffice sizes the rows of a file it opens, so wrapped text
    would show its first line only. A Chinese character takes :data:`WIDE` of a column's
    character units."""
    lines: Any = None
    for i, width in wrapped.items():
        text = pc.cast(table.column(i), pa.string())
        wide = pc.utf8_length(pc.replace_substring_regex(text, r"[\x00-\x7f]", ""))
        units = pc.add(
            pc.cast(pc.subtract(pc.utf8_length(text), wide), pa.float64()),
            pc.multiply(pc.cast(wide, pa.float64()), WIDE),
        )
        need = pc.ceil(pc.divide(units, max(width - 0.5, 1.0)))
        lines = need if lines is None else pc.max_element_wise(lines, need)
    if lines is None:
        return pa.scalar("", TEXT)
    lines = pc.fill_null(lines, 1.0)
    height = pc.cast(pc.cast(pc.multiply(lines, float(LINE_POINTS)), pa.int64()), TEXT)
    attribute = pc.binary_join_element_wise(
        pa.scalar(' ht="', TEXT), height, pa.scalar('" customHeight="1"', TEXT), pa.scalar("", TEXT)
    )
    return pc.if_else(pc.greater(lines, 1.0), attribute, pa.scalar("", TEXT))


def rows_xml(part: SheetRows, first_row: int) -> bytes:
    """The ``<row>`` elements of ``part``'s table, its first row at Excel row ``first_row``:
    the cells of each column made column-wise, then laid out row by row."""
    table = part.table
    n = table.num_rows
    if n == 0:
        return b""
    rows = pc.cast(pa.array(np.arange(first_row, first_row + n), pa.int64()), TEXT)
    opens = pc.binary_join_element_wise(
        pa.scalar('<row r="', TEXT),
        rows,
        pa.scalar('"', TEXT),
        _heights(table, part.wrapped),
        pa.scalar(">", TEXT),
        pa.scalar("", TEXT),
    )
    cells = [_cells(table, i, style, rows) for i, style in enumerate(part.styles)]
    return rows_text([opens, *cells, "</row>"], n)


def iter_rows_xml(
    part: SheetRows, first_row: int = 2, slice_rows: int | None = None
) -> Iterator[bytes]:
    """:func:`rows_xml` a slice at a time, the next slices made in threads while the caller
    deflates the last (Arrow's kernels and zlib both release the GIL); at most one slice per
    core waits, which bounds the memory."""
    size = slice_rows or SLICE_ROWS
    starts = list(range(0, part.table.num_rows, size))

    def make(start: int) -> bytes:
        piece = SheetRows(part.table.slice(start, size), part.styles, part.wrapped)
        return rows_xml(piece, first_row + start)

    ahead = max(workers(), 1)
    with ThreadPoolExecutor(ahead, "benchmark-xlsx") as pool:
        pending: deque[Future[bytes]] = deque()
        for start in starts:
            pending.append(pool.submit(make, start))
            if len(pending) > ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# --------------------------------------------------------------------------- splice

_SHEET_DATA = re.compile(rb"<sheetData>(.*?)</sheetData>|<sheetData/>", re.S)
_ROW = re.compile(rb"<row [^>]*>.*?</row>", re.S)
_CELL_STYLE = re.compile(rb'<c r="([A-Z]+)(\d+)"(?: s="(\d+)")?')
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def probe_styles(sheet_xml: bytes) -> dict[str, int | None]:
    """The style index of every cell the writer put in ``sheet_xml`` (``"J3"`` → 5; None for a
    cell without one): how the probe rows tell which index each format received."""
    return {
        (m.group(1) + m.group(2)).decode(): int(m.group(3)) if m.group(3) else None
        for m in _CELL_STYLE.finditer(sheet_xml)
    }


def sheet_paths(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the package, from the workbook and its relationships."""
    workbook = book.read("xl/workbook.xml").decode("utf-8")
    rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(
        re.findall(
            r'<Relationship Id="([^"]+)" Type="[^"]*/worksheet" '
            r'Target="([^"]+)"',
            rels,
        )
    )
    out = {}
    for name, rid in re.findall(r'<sheet name="([^"]*)" sheetId="\d+" r:id="([^"]+)"', workbook):
        target = targets[rid].lstrip("/")
        out[_unescape(name)] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _unescape(text: str) -> str:
    for raw, entity in (
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("'", "&apos;"),
        ("&", "&amp;"),
    ):
        text = text.replace(entity, raw)
    return text


def _split_sheet(xml: bytes, keep_rows: int) -> tuple[bytes, bytes]:
    """The sheet XML before and after its data rows, keeping the first ``keep_rows`` rows (the
    header) in the part before."""
    found = _SHEET_DATA.search(xml)
    if found is None:
        raise ValueError("the sheet has no sheetData")
    rows = _ROW.findall(found.group(1) or b"")[:keep_rows]
    head = xml[: found.start()] + b"<sheetData>" + b"".join(rows)
    return head, b"</sheetData>" + xml[found.end() :]


def _with_dimension(head: bytes, last_col: int, last_row: int) -> bytes:
    ref = f'<dimension ref="A1:{column_letter(last_col)}{max(last_row, 1)}"/>'.encode()
    return _DIMENSION.sub(lambda _: ref, head, count=1)


def splice(
    book: bytes,
    sheets: Mapping[str, SheetRows],
    out: IO[bytes],
    header_rows: int = 1,
    make: Callable[[SheetRows], Iterator[bytes]] | None = None,
) -> None:
    """Copy the workbook ``book`` into ``out``, each sheet named in ``sheets`` with its rows
    after the first ``header_rows`` replaced by the rows of its table."""
    rows_of = make or (lambda part: iter_rows_xml(part, header_rows + 1))
    with (
        zipfile.ZipFile(io.BytesIO(book)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as dst,
    ):
        paths = {path: sheets[name] for name, path in sheet_paths(src).items() if name in sheets}
        for info in src.infolist():
            target = zipfile.ZipInfo(info.filename, info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            part = paths.get(info.filename)
            if part is None:
                dst.writestr(target, src.read(info))
                continue
            head, tail = _split_sheet(src.read(info), header_rows)
            head = _with_dimension(
                head, max(part.table.num_columns - 1, 0), part.table.num_rows + header_rows
            )
            with dst.open(target, "w", force_zip64=True) as fh:
                fh.write(head)
                for piece in rows_of(part):
                    fh.write(piece)
                fh.write(tail)

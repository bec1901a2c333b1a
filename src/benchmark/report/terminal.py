"""Tables that fit the terminal they are printed on, whatever its width.

A figure must never be cut: rich, given a table wider than the terminal, shrinks every column
in the end and cuts numbers to ``14,1…``. So a table here is laid out only where it fits:
figures and tiers (``whole`` columns) keep their full width, text columns fold (a long
enterprise or category name wraps onto more lines, and is never cut), empty columns are left
out. Where even that does not fit, each row becomes a card — its name, then each figure with
its heading — which fits any width. The caller says which layouts to try, widest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

#: A text column may be folded down to this many cells (four Chinese characters).
MIN_TEXT_CELLS = 8
#: Cells a column adds to its content: one of padding on either side, and its border.
COLUMN_CHROME = 3


@dataclass(frozen=True)
class Col:
    """A column: its heading; ``kind`` ``figure`` (kept whole, right-aligned), ``word`` (a
    tier or status: kept whole, left-aligned) or ``text`` (folded where it must be); and
    ``title``: a card shows it in its title line rather than after its heading."""

    heading: str
    kind: str = "text"
    title: bool = False

    @property
    def whole(self) -> bool:
        return self.kind != "text"


@dataclass
class Grid:
    """Rows of cells under columns; a cell is plain text or styled :class:`Text`."""

    columns: list[Col]
    rows: list[list[str | Text]] = field(default_factory=list)
    #: Rows a rule is drawn above (a total under its groups).
    ruled: set[int] = field(default_factory=set)

    def add(self, *cells: str | Text | None, ruled: bool = False) -> None:
        if ruled:
            self.ruled.add(len(self.rows))
        self.rows.append([_blank(c) for c in cells])

    def without_empty_columns(self) -> Grid:
        """The grid without the columns no row fills (a category column of an area with one
        level, a saving column when no row gives its output)."""
        keep = [
            i
            for i in range(len(self.columns))
            if any(not _empty(row[i]) for row in self.rows) or not self.rows
        ]
        return Grid(
            [self.columns[i] for i in keep],
            [[row[i] for i in keep] for row in self.rows],
            self.ruled,
        )


def _blank(cell: str | Text | None) -> str | Text:
    return "" if cell is None else cell


def _empty(cell: str | Text) -> bool:
    return str(cell).strip() in ("", "–")


def _plain(cell: str | Text) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def stacked(heading: str, width: int) -> str:
    """A heading on as many lines as it needs to be no wider than ``width`` cells: broken
    before a bracket (``节能潜力`` / ``（吨标准煤）``) and between words, never inside one."""
    words: list[str] = []
    for part in heading.replace("（", "\n（").replace(" (", "\n(").split("\n"):
        words += [part] if cell_len(part) <= width else part.split(" ")
    lines: list[str] = []
    for word in words:
        if lines and "\n" not in word and cell_len(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _figure_width(grid: Grid, index: int) -> int:
    """The cells a figure column needs: its widest value, or its heading's longest word."""
    values = [cell_len(line) for row in grid.rows for line in _plain(row[index]).splitlines()]
    heading = grid.columns[index].heading
    longest_word = max(
        (cell_len(w) for w in heading.replace("（", " （").replace("(", " (").split()), default=0
    )
    return max([*values, longest_word, 1])


def needed_width(grid: Grid) -> int:
    """The narrowest the grid can be laid out as a table without cutting a figure."""
    total = 1
    for i, col in enumerate(grid.columns):
        content = _figure_width(grid, i) if col.whole else MIN_TEXT_CELLS
        total += content + COLUMN_CHROME
    return total


def table(grid: Grid, title: str | Text | None = None, caption: str | None = None) -> Table:
    """The grid as a rich table: figures whole and right-aligned, text folded."""
    out = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        caption=caption,
        caption_justify="left",
    )
    for i, col in enumerate(grid.columns):
        if col.whole:
            heading = stacked(col.heading, _figure_width(grid, i))
            if col.kind == "figure":
                out.add_column(heading, justify="right", no_wrap=True)
            else:
                out.add_column(heading, no_wrap=True)
        else:
            out.add_column(col.heading, overflow="fold")
    for n, row in enumerate(grid.rows):
        if n in grid.ruled:
            out.add_section()
        out.add_row(*(Text(c) if isinstance(c, str) else c for c in row))
    return out


def cards(grid: Grid, title: str | Text | None = None, caption: str | None = None) -> Group:
    """Each row as a card: its title cells on one line, then its figures, each after its
    heading, wrapped at the terminal's width."""
    parts: list[RenderableType] = []
    if title is not None:
        parts.append(Text(title, style="bold") if isinstance(title, str) else title)
    for row in grid.rows:
        head = Text(" · ").join(
            Text(c, style="bold") if isinstance(c, str) else c
            for c, col in zip(row, grid.columns, strict=True)
            if col.title and not _empty(c)
        )
        body = Text(" · ").join(
            Text.assemble(Text(f"{col.heading} ", style="dim"), c)
            for c, col in zip(row, grid.columns, strict=True)
            if not col.title and not _empty(c)
        )
        parts += [head, Padding(body, (0, 0, 0, 2))]
    if caption:
        parts.append(Text(caption, style="dim"))
    return Group(*parts)


def fitted(
    layouts: Sequence[Sequence[tuple[Grid, str | Text | None]]],
    width: int,
    caption: str | None = None,
) -> list[RenderableType]:
    """The first layout whose every grid fits ``width`` as a table, each grid's empty
    columns left out; else the last layout as cards. A layout is one or more grids, each
    with its title (an area, or one category of it)."""
    for layout in layouts:
        grids = [(g.without_empty_columns(), t) for g, t in layout]
        if all(needed_width(g) <= width for g, _ in grids):
            return _with_caption([table(g, t) for g, t in grids], caption)
    last = [(g.without_empty_columns(), t) for g, t in layouts[-1]]
    return _with_caption([cards(g, t) for g, t in last], caption)


def _with_caption(parts: list[Table] | list[Group], caption: str | None) -> list[RenderableType]:
    out: list[RenderableType] = list(parts)
    if caption:
        out.append(Text(caption, style="dim"))
    return out

"""Large sheets read in pieces on every core while the guard is still checking the rest.

:class:`PieceReader` is the :class:`~benchmark.readers.guard.SheetWatcher` of one workbook. For
each sheet big enough to split it creates — only then, and once per workbook — a temporary
directory and a thread pool, observes the sheet's checked XML with a
:class:`~benchmark.readers.split.SheetSplitter`, and hands each piece to calamine as soon as
the guard has measured every byte of it. Closing the reader (it is a context manager) stops the
pool, drops the pieces not yet read and removes the directory, on every path out.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from benchmark.i18n import Msg
from benchmark.readers.cells import Loaded, TooWide, load
from benchmark.readers.census import ColumnCensus, ColumnKinds
from benchmark.readers.extent import TOP_ROWS
from benchmark.readers.guard import SheetObserver, SheetStream
from benchmark.readers.limits import Refusal
from benchmark.readers.split import SheetPiece, SheetSplitter, empty_sheet, plan_pieces

#: A piece being read: None when it did not read as written (the sheet is then read whole).
PieceLoad = Future["Loaded | None"]


class PieceReader:
    """Splits the large sheets of one workbook into pieces and reads them in a thread pool."""

    def __init__(self, workers: int, stop: threading.Event | None = None) -> None:
        self._workers = workers
        self._stop = stop
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._sheets: dict[str, list[tuple[SheetPiece, PieceLoad]]] = {}
        self._count = 0
        self._no_space = False
        #: Things the user should know that are no problem of the file (the pieces fell back
        #: to the whole read); taken by the caller.
        self.notices: list[Msg] = []

    # --- the guard's side (SheetWatcher) -----------------------------------------------------

    def wants_others(self, sheet_sizes: Sequence[int], others_size: int) -> bool:
        """Keep the small parts only if some sheet will be split: every piece copies them."""
        return self._workers > 1 and any(
            plan_pieces(size, others_size, self._workers) > 1 for size in sheet_sizes
        )

    def watch(self, stream: SheetStream) -> SheetObserver | None:
        """A splitter for a sheet big enough to be worth it; None for any other."""
        others_size = sum(len(data) for data in stream.others.values())
        count = plan_pieces(stream.size, others_size, self._workers)
        if count < 2 or self._workers < 2 or not stream.others:  # one core: read it whole
            return None
        directory = self._directory(f"sheet{self._count}")
        self._count += 1
        if directory is None:
            return None
        others = dict(stream.others)
        others.update((p, empty_sheet()) for p in stream.sheet_parts if p != stream.part)
        splitter = SheetSplitter(
            directory, stream.part, others, stream.size, count, head_rows=TOP_ROWS
        )
        return _Observer(self, stream.sheets[0], splitter, stream.census)

    # --- the reader's side -------------------------------------------------------------------

    def pieces(self, sheet: str) -> list[tuple[SheetPiece, PieceLoad]] | None:
        """The pieces of ``sheet`` and their loads, if it was split and every piece handed."""
        return self._sheets.get(sheet)

    def sheet_names(self) -> list[str] | None:
        """The workbook's sheet names as calamine reads them from the first piece of a split
        sheet (every piece carries the workbook's own ``workbook.xml``); None when no sheet
        was split or that piece could not be read."""
        for pieces in self._sheets.values():
            try:
                loaded = pieces[0][1].result()
            except Exception:  # a failed or cancelled piece: the whole read will say
                return None
            return None if loaded is None else loaded.sheets
        return None

    def close(self) -> None:
        """Drop the pieces not yet read, wait for those being read, remove the directory."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        for pieces in self._sheets.values():
            for piece, _load in pieces:
                with contextlib.suppress(OSError):
                    piece.path.unlink(missing_ok=True)
        self._sheets.clear()
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> PieceReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # --- internals ---------------------------------------------------------------------------

    def _directory(self, name: str) -> Path | None:
        """A fresh directory for one sheet's pieces, in the workbook's temporary directory
        (made on first use); None, with a notice, when none can be made."""
        try:
            if self._dir is None:
                self._dir = tempfile.TemporaryDirectory(
                    prefix="benchmark-", ignore_cleanup_errors=True
                )
            path = Path(self._dir.name) / name
            path.mkdir()
        except OSError as exc:
            self._notice_no_space(exc.strerror or str(exc))
            return None
        return path

    def _submit(self, sheet: str, piece: SheetPiece, kinds: ColumnKinds) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, "benchmark-piece")
        future = self._pool.submit(_load_piece, piece, sheet, kinds, self._stop)
        self._sheets.setdefault(sheet, []).append((piece, future))

    def _finished(self, sheet: str, pieces: list[SheetPiece] | None, census: ColumnCensus) -> None:
        """The sheet's splitter is done: hand the pieces left, or forget the sheet's pieces
        (those handed are removed as they are read) so that it is read whole."""
        if pieces is None:
            self._sheets.pop(sheet, None)
            return
        handed = {piece.path for piece, _load in self._sheets.get(sheet, [])}
        for piece in pieces:
            if piece.path not in handed:
                self._submit(sheet, piece, census.kinds(piece.start, piece.end))

    def _notice_no_space(self, why: str | Msg) -> None:
        if not self._no_space:
            self._no_space = True
            where = tempfile.gettempdir()
            self.notices.append(
                Msg(
                    "not enough temporary space in {folder} ({reason}) to read a large sheet in "
                    "pieces: it was read whole, on one core (set TMPDIR to a larger disk to read "
                    "it faster)",
                    folder=where,
                    reason=why,
                )
            )


class _Observer:
    """Feeds one sheet's checked XML to its splitter and hands each piece on once measured."""

    def __init__(
        self, owner: PieceReader, sheet: str, splitter: SheetSplitter, census: ColumnCensus
    ) -> None:
        self._owner = owner
        self._sheet = sheet
        self._splitter = splitter
        self._census = census

    def feed(self, chunk: bytes) -> None:
        self._splitter.feed(chunk)

    def measured(self, upto: int) -> None:
        """Hand on the pieces within the measured bytes, with what the census found in them."""
        for piece in self._splitter.ready(upto):
            self._owner._submit(self._sheet, piece, self._census.kinds(piece.start, piece.end))

    def finish(self, refusal: Refusal | None, plain: bool) -> None:
        if refusal is not None or not plain:
            self._splitter.abandon()
            pieces = None
        else:
            pieces = self._splitter.finish()
        if self._splitter.out_of_space:
            self._owner._notice_no_space(Msg("no space left on the device"))
        self._owner._finished(self._sheet, pieces, self._census)


def _load_piece(
    piece: SheetPiece, name: str, kinds: ColumnKinds, stop: threading.Event | None
) -> Loaded | None:
    """One piece as read, or None if it is not as written (or the run was stopped).

    The first piece keeps its leading empty rows, like a whole sheet, and is read as text: the
    header is among its rows. A later piece skips them and must then begin with its sentinel
    row (see :mod:`benchmark.readers.split`); it holds data rows only, so each of its columns
    that the census shows to hold nothing but numbers is read as numbers (but column A, where
    the sentinel is text). The file is removed once read, or unread once the run is stopped:
    temporary space is often memory.
    """
    import fastexcel

    try:
        if stop is not None and stop.is_set():
            return None
        body = piece.first_row is not None
        reader = fastexcel.read_excel(str(piece.path))
        loaded = load(
            reader,
            name,
            skip_rows=None if body else 0,
            kinds=kinds,
            typed=range(1, kinds.width) if body else (),
        )
        loaded.sheets = list(reader.sheet_names)
    except TooWide:
        return None
    finally:
        with contextlib.suppress(OSError):
            piece.path.unlink()
    if piece.first_row is not None:
        batch, columns = loaded.batch, loaded.columns
        if not batch.num_rows or 0 not in columns:
            return None
        if batch.column(columns.index(0))[0].as_py() != piece.token:
            return None
        loaded.batch = batch.slice(1)
    return loaded

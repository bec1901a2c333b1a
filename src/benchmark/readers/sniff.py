"""What a file really is, by its first bytes rather than its name."""

from __future__ import annotations

import struct
from pathlib import Path

from benchmark.i18n import Msg

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
INPUT_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".parquet")
#: The path that means standard input (CSV).
STDIN = "-"

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def sniff(path: Path, head: bytes) -> str | Msg:
    """What a file really is: ``xlsx``, ``csv``, ``parquet``, or a reason it is none (kept to
    be said in the reader's language)."""
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    if head.startswith(_CFB[:4]):
        return _cfb_kind(path)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"%PDF"):
        return Msg("a PDF document, not a spreadsheet")
    if not head:
        return Msg("an empty file")
    if suffix in WORKBOOK_SUFFIXES or suffix in (".xls", ".xlsb"):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
            return Msg(
                "an HTML page with a spreadsheet's name (a common web export): open it in "
                "Excel and save it as .xlsx"
            )
        if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return Msg("an Excel 2003 XML spreadsheet: open it in Excel and save it as .xlsx")
        return Msg(
            "not a {suffix} workbook (no spreadsheet signature): the file may be corrupt",
            suffix=suffix,
        )
    return "csv"


def _cfb_kind(path: Path) -> Msg:
    """Tell an encrypted workbook from a legacy .xls: both are OLE2 compound files.

    The names of the first directory sector say which: ``EncryptedPackage`` (Excel's password
    protection) or ``Workbook``/``Book`` (Excel 97–2003). One seek, one read.
    """
    generic = Msg(
        "an encrypted (password-protected) workbook or a legacy .xls file: remove the "
        "password or save it as .xlsx"
    )
    try:
        with open(path, "rb") as fh:
            header = fh.read(512)
            if len(header) < 512 or not header.startswith(_CFB):
                return generic
            (shift,) = struct.unpack_from("<H", header, 30)
            (first_dir,) = struct.unpack_from("<I", header, 48)
            if not 9 <= shift <= 16 or first_dir >= 0xFFFFFFFA:
                return generic
            fh.seek((first_dir + 1) << shift)
            directory = fh.read(1 << shift)
    except OSError:
        return generic
    if "EncryptedPackage".encode("utf-16-le") in directory:
        return Msg(
            "a password-protected (encrypted) workbook: open it in Excel, remove the "
            "password (File › Info › Protect Workbook) and save it again"
        )
    if any(n.encode("utf-16-le") + b"\x00\x00" in directory for n in ("Workbook", "Book")):
        return Msg("a legacy Excel 97–2003 .xls workbook: open it in Excel and save it as .xlsx")
    return generic

"""How big a workbook may turn out once opened, checked before it is read.

An .xlsx is a zip of XML. A 1.6 KB file with one cell at CV1000000 opens as a 100 × 1,000,000
grid, and a small archive of repeated shared strings unpacks to gigabytes: the reader would build
all of it in memory. So the archive's unpacked size, and the first sheet's declared dimension and
the extent its cells really reach (rows, columns, rows × columns), are checked against limits while
streaming the sheet's XML, before the workbook is handed to the reader. Each refusal names the
limit it hit.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext, gettext_noop

from hexie.monitoring.feeds.messages import TOO_LARGE
from hexie.monitoring.feeds.readers import XLSX_UNREADABLE, FeedFileError

# Only cells carry an r attribute of letters and digits; a row's r is its number.
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{0,3})([0-9]{0,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')
_CHUNK = 1 << 20
_OVERLAP = 256  # a tag cut between two chunks is seen whole in the next one
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_BOOK, _BOOK_RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
_SMALL_PART = 16 * 1024 * 1024  # the workbook's table of sheets: kilobytes, even with hundreds of sheets


@dataclass(frozen=True)
class XlsxLimits:
    """The largest workbook read (settings IMPORT_XLSX_MAX_*; see README)."""

    unpacked_bytes: int = 1024 * 1024 * 1024
    rows: int = 1_048_576
    columns: int = 200
    cells: int = 15_000_000


def column_number(letters: bytes | str) -> int:
    """1 for A, 26 for Z, 27 for AA, 100 for CV."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def _refuse(what: str, value: int, limit: int) -> FeedFileError:
    """``what`` is a msgid: the message is kept in Chinese and shown through messages.localise()."""
    return FeedFileError(TOO_LARGE % {"what": what, "value": f"{value:,}", "limit": f"{limit:,}"})


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {m.group(1): m.group(2) for m in _ATTR.finditer(tag)}


def _first_sheet(zf: zipfile.ZipFile) -> str | None:
    """The archive path of the workbook's first sheet (the one the reader takes).

    Read with patterns, not an XML parser: the parts come from the uploader (no entity expansion).
    """
    try:
        if max(zf.getinfo(n).file_size for n in (_BOOK, _BOOK_RELS)) > _SMALL_PART:
            raise FeedFileError(gettext(XLSX_UNREADABLE))
        book, rels = zf.read(_BOOK), zf.read(_BOOK_RELS)
    except KeyError:
        return None
    first = _SHEET_TAG.search(book)
    if first is None:
        return None
    rel_id = next((v for k, v in _attrs(first.group(0)).items() if k.endswith(b":id")), None)
    for tag in _REL_TAG.finditer(rels):
        attrs = _attrs(tag.group(0))
        if rel_id is not None and attrs.get(b"Id") == rel_id:
            target = attrs.get(b"Target", b"").decode("utf-8", "replace")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return None


def check_xlsx(source: str | Path | io.IOBase, limits: XlsxLimits) -> None:
    """Refuse (FeedFileError) a workbook over ``limits``; a broken archive is left to the reader to name."""
    try:
        zf = zipfile.ZipFile(source)  # type: ignore[arg-type]
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with zf:
        unpacked = sum(info.file_size for info in zf.infolist())
        if unpacked > limits.unpacked_bytes:
            raise _refuse(gettext_noop("解压后字节数"), unpacked, limits.unpacked_bytes)
        sheet = _first_sheet(zf)
        if sheet is None or sheet not in zf.namelist():
            return
        try:
            _check_sheet(zf, sheet, limits)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise FeedFileError(gettext(XLSX_UNREADABLE)) from None  # damaged, or sizes that do not add up


def _check_extent(rows: int, columns: int, limits: XlsxLimits) -> None:
    if rows > limits.rows:
        raise _refuse(gettext_noop("行数"), rows, limits.rows)
    if columns > limits.columns:
        raise _refuse(gettext_noop("列数"), columns, limits.columns)
    if rows * columns > limits.cells:
        raise _refuse(gettext_noop("单元格数（行×列）"), rows * columns, limits.cells)


def _check_sheet(zf: zipfile.ZipFile, sheet: str, limits: XlsxLimits) -> None:
    """Stream the sheet's XML (never more than the declared unpacked size), tracking the extent."""
    max_row = max_col = 0
    seen = 0
    tail = b""
    budget = zf.getinfo(sheet).file_size
    with zf.open(sheet) as fh:
        while block := fh.read(_CHUNK):
            seen += len(block)
            if seen > budget:  # the archive lies about its sizes: a zip bomb
                raise _refuse(gettext_noop("解压后字节数"), seen, budget)
            text = tail + block
            if max_row == 0 and (dim := _DIMENSION.search(text)):
                end_col, end_row = (dim.group(3), dim.group(4)) if dim.group(3) else (dim.group(1), dim.group(2))
                if end_col and end_row:
                    _check_extent(int(end_row), column_number(end_col), limits)
            refs = _CELL_REF.findall(text)  # findall and sets: this loop sees every cell of the sheet
            if refs:
                max_col = max(max_col, *map(column_number, {col for col, _ in refs}))
                max_row = max(max_row, *map(int, {row for _, row in refs}))
            rows = _ROW_REF.findall(text)
            if rows:
                max_row = max(max_row, *map(int, rows))
            _check_extent(max_row, max_col, limits)
            tail = text[-_OVERLAP:]

"""Reading a feed: every source format turned into one shape, :class:`RawTable`.

A feed arrives as a CSV file (UTF-8 with or without BOM, or GBK/GB18030 as Chinese Excel saves
it), an .xlsx workbook (python-calamine: fast, no formulas evaluated), a Parquet file, or a list
of JSON records from the API. Each becomes text columns named as in the source plus the row
number the user sees, so that a file and an API batch then get the same checks and answers.
Rows that cannot even be split into columns are kept as errors, never dropped silently.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.utils.translation import gettext, gettext_noop

from hexie.monitoring.feeds.columns import RowError
from hexie.monitoring.feeds.messages import UNSUPPORTED_TYPE, WRONG_CELLS

if TYPE_CHECKING:
    from hexie.monitoring.feeds.xlsx_limits import XlsxLimits

EXTENSIONS = (".csv", ".xlsx", ".parquet")
EMPTY = gettext_noop("该文件没有数据行")
UTF8_BOM = b"\xef\xbb\xbf"
XLSX_UNREADABLE = gettext_noop("无法读取该Excel文件（文件损坏或不是.xlsx格式）")


class FeedFileError(Exception):
    """The file as a whole cannot be read (encoding, corrupt workbook, empty…): one clear message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RawTable:
    """A feed as read: text columns named as in the source, and each row's number as the user sees it.

    ``rows`` holds the row numbers (the header is row 1 in a file, the first record is 1 in an
    API batch); ``header_row`` is the row to name in header errors (None for the API).
    ``errors`` are rows that could not even be split into columns.
    """

    headers: list[str]
    columns: list[pa.Array]
    rows: pa.Array
    header_row: int | None = 1
    errors: list[RowError] = field(default_factory=list)

    @property
    def num_rows(self) -> int:
        return len(self.rows)


WRONG_ENCODING = gettext_noop("文件编码不正确，仅支持 UTF-8 或 GBK（GB18030）编码的 CSV，请另存后重新上传")
# How much of a GBK-decoded file is looked at, and how much of its non-ASCII text must be common
# simplified Chinese (GB2312 characters and full-width punctuation) for it to be taken as GBK.
_SAMPLE_CHARS = 65536
_MIN_CHINESE_SHARE = 0.75
_MIN_SAMPLE = 8


def _common_chinese(ch: str) -> bool:
    if not ("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"):
        return False
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _reads_as_chinese(text: str) -> bool:
    """Whether text decoded as GB18030 really is Chinese text, not another encoding read as GBK.

    Almost any byte string decodes as GB18030, so a Big5 (traditional Chinese) or Shift-JIS file
    "succeeds" as mojibake: rare characters, kana, private-use code points. Real GBK text is mostly
    common simplified characters; a few rare ones (a name) are fine.
    """
    wide = [ch for ch in text if ord(ch) > 127]
    if len(wide) < _MIN_SAMPLE:
        return True
    return sum(map(_common_chinese, wide)) >= _MIN_CHINESE_SHARE * len(wide)


def decode_csv_bytes(data: bytes) -> bytes:
    """The file's text as UTF-8 bytes: UTF-8 (BOM or not) as is, otherwise GB18030 (a superset of GBK)."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    try:
        data.decode("utf-8")
        utf8 = data
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise FeedFileError(WRONG_ENCODING) from None
        if not _reads_as_chinese(text[:_SAMPLE_CHARS]):
            raise FeedFileError(WRONG_ENCODING) from None
        utf8 = text.encode("utf-8")
    # NUL bytes mean UTF-16 ("Unicode text") or a binary file renamed to .csv.
    if b"\x00" in utf8:
        raise FeedFileError(
            gettext_noop("该文件不是文本格式的CSV（可能是UTF-16或其他格式），请另存为 UTF-8 或 GBK 编码的 CSV")
        )
    return utf8


def read_csv(data: bytes) -> RawTable:
    """Read CSV bytes; rows with the wrong number of cells are reported, not dropped silently."""
    utf8 = decode_csv_bytes(data)
    if not utf8.strip():
        raise FeedFileError(gettext("文件为空"))
    first_line = utf8.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    try:
        headers = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        raise FeedFileError(gettext("无法读取表头（第1行）")) from None
    if not any(h.strip() for h in headers):
        raise FeedFileError(gettext("第1行应为表头（列名）"))
    names = [f"c{i}" for i in range(len(headers))]
    skipped: list[int | None] = []
    bad: list[RowError] = []

    def on_invalid(row: Any) -> str:
        number = row.number
        skipped.append(number)
        if row.text.strip(" \r\n\t,"):  # a blank line (or only commas) is skipped without a word
            bad.append((number, "", WRONG_CELLS % {"cells": row.actual_columns,
                                                      "header": row.expected_columns}))
        return "skip"

    def parse(use_threads: bool) -> pa.Table:
        return pacsv.read_csv(
            io.BytesIO(utf8),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=use_threads,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid, newlines_in_values=False,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )

    try:
        table = parse(True)
        if bad or skipped:
            # The parallel parser cannot tell the line number of a malformed row; the serial one
            # can, so a file with such rows (rejected anyway) is read again to name them.
            bad.clear()
            skipped.clear()
            table = parse(False)
    except pa.ArrowInvalid as exc:
        raise FeedFileError(gettext("CSV文件格式有误，无法读取（%(error)s）") % {"error": exc}) from None
    n = table.num_rows
    if skipped:
        # The parser counts lines from 1 (the header); the rows it kept are the others, in order.
        all_rows = np.arange(2, n + len(skipped) + 2, dtype=np.int64)
        rows = pa.array(np.setdiff1d(all_rows, np.array([s for s in skipped if s is not None], dtype=np.int64))[:n])
    else:
        rows = pa.array(np.arange(2, n + 2, dtype=np.int64))
    if n == 0 and not bad:
        raise FeedFileError(gettext(EMPTY))
    # A row of only empty cells (",,,,") is not data.
    if n:
        nonempty = None
        for col in table.columns:
            has = pc.not_equal(pc.utf8_trim_whitespace(col), "")
            nonempty = has if nonempty is None else pc.or_(nonempty, has)
        if nonempty is not None and not pc.all(nonempty).as_py():
            table = table.filter(nonempty)
            rows = rows.filter(nonempty)
    return RawTable(headers=headers, columns=[c.combine_chunks() for c in table.columns], rows=rows, errors=bad)


def _cell_text(value: Any) -> str | None:
    """An Excel or JSON cell as the text a user would have typed."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps every number as a double: 3 comes back as 3.0, and an ID typed as a number
        # as 1.1e17. repr() is the shortest text that reads back as the same double, so 1234.56
        # stays "1234.56" (its decimal meaning) and the later exact conversion sees what was typed.
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def read_xlsx(source: str | Path | io.IOBase, limits: XlsxLimits | None = None) -> RawTable:
    """Read the first sheet of a workbook (python-calamine: fast, no formulas evaluated).

    Its size once unpacked is checked first (``limits``, default :class:`XlsxLimits`): a tiny
    file may open as a grid of a hundred million cells.
    """
    from python_calamine import CalamineWorkbook

    from hexie.monitoring.feeds.xlsx_limits import XlsxLimits, check_xlsx

    check_xlsx(source, limits or XlsxLimits())
    if isinstance(source, io.IOBase):
        source.seek(0)
    try:
        wb = (CalamineWorkbook.from_path(str(source)) if isinstance(source, str | Path)
              else CalamineWorkbook.from_filelike(source))
        if not wb.sheet_names:
            raise FeedFileError(gettext("Excel文件中没有工作表"))
        values = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except FeedFileError:
        raise
    except Exception:  # calamine raises its own errors, zip errors, ValueError… all mean "unreadable"
        raise FeedFileError(gettext(XLSX_UNREADABLE)) from None
    while values and not any(v not in ("", None) for v in values[-1]):
        values.pop()
    if not values:
        raise FeedFileError(gettext("文件为空"))
    headers = [_cell_text(v) or "" for v in values[0]]
    width = len(headers)
    keep: list[int] = []
    body: list[list[Any]] = []
    for i, row in enumerate(values[1:], start=2):
        if any(v not in ("", None) for v in row):
            keep.append(i)
            body.append(list(row[:width]) + [None] * (width - len(row)))
    if not body:
        raise FeedFileError(gettext(EMPTY))
    columns = []
    for col in zip(*body, strict=True):
        columns.append(pa.array([v if type(v) is str else _cell_text(v) for v in col], type=pa.string()))
    return RawTable(headers=headers, columns=columns, rows=pa.array(keep, type=pa.int64()))


def _as_text(arr: pa.ChunkedArray) -> pa.Array:
    """A typed Parquet column as text the checks understand (dates ISO, times HH:MM:SS)."""
    t = arr.type
    if pa.types.is_dictionary(t):
        arr = arr.cast(t.value_type)
        t = t.value_type
    if pa.types.is_timestamp(t):
        if t.tz is not None:
            arr = pc.local_timestamp(arr)
        return pc.strftime(arr.cast(pa.timestamp("s"), safe=False), format="%Y-%m-%d %H:%M:%S").combine_chunks()
    if pa.types.is_time(t):
        return arr.cast(pa.time32("s"), safe=False).cast(pa.string()).combine_chunks()
    if pa.types.is_floating(t):
        # Parquet floats come from tools that could not write decimals; their shortest repr is
        # what was meant (the same as Excel cells above).
        return pa.array([_cell_text(v) for v in arr.to_pylist()], type=pa.string())
    return arr.cast(pa.string()).combine_chunks()


def read_parquet(source: str | Path | io.IOBase) -> RawTable:
    """Read a Parquet file; typed columns become the text a user would have typed."""
    try:
        table = pq.read_table(source)  # type: ignore[arg-type]
    except Exception:
        raise FeedFileError(gettext("无法读取该Parquet文件（文件损坏或格式不对）")) from None
    if table.num_rows == 0:
        raise FeedFileError(gettext(EMPTY))
    columns = []
    for i in range(table.num_columns):
        try:
            columns.append(_as_text(table.column(i)))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            # A nested column (list, struct…) has no text form. Columns the feed does not use are
            # ignored anyway; a used one then reads as empty, and its rows say the value is missing.
            columns.append(pa.nulls(table.num_rows, pa.string()))
    return RawTable(headers=list(table.column_names), columns=columns,
                    rows=pa.array(np.arange(2, table.num_rows + 2, dtype=np.int64)))


def read_file(source: str | Path | IO[bytes], original_name: str, *,
              xlsx_limits: XlsxLimits | None = None) -> RawTable:
    """Read an upload by its original file name's extension (a workbook within ``xlsx_limits``).

    ``source`` is a path or a seekable binary file: a stored original is read through the
    encrypted storage as such a file, so its clear content exists only in memory."""
    ext = Path(original_name).suffix.lower()
    if isinstance(source, str | Path):
        with open(source, "rb") as fh:
            return read_file(fh, original_name, xlsx_limits=xlsx_limits)
    if ext == ".csv":
        return read_csv(source.read())
    if ext == ".xlsx":
        return read_xlsx(source, xlsx_limits)  # type: ignore[arg-type]
    if ext == ".parquet":
        return read_parquet(source)  # type: ignore[arg-type]
    if ext == ".json":
        import json

        try:
            records = json.loads(source.read())
        except ValueError:
            raise FeedFileError(gettext("JSON内容无法解析")) from None
        return read_records(records)
    raise FeedFileError(unsupported_extension(original_name))


def unsupported_extension(name: str) -> str:
    return UNSUPPORTED_TYPE % {"suffix": Path(name).suffix[:20] or name[:40]}


def read_records(records: Sequence[Any]) -> RawTable:
    """API records (a list of objects with national field names) as a table; row = index + 1."""
    headers: list[str] = []
    seen: set[str] = set()
    bad: list[RowError] = []
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            bad.append((i, "", gettext_noop("每条记录应为JSON对象")))
            continue
        for key in rec:
            if key not in seen:
                seen.add(key)
                headers.append(key)
    columns = []
    for key in headers:
        values: list[str | None] = []
        append = values.append
        for i, rec in enumerate(records, start=1):
            v = rec.get(key) if type(rec) is dict else None
            if v is None or type(v) is str:  # the common case first: this loop runs for every cell
                append(v)
            elif isinstance(v, dict | list):
                bad.append((i, key, gettext_noop("应为文本或数字")))
                append(None)
            else:
                append(_cell_text(v))
        columns.append(pa.array(values, type=pa.string()))
    return RawTable(headers=headers, columns=columns,
                    rows=pa.array(np.arange(1, len(records) + 1, dtype=np.int64)), header_row=None, errors=bad)

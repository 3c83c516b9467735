"""Reading and checking monitoring feeds: attendance, payroll and special-account deposits.

A feed arrives as a CSV file (UTF-8 with or without BOM, or GBK/GB18030 as Chinese Excel saves
it), an .xlsx workbook, a Parquet file, or a list of JSON records from the API. Headers may be
the national real-name platform's names (``idCardNumber``), the Chinese column titles
(``身份证号``) or snake_case (``id_card_number``). Every source is first turned into one shape
(:class:`RawTable`: text columns plus the row number the user sees), then checked and converted
by the same vectorised code, so a file and an API batch get the same answers.

The checks run in DuckDB over Arrow tables, a block of rows at a time, so a million-row file is
checked in seconds; Python only touches the *distinct* ID numbers (checksum, HMAC lookup) and
project codes. Every row is checked, never stopping at the first error: an import is accepted
whole or not at all, and the user needs the complete list to fix the file in one go.

Amounts are converted to integer fen with exact decimal arithmetic (DuckDB DECIMAL, never a
binary float), months to integer yyyymm, as ``lake.SCHEMAS`` stores them.

SQL here is composed from this module's own constants: values from a file reach DuckDB only as
Arrow data; column headers and lake paths appear only as escaped string literals (``_lit``).

This module reads no database itself: the registry look-ups (projects in the uploader's scope,
workers, the roster, earlier batches) come through the :class:`Registry` protocol, which
``hexie.monitoring.imports`` implements with the ORM.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from hexie.core.pii import encrypt, lookup_hash
from hexie.core.validators import is_valid_id_number
from hexie.monitoring import lake

FEEDS = ("attendance", "payroll", "deposit")
EXTENSIONS = (".csv", ".xlsx", ".parquet")
# Rows checked per block: the progress bar moves after each one.
CHUNK_ROWS = 50_000
# A payroll month or a date before this year is a typing mistake, not history.
MIN_YEAR = 1990

# What counts as blank around a value: ordinary and full-width spaces, tabs, line ends.
_SPACES = " \t\r\n\u3000"

ERROR_SCHEMA = pa.schema([("row", pa.int64()), ("field", pa.string()), ("message", pa.string())])


class FeedFileError(Exception):
    """The file as a whole cannot be read (encoding, corrupt workbook, empty…): one clear message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One field of a feed: its internal key, the national platform's name, and accepted headers."""

    key: str
    national: str
    chinese: str
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.national}（{self.chinese}）"


def _cols(*columns: Column) -> dict[str, Column]:
    return {c.key: c for c in columns}


_PROJECT = Column("project_code", "projectCode", "项目编码", ("项目代码", "项目编号"))
_ID = Column("id_number", "idCardNumber", "身份证号", ("idnumber", "idcard", "身份证号码", "证件号码", "公民身份号码"))

COLUMNS: dict[str, dict[str, Column]] = {
    "attendance": _cols(
        _PROJECT, _ID,
        Column("work_date", "date", "考勤日期", ("checkdate", "attendancedate", "workdate", "日期")),
        Column("work_hours", "workHours", "工时", ("hours", "工作时长")),
        Column("in_time", "inTime", "进场时间", ("上班时间",)),
        Column("out_time", "outTime", "离场时间", ("下班时间",)),
    ),
    "payroll": _cols(
        _PROJECT, _ID,
        Column("pay_month", "payMonth", "工资月份", ("month", "月份")),
        Column("days", "days", "出勤天数", ("workdays",)),
        Column("work_hours", "workHours", "工时", ("hours",)),
        Column("gross", "totalPayAmount", "应发金额", ("应发工资",)),
        Column("net", "actualAmount", "实发金额", ("实发工资",)),
        Column("paid_on", "balanceDate", "发放日期", ("paydate",)),
        Column("bank_card", "bankCardNumber", "银行卡号", ("bankcard",)),
        Column("is_back_pay", "isBackPay", "是否补发", ()),
    ),
    "deposit": _cols(
        _PROJECT,
        Column("month", "payMonth", "拨付月份", ("month",)),
        Column("amount", "amount", "拨付金额", ()),
        Column("deposited_on", "depositDate", "拨付日期", ()),
    ),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "attendance": ("project_code", "id_number", "work_date"),  # plus workHours or inTime+outTime
    "payroll": ("project_code", "id_number", "pay_month", "gross", "net"),
    "deposit": ("project_code", "month", "amount", "deposited_on"),
}

_PAREN = re.compile(r"[（(][^）)]*[）)]")
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_header(header: str) -> str:
    """``应发金额（元）``, ``total_pay_amount`` and ``totalPayAmount`` → one comparable key."""
    text = _PAREN.sub("", str(header)).replace("\ufeff", "").strip()
    return _SEPARATORS.sub("", text).lower()


def _alias_map(feed: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in COLUMNS[feed].values():
        for name in (col.key, col.national, col.chinese, *col.aliases):
            out[normalise_header(name)] = col.key
    return out


# --- reading --------------------------------------------------------------------------------


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
    errors: list[tuple[int | None, str, str]] = field(default_factory=list)

    @property
    def num_rows(self) -> int:
        return len(self.rows)


_UTF8_BOM = b"\xef\xbb\xbf"


def decode_csv_bytes(data: bytes) -> bytes:
    """The file's text as UTF-8 bytes: UTF-8 (BOM or not) as is, otherwise GB18030 (a superset of GBK)."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        data.decode("utf-8")
        utf8 = data
    except UnicodeDecodeError:
        try:
            utf8 = data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            raise FeedFileError(
                "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件 / "
                "The file's encoding is not recognised; save it as CSV in UTF-8 or GBK."
            ) from None
    # NUL bytes mean UTF-16 ("Unicode text") or a binary file renamed to .csv.
    if b"\x00" in utf8:
        raise FeedFileError(
            "该文件不是文本格式的CSV（可能是UTF-16或其他格式），请另存为 UTF-8 或 GBK 编码的 CSV / "
            "This is not a plain-text CSV (perhaps UTF-16 or a binary file); save it as CSV in UTF-8 or GBK."
        )
    return utf8


_EMPTY = ("该文件没有数据行 / The file has no data rows.")


def read_csv(data: bytes) -> RawTable:
    """Read CSV bytes; rows with the wrong number of cells are reported, not dropped silently."""
    utf8 = decode_csv_bytes(data)
    if not utf8.strip():
        raise FeedFileError("文件为空 / The file is empty.")
    first_line = utf8.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    try:
        headers = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        raise FeedFileError("无法读取表头（第1行） / The header (row 1) cannot be read.") from None
    if not any(h.strip() for h in headers):
        raise FeedFileError("第1行应为表头（列名） / Row 1 must hold the column names.")
    names = [f"c{i}" for i in range(len(headers))]
    skipped: list[int | None] = []
    bad: list[tuple[int | None, str, str]] = []

    def on_invalid(row: Any) -> str:
        number = row.number
        skipped.append(number)
        if row.text.strip(" \r\n\t,"):  # a blank line (or only commas) is skipped without a word
            bad.append((number, "", f"该行有{row.actual_columns}列，表头有{row.expected_columns}列 / "
                                    f"this row has {row.actual_columns} cells, the header {row.expected_columns}."))
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
        raise FeedFileError(f"CSV文件格式有误，无法读取 / The CSV file is malformed and cannot be read ({exc}).") from None
    n = table.num_rows
    if skipped:
        # The parser counts lines from 1 (the header); the rows it kept are the others, in order.
        all_rows = np.arange(2, n + len(skipped) + 2, dtype=np.int64)
        rows = pa.array(np.setdiff1d(all_rows, np.array([s for s in skipped if s is not None], dtype=np.int64))[:n])
    else:
        rows = pa.array(np.arange(2, n + 2, dtype=np.int64))
    if n == 0 and not bad:
        raise FeedFileError(_EMPTY)
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


def read_xlsx(source: str | Path | io.IOBase) -> RawTable:
    """Read the first sheet of a workbook (python-calamine: fast, no formulas evaluated)."""
    from python_calamine import CalamineWorkbook

    try:
        wb = (CalamineWorkbook.from_path(str(source)) if isinstance(source, str | Path)
              else CalamineWorkbook.from_filelike(source))
        if not wb.sheet_names:
            raise FeedFileError("Excel文件中没有工作表 / The workbook has no sheet.")
        values = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except FeedFileError:
        raise
    except Exception:  # calamine raises its own errors, zip errors, ValueError… all mean "unreadable"
        raise FeedFileError(
            "无法读取该Excel文件（文件损坏或不是.xlsx格式） / The Excel file cannot be read (corrupt or not .xlsx)."
        ) from None
    while values and not any(v not in ("", None) for v in values[-1]):
        values.pop()
    if not values:
        raise FeedFileError("文件为空 / The file is empty.")
    headers = [_cell_text(v) or "" for v in values[0]]
    width = len(headers)
    keep: list[int] = []
    body: list[list[Any]] = []
    for i, row in enumerate(values[1:], start=2):
        if any(v not in ("", None) for v in row):
            keep.append(i)
            body.append(list(row[:width]) + [None] * (width - len(row)))
    if not body:
        raise FeedFileError(_EMPTY)
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
    try:
        table = pq.read_table(source)  # type: ignore[arg-type]
    except Exception:
        raise FeedFileError(
            "无法读取该Parquet文件（文件损坏或格式不对） / The Parquet file cannot be read (corrupt or not Parquet)."
        ) from None
    if table.num_rows == 0:
        raise FeedFileError(_EMPTY)
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


def read_file(path: str | Path, original_name: str) -> RawTable:
    """Read a stored upload by its original file name's extension."""
    ext = Path(original_name).suffix.lower()
    if ext == ".csv":
        return read_csv(Path(path).read_bytes())
    if ext == ".xlsx":
        return read_xlsx(path)
    if ext == ".parquet":
        return read_parquet(path)
    if ext == ".json":
        import json

        try:
            records = json.loads(Path(path).read_bytes())
        except ValueError:
            raise FeedFileError("JSON内容无法解析 / The JSON content cannot be parsed.") from None
        return read_records(records)
    raise FeedFileError(unsupported_extension(original_name))


def unsupported_extension(name: str) -> str:
    return (f"不支持的文件类型“{Path(name).suffix[:20] or name[:40]}”，请上传 .csv、.xlsx 或 .parquet 文件 / "
            f"Unsupported file type; upload a .csv, .xlsx or .parquet file.")


def read_records(records: Sequence[Any]) -> RawTable:
    """API records (a list of objects with national field names) as a table; row = index + 1."""
    headers: list[str] = []
    seen: set[str] = set()
    bad: list[tuple[int | None, str, str]] = []
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            bad.append((i, "", "每条记录应为JSON对象 / each record must be a JSON object."))
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
                bad.append((i, key, "应为文本或数字 / must be text or a number."))
                append(None)
            else:
                append(_cell_text(v))
        columns.append(pa.array(values, type=pa.string()))
    return RawTable(headers=headers, columns=columns,
                    rows=pa.array(np.arange(1, len(records) + 1, dtype=np.int64)), header_row=None, errors=bad)


# --- the registry seen by the checks --------------------------------------------------------


class Registry(Protocol):
    """What the checks need to know from the database, asked once per import with distinct keys."""

    def projects(self, codes: list[str]) -> dict[str, int]:
        """Project code → id, for the codes that exist AND are in the uploader's scope."""
        ...

    def workers(self, id_hashes: list[str]) -> dict[str, int]:
        """Worker.id_hash → worker id, for the hashes on the real-name register."""
        ...

    def roster(self, project_ids: list[int]) -> list[tuple[int, int, date]]:
        """(worker id, project id, entry date) of every roster entry of these projects."""
        ...

    def batch_labels(self, batch_ids: list[int]) -> dict[int, str]:
        """Import id → the file name it came from, to name the earlier import in an error."""
        ...


# --- checking -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """The result of checking one feed: either a lake table (no errors) or the errors."""

    rows_total: int
    errors: pa.Table
    table: pa.Table | None = None
    months: list[int] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return self.errors.num_rows

    @property
    def ok(self) -> bool:
        return self.errors.num_rows == 0 and self.table is not None


def errors_table(items: Iterable[tuple[int | None, str, str]]) -> pa.Table:
    items = list(items)
    return pa.table({"row": pa.array([i[0] for i in items], type=pa.int64()),
                     "field": pa.array([i[1] for i in items], type=pa.string()),
                     "message": pa.array([i[2] for i in items], type=pa.string())}, schema=ERROR_SCHEMA)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Text the user may have typed for a date or a time; Excel and Parquet cells are turned into the
# first ones by the readers.
_DATE_FORMATS = ("['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y-%m-%d %H:%M:%S', "
                 "'%Y/%m/%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y/%m/%d %H:%M', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S']")
_TIME_FORMATS = "['%H:%M', '%H:%M:%S', '%H:%M:%S.%f']"
_AMOUNT_RE = r"[0-9]{1,13}(\.[0-9]{1,2})?"
_HOURS_RE = r"[0-9]{1,4}(\.[0-9]{1,4})?"


def _clean(col: str) -> str:
    # The columns arrive trimmed (in Arrow, several times faster than DuckDB's trim with a
    # character set); an empty cell is a missing value.
    return f"nullif({col}, '')"


def _date(expr: str) -> str:
    # The cast reads ISO dates (most rows) several times faster; the formats catch the rest.
    return f"coalesce(try_cast({expr} AS DATE), try_strptime({expr}, {_DATE_FORMATS})::DATE)"


def _fen(expr: str) -> str:
    """Yuan text → integer fen, exactly (DECIMAL, not float); NULL when not a valid amount."""
    return (f"CASE WHEN regexp_full_match({expr}, '{_AMOUNT_RE}') "
            f"THEN CAST(CAST({expr} AS DECIMAL(18,2)) * 100 AS BIGINT) END")


def _minutes_from_hours(expr: str) -> str:
    return (f"CASE WHEN regexp_full_match({expr}, '{_HOURS_RE}') "
            f"THEN CAST(round(CAST({expr} AS DECIMAL(18,4)) * 60) AS BIGINT) END")


def _month(expr: str) -> str:
    """'2024-03', '202403', '2024/3', '2024年3月' or a date in the month → 202403; NULL otherwise."""
    return (f"CASE WHEN regexp_full_match({expr}, '[0-9]{{6}}') THEN CAST({expr} AS INTEGER) "
            f"WHEN regexp_full_match({expr}, '[0-9]{{4}}[-/.年][0-9]{{1,2}}月?') "
            f"THEN CAST(left({expr}, 4) AS INTEGER) * 100 "
            f"+ CAST(regexp_extract({expr}, '^[0-9]{{4}}[-/.年]([0-9]{{1,2}})', 1) AS INTEGER) "
            f"WHEN {_date(expr)} IS NOT NULL THEN CAST(strftime({_date(expr)}, '%Y%m') AS INTEGER) END")


def _valid_month(col: str) -> str:
    return f"({col} % 100 BETWEEN 1 AND 12 AND {col} // 100 BETWEEN {MIN_YEAR} AND 2999)"


_REQUIRED = "必填项为空 / a required value is missing."
_BAD_DATE = "日期格式不正确，应为如 2024-03-01 的日期 / not a valid date; use a date such as 2024-03-01."
_FUTURE = "日期不能晚于今天 / the date is in the future."
_BAD_MONTH = "月份格式不正确，应为 YYYY-MM 或 YYYYMM / not a valid month; use YYYY-MM or YYYYMM."
_FUTURE_MONTH = "月份不能晚于本月 / the month is in the future."
_BAD_AMOUNT = "金额格式不正确，应为以元为单位、最多两位小数的非负数 / not a valid amount; yuan, at most 2 decimals."
_NEGATIVE = "金额不能为负数 / the amount must not be negative."
_BAD_PROJECT = ("项目编码不存在或不在您的辖区内 / unknown project code, or the project is outside your "
                "jurisdiction.")
_BAD_ID = "身份证号码格式或校验位不正确 / not a valid ID number (format or check digit, GB 11643)."
_NOT_ON_ROSTER = "未在该项目实名登记 / not on the project's real-name roster."


@dataclass
class Check:
    """One rule: rows where ``condition`` holds get ``message`` (SQL text expression) on ``field``."""

    field: str
    condition: str
    message: str  # a SQL expression, usually a literal


def _msg(text: str) -> str:
    return _lit(text)


def _feed_sql(feed: str, today: date) -> tuple[str, list[Check]]:
    """The conversion query (raw → typed ``conv``) and the row checks over ``conv``, per feed."""
    today_lit = f"DATE '{today.isoformat()}'"
    this_month = today.year * 100 + today.month
    common_checks = [
        Check("project_code", "project_code IS NULL", _msg(_REQUIRED)),
        Check("project_code", "project_code IS NOT NULL AND project_id IS NULL", _msg(_BAD_PROJECT)),
    ]
    id_checks = [
        Check("id_number", "idn IS NULL", _msg(_REQUIRED)),
        Check("id_number", "idn IS NOT NULL AND NOT coalesce(id_valid, false)", _msg(_BAD_ID)),
        Check("id_number", "id_valid AND project_id IS NOT NULL AND entry_date IS NULL", _msg(_NOT_ON_ROSTER)),
    ]
    if feed == "attendance":
        sql = f"""
        WITH s AS (
          SELECT __row, {_clean('project_code')} AS project_code, {_clean('id_number')} AS idn,
                 {_clean('work_date')} AS date_s, {_clean('work_hours')} AS hours_s,
                 {_clean('in_time')} AS in_s, {_clean('out_time')} AS out_s
          FROM raw
        ), t AS (
          SELECT s.*, p.project_id, i.valid AS id_valid, i.worker_id, r.entry_date,
                 {_date('date_s')} AS work_date,
                 {_minutes_from_hours('hours_s')} AS hours_min,
                 try_strptime(in_s, {_TIME_FORMATS}) AS in_t, try_strptime(out_s, {_TIME_FORMATS}) AS out_t
          FROM s LEFT JOIN projects p ON p.code = s.project_code
                 LEFT JOIN ids i ON i.idn = s.idn
                 LEFT JOIN roster r ON r.worker_id = i.worker_id AND r.project_id = p.project_id
        )
        SELECT *, CASE WHEN hours_s IS NOT NULL THEN hours_min
                       WHEN in_t IS NOT NULL AND out_t IS NOT NULL AND out_t >= in_t
                       THEN date_diff('minute', in_t, out_t) END AS minutes,
                  CAST(strftime(work_date, '%Y%m') AS INTEGER) AS month
        FROM t
        """  # noqa: S608  (see the module note on SQL)
        checks = [
            *common_checks, *id_checks,
            Check("work_date", "date_s IS NULL", _msg(_REQUIRED)),
            Check("work_date", "date_s IS NOT NULL AND work_date IS NULL", _msg(_BAD_DATE)),
            Check("work_date", f"work_date > {today_lit}", _msg(_FUTURE)),
            Check("work_date", f"year(work_date) < {MIN_YEAR}", _msg(_BAD_DATE)),
            Check("work_date", "work_date < entry_date",
                  "'考勤日期早于进场日期（' || strftime(entry_date, '%Y-%m-%d') || '） / the date is before the "
                  "worker''s entry date (' || strftime(entry_date, '%Y-%m-%d') || ').'"),
            Check("work_hours", "hours_s IS NULL AND (in_s IS NULL OR out_s IS NULL)",
                  _msg("须填写工时，或进场时间和离场时间 / work hours, or both in and out times, are required.")),
            Check("work_hours", "hours_s IS NOT NULL AND hours_min IS NULL",
                  _msg("工时格式不正确，应为小时数（如 8 或 7.5） / not a valid number of hours (e.g. 8 or 7.5).")),
            Check("work_hours", "hours_min > 1440", _msg("工时应在0至24小时之间 / hours must be between 0 and 24.")),
            Check("in_time", "hours_s IS NULL AND in_s IS NOT NULL AND in_t IS NULL",
                  _msg("时间格式不正确，应为 HH:MM / not a valid time; use HH:MM.")),
            Check("out_time", "hours_s IS NULL AND out_s IS NOT NULL AND out_t IS NULL",
                  _msg("时间格式不正确，应为 HH:MM / not a valid time; use HH:MM.")),
            Check("out_time", "hours_s IS NULL AND out_t < in_t",
                  _msg("离场时间早于进场时间 / the out time is before the in time (same day).")),
        ]
        return sql, checks
    if feed == "payroll":
        sql = f"""
        WITH s AS (
          SELECT __row, {_clean('project_code')} AS project_code, {_clean('id_number')} AS idn,
                 {_clean('pay_month')} AS month_s, {_clean('days')} AS days_s, {_clean('work_hours')} AS hours_s,
                 replace({_clean('gross')}, ',', '') AS gross_s, replace({_clean('net')}, ',', '') AS net_s,
                 {_clean('paid_on')} AS paid_s,
                 nullif(regexp_replace(coalesce(bank_card, ''), '[\\s-]', '', 'g'), '') AS card_s,
                 lower({_clean('is_back_pay')}) AS back_s
          FROM raw
        )
        SELECT s.*, p.project_id, i.valid AS id_valid, i.worker_id, r.entry_date,
               {_month('month_s')} AS month,
               CASE WHEN regexp_full_match(days_s, '[0-9]{{1,3}}') THEN CAST(days_s AS INTEGER) END AS days,
               {_minutes_from_hours('hours_s')} AS minutes,
               {_fen('gross_s')} AS gross_fen, {_fen('net_s')} AS net_fen,
               {_date('paid_s')} AS paid_on,
               CASE WHEN back_s IS NULL OR back_s IN ('0', 'false', '否', 'n', 'no', 'f') THEN false
                    WHEN back_s IN ('1', 'true', '是', 'y', 'yes', 't') THEN true END AS is_back_pay
        FROM s LEFT JOIN projects p ON p.code = s.project_code
               LEFT JOIN ids i ON i.idn = s.idn
               LEFT JOIN roster r ON r.worker_id = i.worker_id AND r.project_id = p.project_id
        """  # noqa: S608  (see the module note on SQL)
        checks = [
            *common_checks, *id_checks,
            Check("pay_month", "month_s IS NULL", _msg(_REQUIRED)),
            Check("pay_month", f"month_s IS NOT NULL AND (month IS NULL OR NOT {_valid_month('month')})",
                  _msg(_BAD_MONTH)),
            Check("pay_month", f"{_valid_month('month')} AND month > {this_month}", _msg(_FUTURE_MONTH)),
            Check("days", "days_s IS NOT NULL AND (days IS NULL OR days > 31)",
                  _msg("出勤天数应为0至31的整数 / days must be a whole number from 0 to 31.")),
            Check("work_hours", "hours_s IS NOT NULL AND minutes IS NULL",
                  _msg("工时格式不正确，应为小时数 / not a valid number of hours.")),
            Check("work_hours", "minutes > 31 * 24 * 60",
                  _msg("工时超过一个月的小时数 / more hours than a month has.")),
            Check("gross", "gross_s IS NULL", _msg(_REQUIRED)),
            Check("gross", "gross_s IS NOT NULL AND gross_fen IS NULL AND gross_s LIKE '-%'", _msg(_NEGATIVE)),
            Check("gross", "gross_s IS NOT NULL AND gross_fen IS NULL AND gross_s NOT LIKE '-%'", _msg(_BAD_AMOUNT)),
            Check("net", "net_s IS NULL AND paid_s IS NOT NULL",
                  _msg("已填写发放日期的，须填写实发金额 / actualAmount is required when a pay date is given.")),
            Check("net", "net_s IS NOT NULL AND net_fen IS NULL AND net_s LIKE '-%'", _msg(_NEGATIVE)),
            Check("net", "net_s IS NOT NULL AND net_fen IS NULL AND net_s NOT LIKE '-%'", _msg(_BAD_AMOUNT)),
            Check("net", "net_fen > gross_fen", _msg("实发金额大于应发金额 / actualAmount is more than totalPayAmount.")),
            Check("paid_on", "paid_s IS NOT NULL AND paid_on IS NULL", _msg(_BAD_DATE)),
            Check("paid_on", f"paid_on > {today_lit}", _msg(_FUTURE)),
            Check("paid_on", f"year(paid_on) < {MIN_YEAR}", _msg(_BAD_DATE)),
            Check("bank_card", "card_s IS NOT NULL AND NOT regexp_full_match(card_s, '[0-9]{12,19}')",
                  _msg("银行卡号应为12至19位数字 / the bank card number must be 12 to 19 digits.")),
            Check("is_back_pay", "is_back_pay IS NULL",
                  _msg("是否补发应为 是/否、1/0 或 true/false / isBackPay must be 1/0, true/false or 是/否.")),
        ]
        return sql, checks
    sql = f"""
    WITH s AS (
      SELECT __row, {_clean('project_code')} AS project_code, {_clean('month')} AS month_s,
             replace({_clean('amount')}, ',', '') AS amount_s, {_clean('deposited_on')} AS date_s
      FROM raw
    )
    SELECT s.*, p.project_id, {_month('month_s')} AS month, {_fen('amount_s')} AS amount_fen,
           {_date('date_s')} AS deposited_on
    FROM s LEFT JOIN projects p ON p.code = s.project_code
    """  # noqa: S608  (see the module note on SQL)
    checks = [
        *common_checks,
        Check("month", "month_s IS NULL", _msg(_REQUIRED)),
        Check("month", f"month_s IS NOT NULL AND (month IS NULL OR NOT {_valid_month('month')})", _msg(_BAD_MONTH)),
        Check("month", f"{_valid_month('month')} AND month > {this_month}", _msg(_FUTURE_MONTH)),
        Check("amount", "amount_s IS NULL", _msg(_REQUIRED)),
        Check("amount", "amount_s IS NOT NULL AND amount_fen IS NULL AND amount_s LIKE '-%'", _msg(_NEGATIVE)),
        Check("amount", "amount_s IS NOT NULL AND amount_fen IS NULL AND amount_s NOT LIKE '-%'", _msg(_BAD_AMOUNT)),
        Check("deposited_on", "date_s IS NULL", _msg(_REQUIRED)),
        Check("deposited_on", "date_s IS NOT NULL AND deposited_on IS NULL", _msg(_BAD_DATE)),
        Check("deposited_on", f"deposited_on > {today_lit}", _msg(_FUTURE)),
        Check("deposited_on", f"year(deposited_on) < {MIN_YEAR}", _msg(_BAD_DATE)),
    ]
    return sql, checks


# The key that may appear once per feed, and the column to name when it repeats.
_KEYS: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "attendance": (("worker_id", "project_id", "work_date"), "work_date", "同一人同一项目同一天",
                   "same worker, project and date"),
    "payroll": (("worker_id", "project_id", "month"), "pay_month", "同一人同一项目同一月份",
                "same worker, project and month"),
    "deposit": (("project_id", "month"), "month", "同一项目同一月份", "same project and month"),
}
_LAKE_SELECT: dict[str, str] = {
    "attendance": "SELECT worker_id, project_id, work_date, month, CAST(minutes AS INTEGER) AS minutes "
                  "FROM conv ORDER BY project_id, work_date, worker_id",
    "payroll": "SELECT c.worker_id, c.project_id, c.month, c.days, CAST(c.minutes AS INTEGER) AS minutes, "
               "c.gross_fen, c.net_fen, c.paid_on, k.token AS bank_card_token, right(c.card_s, 4) AS bank_card_last4, "
               "c.is_back_pay FROM conv c LEFT JOIN cards k ON k.card = c.card_s "
               "ORDER BY c.project_id, c.month, c.worker_id",
    "deposit": "SELECT project_id, month, amount_fen, deposited_on FROM conv ORDER BY project_id, month",
}
# Columns of the typed table kept after the row checks (the rest is not needed any more).
_KEEP: dict[str, str] = {
    "attendance": "__row, project_id, worker_id, work_date, month, minutes",
    "payroll": "__row, project_id, worker_id, month, days, minutes, gross_fen, net_fen, paid_on, card_s, is_back_pay",
    "deposit": "__row, project_id, month, amount_fen, deposited_on",
}


def map_headers(feed: str, raw: RawTable) -> tuple[dict[str, int], dict[str, str], list[tuple[int | None, str, str]]]:
    """Which source column holds each field; the header as the user wrote it; header errors."""
    aliases = _alias_map(feed)
    index: dict[str, int] = {}
    shown: dict[str, str] = {}
    errors: list[tuple[int | None, str, str]] = []
    for i, header in enumerate(raw.headers):
        key = aliases.get(normalise_header(header))
        if key is None:
            continue  # other columns (name, team…) are allowed and ignored
        if key in index:
            errors.append((raw.header_row, header,
                           f"列重复：“{shown[key]}”与“{header}”是同一项 / duplicate column: "
                           f"\"{shown[key]}\" and \"{header}\" are the same field."))
            continue
        index[key] = i
        shown[key] = header
    cols = COLUMNS[feed]
    for key in REQUIRED[feed]:
        if key not in index:
            errors.append((raw.header_row, cols[key].national,
                           f"缺少必填列 {cols[key].chinese} / missing column: {cols[key].national}"))
    if feed == "attendance" and "work_hours" not in index and not ("in_time" in index and "out_time" in index):
        errors.append((raw.header_row, cols["work_hours"].national,
                       "缺少必填列 工时（或进场时间和离场时间） / missing column: workHours (or inTime and outTime)"))
    for key, col in cols.items():
        shown.setdefault(key, col.national)
    return index, shown, errors


def _distinct_text(arr: pa.Array) -> list[str]:
    return [v for v in pc.unique(arr).to_pylist() if v]


def check(
    feed: str,
    raw: RawTable,
    registry: Registry,
    *,
    today: date,
    batch_id: int,
    progress: Callable[[int], None] | None = None,
    lake_files: list[str] | None = None,
) -> Outcome:
    """Check and convert every row of a feed; the lake table only when there is no error at all.

    ``lake_files`` are the feed's earlier accepted files (default: all of ``lake.feed_files``
    except this batch's own), searched for keys this import would repeat.
    """
    if feed not in FEEDS:
        raise ValueError(feed)
    n = raw.num_rows
    index, shown, header_errors = map_headers(feed, raw)
    if header_errors:
        return Outcome(rows_total=n, errors=errors_table(header_errors))
    structural = list(raw.errors)

    # The working table: one text column per field (missing optional ones as NULL) and the row number.
    arrays: dict[str, pa.Array] = {"__row": raw.rows}
    for key in COLUMNS[feed]:
        if key not in index:
            arrays[key] = pa.nulls(n, pa.string())
            continue
        # Blanks around a value (also full-width spaces from Chinese input methods) are not part of it;
        # the look-ups below and the SQL both see these trimmed values.
        col = pc.utf8_trim(raw.columns[index[key]], characters=_SPACES)
        arrays[key] = pc.ascii_upper(col) if key == "id_number" else col  # a final 'x' is the check 'X'

    work = pa.table(arrays)

    con = duckdb.connect()
    try:
        # Look-ups on distinct values only: a million rows carry a few thousand projects and workers.
        codes = _distinct_text(work["project_code"].combine_chunks())
        projects = registry.projects(codes) if codes else {}
        con.register("projects", pa.table({"code": pa.array(list(projects), pa.string()),
                                           "project_id": pa.array(list(projects.values()), pa.int64())}))
        if "id_number" in COLUMNS[feed]:
            idns = _distinct_text(work["id_number"].combine_chunks())
            valid = {v: is_valid_id_number(v) for v in idns}
            hashes = {v: lookup_hash(v) for v, ok in valid.items() if ok}
            workers = registry.workers(sorted(set(hashes.values()))) if hashes else {}
            con.register("ids", pa.table({
                "idn": pa.array(idns, pa.string()),
                "valid": pa.array([valid[v] for v in idns], pa.bool_()),
                "worker_id": pa.array([workers.get(hashes.get(v, "")) for v in idns], pa.int64()),
            }))
            roster = registry.roster(sorted(set(projects.values()))) if projects else []
            con.register("roster", pa.table({
                "worker_id": pa.array([r[0] for r in roster], pa.int64()),
                "project_id": pa.array([r[1] for r in roster], pa.int64()),
                "entry_date": pa.array([r[2] for r in roster], pa.date32()),
            }))

        conv_sql, checks = _feed_sql(feed, today)
        err_sql = " UNION ALL ".join(
            f"SELECT __row AS row, {i} AS ord, {_lit(shown[c.field])} AS field, {c.message} AS message "  # noqa: S608  (see the module note on SQL)
            f"FROM chunk WHERE {c.condition}"
            for i, c in enumerate(checks)
        )
        errs: list[pa.Table] = []
        # One pass per block types the rows and keeps the typed columns with a flag "some check
        # failed" (in DuckDB's own format, nothing round-trips through Arrow). Only the flagged
        # rows, usually none, are then run through the checks one by one to say what is wrong.
        bad_expr = " OR ".join(f"({c.condition})" for c in checks)
        keep_sql = f"SELECT {_KEEP[feed]}, coalesce({bad_expr}, false) AS bad FROM ({conv_sql}) q"  # noqa: S608  (see the module note on SQL)
        for start in range(0, max(n, 1), CHUNK_ROWS):
            con.register("raw", work.slice(start, CHUNK_ROWS))
            con.execute(("CREATE TEMP TABLE conv AS " if start == 0 else "INSERT INTO conv ") + keep_sql)
            con.unregister("raw")
            if progress is not None:
                progress(min(start + CHUNK_ROWS, n))
        bad_rows = con.sql("SELECT __row FROM conv WHERE bad").to_arrow_table()["__row"]
        if len(bad_rows):
            flagged = work.filter(pc.is_in(work["__row"], value_set=bad_rows.combine_chunks()))
            for start in range(0, flagged.num_rows, CHUNK_ROWS):
                con.register("raw", flagged.slice(start, CHUNK_ROWS))
                con.execute(f"CREATE OR REPLACE TEMP TABLE chunk AS {conv_sql}")
                errs.append(con.sql(err_sql).to_arrow_table())
                con.unregister("raw")
        conv_rows = n

        # Keys repeated inside the file: the second and later rows name the first.
        keys, key_field, key_zh, key_en = _KEYS[feed]
        key_cols = ", ".join(keys)
        not_null = " AND ".join(f"{k} IS NOT NULL" for k in keys)
        errs.append(con.sql(
            f"WITH dup AS (SELECT {key_cols} FROM conv WHERE {not_null} GROUP BY {key_cols} HAVING count(*) > 1) "  # noqa: S608  (see the module note on SQL)
            f"SELECT __row AS row, 1000 AS ord, {_lit(shown[key_field])} AS field, "
            f"'与第' || first || '行重复（{key_zh}） / duplicate of row ' || first || ' ({key_en}).' AS message "
            f"FROM (SELECT __row, min(__row) OVER (PARTITION BY {', '.join('c.' + k for k in keys)}) AS first "
            f"FROM conv c JOIN dup USING ({key_cols})) WHERE __row > first"
        ).to_arrow_table())

        # Keys already in the lake from earlier imports: name the import that brought them.
        if lake_files is None:
            own = str(lake.batch_path(feed, batch_id))
            lake_files = [f for f in lake.feed_files(feed) if f != own]
        if lake_files and conv_rows:
            errs.append(_lake_overlap(con, feed, lake_files, shown[key_field], registry))

        errors = pa.concat_tables([errors_table(structural), *[e.select(["row", "field", "message"]).cast(ERROR_SCHEMA)
                                                                for e in _sorted(errs)]])
        if errors.num_rows:
            errors = errors.sort_by([("row", "ascending")])
            return Outcome(rows_total=n, errors=errors)
        if n == 0:
            return Outcome(rows_total=0, errors=errors_table([(None, "", _EMPTY)]))

        if feed == "payroll":
            cards = [r[0] for r in con.sql("SELECT DISTINCT card_s FROM conv WHERE card_s IS NOT NULL").fetchall()]
            # One Fernet token per distinct card: the same card in many months costs one encryption.
            con.register("cards", pa.table({"card": pa.array(cards, pa.string()),
                                            "token": pa.array([encrypt(c) for c in cards], pa.string())}))
        table = con.sql(_LAKE_SELECT[feed]).to_arrow_table()
        table = table.append_column("batch_id", pa.array(np.full(table.num_rows, batch_id, dtype=np.int64)))
        table = table.select(lake.SCHEMAS[feed].names).cast(lake.SCHEMAS[feed])
        months = sorted(int(m) for m in pc.unique(table["month"]).to_pylist() if m is not None)
        return Outcome(rows_total=n, errors=errors, table=table, months=months)
    finally:
        con.close()


def _sorted(tables: list[pa.Table]) -> list[pa.Table]:
    """Errors by row, then in the order the checks are listed (the order a user reads the row)."""
    out = []
    for t in tables:
        if t.num_rows:
            out.append(t.sort_by([("row", "ascending"), ("ord", "ascending")]) if "ord" in t.column_names else t)
    return out


def _lake_overlap(con: duckdb.DuckDBPyConnection, feed: str, files: list[str], field_name: str,
                  registry: Registry) -> pa.Table:
    keys = _KEYS[feed][0]
    projects = [int(p) for p in con.sql("SELECT DISTINCT project_id FROM conv WHERE project_id IS NOT NULL")
                .fetchnumpy()["project_id"]]
    months = [int(m) for m in con.sql("SELECT DISTINCT month FROM conv WHERE month IS NOT NULL")
              .fetchnumpy()["month"]]
    if not projects or not months:
        return errors_table([])
    file_list = "[" + ", ".join(_lit(f) for f in files) + "]"
    on = " AND ".join(f"c.{k} = l.{k}" for k in keys)
    found = con.sql(
        f"SELECT c.__row AS row, min(l.batch_id) AS batch_id FROM conv c JOIN ("  # noqa: S608  (see the module note on SQL)
        f"  SELECT DISTINCT {', '.join(keys)}, batch_id FROM read_parquet({file_list})"
        f"  WHERE project_id IN ({', '.join(map(str, projects))}) AND month IN ({', '.join(map(str, months))})"
        f") l ON {on} GROUP BY c.__row"
    ).to_arrow_table()
    if not found.num_rows:
        return errors_table([])
    batch_ids = sorted(int(b) for b in pc.unique(found["batch_id"]).to_pylist())
    labels = registry.batch_labels(batch_ids)
    con.register("labels", pa.table({
        "batch_id": pa.array(batch_ids, pa.int64()),
        "label": pa.array([labels.get(b, "") for b in batch_ids], pa.string()),
    }))
    con.register("found", found)
    return con.sql(
        f"SELECT f.row, 2000 AS ord, {_lit(field_name)} AS field, "  # noqa: S608  (see the module note on SQL)
        f"'该记录已在第' || f.batch_id || '号导入（' || l.label || '）中导入 / already imported in import #' "
        f"|| f.batch_id || ' (' || l.label || ').' AS message "
        f"FROM found f JOIN labels l USING (batch_id) ORDER BY f.row"
    ).to_arrow_table()


def first_errors(errors: pa.Table, limit: int = 50) -> list[dict[str, Any]]:
    """The first errors as JSON-able dicts {row, field, message} (for the page and the API)."""
    return errors.slice(0, limit).to_pylist()


def write_error_report(errors: pa.Table, out: io.BufferedIOBase | Any) -> None:
    """The error list as CSV (UTF-8 with BOM, so Excel opens the Chinese text correctly)."""
    out.write(_UTF8_BOM)
    header = pa.table({"行号 Row": errors["row"], "字段 Field": errors["field"], "原因 Reason": errors["message"]})
    pacsv.write_csv(header, out, write_options=pacsv.WriteOptions(include_header=True, quoting_style="needed"))

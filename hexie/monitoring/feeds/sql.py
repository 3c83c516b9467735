"""SQL building blocks for the feed specs: text → date, month, amount in fen, minutes.

The checks run in DuckDB. SQL is composed only from this package's own constants: values from a
file reach DuckDB as Arrow data, never as SQL text; column headers and lake paths appear only as
escaped string literals (:func:`lit`).

Amounts are converted to integer fen with exact decimal arithmetic (DuckDB DECIMAL, never a
binary float), months to integer yyyymm, as ``lake.SCHEMAS`` stores them.
"""

from __future__ import annotations

# A payroll month or a date before this year is a typing mistake, not history.
MIN_YEAR = 1990

# Text the user may have typed for a date or a time; Excel and Parquet cells are turned into the
# first ones by the readers.
DATE_FORMATS = ("['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y-%m-%d %H:%M:%S', "
                "'%Y/%m/%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y/%m/%d %H:%M', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S']")
TIME_FORMATS = "['%H:%M', '%H:%M:%S', '%H:%M:%S.%f']"
_AMOUNT_RE = r"[0-9]{1,13}(\.[0-9]{1,2})?"
_HOURS_RE = r"[0-9]{1,4}(\.[0-9]{1,4})?"


def lit(text: str) -> str:
    """A string literal for DuckDB."""
    return "'" + text.replace("'", "''") + "'"


def clean(col: str) -> str:
    # The columns arrive trimmed (in Arrow, several times faster than DuckDB's trim with a
    # character set); an empty cell is a missing value.
    return f"nullif({col}, '')"


def amount_text(col: str) -> str:
    """An amount as typed, without its thousands separators ("1,234.50")."""
    return f"replace({clean(col)}, ',', '')"


def as_date(expr: str) -> str:
    # The cast reads ISO dates (most rows) several times faster; the formats catch the rest.
    return f"coalesce(try_cast({expr} AS DATE), try_strptime({expr}, {DATE_FORMATS})::DATE)"


def as_time(expr: str) -> str:
    return f"try_strptime({expr}, {TIME_FORMATS})"


def fen(expr: str) -> str:
    """Yuan text → integer fen, exactly (DECIMAL, not float); NULL when not a valid amount."""
    return (f"CASE WHEN regexp_full_match({expr}, '{_AMOUNT_RE}') "
            f"THEN CAST(CAST({expr} AS DECIMAL(18,2)) * 100 AS BIGINT) END")


def minutes_from_hours(expr: str) -> str:
    return (f"CASE WHEN regexp_full_match({expr}, '{_HOURS_RE}') "
            f"THEN CAST(round(CAST({expr} AS DECIMAL(18,4)) * 60) AS BIGINT) END")


def month(expr: str) -> str:
    """'2024-03', '202403', '2024/3', '2024年3月' or a date in the month → 202403; NULL otherwise."""
    return (f"CASE WHEN regexp_full_match({expr}, '[0-9]{{6}}') THEN CAST({expr} AS INTEGER) "
            f"WHEN regexp_full_match({expr}, '[0-9]{{4}}[-/.年][0-9]{{1,2}}月?') "
            f"THEN CAST(left({expr}, 4) AS INTEGER) * 100 "
            f"+ CAST(regexp_extract({expr}, '^[0-9]{{4}}[-/.年]([0-9]{{1,2}})', 1) AS INTEGER) "
            f"WHEN {as_date(expr)} IS NOT NULL THEN CAST(strftime({as_date(expr)}, '%Y%m') AS INTEGER) END")


def valid_month(col: str) -> str:
    return f"({col} % 100 BETWEEN 1 AND 12 AND {col} // 100 BETWEEN {MIN_YEAR} AND 2999)"

"""What a feed is, declared once: :class:`FeedSpec`, and the one function that turns a spec into SQL.

A spec names the feed's columns and which are required, then says in three steps how the text of
a row becomes typed values — ``text`` (clean the raw cells), ``typed`` (convert them; the
project, worker and roster look-ups are joined in here), ``derived`` (values computed from typed
ones) — and which :class:`Check` rules a row must pass. :func:`conversion_sql` writes the same
query shape for every feed:

    WITH s AS (SELECT __row, <text> FROM raw),
         t AS (SELECT s.*, <look-ups>, <typed> FROM s LEFT JOIN <look-up tables>)
    SELECT *, <derived> FROM t

The look-up tables (``projects``, and for feeds of workers ``ids`` and ``roster``) are registered
by ``checks.check``; the text step must therefore name ``project_code``, and ``idn`` when the
feed has ID numbers. The checks then read the typed row, so a message can name any value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.translation import gettext_noop

from hexie.monitoring.feeds.columns import Column, OneOf
from hexie.monitoring.feeds.sql import MIN_YEAR, lit, valid_month

# Placeholders in a check's condition, filled in with the day the import is checked on.
TODAY = "$today"
THIS_MONTH = "$this_month"

# Row messages are kept in Chinese and shown through feeds.messages.localise().
REQUIRED = gettext_noop("必填项为空")
BAD_DATE = gettext_noop("日期格式不正确，应为如 2024-03-01 的日期")
FUTURE = gettext_noop("日期不能晚于今天")
BAD_MONTH = gettext_noop("月份格式不正确，应为 YYYY-MM 或 YYYYMM")
FUTURE_MONTH = gettext_noop("月份不能晚于本月")
BAD_AMOUNT = gettext_noop("金额格式不正确，应为以元为单位、最多两位小数的非负数")
NEGATIVE = gettext_noop("金额不能为负数")
BAD_PROJECT = gettext_noop("项目编码不存在或不在您的辖区内")
BAD_ID = gettext_noop("身份证号码格式、地区码、出生日期或校验位不正确")
NOT_ON_ROSTER = gettext_noop("未在该项目实名登记")
NAME_MISMATCH = gettext_noop("姓名与该身份证号的实名登记不符")


@dataclass(frozen=True)
class Check:
    """Rows where ``when`` (SQL over the typed row) holds get ``message`` on ``field``.

    ``message_sql`` replaces ``message`` when the text must quote the row (an SQL expression).
    """

    field: str
    when: str
    message: str = ""
    message_sql: str = ""

    @property
    def message_expr(self) -> str:
        return self.message_sql or lit(self.message)


@dataclass(frozen=True)
class Key:
    """What may appear only once in a feed, in the file and in the lake; ``field`` is the column
    named when a row repeats it, ``zh`` (a msgid) says what "the same" means.

    ``lake_columns`` (default ``columns``) is what a row must not repeat from earlier imports, for
    the rows where ``lake_when`` holds (SQL over the kept columns; default all). A feed whose rows
    may correct earlier ones names the flag in ``corrects``: such a row needs an earlier row with
    the same ``lake_columns`` to correct."""

    columns: tuple[str, ...]
    field: str
    zh: str
    lake_columns: tuple[str, ...] = ()
    lake_when: str = "true"
    corrects: str = ""

    @property
    def in_lake(self) -> tuple[str, ...]:
        return self.lake_columns or self.columns


@dataclass(frozen=True)
class FeedSpec:
    """One feed: its columns, how a row is typed and checked, and what reaches the lake."""

    name: str
    columns: tuple[Column, ...]
    required: tuple[str, ...]
    text: Mapping[str, str]  # alias → SQL over the raw text columns (named by field key)
    typed: Mapping[str, str]  # alias → SQL over the text step and the look-ups
    checks: tuple[Check, ...]  # in the order a user reads a row: its errors are listed so
    key: Key
    keep: tuple[str, ...]  # the typed columns kept once a block is checked (beside ``__row``)
    lake_select: str  # the lake table, from the kept rows (``conv``)
    derived: Mapping[str, str] = field(default_factory=dict)  # alias → SQL over the typed step
    one_of: tuple[OneOf, ...] = ()
    # A text column stored only encrypted: its distinct values are encrypted once each and
    # offered to ``lake_select`` as the table ``tokens(plain, token)``.
    encrypted: str = ""

    @property
    def of_workers(self) -> bool:
        """Whether rows name workers (by ID number), to be found on the register and the roster."""
        return any(c.key == "id_number" for c in self.columns)


def conversion_sql(spec: FeedSpec) -> str:
    """The query that types one block of raw rows (``raw``) of the feed."""
    text = ", ".join(f"{expr} AS {alias}" for alias, expr in spec.text.items())
    found = ["p.project_id"]
    joins = ["LEFT JOIN projects p ON p.code = s.project_code"]
    if spec.of_workers:
        found += ["i.valid AS id_valid", "i.worker_id", "i.worker_name", "r.entry_date"]
        joins += ["LEFT JOIN ids i ON i.idn = s.idn",
                  "LEFT JOIN roster r ON r.worker_id = i.worker_id AND r.project_id = p.project_id"]
    typed = ", ".join([*found, *(f"{expr} AS {alias}" for alias, expr in spec.typed.items())])
    derived = "".join(f", {expr} AS {alias}" for alias, expr in spec.derived.items())
    return (f"WITH s AS (SELECT __row, {text} FROM raw), "  # noqa: S608  (see the note in feeds.sql)
            f"t AS (SELECT s.*, {typed} FROM s {' '.join(joins)}) "
            f"SELECT *{derived} FROM t")


def checks_on(spec: FeedSpec, today: date) -> list[Check]:
    """The spec's checks with "today" and "this month" filled in."""
    day, month = f"DATE '{today.isoformat()}'", str(today.year * 100 + today.month)
    return [replace(c, when=c.when.replace(TODAY, day).replace(THIS_MONTH, month)) for c in spec.checks]


# --- checks most feeds share -----------------------------------------------------------------

PROJECT_CHECKS = (
    Check("project_code", "project_code IS NULL", REQUIRED),
    Check("project_code", "project_code IS NOT NULL AND project_id IS NULL", BAD_PROJECT),
)
WORKER_CHECKS = (
    Check("id_number", "idn IS NULL", REQUIRED),
    Check("id_number", "idn IS NOT NULL AND NOT coalesce(id_valid, false)", BAD_ID),
    Check("id_number", "id_valid AND project_id IS NOT NULL AND entry_date IS NULL", NOT_ON_ROSTER),
)


def date_checks(name: str, text: str, value: str, *, required: bool = True) -> tuple[Check, ...]:
    """A date typed as ``text`` and read as ``value``: present, a date, not ahead, not ancient."""
    return (
        *((Check(name, f"{text} IS NULL", REQUIRED),) if required else ()),
        Check(name, f"{text} IS NOT NULL AND {value} IS NULL", BAD_DATE),
        Check(name, f"{value} > {TODAY}", FUTURE),
        Check(name, f"year({value}) < {MIN_YEAR}", BAD_DATE),
    )


def month_checks(name: str, text: str, value: str) -> tuple[Check, ...]:
    """A month typed as ``text`` and read as yyyymm ``value``: present, a month, not ahead."""
    return (
        Check(name, f"{text} IS NULL", REQUIRED),
        Check(name, f"{text} IS NOT NULL AND ({value} IS NULL OR NOT {valid_month(value)})", BAD_MONTH),
        Check(name, f"{valid_month(value)} AND {value} > {THIS_MONTH}", FUTURE_MONTH),
    )


def amount_checks(name: str, text: str, value: str, *, required: bool = True) -> tuple[Check, ...]:
    """An amount typed as ``text`` and read as fen ``value``: present, not negative, valid."""
    return (
        *((Check(name, f"{text} IS NULL", REQUIRED),) if required else ()),
        Check(name, f"{text} IS NOT NULL AND {value} IS NULL AND {text} LIKE '-%'", NEGATIVE),
        Check(name, f"{text} IS NOT NULL AND {value} IS NULL AND {text} NOT LIKE '-%'", BAD_AMOUNT),
    )

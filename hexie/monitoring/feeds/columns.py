"""A feed's columns: the names a header may carry, and which source column holds each field.

Headers may be the national real-name platform's names (``idCardNumber``), the Chinese column
titles (``身份证号``, also with a unit in brackets: ``应发金额（元）``) or snake_case
(``id_card_number``); all of them are compared after :func:`normalise_header`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hexie.monitoring.feeds.messages import DUPLICATE_COLUMN, MISSING_COLUMN

if TYPE_CHECKING:
    from hexie.monitoring.feeds.readers import RawTable
    from hexie.monitoring.feeds.spec import FeedSpec

# An error found while reading: (row the user sees, field or header, message).
RowError = tuple[int | None, str, str]


@dataclass(frozen=True)
class Column:
    """One field of a feed: its internal key, the national platform's name, and accepted headers."""

    key: str
    national: str
    chinese: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class OneOf:
    """A field that may be given by any one of several groups of columns (work hours, or in and out
    times); a header without a complete group is refused with ``message``, naming ``field``."""

    field: str
    groups: tuple[tuple[str, ...], ...]
    message: str


# The two columns most feeds share.
PROJECT = Column("project_code", "projectCode", "项目编码", ("项目代码", "项目编号"))
ID_NUMBER = Column("id_number", "idCardNumber", "身份证号",
                   ("idnumber", "idcard", "身份证号码", "证件号码", "公民身份号码"))

_PAREN = re.compile(r"[（(][^）)]*[）)]")
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_header(header: str) -> str:
    """``应发金额（元）``, ``total_pay_amount`` and ``totalPayAmount`` → one comparable key."""
    text = _PAREN.sub("", str(header)).replace("\ufeff", "").strip()
    return _SEPARATORS.sub("", text).lower()


def alias_map(columns: Iterable[Column]) -> dict[str, str]:
    """Every accepted header, normalised → the field's key."""
    out: dict[str, str] = {}
    for col in columns:
        for name in (col.key, col.national, col.chinese, *col.aliases):
            out[normalise_header(name)] = col.key
    return out


def map_headers(spec: FeedSpec, raw: RawTable) -> tuple[dict[str, int], dict[str, str], list[RowError]]:
    """Which source column holds each field; the header as the user wrote it; header errors."""
    aliases = alias_map(spec.columns)
    index: dict[str, int] = {}
    shown: dict[str, str] = {}
    errors: list[RowError] = []
    for i, header in enumerate(raw.headers):
        key = aliases.get(normalise_header(header))
        if key is None:
            continue  # other columns (name, team…) are allowed and ignored
        if key in index:
            errors.append((raw.header_row, header,
                           DUPLICATE_COLUMN % {"first": shown[key], "second": header}))
            continue
        index[key] = i
        shown[key] = header
    cols = {c.key: c for c in spec.columns}
    for key in spec.required:
        if key not in index:
            errors.append((raw.header_row, cols[key].national,
                           MISSING_COLUMN % {"column": cols[key].chinese, "national": cols[key].national}))
    for either in spec.one_of:
        if not any(all(k in index for k in group) for group in either.groups):
            errors.append((raw.header_row, cols[either.field].national, either.message))
    for key, col in cols.items():
        shown.setdefault(key, col.national)
    return index, shown, errors

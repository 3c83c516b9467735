"""The messages an import writes about a file or a row, and how they are shown in the reader's language.

An import is checked by a worker (and partly inside DuckDB's SQL), where no reader's language is
known; what it finds is the bureau's record and is kept in Chinese: on the batch, in the error
report, in the audit. Each message is a Chinese msgid of the catalogue, whole or with values
filled in (``与第3行重复（同一项目同一月份）``); :func:`localise` turns a kept message back into
its msgid and values and gives it in the language of the page or API answer that shows it.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import gettext, gettext_noop

# Messages with values, as the checks fill them in; every one must be listed here for localise().
DUPLICATE_ROW = gettext_noop("与第%(row)s行重复（%(key)s）")
BEFORE_ENTRY = gettext_noop("考勤日期早于进场日期（%(date)s）")
ALREADY_IMPORTED = gettext_noop("该记录已在第%(batch)s号导入（%(label)s）中导入")
ALREADY_IMPORTED_OR_CORRECT = gettext_noop(
    "该记录已在第%(batch)s号导入（%(label)s）中导入；如为补发或更正，请填写“是否补发”或“是否更正”")
DUPLICATE_COLUMN = gettext_noop("列重复：“%(first)s”与“%(second)s”是同一项")
MISSING_COLUMN = gettext_noop("缺少必填列 %(column)s（%(national)s）")
WRONG_CELLS = gettext_noop("该行有%(cells)s列，表头有%(header)s列")
UNSUPPORTED_TYPE = gettext_noop("不支持的文件类型“%(suffix)s”，请上传 .csv、.xlsx 或 .parquet 文件")
TOO_LARGE = gettext_noop("Excel文件过大：%(what)s %(value)s，超过上限 %(limit)s，请拆分后上传")

IMPORTED = gettext_noop("已导入%(num_rows)s行")

TEMPLATES = (IMPORTED, DUPLICATE_ROW, BEFORE_ENTRY, ALREADY_IMPORTED_OR_CORRECT, ALREADY_IMPORTED, DUPLICATE_COLUMN,
             MISSING_COLUMN, WRONG_CELLS, UNSUPPORTED_TYPE, TOO_LARGE)
_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((t, re.compile("^" + _PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(t)) + "$", re.DOTALL))
                 for t in TEMPLATES)


def localise(message: str) -> str:
    """A kept message in the current language: a whole msgid through the catalogue; a filled-in
    template through its msgid, its values too (a key such as 同一项目同一月份 is a msgid itself);
    anything else (a message of an older release) as it was kept."""
    if not message:
        return message
    for template, pattern in _patterns():
        match = pattern.match(message)
        if match:
            return gettext(template) % {name: gettext(value) for name, value in match.groupdict().items()}
    return gettext(message)


def localise_errors(errors: list[dict[str, object]]) -> list[dict[str, object]]:
    """The batch's kept errors, their messages in the current language."""
    return [{**e, "message": localise(str(e.get("message") or ""))} for e in errors]

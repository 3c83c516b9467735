"""Month keys: integers yyyymm throughout (202610), the same key the Parquet lake, the pipeline
and the warnings use, so that months compare, sort and group as plain integers on every engine.

Pure: no Django, so that the pipeline can use it on a Spark cluster.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from django.utils.translation import gettext

_MONTH = re.compile(r"^(\d{4})-?(\d{2})$")


def check_month(month: int) -> None:
    if not (190001 <= month <= 999912 and 1 <= month % 100 <= 12):
        raise ValueError(gettext("月份应为 yyyymm 整数：%(month)r") % {"month": month})


def parse_month(text: str) -> int:
    """"2026-10" or "202610" → 202610; ValueError with a bilingual message otherwise."""
    m = _MONTH.match((text or "").strip())
    if m is None or not (1 <= int(m.group(2)) <= 12) or not (2000 <= int(m.group(1)) <= 2999):
        raise ValueError(
            gettext("月份“%(str)s”无效，应为 YYYY-MM，如 2026-10") % {"str": str(text)[:20]})
    return int(m.group(1)) * 100 + int(m.group(2))


def month_key(d: date) -> int:
    return d.year * 100 + d.month


def add_months(month: int, n: int) -> int:
    """``yyyymm`` shifted by ``n`` months."""
    check_month(month)
    index = (month // 100) * 12 + (month % 100 - 1) + n
    return (index // 12) * 100 + index % 12 + 1


def first_day(month: int) -> date:
    check_month(month)
    return date(month // 100, month % 100, 1)


def last_day(month: int) -> date:
    check_month(month)
    year, mon = divmod(month, 100)
    return date(year, mon, calendar.monthrange(year, mon)[1])


def month_label(month: int) -> str:
    """202610 → "2026年10月"."""
    return f"{month // 100}年{month % 100}月"


def month_text(month: int) -> str:
    """202610 → "2026-10"."""
    return f"{month // 100}-{month % 100:02d}"

"""A clock's period in words, as official documents write it: 自立案之日起六十个工作日内.

A due date in a year whose holidays are not yet published is only provisional, so a document prints
the period in words (which is always right) beside the date. Pure: no database here.
"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def cn_count(n: int) -> str:
    """A count of days in Chinese numerals: 5 → 五, 15 → 十五, 45 → 四十五, 115 → 一百一十五."""
    if not 0 <= n < 1000:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    if rest < 10:
        return f"{_DIGITS[hundreds]}百零{_DIGITS[rest]}"
    # Inside a larger number "十五" is written "一十五": 一百一十五.
    return f"{_DIGITS[hundreds]}百" + ("一" if rest < 20 else "") + cn_count(rest)


def unit_words(unit: str) -> str:
    """个工作日 for working days, 日 for calendar days."""
    return "个工作日" if unit == "working" else "日"


def period_words(*, length: int, unit: str, since: str) -> str:
    """自{since}起{length}{unit}内, e.g. since="立案之日": 自立案之日起六十个工作日内."""
    return f"自{since}起{cn_count(length)}{unit_words(unit)}内"

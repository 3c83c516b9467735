"""How official Chinese documents and bulletins write dates, amounts and labels.

Pure functions, no database and no Word: the bulletins' figures, the documents' data and the
periods' labels all print through them, so a date or an amount reads the same everywhere.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def cn_date(d: date | None) -> str:
    """A date as official documents write it (GB/T 9704-2012 §7.3.5: Arabic numerals, no zero padding)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def money(amount: Decimal | None) -> str:
    return f"{Decimal(amount or 0):,.2f}"


def money_in_words(amount: Decimal | None) -> str:
    """A sum as a bulletin's sentence says it: 万元 from 100,000 yuan up ("444.06万元"), yuan below
    ("8,000.00元"); the bulletin's tables keep the exact figure."""
    value = Decimal(amount or 0)
    if abs(value) >= 100_000:
        return f"{value / 10_000:,.2f}万元"
    return f"{value:,.2f}元"


def zh(text: object) -> str:
    """The Chinese half of a bilingual label ("调查处理 Investigate and decide" → "调查处理")."""
    return re.sub(r"\s+[A-Za-z].*$", "", str(text)).strip()


def _group_upper(g: int) -> str:
    out, zero = "", False
    for pos in (3, 2, 1, 0):
        digit = g // 10**pos % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[pos]
    return out


def _int_upper(n: int) -> str:
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, gap = "", False
    for idx in reversed(range(len(groups))):
        g = groups[idx]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out += "零"
        out += _group_upper(g) + _BIG_UNITS[idx]
        gap = False
    return out


def rmb_upper(amount: Decimal) -> str:
    """An amount in yuan in the capital numerals used on agreements and receipts (8000 → 捌仟元整)."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount < 0:
        return "负" + rmb_upper(-amount)
    yuan, rest = divmod(int(amount * 100), 100)
    jiao, fen = divmod(rest, 10)
    out = _int_upper(yuan) + "元" if yuan else ""
    if not jiao and not fen:
        return (out or "零元") + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    return out + (_DIGITS[fen] + "分" if fen else "整")

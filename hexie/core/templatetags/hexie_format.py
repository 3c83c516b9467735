"""Numbers as a Chinese reader expects them: money with thousands separators ("32,000.00 元"),
large figures in 万元 on dashboards and bulletins, months as "2026年11月" and percentages with
one decimal.

The filters take what the models and the month keys hold (``Decimal``, ``int``, ``float``, a
``yyyymm`` integer or "2026-11" text) and never raise on a page: a value they cannot read is
shown as it came, so that a bad figure is visible rather than a 500.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()

#: Above this many yuan a dashboard figure reads better in 万元 (ten thousands).
WAN_FROM = Decimal(100_000)
_CENT = Decimal("0.01")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None


def grouped(value: Any, places: int = 2) -> str:
    """``4440550.4`` → "4,440,550.40" (half up, as amounts on official documents are rounded)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    quantum = Decimal(1).scaleb(-places)
    return f"{number.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


@register.filter
def yuan(value: Any) -> str:
    """Money in yuan: "32,000.00 元"; nothing for an empty value."""
    if _decimal(value) is None:
        return "" if value in (None, "") else str(value)
    return gettext("%(amount)s 元") % {"amount": grouped(value)}


@register.filter
def amount(value: Any) -> str:
    """Money without its unit, for a column whose header names it: "32,000.00"."""
    return grouped(value)


@register.filter
def wan_yuan(value: Any) -> str:
    """A large sum as dashboards and bulletins print it: "444.06 万元" from 4,440,550.40 yuan;
    a sum under 100,000 yuan stays in yuan, where 万 would hide the figure."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    if abs(number) < WAN_FROM:
        return yuan(number)
    return gettext("%(amount)s 万元") % {"amount": grouped(number / 10_000)}


@register.filter
def count(value: Any) -> str:
    """A whole number with thousands separators: 12,345."""
    return grouped(value, 0)


@register.filter
def pct(value: Any) -> str:
    """A percentage with one decimal: 10 → "10.0%", 12.345 → "12.3%"."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    return f"{grouped(number, 1)}%"


@register.filter
def month(value: Any) -> str:
    """A month key as people write it: 202611, "2026-11" or "202611" → "2026年11月"."""
    text = str(value if value is not None else "").strip().replace("-", "").replace("/", "")
    if len(text) != 6 or not text.isdigit() or not 1 <= int(text[4:]) <= 12:
        return "" if value is None else str(value)
    return gettext("%(year)s年%(month)s月") % {"year": text[:4], "month": int(text[4:])}


@register.filter
def figure(value: Any, unit: str) -> str:
    """A dashboard figure in its unit: "yuan" → 万元 when large, "percent" → one decimal and %,
    whole counts grouped; other units (working days, scores) keep their decimals. The unit's own
    word for counts and people is the template's to add."""
    if unit == "yuan":
        return wan_yuan(value)
    if unit == "percent":
        return pct(value)
    number = _decimal(value)
    if number is not None and number == number.to_integral_value():
        return count(number)
    return "" if value is None else str(value)

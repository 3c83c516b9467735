"""Reading a step's inputs: the helpers every prepare function of the workflow uses."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


def _require(params: dict[str, Any], field: str, message: str) -> Any:
    value = params.get(field)
    if value in (None, "", []):
        raise ValidationError({field: [message]})
    return value


def _as_id(value: Any, field: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ValidationError({field: [gettext("编号无效")]}) from None


def _as_amount(value: Any, field: str, message: str) -> Decimal:
    """A non-negative amount of money, or a ValidationError naming the field."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [message]}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: [message]})
    return amount

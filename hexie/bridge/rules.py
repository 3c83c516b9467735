"""The work-order loop's clocks: which rule is in force, and the days an order has (pure of requests)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext

from hexie.bridge.models import OrderRule
from hexie.core.errors import DomainError
from hexie.workcal.rules import shift_working_days
from hexie.workcal.selectors import get_calendar


def rule(source: str, step: str, on: date) -> OrderRule:
    """The rule of a source's step in force on a day (the latest effective one)."""
    row = (OrderRule.objects.filter(source=source, step=step, effective_from__lte=on)
           .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on)).order_by("-effective_from").first())
    if row is None:
        raise DomainError(gettext("未配置工单时限规则 %(source)s/%(step)s") % {"source": source, "step": step},
                          code="no_order_rule")
    return row


def working_days_after(start: date, n: int) -> date:
    """The day `n` working days after `start` (the start day not counted)."""
    return shift_working_days(get_calendar(), start, n)

"""Choice sets every layer shares: the red/orange/yellow/green grade (红橙黄绿).

A case's risk, a warning's grade and an employer's or project's grade are the same scale, so it
lives in the kernel rather than in whichever app happened to need it first.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    GREEN = "green", _("绿")
    YELLOW = "yellow", _("黄")
    ORANGE = "orange", _("橙")
    RED = "red", _("红")


RISK_ORDER = {RiskLevel.GREEN: 0, RiskLevel.YELLOW: 1, RiskLevel.ORANGE: 2, RiskLevel.RED: 3}


def max_risk(*levels: str) -> str:
    """The worst of the given grades."""
    return max(levels, key=lambda lv: RISK_ORDER[RiskLevel(lv)])


def raise_risk(level: str) -> str:
    """One grade worse (red stays red)."""
    order = [RiskLevel.GREEN, RiskLevel.YELLOW, RiskLevel.ORANGE, RiskLevel.RED]
    return order[min(RISK_ORDER[RiskLevel(level)] + 1, 3)]

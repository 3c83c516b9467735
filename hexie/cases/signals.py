"""When the working-day calendar changes, provisional deadlines are recomputed."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from hexie.workcal.signals import calendar_changed


@receiver(calendar_changed)
def _recompute(sender: Any, years: set[int] | None = None, **kwargs: Any) -> None:
    from hexie.cases.services.clocks import recompute_provisional_deadlines

    recompute_provisional_deadlines(years=years)

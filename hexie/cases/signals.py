"""When the working-day calendar changes, provisional deadlines are recomputed; and the signal the
apps above cases hear when a case closes (sent inside the closing transaction, so that what they
write — the bridge's message back to the system the case came from — commits or rolls back with it)."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal, receiver

from hexie.workcal.signals import calendar_changed

#: Sent with ``case`` (its new status set) and ``actor`` when a case is closed.
case_closed = Signal()


@receiver(calendar_changed)
def _recompute(sender: Any, years: set[int] | None = None, **kwargs: Any) -> None:
    from hexie.cases.services.clocks import recompute_provisional_deadlines

    recompute_provisional_deadlines(years=years)

"""The supervision sweep: which clocks need a due-soon, overdue or escalation record, found set-based.

Overdue is never decided here: it is derived from the stored due dates whenever a list is read.
The sweep only picks the running clocks that have crossed a line and lack that line's record;
``services.supervision`` writes the records and the timeline entries and emails that go with them,
so a stopped worker never makes a late case look on time.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef

from hexie.cases.models import Deadline, Supervision
from hexie.cases.services.supervision import record_supervisions
from hexie.core import clock
from hexie.workcal.rules import shift_working_days
from hexie.workcal.selectors import get_calendar

log = logging.getLogger("hexie.sweeps")


def run_supervision_sweep(*, today: date | None = None) -> dict[str, int]:
    """Create due-soon, overdue and escalation records that do not exist yet; idempotent."""
    today = today or clock.today()
    cal = get_calendar()
    now = clock.now()
    soon_until = shift_working_days(cal, today, settings.SUPERVISION_DUE_SOON_WORKING_DAYS)
    escalate_due_before = shift_working_days(cal, today, -settings.SUPERVISION_ESCALATE_AFTER_WORKING_DAYS)
    # Only the columns the records and messages need: at a million cases a catch-up run touches
    # tens of thousands of deadlines, and loading whole cases (descriptions, triage reasons, and
    # decrypting the complainant's phone and ID number for nothing) cost a fifth of its time.
    # A party's window (to sue, to apply to the court) is nobody's to supervise.
    running = Deadline.objects.filter(state=Deadline.State.RUNNING, rule__binds_party=False).select_related(
        "rule", "case", "case__handler", "case__responsible_leader").only(
        "id", "due_on", "rule__step", "rule__basis", "case__number",
        "case__handler__email", "case__responsible_leader__email")

    def missing(kind: str) -> Any:
        return ~Exists(Supervision.objects.filter(deadline=OuterRef("pk"), kind=kind))

    due = {
        Supervision.Kind.DUE_SOON: running.filter(due_on__gte=today, due_on__lte=soon_until),
        Supervision.Kind.OVERDUE: running.filter(due_on__lt=today),
        Supervision.Kind.ESCALATED: running.filter(due_on__lt=escalate_due_before),
    }
    counts = {
        str(kind): record_supervisions(kind=kind, deadlines=list(clocks.filter(missing(kind))), now=now)
        for kind, clocks in due.items()
    }
    log.info("supervision sweep %s: %s", today, counts)
    return counts

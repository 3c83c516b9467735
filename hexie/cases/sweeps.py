"""The supervision sweep: which clocks need a due-soon, overdue or escalation record, found set-based.

Overdue is never decided here: it is derived from the stored due dates whenever a list is read.
The sweep only picks the running clocks that have crossed a line and lack that line's record;
``services.supervision`` writes the records and the timeline entries and emails that go with them,
so a stopped worker never makes a late case look on time.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings

from hexie.cases.models import Supervision
from hexie.cases.services.supervision import supervise_clocks
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
    # One pass for the three kinds: at a million cases a catch-up run writes tens of thousands of
    # records, and passing each clock through Python cost most of the run.
    counts = supervise_clocks(now=now, windows={
        str(Supervision.Kind.DUE_SOON): (today, soon_until + timedelta(days=1)),
        str(Supervision.Kind.OVERDUE): (None, today),
        str(Supervision.Kind.ESCALATED): (None, escalate_due_before),
    })
    log.info("supervision sweep %s: %s", today, counts)
    return counts

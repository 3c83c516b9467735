"""Every write to a case: keyword-only, typed, in one transaction, with a timeline event.

Views, the API, the portal, the worker and the demo loader all come through here, so that
permissions, the current state and the case file are checked and written in one place. One module
per part of the work:

* ``intake``: checking and registering a complaint (numbers, triage, clusters, first clocks);
* ``transitions``: the one transition function over the table in ``hexie.cases.workflow``, and
  ``steps``: the functions that table names (each step's inputs and effects);
* ``clocks``: statutory deadlines: starting, finishing, pausing, extending, restarting, recomputing;
* ``supervision``: the records the sweep writes for late clocks, and signing for them;
* ``referrals``, ``attachments``: the other parts of the file with writes of their own;
* ``timeline``: the case timeline and the notification outbox every write appends to;
* ``rows``: what a step writes besides its case row (entries, messages, clocks), held back and
  written with it (on PostgreSQL in the same statement).

The names below are what the rest of the code calls.
"""

from __future__ import annotations

from hexie.cases.selectors import get_case_for_update
from hexie.cases.services.attachments import (
    ALLOWED_ATTACHMENTS,
    add_attachment,
    check_attachment,
    check_attachments,
)
from hexie.cases.services.clocks import RESTART_GROUNDS, compute_due, extend_deadline, restart_clock
from hexie.cases.services.intake import MAX_AMOUNT, MAX_WORKERS, IntakeData, register_case
from hexie.cases.services.reception import register_reception_visit, schedule_reception_day
from hexie.cases.services.referrals import answer_referral
from hexie.cases.services.supervision import acknowledge_supervision
from hexie.cases.services.timeline import add_event
from hexie.cases.services.transitions import allowed_actions, record_rating, transition

__all__ = [
    "ALLOWED_ATTACHMENTS",
    "MAX_AMOUNT",
    "MAX_WORKERS",
    "RESTART_GROUNDS",
    "IntakeData",
    "acknowledge_supervision",
    "add_attachment",
    "add_event",
    "allowed_actions",
    "answer_referral",
    "check_attachment",
    "check_attachments",
    "compute_due",
    "extend_deadline",
    "get_case_for_update",
    "record_rating",
    "register_case",
    "register_reception_visit",
    "restart_clock",
    "schedule_reception_day",
    "transition",
]

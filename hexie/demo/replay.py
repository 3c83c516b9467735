"""Replaying case plans through the real case services, each step under `clock.at(its moment)`, so
that every demo case has a real timeline and the clocks (due dates, overdue) the platform would
have computed at the time.

Every case the demo writes, and every call it makes into `hexie.cases`' services, is here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hexie.cases import services
from hexie.cases.models import Case, Deadline, Notification, Referral
from hexie.cases.sweeps import run_supervision_sweep
from hexie.core import clock
from hexie.demo.plans import CasePlan
from hexie.employers.models import Project
from hexie.orgs.models import OrgUnit
from hexie.orgs.scoping import district_of


def replay_case(plan: CasePlan, city: dict[str, Any]) -> None:
    """Register the planned case and take each of its steps, every one at the moment it happened."""
    users, units, agencies = city["users"], city["units"], city["agencies"]
    data = services.IntakeData(
        case_type=plan.case_type, channel=plan.channel, received_at=plan.received_at,
        complainant_name=plan.complainant.name, complainant_phone=plan.complainant.phone,
        complainant_id_number=plan.complainant.id_number, employer_name=plan.employer.name,
        employer_credit_code=plan.employer.credit_code, employer_address=plan.employer.address,
        project_name=plan.project_name, org_unit_id=units[plan.street_code].pk, workers_count=plan.workers_count,
        amount_claimed=plan.amount_claimed, description=plan.description, external_ref=plan.external_ref,
        project_id=_picked_project(plan.project_name, units[plan.street_code]),
    )
    with clock.at(plan.received_at):
        case = services.register_case(data=data, actor=users.get(plan.registered_by))
    for step in plan.steps:
        actor = users.get(step.actor)
        with clock.at(step.at):
            if step.kind == "transition":
                params = dict(step.params)
                for key in ("handler", "responsible_leader"):
                    if key in params:
                        params[key] = users[params[key]].pk
                if "agency" in params:
                    params["agency"] = agencies[params["agency"]].pk
                case = services.transition(case_id=case.pk, actor=actor, name=step.name, **params)
            elif step.kind == "extend":
                deadline = Deadline.objects.filter(
                    case=case, state=Deadline.State.RUNNING, rule__extension_length__gt=0,
                    rule__trigger="start").order_by("due_on").first()
                if deadline is None:
                    raise RuntimeError(f"demo plan: nothing to extend on {case.number}")
                services.extend_deadline(deadline_id=deadline.pk, actor=actor, reason=step.params["reason"])
            elif step.kind == "restart":
                case = services.restart_clock(case_id=case.pk, actor=actor, ground=step.params["ground"])
            elif step.kind == "answer":
                referral = Referral.objects.filter(case=case).order_by("-referred_at").first()
                if referral is None:
                    raise RuntimeError(f"demo plan: no referral to answer on {case.number}")
                services.answer_referral(referral_id=referral.pk, actor=actor, answer=step.params["answer"])
            elif step.kind == "rate":
                case = services.record_rating(case=case, satisfaction=step.params["satisfaction"],
                                              comment=step.params.get("comment", ""))
            else:
                raise ValueError(step.kind)


def _picked_project(name: str, unit: OrgUnit) -> int | None:
    """The registered project a worker or clerk picks for a planned case that names one: the one
    project of that name in the district where the work happened."""
    if not name:
        return None
    ids = list(Project.objects.filter(name=name, org_unit__path__startswith=(district_of(unit) or unit).path)
               .values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def register_complaint(*, received_at: datetime, **fields: Any) -> Case:
    """A complaint a worker filed online (no clerk), received at `received_at`; `fields` are the
    rest of the intake."""
    data = services.IntakeData(received_at=received_at, **fields)
    return services.register_case(data=data, actor=None, now=received_at)


def catch_up(*, now: datetime) -> dict[str, int]:
    """Bring the replayed year up to `now`: deliver the old outbox and run the supervision sweep."""
    # The outbox of a year ago was delivered a year ago: only the last day's messages (and
    # what the sweep below writes) are left for the worker to send.
    Notification.objects.filter(state=Notification.State.PENDING,
                                next_attempt_at__lt=now - timedelta(days=1)).update(
        state=Notification.State.SENT, sent_at=now - timedelta(days=1), attempts=1)
    with clock.at(now):
        return run_supervision_sweep()

"""Supervision (督办) of late clocks: the records the sweep writes, and a leader signing for them."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from hexie.cases.models import Case, Supervision
from hexie.cases.services.timeline import add_event
from hexie.core import clock
from hexie.core.errors import TransitionNotAllowed
from hexie.core.permissions import require_role
from hexie.orgs.models import User
from hexie.orgs.scoping import LEADERS, restrict


@transaction.atomic
def acknowledge_supervision(*, supervision_id: int, actor: User, note: str = "") -> Supervision:
    """A leader signs for a supervision record, optionally with instructions."""
    sup = Supervision.objects.select_related("case").filter(
        pk=supervision_id, case__in=restrict(Case.objects.all(), actor)).first()
    if sup is None:
        raise Http404("未找到 / Not found.")
    require_role(actor, LEADERS, "只有领导可以签收督办 / Only a leader may acknowledge supervision.")
    if sup.acknowledged_at:
        raise TransitionNotAllowed("已签收 / Already acknowledged.")
    sup.acknowledged_at, sup.note = clock.now(), note
    sup.save(update_fields=["acknowledged_at", "note"])
    add_event(case=sup.case, kind="supervision_acknowledged", actor=actor, message=note,
              data={"kind": sup.kind})
    return sup

"""Referrals to partner agencies (court, union, housing & construction, police) and their answers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext

from hexie.cases.models import Case, Referral
from hexie.cases.services.timeline import add_event, notify_staff
from hexie.core import clock
from hexie.core.errors import TransitionNotAllowed
from hexie.core.permissions import require_role
from hexie.orgs.models import User
from hexie.orgs.scoping import CHANGE, PARTNERS, restrict


def open_referral(*, case: Case, agency_id: int, actor: User | None, note: str) -> Referral:
    """Refer the case to a partner agency; runs in the transaction of the step that chose the track."""
    return Referral.objects.create(case=case, agency_id=agency_id, referred_at=clock.now(), referred_by=actor,
                                   note=note)


@transaction.atomic
def answer_referral(*, referral_id: int, actor: User, answer: str) -> Referral:
    """A partner agency's answer to a referral."""
    require_role(actor, PARTNERS, gettext("只有联动单位可以答复移送"))
    referral = restrict(Referral.objects.select_related("case").filter(pk=referral_id), actor, CHANGE).first()
    if referral is None:
        raise Http404(gettext("未找到"))
    if not answer.strip():
        raise ValidationError({"answer": [gettext("请填写答复内容")]})
    if referral.answered_at:
        raise TransitionNotAllowed(gettext("该移送已答复"))
    referral.answer, referral.answered_at = answer.strip(), clock.now()
    referral.save(update_fields=["answer", "answered_at"])
    add_event(case=referral.case, kind="referral_answered", actor=actor, message=answer.strip(),
              data={"agency": referral.agency.name})
    notify_staff(case=referral.case, user=referral.case.handler,
                 subject=f"联动单位已答复案件{referral.case.number}", body=answer)
    return referral

"""Leaders' reception days: scheduling one, and registering the visits received on it.

A visit that brings a complaint registers it as a case through the intake (channel: visit) and
makes the receiving leader its responsible leader (包案), on the case's timeline; the visit counts
the people received either way, for the bulletin's figures.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext

from hexie.cases.models import Case, ReceptionDay, ReceptionVisit
from hexie.cases.services.intake import IntakeData, register_case
from hexie.cases.services.timeline import add_event
from hexie.core import audit, clock
from hexie.core.permissions import require_role
from hexie.orgs.models import OrgUnit, Role, User
from hexie.orgs.scoping import BUREAU_STAFF, CHANGE, LEADERS, in_jurisdiction, restrict


@transaction.atomic
def schedule_reception_day(*, actor: User, org_unit_id: int, leader_id: int, on: date, place: str,
                           topic: str = "") -> ReceptionDay:
    """Put a leader's reception day on a unit's schedule (a leader or administrator of the unit)."""
    require_role(actor, LEADERS, gettext("只有领导可以安排接访日"))
    unit = OrgUnit.objects.filter(pk=org_unit_id).first()
    if unit is None or not in_jurisdiction(actor, unit):
        raise ValidationError({"org_unit": [gettext("单位不存在或不在辖区内")]})
    leader = restrict(User.objects.filter(pk=leader_id, is_active=True, role=Role.LEADER), actor).first()
    if leader is None:
        raise ValidationError({"leader": [gettext("接访领导不存在或不在辖区内")]})
    if not place.strip():
        raise ValidationError({"place": [gettext("请填写接访地点")]})
    if ReceptionDay.objects.filter(org_unit=unit, leader=leader, on=on).exists():
        raise ValidationError({"on": [gettext("该领导当日已安排接访")]})
    day = ReceptionDay.objects.create(org_unit=unit, leader=leader, on=on, place=place.strip(), topic=topic.strip())
    audit.record(actor=actor, action="create", obj=day, org_unit_id=unit.pk,
                 message=f"领导接访日 {on} {leader.display_name}")
    return day


@transaction.atomic
def register_reception_visit(*, actor: User, day_id: int, people: int = 1, summary: str = "",
                             complaint: IntakeData | None = None, case_id: int | None = None) -> ReceptionVisit:
    """Register a visit on a reception day; a complaint becomes a case, or the visit is linked to a
    case already on file (the visitors came about it), and the leader becomes its 包案领导."""
    require_role(actor, BUREAU_STAFF, gettext("您的角色不能登记接访"))
    day = restrict(ReceptionDay.objects.select_related("leader").filter(pk=day_id), actor, CHANGE).first()
    if day is None:
        raise Http404(gettext("未找到"))
    if not 1 <= people <= 10000:
        raise ValidationError({"people": [gettext("来访人数为1至10000")]})
    now = clock.now()
    if clock.today() != day.on:
        raise ValidationError({"day": [gettext("接访日为%(on)s，只能登记当日来访") % {"on": day.on}]})
    if complaint is not None and case_id is not None:
        raise ValidationError({"case": [gettext("新登记案件与关联已有案件只能选一项")]})
    case: Case | None = None
    if case_id is not None:
        if not restrict(Case.objects.filter(pk=case_id), actor, CHANGE).exists():
            raise ValidationError({"case": [gettext("案件不存在或不在辖区内")]})
        # Locked by its key alone (no join of the scope's), so that two clerks cannot link it twice.
        case = Case.objects.select_for_update().get(pk=case_id)
        if ReceptionVisit.objects.filter(case=case).exists():
            raise ValidationError({"case": [gettext("案件%(number)s已登记在一次接访中") % {"number": case.number}]})
    elif complaint is not None:
        case = register_case(data=complaint, actor=actor, now=now)
    if case is not None:
        Case.objects.filter(pk=case.pk).update(responsible_leader=day.leader, version=case.version + 1)
        case.responsible_leader = day.leader
        case.version += 1
        add_event(case=case, kind="reception_taken", actor=actor,
                  message=f"领导接访日（{day.on}，{day.place}）接访，{day.leader.display_name}包案",
                  data={"reception_day": day.pk, "responsible_leader": day.leader.display_name,
                        "linked": case_id is not None},
                  public_message=gettext("您的诉求已由接访领导包案办理。"))
    visit = ReceptionVisit.objects.create(day=day, at=now, people=people, case=case, summary=summary[:500])
    audit.record(actor=actor, action="create", obj=visit, org_unit_id=day.org_unit_id,
                 message=f"接访登记 {people}人{'，受理案件' + case.number if case else ''}")
    return visit

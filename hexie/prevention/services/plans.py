"""Plans: a list of employers, a grid, or a 双随机 draw of employers and inspectors with its seed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hexie.core import audit, clock
from hexie.core.models import AuditEvent
from hexie.core.permissions import require_role
from hexie.employers.models import Employer
from hexie.orgs.models import HandlerKind, OrgUnit, Role, User
from hexie.orgs.scoping import CHANGE, HANDLING, restrict, under
from hexie.prevention.models import Assessment, AssessmentOrigin, Plan, PlanMethod, ScoreSheet
from hexie.prevention.rules import DRAW_ALGORITHM, draw
from hexie.prevention.selectors import get_for
from hexie.prevention.services.sheets import check_sheet

MAX_PLAN_EMPLOYERS = 2000


def _inspector_pool(actor: User, unit: OrgUnit) -> QuerySet[User]:
    """Inspectors who may be sent: active handlers of the inspection kind in the unit and below."""
    return restrict(User.objects.filter(under(unit), is_active=True, role=Role.HANDLER,
                                        handler_kind=HandlerKind.INSPECTOR), actor)


@transaction.atomic
def create_plan(
    *, actor: User, name: str, sheet_id: int, method: str, starts_on: date, due_on: date,
    employer_ids: list[int] | None = None, grid_unit_id: int | None = None, draw_employers: int | None = None,
    draw_inspectors: int | None = None, inspector_ids: list[int] | None = None, seed: str = "",
) -> Plan:
    """Plan a campaign and open one assessment per employer, each with its inspector.

    A random plan draws from the employers of the grid (or of the actor's unit) and the
    inspectors of the actor's unit with ``seed`` (a new random one when empty) and records both
    pools, so that ``recheck_draw`` can reproduce it.
    """
    staff = require_role(actor, HANDLING, _("您的角色不能制定检查计划"))
    if staff.org_unit is None:
        raise ValidationError({"org_unit": [_("您没有所属单位，不能制定检查计划")]})
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("请填写计划名称")]
    if due_on < starts_on:
        errors["due_on"] = [_("完成期限不能早于开始日期")]
    sheet = restrict(ScoreSheet.objects.filter(pk=sheet_id), staff).first()
    if sheet is None:
        errors["sheet"] = [_("所选量表不存在")]
    if method not in PlanMethod.values:
        errors["method"] = [_("检查方式无效")]
    grid: OrgUnit | None = None
    if grid_unit_id is not None:
        grid = restrict(OrgUnit.objects.filter(pk=grid_unit_id), staff).first()
        if grid is None:
            errors["grid_unit"] = [_("所选网格不在您的辖区内")]
    elif method == PlanMethod.GRID:
        errors["grid_unit"] = [_("请选择网格")]
    if errors:
        raise ValidationError(errors)
    assert sheet is not None
    check_sheet(sheet)
    area = grid or staff.org_unit
    employers_qs = restrict(Employer.objects.filter(under(area)), staff)
    plan = Plan(name=name.strip()[:120], sheet=sheet, org_unit=staff.org_unit, method=method, grid_unit=grid,
                starts_on=starts_on, due_on=due_on, created_by=staff)
    inspectors: list[User]
    if method == PlanMethod.LIST:
        wanted = sorted(set(employer_ids or []))
        found = list(restrict(Employer.objects.filter(pk__in=wanted), staff).order_by("pk"))
        missing = sorted(set(wanted) - {e.pk for e in found})
        if not wanted:
            raise ValidationError({"employer_ids": [_("请至少选择一个用人单位")]})
        if missing:
            raise ValidationError({"employer_ids": [_("以下单位不存在或不在您的辖区内：%(ids)s")
                                                    % {"ids": "、".join(map(str, missing))}]})
        employers = found
    elif method == PlanMethod.GRID:
        employers = list(employers_qs.order_by("pk")[:MAX_PLAN_EMPLOYERS + 1])
    else:
        n_emp, n_insp = draw_employers or 0, draw_inspectors or 0
        if not 1 <= n_emp <= MAX_PLAN_EMPLOYERS:
            raise ValidationError({"draw_employers": [_("抽取单位数应在1至%(n)d之间") % {"n": MAX_PLAN_EMPLOYERS}]})
        if not 1 <= n_insp <= 200:
            raise ValidationError({"draw_inspectors": [_("抽取检查人员数应在1至200之间")]})
        employer_pool = list(employers_qs.order_by("pk").values_list("pk", flat=True))
        inspector_pool = list(_inspector_pool(staff, staff.org_unit).order_by("pk").values_list("pk", flat=True))
        if not employer_pool:
            raise ValidationError({"grid_unit": [_("该区域没有登记的用人单位可供抽取")]})
        if not inspector_pool:
            raise ValidationError({"draw_inspectors": [_("本单位没有可抽取的监察员")]})
        seed = seed.strip() or secrets.token_hex(8)
        picked_e, picked_i = draw(seed=seed, employer_pool=employer_pool, inspector_pool=inspector_pool,
                                  employers=n_emp, inspectors=n_insp)
        plan.draw_seed, plan.draw_employers, plan.draw_inspectors = seed[:64], n_emp, n_insp
        plan.draw_record = {"algorithm": DRAW_ALGORITHM, "employer_pool": employer_pool,
                            "inspector_pool": inspector_pool, "employers": picked_e, "inspectors": picked_i,
                            "drawn_at": clock.now().isoformat(), "drawn_by": staff.pk}
        by_pk = {e.pk: e for e in Employer.objects.filter(pk__in=picked_e)}
        employers = [by_pk[pk] for pk in picked_e]
        users = {u.pk: u for u in User.objects.filter(pk__in=picked_i)}
        inspectors = [users[pk] for pk in picked_i]
    if len(employers) > MAX_PLAN_EMPLOYERS:
        raise ValidationError({"grid_unit": [_("一个计划最多%(n)d家单位，请缩小网格") % {"n": MAX_PLAN_EMPLOYERS}]})
    if not employers:
        raise ValidationError({"grid_unit": [_("该网格没有登记的用人单位")]})
    if method != PlanMethod.RANDOM:
        wanted_i = sorted(set(inspector_ids or []))
        inspectors = list(_inspector_pool(staff, staff.org_unit).filter(pk__in=wanted_i).order_by("pk"))
        if len(inspectors) != len(wanted_i):
            raise ValidationError({"inspector_ids": [_("所选检查人员不存在或不是本辖区的监察员")]})
        if not inspectors:
            if staff.role != Role.HANDLER:
                raise ValidationError({"inspector_ids": [_("请选择检查人员")]})
            inspectors = [staff]
    plan.save()
    plan.inspectors.set(inspectors)
    now = clock.now()
    Assessment.objects.bulk_create([
        Assessment(sheet=sheet, kind=sheet.kind, plan=plan, employer=e, origin=AssessmentOrigin.INSPECTION,
                   year=starts_on.year, inspector=inspectors[n % len(inspectors)], started_at=now)
        for n, e in enumerate(employers)])
    audit.record(actor=staff, action=AuditEvent.Action.CREATE, obj=plan,
                 message=_("%(method)s：%(n)d家单位，%(m)d名检查人员") % {
                     "method": plan.get_method_display(), "n": len(employers), "m": len(inspectors)}
                 + (_("，抽取种子 %(seed)s") % {"seed": plan.draw_seed} if plan.draw_seed else ""))
    return plan


@dataclass(frozen=True)
class DrawCheck:
    """The outcome of drawing a plan again from its record."""

    matches: bool
    employers: list[int]
    inspectors: list[int]
    recorded_employers: list[int]
    recorded_inspectors: list[int]
    assessments_match: bool

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@transaction.atomic
def recheck_draw(*, actor: User, plan_id: int) -> DrawCheck:
    """Draw again with the recorded seed and pools and compare with what was recorded and with the
    employers the plan actually assessed; the check itself is audited."""
    staff = require_role(actor, HANDLING, _("您的角色不能复核抽取结果"))
    plan = get_for(Plan.objects.all(), staff, plan_id, CHANGE)
    if plan.method != PlanMethod.RANDOM or not plan.draw_record:
        raise ValidationError({"plan": [_("该计划不是随机抽取的计划")]})
    rec = plan.draw_record
    employers, inspectors = draw(seed=plan.draw_seed, employer_pool=rec["employer_pool"],
                                 inspector_pool=rec["inspector_pool"], employers=plan.draw_employers or 0,
                                 inspectors=plan.draw_inspectors or 0)
    assessed = sorted(plan.assessments.values_list("employer_id", flat=True))
    result = DrawCheck(
        matches=employers == rec["employers"] and inspectors == rec["inspectors"],
        employers=employers, inspectors=inspectors, recorded_employers=rec["employers"],
        recorded_inspectors=rec["inspectors"], assessments_match=assessed == sorted(rec["employers"]))
    audit.record(actor=staff, action=AuditEvent.Action.RUN, obj=plan,
                 message=_("复核抽取：%(r)s") % {"r": _("一致") if result.matches and result.assessments_match
                                                     else _("不一致")})
    return result

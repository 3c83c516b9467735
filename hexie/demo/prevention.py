"""A year of prevention in the demo city, written through the prevention services at the time each
step happened: quarterly 双随机 check-ups in every district (items failed at random, orders issued,
most put right and re-checked, some ignored and turned into cases, the latest still running or
overdue), one harmonious-enterprise evaluation per district, and one employer account.

Every call the demo makes into `hexie.prevention` is here.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hexie.core import clock
from hexie.demo.city import DEMO_ADMIN, DEMO_PASSWORD, DISTRICTS
from hexie.employers.models import Employer
from hexie.orgs.models import OrgUnit, User
from hexie.prevention import services
from hexie.prevention.models import (
    Assessment,
    PlanMethod,
    RectificationOrder,
    ScoreSheet,
    SheetItem,
    SheetSection,
)
from hexie.prevention.seed import seed_sheets

FINDINGS = {
    "2.1": "3名职工未签订书面劳动合同", "5.1": "车间实行两班倒，每日工作超过11小时，未经审批",
    "6.1": "上月工资延迟至次月25日发放", "6.3": "未建立工资支付台账", "7.1": "5名职工未参加社会保险",
    "1.1": "规章制度未经民主程序，未向职工公示",
}
DEMO_EMPLOYER_ACCOUNT = "firm_demo"


def _at(day: datetime, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day.date(), time(hour, 0)))


def _fill(a: Assessment, inspector: User, rng: random.Random, *, fail_rate: float) -> None:
    items = list(SheetItem.objects.filter(section__sheet=a.sheet).select_related("section"))
    failing = {i.code for i in items if i.code in FINDINGS and rng.random() < fail_rate}
    for item in items:
        if item.code in failing:
            services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="fails",
                                   note=FINDINGS[item.code])
        elif item.max_points >= 5 and rng.random() < 0.15:
            services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="partly",
                                   deduction="2", note="材料不全，已当场指出")
        else:
            services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="complies")


@transaction.atomic
def load_prevention(*, now: datetime, seed: int) -> dict[str, int]:
    """Write a year of check-ups, orders and evaluations (skipped when there are plans already)."""
    from hexie.prevention.models import Plan

    if Plan.objects.exists():
        return {}
    seed_sheets(ScoreSheet, SheetSection, SheetItem)  # there already after migrate; kept for a flushed test db
    rng = random.Random(seed)
    checkup = ScoreSheet.objects.get(code="checkup", owner_unit=None, version=1)
    evaluation = ScoreSheet.objects.get(code="harmonious-enterprise", owner_unit=None, version=1)
    users = {u.username: u for u in User.objects.filter(username__regex=r"^(leader|inspector)_")}
    made = {"plans": 0, "assessments": 0, "orders": 0}
    for quarter in range(4):
        start = now - timedelta(days=330 - quarter * 90)
        for d in DISTRICTS:
            leader, inspector = users.get(f"leader_{d.slug}"), users.get(f"inspector_{d.slug}")
            if leader is None or inspector is None:
                continue
            with clock.at(_at(start, 9)):
                try:
                    plan = services.create_plan(
                        actor=leader, name=f"{start.year}年第{quarter + 1}批用工体检（双随机）", sheet_id=checkup.pk,
                        method=PlanMethod.RANDOM, starts_on=start.date(), due_on=(start + timedelta(days=60)).date(),
                        draw_employers=2, draw_inspectors=1, seed=f"demo-{d.slug}-{start.date().isoformat()}")
                except ValidationError:  # a district without employers in the registry: nothing to draw
                    continue
            made["plans"] += 1
            for n, a in enumerate(plan.assessments.select_related("sheet")):
                visit = start + timedelta(days=7 + 9 * n)
                with clock.at(_at(visit, 10)):
                    _fill(a, a.inspector or inspector, rng, fail_rate=0.25)
                    services.submit_assessment(actor=a.inspector or inspector, assessment_id=a.pk)
                with clock.at(_at(visit + timedelta(days=2), 15)):
                    services.sign_off(actor=leader, assessment_id=a.pk, note="同意")
                made["assessments"] += 1
            for order in RectificationOrder.objects.filter(assessment__plan=plan):
                made["orders"] += 1
                fate = rng.random()
                if order.deadline >= now.date() - timedelta(days=3):
                    continue  # still running (or just overdue): left for the employer and the sweep
                if fate < 0.75:
                    with clock.at(_at(datetime.combine(order.deadline, time()) - timedelta(days=3), 11)):
                        services.recheck_order(actor=inspector, order_id=order.pk, complied=True,
                                               note="复查：已整改到位")
                # else ignored: the sweep below opens its case
    with clock.at(now - timedelta(days=2)):
        made["orders_escalated"] = len(services.escalate_overdue_orders(today=(now - timedelta(days=2)).date()))
    # One evaluation per district, most passing.
    for d in DISTRICTS:
        leader, inspector = users.get(f"leader_{d.slug}"), users.get(f"inspector_{d.slug}")
        unit = OrgUnit.objects.filter(code=d.code).first()
        employer = (Employer.objects.filter(org_unit__path__startswith=unit.path).order_by("pk").first()
                    if unit else None)
        if leader is None or inspector is None or employer is None:
            continue
        day = now - timedelta(days=40)
        with clock.at(_at(day, 9)):
            plan = services.create_plan(actor=leader, name=f"{day.year}年劳动关系和谐企业评价", sheet_id=evaluation.pk,
                                        method=PlanMethod.LIST, starts_on=day.date(),
                                        due_on=(day + timedelta(days=30)).date(), employer_ids=[employer.pk],
                                        inspector_ids=[inspector.pk])
            a = plan.assessments.get()
            _fill(a, inspector, rng, fail_rate=0.0)
            services.submit_assessment(actor=inspector, assessment_id=a.pk, bonus=str(rng.choice([0, 2, 4])))
            services.sign_off(actor=leader, assessment_id=a.pk, note="评价结果公示无异议")
        made["assessments"] += 1
    made["accounts"] = _employer_account()
    return made


def _employer_account() -> int:
    """One employer log-in with the demo password, on an employer that has an open order if any."""
    admin = User.objects.filter(username=DEMO_ADMIN).first()
    order = RectificationOrder.objects.filter(state="issued").order_by("pk").first()
    employer_id: Any = order.employer_id if order else Employer.objects.values_list("pk", flat=True).first()
    if admin is None or employer_id is None or User.objects.filter(username=DEMO_EMPLOYER_ACCOUNT).exists():
        return 0
    issued = services.issue_account(actor=admin, employer_id=employer_id, username=DEMO_EMPLOYER_ACCOUNT,
                                    phone="13800138000")
    issued.account.user.set_password(DEMO_PASSWORD)
    issued.account.user.save(update_fields=["password"])
    return 1

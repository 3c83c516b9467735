"""A signed-off check-up with one failed item and its rectification order, shared by the tests of
the apps that read orders (the prevention API, the order document, the prevention figures)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hexie.employers.tests.factories import EmployerFactory
from hexie.orgs.models import HandlerKind, Role
from hexie.orgs.tests.factories import UserFactory
from hexie.prevention import services
from hexie.prevention.models import PlanMethod, RectificationOrder, ScoreSheet, SheetItem


def signed_off_order(users: dict[str, Any], city: dict[str, Any]) -> RectificationOrder:
    employer = EmployerFactory(org_unit=city["yuelu_street"], name="岳麓示范劳务有限公司")
    inspector = UserFactory(username="insp", role=Role.HANDLER, org_unit=city["yuelu"],
                            handler_kind=HandlerKind.INSPECTOR)
    sheet = ScoreSheet.objects.get(code="checkup", owner_unit=None)
    plan = services.create_plan(actor=users["leader"], name="体检", sheet_id=sheet.pk, method=PlanMethod.LIST,
                                starts_on=date(2026, 3, 1), due_on=date(2026, 6, 30), employer_ids=[employer.pk],
                                inspector_ids=[inspector.pk])
    a = plan.assessments.get()
    for item in SheetItem.objects.filter(section__sheet=sheet):
        services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk,
                               result="fails" if item.code == "6.1" else "complies", note="3月工资延迟至4月20日发放")
    services.submit_assessment(actor=inspector, assessment_id=a.pk)
    services.sign_off(actor=users["leader"], assessment_id=a.pk)
    return RectificationOrder.objects.get()

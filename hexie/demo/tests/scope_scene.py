"""A district's file with one row of every model a user can reach, and the users who must not see it.

The scope sweep (``test_scope_sweep``) and ``bench/hardening.py`` build the same scene: Yuelu (the
district whose rows are asked for) holds a case in handling with its clocks, referral, supervision,
attachment, documents and timeline, an employer with a project, team, roster, monitoring point and
report, an import, a warning with the case it opened, a bulletin, a minimum wage and its staff.
The outsiders are Furong's clerk, handler, leader and administrator, and partner agencies (court,
police, union) the case was not referred to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from hexie.bridge.models import OutboundMessage, WorkOrder
from hexie.cases.models import (
    Attachment,
    Case,
    Cluster,
    Notification,
    ReceptionDay,
    ReceptionVisit,
    Referral,
    Supervision,
    TimelineEvent,
)
from hexie.core import audit
from hexie.core.tests.factories import VALID_CREDIT_CODE
from hexie.employers.models import MonitoringPoint, MonitoringReport, WorkTeam
from hexie.employers.tests.factories import EmployerFactory, ProjectFactory, RosterEntryFactory, WorkerFactory
from hexie.insights.models import Bulletin, CaseDocument, DocumentKind
from hexie.monitoring.models import ImportBatch, MinimumWage, MonitoringCase, Warning, WarningRule
from hexie.orgs.models import AgencyKind, HandlerKind, OrgUnit, PartnerAgency, Role, User
from hexie.orgs.tests.factories import PartnerAgencyFactory, UserFactory

#: The users who must find nothing of Yuelu's: a district's staff in every role, and partner
#: agencies of every kind the case was not referred to.
OUTSIDERS = ("furong_desk", "furong_handler", "furong_leader", "furong_admin",
             "court", "police", "union")


def build(city: dict[str, OrgUnit], users: dict[str, User], make_case: Callable[..., Case]) -> dict[str, Model]:
    """Yuelu's rows keyed by model label (``cases.case``…), plus the outsiders keyed by name."""
    now = timezone.now()
    case = make_case("in_handling")
    # Referred to the housing bureau: an agency none of the outsiders works for.
    housing = PartnerAgencyFactory(name="岳麓区住建局", kind=AgencyKind.HOUSING, org_unit=city["yuelu"])
    referral = Referral.objects.create(case=case, agency=housing, referred_at=now)
    deadline = case.deadlines.first()
    supervision = Supervision.objects.create(case=case, deadline=deadline, kind="overdue", created_at=now,
                                             leader=users["leader"])
    attachment = Attachment.objects.create(case=case, file="attachments/evidence.pdf", original_name="evidence.pdf",
                                           content_type="application/pdf", size=10)
    document = CaseDocument.objects.create(case=case, kind=DocumentKind.ACCEPTANCE_NOTICE, number="岳人社受〔2026〕1号",
                                           file="documents/notice.docx", issuer=city["yuelu"], generated_at=now)
    cluster = case.cluster or Cluster.objects.create(key="scope-sweep", label="岳麓", first_received_at=now,
                                                     last_received_at=now, risk_level="yellow")
    notification = Notification.objects.create(case=case, channel="sms", recipient="13800000000", body="…",
                                               next_attempt_at=now)
    employer = EmployerFactory(credit_code=VALID_CREDIT_CODE, name="长沙某建设集团", org_unit=city["yuelu"])
    project = ProjectFactory(org_unit=city["yuelu_street"], general_contractor=employer)
    team = WorkTeam.objects.create(project=project, name="木工班", employer=employer)
    worker = WorkerFactory(name="张三")
    entry = RosterEntryFactory(worker=worker, project=project, entry_date=date(2026, 3, 1))
    point = MonitoringPoint.objects.create(employer=employer, since=date(2026, 1, 1))
    report = MonitoringReport.objects.create(point=point, month=202609, headcount=12, wages_paid=Decimal("60000"),
                                             reported_at=now)
    batch = ImportBatch.objects.create(feed="attendance", source="upload", original_name="考勤.csv", file="imports/a.csv",
                                       sha256="a" * 64, org_unit=city["yuelu"], created_by=users["desk"],
                                       state=ImportBatch.State.FAILED)
    rule = WarningRule.objects.order_by("code").first() or WarningRule.objects.create(
        code="scope_sweep", name="未按月拨付人工费", description="…", grade="orange")
    warning = Warning.objects.create(rule=rule, grade="orange", project=project, employer=employer,
                                     org_unit=project.org_unit, month=202608, summary="8月人工费未拨付",
                                     first_detected_at=now, last_detected_at=now)
    monitoring_case = MonitoringCase.objects.create(project=project, month=202608, case=case)
    bulletin = Bulletin.objects.create(kind="monthly", period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
                                       org_unit=city["yuelu"], title="岳麓区通报", docx="bulletins/b.docx",
                                       generated_at=now)
    wage = MinimumWage.objects.create(org_unit=city["yuelu"], monthly_amount=Decimal("1930"),
                                      effective_from=date.today() - timedelta(days=400))
    with transaction.atomic():
        audit_event = audit.record(actor=users["leader"], action="change", obj=employer, fields=["name"])
    token, _ = Token.objects.get_or_create(user=users["desk"])
    # The mediation network's reception day and a work order of the bridge, with its outbox message.
    day = ReceptionDay.objects.create(org_unit=city["yuelu"], leader=users["leader"], on=date.today(), place="接待大厅")
    visit = ReceptionVisit.objects.create(day=day, at=now, people=2)
    order = WorkOrder.objects.create(source="12345", external_ref="SWEEP-1", payload_hash="0" * 64,
                                     case=make_case("registered"), org_unit=city["yuelu_street"], title="反映欠薪",
                                     received_at=now, hand_back_by=date.today(), reply_by=date.today())
    message = OutboundMessage.objects.create(order=order, kind="signed", payload={}, next_attempt_at=now)
    scene: dict[str, Any] = {
        "cases.case": case, "cases.deadline": deadline, "cases.referral": referral,
        "cases.supervision": supervision, "cases.attachment": attachment,
        "cases.timelineevent": TimelineEvent.objects.filter(case=case).first(),
        "cases.cluster": cluster, "cases.notification": notification,
        "insights.casedocument": document, "insights.bulletin": bulletin,
        "employers.employer": employer, "employers.project": project, "employers.workteam": team,
        "employers.worker": worker, "employers.rosterentry": entry, "employers.monitoringpoint": point,
        "employers.monitoringreport": report, "monitoring.importbatch": batch, "monitoring.warning": warning,
        "monitoring.monitoringcase": monitoring_case, "monitoring.minimumwage": wage,
        "orgs.orgunit": city["yuelu"], "orgs.user": users["desk"], "authtoken.tokenproxy": token,
        "core.auditevent": audit_event,
        "cases.receptionday": day, "cases.receptionvisit": visit,
        "bridge.workorder": order, "bridge.outboundmessage": message,
    }
    return scene


def outsiders(city: dict[str, OrgUnit]) -> dict[str, User]:
    """Furong's staff in every role and three partner agencies that were referred nothing."""

    def partner(name: str, kind: str) -> User:
        agency = PartnerAgency.objects.create(name=f"望城区{name}", kind=kind, org_unit=city["yuelu"])
        return UserFactory(username=f"sweep_{kind}", role=Role.PARTNER, org_unit=None, agency=agency)

    furong = city["furong"]
    return {
        "furong_desk": UserFactory(username="sweep_fr_desk", role=Role.FRONT_DESK, org_unit=furong),
        "furong_handler": UserFactory(username="sweep_fr_handler", role=Role.HANDLER, org_unit=furong,
                                      handler_kind=HandlerKind.INSPECTOR),
        "furong_leader": UserFactory(username="sweep_fr_leader", role=Role.LEADER, org_unit=furong),
        "furong_admin": UserFactory(username="sweep_fr_admin", role=Role.ADMIN, org_unit=furong),
        "court": partner("人民法院", AgencyKind.COURT),
        "police": partner("公安分局", AgencyKind.POLICE),
        "union": partner("总工会", AgencyKind.UNION),
    }

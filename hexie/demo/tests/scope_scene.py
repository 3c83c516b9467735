"""A district's file with one row of every model a user can reach, and the users who must not see it.

The scope sweep (``test_scope_sweep``) and ``bench/hardening.py`` build the same scene: Yuelu (the
district whose rows are asked for) holds a case in handling with its clocks, referral, supervision,
attachment, documents and timeline, an employer with a project, team, roster, monitoring point and
report, an import, a warning with the case it opened, a bulletin and its generation, a minimum
wage and its staff, a reception day, a 12345 work order, its own score sheet with a check-up plan,
an assessment, its rectification order and evidence, the employer's portal account, and the
employer's credit record, grade, listing and a publication. The outsiders are Furong's clerk,
handler, leader and administrator, the coordinators of a Furong mediation body and service
station, the portal account of a Furong employer, and partner agencies (court, police, union) the
case was not referred to.
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
from hexie.credit.models import CreditGrade, Grade, Listing, Publication
from hexie.credit.tests.factories import CreditRecordFactory
from hexie.employers.models import MonitoringPoint, MonitoringReport, WorkTeam
from hexie.employers.tests.factories import EmployerFactory, ProjectFactory, RosterEntryFactory, WorkerFactory
from hexie.insights.models import Bulletin, BulletinRun, CaseDocument, DocumentKind
from hexie.monitoring.models import ImportBatch, MinimumWage, MonitoringCase, Warning, WarningRule
from hexie.orgs.models import (
    AgencyKind,
    HandlerKind,
    MediationBodyKind,
    OrgLevel,
    OrgUnit,
    PartnerAgency,
    Role,
    User,
)
from hexie.orgs.tests.factories import PartnerAgencyFactory, UserFactory
from hexie.prevention import services as prevention
from hexie.prevention.models import (
    Answer,
    AnswerResult,
    Assessment,
    EmployerAccount,
    Evidence,
    Plan,
    PlanMethod,
    RectificationOrder,
    ScoreSheet,
    SheetItem,
    SheetKind,
    SheetSection,
)

#: The users who must find nothing of Yuelu's: a district's staff in every role, its mediation
#: network's coordinators, another employer's own log-in, and partner
#: agencies of every kind the case was not referred to.
OUTSIDERS = ("furong_desk", "furong_handler", "furong_leader", "furong_admin",
             "court", "police", "union", "furong_body", "furong_station", "other_employer")


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
    scene: dict[str, Any] = {**_prevention(city, users, employer, now), **_credit(city, users, employer, now)}
    scene.update({
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
        "insights.bulletinrun": BulletinRun.objects.create(kind="monthly", period_start=date(2026, 10, 1),
                                                           org_unit=city["yuelu"], started_at=now,
                                                           state=BulletinRun.State.FAILED),
    })
    return scene


def _prevention(city: dict[str, OrgUnit], users: dict[str, User], employer: Any, now: Any) -> dict[str, Model]:
    """Yuelu's own score sheet, a check-up plan, an assessment with an answer, a rectification order,
    evidence, and the employer's portal account."""
    # Yuelu's own sheet: the installation's seeded sheets are shared with every district.
    sheet = ScoreSheet.objects.create(code="sweep-yuelu", kind=SheetKind.CHECKUP, name="岳麓区用工体检表",
                                      owner_unit=city["yuelu"], effective_from=date(2026, 1, 1),
                                      total_points=Decimal("100"), legal_basis="《劳动合同法》第十条")
    section = SheetSection.objects.create(sheet=sheet, code="1", title="劳动合同", max_points=Decimal("100"))
    item = SheetItem.objects.create(section=section, code="1.1", title="依法订立书面劳动合同",
                                    max_points=Decimal("100"))
    plan = Plan.objects.create(name="岳麓区用工体检", sheet=sheet, org_unit=city["yuelu"], method=PlanMethod.LIST,
                               starts_on=date(2026, 10, 1), due_on=date(2026, 12, 31))
    assessment = Assessment.objects.create(sheet=sheet, kind=sheet.kind, employer=employer, year=2026, started_at=now)
    answer = Answer.objects.create(assessment=assessment, item=item, result=AnswerResult.FAILS, points=Decimal("0"),
                                   recorded_at=now, answered_at=now)
    order = RectificationOrder.objects.create(number="岳人社整〔2026〕1号", assessment=assessment, employer=employer,
                                              requirements="补签劳动合同", legal_basis="《劳动合同法》第十条",
                                              issued_on=date(2026, 10, 9), working_days=15,
                                              deadline=date(2026, 10, 30))
    evidence = Evidence.objects.create(employer=employer, answer=answer, file="evidence/contract.pdf",
                                       original_name="contract.pdf", content_type="application/pdf", size=10,
                                       uploaded_at=now)
    with transaction.atomic():
        account = prevention.issue_account(actor=users["admin"], employer_id=employer.pk, username="sweep_yl_firm",
                                           phone="13800138000").account
    return {"prevention.scoresheet": sheet, "prevention.sheetsection": section, "prevention.sheetitem": item,
            "prevention.plan": plan, "prevention.assessment": assessment, "prevention.answer": answer,
            "prevention.rectificationorder": order, "prevention.evidence": evidence,
            "prevention.employeraccount": account}


def _credit(city: dict[str, OrgUnit], users: dict[str, User], employer: Any, now: Any) -> dict[str, Model]:
    """Yuelu's violation record, grade, listing (its notice served) and publication."""
    record = CreditRecordFactory(employer=employer)
    grade = CreditGrade.objects.create(employer=employer, org_unit=city["yuelu"], year=2025, computed_grade=Grade.C,
                                       grade=Grade.C, computed_at=now)
    listing = Listing.objects.create(employer=employer, org_unit=city["yuelu"], order_record=record,
                                     reasons="拒不支付劳动报酬", basis="《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条",
                                     proposed_by=users["leader"], proposed_at=now, notified_on=date(2026, 10, 9))
    publication = Publication.objects.create(kind=Publication.Kind.MAJOR_VIOLATIONS, org_unit=city["yuelu"],
                                             year=2026, quarter=3, basis="《重大劳动保障违法行为社会公布办法》",
                                             created_by=users["leader"], created_at=now)
    return {"credit.creditrecord": record, "credit.creditgrade": grade, "credit.listing": listing,
            "credit.publication": publication}


def outsiders(city: dict[str, OrgUnit]) -> dict[str, User]:
    """Furong's staff in every role, its mediation network's coordinators, another employer's
    account and three partner agencies that were referred nothing."""

    def partner(name: str, kind: str) -> User:
        agency = PartnerAgency.objects.create(name=f"望城区{name}", kind=kind, org_unit=city["yuelu"])
        return UserFactory(username=f"sweep_{kind}", role=Role.PARTNER, org_unit=None, agency=agency)

    furong = city["furong"]

    def network(code: str, name: str, level: str) -> OrgUnit:
        kind = MediationBodyKind.TOWNSHIP if level == OrgLevel.MEDIATION_BODY else ""
        return OrgUnit.objects.create(code=code, name=name, level=level, parent=furong, body_kind=kind)

    def other_employer() -> User:
        # Furong's employer's own log-in: it reaches its own file only, never Yuelu's employer's.
        user = UserFactory(username="sweep_fr_firm", role=Role.EMPLOYER, org_unit=None)
        EmployerAccount.objects.create(user=user, employer=EmployerFactory(name="芙蓉某劳务公司", org_unit=furong),
                                       issued_at=timezone.now())
        return user

    return {
        "furong_desk": UserFactory(username="sweep_fr_desk", role=Role.FRONT_DESK, org_unit=furong),
        "furong_handler": UserFactory(username="sweep_fr_handler", role=Role.HANDLER, org_unit=furong,
                                      handler_kind=HandlerKind.INSPECTOR),
        "furong_leader": UserFactory(username="sweep_fr_leader", role=Role.LEADER, org_unit=furong),
        "furong_admin": UserFactory(username="sweep_fr_admin", role=Role.ADMIN, org_unit=furong),
        "court": partner("人民法院", AgencyKind.COURT),
        "police": partner("公安分局", AgencyKind.POLICE),
        "union": partner("总工会", AgencyKind.UNION),
        "furong_body": UserFactory(username="sweep_fr_body", role=Role.COORDINATOR, org_unit=network(
            "430102901", "芙蓉区劳动争议调解委员会", OrgLevel.MEDIATION_BODY)),
        "furong_station": UserFactory(username="sweep_fr_station", role=Role.COORDINATOR, org_unit=network(
            "430102902", "芙蓉区劳动关系服务站", OrgLevel.STATION)),
        "other_employer": other_employer(),
    }

"""Official documents of a case (受理通知书, 不予受理通知书, 督办函, 移送函, 调解协议书).

`generate_case_document` checks who asks and whether the document makes sense for the case now,
numbers it (文号), renders the kind's Word template with the case's data, stores the file in the
case file and adds a "document_generated" entry to the timeline, all in one transaction.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hexie.cases.models import (
    Case,
    CaseType,
    ClosureConclusion,
    Deadline,
    Referral,
    Status,
    Supervision,
    Track,
)
from hexie.cases.services import add_event, get_case_for_update
from hexie.core import clock
from hexie.core.errors import DomainError, NotPermitted
from hexie.insights.formatting import cn_date, money, rmb_upper, zh
from hexie.insights.models import (
    CASE_DOCUMENT_KINDS,
    CaseDocument,
    DocumentKind,
    DocumentNumberSequence,
)
from hexie.insights.rendering import render_docx, template_row, template_source
from hexie.orgs.models import AgencyKind, OrgLevel, OrgUnit, User
from hexie.orgs.scoping import BUREAU_STAFF, HANDLING, LEADERS, as_staff, restrict
from hexie.workcal import rules as workcal
from hexie.workcal.selectors import get_calendar

log = logging.getLogger("hexie.insights")

# Days a unit has to report back on a supervision letter.
SUPERVISION_REPLY_WORKING_DAYS = 5
# Used when a referral has no running answer clock of its own.
REFERRAL_ANSWER_WORKING_DAYS = 15

# Who may issue each kind. A supervision letter is the leadership's (督办 comes from above the
# handler); notices are the desk's as much as the handler's; partners issue none.
ISSUING_ROLES: dict[str, frozenset[str]] = {
    DocumentKind.ACCEPTANCE_NOTICE: BUREAU_STAFF,
    DocumentKind.REFUSAL_NOTICE: BUREAU_STAFF,
    DocumentKind.SUPERVISION_LETTER: LEADERS,
    DocumentKind.REFERRAL_LETTER: HANDLING,
    DocumentKind.MEDIATION_AGREEMENT: HANDLING,
}

# The character of the 文号 after the issuer's "X人社": 岳人社受〔2026〕12号.
NUMBER_WORD: dict[str, str] = {
    DocumentKind.ACCEPTANCE_NOTICE: "受",
    DocumentKind.REFUSAL_NOTICE: "不受",
    DocumentKind.SUPERVISION_LETTER: "督",
    DocumentKind.REFERRAL_LETTER: "移",
    DocumentKind.MEDIATION_AGREEMENT: "调",
}

_RESOLVED = (Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED)

# What the case is about, as the documents say it ("反映某公司拖欠工资问题").
MATTER: dict[str, str] = {
    CaseType.WAGE_ARREARS: "拖欠工资",
    CaseType.LABOUR_DISPUTE: "劳动争议",
    CaseType.PETITION: "信访",
    CaseType.CONSULTATION: "劳动保障政策咨询",
}

# --- legal basis -----------------------------------------------------------------------------
# Cited in the documents; a bureau that cites other provisions edits the template instead.

_INSPECTION_ACCEPT = "《劳动保障监察条例》第十四条、《关于实施〈劳动保障监察条例〉若干规定》第十八条"
_ARBITRATION_ACCEPT = "《中华人民共和国劳动争议调解仲裁法》第二十九条"
_PETITION_ACCEPT = "《信访工作条例》第二十二条"

ACCEPT_BASIS: dict[str, str] = {
    CaseType.WAGE_ARREARS: _INSPECTION_ACCEPT,
    CaseType.CONSULTATION: _INSPECTION_ACCEPT,
    CaseType.LABOUR_DISPUTE: _ARBITRATION_ACCEPT,
    CaseType.PETITION: _PETITION_ACCEPT,
}
REFUSAL_BASIS: dict[str, str] = {
    CaseType.WAGE_ARREARS: "《关于实施〈劳动保障监察条例〉若干规定》第十八条",
    CaseType.CONSULTATION: "《关于实施〈劳动保障监察条例〉若干规定》第十八条",
    CaseType.LABOUR_DISPUTE: _ARBITRATION_ACCEPT,
    CaseType.PETITION: _PETITION_ACCEPT,
}
# What a refused complainant may do next.
REFUSAL_REMEDY: dict[str, str] = {
    CaseType.WAGE_ARREARS: "如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。",
    CaseType.CONSULTATION: "如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。",
    CaseType.LABOUR_DISPUTE: "对本不予受理决定不服的，可以就该劳动争议事项依法向人民法院提起诉讼。",
    CaseType.PETITION: "对属于其他法定途径处理的事项，请依照有关法律、行政法规规定的程序向有关机关提出。",
}
MEDIATION_BASIS = "《中华人民共和国劳动争议调解仲裁法》第十四条"
MEDIATION_REMEDY = (
    "因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成本协议，被申请人在协议约定期限内不履行的，"
    "申请人可以持本调解协议书依照《中华人民共和国劳动争议调解仲裁法》第十六条向人民法院申请支付令；"
    "其他事项不履行的，可以依法申请仲裁。"
)
# A referral letter's ground and basis, by the partner agency's kind.
REFERRAL_GROUNDS: dict[str, tuple[str, str]] = {
    AgencyKind.POLICE: ("该案涉嫌拒不支付劳动报酬罪，需由公安机关依法查处",
                        "《中华人民共和国刑法》第二百七十六条之一、《行政执法机关移送涉嫌犯罪案件的规定》第三条"),
    AgencyKind.COURT: ("该案属于人民法院受理范围，需通过诉讼程序解决",
                       "《中华人民共和国劳动争议调解仲裁法》第五条、第四十八条"),
    AgencyKind.HOUSING: ("该案涉及工程建设项目，属于行业主管部门监管职责",
                         "《保障农民工工资支付条例》第四条、第十条"),
    AgencyKind.UNION: ("该案需工会组织参与协调处理", "《中华人民共和国劳动争议调解仲裁法》第四条、第十条"),
    AgencyKind.OTHER: ("该案属于你单位职责范围", "《保障农民工工资支付条例》第四条"),
}


# --- who may issue what, when --------------------------------------------------------------


def _latest_supervision(case: Case) -> Supervision | None:
    return case.supervisions.select_related("deadline__rule", "leader").order_by("-created_at", "-id").first()


def _latest_referral(case: Case) -> Referral | None:
    return case.referrals.select_related("agency", "referred_by").order_by("-referred_at", "-id").first()


def state_refusal(kind: str, case: Case) -> str | None:
    """Why `kind` makes no sense for the case as it stands (bilingual), or None when it does."""
    if kind == DocumentKind.REFUSAL_NOTICE and case.status != Status.REFUSED:
        return "只有不予受理的案件才能出具不予受理通知书 / A refusal notice is only for a refused case."
    if kind == DocumentKind.ACCEPTANCE_NOTICE and (case.accepted_at is None or case.status == Status.REFUSED):
        return "案件尚未受理，不能出具受理通知书 / The case has not been accepted: no acceptance notice yet."
    if kind == DocumentKind.MEDIATION_AGREEMENT:
        mediated = case.closure_conclusion == ClosureConclusion.MEDIATED or (
            case.track == Track.MEDIATION
            and case.closure_conclusion in (ClosureConclusion.PAID_IN_FULL, ClosureConclusion.PAID_IN_PART)
        )
        if case.status not in _RESOLVED or not mediated:
            return ("只有调解成功办结的案件才能出具调解协议书 / A mediation agreement is only for a case "
                    "resolved by mediation.")
    if kind == DocumentKind.SUPERVISION_LETTER and not case.supervisions.exists():
        return "该案没有督办记录，不能出具督办函 / The case has no supervision record: no supervision letter."
    if kind == DocumentKind.REFERRAL_LETTER and not case.referrals.exists():
        return "该案没有移送记录，不能出具移送函 / The case was not referred: no referral letter."
    return None


def role_refusal(kind: str, actor: User) -> str | None:
    if actor.is_superuser or actor.role in ISSUING_ROLES[kind]:
        return None
    label = DocumentKind(kind).label
    return f"您的角色（{actor.get_role_display()}）不能出具{zh(label)} / Your role cannot issue a {label}."


def allowed_document_kinds(case: Case, user: Any) -> list[tuple[str, str]]:
    """The kinds the user may issue on the case now, as (value, label) for the case page."""
    staff = as_staff(user)
    if staff is None:
        return []
    return [(k, str(DocumentKind(k).label)) for k in CASE_DOCUMENT_KINDS
            if role_refusal(k, staff) is None and state_refusal(k, case) is None]


def documents_panel(case: Case, user: Any) -> dict[str, Any]:
    """What the case page's documents panel shows: the issued documents and what may be issued."""
    return {
        "case_documents": list(case.documents.select_related("generated_by").order_by("-generated_at", "-id")),
        "document_kinds": allowed_document_kinds(case, user),
    }


def case_documents_for(user: Any, document_id: int) -> CaseDocument | None:
    """An issued document if the user may see its case (the same scope as the case itself)."""
    return restrict(CaseDocument.objects.select_related("case").filter(pk=document_id), user, single=True).first()


# --- issuer and number -----------------------------------------------------------------------


def issuing_unit(unit: OrgUnit) -> OrgUnit:
    """The bureau that issues documents for work in `unit`: its district (区县) bureau, else the city's."""
    codes = [c for c in unit.path.split("/") if c]
    chain = {u.code: u for u in OrgUnit.objects.filter(code__in=codes).select_related("parent")}
    for level in (OrgLevel.DISTRICT, OrgLevel.CITY):
        for code in reversed(codes):
            u = chain.get(code)
            if u is not None and u.level == level:
                return u
    return chain.get(codes[0], unit)


def _issuer_for(kind: str, case: Case, actor: User) -> OrgUnit:
    """The bureau in whose name a document goes out: the one handling the case, except that a
    supervision letter comes from the supervising leader's own bureau when it is above that one
    (a city leader supervises a district's case in the city bureau's name)."""
    handling = issuing_unit(case.org_unit)
    if kind == DocumentKind.SUPERVISION_LETTER and actor.org_unit_id is not None:
        own = issuing_unit(actor.org_unit)  # type: ignore[arg-type]
        if own.pk != handling.pk and handling.is_within(own):
            return own
    return handling


def bureau_name(issuer: OrgUnit) -> str:
    """长沙市岳麓区人力资源和社会保障局: a district bureau is named with its city."""
    parent = issuer.parent
    prefix = parent.name if issuer.level == OrgLevel.DISTRICT and parent is not None else ""
    return f"{prefix}{issuer.name}人力资源和社会保障局"


def next_document_number(*, issuer: OrgUnit, kind: str, year: int) -> str:
    """Issue the next 文号 of the issuer, kind and year, e.g. 岳人社受〔2026〕12号.

    The counter row is bumped with a conditional UPDATE inside the caller's transaction: the row
    stays locked until commit, so two clerks issuing at once get different numbers.
    """
    for _attempt in range(2):
        bumped = DocumentNumberSequence.objects.filter(issuer=issuer, kind=kind, year=year).update(
            last=F("last") + 1
        )
        if bumped:
            break
        try:
            with transaction.atomic():
                DocumentNumberSequence.objects.create(issuer=issuer, kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # another clerk created it first: bump it on the next turn
    n = DocumentNumberSequence.objects.filter(issuer=issuer, kind=kind, year=year).values_list(
        "last", flat=True).get()
    abbreviation = issuer.name[:1]
    return f"{abbreviation}人社{NUMBER_WORD[kind]}〔{year}〕{n}号"


# --- the data a template sees ----------------------------------------------------------------


def clock_local_date(moment: Any) -> date | None:
    return timezone.localdate(moment) if moment else None


def _case_data(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "tracking_code": case.tracking_code,
        "type": zh(case.get_case_type_display()),
        "matter": MATTER.get(case.case_type, zh(case.get_case_type_display())),
        "channel": zh(case.get_channel_display()),
        "received_date": cn_date(clock_local_date(case.received_at)),
        "accepted_date": cn_date(clock_local_date(case.accepted_at)),
        "complainant_name": case.complainant_name,
        # Masked: the file is stored unencrypted, and the notice identifies the person by name anyway.
        "complainant_id": case.id_number_masked,
        "employer_name": case.employer_name,
        "employer_credit_code": case.employer_credit_code or "—",
        "employer_address": case.employer_address or "—",
        "project_name": case.project_name,
        "area": case.org_unit.name,
        "workers_count": case.workers_count,
        "amount_claimed": money(case.amount_claimed),
        "description": case.description,
        "handler": case.handler.display_name if case.handler else "—",
        "responsible_leader": case.responsible_leader.display_name if case.responsible_leader else "—",
        "track": zh(case.get_track_display()) if case.track else "",
        "status": zh(case.get_status_display()),
        "refusal_reason": case.refusal_reason,
        "conclusion": zh(case.get_closure_conclusion_display()) if case.closure_conclusion else "",
        "amount_recovered": money(case.amount_recovered),
        "workers_benefited": case.workers_benefited or 0,
        "attachment_count": case.attachments.count(),
    }


def _deadlines(case: Case) -> list[dict[str, str]]:
    # Only clocks with a verified legal basis are promised to the worker; local targets stay internal.
    running = (case.deadlines.filter(state=Deadline.State.RUNNING, rule__is_verified=True)
               .select_related("rule").order_by("due_on"))
    return [{"step": zh(d.rule.step), "due": cn_date(d.due_on), "basis": zh(d.rule.basis)} for d in running]


def _supervision_data(case: Case, issuer: OrgUnit, today: date) -> tuple[dict[str, Any], str]:
    sup = _latest_supervision(case)
    if sup is None:  # the same keys, blank: a template may mention them whatever the case
        return dict.fromkeys(("addressee", "kind", "step", "due", "situation", "created_date", "reply_by",
                              "leader"), ""), ""
    d = sup.deadline
    if d.state in (Deadline.State.RUNNING, Deadline.State.PAUSED):
        left = (d.due_on - today).days
        situation = (f"截至{cn_date(today)}已超期{-left}日，尚未办结" if left < 0
                     else f"距期限届满仅剩{left}日，尚未办结")
    else:
        situation = "已超期办结" if d.finished_on_time is False else "已办结"
    reply_by = workcal.add_working_days(get_calendar(), today, SUPERVISION_REPLY_WORKING_DAYS).due_on
    handler = case.handler.display_name if case.handler else ""
    handling = issuing_unit(case.org_unit)
    if handling.pk != issuer.pk:  # from the level above: to the bureau that handles the case
        addressee = f"{bureau_name(handling)}（承办人{handler}）" if handler else bureau_name(handling)
    else:  # within the bureau: to the handler
        addressee = f"承办人{handler}同志" if handler else bureau_name(handling)
    data = {
        "addressee": addressee, "kind": zh(sup.get_kind_display()), "step": zh(d.rule.step),
        "due": cn_date(d.due_on), "situation": situation, "created_date": cn_date(clock_local_date(sup.created_at)),
        "reply_by": cn_date(reply_by), "leader": sup.leader.display_name if sup.leader else "—",
    }
    return data, zh(d.rule.basis)


def _referral_data(case: Case) -> tuple[dict[str, Any], str]:
    ref = _latest_referral(case)
    if ref is None:
        return dict.fromkeys(("agency", "agency_kind", "reason", "note", "referred_date", "answer_days"), ""), ""
    reason, basis = REFERRAL_GROUNDS.get(ref.agency.kind, REFERRAL_GROUNDS[AgencyKind.OTHER])
    clock_rule = case.deadlines.filter(rule__code="referral.answer").select_related("rule").first()
    days = clock_rule.rule.length if clock_rule else REFERRAL_ANSWER_WORKING_DAYS
    return {
        "agency": ref.agency.name, "agency_kind": zh(ref.agency.get_kind_display()), "reason": reason,
        "note": ref.note, "referred_date": cn_date(clock_local_date(ref.referred_at)), "answer_days": days,
    }, basis


def _agreement_data(case: Case, issuer: OrgUnit) -> dict[str, Any]:
    legal_rep = ""
    if case.employer_credit_code:
        from hexie.employers.models import Employer

        legal_rep = Employer.objects.filter(credit_code=case.employer_credit_code).values_list(
            "legal_representative", flat=True).first() or ""
    amount = case.amount_recovered if case.amount_recovered is not None else case.amount_claimed
    parent = issuer.parent.name if issuer.level == OrgLevel.DISTRICT and issuer.parent else ""
    return {
        "subject": "工资（劳动报酬）" if case.case_type == CaseType.WAGE_ARREARS else "款项",
        "amount": money(amount), "amount_upper": rmb_upper(amount),
        "workers": case.workers_benefited or case.workers_count,
        "legal_representative": legal_rep or "＿＿＿＿",
        "mediator_body": f"{parent}{issuer.name}劳动人事争议调解中心",
        "remedy": MEDIATION_REMEDY,
    }


def build_case_context(case: Case, kind: str, *, number: str, issuer: OrgUnit, today: date) -> dict[str, Any]:
    """Everything a case document's template may use; the same keys as rendering.sample_case_context."""
    name = bureau_name(issuer)
    supervision, sup_basis = _supervision_data(case, issuer, today)
    referral, ref_basis = _referral_data(case)
    basis_by_kind: dict[str, str] = {
        DocumentKind.ACCEPTANCE_NOTICE: ACCEPT_BASIS.get(case.case_type, _INSPECTION_ACCEPT),
        DocumentKind.REFUSAL_NOTICE: REFUSAL_BASIS.get(case.case_type, _INSPECTION_ACCEPT),
        DocumentKind.SUPERVISION_LETTER: sup_basis,
        DocumentKind.REFERRAL_LETTER: ref_basis,
        DocumentKind.MEDIATION_AGREEMENT: MEDIATION_BASIS,
    }
    basis = basis_by_kind[kind]
    return {
        "doc": {"title": zh(DocumentKind(kind).label), "number": number, "date": cn_date(today),
                "issuer": name, "issuer_unit": issuer.name},
        "case": _case_data(case),
        "basis": basis,
        "remedy": REFUSAL_REMEDY.get(case.case_type, ""),
        "deadlines": _deadlines(case),
        "supervision": supervision,
        "referral": referral,
        "agreement": _agreement_data(case, issuer),
    }


# --- the service -----------------------------------------------------------------------------


def generate_case_document(*, case_id: int, kind: str, actor: User) -> CaseDocument:
    """Issue an official document on a case: checks, number, render, store, timeline — all or nothing.

    Raises Http404 when the actor may not see the case (as for a case that does not exist),
    NotPermitted when the role may not issue the kind, DomainError when the kind makes no sense
    for the case now (e.g. a refusal notice for an accepted case), ValidationError for an unknown
    kind. Nothing is stored unless everything succeeded.
    """
    if kind not in CASE_DOCUMENT_KINDS:
        raise ValidationError({"kind": ["未知的文书种类 / Unknown kind of document."]})
    stored_name = ""
    try:
        with transaction.atomic():
            case = get_case_for_update(case_id=case_id, actor=actor)
            problem = role_refusal(kind, actor)
            if problem:
                raise NotPermitted(problem)
            problem = state_refusal(kind, case)
            if problem:
                raise DomainError(problem, code="document_not_applicable")
            case = Case.objects.select_related("org_unit", "handler", "responsible_leader").get(pk=case.pk)
            now = clock.now()
            today = clock.today()
            issuer = _issuer_for(kind, case, actor)
            number = next_document_number(issuer=issuer, kind=kind, year=today.year)
            row = template_row(kind)
            source, is_default = template_source(row)
            context = build_case_context(case, kind, number=number, issuer=issuer, today=today)
            try:
                content = render_docx(source, lambda _tpl: context)
            except Exception as exc:
                log.exception("document template %s v%s failed to render", kind, row.version)
                raise DomainError(
                    f"文书模板无法生成（{type(exc).__name__}），请管理员检查模板 / The document template failed to "
                    f"render ({type(exc).__name__}); an administrator should check it.",
                    code="template_failed",
                ) from exc
            doc = CaseDocument(
                case=case, kind=kind, template=row, template_version=row.version, template_is_default=is_default,
                number=number, issuer=issuer, generated_at=now, generated_by=actor,
            )
            doc.file.save(f"{kind}-{today:%Y%m%d}-{case.number}.docx", ContentFile(content), save=False)
            stored_name = doc.file.name
            doc.save()
            add_event(
                case=case, kind="document_generated", actor=actor,
                message=f"{zh(DocumentKind(kind).label)} {number}",
                data={"document_id": doc.pk, "kind": kind, "number": number},
            )
            return doc
    except BaseException:
        # The database rolled back; the file written inside the transaction must go too.
        if stored_name:
            from django.core.files.storage import default_storage

            default_storage.delete(stored_name)
        raise

"""The data an official document's template sees: the case, its clocks, its latest supervision and
referral, the agreement's amounts, the issuer and number, the legal basis.

Reads only; the keys are those of `rendering.sample_case_context`, against which an uploaded
template is checked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from hexie.cases.models import Case, CaseType, Deadline, DeadlineRule, Referral, Supervision
from hexie.cases.periods import cn_count, period_words, unit_words
from hexie.insights.document_rules import (
    MEDIATION_REMEDY,
    REFERRAL_ANSWER_WORKING_DAYS,
    REFERRAL_GROUNDS,
    SUPERVISION_REPLY_WORKING_DAYS,
    WORDING,
    bureau_name,
    issuing_unit,
    legal_basis,
)
from hexie.insights.formatting import cn_date, money, rmb_upper, zh
from hexie.insights.models import DocumentKind
from hexie.orgs.models import AgencyKind, OrgLevel, OrgUnit
from hexie.workcal import rules as workcal
from hexie.workcal.selectors import get_calendar


def _latest_supervision(case: Case) -> Supervision | None:
    return case.supervisions.select_related("deadline__rule", "leader").order_by("-created_at", "-id").first()


def _latest_referral(case: Case) -> Referral | None:
    return case.referrals.select_related("agency", "referred_by").order_by("-referred_at", "-id").first()


def clock_local_date(moment: Any) -> date | None:
    return timezone.localdate(moment) if moment else None


def _employer_data(case: Case) -> dict[str, str]:
    employer = case.employer
    if employer is not None:
        return {"employer_name": employer.name, "employer_credit_code": employer.credit_code,
                "employer_address": employer.address or case.employer_address or "—"}
    return {"employer_name": case.employer_name, "employer_credit_code": case.employer_credit_code or "—",
            "employer_address": case.employer_address or "—"}


def _case_data(case: Case) -> dict[str, Any]:
    wording = WORDING.get(case.case_type)
    return {
        "number": case.number,
        "tracking_code": case.tracking_code,
        "type": zh(case.get_case_type_display()),
        "matter": wording.matter if wording else zh(case.get_case_type_display()),
        "channel": zh(case.get_channel_display()),
        "received_date": cn_date(clock_local_date(case.received_at)),
        "accepted_date": cn_date(clock_local_date(case.accepted_at)),
        "complainant_name": case.complainant_name,
        # Masked: the file is stored unencrypted, and the notice identifies the person by name anyway.
        "complainant_id": case.id_number_masked,
        # A document with legal force names the party as registered when the case is linked to it;
        # an unlinked case prints what the complainant gave.
        **_employer_data(case),
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


def period_text(d: Deadline, case: Case) -> str:
    """The clock's period in words, which stays right whatever the calendar: 自立案之日起六十个工作日内.

    Counted from the day its rule names (receipt, acceptance) when it started then; otherwise (a
    change of track, a restart, a reopening) from the date it started.
    """
    rule = d.rule
    from_receipt = rule.trigger == DeadlineRule.Trigger.INTAKE or rule.counts_from == DeadlineRule.CountsFrom.RECEIPT
    named_day = clock_local_date(case.received_at if from_receipt else case.accepted_at)
    since = f"{rule.start_words}之日" if named_day == d.starts_on else cn_date(d.starts_on)
    text = period_words(length=rule.length, unit=rule.unit, since=since)
    if d.extended:
        text += f"（经批准延长{cn_count(rule.extension_length)}{unit_words(rule.unit)}）"
    if d.paused_days:
        text += "（中止期间不计入）"
    return text


def due_text(d: Deadline) -> str:
    """The due date; a provisional one (a year whose holidays are not yet published) says so, so that
    no document prints it as firm. Once the year is entered the clock is recomputed, and documents
    issued after that print the firm date."""
    if d.is_provisional:
        return f"{cn_date(d.due_on)}（暂定，以国家公布的节假日安排为准）"
    return cn_date(d.due_on)


def _deadlines(case: Case) -> list[dict[str, Any]]:
    # Only clocks with a verified legal basis are promised to the worker; local targets stay internal.
    running = (case.deadlines.filter(state=Deadline.State.RUNNING, rule__is_verified=True)
               .select_related("rule").order_by("due_on"))
    return [{"step": zh(d.rule.step), "period": period_text(d, case), "due": due_text(d),
             "provisional": d.is_provisional, "basis": zh(d.rule.basis)} for d in running]


def _supervision_data(case: Case, issuer: OrgUnit, today: date) -> tuple[dict[str, Any], str]:
    sup = _latest_supervision(case)
    if sup is None:  # the same keys, blank: a template may mention them whatever the case
        blank: dict[str, Any] = dict.fromkeys(("addressee", "kind", "step", "period", "due", "situation",
                                               "created_date", "reply_by", "leader"), "")
        return {**blank, "provisional": False}, ""
    d = sup.deadline
    if d.state in (Deadline.State.RUNNING, Deadline.State.PAUSED):
        left = (d.due_on - today).days
        situation = (f"截至{cn_date(today)}已超期{-left}日，尚未办结" if left < 0
                     else f"距期限届满仅剩{left}日，尚未办结")
        if d.is_provisional:
            situation += "（按暂定届满日计算）"
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
        "period": period_text(d, case), "due": due_text(d), "provisional": d.is_provisional, "situation": situation, "created_date": cn_date(clock_local_date(sup.created_at)),
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
    # The registered employer the case is linked to; an unlinked case's credit code still names one
    # beyond doubt. A typed name never does (the registry may hold namesakes in other districts).
    employer = case.employer
    if employer is None and case.employer_credit_code:
        from hexie.employers.models import Employer

        employer = Employer.objects.filter(credit_code=case.employer_credit_code).first()
    legal_rep = employer.legal_representative if employer is not None else ""
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


# What a party files with a court application besides the application itself.
_COURT_MATERIALS: dict[str, list[str]] = {
    DocumentKind.CONFIRMATION_REQUEST: ["调解协议书", "双方当事人的身份证明、用人单位的营业执照或统一社会信用代码证明",
                                        "与调解协议相关的证明材料"],
    DocumentKind.PAYMENT_ORDER_REQUEST: ["调解协议书", "申请人的身份证明", "用人单位未按调解协议约定期限履行的说明"],
}


def _court_data(case: Case, kind: str) -> dict[str, Any]:
    """The court a case goes to (the court it was referred to, else a blank to fill in), the day the
    agreement took effect and the day the 30 days to apply for confirmation end."""
    court = case.referrals.filter(agency__kind=AgencyKind.COURT).select_related("agency").order_by(
        "-referred_at").first()
    window = case.deadlines.filter(rule__starts_with="resolve.mediated").select_related("rule").order_by(
        "-starts_on").first()
    return {
        "name": court.agency.name if court else "＿＿＿＿人民法院",
        "agreement_date": cn_date(clock_local_date(case.resolved_at)),
        "apply_by": due_text(window) if window else "",
        "window": period_words(length=window.rule.length, unit=window.rule.unit, since="调解协议生效之日")
        if window else "",
        "materials": _COURT_MATERIALS.get(kind, []),
    }


def build_case_context(case: Case, kind: str, *, number: str, issuer: OrgUnit, today: date) -> dict[str, Any]:
    """Everything a case document's template may use; the same keys as rendering.sample_case_context."""
    name = bureau_name(issuer)
    supervision, sup_basis = _supervision_data(case, issuer, today)
    referral, ref_basis = _referral_data(case)
    basis = legal_basis(kind, case.case_type, supervision_basis=sup_basis, referral_basis=ref_basis)
    wording = WORDING.get(case.case_type)
    return {
        "doc": {"title": zh(DocumentKind(kind).label), "number": number, "date": cn_date(today),
                "issuer": name, "issuer_unit": issuer.name},
        "case": _case_data(case),
        "basis": basis,
        "remedy": wording.refusal_remedy if wording else "",
        "deadlines": _deadlines(case),
        "supervision": supervision,
        "referral": referral,
        "agreement": _agreement_data(case, issuer),
        "court": _court_data(case, kind),
    }

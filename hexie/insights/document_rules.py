"""The rules of a case's official documents: who may issue which kind, for a case in which state,
in which bureau's name, numbered how, citing which legal basis.

Read by the case page (what may be issued now), by the data a template sees (`document_context`)
and by the service that issues a document (`services.documents`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from hexie.cases.models import Case, CaseType, ClosureConclusion, DisputeCause, Status, Track
from hexie.insights.models import DocumentKind
from hexie.orgs.models import AgencyKind, OrgLevel, OrgUnit, User
from hexie.orgs.scoping import BUREAU_STAFF, HANDLING, LEADERS

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
    DocumentKind.CONFIRMATION_REQUEST: HANDLING,
    DocumentKind.PAYMENT_ORDER_REQUEST: HANDLING,
}

# The character of the 文号 after the issuer's "X人社": 岳人社受〔2026〕12号.
NUMBER_WORD: dict[str, str] = {
    DocumentKind.ACCEPTANCE_NOTICE: "受",
    DocumentKind.REFUSAL_NOTICE: "不受",
    DocumentKind.SUPERVISION_LETTER: "督",
    DocumentKind.REFERRAL_LETTER: "移",
    DocumentKind.MEDIATION_AGREEMENT: "调",
    DocumentKind.CONFIRMATION_REQUEST: "确",
    DocumentKind.PAYMENT_ORDER_REQUEST: "令",
}

_RESOLVED = (Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED)

# --- legal basis and wording ---------------------------------------------------------------
# Cited in the documents; a bureau that cites other provisions edits the template instead.

_INSPECTION_ACCEPT = "《劳动保障监察条例》第十四条、《关于实施〈劳动保障监察条例〉若干规定》第十八条"
_ARBITRATION_ACCEPT = "《中华人民共和国劳动争议调解仲裁法》第二十九条"
_PETITION_ACCEPT = "《信访工作条例》第二十二条"
# A consultation is answered under the bureau's own service rules, not under an enforcement law: the
# notices cite that local rule (the same one the consultation clocks cite) and point a caller to 12333.
_CONSULTATION_BASIS = "本局劳动保障政策咨询服务规定（参照12345热线工单办理时限）"


@dataclass(frozen=True)
class CaseTypeWording:
    """What the documents say for one type of case."""

    matter: str  # what the case is about, as in "反映某公司拖欠工资问题"
    accept_basis: str  # the provisions an acceptance notice cites
    refusal_basis: str  # those a refusal notice cites
    refusal_remedy: str  # what a refused complainant may do next


_INSPECTION = CaseTypeWording(
    matter="拖欠工资", accept_basis=_INSPECTION_ACCEPT,
    refusal_basis="《关于实施〈劳动保障监察条例〉若干规定》第十八条",
    refusal_remedy="如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。",
)
WORDING: dict[str, CaseTypeWording] = {
    CaseType.WAGE_ARREARS: _INSPECTION,
    CaseType.CONSULTATION: CaseTypeWording(
        matter="劳动保障政策咨询", accept_basis=_CONSULTATION_BASIS, refusal_basis=_CONSULTATION_BASIS,
        refusal_remedy="如需进一步了解相关政策，可拨打12333劳动保障咨询服务电话或到就近的人力资源社会保障部门咨询。",
    ),
    CaseType.LABOUR_DISPUTE: CaseTypeWording(
        matter="劳动争议", accept_basis=_ARBITRATION_ACCEPT, refusal_basis=_ARBITRATION_ACCEPT,
        refusal_remedy="对本不予受理决定不服的，可以就该劳动争议事项依法向人民法院提起诉讼。",
    ),
    CaseType.PETITION: CaseTypeWording(
        matter="信访", accept_basis=_PETITION_ACCEPT, refusal_basis=_PETITION_ACCEPT,
        refusal_remedy="对属于其他法定途径处理的事项，请依照有关法律、行政法规规定的程序向有关机关提出。",
    ),
}
MEDIATION_BASIS = "《中华人民共和国劳动争议调解仲裁法》第十四条"
MEDIATION_REMEDY = (
    "因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成本协议，被申请人在协议约定期限内不履行的，"
    "申请人可以持本调解协议书依照《中华人民共和国劳动争议调解仲裁法》第十六条向人民法院申请支付令；"
    "其他事项不履行的，可以依法申请仲裁。"
)
CONFIRMATION_BASIS = "《中华人民共和国人民调解法》第三十三条、《中华人民共和国民事诉讼法》第二百零五条"
PAYMENT_ORDER_BASIS = "《中华人民共和国劳动争议调解仲裁法》第十六条、《中华人民共和国民事诉讼法》第二百二十一条"
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


def legal_basis(kind: str, case_type: str, *, supervision_basis: str, referral_basis: str) -> str:
    """The provisions a document cites: by kind and case type; a supervision letter cites the basis
    of the clock it supervises, a referral letter the basis of its ground."""
    wording = WORDING.get(case_type)
    by_kind: dict[str, str] = {
        DocumentKind.ACCEPTANCE_NOTICE: wording.accept_basis if wording else _INSPECTION_ACCEPT,
        DocumentKind.REFUSAL_NOTICE: wording.refusal_basis if wording else _INSPECTION_ACCEPT,
        DocumentKind.SUPERVISION_LETTER: supervision_basis,
        DocumentKind.REFERRAL_LETTER: referral_basis,
        DocumentKind.MEDIATION_AGREEMENT: MEDIATION_BASIS,
        DocumentKind.CONFIRMATION_REQUEST: CONFIRMATION_BASIS,
        DocumentKind.PAYMENT_ORDER_REQUEST: PAYMENT_ORDER_BASIS,
    }
    return by_kind[kind]


# --- who may issue what, when --------------------------------------------------------------


def state_refusal(kind: str, case: Case) -> str | None:
    """Why `kind` makes no sense for the case as it stands (bilingual), or None when it does."""
    if kind == DocumentKind.REFUSAL_NOTICE and case.status != Status.REFUSED:
        return gettext("只有不予受理的案件才能出具不予受理通知书")
    if kind == DocumentKind.ACCEPTANCE_NOTICE and (case.accepted_at is None or case.status == Status.REFUSED):
        return gettext("案件尚未受理，不能出具受理通知书")
    if kind == DocumentKind.ACCEPTANCE_NOTICE and case.status == Status.CLOSED:
        # The notice tells the parties the case was taken up: after the case is closed it tells nobody anything.
        return gettext("案件已结案，不再出具受理通知书")
    if kind == DocumentKind.MEDIATION_AGREEMENT:
        mediated = case.closure_conclusion == ClosureConclusion.MEDIATED or (
            case.track == Track.MEDIATION
            and case.closure_conclusion in (ClosureConclusion.PAID_IN_FULL, ClosureConclusion.PAID_IN_PART)
        )
        if case.status not in _RESOLVED or not mediated:
            return (gettext("只有调解成功办结的案件才能出具调解协议书"))
    if kind in (DocumentKind.CONFIRMATION_REQUEST, DocumentKind.PAYMENT_ORDER_REQUEST) and (
            case.status not in _RESOLVED or case.closure_conclusion != ClosureConclusion.MEDIATED):
        return (gettext("只有达成调解协议的案件才能出具向法院的申请书"))
    if kind == DocumentKind.PAYMENT_ORDER_REQUEST and not (
            case.case_type == CaseType.WAGE_ARREARS or case.dispute_cause == DisputeCause.PAY):
        return (gettext("支付令只适用于支付拖欠劳动报酬等事项的调解协议"))
    if kind == DocumentKind.SUPERVISION_LETTER and not case.supervisions.exists():
        return gettext("该案没有督办记录，不能出具督办函")
    if kind == DocumentKind.REFERRAL_LETTER and not case.referrals.exists():
        return gettext("该案没有移送记录，不能出具移送函")
    return None


def role_refusal(kind: str, actor: User) -> str | None:
    if actor.is_superuser or actor.role in ISSUING_ROLES[kind]:
        return None
    label = DocumentKind(kind).label
    return gettext("您的角色（%(role)s）不能出具%(document)s") % {"role": actor.get_role_display(), "document": label}


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


def issuer_for(kind: str, case: Case, actor: User) -> OrgUnit:
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


def document_number(*, issuer: OrgUnit, kind: str, year: int, n: int) -> str:
    """The 文号 of the issuer's n-th document of a kind in a year, e.g. 岳人社受〔2026〕12号."""
    abbreviation = issuer.name[:1]
    return f"{abbreviation}人社{NUMBER_WORD[kind]}〔{year}〕{n}号"

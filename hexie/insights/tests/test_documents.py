"""Official documents of a case: each kind renders, is numbered, stored and on the timeline; the
wrong kind, role or jurisdiction is refused and leaves nothing behind."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse
from docx import Document

from hexie.cases import services
from hexie.cases.models import Referral, Supervision, TimelineEvent
from hexie.core import clock
from hexie.core.errors import DomainError, NotPermitted
from hexie.insights import documents
from hexie.insights.document_context import build_case_context
from hexie.insights.document_rules import issuing_unit
from hexie.insights.formatting import rmb_upper
from hexie.insights.models import CaseDocument, DocumentKind
from hexie.insights.rendering import sample_case_context
from hexie.insights.services import documents as document_service
from hexie.insights.services.documents import generate_case_document

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    """Every paragraph of the body and of its tables, one per line."""
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def stored_text(doc: CaseDocument) -> str:
    with doc.file.open("rb") as f:
        return docx_text(f.read())


def media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def refused(make_case: Callable[..., Any], users: dict[str, Any]) -> Any:
    case = make_case("registered")
    return services.transition(case_id=case.pk, actor=users["desk"], name="refuse", reason="不属于本部门管辖")


@pytest.fixture
def supervised(make_case: Callable[..., Any], users: dict[str, Any]) -> Any:
    case = make_case("in_handling")
    deadline = case.deadlines.get(rule__code="inspection.investigate")
    Supervision.objects.create(case=case, deadline=deadline, kind=Supervision.Kind.OVERDUE,
                               created_at=clock.now(), leader=users["leader"])
    return case


@pytest.fixture
def referred(make_case: Callable[..., Any], users: dict[str, Any], agency: Any) -> Any:
    case = make_case("in_handling")
    Referral.objects.create(case=case, agency=agency, referred_at=clock.now(), referred_by=users["handler"],
                            note="请依法处理")
    return case


@pytest.fixture
def mediated(make_case: Callable[..., Any]) -> Any:
    return make_case("resolved", track="mediation")


CASES = {
    DocumentKind.ACCEPTANCE_NOTICE: ("accepted", "《关于实施〈劳动保障监察条例〉若干规定》第十八条", "handler"),
    DocumentKind.REFUSAL_NOTICE: ("refused", "《关于实施〈劳动保障监察条例〉若干规定》第十八条", "desk"),
    DocumentKind.SUPERVISION_LETTER: ("supervised", "《劳动保障监察条例》第十七条", "leader"),
    DocumentKind.REFERRAL_LETTER: ("referred", "《中华人民共和国劳动争议调解仲裁法》", "handler"),
    DocumentKind.MEDIATION_AGREEMENT: ("mediated", "《中华人民共和国劳动争议调解仲裁法》第十四条", "handler"),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_renders_with_the_case_and_its_legal_basis(
    kind: str, request: Any, make_case: Callable[..., Any], users: dict[str, Any]
) -> None:
    fixture, basis, role = CASES[kind]
    case = make_case("accepted") if fixture == "accepted" else request.getfixturevalue(fixture)

    doc = generate_case_document(case_id=case.pk, kind=kind, actor=users[role])

    text = stored_text(doc)
    assert case.number in text
    assert case.employer_name in text
    assert basis in text
    assert doc.number in text
    assert "（盖章）" in text
    assert "{{" not in text and "{%" not in text
    assert f"{clock.today().year}年" in text
    assert doc.number.startswith("岳人社") and doc.number.endswith("1号")
    assert Path(doc.file.path).is_file()
    event = TimelineEvent.objects.get(case=case, kind="document_generated")
    assert event.actor == users[role]
    assert event.data["document_id"] == doc.pk
    assert doc.number in event.message
    assert event.label == "生成文书"


def test_each_kind_names_what_it_is_about(refused: Any, supervised: Any, referred: Any, mediated: Any,
                                          users: dict[str, Any]) -> None:
    refusal = stored_text(generate_case_document(
        case_id=refused.pk, kind=DocumentKind.REFUSAL_NOTICE, actor=users["desk"]))
    assert "不予受理通知书" in refusal and "不属于本部门管辖" in refusal and "行政复议" in refusal
    letter = stored_text(generate_case_document(
        case_id=supervised.pk, kind=DocumentKind.SUPERVISION_LETTER, actor=users["leader"]))
    assert "督办函" in letter and "长沙市岳麓区人力资源和社会保障局" in letter and "超期督办" in letter
    referral = stored_text(generate_case_document(
        case_id=referred.pk, kind=DocumentKind.REFERRAL_LETTER, actor=users["handler"]))
    assert "移送函" in referral and "岳麓区人民法院：" in referral and "请依法处理" in referral
    agreement = stored_text(generate_case_document(
        case_id=mediated.pk, kind=DocumentKind.MEDIATION_AGREEMENT, actor=users["handler"]))
    assert "调解协议书" in agreement and "捌仟元整" in agreement and "支付令" in agreement
    assert "110***********1233" in agreement  # the ID number masked, never in clear


def test_numbers_follow_each_other_per_issuer_kind_and_year(make_case: Callable[..., Any],
                                                            users: dict[str, Any]) -> None:
    case = make_case("accepted")
    first = generate_case_document(case_id=case.pk, kind=DocumentKind.ACCEPTANCE_NOTICE,
                                   actor=users["desk"])
    second = generate_case_document(case_id=case.pk, kind=DocumentKind.ACCEPTANCE_NOTICE,
                                    actor=users["desk"])
    year = clock.today().year
    assert first.number == f"岳人社受〔{year}〕1号"
    assert second.number == f"岳人社受〔{year}〕2号"
    assert first.file.name != second.file.name


def test_a_kind_that_makes_no_sense_now_is_refused_and_nothing_is_stored(
    make_case: Callable[..., Any], users: dict[str, Any], settings: Any
) -> None:
    case = make_case("accepted")
    before = media_files(settings)
    for kind in (DocumentKind.REFUSAL_NOTICE, DocumentKind.MEDIATION_AGREEMENT, DocumentKind.SUPERVISION_LETTER,
                 DocumentKind.REFERRAL_LETTER):
        with pytest.raises(DomainError) as exc:
            generate_case_document(case_id=case.pk, kind=kind, actor=users["leader"])
        assert "出具" in exc.value.message and " / " not in exc.value.message  # Chinese, English from the catalogue
    registered = make_case("registered")
    with pytest.raises(DomainError, match="尚未受理"):
        generate_case_document(case_id=registered.pk, kind=DocumentKind.ACCEPTANCE_NOTICE,
                               actor=users["desk"])
    assert not CaseDocument.objects.exists()
    assert not TimelineEvent.objects.filter(kind="document_generated").exists()
    assert media_files(settings) == before


def test_a_refused_case_gets_no_acceptance_notice(refused: Any, users: dict[str, Any]) -> None:
    with pytest.raises(DomainError, match="尚未受理"):
        generate_case_document(case_id=refused.pk, kind=DocumentKind.ACCEPTANCE_NOTICE,
                               actor=users["desk"])


def test_a_mediation_agreement_needs_a_mediated_resolution(make_case: Callable[..., Any],
                                                           users: dict[str, Any]) -> None:
    inspected = make_case("resolved", track="inspection")
    with pytest.raises(DomainError, match="调解"):
        generate_case_document(case_id=inspected.pk, kind=DocumentKind.MEDIATION_AGREEMENT,
                               actor=users["handler"])


def test_outsider_gets_404_and_wrong_role_is_refused(supervised: Any, users: dict[str, Any]) -> None:
    with pytest.raises(Http404):
        generate_case_document(case_id=supervised.pk, kind=DocumentKind.ACCEPTANCE_NOTICE,
                               actor=users["outsider"])
    with pytest.raises(Http404):
        generate_case_document(case_id=supervised.pk, kind=DocumentKind.SUPERVISION_LETTER,
                               actor=users["outside_leader"])
    with pytest.raises(NotPermitted):
        generate_case_document(case_id=supervised.pk, kind=DocumentKind.SUPERVISION_LETTER,
                               actor=users["desk"])
    assert not CaseDocument.objects.exists()


def test_a_file_stored_before_a_failure_is_removed(make_case: Callable[..., Any], users: dict[str, Any],
                                                   settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    case = make_case("accepted")

    def boom(**kwargs: Any) -> None:
        raise RuntimeError("timeline unavailable")

    monkeypatch.setattr(document_service, "add_event", boom)
    with pytest.raises(RuntimeError):
        generate_case_document(case_id=case.pk, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=users["desk"])
    assert not CaseDocument.objects.exists()
    assert not [p for p in media_files(settings) if "documents" in p.parts]


def test_unknown_kind_is_a_validation_error(make_case: Callable[..., Any], users: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError

    case = make_case("accepted")
    with pytest.raises(ValidationError):
        generate_case_document(case_id=case.pk, kind="bulletin_monthly", actor=users["desk"])


def test_the_context_has_exactly_the_variables_templates_are_checked_against(supervised: Any) -> None:
    issuer = issuing_unit(supervised.org_unit)
    real = build_case_context(supervised, DocumentKind.SUPERVISION_LETTER, number="x", issuer=issuer,
                              today=clock.today())
    sample = sample_case_context(DocumentKind.SUPERVISION_LETTER)
    assert set(real) == set(sample)
    for key, value in sample.items():
        if isinstance(value, dict):
            assert set(real[key]) == set(value), key
    assert set(real["case"]) == set(sample["case"])


def test_allowed_kinds_follow_state_and_role(refused: Any, supervised: Any, users: dict[str, Any]) -> None:
    assert [k for k, _ in documents.allowed_document_kinds(refused, users["desk"])] == ["refusal_notice"]
    leader_kinds = [k for k, _ in documents.allowed_document_kinds(supervised, users["leader"])]
    assert leader_kinds == ["acceptance_notice", "supervision_letter"]
    handler_kinds = [k for k, _ in documents.allowed_document_kinds(supervised, users["handler"])]
    assert handler_kinds == ["acceptance_notice"]
    assert documents.allowed_document_kinds(supervised, users["partner"]) == []


@pytest.mark.parametrize(("amount", "words"), [
    ("8000", "捌仟元整"), ("10500", "壹万零伍佰元整"), ("100000000", "壹亿元整"), ("100000001", "壹亿零壹元整"),
    ("1010.5", "壹仟零壹拾元伍角整"), ("0.05", "伍分"), ("0", "零元整"), ("20003.07", "贰万零叁元零柒分"),
    ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
])
def test_amounts_in_capital_numerals(amount: str, words: str) -> None:
    assert rmb_upper(Decimal(amount)) == words


# --- pages -------------------------------------------------------------------------------------


def test_case_page_lists_documents_and_offers_the_allowed_kinds(client: Any, supervised: Any,
                                                                users: dict[str, Any]) -> None:
    client.force_login(users["leader"])
    page = client.get(reverse("cases:detail", args=[supervised.pk])).content.decode()
    assert "文书" in page
    assert reverse("insights:document_generate", args=[supervised.pk, "supervision_letter"]) in page
    assert reverse("insights:document_generate", args=[supervised.pk, "refusal_notice"]) not in page

    response = client.post(reverse("insights:document_generate", args=[supervised.pk, "supervision_letter"]),
                           follow=True)
    doc = CaseDocument.objects.get()
    page = response.content.decode()
    assert doc.number in page
    assert "生成文书" in page  # on the timeline
    download = client.get(reverse("insights:document_download", args=[doc.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert case_number_in(download, supervised.number)


def case_number_in(response: Any, number: str) -> bool:
    return number in docx_text(b"".join(response.streaming_content))


def test_pages_refuse_with_a_message_or_404(client: Any, make_case: Callable[..., Any],
                                            users: dict[str, Any]) -> None:
    case = make_case("accepted")
    client.force_login(users["desk"])
    response = client.post(reverse("insights:document_generate", args=[case.pk, "refusal_notice"]), follow=True)
    assert "只有不予受理的案件才能出具不予受理通知书" in response.content.decode()
    assert client.get(reverse("insights:document_generate", args=[case.pk, "acceptance_notice"])).status_code == 405
    client.post(reverse("insights:document_generate", args=[case.pk, "acceptance_notice"]))
    doc = CaseDocument.objects.get()

    client.force_login(users["outsider"])
    assert client.post(reverse("insights:document_generate", args=[case.pk, "acceptance_notice"])).status_code == 404
    assert client.get(reverse("insights:document_download", args=[doc.pk])).status_code == 404
    assert client.get(reverse("insights:document_download", args=[doc.pk + 100])).status_code == 404
    assert CaseDocument.objects.count() == 1


def test_a_city_leader_supervises_a_district_case_in_the_city_bureaus_name(supervised: Any,
                                                                          users: dict[str, Any]) -> None:
    doc = generate_case_document(case_id=supervised.pk, kind=DocumentKind.SUPERVISION_LETTER,
                                 actor=users["city_leader"])
    assert doc.number.startswith("长人社督〔") and doc.issuer.code == "430100"
    text = stored_text(doc)
    assert text.startswith("长沙市人力资源和社会保障局")
    assert "长沙市岳麓区人力资源和社会保障局（承办人handler）：" in text
    own = generate_case_document(case_id=supervised.pk, kind=DocumentKind.SUPERVISION_LETTER,
                                 actor=users["leader"])
    assert own.number.startswith("岳人社督〔") and "承办人handler同志：" in stored_text(own)


def test_a_closed_case_is_offered_no_acceptance_notice(make_case: Any, users: dict[str, Any]) -> None:
    open_case = make_case("in_handling")
    closed = make_case("closed", complainant_phone="13900000801")
    assert "acceptance_notice" in [k for k, _ in documents.allowed_document_kinds(open_case, users["desk"])]
    assert "acceptance_notice" not in [k for k, _ in documents.allowed_document_kinds(closed, users["desk"])]


def _agreed(make_case: Callable[..., Any], users: dict[str, Any], case_type: str) -> Any:
    case = make_case("in_handling", track="mediation", case_type=case_type)
    return services.transition(case_id=case.pk, actor=users["handler"], name="resolve", conclusion="mediated",
                               amount_recovered="8000", workers_benefited=1)


def test_a_mediation_agreement_issues_the_court_applications_from_the_case_file(
        make_case: Callable[..., Any], users: dict[str, Any]) -> None:
    case = _agreed(make_case, users, "wage_arrears")
    confirmation = stored_text(generate_case_document(
        case_id=case.pk, kind=DocumentKind.CONFIRMATION_REQUEST, actor=users["handler"]))
    assert "司法确认申请书" in confirmation and "《中华人民共和国人民调解法》第三十三条" in confirmation
    assert case.number in confirmation and "捌仟元整" in confirmation and "自调解协议生效之日起三十日内" in confirmation
    assert "{{" not in confirmation and "{%" not in confirmation
    order = stored_text(generate_case_document(
        case_id=case.pk, kind=DocumentKind.PAYMENT_ORDER_REQUEST, actor=users["handler"]))
    assert "支付令申请书" in order and "第十六条" in order and case.employer_name in order


def test_court_applications_only_for_an_agreement_and_a_payment_order_only_for_pay(
        make_case: Callable[..., Any], users: dict[str, Any]) -> None:
    paid = make_case("resolved")
    with pytest.raises(DomainError):
        generate_case_document(case_id=paid.pk, kind=DocumentKind.CONFIRMATION_REQUEST, actor=users["handler"])
    dispute = _agreed(make_case, users, "labour_dispute")
    generate_case_document(case_id=dispute.pk, kind=DocumentKind.CONFIRMATION_REQUEST, actor=users["handler"])
    with pytest.raises(DomainError):
        generate_case_document(case_id=dispute.pk, kind=DocumentKind.PAYMENT_ORDER_REQUEST, actor=users["handler"])

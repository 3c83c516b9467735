"""The pages: the inspector's phone form saves each item, a leader signs off, another district and
another employer get 404, an employer logs in with password and SMS code and answers its order."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hexie.cases.models import Notification
from hexie.prevention import services
from hexie.prevention.models import AssessmentState, OrderState, PlanMethod, RectificationOrder, SheetItem

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


@pytest.fixture
def signed_off(users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: Any, calendar: None) -> Any:
    plan = services.create_plan(actor=users["leader"], name="体检", sheet_id=checkup.pk, method=PlanMethod.LIST,
                                starts_on=date(2026, 3, 1), due_on=date(2026, 6, 30),
                                employer_ids=[employers["yuelu"].pk], inspector_ids=[inspector.pk])
    a = plan.assessments.get()
    for item in SheetItem.objects.filter(section__sheet=checkup):
        services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk,
                               result="fails" if item.code == "7.1" else "complies", note="未参保2人")
    services.submit_assessment(actor=inspector, assessment_id=a.pk)
    return services.sign_off(actor=users["leader"], assessment_id=a.pk)


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_inspector_answers_items_one_by_one_and_a_leader_signs_off(
        client: Client, users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: Any,
        calendar: None) -> None:
    plan = services.create_plan(actor=users["leader"], name="体检", sheet_id=checkup.pk, method=PlanMethod.LIST,
                                starts_on=date(2026, 3, 1), due_on=date(2026, 6, 30),
                                employer_ids=[employers["yuelu"].pk], inspector_ids=[inspector.pk])
    a = plan.assessments.get()
    _login(client, inspector)
    page = client.get(reverse("prevention:assessment", args=[a.pk]))
    assert page.status_code == 200 and b"prevention/answers.js" in page.content and b"<script>" not in page.content
    items = list(SheetItem.objects.filter(section__sheet=checkup))
    url = reverse("prevention:answer", args=[a.pk, items[0].pk])
    r = client.post(url, {"result": "fails", "note": "", "answered_at": "2026-03-02T09:00:00+08:00"})
    assert r.status_code == 400 and "写明发现的问题" in r.json()["errors"][0]
    r = client.post(url, {"result": "fails", "note": "制度未公示",
                          "files": SimpleUploadedFile("公示栏.png", PNG, content_type="image/png")})
    assert r.status_code == 200 and r.json() == {**r.json(), "ok": True, "points": "0", "evidence": 1}
    for item in items[1:]:
        assert client.post(reverse("prevention:answer", args=[a.pk, item.pk]), {"result": "complies"}).status_code == 200
    client.post(reverse("prevention:submit", args=[a.pk]))
    a.refresh_from_db()
    assert a.state == AssessmentState.SUBMITTED and a.score == 94
    _login(client, users["leader"])
    assert "签发" in client.get(reverse("prevention:assessment", args=[a.pk])).content.decode()
    client.post(reverse("prevention:sign_off", args=[a.pk]), {"decision": "sign", "note": "同意"})
    order = RectificationOrder.objects.get(assessment=a)
    assert "制度未公示" in client.get(reverse("prevention:order", args=[order.pk])).content.decode()
    # The employer's file shows the assessment and the order.
    file = client.get(reverse("employers:detail", args=[employers["yuelu"].pk])).content.decode()
    assert order.number in file and "源头预防" in file


@pytest.mark.django_db
def test_another_district_gets_404_on_every_page(client: Client, users: dict[str, Any], signed_off: Any) -> None:
    order = RectificationOrder.objects.get()
    _login(client, users["outsider"])
    item = SheetItem.objects.filter(section__sheet=signed_off.sheet).first()
    for url in (reverse("prevention:assessment", args=[signed_off.pk]),
                reverse("prevention:order", args=[order.pk]), reverse("prevention:plan", args=[signed_off.plan_id])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("prevention:answer", args=[signed_off.pk, item.pk]),
                       {"result": "complies"}).status_code == 404
    assert client.post(reverse("prevention:recheck", args=[order.pk]), {"complied": "yes", "note": "x"}).status_code == 404
    order.refresh_from_db()
    assert order.state == OrderState.ISSUED


@pytest.mark.django_db
def test_an_employer_logs_in_with_password_and_sms_code_and_answers_its_order(
        client: Client, users: dict[str, Any], employers: dict[str, Any], accounts: dict[str, Any],
        signed_off: Any) -> None:
    order = RectificationOrder.objects.get()
    # A password alone opens neither the staff page nor the employer's file.
    assert client.post(reverse("login"), {"username": "firm_yl", "password": accounts["yuelu_password"]}).status_code == 200
    assert client.get(reverse("employer:home")).status_code == 302
    r = client.post(reverse("employer:login"), {"username": "firm_yl", "password": accounts["yuelu_password"]})
    assert r.status_code == 302 and r["Location"] == reverse("employer:code")
    sms = Notification.objects.filter(channel="sms", case__isnull=True).latest("pk")
    code = re.search(r"验证码为(\d{6})", sms.body).group(1)  # type: ignore[union-attr]
    assert client.post(reverse("employer:code"), {"code": "000000" if code != "000000" else "111111"}).status_code == 200
    r = client.post(reverse("employer:code"), {"code": code})
    assert r.status_code == 302 and r["Location"] == reverse("employer:home")
    home = client.get(reverse("employer:home")).content.decode()
    assert order.number in home
    # Staff pages answer nothing to an employer account.
    assert client.get(reverse("prevention:assessment", args=[signed_off.pk])).status_code == 404
    assert client.get(reverse("employers:detail", args=[employers["yuelu"].pk])).status_code == 404
    r = client.post(reverse("employer:order", args=[order.pk]), {
        "response": "已为2名职工补办参保", "files": SimpleUploadedFile("参保证明.png", PNG, content_type="image/png")})
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and order.evidence.count() == 1


@pytest.mark.django_db
def test_another_employers_ids_answer_404(client: Client, accounts: dict[str, Any], signed_off: Any) -> None:
    order = RectificationOrder.objects.get()
    _login(client, accounts["furong"])
    item = SheetItem.objects.filter(section__sheet=signed_off.sheet).first()
    assert client.get(reverse("employer:order", args=[order.pk])).status_code == 404
    assert client.post(reverse("employer:order", args=[order.pk]), {"response": "x"}).status_code == 404
    assert client.get(reverse("employer:assessment", args=[signed_off.pk])).status_code == 404
    assert client.post(reverse("employer:answer", args=[signed_off.pk, item.pk]), {"result": "complies"}).status_code == 404
    assert order.number not in client.get(reverse("employer:home")).content.decode()


@pytest.mark.django_db
def test_an_employer_fills_its_annual_verification_online(client: Client, accounts: dict[str, Any]) -> None:
    _login(client, accounts["yuelu"])
    r = client.post(reverse("employer:start", args=["annual-verification"]))
    a_url = r["Location"]
    pk = int(a_url.rstrip("/").split("/")[-1])
    from hexie.prevention.models import Assessment

    a = Assessment.objects.get(pk=pk)
    for item in SheetItem.objects.filter(section__sheet=a.sheet):
        assert client.post(reverse("employer:answer", args=[pk, item.pk]), {"result": "complies"}).status_code == 200
    client.post(reverse("employer:submit", args=[pk]))
    a.refresh_from_db()
    assert a.state == AssessmentState.SUBMITTED and a.score == 100


@pytest.mark.django_db
def test_a_leader_plans_a_random_draw_on_the_page_and_an_unknown_code_is_named(
        client: Client, users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: Any) -> None:
    _login(client, users["leader"])
    base = {"name": "春季双随机", "sheet_id": checkup.pk, "starts_on": "2026-03-01", "due_on": "2026-05-31"}
    r = client.post(reverse("prevention:plan_new"), {**base, "method": "list",
                                                     "credit_codes": employers["furong"].credit_code})
    assert r.status_code == 200 and employers["furong"].credit_code in r.content.decode()  # not in Yuelu
    r = client.post(reverse("prevention:plan_new"), {**base, "method": "random", "draw_employers": 1,
                                                     "draw_inspectors": 1, "seed": "abc"})
    assert r.status_code == 302
    plan_url = r["Location"]
    page = client.post(plan_url).content.decode()  # the re-check of the draw
    assert "abc" in page and "一致" in page


@pytest.mark.django_db
def test_an_administrator_issues_an_employer_account_and_a_leader_cannot(
        client: Client, users: dict[str, Any], employers: dict[str, Any]) -> None:
    data = {"credit_code": employers["yuelu"].credit_code, "username": "firm_new", "phone": "13700137000"}
    _login(client, users["leader"])
    assert "只有管理员" in client.post(reverse("prevention:account_new"), data).content.decode()
    _login(client, users["admin"])
    page = client.post(reverse("prevention:account_new"), data).content.decode()
    assert "初始密码" in page and "firm_new" in page


@pytest.mark.django_db
def test_the_sheets_page_flags_unverified_sheets_and_names_the_bad_rows_of_an_import(
        client: Client, users: dict[str, Any]) -> None:
    from hexie.prevention.tests.test_engine import HEAD, ITEMS, _workbook

    _login(client, users["admin"])
    page = client.get(reverse("prevention:sheets")).content.decode()
    assert "劳动用工体检表" in page and "未核实" in page and "分值相符" in page
    bad = _workbook([HEAD, ["checkup", "本市体检表", "用工体检", "2026-01-01", 100, 80, 0, 0, "依据", 10]],
                    [ITEMS, ["1", "合同", 100, None, "1.1", "书面合同", "x", "", "", ""]])
    page = client.post(reverse("prevention:sheets"), {"file": bad}).content.decode()
    assert "项目 第2行“分值”：应为数字" in page
    _login(client, users["leader"])
    page = client.get(reverse("prevention:sheets")).content.decode()
    assert "劳动用工体检表" in page and "导入新版本" not in page


@pytest.mark.django_db
def test_the_phone_form_reads_a_fixed_number_of_statements_however_many_items_are_answered(
        client: Client, users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: Any,
        django_assert_max_num_queries: Any) -> None:
    plan = services.create_plan(actor=users["leader"], name="体检", sheet_id=checkup.pk, method=PlanMethod.LIST,
                                starts_on=date(2026, 3, 1), due_on=date(2026, 6, 30),
                                employer_ids=[employers["yuelu"].pk], inspector_ids=[inspector.pk])
    a = plan.assessments.get()
    for item in SheetItem.objects.filter(section__sheet=checkup):
        services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="fails", note="x",
                               files=[SimpleUploadedFile("p.png", PNG, content_type="image/png")])
    _login(client, inspector)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("prevention:assessment", args=[a.pk])).status_code == 200


@pytest.mark.django_db
def test_evidence_opens_for_its_employer_and_district_only(
        client: Client, users: dict[str, Any], accounts: dict[str, Any], signed_off: Any) -> None:
    order = RectificationOrder.objects.get()
    services.answer_order(actor=accounts["yuelu"], order_id=order.pk, response="已参保",
                          files=[SimpleUploadedFile("参保.png", PNG, content_type="image/png")])
    ev = order.evidence.get()
    _login(client, accounts["yuelu"])
    assert client.get(reverse("employer:evidence", args=[ev.pk])).status_code == 200
    _login(client, users["leader"])
    r = client.get(reverse("prevention:evidence", args=[ev.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
    for who, url in ((accounts["furong"], "employer:evidence"), (users["outsider"], "prevention:evidence"),
                     (accounts["yuelu"], "prevention:evidence")):
        _login(client, who)
        assert client.get(reverse(url, args=[ev.pk])).status_code == 404, (who, url)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/cases/", "/cases/new/", "/registry/", "/monitoring/warnings/", "/insights/bulletins/",
                                 "/portal/posters/", "/prevention/", "/api/v1/cases/"])
def test_an_employer_account_reaches_no_staff_page(client: Client, accounts: dict[str, Any], url: str) -> None:
    _login(client, accounts["yuelu"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("employer:home")).status_code == 200

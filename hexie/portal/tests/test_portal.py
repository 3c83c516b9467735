"""The worker's portal and the public API as a worker (or a worker's app) meets them: filing
without an account, the per-IP limits, tracking, rating, and the QR posters."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from hexie.cases import services as case_services
from hexie.cases.models import Attachment, Case, Notification, Status
from hexie.core import clock
from hexie.core.tests.factories import VALID_CREDIT_CODE, VALID_ID
from hexie.portal.models import PortalSubmission, TrackingFailure

pytestmark = pytest.mark.django_db

PHONE = "13700001111"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def page_data(**overrides):
    data = {
        "case_type": "wage_arrears", "district": "430104", "street": "430104001", "complainant_name": "王五",
        "complainant_phone": PHONE, "complainant_id_number": "", "employer_name": "长沙某建筑劳务有限公司",
        "employer_credit_code": "", "employer_address": "", "project_name": "梅溪湖安置房项目一标段",
        "workers_count": "3", "amount_claimed": "24000", "description": "项目完工三个月，工资一直未发。", "src": "",
    }
    data.update(overrides)
    return data


def api_data(**overrides):
    data = {
        "case_type": "wage_arrears", "org_unit": "430104001", "complainant_name": "王五", "complainant_phone": PHONE,
        "employer_name": "长沙某建筑劳务有限公司", "workers_count": 3, "amount_claimed": "24000.00",
        "description": "项目完工三个月，工资一直未发。",
    }
    data.update(overrides)
    return data


@pytest.fixture
def api():
    # Anonymous clients send no CSRF token: the public API must not ask for one.
    return APIClient(enforce_csrf_checks=True)


def raw_phone_column(case):
    with connection.cursor() as cur:
        cur.execute("SELECT complainant_phone FROM cases_case WHERE id = %s", [case.pk])
        return cur.fetchone()[0]


# --- landing ----------------------------------------------------------------------------------


def test_landing_offers_both_complaints_tracking_and_the_hotline_without_staff_links(client, city):
    html = client.get("/portal/").content.decode()
    assert "我要投诉欠薪" in html
    assert "劳动争议" in html
    assert "查询进度" in html and 'name="tracking_code"' in html and 'name="phone_last4"' in html
    assert "12345" in html and 'name="viewport"' in html
    assert "案件队列" not in html and "/cases/" not in html  # no staff navigation on public pages


# --- filing through the page --------------------------------------------------------------------


def test_filing_on_the_page_shows_the_tracking_code_and_stores_the_phone_encrypted(client, city):
    response = client.post("/portal/file/", page_data())
    assert response.status_code == 302 and response["Location"] == "/portal/filed/"
    case = Case.objects.get()
    assert case.channel == "web" and case.registered_by is None and case.case_type == "wage_arrears"
    assert case.org_unit == city["yuelu_street"] and case.workers_count == 3
    assert case.amount_claimed == Decimal("24000") and case.complainant_phone == PHONE
    assert PHONE not in raw_phone_column(case)
    html = client.get("/portal/filed/").content.decode()
    assert case.tracking_code in html and case.number in html and "妥善保存" in html


def test_a_worker_who_is_not_sure_of_the_street_files_against_the_district(client, city):
    assert client.post("/portal/file/", page_data(street="")).status_code == 302
    assert Case.objects.get().org_unit == city["yuelu"]


def test_a_labour_dispute_can_be_filed_too(client, city):
    client.post("/portal/file/", page_data(case_type="labour_dispute"))
    assert Case.objects.get().case_type == "labour_dispute"


def test_the_qr_poster_link_preselects_the_district_and_files_through_the_qr_channel(client, city):
    html = client.get("/portal/file/?district=430104&src=qr").content.decode()
    assert '<option value="430104" selected>' in html
    assert re.search(r'name="src" value="qr"', html)
    client.post("/portal/file/", page_data(src="qr"))
    assert Case.objects.get().channel == "qr"


def test_the_thank_you_page_needs_a_filing_first(client, city):
    response = client.get("/portal/filed/")
    assert response.status_code == 302 and response["Location"] == "/portal/"


BAD_PAGE_FIELDS = [
    ("complainant_id_number", "110101199003071234", "身份证号码校验位不正确", "check character"),
    ("complainant_phone", "12345", "请填写11位手机号码", "mobile number"),
    # Progress goes out by SMS: a landline, valid as a number, cannot receive it.
    ("complainant_phone", "0731-88886666", "固定电话收不到短信", "a landline cannot receive"),
    ("complainant_phone", "", "请填写手机号码", "Mobile phone is required"),
    ("amount_claimed", "-5", "金额不能为负数", "cannot be negative"),
    ("amount_claimed", "0", "大于0元", "above 0 yuan"),
    ("amount_claimed", "", "大于0元", "above 0 yuan"),
    ("employer_name", "", "请填写用人单位名称", "Employer's name is required"),
    ("district", "999999", "所选区县不存在", "Unknown district"),
    ("district", "", "请选择区县", "choose the district"),
    ("street", "430102001", "所选街道不在所选区县内", "not in the chosen district"),
    ("employer_credit_code", "91430100MA4L16JQ9A", "统一社会信用代码校验位不正确", "check character"),
    ("workers_count", "0", "涉及人数至少为1", "at least 1"),
    ("description", "", "请填写情况说明", "Description is required"),
    # A NUL character is refused before any form sees it (hexie/core/tests/test_api_robustness.py).
]


@pytest.mark.parametrize(("field", "value", "zh", "en"), BAD_PAGE_FIELDS)
def test_each_bad_field_is_named_next_to_it_in_both_languages(client, city, field, value, zh, en):
    response = client.post("/portal/file/", page_data(**{field: value}))
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(zh in e for e in errors), errors
    html = response.content.decode()
    assert zh in html and "invalid-feedback" in html
    # The same refusal after the English switch: the message's English, from the catalogue.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = html_lib.unescape(client.post("/portal/file/", page_data(**{field: value})).content.decode())
    assert en in english and zh not in english
    assert not Case.objects.exists()


def test_a_valid_id_number_and_credit_code_are_accepted(client, city):
    response = client.post("/portal/file/", page_data(complainant_id_number=VALID_ID,
                                                      employer_credit_code=VALID_CREDIT_CODE))
    assert response.status_code == 302
    assert Case.objects.get().employer_credit_code == VALID_CREDIT_CODE


def test_evidence_photos_are_kept_with_the_case(client, city):
    photo = SimpleUploadedFile("工资条.png", PNG, content_type="image/png")
    assert client.post("/portal/file/", {**page_data(), "attachments": [photo]}).status_code == 302
    att = Attachment.objects.get()
    assert att.case == Case.objects.get() and att.original_name == "工资条.png" and att.uploaded_by is None


def test_a_file_of_the_wrong_type_is_refused_on_the_form(client, city):
    exe = SimpleUploadedFile("evidence.exe", b"MZ\x90\x00" * 10, content_type="application/octet-stream")
    response = client.post("/portal/file/", {**page_data(), "attachments": [exe]})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "类型不允许" in errors and "evidence.exe" in errors
    assert not Case.objects.exists()


def test_an_oversized_file_is_refused_on_the_form(client, city, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("photo.png", PNG + b"\x00" * (1024 * 1024), content_type="image/png")
    response = client.post("/portal/file/", {**page_data(), "attachments": [big]})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "超过1MB" in errors
    assert not Case.objects.exists()


def test_a_renamed_file_whose_content_is_not_what_its_name_says_is_refused(client, city):
    fake = SimpleUploadedFile("photo.jpg", b"not a jpeg at all", content_type="image/jpeg")
    response = client.post("/portal/file/", {**page_data(), "attachments": [fake]})
    assert response.status_code == 400 and "内容与扩展名不符" in response.content.decode()


# --- filing through the API ---------------------------------------------------------------------


def test_filing_through_the_api_answers_201_with_the_tracking_code(api, city):
    response = api.post("/api/v1/public/complaints/", api_data(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["number"] == case.number and body["tracking_code"] == case.tracking_code
    assert case.channel == "web" and case.registered_by is None and case.org_unit == city["yuelu_street"]
    assert PHONE not in raw_phone_column(case) and PHONE not in json.dumps(body)


def test_the_api_takes_the_qr_channel(api, city):
    assert api.post("/api/v1/public/complaints/", api_data(channel="qr"), format="json").status_code == 201
    assert Case.objects.get().channel == "qr"


def test_the_api_refuses_staff_channels(api, city):
    response = api.post("/api/v1/public/complaints/", api_data(channel="visit"), format="json")
    assert response.status_code == 400 and "channel" in response.json()


BAD_API_FIELDS = [
    ("complainant_id_number", "110101199003071234", "身份证号码校验位不正确", "check character"),
    ("complainant_phone", "12345", "请填写11位手机号码", "mobile number"),
    ("complainant_phone", "0731-88886666", "固定电话收不到短信", "a landline cannot receive"),
    ("amount_claimed", "-5", "金额不能为负数", "cannot be negative"),
    ("amount_claimed", "0.00", "大于0元", "above 0 yuan"),
    ("amount_claimed", None, "大于0元", "above 0 yuan"),
    ("employer_name", None, "请填写用人单位名称", "Employer's name is required"),
    ("org_unit", "999999", "所选区域“999999”不存在", "unknown area"),
    ("org_unit", "430100", "所选区域“430100”不存在", "unknown area"),  # the whole city is too vague
    ("case_type", "petition", "投诉类型", "not a valid choice"),
    ("workers_count", 0, "涉及人数不能小于1", "at least 1"),
    ("employer_name", "某\x00公司", "employer_name不能包含空字符", "must not contain null characters"),
]


@pytest.mark.parametrize(("field", "value", "zh", "en"), BAD_API_FIELDS)
def test_each_bad_api_field_answers_400_naming_it_in_both_languages(api, city, field, value, zh, en):
    data = api_data(**{field: value})
    if value is None:
        del data[field]
    response = api.post("/api/v1/public/complaints/", data, format="json")
    assert response.status_code == 400
    messages = response.json()[field]
    assert any(zh in m for m in messages), messages
    # A client that reads English says so with Accept-Language.
    english = api.post("/api/v1/public/complaints/", data, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert any(en in m and zh not in m for m in english.json()[field]), english.json()
    assert not Case.objects.exists()


def test_a_lone_surrogate_in_json_is_named_not_a_500(api, city):
    body = json.dumps(api_data()).replace('"description": "', '"description": "\\ud800', 1)
    response = api.post("/api/v1/public/complaints/", body, content_type="application/json")
    assert response.status_code == 400
    assert "诉求内容包含无效字符" in response.json()["description"][0]


def test_the_api_accepts_evidence_as_multipart_and_checks_its_type(api, city):
    data = {**api_data(), "attachments": [SimpleUploadedFile("a.png", PNG, content_type="image/png")]}
    assert api.post("/api/v1/public/complaints/", data, format="multipart").status_code == 201
    assert Attachment.objects.count() == 1
    bad = {**api_data(complainant_phone="13700002222"),
           "attachments": [SimpleUploadedFile("a.exe", b"MZ" * 10, content_type="application/octet-stream")]}
    response = api.post("/api/v1/public/complaints/", bad, format="multipart")
    assert response.status_code == 400 and "类型不允许" in json.dumps(response.json(), ensure_ascii=False)
    assert Case.objects.count() == 1


def test_a_retried_filing_with_the_same_idempotency_key_files_once(api, city):
    body = json.dumps(api_data())
    first = api.post("/api/v1/public/complaints/", body, content_type="application/json",
                     HTTP_IDEMPOTENCY_KEY="phone-7f3a")
    again = api.post("/api/v1/public/complaints/", body, content_type="application/json",
                     HTTP_IDEMPOTENCY_KEY="phone-7f3a")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1 and PortalSubmission.objects.count() == 1
    other = api.post("/api/v1/public/complaints/", json.dumps(api_data(workers_count=5)),
                     content_type="application/json", HTTP_IDEMPOTENCY_KEY="phone-7f3a")
    assert other.status_code == 422 and "幂等键" in other.json()["detail"]
    assert Case.objects.count() == 1


# --- the per-IP filing limit ---------------------------------------------------------------------


def test_the_page_limits_filings_per_ip_counting_only_successful_ones(client, city, settings):
    settings.PORTAL_RATE_LIMIT_PER_HOUR = 2
    ip = {"REMOTE_ADDR": "10.1.0.1"}
    assert client.post("/portal/file/", page_data(employer_name=""), **ip).status_code == 400  # not counted
    assert client.post("/portal/file/", page_data(), **ip).status_code == 302
    assert client.post("/portal/file/", page_data(complainant_phone="13700002222"), **ip).status_code == 302
    over = client.post("/portal/file/", page_data(complainant_phone="13700003333"), **ip)
    assert over.status_code == 429
    html = over.content.decode()
    assert "请稍后再试" in html and "12345" in html
    assert Case.objects.count() == 2
    other = client.post("/portal/file/", page_data(complainant_phone="13700004444"), REMOTE_ADDR="10.1.0.2")
    assert other.status_code == 302


def test_the_ip_is_kept_only_as_a_keyed_hash(client, city):
    client.post("/portal/file/", page_data(), REMOTE_ADDR="10.1.0.9")
    row = PortalSubmission.objects.get()
    assert "10.1.0.9" not in row.ip_hash and len(row.ip_hash) == 64


def test_the_limit_is_per_hour(client, city, settings):
    settings.PORTAL_RATE_LIMIT_PER_HOUR = 1
    ip = {"REMOTE_ADDR": "10.1.0.3"}
    assert client.post("/portal/file/", page_data(), **ip).status_code == 302
    assert client.post("/portal/file/", page_data(complainant_phone="13700002222"), **ip).status_code == 429
    with clock.at(timezone.now() + timedelta(minutes=61)):
        assert client.post("/portal/file/", page_data(complainant_phone="13700002222"), **ip).status_code == 302


def test_behind_a_trusted_proxy_the_limit_counts_the_worker_not_the_proxy(client, city, settings):
    settings.PORTAL_RATE_LIMIT_PER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.9.0.1"}
    # A forged entry on the left is ignored; the proxy's own (rightmost) entry is the worker.
    first = {**proxy, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}
    assert client.post("/portal/file/", page_data(), **first).status_code == 302
    again = {**proxy, "HTTP_X_FORWARDED_FOR": "5.6.7.8, 203.0.113.7"}
    assert client.post("/portal/file/", page_data(complainant_phone="13700002222"), **again).status_code == 429
    other = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert client.post("/portal/file/", page_data(complainant_phone="13700003333"), **other).status_code == 302


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client, city, settings):
    settings.PORTAL_RATE_LIMIT_PER_HOUR = 1
    assert client.post("/portal/file/", page_data(), REMOTE_ADDR="10.9.0.2",
                       HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302
    assert client.post("/portal/file/", page_data(complainant_phone="13700002222"), REMOTE_ADDR="10.9.0.2",
                       HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 429


def test_the_api_answers_429_with_a_bilingual_detail_over_the_limit(api, city, settings):
    settings.PORTAL_RATE_LIMIT_PER_HOUR = 1
    ip = {"REMOTE_ADDR": "10.2.0.1"}
    bad = api.post("/api/v1/public/complaints/", api_data(complainant_phone="1"), format="json", **ip)
    assert bad.status_code == 400  # refused filings do not count
    assert api.post("/api/v1/public/complaints/", api_data(), format="json", **ip).status_code == 201
    over = api.post("/api/v1/public/complaints/", api_data(complainant_phone="13700002222"), format="json", **ip)
    assert over.status_code == 429
    detail = over.json()["detail"]
    assert "请稍后再试" in detail
    other = api.post("/api/v1/public/complaints/", api_data(complainant_phone="13700002222"), format="json",
                     REMOTE_ADDR="10.2.0.2")
    assert other.status_code == 201


# --- tracking --------------------------------------------------------------------------------


def track(client, code, last4, **extra):
    return client.post("/portal/track/", {"tracking_code": code, "phone_last4": last4}, **extra)


@pytest.fixture
def handled_case(make_case, users):
    """A case that went through the hands of named staff, with an internal note on the way."""
    for key, name in (("desk", "赵前台"), ("leader", "钱领导"), ("handler", "孙承办")):
        users[key].full_name = name
        users[key].save(update_fields=["full_name"])
    case = make_case("in_handling")
    case_services.transition(case_id=case.pk, actor=users["handler"], name="suspend",
                             reason="内部备注：老板与某领导相熟，注意方式")
    case_services.transition(case_id=case.pk, actor=users["handler"], name="resume", note="恢复")
    return Case.objects.get(pk=case.pk)


def test_tracking_shows_the_public_timeline_without_staff_notes_or_identifiers(client, handled_case):
    response = track(client, handled_case.tracking_code, "8000")
    assert response.status_code == 200
    html = response.content.decode()
    assert handled_case.number in html and "办理中" in html and "欠薪" in html
    for public in ("已登记，等待受理", "您的诉求已受理", "已确定承办人", "正在办理", "办理中止", "恢复办理"):
        assert public in html
    for private in ("赵前台", "钱领导", "孙承办", "内部备注", "老板与某领导相熟", "13800138000", "138****8000",
                    VALID_ID, "1233", "长沙某建筑劳务有限公司"):
        # The 12333 hotline is printed on every page; it is not the ID number's last digits.
        assert private not in html.replace("tel:12333", "").replace(">12333<", "")


def test_tracking_shows_the_running_deadlines_with_their_legal_basis(client, make_case, calendar):
    case = make_case()
    deadline = case.deadlines.get()
    html = track(client, case.tracking_code, "8000").content.decode()
    assert "受理或书面不予受理" in html and "第十八条" in html and deadline.due_on.isoformat() in html


def test_tracking_shows_each_case_types_own_acceptance_clock_and_the_handling_clock_from_acceptance(
        client, make_case, calendar):
    dispute = make_case(case_type="labour_dispute")
    html = track(client, dispute.tracking_code, "8000").content.decode()
    assert "受理或不予受理仲裁申请" in html and "第二十九条" in html and "第十八条" not in html
    waiting = make_case("assigned", complainant_phone="13900000091", complainant_id_number="")
    html = track(client, waiting.tracking_code, "0091").content.decode()
    assert "调查处理" in html and "第十七条" in html  # accepted, waiting for its handler: already on its clock


def test_tracking_accepts_the_code_in_lower_case_with_spaces(client, make_case):
    case = make_case()
    code = case.tracking_code.lower()
    assert track(client, f" {code[:4]} {code[4:]} ", "8000").status_code == 200


def _same_modulo_tokens(a: str, b: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", a) == re.sub(r"[A-Za-z0-9]{64}", "TOKEN", b)


def test_a_wrong_code_and_wrong_digits_answer_exactly_the_same(client, make_case):
    case = make_case()
    unknown = "ZZZZ2222" if case.tracking_code != "ZZZZ2222" else "YYYY2222"
    wrong_digits = track(client, case.tracking_code, "4321")
    wrong_code = track(client, unknown, "8000")
    assert wrong_digits.status_code == wrong_code.status_code == 404
    # The form shows back what was typed; apart from that the two pages are the same.
    a = wrong_digits.content.decode().replace(case.tracking_code, "CODE").replace("4321", "LAST")
    b = wrong_code.content.decode().replace(unknown, "CODE").replace("8000", "LAST")
    assert _same_modulo_tokens(a, b)
    assert "未找到与查询码和手机号后四位相符的案件" in a and case.number not in a


def test_the_api_answers_a_wrong_code_and_wrong_digits_with_the_same_404(api, make_case):
    case = make_case()
    wrong_digits = api.post("/api/v1/public/track/", {"tracking_code": case.tracking_code, "phone_last4": "1234"},
                            format="json")
    wrong_code = api.post("/api/v1/public/track/", {"tracking_code": "ZZZZ2222", "phone_last4": "8000"},
                          format="json")
    assert wrong_digits.status_code == wrong_code.status_code == 404
    assert wrong_digits.content == wrong_code.content
    assert "未找到与查询码和手机号后四位相符的案件" in wrong_code.json()["detail"]


def test_the_api_tracks_with_the_public_timeline_and_deadlines(api, handled_case):
    response = api.post("/api/v1/public/track/",
                        {"tracking_code": handled_case.tracking_code, "phone_last4": "8000"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == handled_case.number and body["status"] == "in_handling"
    assert body["timeline"][0]["message"].startswith("已登记")
    assert all(set(e) == {"at", "message"} for e in body["timeline"])
    assert body["deadlines"] and {"step", "due_on", "basis"} <= set(body["deadlines"][0])
    text = json.dumps(body, ensure_ascii=False)
    for private in ("孙承办", "内部备注", "13800138000", VALID_ID):
        assert private not in text


def test_the_api_names_a_malformed_last4(api, city):
    response = api.post("/api/v1/public/track/", {"tracking_code": "ABCD2345", "phone_last4": "12a4"}, format="json")
    assert response.status_code == 400
    assert "手机号后四位应为4位数字" in response.json()["phone_last4"][0]


def test_failed_look_ups_are_throttled_per_ip_even_for_a_right_code(client, make_case, settings):
    settings.PORTAL_TRACK_FAILURES_PER_HOUR = 3
    case = make_case()
    ip = {"REMOTE_ADDR": "10.3.0.1"}
    assert track(client, case.tracking_code, "8000", **ip).status_code == 200  # successes are not counted
    for guess in ("AAAA2222", "BBBB2222", "CCCC2222"):
        assert track(client, guess, "8000", **ip).status_code == 404
    blocked = track(client, case.tracking_code, "8000", **ip)
    assert blocked.status_code == 429 and "查询失败次数过多" in blocked.content.decode()
    assert track(client, case.tracking_code, "8000", REMOTE_ADDR="10.3.0.2").status_code == 200
    assert TrackingFailure.objects.count() == 3


def test_the_api_throttles_failed_look_ups_too(api, make_case, settings):
    settings.PORTAL_TRACK_FAILURES_PER_HOUR = 1
    case = make_case()
    ip = {"REMOTE_ADDR": "10.3.0.3"}
    api.post("/api/v1/public/track/", {"tracking_code": "AAAA2222", "phone_last4": "8000"}, format="json", **ip)
    blocked = api.post("/api/v1/public/track/", {"tracking_code": case.tracking_code, "phone_last4": "8000"},
                       format="json", **ip)
    assert blocked.status_code == 429 and "查询失败次数过多" in blocked.json()["detail"]


# --- rating ----------------------------------------------------------------------------------


def rate(client, case, satisfaction, last4="8000", comment=""):
    return client.post("/portal/rate/", {"tracking_code": case.tracking_code, "phone_last4": last4,
                                         "satisfaction": satisfaction, "comment": comment})


def test_the_rating_form_appears_only_once_the_case_is_resolved(client, make_case):
    open_case = make_case("in_handling")
    resolved = make_case("resolved", complainant_phone="13900000091", complainant_id_number="")
    assert "评价办理结果" not in track(client, open_case.tracking_code, "8000").content.decode()
    assert "评价办理结果" in track(client, resolved.tracking_code, "0091").content.decode()


def test_a_rating_of_4_closes_the_case(client, make_case):
    case = make_case("resolved")
    response = rate(client, case, 4, comment="钱已到账")
    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.satisfaction == 4
    assert "已结案" in response.content.decode()


def test_a_rating_of_1_reopens_the_case_and_tells_the_staff(client, make_case, users):
    case = make_case("follow_up")
    Notification.objects.all().delete()
    assert rate(client, case, 1, comment="钱只到了一半").status_code == 200
    case.refresh_from_db()
    assert case.status == Status.IN_HANDLING and case.reopen_count == 1
    emails = {n.recipient for n in Notification.objects.filter(channel="email")}
    assert {users["handler"].email, users["leader"].email} <= emails
    assert case.events.filter(kind="rated", message__contains="钱只到了一半").exists()


def test_rating_before_resolution_is_refused_with_a_clear_message(client, api, make_case):
    case = make_case("in_handling")
    response = rate(client, case, 5)
    assert response.status_code == 409
    assert "案件办结后才能评价" in response.content.decode()
    via_api = api.post("/api/v1/public/rate/", {"tracking_code": case.tracking_code, "phone_last4": "8000",
                                                "satisfaction": 5}, format="json")
    assert via_api.status_code == 409 and "案件办结后才能评价" in via_api.json()["detail"]
    case.refresh_from_db()
    assert case.status == Status.IN_HANDLING and case.satisfaction is None


def test_rating_needs_the_right_digits_not_just_the_code(client, make_case):
    case = make_case("resolved")
    response = rate(client, case, 5, last4="1234")
    assert response.status_code == 404 and "未找到" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


def test_a_rating_outside_1_to_5_is_named(client, make_case):
    case = make_case("resolved")
    response = rate(client, case, 9)
    assert response.status_code == 400 and "满意度为1至5分" in response.content.decode()


def test_the_api_rates_and_answers_the_case_as_it_now_stands(api, make_case):
    case = make_case("resolved")
    response = api.post("/api/v1/public/rate/", {"tracking_code": case.tracking_code, "phone_last4": "8000",
                                                 "satisfaction": 5, "comment": "满意"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["satisfaction"] == 5 and response.json()["can_rate"] is False


# --- QR posters -------------------------------------------------------------------------------


def test_a_district_poster_carries_the_qr_code_and_the_filing_address(client, city, settings):
    settings.HEXIE_PUBLIC_URL = "https://hexie.example.gov.cn/"
    response = client.get("/portal/posters/430104/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "欠薪投诉" in html and "岳麓区" in html and "12345" in html
    assert "https://hexie.example.gov.cn/portal/file/?district=430104&amp;src=qr" in html


def test_there_is_no_poster_for_a_street_or_an_unknown_code(client, city):
    assert client.get("/portal/posters/430104001/").status_code == 404
    assert client.get("/portal/posters/999999/").status_code == 404


@pytest.mark.parametrize(("who", "sees"), [
    ("leader", {"430104"}), ("outside_leader", {"430102"}), ("city_leader", {"430104", "430102"}),
    ("partner", set()),
])
def test_the_poster_list_shows_the_districts_in_my_jurisdiction(client, users, who, sees):
    client.force_login(users[who])
    html = client.get("/portal/posters/").content.decode()
    for code in ("430104", "430102"):
        assert (f"/portal/posters/{code}/" in html) is (code in sees)


def test_the_poster_list_is_for_staff(client, city):
    response = client.get("/portal/posters/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- areas and the schema ------------------------------------------------------------------------


def test_the_areas_api_lists_districts_with_their_streets(api, city):
    response = api.get("/api/v1/public/areas/")
    assert response.status_code == 200
    areas = {a["code"]: a for a in response.json()}
    assert set(areas) == {"430102", "430104"}
    assert areas["430104"]["children"] == [{"code": "430104001", "name": "望岳街道"}]


def test_the_public_endpoints_are_in_a_valid_openapi_document(db):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    for path in ("complaints", "track", "rate", "areas"):
        assert f"/api/v1/public/{path}/" in schema["paths"]
    assert schema["paths"]["/api/v1/public/complaints/"]["post"]["security"] == [{}]

"""The staff case API as a client meets it: tokens, registration, idempotent retries, filters,
scope, actions, refusals in both languages, masked personal data, and the offline API documents."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hexie.cases import services
from hexie.cases.models import Case, Supervision, TimelineEvent
from hexie.core.tests.factories import VALID_CREDIT_CODE, VALID_ID
from hexie.orgs.models import Role, User

pytestmark = pytest.mark.django_db

API = "/api/v1"
PHONE = "13912345678"
ABSURD_ID = "99999999999999999999"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def in_chinese(text: str) -> bool:
    """A refusal in the API's default language (a client asks for English with Accept-Language)."""
    return bool(_CJK.search(text))


def messages_for(response: Any, field: str) -> str:
    body = response.json()
    assert field in body, body
    return " ".join(body[field])


@pytest.fixture
def api(users: dict[str, User]) -> Any:
    """A client for a named user, authenticated with that user's API token."""

    def make(who: str | None = None) -> APIClient:
        client = APIClient()
        if who is not None:
            token, _ = Token.objects.get_or_create(user=users[who])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def intake_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "case_type": "wage_arrears", "channel": "hotline_12345", "external_ref": "GD20261123001",
        "complainant_name": "李四", "complainant_phone": PHONE, "complainant_id_number": VALID_ID,
        "employer_name": "长沙某劳务公司", "employer_credit_code": VALID_CREDIT_CODE,
        "project_name": "梅溪湖安置房项目", "org_unit": "430104001", "workers_count": 12,
        "amount_claimed": "56000.00", "description": "12名工人三个月工资未发",
    }
    body.update(overrides)
    return body


# --- tokens and authentication --------------------------------------------------------------


def test_staff_exchange_username_and_password_for_a_token(api, users):
    client = api()
    response = client.post(f"{API}/auth/token/", {"username": "desk", "password": "pw-hexie-123"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=users["desk"]).key == token
    again = client.post(f"{API}/auth/token/", {"username": "desk", "password": "pw-hexie-123"}, format="json")
    assert again.json()["token"] == token  # the same token until an administrator revokes it
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"{API}/cases/").status_code == 200


@pytest.mark.parametrize(("username", "password"), [("desk", "wrong-password"), ("nobody", "pw-hexie-123")])
def test_bad_credentials_get_one_bilingual_refusal_and_no_token(api, users, username, password):
    response = api().post(f"{API}/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 400
    assert in_chinese(messages_for(response, "non_field_errors"))
    assert not Token.objects.exists()


def test_a_disabled_account_gets_no_token_and_its_token_stops_working(api, users):
    client = api("desk")
    User.objects.filter(pk=users["desk"].pk).update(is_active=False)
    assert client.get(f"{API}/cases/").status_code == 401
    response = api().post(f"{API}/auth/token/", {"username": "desk", "password": "pw-hexie-123"}, format="json")
    assert response.status_code == 400


def test_missing_token_fields_are_named(api, users):
    response = api().post(f"{API}/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert in_chinese(messages_for(response, "username")) and in_chinese(messages_for(response, "password"))


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/cases/"), ("post", "/cases/"), ("get", "/cases/1/"), ("get", "/cases/1/timeline/"),
    ("post", "/cases/1/transitions/"), ("post", "/cases/1/deadlines/1/extend/"), ("post", "/cases/1/restart-clock/"),
    ("post", "/cases/1/referrals/1/answer/"), ("get", "/supervisions/"), ("post", "/supervisions/1/acknowledge/"),
])
def test_without_credentials_every_endpoint_answers_401(api, method, path):
    response = getattr(api(), method)(f"{API}{path}", {}, format="json") if method == "post" else api().get(
        f"{API}{path}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert in_chinese(response.json()["detail"])


def test_an_unknown_token_answers_401(api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get(f"{API}/cases/")
    assert response.status_code == 401 and in_chinese(response.json()["detail"])


def test_tokens_are_managed_in_the_admin(client, users):
    root = User.objects.create_superuser("root", "root@bureau.example", "pw-root-123", role=Role.ADMIN)
    client.force_login(root)
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 200
    response = client.post("/admin/authtoken/tokenproxy/add/", {"user": users["handler"].pk})
    assert response.status_code == 302
    token = Token.objects.get(user=users["handler"])
    assert token.key in client.get("/admin/authtoken/tokenproxy/").content.decode()
    # Revoking: the token stops working at once.
    client.post(f"/admin/authtoken/tokenproxy/{users['handler'].pk}/delete/", {"post": "yes"})
    assert not Token.objects.filter(user=users["handler"]).exists()
    revoked = APIClient()
    revoked.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert revoked.get(f"{API}/cases/").status_code == 401


# --- registration ---------------------------------------------------------------------------


def test_registering_answers_number_tracking_code_triage_and_clocks_with_their_basis(api, users):
    response = api("desk").post(f"{API}/cases/", intake_body(), format="json")
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == case.pk and body["number"] == case.number and body["number"].startswith("430100-")
    assert body["tracking_code"] == case.tracking_code and len(body["tracking_code"]) == 8
    assert body["status"] == "registered"
    assert body["triage"]["is_collective"] is True
    reasons = {r["rule"]: r for r in body["triage"]["triage_reasons"]}
    assert "collective" in reasons and reasons["collective"]["basis"]
    (clock_,) = body["deadlines"]
    assert clock_["rule"] == "inspection.accept" and "第十八条" in clock_["basis"]
    assert clock_["state"] == "running" and isinstance(clock_["days_left"], int) and clock_["days_left"] >= 0
    assert case.registered_by == users["desk"] and case.channel == "hotline_12345"
    assert case.external_ref == "GD20261123001"


def test_channel_defaults_to_api_and_received_at_to_now(api):
    body = intake_body()
    del body["channel"]
    response = api("desk").post(f"{API}/cases/", body, format="json")
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.channel == "api" and abs((timezone.now() - case.received_at).total_seconds()) < 3600


_future = "2999-01-01T09:00:00+08:00"  # fixed, so parallel test workers collect the same ids


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("complainant_id_number", "110101199003071234", "身份证号码校验位"),
    ("complainant_id_number", "11010119900230123X", "出生日期"),
    ("employer_credit_code", "91430100MA4L16JQ9E", "统一社会信用代码校验位"),
    ("employer_credit_code", "91430100MA4L16JQI", "统一社会信用代码"),
    ("complainant_phone", "12345", "联系电话"),
    ("amount_claimed", "-5", "金额不能为负数"),
    ("amount_claimed", "1000000000", "1亿元"),
    ("amount_claimed", "12.345", "两位小数"),
    ("amount_claimed", "1e400", "数值过大"),
    ("amount_claimed", 10**30, "数值过大"),
    ("amount_claimed", "NaN", "诉求金额"),
    ("workers_count", 0, "涉及人数"),
    ("workers_count", 10**30, "涉及人数"),
    ("workers_count", "many", "涉及人数"),
    ("received_at", _future, "不能晚于当前时间"),
    ("received_at", "yesterday", "ISO 8601"),
    ("received_at", "2019-01-01T09:00:00+08:00", "三年前"),
    ("org_unit", "999999", "不存在"),
    ("org_unit", "430102001", "不在您的辖区内"),
    ("org_unit", ["430104001"], "发生地区划代码"),
    ("complainant_name", ["张三"], "格式不正确"),
    ("complainant_name", "", "投诉人姓名"),
    ("description", {"text": "欠薪"}, "格式不正确"),
    ("case_type", "fraud", "不是有效选项"),
    ("channel", "qr", "不能通过工作人员接口"),
    ("channel", "monitoring", "不能通过工作人员接口"),
    ("employer_name", None, "用人单位"),
    ("projet_name", "梅溪湖", "未知字段"),
])
def test_bad_input_is_a_400_naming_the_field_in_both_languages(api, field, value, fragment):
    response = api("desk").post(f"{API}/cases/", intake_body(**{field: value}), format="json")
    assert response.status_code == 400
    text = messages_for(response, field)
    assert fragment in text and in_chinese(text)
    assert not Case.objects.exists()


def test_a_missing_required_field_is_named(api):
    body = intake_body()
    del body["complainant_phone"]
    response = api("desk").post(f"{API}/cases/", body, format="json")
    assert response.status_code == 400
    assert "请填写联系电话" in messages_for(response, "complainant_phone")


@pytest.mark.parametrize(("raw", "content_type", "code", "key"), [
    ("{not json", "application/json", 400, "detail"),
    ('{"case_type": NaN}', "application/json", 400, "detail"),
    ("[1, 2]", "application/json", 400, "non_field_errors"),
    ('"just a string"', "application/json", 400, "non_field_errors"),
    ("null", "application/json", 400, "non_field_errors"),
    ("case_type=wage_arrears", "text/plain", 415, "detail"),
])
def test_malformed_bodies_are_refused_in_both_languages_not_a_500(api, raw, content_type, code, key):
    response = api("desk").generic("POST", f"{API}/cases/", raw.encode(), content_type=content_type)
    assert response.status_code == code
    body = response.json()
    text = body[key] if isinstance(body[key], str) else " ".join(body[key])
    assert in_chinese(text)
    assert not Case.objects.exists()


def test_a_role_that_may_not_register_gets_403(api, users):
    response = api("partner").post(f"{API}/cases/", intake_body(), format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_permitted"


# --- idempotent registration ----------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_answer_and_creates_nothing(api):
    client = api("desk")
    first = client.post(f"{API}/cases/", intake_body(), format="json", HTTP_IDEMPOTENCY_KEY="gd-001")
    retry = client.post(f"{API}/cases/", intake_body(), format="json", HTTP_IDEMPOTENCY_KEY="gd-001")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1


def test_without_a_key_a_repeat_is_a_second_case(api):
    client = api("desk")
    client.post(f"{API}/cases/", intake_body(), format="json")
    client.post(f"{API}/cases/", intake_body(), format="json")
    assert Case.objects.count() == 2


def test_keys_belong_to_one_user(api):
    api("desk").post(f"{API}/cases/", intake_body(), format="json", HTTP_IDEMPOTENCY_KEY="gd-001")
    other = api("handler").post(f"{API}/cases/", intake_body(), format="json", HTTP_IDEMPOTENCY_KEY="gd-001")
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    assert Case.objects.count() == 2


def test_the_same_key_with_a_different_body_is_422(api):
    client = api("desk")
    client.post(f"{API}/cases/", intake_body(), format="json", HTTP_IDEMPOTENCY_KEY="gd-001")
    response = client.post(f"{API}/cases/", intake_body(workers_count=13), format="json",
                           HTTP_IDEMPOTENCY_KEY="gd-001")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused" and in_chinese(response.json()["detail"])
    assert Case.objects.count() == 1


def test_a_refused_request_can_be_corrected_and_sent_again_with_the_same_key(api):
    client = api("desk")
    bad = client.post(f"{API}/cases/", intake_body(complainant_phone="12345"), format="json",
                      HTTP_IDEMPOTENCY_KEY="gd-002")
    assert bad.status_code == 400
    good = client.post(f"{API}/cases/", intake_body(), format="json", HTTP_IDEMPOTENCY_KEY="gd-002")
    assert good.status_code == 201 and "Idempotent-Replayed" not in good
    replay = client.post(f"{API}/cases/", intake_body(), format="json", HTTP_IDEMPOTENCY_KEY="gd-002")
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == good.json()
    assert Case.objects.count() == 1


def test_a_malformed_key_is_refused(api):
    response = api("desk").post(f"{API}/cases/", intake_body(), format="json", HTTP_IDEMPOTENCY_KEY="k" * 129)
    assert response.status_code == 400 and in_chinese(response.json()["detail"])
    assert not Case.objects.exists()


# --- the list and its filters ---------------------------------------------------------------


@pytest.fixture
def three_cases(make_case, users, city):
    """A: collective red wage clue, assigned, received 10 days ago; B: labour dispute by phone,
    registered 20 days ago and overdue for acceptance; C: a consultation in Furong, refused."""
    now = timezone.now()
    a = make_case("assigned", received_at=now - timedelta(days=10), workers_count=12, description="要去拉横幅",
                  employer_name="甲建筑公司", employer_credit_code="", complainant_phone="13900000001",
                  complainant_id_number="")
    b = make_case(case_type="labour_dispute", channel="phone", received_at=now - timedelta(days=20),
                  employer_name="乙餐饮公司", employer_credit_code="", complainant_phone="13900000002",
                  complainant_id_number="", amount_claimed=Decimal("1000"))
    c = make_case(actor=users["city_leader"], case_type="consultation", channel="letter",
                  org_unit_id=city["furong_street"].pk, employer_name="丙科技公司", employer_credit_code="",
                  complainant_phone="13900000003", complainant_id_number="", amount_claimed=Decimal("0"))
    services.transition(case_id=c.pk, actor=users["city_leader"], name="refuse", reason="不属于受理范围")
    return {"A": a, "B": b, "C": c}


def _listed(response: Any, cases: dict[str, Case]) -> set[str]:
    assert response.status_code == 200, response.content
    numbers = {r["number"] for r in response.json()["results"]}
    return {name for name, case in cases.items() if case.number in numbers}


_days_ago_15 = (timezone.localdate() - timedelta(days=15)).isoformat()


@pytest.mark.parametrize(("param", "value", "expected"), [
    ("case_type", "wage_arrears", {"A"}), ("case_type", "labour_dispute", {"B"}),
    ("status", "assigned", {"A"}), ("status", "registered", {"B"}),
    ("risk_level", "red", {"A"}), ("risk_level", "green", {"B", "C"}),
    ("channel", "visit", {"A"}), ("channel", "phone", {"B"}),
    ("district", "430104", {"A", "B"}), ("district", "430102", {"C"}),
    ("overdue", "true", {"B"}), ("overdue", "false", {"A", "C"}),
    ("open", "true", {"A", "B"}), ("open", "false", {"C"}),
    ("collective", "true", {"A"}), ("collective", "false", {"B", "C"}),
    ("q", "甲建筑", {"A"}), ("q", "乙餐饮", {"B"}),
    ("received_from", _days_ago_15, {"A", "C"}), ("received_to", _days_ago_15, {"B"}),
    ("status", "", {"A", "B", "C"}),  # an empty value means "any", as on the queue page
])
def test_each_filter_keeps_what_matches_and_drops_what_does_not(api, three_cases, param, value, expected):
    response = api("city_leader").get(f"{API}/cases/", {param: value})
    assert _listed(response, three_cases) == expected


def test_mine_means_cases_i_handle_or_answer_for(api, three_cases):
    assert _listed(api("leader").get(f"{API}/cases/", {"mine": "true"}), three_cases) == {"A"}
    assert _listed(api("handler").get(f"{API}/cases/", {"mine": "true"}), three_cases) == {"A"}
    assert _listed(api("leader").get(f"{API}/cases/", {"mine": "false"}), three_cases) == {"A", "B"}
    assert _listed(api("desk").get(f"{API}/cases/", {"mine": "true"}), three_cases) == set()


@pytest.mark.parametrize(("param", "value"), [
    ("case_type", "fraud"), ("status", "bogus"), ("risk_level", "purple"), ("channel", "fax"),
    ("district", "999999"), ("district", "43'--"), ("district", "4301\x0004"), ("overdue", "maybe"), ("open", "yes"), ("collective", "2"),
    ("mine", "perhaps"), ("received_from", "2025-13-40"), ("received_to", "tomorrow"), ("q", "a\x00b"),
    ("statuss", "registered"), ("page", "abc"), ("page", "0"), ("page", "9" * 5000),
])
def test_an_invalid_filter_is_a_400_naming_it_not_silently_ignored(api, three_cases, param, value):
    response = api("city_leader").get(f"{API}/cases/", {param: value})
    assert response.status_code == 400
    assert in_chinese(messages_for(response, param))


def test_the_list_is_ordered_like_the_queue_and_paginated(api, three_cases, make_case):
    response = api("city_leader").get(f"{API}/cases/")
    body = response.json()
    assert body["count"] == 3 and body["previous"] is None and body["next"] is None
    assert body["results"][0]["number"] == three_cases["B"].number  # the only running clock: due first
    row = body["results"][0]
    assert row["complainant_phone_masked"] == "139****0002" and "complainant_phone" not in row
    assert row["is_overdue"] is True
    past_the_end = api("city_leader").get(f"{API}/cases/", {"page": "2"})
    assert past_the_end.status_code == 400 and "超出范围，共1页" in past_the_end.json()["page"][0]
    assert api("city_leader").get(f"{API}/cases/", {"format": "json"}).json()["count"] == 3


def test_a_second_page_holds_the_rest(api, make_case, settings):
    for i in range(52):
        make_case(complainant_phone=f"139000001{i:02d}", complainant_id_number="", employer_name=f"公司{i}",
                  employer_credit_code="")
    client = api("leader")
    first = client.get(f"{API}/cases/").json()
    second = client.get(f"{API}/cases/", {"page": "2"}).json()
    assert first["count"] == 52 and len(first["results"]) == 50 and len(second["results"]) == 2
    assert first["next"].endswith("page=2") and second["previous"] is not None
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 52


# --- scope: role by jurisdiction ------------------------------------------------------------

SEES_YUELU_CASE = {
    "city_leader": True, "desk": True, "handler": True, "handler2": True, "leader": True, "admin": True,
    "outsider": False, "outside_leader": False, "partner": False,
}


@pytest.mark.parametrize(("who", "sees"), sorted(SEES_YUELU_CASE.items()))
def test_role_by_jurisdiction_matrix_on_the_api(who, sees, api, make_case):
    case = make_case()
    client = api(who)
    detail = client.get(f"{API}/cases/{case.pk}/")
    missing = client.get(f"{API}/cases/{case.pk + 1000}/")
    assert detail.status_code == (200 if sees else 404)
    assert missing.status_code == 404
    if not sees:
        assert detail.content == missing.content  # outside scope reads exactly like "does not exist"
        timeline = client.get(f"{API}/cases/{case.pk}/timeline/")
        assert timeline.status_code == 404 and timeline.content == missing.content
        act = client.post(f"{API}/cases/{case.pk}/transitions/", {"action": "accept"}, format="json")
        assert act.status_code == 404 and act.content == missing.content
    listed = {r["id"] for r in client.get(f"{API}/cases/").json()["results"]}
    assert (case.pk in listed) is sees


def test_a_partner_agency_sees_only_what_was_referred_to_it(api, users, make_case, agency, other_agency):
    referred = make_case("assigned")
    services.transition(case_id=referred.pk, actor=users["handler"], name="start_handling", track="referral",
                        agency=agency.pk)
    elsewhere = make_case("assigned", complainant_phone="13900000071", complainant_id_number="")
    services.transition(case_id=elsewhere.pk, actor=users["handler"], name="start_handling", track="referral",
                        agency=other_agency.pk)
    client = api("partner")
    assert client.get(f"{API}/cases/{referred.pk}/").status_code == 200
    assert client.get(f"{API}/cases/{elsewhere.pk}/").status_code == 404
    assert {r["id"] for r in client.get(f"{API}/cases/").json()["results"]} == {referred.pk}


@pytest.mark.parametrize("path", [
    f"/cases/{ABSURD_ID}/", f"/cases/{ABSURD_ID}/timeline/", f"/cases/{2**63}/", "/cases/0/",
    f"/cases/{'9' * 5000}/",
])
def test_absurd_ids_are_a_plain_404(api, make_case, path):
    make_case()
    client = api("city_leader")
    response = client.get(f"{API}{path}")
    assert response.status_code == 404
    assert response.content == client.get(f"{API}/cases/424242/").content


@pytest.mark.parametrize("path", [
    f"/cases/{ABSURD_ID}/transitions/", f"/cases/1/deadlines/{ABSURD_ID}/extend/",
    f"/cases/{ABSURD_ID}/restart-clock/", f"/cases/1/referrals/{ABSURD_ID}/answer/",
    f"/supervisions/{ABSURD_ID}/acknowledge/",
])
def test_absurd_ids_in_actions_are_a_plain_404(api, path):
    response = api("city_leader").post(f"{API}{path}", {}, format="json")
    assert response.status_code == 404 and response.json() == {"detail": "未找到"}


# --- transitions ----------------------------------------------------------------------------


def _act(client: APIClient, case: Case, **body: Any) -> Any:
    return client.post(f"{API}/cases/{case.pk}/transitions/", body, format="json")


def test_an_allowed_action_moves_the_case_and_files_an_event(api, make_case):
    case = make_case()
    response = _act(api("desk"), case, action="accept", version=case.version)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted" and body["version"] == case.version + 1
    assert Case.objects.get(pk=case.pk).status == "accepted"
    assert TimelineEvent.objects.filter(case=case, kind="accept", to_status="accepted").exists()
    assert "assign" not in {a["name"] for a in body["allowed_actions"]}  # the desk may not assign


def test_accepting_through_the_api_chooses_the_track_and_starts_its_clock(api, make_case, calendar):
    case = make_case(case_type="labour_dispute")
    body = _act(api("desk"), case, action="accept", track="mediation").json()
    assert body["status"] == "accepted" and body["track"] == "mediation"
    running = [d for d in body["deadlines"] if d["state"] == "running"]
    assert [d["rule"] for d in running] == ["mediation.agreement"]
    assert running[0]["period"] == "自收到调解申请之日起十五日内" and "第十四条" in running[0]["basis"]
    assert body["next_due_on"] == running[0]["due_on"]


def test_a_full_walk_through_the_api(api, users, make_case):
    case = make_case()
    steps = [
        ("desk", {"action": "accept"}),
        ("leader", {"action": "assign", "handler": users["handler"].pk, "responsible_leader": users["leader"].pk}),
        ("handler", {"action": "start_handling", "track": "mediation"}),
        ("handler", {"action": "resolve", "conclusion": "mediated", "amount_recovered": "8000.00",
                     "workers_benefited": 1}),
        ("desk", {"action": "close", "satisfaction": 5}),
    ]
    for who, body in steps:
        response = _act(api(who), case, **body)
        assert response.status_code == 200, (body, response.json())
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == 5 and case.amount_recovered == Decimal("8000.00")


def test_an_action_the_state_does_not_allow_is_409(api, make_case):
    case = make_case("accepted")
    response = _act(api("desk"), case, action="accept")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed" and in_chinese(response.json()["detail"])


def test_an_action_the_role_does_not_allow_is_403(api, users, make_case):
    case = make_case("accepted")
    response = _act(api("desk"), case, action="assign", handler=users["handler"].pk,
                    responsible_leader=users["leader"].pk)
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted" and in_chinese(response.json()["detail"])
    other_handler = _act(api("handler2"), make_case("in_handling", complainant_phone="13900000091",
                                                    complainant_id_number=""),
                         action="resolve", conclusion="mediated")
    assert other_handler.status_code == 403  # only the case's own handler


def test_a_stale_version_is_409_and_changes_nothing(api, users, make_case):
    case = make_case("accepted")
    read_version = case.version
    assign = {"handler": users["handler"].pk, "responsible_leader": users["leader"].pk}
    assert _act(api("leader"), case, action="assign", version=read_version, **assign).status_code == 200
    response = _act(api("leader"), case, action="assign", version=read_version,
                    handler=users["handler2"].pk, responsible_leader=users["leader"].pk)
    assert response.status_code == 409 and response.json()["code"] == "stale_state"
    assert Case.objects.get(pk=case.pk).handler == users["handler"]


@pytest.mark.parametrize(("state", "who", "body", "field"), [
    ("registered", "desk", {"action": "refuse"}, "reason"),
    ("registered", "desk", {"action": "refuse", "reason": ""}, "reason"),
    ("accepted", "leader", {"action": "assign"}, "handler"),
    ("registered", "desk", {"action": "accept", "track": "petition"}, "track"),
    ("registered", "desk", {"action": "accept", "track": "referral"}, "agency"),
    ("assigned", "handler", {"action": "start_handling", "track": "petition"}, "track"),
    ("in_handling", "handler", {"action": "transfer_track", "track": "inspection"}, "track"),
    ("assigned", "handler", {"action": "start_handling", "track": "referral"}, "agency"),
    ("in_handling", "handler", {"action": "resolve"}, "conclusion"),
    ("in_handling", "handler", {"action": "resolve", "conclusion": "bogus"}, "conclusion"),
    ("in_handling", "handler", {"action": "resolve", "conclusion": "mediated", "amount_recovered": "-1"},
     "amount_recovered"),
    ("registered", "desk", {"action": "fly"}, "action"),
    ("registered", "desk", {}, "action"),
    ("registered", "desk", {"action": "accept", "version": 2**70}, "version"),
    ("registered", "desk", {"action": "accept", "version": "latest"}, "version"),
    ("registered", "desk", {"action": "accept", "reasno": "typo"}, "reasno"),
])
def test_missing_or_invalid_action_inputs_are_a_400_naming_the_field(api, make_case, state, who, body, field):
    case = make_case(state)
    response = _act(api(who), case, **body)
    assert response.status_code == 400
    assert in_chinese(messages_for(response, field))
    assert Case.objects.get(pk=case.pk).status == state


def test_assigning_someone_outside_the_jurisdiction_is_refused(api, users, make_case):
    case = make_case("accepted")
    response = _act(api("leader"), case, action="assign", handler=users["outsider"].pk,
                    responsible_leader=users["leader"].pk)
    assert response.status_code == 400 and in_chinese(messages_for(response, "handler"))


# --- clocks: extension and restart ----------------------------------------------------------


def _deadline(body: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(d for d in body["deadlines"] if d["rule"] == rule)


def test_a_leader_extends_an_investigation_once(api, make_case):
    case = make_case("in_handling")
    client = api("leader")
    before = _deadline(client.get(f"{API}/cases/{case.pk}/").json(), "inspection.investigate")
    assert before["extended"] is False and before["extension_length"] == 30
    url = f"{API}/cases/{case.pk}/deadlines/{before['id']}/extend/"
    response = client.post(url, {"reason": "需调取银行流水"}, format="json")
    assert response.status_code == 200
    after = _deadline(response.json(), "inspection.investigate")
    assert after["extended"] is True and after["due_on"] > before["due_on"]
    assert TimelineEvent.objects.filter(case=case, kind="extended").exists()
    again = client.post(url, {"reason": "再延"}, format="json")
    assert again.status_code == 409 and in_chinese(again.json()["detail"])


def test_extension_refusals(api, make_case):
    case = make_case("in_handling")
    body = api("leader").get(f"{API}/cases/{case.pk}/").json()
    investigate = _deadline(body, "inspection.investigate")["id"]
    quick = _deadline(body, "wage_clue.quick_close")["id"]
    url = f"{API}/cases/{case.pk}/deadlines/{{}}/extend/"
    desk = api("desk").post(url.format(investigate), {"reason": "x"}, format="json")
    assert desk.status_code == 403 and desk.json()["code"] == "not_permitted"
    fixed = api("leader").post(url.format(quick), {"reason": "x"}, format="json")
    assert fixed.status_code == 409 and "不能延长" in fixed.json()["detail"]
    no_reason = api("leader").post(url.format(investigate), {}, format="json")
    assert no_reason.status_code == 400 and in_chinese(messages_for(no_reason, "reason"))
    outside = api("outside_leader").post(url.format(investigate), {"reason": "x"}, format="json")
    assert outside.status_code == 404
    other = make_case("in_handling", complainant_phone="13900000092", complainant_id_number="")
    wrong_case = api("leader").post(f"{API}/cases/{other.pk}/deadlines/{investigate}/extend/", {"reason": "x"},
                                    format="json")
    assert wrong_case.status_code == 404
    assert Case.objects.get(pk=case.pk).deadlines.filter(extended=True).count() == 0


def test_restarting_the_arbitration_clock(api, make_case):
    case = make_case("in_handling", track="arbitration")
    response = api("handler").post(f"{API}/cases/{case.pk}/restart-clock/",
                                   {"ground": "add_party", "note": "追加总包单位"}, format="json")
    assert response.status_code == 200
    states = {(d["rule"], d["state"]) for d in response.json()["deadlines"]}
    assert ("arbitration.award", "cancelled") in states and ("arbitration.award", "running") in states
    event = TimelineEvent.objects.get(case=case, kind="clock_restarted")
    assert "第四十六条" in event.data["basis"]


def test_restart_refusals(api, make_case):
    arbitration = make_case("in_handling", track="arbitration")
    inspection = make_case("in_handling", complainant_phone="13900000093", complainant_id_number="")
    url = f"{API}/cases/{{}}/restart-clock/"
    wrong_track = api("handler").post(url.format(inspection.pk), {"ground": "add_party"}, format="json")
    assert wrong_track.status_code == 409
    desk = api("desk").post(url.format(arbitration.pk), {"ground": "add_party"}, format="json")
    assert desk.status_code == 403
    bad_ground = api("handler").post(url.format(arbitration.pk), {"ground": "weather"}, format="json")
    assert bad_ground.status_code == 400 and in_chinese(messages_for(bad_ground, "ground"))
    outside = api("outsider").post(url.format(arbitration.pk), {"ground": "add_party"}, format="json")
    assert outside.status_code == 404
    assert not TimelineEvent.objects.filter(kind="clock_restarted").exists()


# --- supervision ----------------------------------------------------------------------------


def _supervise(case: Case, leader: User) -> Supervision:
    return Supervision.objects.create(case=case, deadline=case.deadlines.first(), kind="overdue",
                                      created_at=timezone.now(), leader=leader)


def test_the_supervision_list_and_acknowledging(api, users, make_case):
    case = make_case()
    sup = _supervise(case, users["leader"])
    listed = api("leader").get(f"{API}/supervisions/").json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert row["case"]["number"] == case.number and row["deadline"]["basis"] and row["acknowledged_at"] is None
    assert api("leader").get(f"{API}/supervisions/", {"mine": "true"}).json()["count"] == 1
    assert api("city_leader").get(f"{API}/supervisions/", {"mine": "true"}).json()["count"] == 0
    assert api("outsider").get(f"{API}/supervisions/").json()["count"] == 0
    url = f"{API}/supervisions/{sup.pk}/acknowledge/"
    response = api("leader").post(url, {"note": "三日内办结"}, format="json")
    assert response.status_code == 200 and response.json()["acknowledged_at"] and response.json()["note"] == "三日内办结"
    assert TimelineEvent.objects.filter(case=case, kind="supervision_acknowledged").exists()
    again = api("leader").post(url, {}, format="json")
    assert again.status_code == 409


def test_supervision_refusals(api, users, make_case):
    sup = _supervise(make_case(), users["leader"])
    url = f"{API}/supervisions/{sup.pk}/acknowledge/"
    assert api("desk").post(url, {}, format="json").status_code == 403
    outside = api("outside_leader").post(url, {}, format="json")
    assert outside.status_code == 404 and outside.json() == {"detail": "未找到"}
    bad = api("leader").get(f"{API}/supervisions/", {"mine": "maybe"})
    assert bad.status_code == 400 and in_chinese(messages_for(bad, "mine"))
    assert Supervision.objects.get(pk=sup.pk).acknowledged_at is None


# --- referrals ------------------------------------------------------------------------------


@pytest.fixture
def referred(users, make_case, agency):
    case = make_case("assigned")
    services.transition(case_id=case.pk, actor=users["handler"], name="start_handling", track="referral",
                        agency=agency.pk)
    return case


def test_a_partner_agency_answers_a_referral_once(api, referred):
    referral = referred.referrals.get()
    url = f"{API}/cases/{referred.pk}/referrals/{referral.pk}/answer/"
    response = api("partner").post(url, {"answer": "已立案执行"}, format="json")
    assert response.status_code == 200 and response.json()["answer"] == "已立案执行"
    assert TimelineEvent.objects.filter(case=referred, kind="referral_answered").exists()
    again = api("partner").post(url, {"answer": "再次答复"}, format="json")
    assert again.status_code == 409


def test_referral_answer_refusals(api, users, referred, other_agency):
    referral = referred.referrals.get()
    url = f"{API}/cases/{referred.pk}/referrals/{referral.pk}/answer/"
    empty = api("partner").post(url, {"answer": ""}, format="json")
    assert empty.status_code == 400 and in_chinese(messages_for(empty, "answer"))
    assert api("handler").post(url, {"answer": "x"}, format="json").status_code == 403
    users["union"] = User.objects.create_user(username="union", password="pw-hexie-123", role=Role.PARTNER,
                                              agency=other_agency)
    assert api("union").post(url, {"answer": "x"}, format="json").status_code == 404
    referral.refresh_from_db()
    assert referral.answered_at is None


# --- timeline and personal data -------------------------------------------------------------


def test_the_timeline_lists_the_case_file_oldest_first(api, make_case):
    case = make_case("assigned")
    events = api("desk").get(f"{API}/cases/{case.pk}/timeline/").json()
    assert [e["kind"] for e in events] == ["registered", "accept", "assign"]
    assert events[1]["actor"] == "desk" and events[1]["to_status"] == "accepted"


def test_no_answer_carries_a_complainant_phone_or_id_number_in_clear(api, users, agency):
    seen: list[str] = []

    def keep(response: Any) -> Any:
        seen.append(response.content.decode())
        return response

    desk, leader, handler = api("desk"), api("leader"), api("handler")
    created = keep(desk.post(f"{API}/cases/", intake_body(amount_claimed="8000", workers_count=1), format="json",
                             HTTP_IDEMPOTENCY_KEY="pii-1"))
    keep(desk.post(f"{API}/cases/", intake_body(amount_claimed="8000", workers_count=1), format="json",
                   HTTP_IDEMPOTENCY_KEY="pii-1"))
    pk = created.json()["id"]
    keep(_act(desk, Case(pk=pk), action="accept"))
    keep(_act(leader, Case(pk=pk), action="assign", handler=users["handler"].pk,
              responsible_leader=users["leader"].pk))
    keep(_act(handler, Case(pk=pk), action="start_handling", track="referral", agency=agency.pk))
    case = Case.objects.get(pk=pk)
    _supervise(case, users["leader"])
    referral = case.referrals.get()
    keep(api("partner").post(f"{API}/cases/{pk}/referrals/{referral.pk}/answer/", {"answer": "已处理"}, format="json"))
    detail = keep(leader.get(f"{API}/cases/{pk}/"))
    for client in (desk, leader, handler, api("partner")):
        keep(client.get(f"{API}/cases/"))
        keep(client.get(f"{API}/cases/{pk}/"))
        keep(client.get(f"{API}/cases/{pk}/timeline/"))
        keep(client.get(f"{API}/supervisions/"))
    keep(desk.get(f"{API}/cases/", {"q": "李四"}))
    everything = "\n".join(seen)
    assert PHONE not in everything and VALID_ID not in everything
    assert detail.json()["complainant_phone_masked"] == "139****5678"
    assert detail.json()["complainant_id_number_masked"] == "110***********1233"


# --- the OpenAPI document and the documentation page ----------------------------------------


def test_the_openapi_document_is_served_valid_and_complete(client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/auth/token/", "post"), ("/api/v1/cases/", "get"), ("/api/v1/cases/", "post"),
        ("/api/v1/cases/{id}/", "get"), ("/api/v1/cases/{id}/timeline/", "get"),
        ("/api/v1/cases/{id}/transitions/", "post"), ("/api/v1/cases/{id}/deadlines/{deadline_id}/extend/", "post"),
        ("/api/v1/cases/{id}/restart-clock/", "post"), ("/api/v1/cases/{id}/referrals/{referral_id}/answer/", "post"),
        ("/api/v1/supervisions/", "get"), ("/api/v1/supervisions/{id}/acknowledge/", "post"),
    ]:
        assert method in paths[path], (path, method)
    create = paths["/api/v1/cases/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    assert {"201", "400", "422"} <= set(create["responses"])
    listing = {p["name"] for p in paths["/api/v1/cases/"]["get"]["parameters"]}
    assert {"case_type", "status", "risk_level", "channel", "district", "overdue", "open", "collective", "mine",
            "q", "received_from", "received_to", "page"} <= listing
    assert {"400", "403", "404", "409"} <= set(paths["/api/v1/cases/{id}/transitions/"]["post"]["responses"])


def test_the_documentation_page_needs_no_network(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") for a in assets)
    static = [a.removeprefix("/static/") for a in assets if a.startswith("/static/")]
    assert len(static) >= 3  # the Swagger UI script, its preset and its stylesheet
    for path in static:
        assert finders.find(path), path


# --- fuzz: bad values of every shape never make a 500 ---------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False) | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)
_fields = [*sorted(intake_body()), "received_at"]
_filters = ["case_type", "status", "risk_level", "channel", "district", "overdue", "open", "collective", "mine",
            "q", "received_from", "received_to", "page"]
_query_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
_action_fields = ["version", "reason", "note", "handler", "responsible_leader", "track", "agency", "conclusion",
                  "amount_recovered", "workers_benefited", "satisfaction"]


@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(_fields), value=_json_values, param=st.sampled_from(_filters), text=_query_text,
       action=st.sampled_from(["accept", "refuse", "assign", "resolve", "close"]),
       action_field=st.sampled_from(_action_fields))
def test_fuzzed_bodies_and_filters_answer_4xx_or_success_never_500(
    api, make_case, field, value, param, text, action, action_field
):
    client = api("leader")
    created = client.post(f"{API}/cases/", intake_body(**{field: value}), format="json")
    assert created.status_code in (201, 400), created.content
    listed = client.get(f"{API}/cases/", {param: text})
    assert listed.status_code in (200, 400, 404), listed.content
    case = Case.objects.order_by("pk").first() or make_case()
    acted = client.post(f"{API}/cases/{case.pk}/transitions/", {"action": action, action_field: value},
                        format="json")
    assert acted.status_code in (200, 400, 409), acted.content


def test_a_null_character_is_refused_naming_the_field_in_both_languages(api: Any) -> None:
    response = api("desk").post("/api/v1/cases/", intake_body(employer_name="某公司\x00"), format="json")
    assert response.status_code == 400
    message = response.json()["employer_name"][0]
    assert "不能包含空字符" in message and "employer_name" in message

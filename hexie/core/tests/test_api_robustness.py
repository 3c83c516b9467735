"""Hostile input and faults answer clean 4xx/503s, never a 500: NUL characters, deep JSON, unknown
routes, huge ids, paging, and a lost database connection."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import yaml
from django.db import InterfaceError, OperationalError, connection, connections
from django.db.backends.utils import CursorWrapper
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hexie.core.parsers import MAX_DEPTH, SafeJSONParser, TooDeep
from hexie.orgs.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users: dict[str, User]) -> APIClient:
    client = APIClient(raise_request_exception=False)
    token, _ = Token.objects.get_or_create(user=users["admin"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def browser(users: dict[str, User]) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(users["admin"])
    return client


# --- NUL characters -------------------------------------------------------------------------

API_LISTS = ["/api/v1/cases/", "/api/v1/supervisions/", "/api/v1/registry/employers/",
             "/api/v1/registry/projects/", "/api/v1/registry/points/"]
PAGES = ["/cases/", "/registry/", "/registry/projects/", "/registry/points/", "/monitoring/", "/insights/", "/audit/"]


@pytest.mark.parametrize("url", API_LISTS)
def test_a_nul_in_an_api_query_parameter_is_a_400_naming_it(api: APIClient, url: str) -> None:
    response = api.get(url, {"q": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "不能包含空字符" in response.json()["q"][0]


@pytest.mark.parametrize("url", PAGES)
def test_a_nul_in_a_page_filter_is_a_400_page_naming_it(browser: Client, url: str) -> None:
    response = browser.get(url, {"q": "\x00"})
    assert response.status_code == 400
    assert "q不能包含空字符" in response.content.decode()


def test_a_nul_in_a_parameter_name_or_the_path_is_refused(api: APIClient, browser: Client) -> None:
    assert api.get("/api/v1/cases/", {"a\x00": "1"}).status_code == 400
    assert browser.get("/cases/%00/").status_code == 400


def test_a_nul_in_a_posted_form_field_is_refused(browser: Client) -> None:
    response = browser.post("/registry/employers/new/", {"name": "某公司", "org_unit": "4301\x0004"})
    assert response.status_code == 400
    assert "org_unit不能包含空字符" in response.content.decode()


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/v1/cases/", {"org_unit": "430104\x00001"}, "org_unit"),
    ("/api/v1/registry/projects/", {"org_unit": "\x00"}, "org_unit"),
    ("/api/v1/registry/points/", {"name": "某\x00点", "org_unit": "430104"}, "name"),
    ("/api/v1/registry/employers/", {"contacts": [{"name": "张\x00"}]}, "contacts.0.name"),
    ("/api/v1/cases/", {"a\x00": 1}, "a\\x00"),
])
def test_a_nul_anywhere_in_a_json_body_is_a_400_naming_the_field(
        api: APIClient, url: str, body: dict[str, Any], field: str) -> None:
    response = api.post(url, body, format="json")
    assert response.status_code == 400
    assert "不能包含空字符" in response.json()[field][0]


def test_a_nul_in_a_public_filing_is_refused(city: Any) -> None:
    response = APIClient(raise_request_exception=False).post(
        "/api/v1/public/complaints/", {"complainant_name": "张\x00三"}, format="json")
    assert response.status_code == 400
    assert "complainant_name" in response.json()


def test_text_without_nul_still_goes_through(api: APIClient) -> None:
    assert api.get("/api/v1/cases/", {"q": "张三"}).status_code == 200


def test_a_nul_in_the_public_complaint_form_is_a_400_page(city: Any) -> None:
    response = Client().post("/portal/file/", {"description": "欠薪\x00三个月"})
    assert response.status_code == 400
    assert "description不能包含空字符" in response.content.decode()


# --- deeply nested JSON ---------------------------------------------------------------------


@pytest.mark.parametrize("depth", [40, 100_000])
@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/registry/employers/", "/api/v1/public/complaints/"])
def test_deeply_nested_json_is_a_400(api: APIClient, url: str, depth: int) -> None:
    body = "[" * depth + "]" * depth
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "too_deep", "detail": "请求体嵌套层数超过32层"}


def test_json_nested_to_the_limit_is_read(api: APIClient) -> None:
    body = {"contacts": [[[[{"name": "张三"}]]]]}  # read, then refused by the serializer, not the parser
    response = api.post("/api/v1/registry/employers/", body, format="json")
    assert response.status_code == 400
    assert "code" not in response.json()


def test_the_depth_limit_is_32_levels_below_the_body() -> None:
    def parse(levels: int) -> Any:
        return SafeJSONParser().parse(io.BytesIO(("[" * (levels + 1) + "]" * (levels + 1)).encode()))

    assert parse(MAX_DEPTH) is not None
    with pytest.raises(TooDeep):
        parse(MAX_DEPTH + 1)


# --- every API error is JSON, paging and empty filters as the schema says -------------------


@pytest.fixture
def schema(api: APIClient) -> dict[str, Any]:
    return yaml.safe_load(api.get("/api/schema/").content)


@pytest.mark.parametrize("url", ["/api/v1/nothing/", "/api/v1/cases/abc/", "/api/", "/api/v1/monitoring/"])
def test_an_unknown_api_route_is_a_json_404(api: APIClient, url: str) -> None:
    response = api.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到"}


def test_an_unknown_page_is_still_an_html_404(browser: Client) -> None:
    response = browser.get("/nothing/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_every_id_in_every_api_path_beyond_int64_is_a_json_404(api: APIClient, schema: dict[str, Any]) -> None:
    checked = 0
    for path, operations in schema["paths"].items():
        if "{" not in path:
            continue
        url = re.sub(r"\{[^}]+\}", "9" * 30, path)
        for method in operations:
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            response = getattr(api, method)(url, {}, format="json")
            assert response.status_code == 404, (method, url, response.status_code)
            assert response.json() == {"detail": "未找到"}, (method, url)
            checked += 1
    assert checked >= 10


def test_a_page_past_the_end_is_a_400_naming_page_and_page_one_of_nothing_is_empty(api: APIClient) -> None:
    first = api.get("/api/v1/registry/points/", {"page": "1"})
    assert first.status_code == 200 and first.json()["results"] == []
    past = api.get("/api/v1/registry/points/", {"page": "2"})
    assert past.status_code == 400
    assert "超出范围，共1页" in past.json()["page"][0]
    assert api.get("/api/v1/registry/points/", {"page": "0"}).status_code == 400


def test_the_schema_documents_paging_and_empty_filters(schema: dict[str, Any]) -> None:
    listing = schema["paths"]["/api/v1/cases/"]["get"]
    page = next(p for p in listing["parameters"] if p["name"] == "page")
    assert "400" in page["description"]
    assert "400" in listing["responses"]


def test_an_empty_filter_value_means_no_filter_on_every_list(api: APIClient, schema: dict[str, Any]) -> None:
    """Each documented query parameter of each list, sent empty, means no filter (200), as the
    schema's description says."""
    checked = 0
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if "{" in path or not get or "/public/" in path:
            continue
        for param in get.get("parameters", []):
            if param["in"] != "query" or param["name"] in ("page", "format"):
                continue
            response = api.get(path, {param["name"]: ""})
            assert response.status_code == 200, (path, param["name"], response.content[:200])
            checked += 1
    assert checked >= 10
    assert "空的筛选值等于不筛选" in schema["info"]["description"]


# --- a lost database connection -------------------------------------------------------------


def _fail_once(monkeypatch: pytest.MonkeyPatch, error: type[Exception]) -> None:
    real = CursorWrapper.execute
    calls = {"n": 0}

    def execute(self: Any, sql: str, params: Any = None) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise error("server closed the connection unexpectedly")
        return real(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_lost_connection_is_a_json_503_with_retry_after_and_the_next_request_works(
        api: APIClient, monkeypatch: pytest.MonkeyPatch, error: type[Exception]) -> None:
    _fail_once(monkeypatch, error)
    response = api.get("/api/v1/registry/employers/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["code"] == "database_unavailable"
    assert api.get("/api/v1/registry/employers/").status_code == 200


def test_a_lost_connection_on_a_page_is_a_short_503_page(browser: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    _fail_once(monkeypatch, OperationalError)
    response = browser.get("/registry/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "数据库暂时不可用" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")
def test_a_terminated_postgresql_connection_costs_only_the_request_it_was_serving(users: dict[str, User]) -> None:
    client = APIClient(raise_request_exception=False)
    token, _ = Token.objects.get_or_create(user=users["admin"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/registry/employers/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    killer = connections["default"].__class__(connection.settings_dict, alias="killer")
    try:
        with killer.cursor() as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        killer.close()
    lost = client.get("/api/v1/registry/employers/")
    assert lost.status_code == 503 and lost["Retry-After"] == "5"
    assert client.get("/api/v1/registry/employers/").status_code == 200


@pytest.mark.django_db
def test_a_cookie_with_nul_is_ignored_not_a_500(client):
    # A forged session id holding NUL would reach PostgreSQL when the session or language is read.
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/api/v1/monitoring/rules/").status_code in (200, 401, 403)
    assert client.get("/accounts/login/").status_code == 200

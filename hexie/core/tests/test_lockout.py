"""Password guessing is stopped: repeated failed log-ins lock the account, and separately the
address, on the log-in page, the admin and the token endpoint; the lockout is audited and an
administrator can lift it."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from hexie.core.models import AuditEvent
from hexie.orgs.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LIMIT = 3
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def limit(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = LIMIT


def log_in(client: Client, username: str, password: str, ip: str = "198.51.100.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_right_password_is_refused_after_the_limit_of_wrong_ones(users: dict[str, Any]) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        assert log_in(client, "desk", "wrong").status_code == 200  # the form again, with its error
    # One below the limit the right password still works (and resets the count).
    assert log_in(client, "desk", PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT):
        log_in(client, "desk", "wrong")
    locked = log_in(client, "desk", PASSWORD)
    assert locked.status_code == 429 and "已被暂时锁定" in locked.content.decode()
    # From another address too: the account itself is locked.
    assert log_in(Client(), "desk", PASSWORD, ip="203.0.113.9").status_code == 429
    entries = list(AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT))  # one per refused try
    assert entries and all(e.object_repr == "desk" and e.org_unit_id == users["desk"].org_unit_id for e in entries)
    assert not any(PASSWORD in e.message or "wrong" in e.message for e in entries)


def test_one_address_guessing_many_accounts_is_locked(users: dict[str, Any]) -> None:
    client = Client()
    for name in ("desk", "handler", "leader"):
        log_in(client, name, "wrong", ip="192.0.2.66")
    assert log_in(client, "handler2", PASSWORD, ip="192.0.2.66").status_code == 429
    assert log_in(Client(), "handler2", PASSWORD, ip="192.0.2.67").status_code == 302


def test_the_token_endpoint_counts_and_locks_too(users: dict[str, Any]) -> None:
    api = APIClient()
    for _ in range(LIMIT):
        bad = api.post(TOKEN, {"username": "leader", "password": "wrong"}, format="json", REMOTE_ADDR="198.51.100.2")
        assert bad.status_code in (400, 429)
    locked = api.post(TOKEN, {"username": "leader", "password": PASSWORD}, format="json", REMOTE_ADDR="198.51.100.2")
    assert locked.status_code == 429
    assert "锁定" in locked.json()["detail"] and "token" not in locked.json()


def test_an_administrator_unlocks_the_account(users: dict[str, Any]) -> None:
    client = Client()
    for _ in range(LIMIT):
        log_in(client, "desk", "wrong")
    assert log_in(client, "desk", PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username="desk").delete()  # what the admin's delete action does
    assert log_in(client, "desk", PASSWORD).status_code == 302

"""Staff phones: encrypted at rest, masked in the admin, never sent back in clear; blank keeps them."""

from __future__ import annotations

from django.db import connection

from hexie.orgs.models import Role, User
from hexie.orgs.tests.factories import UserFactory
from hexie.orgs.tests.test_admin_scoping import admins  # noqa: F401 - the administrators of two districts

PHONE = "13912345678"


def _stored(user: User) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM orgs_user WHERE id = %s", [user.pk])
        return str(cur.fetchone()[0])


def test_a_staff_phone_is_stored_encrypted_and_reads_back(city):
    user = UserFactory(org_unit=city["yuelu"], phone=PHONE)
    assert PHONE not in _stored(user) and _stored(user).startswith("gAAAA")
    assert User.objects.get(pk=user.pk).phone == PHONE


def test_the_admin_shows_the_phone_masked_and_a_blank_answer_keeps_it(client, admins, city):  # noqa: F811
    clerk = admins["yuelu_clerk"]
    User.objects.filter(pk=clerk.pk).update(phone=PHONE)
    client.force_login(admins["yuelu_admin"])
    page = client.get(f"/admin/orgs/user/{clerk.pk}/change/").content.decode()
    assert PHONE not in page and "139****5678" in page
    data = {"username": clerk.username, "full_name": "窗口甲", "org_unit": str(city["yuelu"].pk),
            "role": Role.FRONT_DESK, "handler_kind": "", "agency": "", "phone": "", "is_active": "on",
            "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00",
            "first_name": "", "last_name": "", "email": ""}
    assert client.post(f"/admin/orgs/user/{clerk.pk}/change/", data).status_code == 302
    clerk.refresh_from_db()
    assert clerk.full_name == "窗口甲" and clerk.phone == PHONE
    assert client.post(f"/admin/orgs/user/{clerk.pk}/change/", {**data, "phone": "13700001111"}).status_code == 302
    clerk.refresh_from_db()
    assert clerk.phone == "13700001111"

"""A district administrator manages the staff and org units of their own district in the admin,
and nothing of another district; only a superuser grants superuser or reaches above."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.models import LogEntry

from hexie.orgs.models import OrgLevel, OrgUnit, Role, User
from hexie.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Hx-admin-2026!"


@pytest.fixture
def admins(city: dict[str, OrgUnit]) -> dict[str, User]:
    """An administrator in each district (neither superuser nor Django staff), and their staff."""
    made = {
        "yuelu_admin": UserFactory(username="yl_admin", role=Role.ADMIN, org_unit=city["yuelu"]),
        "furong_admin": UserFactory(username="fr_admin", role=Role.ADMIN, org_unit=city["furong"]),
        "yuelu_clerk": UserFactory(username="yl_clerk", role=Role.FRONT_DESK, org_unit=city["yuelu_street"]),
        "furong_clerk": UserFactory(username="fr_clerk", role=Role.FRONT_DESK, org_unit=city["furong"]),
        "yuelu_leader": UserFactory(username="yl_leader", role=Role.LEADER, org_unit=city["yuelu"]),
        "root": UserFactory(username="root", role=Role.ADMIN, org_unit=city["yuelu"], is_superuser=True,
                            is_staff=True),
    }
    for user in made.values():
        user.set_password(PASSWORD)
        user.save()
    return made


def login(client: Any, user: User) -> Any:
    client.force_login(user)
    return client


def new_staff(unit: OrgUnit, **extra: Any) -> dict[str, Any]:
    return {"username": "new_clerk", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD,
            "full_name": "新窗口", "org_unit": str(unit.pk), "role": Role.FRONT_DESK, "handler_kind": "",
            "agency": "", "phone": "", **extra}


def test_a_district_administrator_can_open_the_admin_and_a_leader_cannot(client, admins):
    assert login(client, admins["yuelu_admin"]).get("/admin/").status_code == 200
    html = client.get("/admin/").content.decode()
    assert "/admin/orgs/user/" in html and "/admin/orgs/orgunit/" in html
    assert "/admin/cases/case/" not in html and "/admin/core/auditevent/" not in html
    response = login(client, admins["yuelu_leader"]).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_district_administrator_logs_in_on_the_admin_page(client, admins):
    response = client.post("/admin/login/?next=/admin/", {"username": "yl_admin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post("/admin/login/?next=/admin/", {"username": "yl_leader", "password": PASSWORD})
    assert response.status_code == 200  # refused: not an administrator


def test_the_staff_list_holds_my_district_only_and_no_superuser(client, admins):
    html = login(client, admins["yuelu_admin"]).get("/admin/orgs/user/").content.decode()
    assert "yl_clerk" in html and "yl_leader" in html
    assert "fr_clerk" not in html and "fr_admin" not in html and "root" not in html


def test_another_district_s_staff_member_is_not_there(client, admins):
    login(client, admins["yuelu_admin"])
    for user in (admins["furong_clerk"], admins["root"]):
        response = client.get(f"/admin/orgs/user/{user.pk}/change/")
        assert response.status_code == 302 and response["Location"] == "/admin/"  # "does not exist"
    response = client.post(f"/admin/orgs/user/{admins['furong_clerk'].pk}/change/", {"full_name": "改名"})
    assert response.status_code == 302
    admins["furong_clerk"].refresh_from_db()
    assert admins["furong_clerk"].full_name != "改名"


def test_staff_are_created_in_my_district_and_the_change_is_logged(client, admins, city):
    login(client, admins["yuelu_admin"])
    response = client.post("/admin/orgs/user/add/", new_staff(city["yuelu_street"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="new_clerk")
    assert created.org_unit == city["yuelu_street"] and not created.is_superuser and not created.is_staff
    # The admin's log line, which hexie.core.audit copies into the audit log.
    assert LogEntry.objects.filter(user=admins["yuelu_admin"], object_id=str(created.pk)).exists()


@pytest.mark.parametrize("unit", ["furong", "furong_street", "city", None])
def test_staff_cannot_be_created_outside_or_above_my_district(client, admins, city, unit):
    login(client, admins["yuelu_admin"])
    data = new_staff(city[unit]) if unit else new_staff(city["yuelu"], org_unit="")
    response = client.post("/admin/orgs/user/add/", data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not User.objects.filter(username="new_clerk").exists()


def test_superuser_and_django_staff_cannot_be_granted(client, admins, city):
    login(client, admins["yuelu_admin"])
    clerk = admins["yuelu_clerk"]
    page = client.get(f"/admin/orgs/user/{clerk.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="is_active"' in page
    data = {"username": clerk.username, "full_name": "窗口甲", "org_unit": str(city["yuelu"].pk),
            "role": Role.ADMIN, "handler_kind": "", "agency": "", "phone": "", "is_active": "on",
            "is_superuser": "on", "is_staff": "on", "last_login_0": "", "last_login_1": "",
            "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00", "first_name": "", "last_name": "",
            "email": ""}
    response = client.post(f"/admin/orgs/user/{clerk.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    clerk.refresh_from_db()
    assert clerk.role == Role.ADMIN and clerk.full_name == "窗口甲"
    assert not clerk.is_superuser and not clerk.is_staff


def test_the_role_and_unit_choices_stop_at_my_jurisdiction(client, admins, city):
    page = login(client, admins["yuelu_admin"]).get("/admin/orgs/user/add/").content.decode()
    assert f'value="{city["yuelu_street"].pk}"' in page
    assert f'value="{city["furong"].pk}"' not in page and f'value="{city["city"].pk}"' not in page


def test_org_units_are_added_below_my_district_only(client, admins, city):
    login(client, admins["yuelu_admin"])
    html = client.get("/admin/orgs/orgunit/").content.decode()
    assert "望岳街道" in html and "文艺路街道" not in html
    ok = client.post("/admin/orgs/orgunit/add/", {"code": "430104002", "name": "岳麓街道", "level": OrgLevel.STREET,
                                                   "parent": str(city["yuelu"].pk)})
    assert ok.status_code == 302
    assert OrgUnit.objects.get(code="430104002").path == "430100/430104/430104002/"
    for parent, level in ((city["furong"], OrgLevel.STREET), (None, OrgLevel.CITY), (city["yuelu"], OrgLevel.CITY)):
        refused = client.post("/admin/orgs/orgunit/add/", {
            "code": "430104003", "name": "越权", "level": level, "parent": str(parent.pk) if parent else ""})
        assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert not OrgUnit.objects.filter(code="430104003").exists()


def test_my_own_unit_is_read_only_and_another_district_s_is_not_there(client, admins, city):
    login(client, admins["yuelu_admin"])
    response = client.post(f"/admin/orgs/orgunit/{city['yuelu'].pk}/change/", {"code": "430104", "name": "改名",
                                                                               "level": OrgLevel.DISTRICT})
    assert response.status_code == 403
    assert client.get(f"/admin/orgs/orgunit/{city['furong_street'].pk}/change/").status_code == 302
    street = client.post(f"/admin/orgs/orgunit/{city['yuelu_street'].pk}/change/",
                         {"name": "望岳街道办事处", "level": OrgLevel.STREET})
    assert street.status_code == 302
    city["yuelu_street"].refresh_from_db()
    assert city["yuelu_street"].name == "望岳街道办事处" and city["yuelu_street"].code == "430104001"


def test_the_other_district_administrator_sees_the_mirror_image(client, admins):
    html = login(client, admins["furong_admin"]).get("/admin/orgs/user/").content.decode()
    assert "fr_clerk" in html and "yl_clerk" not in html


def test_a_superuser_keeps_the_whole_admin(client, admins):
    html = login(client, admins["root"]).get("/admin/orgs/user/").content.decode()
    assert "fr_clerk" in html and "yl_clerk" in html
    page = client.get(f"/admin/orgs/user/{admins['yuelu_clerk'].pk}/change/").content.decode()
    assert 'name="is_superuser"' in page

"""Contact phones in the registry (employers, wage officers, monitoring points) are personal data:
encrypted at rest, masked on every page, API answer and admin screen."""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from hexie.core.pii import is_token
from hexie.employers import services
from hexie.employers.models import Employer, MonitoringPoint, Project
from hexie.orgs.models import User

API = "/api/v1/registry"
MOBILE, MOBILE_MASKED = "13700137000", "137****7000"
LANDLINE, LANDLINE_MASKED = "0731-88881234", "073****1234"  # the factory's employer phone
WAGE_OFFICER = "13912345678"


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cur.fetchone()[0])


@pytest.fixture
def phones(registry: dict[str, Any], users: Any) -> dict[str, Any]:
    data = replace(services.ProjectData.of(registry["project"]), wage_officer_phone=WAGE_OFFICER)
    services.update_project(actor=users["admin"], project_id=registry["project"].pk, data=data)
    point = services.create_monitoring_point(actor=users["desk"], employer_id=registry["sub"].pk,
                                             since=date(2025, 1, 1), contact_name="王芳", contact_phone=MOBILE)
    return {**registry, "point": point}


def test_contact_phones_are_encrypted_at_rest(phones):
    employer, project, point = phones["contractor"], phones["project"], phones["point"]
    assert LANDLINE not in raw("employers_employer", "contact_phone", employer.pk)
    assert WAGE_OFFICER not in raw("employers_project", "wage_officer_phone", project.pk)
    assert MOBILE not in raw("employers_monitoringpoint", "contact_phone", point.pk)
    # Read back in clear through the model, for the services that need it.
    assert Employer.objects.get(pk=employer.pk).contact_phone == LANDLINE
    assert Project.objects.get(pk=project.pk).wage_officer_phone == WAGE_OFFICER
    assert MonitoringPoint.objects.get(pk=point.pk).contact_phone == MOBILE


def test_migration_encrypts_the_clear_phones_already_stored(phones):
    employer, point = phones["contractor"], phones["point"]
    with connection.cursor() as cur:  # rows as they were before the migration
        cur.execute("UPDATE employers_employer SET contact_phone = %s WHERE id = %s", [LANDLINE, employer.pk])
        cur.execute("UPDATE employers_monitoringpoint SET contact_phone = %s WHERE id = %s", [MOBILE, point.pk])
    migration = importlib.import_module("hexie.employers.migrations.0002_encrypt_contact_phones")
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_existing(None, editor)
    token = raw("employers_employer", "contact_phone", employer.pk)
    assert is_token(token) and LANDLINE not in token
    assert is_token(raw("employers_monitoringpoint", "contact_phone", point.pk))
    migration.encrypt_existing(None, editor)  # run twice: tokens are not encrypted again
    assert raw("employers_employer", "contact_phone", employer.pk) == token
    assert Employer.objects.get(pk=employer.pk).contact_phone == LANDLINE
    migration.decrypt_existing(None, editor)  # unapplying gives the clear values back
    assert raw("employers_employer", "contact_phone", employer.pk) == LANDLINE


def test_pages_show_contact_phones_masked(client, phones, users):
    client.force_login(users["admin"])
    pages = {
        LANDLINE_MASKED: reverse("employers:detail", args=[phones["contractor"].pk]),
        "139****5678": reverse("employers:project", args=[phones["project"].pk]),
        MOBILE_MASKED: reverse("employers:point", args=[phones["point"].pk]),
    }
    for masked, url in pages.items():
        page = client.get(url).content.decode()
        assert masked in page, url
        assert LANDLINE not in page and WAGE_OFFICER not in page and MOBILE not in page, url


def test_api_answers_carry_contact_phones_masked(api, phones):
    client = api("admin")
    employer = client.get(f"{API}/employers/{phones['contractor'].pk}/").json()
    project = client.get(f"{API}/projects/{phones['project'].pk}/").json()
    point = client.get(f"{API}/points/{phones['point'].pk}/").json()
    assert employer["contact_phone_masked"] == LANDLINE_MASKED and "contact_phone" not in employer
    assert project["wage_officer_phone_masked"] == "139****5678" and "wage_officer_phone" not in project
    assert point["contact_phone_masked"] == MOBILE_MASKED and "contact_phone" not in point
    listed = client.get(f"{API}/employers/").content.decode()
    assert LANDLINE not in listed and LANDLINE_MASKED in listed


def test_admin_shows_contact_phones_masked(client, phones):
    client.force_login(User.objects.create_superuser("root", "root@bureau.example", "pw-hexie-123"))
    for model, obj, clear, masked in [("employer", phones["contractor"], LANDLINE, LANDLINE_MASKED),
                                      ("project", phones["project"], WAGE_OFFICER, "139****5678"),
                                      ("monitoringpoint", phones["point"], MOBILE, MOBILE_MASKED)]:
        page = client.get(reverse(f"admin:employers_{model}_change", args=[obj.pk])).content.decode()
        assert masked in page and clear not in page, model


def test_edit_pages_never_send_a_phone_or_account_back_in_clear_and_blank_keeps_it(client, phones, users):
    from dataclasses import replace as with_values

    project = Project.objects.get(pk=phones["project"].pk)
    data = with_values(services.ProjectData.of(project), special_account_number="6222020200112233",
                       special_account_bank="长沙银行")
    services.update_project(actor=users["admin"], project_id=project.pk, data=data)
    client.force_login(users["admin"])
    url = reverse("employers:project_edit", args=[project.pk])
    page = client.get(url).content.decode()
    assert WAGE_OFFICER not in page and "6222020200112233" not in page
    assert "139****5678" in page and "**** **** 2233" in page
    form = {"code": project.code, "name": "改名后的项目", "org_unit": project.org_unit_id, "status": project.status,
            "general_contractor": project.general_contractor_id, "contract_value": "1", "guarantee_deposit": "0",
            "special_account_bank": "长沙银行", "special_account_number": "", "wage_officer_phone": ""}
    assert client.post(url, form).status_code == 302
    project.refresh_from_db()
    assert project.name == "改名后的项目"
    assert project.wage_officer_phone == WAGE_OFFICER and project.special_account_number == "6222020200112233"
    employer = phones["contractor"]
    page = client.get(reverse("employers:employer_edit", args=[employer.pk])).content.decode()
    assert LANDLINE not in page and LANDLINE_MASKED in page


def test_the_api_sends_the_wage_special_account_masked(client, phones, users):
    from dataclasses import replace as with_values

    project = Project.objects.get(pk=phones["project"].pk)
    services.update_project(actor=users["admin"], project_id=project.pk, data=with_values(
        services.ProjectData.of(project), special_account_number="6222020200112233", special_account_bank="长沙银行"))
    client.force_login(users["admin"])
    body = client.get(f"{API}/projects/{project.pk}/").json()
    assert "6222020200112233" not in str(body) and body["special_account_number_masked"] == "**** **** 2233"

"""The registry stores identifiers typed in full-width (Chinese input methods) half-width: credit
codes, project codes, ID numbers, phones and special account numbers, from pages and the API."""

from __future__ import annotations

from dataclasses import replace

from django.urls import reverse

from hexie.core.pii import lookup_hash
from hexie.core.tests.factories import VALID_ID
from hexie.employers import services
from hexie.employers.models import Employer, Project, RosterEntry
from hexie.employers.tests.factories import credit_code

API = "/api/v1/registry"


def wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_api_stores_a_full_width_credit_code_half_width(api, city):
    code = credit_code()
    r = api("desk").post(f"{API}/employers/", {"credit_code": wide(code.lower()), "name": "湖南宏图物流有限公司",
                                               "org_unit": "430104001", "contact_phone": wide("13800138000")},
                         format="json")
    assert r.status_code == 201, r.json()
    employer = Employer.objects.get(pk=r.json()["id"])
    assert employer.credit_code == code and employer.contact_phone == "13800138000"


def test_project_account_number_and_code_are_stored_half_width(registry, users):
    data = replace(services.ProjectData.of(registry["project"]), code=wide("430104202600099"),
                   special_account_number=wide("6222 0202 0011 2233"), special_account_bank="长沙银行")
    services.update_project(actor=users["admin"], project_id=registry["project"].pk, data=data)
    project = Project.objects.get(pk=registry["project"].pk)
    assert project.special_account_number == "6222020200112233" and project.code == "430104202600099"


def test_roster_page_takes_a_full_width_id_number_and_refuses_an_unknown_area(client, registry, users):
    client.force_login(users["desk"])
    url = reverse("employers:register_worker", args=[registry["project"].pk])
    unknown_area = "99" + VALID_ID[2:]
    r = client.post(url, {"name": "张三", "id_number": unknown_area, "phone": "13800138000", "entry_date": "2026-07-01"})
    assert r.status_code == 400 and "省级行政区划代码" in r.content.decode()
    r = client.post(url, {"name": "张三", "id_number": wide(VALID_ID), "phone": wide("13800138000"),
                          "entry_date": "2026-07-01"})
    assert r.status_code == 302
    worker = RosterEntry.objects.get().worker
    assert worker.id_hash == lookup_hash(VALID_ID) and worker.id_number == VALID_ID
    assert worker.phone == "13800138000" and worker.id_last4 == VALID_ID[-4:]

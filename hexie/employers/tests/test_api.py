"""The registry API: create/update through the services, scope (404 outside, 403 for partners),
field-named bilingual 400s, masked identifiers."""

from __future__ import annotations

import pytest

from hexie.core.tests.factories import VALID_CREDIT_CODE, VALID_ID
from hexie.employers.models import Employer, MonitoringReport, Project, RosterEntry
from hexie.employers.tests.factories import credit_code

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"


def bilingual(text: str) -> bool:
    """In the default language, Chinese (the catalogue's English is for Accept-Language: en)."""
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def test_create_employer_with_bad_credit_code_names_the_field(api, city):
    r = api("desk").post(f"{API}/employers/", {"credit_code": VALID_CREDIT_CODE[:-1] + "E", "name": "某公司",
                                               "org_unit": "430104"}, format="json")
    assert r.status_code == 400
    assert "credit_code" in r.json() and bilingual(r.json()["credit_code"][0])
    r = api("desk").post(f"{API}/employers/", {"credit_code": VALID_CREDIT_CODE, "name": "某公司",
                                               "org_unit": "999999", "industri": "food"}, format="json")
    assert r.status_code == 400 and set(r.json()) == {"org_unit", "industri"}


def test_create_and_update_employer(api, city):
    r = api("desk").post(f"{API}/employers/", {"credit_code": VALID_CREDIT_CODE.lower(), "name": "湖南宏图物流有限公司",
                                               "org_unit": "430104001", "industry": "logistics"}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["credit_code"] == VALID_CREDIT_CODE and body["org_unit"]["code"] == "430104001"
    r = api("handler").patch(f"{API}/employers/{body['id']}/", {"legal_representative": "王伟"}, format="json")
    assert r.status_code == 200 and r.json()["legal_representative"] == "王伟"
    assert r.json()["industry"] == "logistics"  # untouched by PATCH
    r = api("handler").patch(f"{API}/employers/{body['id']}/", {"org_unit": "430102"}, format="json")
    assert r.status_code == 400 and "辖区" in r.json()["org_unit"][0]


def test_scope_404_and_partner_403(api, registry):
    furong = registry["furong"]
    assert api("desk").get(f"{API}/employers/{furong.pk}/").status_code == 404
    assert api("desk").patch(f"{API}/employers/{furong.pk}/", {"name": "x"}, format="json").status_code == 404
    listed = {e["id"] for e in api("desk").get(f"{API}/employers/").json()["results"]}
    assert furong.pk not in listed and registry["contractor"].pk in listed
    assert api("outsider").get(f"{API}/projects/{registry['project'].pk}/roster/").status_code == 404
    assert api("partner").get(f"{API}/employers/").json()["count"] == 0
    r = api("partner").post(f"{API}/employers/", {"credit_code": credit_code(), "name": "x", "org_unit": "430104"},
                            format="json")
    assert r.status_code == 403 and bilingual(r.json()["detail"])


def test_list_filters_are_strict(api, registry):
    assert api("city_leader").get(f"{API}/employers/", {"grade": "purple"}).status_code == 400
    assert "district" in api("city_leader").get(f"{API}/employers/", {"district": "000000"}).json()
    assert "colour" in api("city_leader").get(f"{API}/employers/", {"colour": "red"}).json()
    r = api("city_leader").get(f"{API}/employers/", {"q": registry["furong"].credit_code})
    assert [e["id"] for e in r.json()["results"]] == [registry["furong"].pk]
    r = api("city_leader").get(f"{API}/projects/", {"district": "430102"})
    assert [p["id"] for p in r.json()["results"]] == [registry["furong_project"].pk]


def test_employer_file(api, registry):
    r = api("desk").get(f"{API}/employers/{registry['contractor'].pk}/")
    body = r.json()
    assert [p["id"] for p in body["projects"]] == [registry["project"].pk]
    # Other apps' panels are part of the file: the open cases and the warnings (tested with them).
    assert body["open_cases"] == [] and body["warnings"] == [] and body["risk_grade"] == "green"


def test_project_create_update_and_file(api, registry):
    body = {"code": "430104202600555", "name": "麓谷产业园标准厂房工程", "org_unit": "430104",
            "general_contractor": registry["contractor"].credit_code,
            "subcontractors": [registry["sub"].credit_code], "contract_value": "80000000.00",
            "start_date": "2026-04-01", "planned_end_date": "2027-10-01"}
    r = api("desk").post(f"{API}/projects/", {**body, "planned_end_date": "2026-01-01", "contract_value": "-1"},
                         format="json")
    assert r.status_code == 400 and "contract_value" in r.json()
    r = api("desk").post(f"{API}/projects/", {**body, "planned_end_date": "2026-01-01"}, format="json")
    assert r.status_code == 400 and "planned_end_date" in r.json()
    r = api("desk").post(f"{API}/projects/", {**body, "general_contractor": "91430100MA4L16JQ9E"}, format="json")
    assert r.status_code == 400 and "general_contractor" in r.json()
    r = api("desk").post(f"{API}/projects/", body, format="json")
    assert r.status_code == 201, r.json()
    pid = r.json()["id"]
    assert [s["credit_code"] for s in r.json()["subcontractors"]] == [registry["sub"].credit_code]
    r = api("desk").patch(f"{API}/projects/{pid}/", {"has_notice_board": True, "subcontractors": []}, format="json")
    assert r.status_code == 200 and r.json()["has_notice_board"] is True and r.json()["subcontractors"] == []
    assert Project.objects.get(pk=pid).name == body["name"]
    r = api("desk").get(f"{API}/projects/{registry['project'].pk}/")
    assert r.json()["teams"][0]["name"] == "钢筋班组" and r.json()["workers_registered"] == 0


def test_teams_roster_and_exit(api, registry):
    p = registry["project"]
    r = api("desk").post(f"{API}/projects/{p.pk}/teams/", {"name": "木工班组", "employer": registry["furong"].credit_code},
                         format="json")
    assert r.status_code == 400 and "employer" in r.json()
    r = api("desk").post(f"{API}/projects/{p.pk}/teams/", {"name": "木工班组", "employer": registry["sub"].credit_code},
                         format="json")
    assert r.status_code == 201
    assert len(api("desk").get(f"{API}/projects/{p.pk}/teams/").json()) == 2
    worker = {"name": "张三", "id_number": VALID_ID, "phone": "13800138000", "entry_date": "2026-07-01",
              "team": registry["team"].pk}
    r = api("desk").post(f"{API}/projects/{p.pk}/roster/", {**worker, "id_number": "110101199003071234"}, format="json")
    assert r.status_code == 400 and "id_number" in r.json() and bilingual(r.json()["id_number"][0])
    r = api("desk").post(f"{API}/projects/{p.pk}/roster/", worker, format="json")
    assert r.status_code == 201
    text = r.content.decode()
    assert VALID_ID not in text and "13800138000" not in text
    assert r.json()["worker"]["id_number_masked"] == "110***********1233"
    r = api("desk").get(f"{API}/projects/{p.pk}/roster/", {"on_site": "true"})
    assert r.json()["count"] == 1 and VALID_ID not in r.content.decode()
    entry = RosterEntry.objects.get()
    url = f"{API}/projects/{p.pk}/roster/{entry.pk}/exit/"
    assert api("desk").post(url, {"exit_date": "2026-06-01"}, format="json").status_code == 400
    assert api("desk").post(url, {"exit_date": "2026-09-01"}, format="json").status_code == 200
    r = api("desk").post(url, {"exit_date": "2026-09-02"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "already_exited"
    # An entry of another project is not reachable through this one.
    assert api("admin").post(f"{API}/projects/{registry['furong_project'].pk}/roster/{entry.pk}/exit/",
                             {"exit_date": "2026-09-01"}, format="json").status_code == 404


def test_points_and_reports(api, registry):
    r = api("desk").post(f"{API}/points/", {"employer": registry["sub"].credit_code, "since": "2025-01-01"},
                         format="json")
    assert r.status_code == 201
    pid = r.json()["id"]
    url = f"{API}/points/{pid}/reports/"
    r = api("desk").post(url, {"month": 202613, "headcount": 5, "wages_paid": "100"}, format="json")
    assert r.status_code == 400 and "month" in r.json()
    r = api("desk").post(url, {"month": 202601, "headcount": -5, "wages_paid": "100"}, format="json")
    assert r.status_code == 400 and "headcount" in r.json()
    r = api("desk").post(url, {"month": 202601, "headcount": 5, "departures": 50, "wages_paid": "100"}, format="json")
    assert r.status_code == 400 and "departures" in r.json()
    r = api("desk").post(url, {"month": 202601, "headcount": 5, "wages_paid": "100"}, format="json")
    assert r.status_code == 201
    r = api("desk").post(url, {"month": 202601, "headcount": 6, "wages_paid": "100"}, format="json")
    assert r.status_code == 200 and MonitoringReport.objects.get().headcount == 6
    assert api("desk").get(f"{API}/points/{pid}/").json()["latest_month"] == 202601
    assert api("outsider").get(url).status_code == 404
    assert Employer.objects.count() == 3

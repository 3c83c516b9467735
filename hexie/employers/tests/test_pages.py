"""Staff pages: scope (a district sees only its rows; another district's row is 404), the employer
page's one screen, forms with bilingual field errors, masked identifiers on the roster."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hexie.core.tests.factories import VALID_CREDIT_CODE, VALID_ID
from hexie.employers.models import Employer, MonitoringReport, Project, RosterEntry

pytestmark = pytest.mark.django_db


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def test_list_is_scoped_and_outside_rows_are_404(client, registry, users):
    login(client, users["desk"])
    page = client.get(reverse("employers:list")).content.decode()
    assert registry["contractor"].name in page and registry["furong"].name not in page
    assert client.get(reverse("employers:detail", args=[registry["furong"].pk])).status_code == 404
    assert client.get(reverse("employers:project", args=[registry["furong_project"].pk])).status_code == 404
    assert client.get(reverse("employers:roster", args=[registry["furong_project"].pk])).status_code == 404
    assert client.get(reverse("employers:detail", args=[999999])).status_code == 404
    projects = client.get(reverse("employers:projects")).content.decode()
    assert registry["project"].name in projects and registry["furong_project"].name not in projects
    # The city leader sees both districts.
    login(client, users["city_leader"])
    page = client.get(reverse("employers:list")).content.decode()
    assert registry["contractor"].name in page and registry["furong"].name in page


def test_partner_sees_nothing(client, registry, users):
    login(client, users["partner"])
    assert registry["contractor"].name not in client.get(reverse("employers:list")).content.decode()
    assert client.get(reverse("employers:detail", args=[registry["contractor"].pk])).status_code == 404


def test_list_search_and_filters(client, registry, users):
    login(client, users["city_leader"])
    Employer.objects.filter(pk=registry["sub"].pk).update(risk_grade="red")
    url = reverse("employers:list")
    by_code = client.get(url, {"q": registry["furong"].credit_code}).content.decode()
    assert registry["furong"].name in by_code and registry["contractor"].name not in by_code
    red = client.get(url, {"grade": "red"}).content.decode()
    assert registry["sub"].name in red and registry["contractor"].name not in red and "risk-red" in red
    yuelu = client.get(url, {"district": "430104", "industry": "labour"}).content.decode()
    assert registry["sub"].name in yuelu and registry["furong"].name not in yuelu
    # A tampered filter value lists everything rather than failing.
    assert client.get(url, {"grade": "purple", "page": "x"}).status_code == 200


def test_employer_page_shows_projects_and_grade(client, registry, users):
    """One screen; what other apps add to it (open cases, warnings) is tested with those apps."""
    e = registry["contractor"]
    Employer.objects.filter(pk=e.pk).update(risk_grade="orange", graded_at=timezone.now(), risk_reasons=[
        {"source": "warning", "grade": "orange", "text": "8月劳务费未按月拨付至工资专户", "ref": 1}])
    login(client, users["desk"])
    page = client.get(reverse("employers:detail", args=[e.pk])).content.decode()
    assert registry["project"].name in page
    assert "risk-orange" in page and "8月劳务费未按月拨付至工资专户" in page
    # The subcontractor's page lists the project too (as subcontractor).
    sub_page = client.get(reverse("employers:detail", args=[registry["sub"].pk])).content.decode()
    assert registry["project"].name in sub_page and "分包" in sub_page


def test_employer_form_shows_bilingual_field_errors(client, city, users):
    login(client, users["desk"])
    url = reverse("employers:employer_create")
    assert client.get(url).status_code == 200
    r = client.post(url, {"credit_code": VALID_CREDIT_CODE[:-1] + "E", "name": "", "org_unit": city["yuelu"].pk,
                          "industry": "construction", "size": "small"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "校验位不正确" in body
    assert "请填写单位名称" in body
    r = client.post(url, {"credit_code": VALID_CREDIT_CODE, "name": "湖南湘麓建设工程有限公司",
                          "org_unit": city["furong"].pk, "industry": "construction", "size": "small"})
    assert r.status_code == 400 and "所选项无效" in r.content.decode()  # Furong is not offered to a Yuelu clerk
    r = client.post(url, {"credit_code": VALID_CREDIT_CODE, "name": "湖南湘麓建设工程有限公司",
                          "org_unit": city["yuelu"].pk, "industry": "construction", "size": "small"})
    e = Employer.objects.get(credit_code=VALID_CREDIT_CODE)
    assert r.status_code == 302 and r["Location"] == reverse("employers:detail", args=[e.pk])


def test_employer_edit(client, registry, users):
    login(client, users["desk"])
    e = registry["contractor"]
    url = reverse("employers:employer_edit", args=[e.pk])
    assert VALID_CREDIT_CODE in client.get(url).content.decode()
    data = {"credit_code": e.credit_code, "name": "新名称建设有限公司", "org_unit": e.org_unit_id,
            "industry": e.industry, "size": e.size, "contact_phone": "13800138000"}
    assert client.post(url, data).status_code == 302
    assert Employer.objects.get(pk=e.pk).name == "新名称建设有限公司"
    assert client.get(reverse("employers:employer_edit", args=[registry["furong"].pk])).status_code == 404


def test_project_create_with_subcontractors_and_edit(client, registry, city, users):
    login(client, users["desk"])
    url = reverse("employers:project_create")
    page = client.get(url).content.decode()
    assert 'name="subcontractors"' in page and "multiple" in page
    data = {"code": "430104202600777", "name": "洋湖人才公寓工程", "org_unit": city["yuelu"].pk, "status": "building",
            "general_contractor": registry["contractor"].pk, "subcontractors": [registry["sub"].pk],
            "contract_value": "50000000", "start_date": "2026-05-01", "planned_end_date": "2026-04-01",
            "guarantee_deposit": "1000000"}
    r = client.post(url, data)
    assert r.status_code == 400 and "计划竣工日期不能早于开工日期" in r.content.decode()
    data["planned_end_date"] = "2027-12-31"
    r = client.post(url, data)
    p = Project.objects.get(code="430104202600777")
    assert r.status_code == 302 and p.subcontractors.count() == 1
    edit = reverse("employers:project_edit", args=[p.pk])
    assert client.get(edit).status_code == 200
    data["subcontractors"] = [registry["sub"].pk]
    assert client.post(edit, data).status_code == 302
    assert list(p.subcontractors.all()) == [registry["sub"]]


def test_team_and_worker_registration_and_masked_roster(client, registry, users):
    login(client, users["desk"])
    p = registry["project"]
    r = client.post(reverse("employers:team_create", args=[p.pk]),
                    {"name": "木工班组", "employer": registry["sub"].pk, "leader_name": "李明"})
    assert r.status_code == 302
    url = reverse("employers:register_worker", args=[p.pk])
    r = client.post(url, {"name": "张三", "id_number": VALID_ID[:-1] + "4", "phone": "13800138000",
                          "entry_date": "2026-07-01"})
    assert r.status_code == 400 and "校验位" in r.content.decode()
    r = client.post(url, {"name": "张三", "id_number": VALID_ID, "phone": "13800138000", "entry_date": "2026-07-01",
                          "team": registry["team"].pk, "trade": "钢筋工"})
    assert r.status_code == 302
    for page_url in (reverse("employers:roster", args=[p.pk]), reverse("employers:project", args=[p.pk])):
        body = client.get(page_url).content.decode()
        assert "张三" in body and VALID_ID not in body and "13800138000" not in body
        assert "110***********1233" in body and "138****8000" in body
    assert "张三" in client.get(reverse("employers:roster", args=[p.pk]), {"q": "1233"}).content.decode()
    entry = RosterEntry.objects.get()
    r = client.post(reverse("employers:record_exit", args=[p.pk, entry.pk]), {"exit_date": "2026-09-15"})
    assert r.status_code == 302
    assert RosterEntry.objects.get().exit_date == date(2026, 9, 15)


def test_points_list_and_report_form(client, registry, users):
    food = registry["sub"]
    login(client, users["desk"])
    r = client.post(reverse("employers:point_create"), {"employer": food.pk, "since": "2025-01-01",
                                                       "contact_name": "王芳", "is_active": "on"})
    assert r.status_code == 302
    assert food.name in client.get(reverse("employers:points")).content.decode()
    point = food.monitoring_point
    url = reverse("employers:point", args=[point.pk])
    r = client.post(url, {"month": "2026-13", "headcount": "10", "hires": "0", "departures": "0", "wages_paid": "1"})
    assert r.status_code == 400 and "YYYYMM" in r.content.decode()
    r = client.post(url, {"month": "202608", "headcount": "10", "hires": "1", "departures": "20", "wages_paid": "50000"})
    assert r.status_code == 400 and "减少人数不能多于" in r.content.decode()
    r = client.post(url, {"month": "202608", "headcount": "10", "hires": "1", "departures": "2", "wages_paid": "50000"})
    assert r.status_code == 302 and MonitoringReport.objects.get().headcount == 10
    login(client, users["outsider"])
    assert client.get(url).status_code == 404


def test_admin_lists_workers_masked(client, registry, users):
    from hexie.employers.services import WorkerRegistration, register_worker
    from hexie.orgs.models import User

    register_worker(actor=users["desk"], project_id=registry["project"].pk, data=WorkerRegistration(
        name="张三", id_number=VALID_ID, phone="13800138000", entry_date=date(2026, 7, 1)))
    root = User.objects.create_superuser("root", "root@bureau.example", "pw-hexie-123")
    login(client, root)
    for model in ("worker", "rosterentry", "employer", "project", "workteam", "monitoringpoint", "monitoringreport"):
        r = client.get(f"/admin/employers/{model}/")
        assert r.status_code == 200, model
        assert VALID_ID not in r.content.decode()
    body = client.get("/admin/employers/worker/", {"q": VALID_ID}).content.decode()
    assert "张三" in body and "1233" in body and "13800138000" not in body
    worker = RosterEntry.objects.get().worker
    page = client.get(f"/admin/employers/worker/{worker.pk}/change/").content.decode()
    assert VALID_ID not in page and "13800138000" not in page
    # The registration's audit line shows in the admin's history.
    assert "2026-07-01" in client.get(f"/admin/employers/rosterentry/{RosterEntry.objects.get().pk}/history/").content.decode()

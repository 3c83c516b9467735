"""The reception-day pages: the schedule of the jurisdiction per unit (sortable, with each day's
figures and their totals), scheduling a day (leaders only), and registering visits on it — a new
complaint or a case on file, the receiving leader becoming its 包案领导; outside the jurisdiction
nothing is found or changed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from hexie.cases import services
from hexie.cases.models import Case, ReceptionDay, ReceptionVisit
from hexie.core import clock

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 3, 6, 9, tzinfo=TZ)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def day(users: Any, city: Any, calendar: Any) -> ReceptionDay:
    with clock.at(datetime(2026, 3, 2, 9, tzinfo=TZ)):
        return services.schedule_reception_day(actor=users["leader"], org_unit_id=city["yuelu"].pk,
                                               leader_id=users["leader"].pk, on=date(2026, 3, 6), place="区人社局接待大厅")


def new_visit(city: Any, **kw: Any) -> dict[str, Any]:
    return {"people": 3, "summary": "反映工地欠薪", "take": "new", "case_type": "wage_arrears",
            "complainant_name": "王五", "complainant_phone": "13800138001", "employer_name": "某建筑公司",
            "org_unit": city["yuelu_street"].pk, "workers_count": 3, "amount_claimed": "9000",
            "description": "三名工人被拖欠两个月工资", **kw}


def earlier_case(make_case: Any) -> Case:
    with clock.at(datetime(2026, 3, 3, 9, tzinfo=TZ)):
        return make_case("accepted", received_at=datetime(2026, 3, 3, 8, tzinfo=TZ))


def test_a_leader_schedules_a_day_and_it_is_listed_with_its_unit(users: Any, city: Any, calendar: Any) -> None:
    c = client_for(users["leader"])
    r = c.post("/reception/new/", {"org_unit": city["yuelu"].pk, "leader": users["leader"].pk, "on": "2026-03-13",
                                   "place": "区信访接待室", "topic": "欠薪专题"}, follow=True)
    assert "已安排接访日" in r.content.decode()
    day = ReceptionDay.objects.get()
    assert (day.on, day.place) == (date(2026, 3, 13), "区信访接待室")
    listing = c.get(f"/reception/?unit={city['yuelu'].code}")
    assert listing.status_code == 200 and [d.pk for d in listing.context["page"]] == [day.pk]


def test_scheduling_is_refused_to_non_leaders_and_bad_input_names_the_field(users: Any, city: Any,
                                                                             calendar: Any) -> None:
    r = client_for(users["desk"]).post("/reception/new/", {
        "org_unit": city["yuelu"].pk, "leader": users["leader"].pk, "on": "2026-03-13", "place": "接待室"}, follow=True)
    assert "只有领导可以安排接访日" in r.content.decode()
    r = client_for(users["leader"]).post("/reception/new/", {
        "org_unit": city["yuelu"].pk, "leader": users["leader"].pk, "on": "13/03", "place": "接待室"}, follow=True)
    assert "接访日期：" in r.content.decode()
    r = client_for(users["leader"]).post("/reception/new/", {
        "org_unit": city["furong"].pk, "leader": users["leader"].pk, "on": "2026-03-13", "place": "接待室"}, follow=True)
    assert "接访单位：" in r.content.decode()
    assert not ReceptionDay.objects.exists()
    assert "安排接访日" not in client_for(users["desk"]).get("/reception/").content.decode()


def test_visits_take_a_new_case_and_link_one_on_file_with_the_leader_responsible(
        day: ReceptionDay, users: Any, city: Any, make_case: Any) -> None:
    on_file = earlier_case(make_case)
    c = client_for(users["desk"])
    with clock.at(DAY):
        r = c.post(f"/reception/{day.pk}/visits/", new_visit(city), follow=True)
        assert "由接访领导包案" in r.content.decode()
        c.post(f"/reception/{day.pk}/visits/", {"people": 2, "take": "link", "case_number": on_file.number})
        c.post(f"/reception/{day.pk}/visits/", {"people": 5, "take": "none", "summary": "政策咨询"})
    taken = Case.objects.exclude(pk=on_file.pk).get(reception_visit__isnull=False)
    on_file.refresh_from_db()
    assert taken.responsible_leader == users["leader"] and on_file.responsible_leader == users["leader"]
    assert on_file.events.filter(kind="reception_taken").exists()
    page = c.get(f"/reception/{day.pk}/")
    assert (page.context["day"].people_n, page.context["day"].cases_n) == (10, 2)
    listing = c.get("/reception/")
    assert listing.context["totals"] == {"sessions": 1, "people": 10, "cases": 2, "resolved": 0}


def test_a_visit_with_missing_or_wrong_case_details_is_refused_naming_the_field(
        day: ReceptionDay, users: Any, city: Any, make_case: Any) -> None:
    c = client_for(users["desk"])
    with clock.at(DAY):
        r = c.post(f"/reception/{day.pk}/visits/", new_visit(city, complainant_name=""), follow=True)
        assert "投诉人姓名：登记新案件时必填" in r.content.decode()
        r = c.post(f"/reception/{day.pk}/visits/", {"people": 1, "take": "link", "case_number": "NOPE"}, follow=True)
        assert "案件NOPE不存在或不在辖区内" in r.content.decode()
        r = c.post(f"/reception/{day.pk}/visits/", {"people": 0, "take": "none"}, follow=True)
        assert "来访人数：" in r.content.decode()
        linked = earlier_case(make_case)
        c.post(f"/reception/{day.pk}/visits/", {"people": 1, "take": "link", "case_number": linked.number})
        r = c.post(f"/reception/{day.pk}/visits/", {"people": 1, "take": "link", "case_number": linked.number},
                   follow=True)
        assert "已登记在一次接访中" in r.content.decode()
    with clock.at(datetime(2026, 3, 9, 9, tzinfo=TZ)):
        r = c.post(f"/reception/{day.pk}/visits/", {"people": 1, "take": "none"}, follow=True)
        assert "只能登记当日来访" in r.content.decode()
    assert ReceptionVisit.objects.count() == 1


def test_the_schedule_sorts_and_a_bad_sort_or_unit_is_named(day: ReceptionDay, users: Any, city: Any) -> None:
    with clock.at(datetime(2026, 3, 2, 9, tzinfo=TZ)):
        later = services.schedule_reception_day(actor=users["leader"], org_unit_id=city["yuelu"].pk,
                                                leader_id=users["leader"].pk, on=date(2026, 3, 20), place="接待室")
    c = client_for(users["handler"])
    assert [d.pk for d in c.get("/reception/?sort=on").context["page"]] == [day.pk, later.pk]
    assert [d.pk for d in c.get("/reception/").context["page"]] == [later.pk, day.pk]
    r = c.get("/reception/?sort=mood")
    assert r.status_code == 400 and "排序“mood”无效" in r.content.decode()
    r = c.get(f"/reception/?unit={city['furong'].code}")
    assert r.status_code == 400 and "不存在或不在辖区内" in r.content.decode()
    assert "没有符合条件的接访日" in r.content.decode()


def test_another_district_finds_nothing_and_changes_nothing(day: ReceptionDay, users: Any) -> None:
    c = client_for(users["outsider"])
    assert c.get(f"/reception/{day.pk}/").status_code == 404
    with clock.at(DAY):
        assert c.post(f"/reception/{day.pk}/visits/", {"people": 1, "take": "none"}).status_code == 404
    assert list(c.get("/reception/").context["page"]) == []
    assert not ReceptionVisit.objects.exists()

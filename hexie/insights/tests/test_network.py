"""The mediation network's figures: success per body, station coverage, reception days — with their
definitions, inside the viewer's jurisdiction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hexie.cases import services
from hexie.core import clock
from hexie.insights.network import network_figures
from hexie.orgs.models import MediationBodyKind, OrgLevel
from hexie.orgs.tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(m: int, d: int, h: int = 10) -> datetime:
    return datetime(2026, m, d, h, tzinfo=TZ)


@pytest.fixture
def bodies(city: dict[str, Any]) -> dict[str, Any]:
    street = city["yuelu_street"]
    return {
        "chamber": OrgUnitFactory(code="430104001M1", name="商会调解委员会", level=OrgLevel.MEDIATION_BODY,
                                  parent=street, body_kind=MediationBodyKind.CHAMBER),
        "station": OrgUnitFactory(code="430104001S1", name="望岳劳动关系服务站", level=OrgLevel.STATION,
                                  parent=street),
    }


def routed(make_case: Any, users: Any, body: Any, conclusion: str | None) -> Any:
    with clock.at(at(3, 2)):
        case = make_case("in_handling", received_at=at(3, 2), case_type="labour_dispute", track="mediation")
    with clock.at(at(3, 3)):
        services.transition(case_id=case.pk, actor=users["handler"], name="route_to_body", body=body.pk)
    if conclusion == "arbitration":
        with clock.at(at(3, 18)):
            return services.transition(case_id=case.pk, actor=users["handler"], name="to_arbitration",
                                       ground="expired")
    if conclusion:
        with clock.at(at(3, 10)):
            return services.transition(case_id=case.pk, actor=users["handler"], name="resolve",
                                       conclusion=conclusion, amount_recovered="100", workers_benefited=1)
    return case


def test_success_per_body_and_station_coverage(calendar: Any, make_case: Any, users: Any, bodies: Any,
                                              client: Any) -> None:
    routed(make_case, users, bodies["chamber"], "mediated")
    routed(make_case, users, bodies["chamber"], "withdrawn")
    routed(make_case, users, bodies["chamber"], "arbitration")  # left the body: not resolved there
    routed(make_case, users, bodies["station"], None)
    f = network_figures(users["leader"], date(2026, 3, 1), date(2026, 3, 31))
    rows = {r["name"]: r for r in f["bodies"]}
    assert (rows["商会调解委员会"]["routed"], rows["商会调解委员会"]["resolved"], rows["商会调解委员会"]["mediated"]) == (3, 2, 1)
    assert rows["商会调解委员会"]["success_rate"] == 50.0 and rows["望岳劳动关系服务站"]["success_rate"] is None
    # Yuelu has one street and it has a station.
    assert f["coverage"] == {"streets": 1, "covered": 1, "stations": 1, "rate": 100.0}
    # The city leader sees Furong's street too, which has none.
    assert network_figures(users["city_leader"], date(2026, 3, 1), date(2026, 3, 31))["coverage"]["rate"] == 50.0
    # Another district sees neither the bodies nor their cases.
    assert network_figures(users["outside_leader"], date(2026, 3, 1), date(2026, 3, 31))["bodies"] == []
    client.force_login(users["leader"])
    page = client.get("/insights/network/", {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()
    assert "商会调解委员会" in page and "50.0%" in page and "至少设有一个劳动关系服务站" in page


def test_reception_figures(calendar: Any, users: Any, city: Any, intake: Any) -> None:
    with clock.at(at(3, 5, 8)):
        day = services.schedule_reception_day(actor=users["leader"], org_unit_id=city["yuelu"].pk,
                                              leader_id=users["leader"].pk, on=date(2026, 3, 6), place="接待大厅")
    with clock.at(at(3, 6, 9)):
        visit = services.register_reception_visit(actor=users["desk"], day_id=day.pk, people=3,
                                                  complaint=intake(received_at=at(3, 6, 9)))
        services.register_reception_visit(actor=users["desk"], day_id=day.pk, people=2)
    f = network_figures(users["leader"], date(2026, 3, 1), date(2026, 3, 31))["reception"]
    assert f == {"sessions": 1, "people": 5, "cases": 1, "resolved": 0}
    assert visit.case.responsible_leader == users["leader"]
    assert network_figures(users["outside_leader"], date(2026, 3, 1), date(2026, 3, 31))["reception"]["sessions"] == 0


def test_the_bulletin_prints_the_reception_figures(calendar: Any, users: Any, city: Any, intake: Any) -> None:
    from hexie.insights.bulletins import build_bulletin_data, summary
    from hexie.insights.models import PeriodKind
    from hexie.insights.periods import period_containing

    with clock.at(at(3, 5, 8)):
        day = services.schedule_reception_day(actor=users["leader"], org_unit_id=city["yuelu"].pk,
                                              leader_id=users["leader"].pk, on=date(2026, 3, 6), place="接待大厅")
    with clock.at(at(3, 6, 9)):
        services.register_reception_visit(actor=users["desk"], day_id=day.pk, people=4,
                                          complaint=intake(received_at=at(3, 6, 9)))
    period = period_containing(PeriodKind.MONTHLY, date(2026, 3, 6))
    data = build_bulletin_data(period=period, unit=city["city"], today=date(2026, 4, 2))
    assert data["reception"] == {"sessions": 1, "people": 4, "cases": 1, "resolved": 0}
    assert "领导接访1场次，接待群众4人，接访受理案件1件、已办结0件" in summary(city["city"], period, data)
    furong = build_bulletin_data(period=period, unit=city["furong"], today=date(2026, 4, 2))
    assert furong["reception"]["sessions"] == 0 and "领导接访" not in summary(city["furong"], period, furong)

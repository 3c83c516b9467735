"""The mediation network: cases routed to a mediation body or service station and answered there by
its coordinators, who see nothing else; leaders' reception days and the cases their leaders take."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from hexie.cases import services
from hexie.cases.models import Case
from hexie.core import clock
from hexie.orgs.models import MediationBodyKind, OrgLevel, Role
from hexie.orgs.scoping import restrict
from hexie.orgs.tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(m, d, h=10):
    return datetime(2026, m, d, h, tzinfo=TZ)


@pytest.fixture
def network(city):
    street = city["yuelu_street"]
    body = OrgUnitFactory(code="430104001M1", name="望岳街道商会调解委员会", level=OrgLevel.MEDIATION_BODY,
                          parent=street, body_kind=MediationBodyKind.CHAMBER, area="望岳街道辖区商会会员企业")
    station = OrgUnitFactory(code="430104001S1", name="望岳街道劳动关系服务站", level=OrgLevel.STATION,
                             parent=street, area="望岳街道")
    other = OrgUnitFactory(code="430102001M1", name="文艺路街道调解委员会", level=OrgLevel.MEDIATION_BODY,
                           parent=city["furong_street"], body_kind=MediationBodyKind.TOWNSHIP)
    coordinator = UserFactory(username="coord", role=Role.COORDINATOR, org_unit=station)
    return {"body": body, "station": station, "other": other, "coordinator": coordinator}


def in_mediation(make_case, users):
    with clock.at(at(3, 2)):
        return make_case("in_handling", received_at=at(3, 2), case_type="labour_dispute", track="mediation")


def test_a_case_routed_to_a_station_is_seen_and_answered_there(calendar, make_case, users, network):
    case = in_mediation(make_case, users)
    unrouted = in_mediation(make_case, users)
    coordinator = network["coordinator"]
    assert not restrict(Case.objects.all(), coordinator).exists()
    with clock.at(at(3, 3)):
        case = services.transition(case_id=case.pk, actor=users["handler"], name="route_to_body",
                                   body=network["station"].pk)
    assert case.mediation_body == network["station"]
    assert list(restrict(Case.objects.all(), coordinator)) == [case]
    with pytest.raises(Http404):
        services.transition(case_id=unrouted.pk, actor=coordinator, name="resolve", conclusion="mediated")
    with clock.at(at(3, 10)):
        done = services.transition(case_id=case.pk, actor=coordinator, name="resolve", conclusion="mediated",
                                   amount_recovered="5000", workers_benefited=1)
    assert done.status == "resolved" and done.events.get(kind="route_to_body").data["body"] == "望岳街道劳动关系服务站"


def test_a_body_outside_the_cases_district_is_refused(calendar, make_case, users, network):
    case = in_mediation(make_case, users)
    with pytest.raises(ValidationError) as exc, clock.at(at(3, 3)):
        services.transition(case_id=case.pk, actor=users["handler"], name="route_to_body", body=network["other"].pk)
    assert "body" in exc.value.message_dict
    with pytest.raises(ValidationError), clock.at(at(3, 3)):
        services.transition(case_id=case.pk, actor=users["handler"], name="route_to_body",
                            body=network["body"].parent_id)  # a street is not a mediation body


def test_a_coordinator_cannot_route_nor_see_the_registry(calendar, make_case, users, network):
    from hexie.employers.models import Employer

    assert not restrict(Employer.objects.all(), network["coordinator"]).exists()
    case = in_mediation(make_case, users)
    with clock.at(at(3, 3)):
        services.transition(case_id=case.pk, actor=users["handler"], name="route_to_body", body=network["station"].pk)
    from hexie.core.errors import NotPermitted

    with pytest.raises(NotPermitted), clock.at(at(3, 4)):
        services.transition(case_id=case.pk, actor=network["coordinator"], name="route_to_body",
                            body=network["body"].pk)


def test_a_reception_day_visit_makes_the_leader_responsible_for_the_case(calendar, users, city, intake):
    with clock.at(at(3, 5, 8)):
        day = services.schedule_reception_day(actor=users["leader"], org_unit_id=city["yuelu"].pk,
                                              leader_id=users["leader"].pk, on=date(2026, 3, 6), place="区信访接待大厅")
    with clock.at(at(3, 6, 9)):
        visit = services.register_reception_visit(actor=users["desk"], day_id=day.pk, people=12,
                                                  complaint=intake(channel="visit", workers_count=12, received_at=at(3, 6, 9)))
        services.register_reception_visit(actor=users["desk"], day_id=day.pk, people=2, summary="政策咨询，当场答复")
    case = visit.case
    assert case.responsible_leader == users["leader"] and case.events.filter(kind="reception_taken").exists()
    assert day.visits.count() == 2
    with pytest.raises(ValidationError), clock.at(at(3, 7, 9)):
        services.register_reception_visit(actor=users["desk"], day_id=day.pk, people=1)
    with pytest.raises(Http404), clock.at(at(3, 6, 9)):
        services.register_reception_visit(actor=users["outsider"], day_id=day.pk, people=1)


def test_only_a_leader_schedules_and_only_a_leader_receives(users, city):
    from hexie.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.schedule_reception_day(actor=users["desk"], org_unit_id=city["yuelu"].pk,
                                        leader_id=users["leader"].pk, on=date(2026, 3, 6), place="大厅")
    with pytest.raises(ValidationError) as exc:
        services.schedule_reception_day(actor=users["leader"], org_unit_id=city["yuelu"].pk,
                                        leader_id=users["handler"].pk, on=date(2026, 3, 6), place="大厅")
    assert "leader" in exc.value.message_dict

"""The one scoping module: who sees which rows, for every model and every role.

Models of the apps above orgs are reached through the app registry (``apps.get_model``), not
imported: the scoping module knows them by label only, and so do its tests.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils import timezone

from hexie.orgs import scoping
from hexie.orgs.models import OrgLevel, OrgUnit, Role, User
from hexie.orgs.scoping import CHANGE, INTERNAL, RULES, VIEW, may, restrict


def model(label: str) -> type[Model]:
    return apps.get_model(label)


def test_every_model_of_hexie_has_a_rule_or_a_reason_to_have_none():
    labels = {m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("hexie.")}
    assert labels == set(RULES) | set(INTERNAL)
    assert not set(RULES) & set(INTERNAL)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(RULES))
def test_every_rule_names_lookups_the_model_has(label, users):
    # Building and running the query proves each lookup exists (a typo would raise FieldError).
    for who in ("leader", "partner"):
        for action in (VIEW, CHANGE):
            list(restrict(model(label).objects.all(), users[who], action)[:1])


def test_a_model_without_a_rule_cannot_be_restricted(db):
    with pytest.raises(ImproperlyConfigured, match="workcal.calendaryear"):
        restrict(model("workcal.calendaryear").objects.all(), None)


@pytest.fixture
def unitless_admin(db: Any) -> User:
    return User.objects.create_user(username="lone_admin", password="pw-hexie-123", role=Role.ADMIN)


@pytest.fixture
def root(db: Any) -> User:
    return User.objects.create_superuser("root", "root@bureau.example", "pw-root-123")


@pytest.fixture
def cases(make_case: Any, users: dict[str, User], city: dict[str, OrgUnit], agency: Any) -> dict[str, Any]:
    """A case in each district, one of them referred to the partner's agency."""
    yuelu = make_case("in_handling")
    model("cases.referral").objects.create(case=yuelu, agency=agency, referred_at=timezone.now())
    furong = make_case(actor=users["outside_leader"], org_unit_id=city["furong_street"].pk,
                       complainant_phone="13900000072", complainant_id_number="")
    return {"yuelu": yuelu, "furong": furong}


CASE_MATRIX = [
    ("city_leader", {"yuelu", "furong"}), ("leader", {"yuelu"}), ("desk", {"yuelu"}), ("handler", {"yuelu"}),
    ("admin", {"yuelu", "furong"}), ("outsider", {"furong"}), ("outside_leader", {"furong"}),
    ("partner", {"yuelu"}),
]


@pytest.mark.parametrize(("who", "sees"), CASE_MATRIX)
def test_cases_by_role_and_unit(cases, users, who, sees):
    Case = model("cases.case")
    visible = set(restrict(Case.objects.all(), users[who]).values_list("pk", flat=True))
    assert visible == {cases[name].pk for name in sees}
    # Opening one case by its key answers the same, through the joined form of the query.
    for name, case in cases.items():
        assert restrict(Case.objects.filter(pk=case.pk), users[who], single=True).exists() is (name in sees)


@pytest.mark.parametrize("label", ["cases.deadline", "cases.timelineevent", "insights.casedocument"])
def test_a_case_file_follows_its_case(cases, users, label):
    rows = model(label).objects.all()
    for who, sees in CASE_MATRIX:
        case_ids = set(restrict(rows, users[who]).values_list("case_id", flat=True))
        assert case_ids <= {cases[name].pk for name in sees}


def test_nobody_and_everybody(cases, users, root, unitless_admin):
    Case = model("cases.case")
    assert restrict(Case.objects.all(), AnonymousUser()).count() == 0
    assert restrict(Case.objects.all(), None).count() == 0
    assert restrict(Case.objects.all(), root).count() == 2
    # An administrator without a unit has no jurisdiction: no cases, no units, no registry.
    for label in ("cases.case", "orgs.orgunit", "orgs.user", "employers.employer", "insights.bulletin",
                  "monitoring.monitorrun", "cases.deadlinerule"):
        assert restrict(model(label).objects.all(), unitless_admin).count() == 0, label
    users["leader"].is_active = False
    assert restrict(Case.objects.all(), users["leader"]).count() == 0


def test_org_units_and_staff(city, users, unitless_admin):
    assert set(restrict(OrgUnit.objects.all(), users["leader"]).values_list("code", flat=True)) == {
        "430104", "430104001"}
    assert restrict(OrgUnit.objects.all(), users["city_leader"]).count() == OrgUnit.objects.count()
    assert restrict(OrgUnit.objects.all(), users["partner"]).count() == 0
    yuelu_staff = set(restrict(User.objects.all(), users["leader"]).values_list("username", flat=True))
    assert yuelu_staff == {"desk", "handler", "handler2", "leader"}
    assert restrict(User.objects.all(), users["partner"]).count() == 0


def test_partners_see_nothing_of_the_registry_or_monitoring(cases, users):
    for label in ("employers.employer", "employers.project", "monitoring.warning", "monitoring.importbatch",
                  "insights.bulletin", "core.auditevent"):
        assert restrict(model(label).objects.all(), users["partner"]).count() == 0, label
        assert may(users["partner"], model(label)) is False


def test_change_is_narrower_than_view(users, city):
    Employer, Warning, Bulletin = model("employers.employer"), model("monitoring.warning"), model("insights.bulletin")
    assert may(users["desk"], Employer, CHANGE) and may(users["desk"], Employer, VIEW)
    assert not may(users["leader"], Warning, CHANGE)  # warnings change only through the monitoring job
    assert may(users["leader"], Bulletin, CHANGE) and not may(users["desk"], Bulletin, CHANGE)
    assert restrict(Warning.objects.all(), users["city_leader"], CHANGE).query.is_empty()


def test_a_bulletin_is_read_below_the_unit_it_was_issued_for(city, users):
    Bulletin = model("insights.bulletin")
    for unit in (city["city"], city["yuelu"], city["furong"]):
        Bulletin.objects.create(kind="monthly", period_start="2026-10-01", period_end="2026-10-31", org_unit=unit,
                                title=f"{unit.name}通报", docx="b.docx", generated_at=timezone.now())
    codes = set(restrict(Bulletin.objects.all(), users["leader"]).values_list("org_unit__code", flat=True))
    assert codes == {"430100", "430104"}
    assert restrict(Bulletin.objects.all(), users["city_leader"]).count() == 3


def test_units_under_and_around(city, users, unitless_admin):
    assert set(scoping.units_under(city["yuelu"]).values_list("code", flat=True)) == {"430104", "430104001"}
    assert scoping.parent_codes(city["yuelu_street"]) == ["430100", "430104"]
    assert scoping.in_jurisdiction(users["leader"], city["yuelu_street"])
    assert not scoping.in_jurisdiction(users["leader"], city["furong"])
    assert not scoping.in_jurisdiction(unitless_admin, city["yuelu"])
    assert scoping.jurisdiction_unit_ids(users["partner"]) == []
    assert sorted(scoping.jurisdiction_unit_ids(users["outsider"]) or []) == sorted(
        [city["furong"].pk, city["furong_street"].pk])
    assert OrgUnit.objects.filter(scoping.under(city["city"], "parent")).count() == 4
    assert city["yuelu"].level == OrgLevel.DISTRICT


def test_role_sets(users):
    assert scoping.has_role(users["leader"], scoping.LEADERS)
    assert not scoping.has_role(users["desk"], scoping.LEADERS)
    assert scoping.has_role(users["handler"], scoping.HANDLERS) and scoping.has_role(users["leader"], scoping.HANDLERS)
    assert not scoping.has_role(users["partner"], scoping.BUREAU_STAFF)
    assert scoping.EVERYONE == scoping.BUREAU_STAFF | scoping.PARTNERS | scoping.COORDINATORS
    assert not scoping.COORDINATORS & scoping.BUREAU_STAFF  # a coordinator reaches only routed cases

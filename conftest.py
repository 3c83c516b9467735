"""Shared fixtures: a small city, one user per role, and cases walked through the real services.

The rows come from each app's ``tests/factories.py``; these fixtures put together the scene most
tests share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from hexie.orgs.models import AgencyKind, HandlerKind, OrgLevel, OrgUnit, PartnerAgency, Role, User
from hexie.orgs.tests.factories import OrgUnitFactory, PartnerAgencyFactory, UserFactory


def pytest_sessionstart(session: Any) -> None:
    """Compile the English catalogue when its .po is newer than the .mo (the .mo is not committed)."""
    from hexie.core.catalogue import compile_catalogues

    compile_catalogues(only_if_stale=True)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test has its own data lake: imports refuse rows already in the lake.
    settings.LAKE_DIR = tmp_path / "lake"


@pytest.fixture
def city(db: Any) -> dict[str, OrgUnit]:
    """Changsha (430100) with two districts and a street in each."""
    cs = OrgUnitFactory(code="430100", name="长沙市", level=OrgLevel.CITY)
    yl = OrgUnitFactory(code="430104", name="岳麓区", parent=cs)
    fr = OrgUnitFactory(code="430102", name="芙蓉区", parent=cs)
    yl_st = OrgUnitFactory(code="430104001", name="望岳街道", level=OrgLevel.STREET, parent=yl)
    fr_st = OrgUnitFactory(code="430102001", name="文艺路街道", level=OrgLevel.STREET, parent=fr)
    return {"city": cs, "yuelu": yl, "furong": fr, "yuelu_street": yl_st, "furong_street": fr_st}


def _user(username: str, role: str, unit: OrgUnit | None, **extra: Any) -> User:
    return UserFactory(username=username, role=role, org_unit=unit, **extra)


@pytest.fixture
def agency(city: dict[str, OrgUnit]) -> PartnerAgency:
    return PartnerAgencyFactory(name="岳麓区人民法院", kind=AgencyKind.COURT, org_unit=city["yuelu"])


@pytest.fixture
def other_agency(city: dict[str, OrgUnit]) -> PartnerAgency:
    return PartnerAgencyFactory(name="岳麓区总工会", kind=AgencyKind.UNION, org_unit=city["yuelu"])


@pytest.fixture
def users(city: dict[str, OrgUnit], agency: PartnerAgency) -> dict[str, User]:
    """Role-named staff: the city leader sees all; Yuelu staff see Yuelu; Furong staff see Furong."""
    return {
        "city_leader": _user("city_leader", Role.LEADER, city["city"]),
        "desk": _user("desk", Role.FRONT_DESK, city["yuelu"]),
        "handler": _user("handler", Role.HANDLER, city["yuelu"], handler_kind=HandlerKind.INSPECTOR),
        "handler2": _user("handler2", Role.HANDLER, city["yuelu"], handler_kind=HandlerKind.MEDIATOR),
        "leader": _user("leader", Role.LEADER, city["yuelu"]),
        "outsider": _user("outsider", Role.HANDLER, city["furong"], handler_kind=HandlerKind.INSPECTOR),
        "outside_leader": _user("outside_leader", Role.LEADER, city["furong"]),
        "partner": _user("partner", Role.PARTNER, None, agency=agency),
        "admin": _user("admin", Role.ADMIN, city["city"]),
    }


@pytest.fixture
def intake(city: dict[str, OrgUnit]) -> Callable[..., Any]:
    """Build IntakeData with sensible defaults (work done in Yuelu); override any field by keyword."""
    from hexie.cases.tests.factories import IntakeDataFactory

    def build(**overrides: Any) -> Any:
        return IntakeDataFactory(**{"org_unit_id": city["yuelu_street"].pk, **overrides})

    return build


@pytest.fixture
def make_case(intake: Callable[..., Any], users: dict[str, User]) -> Callable[..., Any]:
    """Register a case through the real service, optionally walking it to a later state."""
    from hexie.cases import services

    def make(state: str = "registered", actor: User | None = None, track: str = "inspection",
             received_at: datetime | None = None, **overrides: Any) -> Any:
        desk = actor or users["desk"]
        if received_at is not None:
            overrides["received_at"] = received_at
        case = services.register_case(data=intake(**overrides), actor=desk)
        # The track is chosen at acceptance, where its handling clock starts (rules.md §2).
        steps: list[tuple[str, User, dict[str, Any]]] = [
            ("accept", desk, {"track": track}),
            ("assign", users["leader"], {"handler": users["handler"].pk, "responsible_leader": users["leader"].pk}),
            ("start_handling", users["handler"], {}),
            ("resolve", users["handler"], {"conclusion": "paid_in_full", "amount_recovered": Decimal("8000"),
                                          "workers_benefited": 1}),
            ("start_follow_up", desk, {}),
            ("close", desk, {"satisfaction": 5}),
        ]
        target = {"registered": 0, "accepted": 1, "assigned": 2, "in_handling": 3, "resolved": 4,
                  "follow_up": 5, "closed": 6}[state]
        for name, who, params in steps[:target]:
            case = services.transition(case_id=case.pk, actor=who, name=name, **params)
        return case

    return make


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Any:
    """The calendar is cached per process; a rolled-back test must not leave its calendar behind."""
    from hexie.workcal.selectors import invalidate_calendar

    invalidate_calendar()
    yield
    invalidate_calendar()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Django's cache (the dashboard's figures) lives in the process; a rolled-back test must not
    leave figures of its rows behind for the next one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_rules() -> Any:
    """The deadline and triage rules are cached per process too; a rolled-back test must not leave them behind."""
    from hexie.cases.rulecache import invalidate_rules

    invalidate_rules()
    yield
    invalidate_rules()


@pytest.fixture
def calendar(db: Any) -> None:
    """The official calendar 2004–2026, as `make run` seeds it."""
    from hexie.workcal.services import seed_from_chinesecalendar

    seed_from_chinesecalendar()

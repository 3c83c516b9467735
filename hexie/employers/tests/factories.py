"""Test data for the registry: rows straight into the database (``EmployerFactory``…) for tests of
what reads them, and the services' input records (``EmployerDataFactory``…) for tests that go
through the services. Identifiers are drawn from a seeded generator, so they pass validation and
repeat from run to run."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from hexie.core.identifiers import make_credit_code, make_id_number
from hexie.core.pii import lookup_hash
from hexie.employers import services
from hexie.employers.models import Employer, Industry, Project, RosterEntry, Worker, WorkTeam

_rng = random.Random("registry-tests")  # noqa: S311 - test identifiers, not secrets


def credit_code(division: str = "430104") -> str:
    """A fresh valid unified social credit code."""
    return make_credit_code(_rng, division)


def id_number() -> str:
    """A fresh valid resident ID number."""
    return make_id_number(_rng, True)


# --- rows -----------------------------------------------------------------------------------


class EmployerFactory(DjangoModelFactory):
    """An employer; pass ``org_unit``."""

    class Meta:
        model = Employer

    credit_code = factory.LazyAttribute(lambda o: credit_code(o.org_unit.code[:6]))
    name = factory.Sequence(lambda n: f"长沙第{n + 1}建筑劳务有限公司")
    industry = Industry.CONSTRUCTION


class ProjectFactory(DjangoModelFactory):
    """A construction project; pass ``org_unit`` (the contractor is registered in the same unit) and,
    if any, ``subcontractors=[…]``."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"430104{2027_00001 + n}")
    name = factory.Sequence(lambda n: f"梅溪湖安置房项目{n + 1}标段")
    general_contractor = factory.SubFactory(EmployerFactory, org_unit=factory.SelfAttribute("..org_unit"))

    @factory.post_generation
    def subcontractors(self, create: bool, extracted: list[Employer] | None, **kwargs: object) -> None:
        if create and extracted:
            self.subcontractors.set(extracted)  # type: ignore[attr-defined]


class WorkTeamFactory(DjangoModelFactory):
    class Meta:
        model = WorkTeam

    name = factory.Sequence(lambda n: f"钢筋{n + 1}班组")
    employer = factory.SelfAttribute("project.general_contractor")


class WorkerFactory(DjangoModelFactory):
    """A worker on the real-name roster, identifiers encrypted and hashed as the services store them."""

    class Meta:
        model = Worker

    class Params:
        number = factory.LazyFunction(id_number)

    name = factory.Sequence(lambda n: f"工人{n + 1}")
    id_number = factory.SelfAttribute("number")
    id_hash = factory.LazyAttribute(lambda o: lookup_hash(o.number))
    id_last4 = factory.LazyAttribute(lambda o: o.number[-4:])


class RosterEntryFactory(DjangoModelFactory):
    """A worker on a project's roster; pass ``project``."""

    class Meta:
        model = RosterEntry

    worker = factory.SubFactory(WorkerFactory)
    entry_date = date(2026, 6, 1)


# --- what the services take -----------------------------------------------------------------


class EmployerDataFactory(factory.Factory):
    """An employer as a clerk enters it; pass ``unit``."""

    class Meta:
        model = services.EmployerData

    class Params:
        unit = None

    credit_code = factory.LazyFunction(credit_code)
    name = "长沙恒盛建设工程有限公司"
    org_unit_id = factory.LazyAttribute(lambda o: o.unit.pk if o.unit is not None else None)
    industry = Industry.CONSTRUCTION
    contact_phone = "0731-88881234"


class ProjectDataFactory(factory.Factory):
    """A project as a clerk enters it; pass ``unit`` and ``contractor``."""

    class Meta:
        model = services.ProjectData

    class Params:
        unit = None
        contractor = None

    code = "430104202600001"
    name = "梅溪湖安置房项目一标段"
    org_unit_id = factory.LazyAttribute(lambda o: o.unit.pk if o.unit is not None else None)
    general_contractor_id = factory.LazyAttribute(lambda o: o.contractor.pk if o.contractor is not None else None)
    contract_value = Decimal("120000000")
    start_date = date(2026, 3, 1)
    planned_end_date = date(2028, 3, 1)
    guarantee_deposit = Decimal("2400000")
    has_notice_board = True

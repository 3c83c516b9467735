"""Test data for the org tree and staff: units, partner agencies, members of staff by role."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from hexie.orgs.models import AgencyKind, OrgLevel, OrgUnit, PartnerAgency, Role, User

PASSWORD = "pw-hexie-123"


class OrgUnitFactory(DjangoModelFactory):
    """A unit of the tree; give ``code``, ``name`` and ``parent`` (the path follows from them)."""

    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    level = OrgLevel.DISTRICT


class PartnerAgencyFactory(DjangoModelFactory):
    class Meta:
        model = PartnerAgency

    name = factory.Sequence(lambda n: f"联动单位{n + 1}")
    kind = AgencyKind.COURT


class UserFactory(DjangoModelFactory):
    """A member of staff; the username is also the display name and the e-mail's local part."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n + 1}")
    full_name = factory.SelfAttribute("username")
    email = factory.LazyAttribute(lambda o: f"{o.username}@bureau.example")
    role = Role.FRONT_DESK
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()

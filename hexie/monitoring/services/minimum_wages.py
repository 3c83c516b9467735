"""Seeding the local minimum wages (``rules.MIN_WAGE_YUAN``) for the org units that exist."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from hexie.core import audit
from hexie.monitoring import rules as R
from hexie.monitoring.models import MinimumWage
from hexie.orgs.models import OrgUnit, User


@transaction.atomic
def seed_minimum_wages(*, actor: User | None = None) -> int:
    """Write the seeded minimum-wage rows for the org units that exist now (safe to repeat).

    Migration 0002 can only seed units present at migrate time; the demo loader, or an operator
    after loading the org tree, calls this. Returns the number of rows created.
    """
    created = 0
    for unit in OrgUnit.objects.filter(code__in=list(R.MIN_WAGE_YUAN)):
        row, made = MinimumWage.objects.get_or_create(
            org_unit=unit, effective_from=R.MIN_WAGE_FROM,
            defaults={"monthly_amount": Decimal(R.MIN_WAGE_YUAN[unit.code]), "basis": R.MIN_WAGE_BASIS},
        )
        if made:
            audit.record(actor=actor, action=audit.Action.CREATE, obj=row, org_unit_id=unit.pk,
                         object_repr=f"{unit.name} {row.monthly_amount}/月 from {row.effective_from}",
                         message=gettext("预置最低工资标准") % {"MIN_WAGE_BASIS": R.MIN_WAGE_BASIS})
        created += made
    return created

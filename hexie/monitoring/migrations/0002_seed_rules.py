"""Seed the warning rules of shared/domain/rules.md §3 and Changsha's minimum wage (editable in the admin).

Minimum-wage rows hang on org units, which a fresh database does not have yet: rows are written
for the units present, and `hexie.monitoring.services.seed_minimum_wages` (called by the demo loader,
safe to repeat) writes the rest once the org tree is loaded. Until then the detection job reads
`rules.default_min_wage_fen`, the same figures.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from hexie.monitoring.rules import MIN_WAGE_BASIS, MIN_WAGE_FROM, MIN_WAGE_YUAN, RULE_DEFAULTS

    WarningRule = apps.get_model("monitoring", "WarningRule")
    MinimumWage = apps.get_model("monitoring", "MinimumWage")
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    for row in RULE_DEFAULTS:
        WarningRule.objects.get_or_create(code=row["code"], defaults=row)
    for unit in OrgUnit.objects.filter(code__in=list(MIN_WAGE_YUAN)):
        MinimumWage.objects.get_or_create(
            org_unit=unit, effective_from=MIN_WAGE_FROM,
            defaults={"monthly_amount": MIN_WAGE_YUAN[unit.code], "basis": MIN_WAGE_BASIS},
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The rules as rules.md §3 defines them: seed the "paid late" rule, and give the rules whose
definition was sharpened (no pay record, paid, per-worker limits) their new description."""

from django.db import migrations

SHARPENED = ("unpaid_share", "fewer_paid", "pay_over_month", "pay_over_year")


def seed(apps, schema_editor):
    from hexie.monitoring.rules import RULE_DEFAULTS

    WarningRule = apps.get_model("monitoring", "WarningRule")
    for row in RULE_DEFAULTS:
        rule, created = WarningRule.objects.get_or_create(code=row["code"], defaults=row)
        if not created and row["code"] in SHARPENED:
            rule.description = row["description"]
            rule.save(update_fields=["description"])


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

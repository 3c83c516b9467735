"""Seed the statutory clocks and triage defaults of shared/domain/rules.md (editable in the admin)."""

from django.db import migrations


def seed(apps, schema_editor):
    from hexie.cases.seed import DEADLINE_RULES, TRIAGE_RULES

    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    TriageRule = apps.get_model("cases", "TriageRule")
    for row in DEADLINE_RULES:
        DeadlineRule.objects.get_or_create(code=row["code"], effective_from=row["effective_from"], defaults=row)
    for row in TRIAGE_RULES:
        TriageRule.objects.get_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The clocks of the work-order loop, from the Shandong rule as configurable defaults (rules.md §8):
reply within 5 working days, an extension of at most 10, a hand-back within 2; the same for the
national wage-clue platform until a bureau enters that platform's own."""

from datetime import date

from django.db import migrations

BASIS = "国办发〔2020〕53号；山东省12345热线工单办理规定（省级规则，默认值）"
RULES = [
    ("hand_back", 2), ("reply", 5), ("extension", 10),
]


def seed(apps, schema_editor):
    OrderRule = apps.get_model("bridge", "OrderRule")
    for source in ("12345", "wage_clue"):
        for step, days in RULES:
            OrderRule.objects.get_or_create(
                source=source, step=step, effective_from=date(2020, 12, 28),
                defaults={"working_days": days, "basis": BASIS, "is_verified": source == "12345"})


class Migration(migrations.Migration):
    dependencies = [("bridge", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

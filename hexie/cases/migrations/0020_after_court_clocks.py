"""The clocks the chain starts after a court result (rules.md §8): the parties' 15 days to sue after an
award is set aside (调解仲裁法 第四十九条), and the commission's acceptance of the arbitration that follows
a payment order ended by objection (seeded from ``hexie.cases.seed``)."""

from django.db import migrations

CODES = ("court.sue_after_set_aside", "arbitration.accept_after_payment_order")


def seed(apps, schema_editor):
    from hexie.cases.seed import CHAIN_CLOCKS

    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for row in CHAIN_CLOCKS:
        if row["code"] in CODES:
            DeadlineRule.objects.get_or_create(code=row["code"], effective_from=row["effective_from"], defaults=row)


def unseed(apps, schema_editor):
    apps.get_model("cases", "DeadlineRule").objects.filter(code__in=CODES, deadlines__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0019_wage_clue_channel"),
    ]

    operations = [migrations.RunPython(seed, unseed)]

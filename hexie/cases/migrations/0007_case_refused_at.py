"""When a case was refused: the dashboards' roll-up counts refused cases (final) like closed ones.

Existing refused cases take the moment of their refusal from the timeline (the `refuse` event the
transition wrote), in one UPDATE with a correlated sub-select, valid on PostgreSQL and SQLite.
"""

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    TimelineEvent = apps.get_model("cases", "TimelineEvent")
    refused_at = (TimelineEvent.objects.filter(case_id=OuterRef("pk"), kind="refuse").order_by()
                  .values("case_id").annotate(at=Max("at")).values("at"))
    Case.objects.filter(status="refused").update(refused_at=Subquery(refused_at))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0006_rollup_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="refused_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

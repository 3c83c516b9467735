"""The due date after which a case is late (`Case.late_after`), so that "late" is a column test.

`hexie.cases.filters.late_q` was a sub-select over every missed clock (met late, or paused after its
due date), which the dashboards evaluated three times per page. The clock services now keep on the
case the earliest of its next due date and its missed clocks' due dates (`services.clocks
.late_after_sql`); existing cases get the same value here, set-based, on PostgreSQL and SQLite:

1. every case with a next due date takes it;
2. every case with a missed clock takes that clock's earliest due date where it is earlier (or
   where the case has no next due date), one UPDATE with a correlated sub-select.
"""

from django.db import migrations, models
from django.db.models import Exists, F, OuterRef, Q, Subquery


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("cases", "Deadline")
    Case.objects.filter(next_due_on__isnull=False).update(late_after=F("next_due_on"))
    # As clocks.missed_q: met after the due date, or paused after it.
    missed = Deadline.objects.filter(Q(finished_on_time=False) | Q(state="paused", due_on__lt=F("paused_on")),
                                     case_id=OuterRef("pk"))
    earliest = Subquery(missed.order_by("due_on").values("due_on")[:1], output_field=models.DateField())
    Case.objects.filter(Exists(missed)).filter(Q(late_after__isnull=True) | Q(late_after__gt=earliest)).update(
        late_after=earliest)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0024_search_walk_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="late_after",
            field=models.DateField(blank=True, null=True, verbose_name="超期判定届满日"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

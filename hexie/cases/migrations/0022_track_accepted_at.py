"""The acceptance onto the track a case is on now (`Case.track_accepted_at`), which the arbitration
statistics count by, filled in for the cases already there.

Every accepted case starts from its acceptance by the bureau (`accepted_at`). A case that moved
along the chain is then replayed from its timeline, step by step, as the steps now write it:
a change of track (start_handling, transfer_track) is the new body's acceptance that day; going
to arbitration after mediation, or to the court, or to the police leaves it empty until the body
accepts; the commission's acceptance (accept_application) is its `accepted_on` day; going back to
mediation after a court result is mediation's acceptance that day.

Plain ORM reads and writes only: the same on SQLite and PostgreSQL. Only the few timeline entries
of those steps are read, in order, as a stream.
"""

from datetime import date, datetime, time

from django.db import migrations, models
from django.db.models import F, Q
from django.utils import timezone

# Steps whose track's body has not accepted the case when it gets there.
PENDING = ("to_arbitration", "apply_confirmation", "apply_payment_order", "go_to_court", "refer_police")
CHANGES = ("start_handling", "transfer_track")
UNCHANGED = object()


def acceptance(kind, at, data):
    """The case's acceptance onto its track after the step (UNCHANGED where the step leaves it)."""
    if kind in PENDING:
        return None
    if kind in CHANGES:
        return at if data.get("track") != data.get("previous_track") else UNCHANGED
    if kind == "after_court":
        return at if data.get("track") == "mediation" else None
    # accept_application: the commission's day, the moment of the step when it is that day.
    day = data.get("accepted_on")
    if day and date.fromisoformat(day) != timezone.localtime(at).date():
        return timezone.make_aware(datetime.combine(date.fromisoformat(day), time.min))
    return at


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    TimelineEvent = apps.get_model("cases", "TimelineEvent")
    Case.objects.filter(accepted_at__isnull=False).update(track_accepted_at=F("accepted_at"))
    steps = (Q(kind__in=[*PENDING, "accept_application", "after_court"])
             | Q(kind__in=CHANGES, data__has_key="previous_track"))
    found = {}
    rows = (TimelineEvent.objects.filter(steps).order_by("case_id", "at", "id")
            .values_list("case_id", "kind", "at", "data").iterator(chunk_size=2000))
    for case_id, kind, at, data in rows:
        value = acceptance(kind, at, data or {})
        if value is not UNCHANGED:
            found[case_id] = value
    Case.objects.bulk_update([Case(pk=pk, track_accepted_at=value) for pk, value in found.items()],
                             ["track_accepted_at"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0021_rules_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="track_accepted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="本途径受理时间"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

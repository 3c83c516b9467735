"""The dashboard's covering indexes read what its statements now read (PostgreSQL; on SQLite these
indexes have no INCLUDE and stay as they are). Kept out of the model state, as 0008 and 0023.

* case_live_received also carries `late_after` (0025) and `track`: the "late" condition of the
  received window's measures is a test of that column, and where the cases ended (inside the
  bureau, before a court: `track`) is now among those measures, read from the index like the others;
* case_arbitration_track_carried also carries `org_unit_id`: a district's "carried over" count
  (`org_unit_id IN (…)`) was read from the table, ~92 k arbitration cases accepted before the
  period for a few hundred kept (bench/README.md, "City dashboard").
"""

from django.db import migrations

LIVE = "status NOT IN ('closed', 'refused')"
RECEIVED_BEFORE = ("id, org_unit_id, status, channel, case_type, closure_conclusion, next_due_on, is_repeat, "
                   "is_collective, workers_count")
# name, key, included columns before, after, predicate.
INDEXES = [
    ("case_live_received", "received_at", RECEIVED_BEFORE, f"{RECEIVED_BEFORE}, late_after, track", LIVE),
    ("case_arbitration_track_carried", "track_accepted_at", "resolved_at, status",
     "resolved_at, status, org_unit_id", "track = 'arbitration'"),
]


def _recreate(schema_editor, after):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, key, before, now, where in INDEXES:
        include = now if after else before
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX {name} ON cases_case ({key}) INCLUDE ({include}) WHERE {where}")


def forwards(apps, schema_editor):
    _recreate(schema_editor, after=True)


def backwards(apps, schema_editor):
    _recreate(schema_editor, after=False)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0025_case_late_after"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

"""The arbitration acceptance figures' indexes, now that they read `track_accepted_at` (0022).

As 0008 did for `accepted_at`: SQL valid on PostgreSQL and SQLite (INCLUDE on PostgreSQL only), kept
out of the model state.

* case_live_track_accepted: the live cases of the "accepted" (arbitration) window;
* case_arbitration_track_carried: the arbitration table's "carried over" (accepted before a period,
  not resolved before it), on PostgreSQL from the index alone; it replaces 0008's
  case_arbitration_carried on `accepted_at`, which nothing counts by any more.
"""

from django.db import migrations

LIVE = "status NOT IN ('closed', 'refused')"
ARBITRATION = "track = 'arbitration'"
LIVE_INDEX = ("case_live_track_accepted", f"cases_case (track_accepted_at) WHERE {LIVE}")
# name, key, included columns (PostgreSQL), predicate.
CARRIED = ("case_arbitration_track_carried", "track_accepted_at", "resolved_at, status", ARBITRATION)
REPLACED = ("case_arbitration_carried", "accepted_at", "resolved_at, status", ARBITRATION)


def _create(schema_editor, name, key, include, where):
    extra = f" INCLUDE ({include})" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cases_case ({key}){extra} WHERE {where}")


def forwards(apps, schema_editor):
    _create(schema_editor, *CARRIED)
    schema_editor.execute(f"DROP INDEX IF EXISTS {REPLACED[0]}")


def backwards(apps, schema_editor):
    _create(schema_editor, *REPLACED)
    schema_editor.execute(f"DROP INDEX IF EXISTS {CARRIED[0]}")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0022_track_accepted_at"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {LIVE_INDEX[0]} ON {LIVE_INDEX[1]}",
                          f"DROP INDEX IF EXISTS {LIVE_INDEX[0]}"),
        migrations.RunPython(forwards, backwards),
    ]

"""The dashboard's live parts of the "accepted" and "resolved" windows, read from indexes alone.

* case_live_arbitration_accepted replaces 0023's case_live_track_accepted, which held every live
  case accepted onto any track: the "accepted" window only counts arbitration cases
  (`hexie.insights.rollup.window_specs`), so at a million cases it read ~38,000 index entries and
  their table rows to keep ~8,000 (bench/README.md, "City dashboard"). Nothing else read it.
* case_live_resolved (0008) carries, on PostgreSQL, the columns the resolved window's measures and
  the handling time read: they were read from ~6,000 table rows per statement, three statements.

On PostgreSQL each carries its predicate's own columns too (`status`, `track`): a partial index is
read alone only when it holds them. SQL valid on PostgreSQL and SQLite (no INCLUDE there), kept out
of the model state, as 0023 and 0026.
"""

from django.db import migrations

LIVE = "status NOT IN ('closed', 'refused')"
ARBITRATION_LIVE = ("case_live_arbitration_accepted", "track_accepted_at",
                    "id, org_unit_id, is_collective, workers_count, dispute_cause, amount_claimed, status, track",
                    f"{LIVE} AND track = 'arbitration'")
RESOLVED_LIVE = ("case_live_resolved", "resolved_at",
                 "id, org_unit_id, status, accepted_at, amount_recovered, workers_benefited, satisfaction, track, "
                 "closure_conclusion, outcome", LIVE)
REPLACED = ("case_live_track_accepted", f"cases_case (track_accepted_at) WHERE {LIVE}")


def _create(schema_editor, name, key, include, where, covering=True):
    extra = f" INCLUDE ({include})" if covering and schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(f"CREATE INDEX {name} ON cases_case ({key}){extra} WHERE {where}")


def forwards(apps, schema_editor):
    _create(schema_editor, *ARBITRATION_LIVE)
    schema_editor.execute(f"DROP INDEX IF EXISTS {REPLACED[0]}")
    if schema_editor.connection.vendor == "postgresql":
        _create(schema_editor, *RESOLVED_LIVE)


def backwards(apps, schema_editor):
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {REPLACED[0]} ON {REPLACED[1]}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {ARBITRATION_LIVE[0]}")
    if schema_editor.connection.vendor == "postgresql":
        _create(schema_editor, *RESOLVED_LIVE, covering=False)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0026_dashboard_covering_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

"""Indexes for the roll-up's live part once refused cases are rolled up too (hexie.insights.rollup).

The live cases are now those neither closed nor refused (plus the few closed or refused after the
watermark); the partial indexes of 0006 on `status <> 'closed'` give way to the same indexes on
`status NOT IN ('closed', 'refused')`, which cover half as many rows. As in 0006: SQL valid on
PostgreSQL and SQLite (INCLUDE on PostgreSQL only), kept out of the model state.

* case_refused_at: the cases refused in a time span (each refresh's new batch) and the live
  branch "refused at or after the watermark";
* case_live_received / _resolved / _accepted: the live cases of a date window. On PostgreSQL
  case_live_received also carries (INCLUDE) every column the received window's measures read
  (hexie.insights.rollup.window_specs: the KPIs' conditions, channels, types), so that the
  dashboard's largest live statement reads the index alone; a measure reading another column
  still gives the same figure, only through the table;
* case_arbitration_carried: the arbitration cases accepted before a period and not resolved before
  it (the arbitration table's "carried over", counted over all cases), on PostgreSQL from the
  index alone.
"""

from django.db import migrations

LIVE = "status NOT IN ('closed', 'refused')"
INDEXES = [
    ("case_refused_at", "cases_case (refused_at) WHERE status = 'refused'"),
    ("case_live_resolved", f"cases_case (resolved_at) WHERE {LIVE}"),
    ("case_live_accepted", f"cases_case (accepted_at) WHERE {LIVE}"),
]
# Indexes that on PostgreSQL also carry (INCLUDE) the columns their statements read: name, key,
# included columns, predicate.
COVERING = [
    ("case_live_received", "received_at", "id, org_unit_id, status, channel, case_type, closure_conclusion, "
     "next_due_on, is_repeat, is_collective, workers_count", LIVE),
    ("case_arbitration_carried", "accepted_at", "resolved_at, status", "track = 'arbitration'"),
]
# Superseded by the case_live_* indexes (recreated when this migration is reversed).
DROPPED = [
    ("case_not_closed_received", "cases_case (received_at) WHERE status <> 'closed'"),
    ("case_not_closed_resolved", "cases_case (resolved_at) WHERE status <> 'closed'"),
    ("case_not_closed_accepted", "cases_case (accepted_at) WHERE status <> 'closed'"),
]


def create_covering(apps, schema_editor):
    for name, key, include, where in COVERING:
        extra = f" INCLUDE ({include})" if schema_editor.connection.vendor == "postgresql" else ""
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cases_case ({key}){extra} WHERE {where}")


def drop_covering(apps, schema_editor):
    for name, *_rest in COVERING:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_case_refused_at"),
    ]

    operations = [
        *(migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {spec}", f"DROP INDEX IF EXISTS {name}")
          for name, spec in INDEXES),
        migrations.RunPython(create_covering, drop_covering),
        *(migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", f"CREATE INDEX IF NOT EXISTS {name} ON {spec}")
          for name, spec in DROPPED),
    ]

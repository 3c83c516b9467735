"""Indexes for the dashboards' closed-case roll-up (hexie.insights.rollup) and its live part.

Partial indexes written as SQL (valid on PostgreSQL and SQLite) and kept out of the model state:
they serve particular statements, not the model.

* case_closed_at: the cases closed in a time span (each refresh's new batch) and the live
  branch "closed at or after the watermark";
* case_not_closed_received / _resolved / _accepted: the live cases of a date window;
* case_arbitration_resolved: the arbitration cases carried over into a period (not resolved
  before it);
* deadline_late: the clocks that make a case late (`hexie.cases.filters.late_q`), a small part
  of all clocks, so the "late" sub-select no longer reads every deadline.
"""

from django.db import migrations

INDEXES = [
    ("case_closed_at", "cases_case (closed_at) WHERE status = 'closed'"),
    ("case_not_closed_received", "cases_case (received_at) WHERE status <> 'closed'"),
    ("case_not_closed_resolved", "cases_case (resolved_at) WHERE status <> 'closed'"),
    ("case_not_closed_accepted", "cases_case (accepted_at) WHERE status <> 'closed'"),
    ("case_arbitration_resolved", "cases_case (resolved_at) WHERE track = 'arbitration'"),
    ("deadline_late", "cases_deadline (case_id) WHERE NOT finished_on_time OR (due_on < paused_on AND state = 'paused')"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_dispute_cause_outcome"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {spec}", f"DROP INDEX IF EXISTS {name}")
        for name, spec in INDEXES
    ]

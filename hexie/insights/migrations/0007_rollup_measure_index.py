"""One measure of the roll-up over a span of days: the month series' read (`rollup.rolled_by_month_in`).

`rollup_key` (window, grain, day, org_unit_id, measure) reads, for a span of days, every unit's every
measure (~40 per unit and day) to keep one: a district's month series read ~8,400 index pages for
~500 rows. This index puts the measure before the day; on PostgreSQL it carries the value, so the
read needs no table row. Kept out of the model state (INCLUDE exists on PostgreSQL only), as the
cases indexes of 0008 and 0023.
"""

from django.db import migrations

NAME = "rollup_measure_day"


def forwards(apps, schema_editor):
    include = " INCLUDE (value)" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {NAME} ON insights_caserollup '
                          f'("window", measure, grain, day, org_unit_id){include}')


def backwards(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("insights", "0006_court_applications"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

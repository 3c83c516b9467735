"""Short searches in the queue without reading thousands of rows from the table (PostgreSQL only).

0018's pieces index answers "which cases contain 楼" but in no order and for the whole city: a
district's search read every match from the table to check its unit and sort it by due date (3,000
to 20,000 rows, 0.15–1.5 s at a million cases). Two indexes replace it
(hexie.cases.search chooses between them per search, bench/README.md "Short searches"):

* case_queue_search: the queue's order (due first, empty last, then newest) exactly as the list's
  ORDER BY writes it (NULLS LAST on every key), carrying the unit and the searched columns. A
  frequent term's page is found by reading this index in order until a page of matches (an
  index-only scan: no table row is read to check a case), and its capped count likewise.
* case_scope_grams: 0018's pieces with the unit as a first key (btree_gin), so that a rarer term
  is looked up within the user's units instead of in the whole city. A condition on the pieces
  alone (a superuser's search) still uses it, so 0018's index is dropped.

Nothing to fill or keep in step: both are built from the columns as they are. Built
CONCURRENTLY (this migration is not atomic): about 5 s and 70 s at a million cases on a busy 2-core
machine. btree_gin ships with PostgreSQL and is a trusted extension, like pg_trgm (0004).
"""

from django.db import migrations

QUEUE_SEARCH = (
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS "case_queue_search" ON "cases_case" '
    '("next_due_on" ASC NULLS LAST, "received_at" DESC NULLS LAST, "id" DESC NULLS LAST) '
    'INCLUDE ("org_unit_id", "number", "employer_name", "project_name", "complainant_name")'
)
SCOPE_GRAMS = (
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS "case_scope_grams" ON "cases_case" '
    'USING gin ("org_unit_id", case_search_grams("number", "employer_name", "project_name"))'
)
OLD_GRAMS = ('CREATE INDEX CONCURRENTLY IF NOT EXISTS "case_search_grams" ON "cases_case" '
             'USING gin (case_search_grams("number", "employer_name", "project_name"))')


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(QUEUE_SEARCH)
    schema_editor.execute(SCOPE_GRAMS)
    schema_editor.execute('DROP INDEX CONCURRENTLY IF EXISTS "case_search_grams"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OLD_GRAMS)
    schema_editor.execute('DROP INDEX CONCURRENTLY IF EXISTS "case_scope_grams"')
    schema_editor.execute('DROP INDEX CONCURRENTLY IF EXISTS "case_queue_search"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0023_track_accepted_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

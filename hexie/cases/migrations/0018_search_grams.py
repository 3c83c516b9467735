"""Short searches (one or two characters) in the queue, served by an index on PostgreSQL.

The trigram indexes of 0004 cannot serve a pattern under three characters: "建工" or "5" has no
trigram, so PostgreSQL read every case (0.5–1 s at a million). This adds an immutable function
that lists the distinct one- and two-character pieces (unigrams and bigrams) of the upper-cased
case number, employer and project names, each column on its own so that no piece spans two
columns, and a GIN index on it. "Contains the two characters X" is then "the pieces include X":
an index look-up. The function is computed from the row, so there is no column to keep up to date
and no existing row to fill: the index is built from the table as it stands.

The index is built CONCURRENTLY (this migration is not atomic) so that a bureau's cases can still
be written while it is built (≈ 3–4 minutes at a million cases on a busy 2-core machine). SQLite
has no such index and keeps scanning, which is fine at its scale; the results are the same.
"""

from django.db import migrations

# Plain SQL functions, not STRICT, so that PostgreSQL inlines them: a row the index cannot
# answer for is then checked with C-level string functions (≈ 17 µs a row on a busy machine),
# not through a function call per row (≈ 75–120 µs). Bigrams are cut twice, from the first and
# from the second character; "\x01" separates the pieces and appears in no name or number.
FUNCTIONS = (r"""
CREATE OR REPLACE FUNCTION case_search_pieces(u text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT string_to_array(u, NULL)
      || string_to_array(regexp_replace(u, '(..)', E'\\1\x01', 'g'), E'\x01')
      || string_to_array(regexp_replace(substr(u, 2), '(..)', E'\\1\x01', 'g'), E'\x01')
$$""", r"""
CREATE OR REPLACE FUNCTION case_search_grams(a text, b text, c text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT case_search_pieces(upper(a)) || case_search_pieces(upper(b)) || case_search_pieces(upper(c))
$$""")
INDEX = ('CREATE INDEX CONCURRENTLY IF NOT EXISTS "case_search_grams" ON "cases_case" '
         'USING gin (case_search_grams("number", "employer_name", "project_name"))')


def add_grams_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for function in FUNCTIONS:
        schema_editor.execute(function)
    schema_editor.execute(INDEX)


def drop_grams_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "case_search_grams"')
    schema_editor.execute("DROP FUNCTION IF EXISTS case_search_grams(text, text, text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS case_search_pieces(text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('cases', '0017_channel_chinese_labels'),
    ]

    operations = [
        migrations.RunPython(add_grams_index, drop_grams_index),
    ]

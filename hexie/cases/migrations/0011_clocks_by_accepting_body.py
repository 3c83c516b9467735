"""Which clock runs when (rules.md §2): each type of case gets the acceptance clock of the body that
accepts it, and every clock says what it counts from.

The rows are in ``hexie.cases.seed.CLOCKS_BY_ACCEPTING_BODY``. New rules are new rows: the
arbitration commission's 5 days to accept a labour dispute (调解仲裁法 Art. 29), a consultation's
local periods (unverified). Existing rules are *corrected in place*, not given a new version with
an effective date, because the law did not change on the day this migration runs: labour disputes
were never the labour inspectorate's to accept (so ``inspection.accept`` now lists only wage
complaints), and mediation's 15 days always ran from the mediation body's receipt (Art. 14). A
new version would claim that the wrong rule was in force until today. History is kept where it
matters: clocks already started keep their rule row, their start and their due date, and these
corrections only decide the clocks started from now on.
"""

from django.db import migrations


def apply(apps, schema_editor):
    from hexie.cases.seed import CLOCKS_BY_ACCEPTING_BODY

    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for row in CLOCKS_BY_ACCEPTING_BODY:
        if "set" in row:
            DeadlineRule.objects.filter(code=row["code"], effective_from=row["effective_from"]).update(**row["set"])
        else:
            DeadlineRule.objects.get_or_create(code=row["code"], effective_from=row["effective_from"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_rule_counted_from_and_consultation_track")]
    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]

"""PortalSubmission moves from cases to the portal, which alone uses it: first only Django's record
of the model, on the table cases created (``cases_portalsubmission``); 0003 renames the table."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_initial"),
        ("cases", "0008_rollup_refused_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PortalSubmission",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("ip_hash", models.CharField(db_index=True, max_length=64)),
                        ("at", models.DateTimeField(db_index=True)),
                    ],
                    options={"db_table": "cases_portalsubmission"},
                ),
            ],
            database_operations=[],
        ),
    ]

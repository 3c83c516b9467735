"""IdempotencyRecord moves from cases to the kernel: first only Django's record of the model, on
the table cases created (``cases_idempotencyrecord``); 0002 renames the table."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("cases", "0008_rollup_refused_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("scope", models.CharField(max_length=64)),
                        ("key", models.CharField(max_length=128)),
                        ("request_hash", models.CharField(max_length=64)),
                        ("response_status", models.PositiveSmallIntegerField()),
                        ("response_body", models.JSONField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "cases_idempotencyrecord",
                        "constraints": [models.UniqueConstraint(fields=("scope", "key"),
                                                                name="uniq_idempotency_key")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

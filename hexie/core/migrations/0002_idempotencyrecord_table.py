"""The moved IdempotencyRecord takes the kernel's table name (rows kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("cases", "0009_move_out_kernel_and_portal_models"),
    ]

    operations = [
        migrations.AlterModelTable(name="idempotencyrecord", table=None),
    ]

"""The moved PortalSubmission takes the portal's table name (rows kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0002_portalsubmission"),
        ("cases", "0009_move_out_kernel_and_portal_models"),
    ]

    operations = [
        migrations.AlterModelTable(name="portalsubmission", table=None),
    ]

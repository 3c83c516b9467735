"""IdempotencyRecord now belongs to the kernel (core) and PortalSubmission to the portal: cases
forgets them here; their tables are kept and renamed by core 0002 and portal 0003."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0008_rollup_refused_indexes"),
        ("core", "0001_initial"),
        ("portal", "0002_portalsubmission"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="IdempotencyRecord"),
                migrations.DeleteModel(name="PortalSubmission"),
            ],
            database_operations=[],
        ),
    ]

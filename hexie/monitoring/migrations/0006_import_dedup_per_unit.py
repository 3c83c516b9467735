# One jurisdiction never imports the same content twice; another unit's identical file is its own batch.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0005_import_withdrawal'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='importbatch',
            name='uniq_import_per_content',
        ),
        migrations.AddConstraint(
            model_name='importbatch',
            constraint=models.UniqueConstraint(fields=('feed', 'org_unit', 'sha256'), name='uniq_import_per_unit_content'),
        ),
    ]

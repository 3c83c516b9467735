"""Each district keeps its own register of workers: a worker row belongs to a district (org_unit),
and the ID number's hash is unique per district instead of city-wide. Existing workers get the
district of their roster entries (hexie.employers.services.roster.assign_registers)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def assign(apps: Any, schema_editor: Any) -> None:
    from hexie.employers.services.roster import assign_registers

    assign_registers(apps.get_model("employers", "Worker"), apps.get_model("employers", "RosterEntry"),
                     apps.get_model("orgs", "OrgUnit"))


class Migration(migrations.Migration):

    dependencies = [
        ('employers', '0003_chinese_labels'),
        ('orgs', '0003_encrypt_staff_phone'),
    ]

    operations = [
        migrations.AddField(
            model_name='worker',
            name='org_unit',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.orgunit'),
        ),
        migrations.AlterField(
            model_name='worker',
            name='id_hash',
            field=models.CharField(db_index=True, editable=False, max_length=64, verbose_name='身份证号查找摘要'),
        ),
        migrations.AddConstraint(
            model_name='worker',
            constraint=models.UniqueConstraint(fields=('id_hash', 'org_unit'), name='uniq_worker_per_district'),
        ),
        migrations.RunPython(assign, migrations.RunPython.noop),
    ]

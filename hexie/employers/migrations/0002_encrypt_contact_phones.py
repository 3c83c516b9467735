"""Contact phones of employers, projects (wage officer) and monitoring points become encrypted
columns: the schema change widens them to text, then the clear values already stored are encrypted
in place (and decrypted again if the migration is unapplied)."""

from typing import Any

from django.db import migrations

import hexie.core.pii

COLUMNS = [("employers_employer", "contact_phone"), ("employers_project", "wage_officer_phone"),
           ("employers_monitoringpoint", "contact_phone")]


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    for table, column in COLUMNS:
        hexie.core.pii.encrypt_column(schema_editor, table, column)


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    for table, column in COLUMNS:
        hexie.core.pii.decrypt_column(schema_editor, table, column)


class Migration(migrations.Migration):

    dependencies = [
        ('employers', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='employer',
            name='contact_phone',
            field=hexie.core.pii.EncryptedTextField(blank=True, verbose_name='联系电话 Contact phone'),
        ),
        migrations.AlterField(
            model_name='monitoringpoint',
            name='contact_phone',
            field=hexie.core.pii.EncryptedTextField(blank=True, verbose_name='联系电话 Phone'),
        ),
        migrations.AlterField(
            model_name='project',
            name='wage_officer_phone',
            field=hexie.core.pii.EncryptedTextField(blank=True, verbose_name='专管员电话 Wage officer phone'),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]

"""Staff phones become an encrypted column: the schema change widens it to text, then the clear
values already stored are encrypted in place (and decrypted again if the migration is unapplied)."""

from typing import Any

from django.db import migrations

import hexie.crypto.fields


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    hexie.crypto.fields.encrypt_column(schema_editor, "orgs_user", "phone")


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    hexie.crypto.fields.decrypt_column(schema_editor, "orgs_user", "phone")


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0002_employer_role'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='phone',
            field=hexie.crypto.fields.EncryptedTextField(blank=True, verbose_name='电话'),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]

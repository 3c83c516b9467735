"""A model field that stores a Fernet token and reads back clear text, and its migration helpers."""

from __future__ import annotations

from typing import Any

from django.db import models

from hexie.crypto.cipher import decrypt, encrypt, is_token


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token and read back as clear text."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def encrypt_column(schema_editor: Any, table: str, column: str) -> None:
    """Encrypt the clear values left in a column that has just become an ``EncryptedTextField``.

    Raw SQL on purpose: the ORM would try to decrypt the clear values on the way out. Runs the same
    on SQLite and PostgreSQL, and again without harm (tokens are left alone)."""
    with schema_editor.connection.cursor() as cur:
        cur.execute(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")  # noqa: S608
        rows = [(pk, value) for pk, value in cur.fetchall() if not is_token(value)]
        cur.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s",  # noqa: S608
                        [(encrypt(value), pk) for pk, value in rows])


def decrypt_column(schema_editor: Any, table: str, column: str) -> None:
    """The reverse of :func:`encrypt_column`, for unapplying the migration."""
    with schema_editor.connection.cursor() as cur:
        cur.execute(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")  # noqa: S608
        rows = [(pk, value) for pk, value in cur.fetchall() if is_token(value)]
        cur.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s",  # noqa: S608
                        [(decrypt(value), pk) for pk, value in rows])

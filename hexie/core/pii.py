"""Personal data at rest: Fernet encryption, an HMAC for exact lookup, and masking for display.

ID numbers, phone numbers and bank cards never sit in the database in clear. Lookups ("has this
complainant filed before?") use a keyed HMAC of the normalised value, so equality works without
decrypting every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models
from django.utils.translation import gettext


@lru_cache(maxsize=1)
def _fernet() -> Fernet:
    key = settings.PII_KEY
    if not key:
        # Derived from SECRET_KEY so a laptop needs no set-up; production sets PII_KEY itself.
        digest = hashlib.sha256(("hexie-pii:" + settings.SECRET_KEY).encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


@lru_cache(maxsize=1)
def _hmac_key() -> bytes:
    key = settings.PII_HMAC_KEY or ("hexie-hmac:" + settings.SECRET_KEY)
    return key.encode()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return gettext("（无法解密）")


def lookup_hash(value: str) -> str:
    """Keyed hash of a normalised value; equal inputs give equal hashes, nothing else leaks."""
    if not value:
        return ""
    return hmac.new(_hmac_key(), value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * (len(value) - 4) + value[-4:]


def mask_bank_card(value: str) -> str:
    if not value:
        return ""
    return "**** **** " + value[-4:]


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


def is_token(value: str) -> bool:
    """Whether a stored value is already a token of the current key (so a migration skips it)."""
    try:
        _fernet().decrypt(value.encode())
    except (InvalidToken, ValueError):
        return False
    return True


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

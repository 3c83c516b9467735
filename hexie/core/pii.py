"""Personal data at rest: Fernet encryption, an HMAC for exact lookup, and masking for display.

ID numbers, phone numbers and bank cards never sit in the database in clear. Lookups ("has this
complainant filed before?") use a keyed HMAC of the normalised value, so equality works without
decrypting every row. The primitives live in the bottom layer, :mod:`hexie.crypto`, so that the
staff model in orgs can use them too; this module keeps the names the apps import.
"""

from __future__ import annotations

from hexie.crypto import fields
from hexie.crypto.cipher import (
    decrypt,
    encrypt,
    is_token,
    lookup_hash,
    mask_bank_card,
    mask_id_number,
    mask_phone,
)
from hexie.crypto.fields import decrypt_column, encrypt_column


class EncryptedTextField(fields.EncryptedTextField):
    """The apps' encrypted column; named here because their migrations name ``hexie.core.pii``."""

__all__ = ["EncryptedTextField", "decrypt", "decrypt_column", "encrypt", "encrypt_column", "is_token",
           "lookup_hash", "mask_bank_card", "mask_id_number", "mask_phone"]

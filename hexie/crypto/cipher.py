"""Encrypting one value (a Fernet token), the keyed lookup hash, and masks for display."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import InvalidToken
from django.utils.translation import gettext, gettext_noop

from hexie.crypto import keys

UNREADABLE = gettext_noop("（无法解密）")


def encrypt(value: str) -> str:
    return keys.multi().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return keys.multi().decrypt(token.encode()).decode()
    except InvalidToken:
        return gettext(UNREADABLE)


def is_token(value: str) -> bool:
    """Whether a stored value is a token of one of the keys (so a migration leaves it alone)."""
    try:
        keys.multi().decrypt(value.encode())
    except (InvalidToken, ValueError):
        return False
    return True


def is_current(value: str) -> bool:
    """Whether a token is already under the newest key (a rotation skips it, so it can resume)."""
    try:
        keys.newest().decrypt(value.encode())
    except (InvalidToken, ValueError):
        return False
    return True


def rotate(token: str) -> str:
    """The same value encrypted under the newest key."""
    return keys.multi().rotate(token.encode()).decode()


def _normalise(value: str) -> bytes:
    return value.strip().upper().encode()


def lookup_hash(value: str) -> str:
    """Keyed hash of a normalised value; equal inputs give equal hashes, nothing else leaks."""
    if not value:
        return ""
    return hmac.new(keys.hmac_key(), _normalise(value), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * (len(value) - 4) + value[-4:]


def mask_bank_card(value: str) -> str:
    """Bank cards and bank account numbers (a project's wage special account too)."""
    if not value:
        return ""
    return "**** **** " + value[-4:]

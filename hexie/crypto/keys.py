"""The PII keys from settings: a list of Fernet keys (the first encrypts, all decrypt) and the HMAC keys.

``PII_KEY`` may name several keys, newest first, separated by commas: values written under an
older key stay readable until ``manage.py rotate_pii_keys`` has re-encrypted them.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


def fernet_keys() -> list[str]:
    raw = settings.PII_KEY
    keys = [k.strip() for k in (raw if isinstance(raw, list | tuple) else str(raw).split(",")) if k.strip()]
    if not keys:
        raise ImproperlyConfigured("PII_KEY is not set")
    return keys


@lru_cache(maxsize=1)
def multi() -> MultiFernet:
    """Encrypts with the newest key, decrypts with any of them."""
    return MultiFernet([Fernet(k) for k in fernet_keys()])


@lru_cache(maxsize=1)
def newest() -> Fernet:
    return Fernet(fernet_keys()[0])


@lru_cache(maxsize=1)
def hmac_key() -> bytes:
    key = settings.PII_HMAC_KEY
    if not key:
        raise ImproperlyConfigured("PII_HMAC_KEY is not set")
    return str(key).encode()


def old_hmac_key() -> bytes | None:
    """The HMAC key being replaced (PII_HMAC_OLD_KEY), while lookup columns are recomputed."""
    key = getattr(settings, "PII_HMAC_OLD_KEY", "")
    return str(key).encode() if key else None


def clear_caches() -> None:
    multi.cache_clear()
    newest.cache_clear()
    hmac_key.cache_clear()


@receiver(setting_changed)
def _on_setting_changed(setting: str, **kwargs: object) -> None:
    # Tests swap keys with override_settings; the cached ciphers must follow.
    if setting in {"PII_KEY", "PII_HMAC_KEY", "PII_HMAC_OLD_KEY"}:
        clear_caches()

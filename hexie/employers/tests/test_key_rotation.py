"""Rotating the PII keys: the roster is re-encrypted and re-hashed, and then the old keys can go."""

from __future__ import annotations

import io
import secrets

from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings

from hexie.core.models import AuditEvent
from hexie.core.pii import lookup_hash
from hexie.employers.models import Worker
from hexie.employers.tests.factories import WorkerFactory


def test_rotation_re_encrypts_everything_and_the_old_keys_can_go(db, settings) -> None:
    old_key, old_hmac = settings.PII_KEY, settings.PII_HMAC_KEY
    worker = WorkerFactory(number="430104199003077710", phone="13912345678")
    stored = default_storage.save("imports/feed.csv", ContentFile(b"430104199003077710,6222021234567890123"))
    new_key, new_hmac = Fernet.generate_key().decode(), secrets.token_urlsafe(48)
    out = io.StringIO()
    with override_settings(PII_KEY=f"{new_key},{old_key}", PII_HMAC_KEY=new_hmac, PII_HMAC_OLD_KEY=old_hmac):
        call_command("rotate_pii_keys", chunk=1, stdout=out)
        assert "employers.worker.phone: 1 re-encrypted" in out.getvalue()
        assert "employers.worker.id_hash: 1 recomputed" in out.getvalue()
        again = io.StringIO()
        call_command("rotate_pii_keys", stdout=again)  # resumable: nothing left to do
        assert "employers.worker.phone: 0 re-encrypted" in again.getvalue()
    # Only the new keys now: the worker is found by ID number and the phone reads back.
    with override_settings(PII_KEY=new_key, PII_HMAC_KEY=new_hmac):
        found = Worker.objects.get(id_hash=lookup_hash("430104199003077710"))
        assert found.pk == worker.pk and found.phone == "13912345678"
        with default_storage.open(stored) as fh:
            assert fh.read().startswith(b"430104199003077710")
    event = AuditEvent.objects.filter(object_type="pii_keys").latest("at")
    assert "个值" in event.message and "13912345678" not in event.message

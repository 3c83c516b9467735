"""A PII key rotation reaches the lake: card tokens and the stored original move to the new key."""

from __future__ import annotations

import io

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings

from hexie.core.pii import decrypt
from hexie.monitoring.tests.feed_files import PAY_HEADER, csv_bytes, lake_rows, pay_rows, run

CARD = "6222021234567890123"


def test_rotation_re_encrypts_the_lakes_card_tokens_and_the_original(reg, users, settings):
    old = settings.PII_KEY
    batch = run(users["handler"], "payroll", "工资.csv",
                csv_bytes([*PAY_HEADER, "bankCardNumber"], [[*row, CARD] for row in pay_rows(range(2))]))
    new = Fernet.generate_key().decode()
    out = io.StringIO()
    with override_settings(PII_KEY=f"{new},{old}"):
        call_command("rotate_pii_keys", stdout=out)
    assert "monitoring lake files: 1" in out.getvalue()
    with override_settings(PII_KEY=new):
        assert {decrypt(r["bank_card_token"]) for r in lake_rows("payroll")} == {CARD}
        with batch.file.open("rb") as fh:
            assert CARD.encode() in fh.read()

"""Keys: Hexie refuses to start without its own and reads them from files (rotation: employers' and
monitoring's test_key_rotation)."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from hexie import env

ROOT = Path(__file__).resolve().parents[3]


def manage_check(**variables: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "HEXIE_", "PII_", "SECRET_KEY"))}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env={**base, **variables},  # noqa: S603 - fixed argv
                          capture_output=True, text=True, timeout=120)


def test_without_keys_hexie_refuses_to_start_even_with_debug_on() -> None:
    result = manage_check(DEBUG="1", SECRET_KEY="a-secret-key-that-is-set-0123456789abcdef")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "PII_KEY, PII_HMAC_KEY" in result.stderr
    assert "SECRET_KEY," not in result.stderr  # the one that is set is not named


def test_keys_read_from_files_start_it(tmp_path: Path) -> None:
    files = {"SECRET_KEY": secrets.token_urlsafe(50), "PII_KEY": Fernet.generate_key().decode(),
             "PII_HMAC_KEY": secrets.token_urlsafe(48)}
    variables = {}
    for name, value in files.items():
        (tmp_path / name).write_text(value + "\n")
        variables[f"{name}_FILE"] = str(tmp_path / name)
    result = manage_check(**variables)
    assert result.returncode == 0, result.stderr


def test_a_pii_key_that_is_no_fernet_key_is_refused_by_name() -> None:
    result = manage_check(SECRET_KEY=secrets.token_urlsafe(50), PII_KEY="short", PII_HMAC_KEY=secrets.token_urlsafe(48))
    assert result.returncode != 0 and "PII_KEY must be one or more Fernet keys" in result.stderr


def test_a_secret_file_that_cannot_be_read_or_a_secret_set_twice_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PII_HMAC_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="PII_HMAC_KEY_FILE names"):
        env.env_secret("PII_HMAC_KEY")
    (tmp_path / "k").write_text("from-file\n")
    monkeypatch.setenv("PII_HMAC_KEY_FILE", str(tmp_path / "k"))
    assert env.env_secret("PII_HMAC_KEY") == "from-file"
    monkeypatch.setenv("PII_HMAC_KEY", "from-variable")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env.env_secret("PII_HMAC_KEY")


def test_demo_keys_are_generated_once_readable_by_their_owner_only(tmp_path) -> None:
    path = tmp_path / "var" / "keys.env"
    assert env.write_demo_keys(str(path))
    first = path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "PII_KEY=" in first and "PII_HMAC_KEY=" in first and "SECRET_KEY=" in first
    assert not env.write_demo_keys(str(path))
    assert path.read_text() == first

"""With the production variables the README gives, `manage.py check --deploy` is clean: secure
cookies, the HTTPS redirect and HSTS follow HEXIE_PRODUCTION; turning one off is reported."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def deploy_check(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "HEXIE_", "PII_", "SECRET_KEY"))}
    env.update({"HEXIE_PRODUCTION": "1", "SECRET_KEY": secrets.token_urlsafe(50), "PII_KEY": Fernet.generate_key().decode(),
                "PII_HMAC_KEY": secrets.token_urlsafe(48),
                "ALLOWED_HOSTS": "hexie.bureau.example", "DEBUG": "0", **extra})
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],  # noqa: S603 - fixed argv
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_production_variables_pass_the_deploy_check() -> None:
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_insecure_cookie_in_production_is_reported() -> None:
    result = deploy_check(SESSION_COOKIE_SECURE="0")
    assert result.returncode != 0 and "security.W012" in result.stdout + result.stderr

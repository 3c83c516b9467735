"""Settings helpers that read environment variables and fail loudly on bad values."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """A secret from ``<NAME>`` or, for container secrets, from the file ``<NAME>_FILE`` names
    (its content, trailing newline removed). Setting both is refused: which one wins would be a guess."""
    path = os.environ.get(f"{name}_FILE", "").strip()
    if not path:
        return os.environ.get(name, default)
    if os.environ.get(name):
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both")
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE names {path!r}, which cannot be read: {exc.strerror}") from exc


def load_env_file(path: str) -> None:
    """Read ``NAME=value`` lines (the demo's var/keys.env) into the environment; what the
    environment already sets wins, so a real key is never replaced by a demo one."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as exc:
        raise ImproperlyConfigured(f"HEXIE_ENV_FILE names {path!r}, which cannot be read: {exc.strerror}") from exc
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        os.environ.setdefault(name.strip(), value.strip())


def write_demo_keys(path: str) -> bool:
    """Generate the demo's keys into ``path`` (readable by its owner only), once: an existing
    file is kept, or the demo database written with it could no longer be read."""
    import secrets

    from cryptography.fernet import Fernet

    if os.path.exists(path):
        return False
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    content = (
        "# Keys of the local demo, generated once by `make run`. Never use them for real data.\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"PII_KEY={Fernet.generate_key().decode()}\n"
        f"PII_HMAC_KEY={secrets.token_urlsafe(48)}\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(content)
    return True


if __name__ == "__main__":  # python -m hexie.env demo-keys var/keys.env (make run)
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "demo-keys":
        sys.exit("usage: python -m hexie.env demo-keys PATH")
    if write_demo_keys(sys.argv[2]):
        print(f"demo keys written to {sys.argv[2]}")

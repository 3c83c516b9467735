"""The project's settings, unchanged but for where static files are collected, and fixed keys.

Production serves templates through whitenoise's manifest storage, which needs `collectstatic`
first; the runner collects into bench/out/static (git-ignored) instead of the repository's
staticfiles/ so that the bench writes nothing outside bench/. DEBUG stays off (no query log).
"""

import os

# The bench writes made-up people only: fixed keys, unless the environment brings its own.
os.environ.setdefault("SECRET_KEY", "bench-secret-key-for-generated-data-only-0123456789")
os.environ.setdefault("PII_KEY", "YmVuY2gtcGlpLWtleS1nZW5lcmF0ZWQtZGF0YS0wMTI=")
os.environ.setdefault("PII_HMAC_KEY", "bench-hmac-key-for-generated-data-only-0123456789")

from hexie.settings import *  # noqa: F403
from hexie.settings import BASE_DIR

DEBUG = False
STATIC_ROOT = BASE_DIR / "bench" / "out" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

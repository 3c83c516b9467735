"""The project's settings, unchanged but for where static files are collected.

Production serves templates through whitenoise's manifest storage, which needs `collectstatic`
first; the runner collects into bench/out/static (git-ignored) instead of the repository's
staticfiles/ so that the bench writes nothing outside bench/. DEBUG stays off (no query log).
"""

from hexie.settings import *  # noqa: F403
from hexie.settings import BASE_DIR

DEBUG = False
STATIC_ROOT = BASE_DIR / "bench" / "out" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

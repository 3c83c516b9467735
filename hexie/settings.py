"""Hexie settings: everything comes from environment variables (see README, "Deploying")."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hexie.env import env_bool, env_int, env_list, env_secret, env_str, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HEXIE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or env_bool("HEXIE_TESTING")
DEBUG = env_bool("DEBUG", False)

# Secrets come from the environment, or from a file named by <NAME>_FILE (container secrets).
# HEXIE_ENV_FILE names a file of NAME=value lines read first: `make run` points it at the demo's
# var/keys.env, generated once (python -m hexie.env demo-keys).
if env_str("HEXIE_ENV_FILE"):
    load_env_file(env_str("HEXIE_ENV_FILE"))

# Personal data (ID numbers, phones, bank cards, uploaded files) is encrypted with PII_KEY (Fernet;
# several keys newest first, comma-separated, while `manage.py rotate_pii_keys` moves the data to
# the first) and looked up through an HMAC keyed with PII_HMAC_KEY (PII_HMAC_OLD_KEY: the one being
# replaced). None of them is derived from another or has a default: whoever has the source must
# not be able to read a copy of the database. Tests alone use fixed keys.
_TEST_KEYS = {
    "SECRET_KEY": "test-secret-key-not-for-any-real-data-0123456789abcdef",
    "PII_KEY": "dGVzdC1waWkta2V5LW5vdC1mb3ItcmVhbC1kYXRhLTA=",
    "PII_HMAC_KEY": "test-hmac-key-not-for-any-real-data-0123456789",
}
_secrets = {name: env_secret(name) for name in ("SECRET_KEY", "PII_KEY", "PII_HMAC_KEY")}
# Tools that load the settings but never read data (the type checker's Django plugin, writing
# migrations or message catalogues) get the test keys too, so a checkout can be linted without secrets.
_TOOLING = "mypy" in sys.modules or (
    Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] in (["makemigrations"], ["makemessages"], ["compilemessages"], ["compile_translations"])
)
if TESTING or _TOOLING:
    _secrets = {name: value or _TEST_KEYS[name] for name, value in _secrets.items()} if _TOOLING else _TEST_KEYS
_missing = [name for name, value in _secrets.items() if not value.strip()]
if _missing:
    raise ImproperlyConfigured(
        f"Hexie does not start without {', '.join(_missing)}: set each (or <NAME>_FILE naming a file that "
        f"holds it). For the demo, `make run` generates keys into var/keys.env; see README, \"Deploying\"."
    )
SECRET_KEY = _secrets["SECRET_KEY"]
PII_KEY = _secrets["PII_KEY"]
PII_HMAC_KEY = _secrets["PII_HMAC_KEY"]
PII_HMAC_OLD_KEY = "" if TESTING else env_secret("PII_HMAC_OLD_KEY")
for _key in PII_KEY.split(","):
    try:
        Fernet(_key.strip())
    except ValueError:
        raise ImproperlyConfigured(
            "PII_KEY must be one or more Fernet keys (32 url-safe base64 bytes), comma-separated, newest "
            "first; generate one with: python -c \"from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())\""
        ) from None
if len(PII_HMAC_KEY) < 32:
    raise ImproperlyConfigured("PII_HMAC_KEY must be at least 32 characters (e.g. python -c \"import secrets; "
                               "print(secrets.token_urlsafe(48))\")")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "hexie.orgs.admin_config.HexieAdminConfig",  # django.contrib.admin, scoped to a jurisdiction
    "django.contrib.auth",
    "axes",  # failed log-ins counted per account and per address (hexie.core.lockout)
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our own static files, no CDN
    "django_htmx",
    "huey.contrib.djhuey",
    "hexie.core",
    "hexie.orgs",
    "hexie.workcal",
    "hexie.cases",
    "hexie.portal",
    "hexie.employers",
    "hexie.credit",
    "hexie.monitoring",
    "hexie.prevention",
    "hexie.bridge",
    "hexie.insights",
    "hexie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hexie.core.middleware.ContentSecurityPolicyMiddleware",
    "hexie.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hexie.core.middleware.RejectNulMiddleware",  # before anything reads the session or the cookies
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hexie.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hexie.core.middleware.EmployerAccountMiddleware",  # an employer's account stays under /employer/
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out log-in (hexie.core.lockout)
]

# Password guessing (hexie/core/lockout.py): LOGIN_FAILURE_LIMIT failed log-ins lock the account, and
# separately the address, for LOGIN_LOCKOUT_MINUTES; an administrator unlocks earlier in the admin.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "hexie.orgs.backends.HexieBackend"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "hexie.core.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "hexie.core.lockout.locked_out"

ROOT_URLCONF = "hexie.urls"
WSGI_APPLICATION = "hexie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hexie" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hexie.core.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_secret("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hexie.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while one of them writes; IMMEDIATE transactions
    # take the write lock up front so that concurrent writers wait instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not shared-cache memory, so they run under the same WAL locking as production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-hexie.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:queue"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "hexie" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "hexie" / "static"]
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request while it is missing
STORAGES = {
    # Every uploaded or generated file is encrypted at rest with the PII key (hexie.core.storage).
    "default": {"BACKEND": "hexie.core.storage.EncryptedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# Monitoring feeds as Parquet files (one per accepted import), read by DuckDB or Spark.
LAKE_DIR = Path(env_str("LAKE_DIR", str(VAR_DIR / "lake")))
MONITOR_ENGINE = env_str("MONITOR_ENGINE", "duckdb")  # duckdb | spark

# The work-order bridge (hexie.bridge): where the messages back to each sending system go (the
# JSON documented in docs/api.md), the bearer token sent with them, and how many attempts a
# message gets before it waits for an administrator. No endpoint: messages wait in the outbox.
BRIDGE_ENDPOINTS = {
    "12345": env_str("HEXIE_BRIDGE_12345_URL", ""),
    "wage_clue": env_str("HEXIE_BRIDGE_WAGE_CLUE_URL", ""),
}
BRIDGE_TOKEN = env_str("HEXIE_BRIDGE_TOKEN", "")
BRIDGE_MAX_ATTEMPTS = env_int("HEXIE_BRIDGE_MAX_ATTEMPTS", 20)
SPARK_MASTER = env_str("SPARK_MASTER", "local[2]")
# The driver's memory and the shuffle partitions of a Spark run (on a cluster: about 2-3 per worker core).
SPARK_DRIVER_MEMORY = env_str("SPARK_DRIVER_MEMORY", "3GB")
SPARK_PARTITIONS = env_int("SPARK_PARTITIONS", 4)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 200 * 1024 * 1024)  # largest feed file accepted
# The largest workbook read, checked before reading: a tiny .xlsx can open as a gigantic grid.
IMPORT_XLSX_MAX_UNPACKED_BYTES = env_int("IMPORT_XLSX_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)
IMPORT_XLSX_MAX_ROWS = env_int("IMPORT_XLSX_MAX_ROWS", 1_048_576)
IMPORT_XLSX_MAX_COLUMNS = env_int("IMPORT_XLSX_MAX_COLUMNS", 200)
IMPORT_XLSX_MAX_CELLS = env_int("IMPORT_XLSX_MAX_CELLS", 15_000_000)  # ~0.8 GB while read
# Background jobs (imports, detection runs, bulletins) hold a lease that their worker renews every
# third of JOB_LEASE_SECONDS; a job whose lease ran out (its worker was killed) is marked failed by
# the reaper, a periodic task (hexie/core/leases.py).
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 300)
# Tests only (ignored otherwise): a pause after each checked block of an import, so that a test can
# kill the worker in the middle of one (hexie/monitoring/tests/test_worker_killed.py).
IMPORT_TEST_BLOCK_DELAY_MS = env_int("IMPORT_TEST_BLOCK_DELAY_MS", 0) if TESTING else 0

# Evidence attachments: what a worker or clerk may upload.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_FILES = env_int("ATTACHMENT_MAX_FILES", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
# Uploads stay in memory until the encrypted storage writes them: Django's temporary-file handler
# would put a clear copy of a feed (ID and card numbers) in /tmp first. The memory handler takes
# files up to FILE_UPLOAD_MAX_MEMORY_SIZE, so that is the largest upload there is.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = max(IMPORT_MAX_BYTES, ATTACHMENT_MAX_BYTES * ATTACHMENT_MAX_FILES) + 1024 * 1024
# Feed originals are deleted this many days after their import (0: as soon as it succeeded); the
# checked rows are in the lake, and the audit log records each deletion.
IMPORT_ORIGINAL_RETENTION_DAYS = env_int("IMPORT_ORIGINAL_RETENTION_DAYS", 90)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "hexie.core.api.exception_handler",
    # DRF's parsers, refusing NUL characters in every body they read (see hexie.core.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "hexie.core.parsers.SafeJSONParser",
        "hexie.core.parsers.SafeFormParser",
        "hexie.core.parsers.SafeMultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hexie API",
    "DESCRIPTION": _(
        "和谐劳动关系治理平台：案件、期限、群众端。\n\n"
        "工作人员接口需要令牌：POST /api/v1/auth/token/ 获取，之后发送 Authorizati"
        "on: Token <令牌>。错误答复：输入错误返回400并指明字段，角色不允许403，不存在或不在辖区内40"
        "4（两者相同），状态不允许或版本过期409。\n\n"
        "答复语言：错误信息和说明文字按请求头 Accept-Language 选择（zh-hans 简体中文或 en "
        "英文），未发送或不支持的语言时为简体中文；答复带 Content-Language 头。数据（姓名、单位名称、"
        "法规依据等）保持原文。\n\n"
        "每个错误都是JSON，包括不存在的地址（404）；空字符或嵌套超过32层的请求体返回400；数据库暂时不可用返"
        "回503并附Retry-After。列表：空的筛选值等于不筛选；第1页总是有效（可为空），超出末页或page="
        "0返回400并指明page。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page works without network: its scripts come from drf-spectacular-sidecar.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No online validator: Swagger UI's default one lives at validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Stable names for choice sets that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "CaseTypeEnum": "hexie.cases.models.CaseType",
        "CreditGradeEnum": "hexie.credit.models.Grade",
        "ChannelEnum": "hexie.cases.models.Channel",
        "CaseStatusEnum": "hexie.cases.models.Status",
        "TrackEnum": "hexie.cases.models.Track",
        "RiskLevelEnum": "hexie.core.enums.RiskLevel",
        "AttentionLevelEnum": "hexie.cases.models.AttentionLevel",
        "ClosureConclusionEnum": "hexie.cases.models.ClosureConclusion",
        "DeadlineStateEnum": "hexie.cases.models.Deadline.State",
        "SupervisionKindEnum": "hexie.cases.models.Supervision.Kind",
        "ProjectStatusEnum": "hexie.employers.models.ProjectStatus",
        "WorkOrderSourceEnum": "hexie.bridge.models.Source",
    },
}

REDIS_URL = env_secret("REDIS_URL", "")
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", TESTING)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "hexie",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "hexie",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and not TESTING
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend" if TESTING else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hexie@localhost")
# SMS goes through an adapter; the default one writes each message to the log.
SMS_BACKEND = env_str("SMS_BACKEND", "hexie.cases.notify.LoggingSmsBackend")

# The bureau this installation serves: its division code prefixes case numbers.
HEXIE_BUREAU_CODE = env_str("HEXIE_BUREAU_CODE", "430100")
# Its name in the admin header; empty: the name of the unit HEXIE_BUREAU_CODE names + 人力资源和社会保障局.
HEXIE_BUREAU_NAME = env_str("HEXIE_BUREAU_NAME", "")
# Public portal: filings per IP per hour.
PORTAL_RATE_LIMIT_PER_HOUR = env_int("PORTAL_RATE_LIMIT_PER_HOUR", 10)
# Public tracking: failed look-ups per IP per hour before the address is told to wait.
PORTAL_TRACK_FAILURES_PER_HOUR = env_int("PORTAL_TRACK_FAILURES_PER_HOUR", 20)
# Reverse proxies in front of the web server that append to X-Forwarded-For (0 = none: use the
# connection's address). Set it to the number of proxies, or the limits count the proxy's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The address printed on QR posters; empty: the address each request reached (hexie.core.public_url).
HEXIE_PUBLIC_URL = env_str("HEXIE_PUBLIC_URL", "").strip()
if HEXIE_PUBLIC_URL and not re.match(r"^https?://[^/\s]+", HEXIE_PUBLIC_URL):
    raise ImproperlyConfigured(f"HEXIE_PUBLIC_URL must be an http(s) address, got {HEXIE_PUBLIC_URL!r}")

# HTTPS. In production (HEXIE_PRODUCTION=1) cookies are secure-only, plain HTTP is redirected and
# browsers are told to use HTTPS for a year (HSTS); each can be set explicitly. Behind a TLS-ending
# proxy set SECURE_PROXY_SSL_HEADER=1 (the proxy must set X-Forwarded-Proto). `manage.py check
# --deploy` is clean with the production variables in the README.
_PRODUCTION = env_bool("HEXIE_PRODUCTION")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _PRODUCTION else 0)
# A bureau's portal usually lives on a subdomain of the government's domain, whose other hosts it
# cannot vouch for: subdomains and preloading are the bureau's decision. Silenced below for that reason.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005", "security.W021"]
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (hexie.core.middleware): the pages load only their own
# static files — no CDN, no inline script or style — so nothing else is allowed.
CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY", "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'",
]))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "hexie": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
        # Server errors reach the console (and so the service's log) also with DEBUG off.
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Supervision (督办): remind this many working days before a deadline; escalate to the responsible
# leader this many working days after the overdue notice.
SUPERVISION_DUE_SOON_WORKING_DAYS = env_int("SUPERVISION_DUE_SOON_WORKING_DAYS", 2)
SUPERVISION_ESCALATE_AFTER_WORKING_DAYS = env_int("SUPERVISION_ESCALATE_AFTER_WORKING_DAYS", 3)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)

if TESTING:
    # Each test creates a handful of users; PBKDF2 would spend most of the suite hashing passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

"""Every setting of the project, driven by the environment (STYLE rule 18).

Production differs from the embedded default only by environment variables:

- ``DJANGO_DEBUG`` (bool, default off), ``DJANGO_ALLOWED_HOSTS`` (comma list),
- ``DATABASE_URL`` (``postgres://user:pass@host:5432/name`` or ``sqlite:///path``; default: SQLite
  in ``var/db.sqlite3``),
- secrets ``DJANGO_SECRET_KEY``, ``ZHULAO_AUDIT_KEY``, ``ZHULAO_PII_KEY`` — each may also be given
  as ``<NAME>_FILE`` pointing to a file. Secrets have no defaults: with DEBUG off a missing secret
  stops start-up; with DEBUG on (``make run``) a random one is generated once into ``var/``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHULAO_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else int(raw)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, *, dev_default: bool) -> str:
    """A secret from ``NAME`` or the file named by ``NAME_FILE``.

    Without either, a development instance (DEBUG on) gets a random value generated once and kept
    in ``var/<name>`` (mode 0600); a production instance refuses to start.
    """
    value = os.environ.get(name)
    if value:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    if not dev_default:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set when DEBUG is off.")
    path = VAR_DIR / name.lower()
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def database_from_url(url: str) -> dict[str, object]:
    """Parse ``DATABASE_URL``: ``postgres://user:pw@host:port/name`` or ``sqlite:///path``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        name = path[1:] if path.startswith("//") else path
        if not name or name == "/":
            name = str(VAR_DIR / "db.sqlite3")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"Unsupported DATABASE_URL scheme: {parsed.scheme!r}")


DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY", dev_default=DEBUG)
# Key of the audit hash chain (HMAC-SHA256); separate from SECRET_KEY so rotating one leaves the other.
AUDIT_CHAIN_KEY = env_secret("ZHULAO_AUDIT_KEY", dev_default=DEBUG)
# Personal-data encryption key (AES-GCM + blind index, zhulao/core/crypto.py); old keys still decrypt.
PII_KEY = env_secret("ZHULAO_PII_KEY", dev_default=DEBUG)
PII_OLD_KEYS = env_list("ZHULAO_PII_OLD_KEYS")
# The city that runs the programme: 本市户籍 means a registration code under this prefix.
HOME_REGION_PREFIX = env_str("ZHULAO_HOME_REGION_PREFIX", "3506")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # before staticfiles: runserver then leaves static files to WhiteNoise, as in production
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from its own static files (not a CDN) for /api/v1/docs
    # our apps, in dependency order (docs/architecture.md)
    "zhulao.core",
    "zhulao.regions",
    "zhulao.accounts",
    "zhulao.policy",
    "zhulao.people",
    "zhulao.posts",
    "zhulao.eldercare",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # static files: compressed, hashed names, cached for a year (docs/decisions/0011-static-files-and-compression.md)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed too: CSRF tokens are masked per response and Django pads each gzip
    # response with random bytes against BREACH (docs/decisions/0011-static-files-and-compression.md)
    "django.middleware.gzip.GZipMiddleware",
    "zhulao.core.middleware.RequestContextMiddleware",
    "zhulao.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "zhulao.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhulao.accounts.context_processors.navigation",
                "zhulao.regions.context_processors.focus",
                "zhulao.eldercare.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["zhulao.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhulao.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Security bar (reference/SECURITY.md "Parameters"); tests read them from here.
LOGIN_FAIL_LIMIT = env_int("ZHULAO_LOGIN_FAIL_LIMIT", 5)
LOCKOUT_MINUTES = env_int("ZHULAO_LOCKOUT_MINUTES", 30)
# Failed logins from one client address (offices share one address: well above LOGIN_FAIL_LIMIT, so
# one locked account never blocks a colleague; 30 usernames tried from one address get 429).
LOGIN_IP_FAIL_LIMIT = env_int("ZHULAO_LOGIN_IP_FAIL_LIMIT", 20)
LOGIN_IP_WINDOW_MINUTES = env_int("ZHULAO_LOGIN_IP_WINDOW_MINUTES", 15)
# The public application form, per hour: applications received and attempts per client address, and
# attempts over everyone (a ceiling against enumeration spread over many addresses).
PUBLIC_APPLY_PER_IP_PER_HOUR = env_int("ZHULAO_PUBLIC_APPLY_PER_IP_PER_HOUR", 5)
PUBLIC_APPLY_ATTEMPTS_PER_IP_PER_HOUR = env_int("ZHULAO_PUBLIC_APPLY_ATTEMPTS_PER_IP_PER_HOUR", 20)
PUBLIC_APPLY_GLOBAL_PER_HOUR = env_int("ZHULAO_PUBLIC_APPLY_GLOBAL_PER_HOUR", 600)
# Objections to a public notice per client address per hour; failed family-link look-ups per address per hour.
OBJECTIONS_PER_IP_PER_HOUR = env_int("ZHULAO_OBJECTIONS_PER_IP_PER_HOUR", 5)
CONFIRMATION_LOOKUP_FAILS_PER_IP_PER_HOUR = env_int("ZHULAO_CONFIRMATION_LOOKUP_FAILS_PER_IP_PER_HOUR", 20)
IDLE_TIMEOUT_MINUTES = env_int("ZHULAO_IDLE_TIMEOUT_MINUTES", 30)
ADMIN_IDLE_TIMEOUT_MINUTES = env_int("ZHULAO_ADMIN_IDLE_TIMEOUT_MINUTES", 15)
# The audit administrator's workbench asks for a chain verification older than this (or never done).
AUDIT_VERIFY_MAX_AGE_DAYS = env_int("ZHULAO_AUDIT_VERIFY_MAX_AGE_DAYS", 7)
# The security administrator's workbench lists role assignments ending within this many days.
ROLE_ENDING_WARN_DAYS = env_int("ZHULAO_ROLE_ENDING_WARN_DAYS", 14)
ABSOLUTE_SESSION_HOURS = env_int("ZHULAO_ABSOLUTE_SESSION_HOURS", 12)

SESSION_COOKIE_AGE = ABSOLUTE_SESSION_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = False
# Government intranet hosts are not submitted to browsers' public HSTS preload list.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
X_FRAME_OPTIONS = "DENY"
# A strict CSP: no inline script or style anywhere in our templates.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("ZHULAO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Built static files (docs/decisions/0011-static-files-and-compression.md): `collectstatic` writes each
# file under a content-hashed name with .gz and .br copies into STATIC_ROOT, pages link the hashed names,
# and WhiteNoise sends them compressed with a one-year, immutable cache lifetime. On by default with DEBUG
# off (production must run collectstatic); off for `make run`, which serves static/ as it is edited.
STATIC_BUILT = env_bool("ZHULAO_STATIC_BUILT", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "zhulao.core.staticfiles.BuiltStaticFilesStorage"
        if STATIC_BUILT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_BUILT
WHITENOISE_AUTOREFRESH = not STATIC_BUILT
# Pages link only the hashed names; source maps are for developer tools, not worth compressing.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("woff", "woff2", "mp4", "webm", "pdf", "xlsx", "map"),
)

# Uploaded files (activity photos). Never served as static files: MEDIA_URL stays unset and no URL maps
# to MEDIA_ROOT; each file is sent by a view that checks the user's scope first. Keep it out of any web root.
MEDIA_ROOT = Path(env_str("ZHULAO_MEDIA_ROOT", str(VAR_DIR / "media")))
# The largest activity photo accepted (bytes).
ACTIVITY_PHOTO_MAX_BYTES = env_int("ZHULAO_ACTIVITY_PHOTO_MAX_BYTES", 5 * 1024 * 1024)

TASKS = {
    "default": {
        "BACKEND": env_str("ZHULAO_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ZHULAO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Development and tests only: a file holding days to add to the platform clock (zhulao/core/clock.py).
CLOCK_OFFSET_FILE = env_str("ZHULAO_CLOCK_OFFSET_FILE")
if CLOCK_OFFSET_FILE and not DEBUG:
    raise ImproperlyConfigured("ZHULAO_CLOCK_OFFSET_FILE may only be used with DEBUG on.")

# Daily quota of full-value (unmasked) views per user (SECURITY "UNMASK_QUOTA").
UNMASK_QUOTA = env_int("ZHULAO_UNMASK_QUOTA", 50)

# Spreadsheet imports (zhulao/core/imports): the largest file, the most data rows, and the most rows
# run straight away in the upload request (larger files go to the task worker).
IMPORT_MAX_BYTES = env_int("ZHULAO_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("ZHULAO_IMPORT_MAX_ROWS", 50_000)
IMPORT_SYNC_MAX_ROWS = env_int("ZHULAO_IMPORT_SYNC_MAX_ROWS", 200)

"""Django settings for Fazhi.

Everything that differs between a laptop and a production server comes from the environment:
``DATABASE_URL`` (default: an embedded SQLite file under ``FAZHI_DATA_DIR``), ``FAZHI_SECRET_KEY``,
``FAZHI_DEBUG``, ``FAZHI_ALLOWED_HOSTS``, ``FAZHI_DB_CONN_MAX_AGE`` (seconds, default 60), ``REDIS_URL``
(background tasks on RQ instead of the database queue).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FAZHI_DATA_DIR", BASE_DIR / "var"))
# The database, its WAL, uploads and keys are readable by the server's own account only.
os.umask(0o077)
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use FAZHI_SECRET_KEY, else a key generated once and kept beside the database."""
    if key := os.environ.get("FAZHI_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _data_keys() -> dict[str, object]:
    """Keys of personal data at rest (fazhi.org.fields): Fernet keys (the first encrypts, all decrypt,
    so a key can be rotated) and the key of the digest that finds a 身份证号 without decrypting. From
    FAZHI_DATA_KEYS (comma-separated) and FAZHI_DIGEST_KEY, else generated once beside the database."""
    import json

    from cryptography.fernet import Fernet

    path = DATA_DIR / "data_keys.json"
    if not path.exists() and not os.environ.get("FAZHI_DATA_KEYS"):
        keys = {"fernet": [Fernet.generate_key().decode()], "digest": secrets.token_urlsafe(32)}
        path.write_text(json.dumps(keys))
        path.chmod(0o600)
    stored = json.loads(path.read_text()) if path.exists() else {}
    fernet = [k for k in os.environ.get("FAZHI_DATA_KEYS", "").split(",") if k] or stored["fernet"]
    return {"fernet": fernet, "digest": os.environ.get("FAZHI_DIGEST_KEY") or stored["digest"]}


DATA_KEYS = _data_keys()
DEBUG = os.environ.get("FAZHI_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("FAZHI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "fazhi.accounts",
    "fazhi.core",
    "fazhi.org",
    "fazhi.workdays",
    "fazhi.rules",
    "fazhi.indicators",
    "fazhi.reports",
    "fazhi.registers",
    "fazhi.discretion",
    "fazhi.enforcement",
    "fazhi.casereview",
    "fazhi.decisions",
    "fazhi.inspections",
    "fazhi.onsite",
    "fazhi.publicity",
    "django_tasks",
    "django_tasks_db",
    "fazhi.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "fazhi.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fazhi.accounts.middleware.IdleTimeoutMiddleware",
    "fazhi.accounts.middleware.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "fazhi.org.middleware.ScopeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.core.context_processors.layout",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'fazhi.sqlite3'}",
        # persistent connections in production; tests set 0 so no server thread holds the test database
        conn_max_age=int(os.environ.get("FAZHI_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Background work (Django's Tasks framework through the django-tasks backport; fazhi/jobs records each
# run as a Job with its progress). By default the queue is a table of the project's own database (SQLite
# and PostgreSQL alike) and `fazhi worker` runs django-tasks-db's worker; with REDIS_URL the queue is RQ
# on Redis, for deployments with several workers. Tests keep the database queue and run the worker in
# the test process (fazhi.jobs.testing.run_queued_tasks), so a task goes through the real enqueue,
# serialisation, claim and run path rather than an immediate backend that would hide such bugs.
REDIS_URL = os.environ.get("REDIS_URL", "")
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3 * 3600}}
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The cache: Redis with REDIS_URL, else the memory of the one waitress process `fazhi serve` runs (its
# threads share it; under gunicorn, each process counts alone). The public pages' rate limit
# (django-ratelimit) counts there, per client address as django-axes sees it (FAZHI_PROXY_COUNT behind
# a proxy). (django-ratelimit is used as a library, not an
# app: its checks would ask for memcached or django-redis, but Django's RedisCache increments atomically
# too, and one process needs no shared cache.)
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_IP_META_KEY = "axes.helpers.get_client_ip_address"
PUBLIC_RATE = os.environ.get("FAZHI_PUBLIC_RATE", "120/m")  # requests per client address to public pages
PUBLIC_MAX_AGE = 300  # seconds browsers and proxies may keep a public page

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

_PASSWORD_MIN_LENGTH = max(10, int(os.environ.get("FAZHI_PASSWORD_MIN_LENGTH", "10")))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": _PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fazhi.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "fazhi.accounts.validators.GuessableWordValidator"},
]

# Login security (fazhi/accounts). django-axes counts failed logins per account and per address: an
# account is locked after FAZHI_LOGIN_FAILURES failures, an address after FAZHI_LOGIN_ADDRESS_FAILURES
# (higher: a township office reaches the server through one NAT address), both for
# FAZHI_LOGIN_LOCK_MINUTES. Behind a reverse proxy set FAZHI_PROXY_COUNT so the client's address is
# read from X-Forwarded-For instead of the proxy's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "fazhi.accounts.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("FAZHI_LOGIN_FAILURES", "5"))
FAZHI_LOGIN_ADDRESS_FAILURES = int(os.environ.get("FAZHI_LOGIN_ADDRESS_FAILURES", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("FAZHI_LOGIN_LOCK_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = False  # failures expire after the lock time; a success must not clear an address
AXES_LOCKOUT_CALLABLE = "fazhi.accounts.views.lockout"
AXES_USERNAME_CALLABLE = "fazhi.accounts.lockout.client_username"
AXES_ENABLE_ADMIN = True
if os.environ.get("FAZHI_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["FAZHI_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# A session ends after FAZHI_IDLE_MINUTES without a request (and at the latest SESSION_COOKIE_AGE
# after the last activity). OTP_TOTP_ISSUER names the system in the authenticator app.
FAZHI_IDLE_TIMEOUT = 60 * int(os.environ.get("FAZHI_IDLE_MINUTES", "30"))
OTP_TOTP_ISSUER = "法治政府建设管理系统"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from the npm registry at install time (package.json) and are served by
# whitenoise straight from node_modules: no CDN, no committed minified copies.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.is_dir()]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Production profile (README "Operations"). FAZHI_PRODUCTION=1 makes every account still on the demo
# password (or on one an administrator issued) choose its own at login; FAZHI_HTTPS=1 implies it and
# turns on the HTTPS settings: redirect to https, HSTS (FAZHI_HSTS_SECONDS, default a year), Secure
# cookies. Behind a reverse proxy that terminates TLS, FAZHI_PROXY_SSL_HEADER=1 trusts its
# X-Forwarded-Proto: set it only when the proxy overwrites that header on every request.
FAZHI_HTTPS = os.environ.get("FAZHI_HTTPS", "") == "1"
FAZHI_PRODUCTION = FAZHI_HTTPS or os.environ.get("FAZHI_PRODUCTION", "") == "1"
if FAZHI_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("FAZHI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if os.environ.get("FAZHI_PROXY_SSL_HEADER", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if origins := os.environ.get("FAZHI_CSRF_TRUSTED_ORIGINS"):
    CSRF_TRUSTED_ORIGINS = origins.split(",")

# Content-Security-Policy on every response (django-csp): scripts and styles only from this server's
# own files, no inline script, event handler attribute or style attribute; images also as data: (the
# QR code of the authenticator, Bootstrap's form icons). Nothing is ever loaded from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FAZHI_LOG_LEVEL", "WARNING")},
}

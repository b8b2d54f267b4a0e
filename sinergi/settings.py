"""Sinergi settings: one module, driven by the environment.

Every setting an operator may change is read from a `SINERGI_*` variable (or `DATABASE_URL`).
Secrets may also come from a file named by `<NAME>_FILE`, so they can live in a Docker/systemd
secret instead of the process environment. See docs/configuration.md.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE

from sinergi.envconfig import SinergiConfigError, env, env_bool, env_int, env_secret

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


ENVIRONMENT = env("SINERGI_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise SinergiConfigError(f"SINERGI_ENV must be 'development' or 'production', not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("SINERGI_DEBUG", default=not PRODUCTION)
# With DEBUG on, Django's technical error pages (every route, tracebacks) instead of Sinergi's own.
# For a developer at their desk only; off by default, so a demo never shows them.
SINERGI_TECHNICAL_ERRORS = env_bool("SINERGI_TECHNICAL_ERRORS", default=False)
# Demo mode: demo accounts exist and are not asked for MFA. Only `make demo` sets it.
DEMO = env_bool("SINERGI_DEMO", default=False)

VAR_DIR = Path(env("SINERGI_VAR_DIR", str(BASE_DIR / "var")))


def _ensure_var_dir():
    from sinergi.core.private_files import private_dir

    try:
        private_dir(VAR_DIR)  # 0700: the database, keys and uploads are the app user's alone
    except OSError as exc:
        raise SinergiConfigError(
            f"Cannot create the data folder {VAR_DIR} ({exc.strerror}); set SINERGI_VAR_DIR to a writable folder."
        ) from None
    if not os.access(VAR_DIR, os.W_OK):
        raise SinergiConfigError(
            f"The data folder {VAR_DIR} is not writable; fix its permissions or set SINERGI_VAR_DIR."
        )


def _dev_secret(filename):
    """A development secret generated once into var/ (git-ignored), never committed."""
    import secrets

    from sinergi.core.private_files import write_private

    path = VAR_DIR / filename
    if not path.exists():
        _ensure_var_dir()
        write_private(path, secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env_secret("SINERGI_SECRET_KEY")
if PRODUCTION:
    if not SECRET_KEY:
        raise SinergiConfigError(
            "Production needs a secret key: set SINERGI_SECRET_KEY or SINERGI_SECRET_KEY_FILE."
        )
    if len(SECRET_KEY) < 50:
        raise SinergiConfigError("SINERGI_SECRET_KEY is too short: use at least 50 random characters.")
    if DEBUG:
        raise SinergiConfigError("Production refuses to start with SINERGI_DEBUG on; unset it.")
    if DEMO:
        raise SinergiConfigError("Production refuses to start in demo mode; unset SINERGI_DEMO.")
elif not SECRET_KEY:
    SECRET_KEY = _dev_secret("dev_secret_key")

ALLOWED_HOSTS = [
    h.strip() for h in env("SINERGI_ALLOWED_HOSTS", "" if PRODUCTION else "*").split(",") if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise SinergiConfigError("Production needs SINERGI_ALLOWED_HOSTS, e.g. sinergi.payakumbuhkota.go.id.")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("SINERGI_CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "sinergi.core",
    "sinergi.regions",
    "sinergi.accounts",
    "sinergi.audit",
    "sinergi.cases",
    "sinergi.referrals",
    "sinergi.notifications",
    "sinergi.coordination",
    "sinergi.deadlines",
    "sinergi.interventions",
    "sinergi.portal",
    "sinergi.reports",
    "sinergi.workspace",
    "sinergi.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sinergi.core.middleware.RequestIdMiddleware",
    # Before anything looks a value up: a NUL byte in a request is a 400 page (PostgreSQL cannot take one).
    "sinergi.core.middleware.RejectNulMiddleware",
    "sinergi.audit.context.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Indonesian unless chosen otherwise with the language switch (never the browser's language).
    "sinergi.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Session time limits and the MFA requirement (before session tracking: an ended session is not tracked).
    "sinergi.accounts.middleware.AccountSecurityMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "sinergi.core.middleware.SecurityHeadersMiddleware",
    # Sinergi's own error pages with DEBUG on too (sinergi.core.errorpages). Last, so its pages
    # still get every header above and CommonMiddleware still adds a missing trailing slash.
    "sinergi.core.errorpages.OwnErrorPagesMiddleware",
]

ROOT_URLCONF = "sinergi.urls"
WSGI_APPLICATION = "sinergi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "sinergi.accounts.context_processors.sinergi",
                "sinergi.notifications.context_processors.unread_notifications",
                "sinergi.portal.context_processors.danger_alarms",
            ],
        },
    }
]

# --- Encryption of personal data -------------------------------------------------------------
# The key ring for personal-data fields (sinergi/core/crypto.py). Never stored in the database;
# back it up separately from the database (docs/deployment.md).
SINERGI_DATA_KEYS = env_secret("SINERGI_DATA_KEYS")
if not SINERGI_DATA_KEYS:
    if PRODUCTION:
        raise SinergiConfigError(
            "Production needs the data key ring: set SINERGI_DATA_KEYS_FILE (create one with "
            "`manage.py generate_data_keys`)."
        )
    _keys_path = VAR_DIR / "data_keys.json"
    if not _keys_path.exists():
        from sinergi.core.crypto import generate_key_ring_json
        from sinergi.core.private_files import write_private

        _ensure_var_dir()
        write_private(_keys_path, generate_key_ring_json())
    SINERGI_DATA_KEYS = _keys_path.read_text()
try:
    from sinergi.core.crypto import parse_key_ring

    parse_key_ring(SINERGI_DATA_KEYS)
except Exception as _exc:
    raise SinergiConfigError(f"SINERGI_DATA_KEYS: {_exc}") from None

# --- Audit trail checkpoints ----------------------------------------------------------------
# Signed checkpoints of the audit chain's head (sinergi/audit/checkpoints.py), outside the
# database: a cut or wiped trail is found against them. Put the file where a database intruder
# cannot write (another disk or host mount) and ship the `sinergi.audit.checkpoint` log lines off
# the server (docs/audit.md).
SINERGI_AUDIT_CHECKPOINT_FILE = Path(
    env("SINERGI_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit_checkpoints.jsonl"))
)

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_secret("DATABASE_URL")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("SINERGI_DB_CONN_MAX_AGE", 60))
    except Exception as exc:  # dj_database_url raises several types for a malformed URL
        raise SinergiConfigError(
            f"DATABASE_URL is not a valid database URL ({exc}); expected postgres://user:pass@host:5432/name."
        ) from None
    if _db.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise SinergiConfigError(
            "DATABASE_URL must point to PostgreSQL (postgres://...) or SQLite (sqlite:///...)."
        )
    _db["CONN_HEALTH_CHECKS"] = True
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db.setdefault("OPTIONS", {})["connect_timeout"] = env_int("SINERGI_DB_CONNECT_TIMEOUT", 5)
        _db.setdefault("TEST", {})["NAME"] = env("SINERGI_TEST_DB_NAME") or None
        # Needed behind pgbouncer in transaction pooling mode.
        _db["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("SINERGI_DB_DISABLE_SERVER_SIDE_CURSORS", default=False)
else:
    _ensure_var_dir()
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "sinergi.sqlite3",
    }
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db.setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
            # start of a transaction so concurrent writers wait instead of failing mid-way.
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # The test database is a file, not memory, so tests can prove behaviour under concurrent
    # connections (registration numbers) on SQLite too.
    _db.setdefault("TEST", {}).setdefault("NAME", str(VAR_DIR / "test_sinergi.sqlite3"))
    # The database file and its journals are created 0600 (SQLite gives the -wal and -shm files
    # the database file's mode), so another account on the server cannot copy them.
    if str(_db["NAME"]) != ":memory:" and not str(_db["NAME"]).startswith("file:"):
        from sinergi.core.private_files import private_file

        for _suffix in ("", "-wal", "-shm"):
            _path = Path(f"{_db['NAME']}{_suffix}")
            if _path.parent.is_dir() and (_suffix == "" or _path.exists()):
                private_file(_path)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env_secret("SINERGI_REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and authentication ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length, not composition: at least 12 characters, up to 128 (so passphrases fit), no common
# passwords and none of the words anyone here would try first (sinergi.accounts.validators).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "sinergi.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sinergi.accounts.validators.ContextWordsValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "sinergi.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# Per IP: allauth's throttle. Per account: Sinergi's lockout below (sinergi.accounts.security), which
# an administrator can lift; allauth's per-key limit stays as a looser backstop that never trips
# before the lockout does, so an unlock takes effect at once.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,20/15m/key"}
# Exports, user management and break-glass ask for the password again (@reauth_required) unless the
# user confirmed it within this many seconds.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
USERSESSIONS_TRACK_ACTIVITY = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "sinergi.accounts.adapters.MFAAdapter"
MFA_TOTP_ISSUER = "Sinergi"
# The code forms refuse while the account is locked, like the password form.
MFA_FORMS = {
    "authenticate": "sinergi.accounts.security.MFAAuthenticateForm",
    "reauthenticate": "sinergi.accounts.security.MFAReauthenticateForm",
}

# Every account must use an authenticator app (TOTP, with recovery codes) before it can do anything.
# `manage.py check --deploy` refuses SINERGI_MFA_REQUIRED=0 in production. Demo accounts in demo mode
# are exempt. SINERGI_MFA_EXEMPT_ROLES lists roles that are not asked (comma-separated role codes),
# e.g. "pimpinan" where leadership only reads aggregate statistics; empty by default.
SINERGI_MFA_REQUIRED = env_bool("SINERGI_MFA_REQUIRED", default=True)
SINERGI_MFA_EXEMPT_ROLES = tuple(
    r.strip().lower() for r in env("SINERGI_MFA_EXEMPT_ROLES").split(",") if r.strip()
)
# After this many consecutive failed logins an account is locked for this many minutes.
SINERGI_LOCKOUT_THRESHOLD = env_int("SINERGI_LOCKOUT_THRESHOLD", 5)
SINERGI_LOCKOUT_MINUTES = env_int("SINERGI_LOCKOUT_MINUTES", 15)
# Failures from all addresses together that lock an account for everyone (the lock per address
# comes first, at SINERGI_LOCKOUT_THRESHOLD): docs/security.md.
SINERGI_LOCKOUT_GLOBAL_THRESHOLD = env_int("SINERGI_LOCKOUT_GLOBAL_THRESHOLD", 20)
# A session ends after this long without activity (htmx polling does not count), and this long after
# the login whatever the activity (sinergi.accounts.middleware).
SINERGI_SESSION_IDLE_MINUTES = env_int("SINERGI_SESSION_IDLE_MINUTES", 30)
SINERGI_SESSION_MAX_HOURS = env_int("SINERGI_SESSION_MAX_HOURS", 12)
# How long a link from the e-mail password reset works (units turn the reset on themselves:
# sinergi/accounts/email_reset.py). The managers' set-password links keep PASSWORD_RESET_TIMEOUT.
SINERGI_PASSWORD_RESET_EMAIL_MINUTES = env_int("SINERGI_PASSWORD_RESET_EMAIL_MINUTES", 60)
# Its request page's limits: requests per client address per 15 minutes, per typed address per hour.
SINERGI_PASSWORD_RESET_EMAIL_LIMITS = {
    "client": (env_int("SINERGI_PASSWORD_RESET_EMAILS_PER_IP", 5), 15 * 60),
    "address": (env_int("SINERGI_PASSWORD_RESET_EMAILS_PER_ADDRESS", 3), 60 * 60),
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = SINERGI_SESSION_MAX_HOURS * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Audits the refusal, then shows sinergi.core.views.csrf_failure's page.
CSRF_FAILURE_VIEW = "sinergi.accounts.middleware.csrf_failure"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "sinergi_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
# Uploads (documents, evidence, import files) are the app user's alone.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# The proxies whose X-Forwarded-For is believed (sinergi/core/net.py): addresses or CIDR ranges,
# comma-separated, e.g. "127.0.0.1" for nginx on the same server. Empty: the peer is the client.
try:
    from sinergi.core.net import parse_networks

    SINERGI_TRUSTED_PROXIES = parse_networks(env("SINERGI_TRUSTED_PROXIES", "").split(","))
except ValueError as _exc:
    raise SinergiConfigError(
        f"SINERGI_TRUSTED_PROXIES: {_exc}; expected addresses or networks such as 127.0.0.1,10.0.0.0/24."
    ) from None
if PRODUCTION:
    # Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SINERGI_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SINERGI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SINERGI_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for the exact host, with path "/".
    SESSION_COOKIE_NAME = "__Host-sinergi_session"
    CSRF_COOKIE_NAME = "__Host-sinergi_csrf"
else:
    SESSION_COOKIE_NAME = "sinergi_session"
    CSRF_COOKIE_NAME = "sinergi_csrf"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Request bodies: generous enough for forms, small enough to refuse abuse early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Case documents: the largest file accepted, in MB (checked while the upload arrives).
SINERGI_UPLOAD_MAX_MB = env_int("SINERGI_UPLOAD_MAX_MB", 20)
# Historical import (docs/import.md): the largest file in MB, and the most rows one import takes.
SINERGI_IMPORT_MAX_MB = env_int("SINERGI_IMPORT_MAX_MB", 10)
SINERGI_IMPORT_MAX_ROWS = env_int("SINERGI_IMPORT_MAX_ROWS", 20_000)
# Public portal abuse limits (docs/portal.md): reports accepted per address per hour and overall per
# hour; wrong tracking code/PIN tries per address per 15 minutes and per code per hour.
SINERGI_PORTAL_LIMITS = {
    "report_ip": (env_int("SINERGI_PORTAL_REPORTS_PER_IP_HOUR", 5), 60 * 60),
    "report_global": (env_int("SINERGI_PORTAL_REPORTS_PER_HOUR", 200), 60 * 60),
    "track_ip": (env_int("SINERGI_PORTAL_TRACK_TRIES_PER_IP", 10), 15 * 60),
    "track_code": (env_int("SINERGI_PORTAL_PIN_TRIES_PER_CODE", 5), 60 * 60),
}

# --- Background tasks -------------------------------------------------------------------------
# django-tasks with its database backend: jobs wait in a table and `manage.py db_worker` runs them
# (docs/deployment.md). "immediate" runs each job inside the request that enqueues it: what the
# tests use, and a fallback for a laptop without a worker.
SINERGI_TASKS = env("SINERGI_TASKS", "database").strip().lower()
if SINERGI_TASKS not in {"database", "immediate"}:
    raise SinergiConfigError(f"SINERGI_TASKS must be database or immediate, not {SINERGI_TASKS!r}.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if SINERGI_TASKS == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "SINERGI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("SINERGI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SINERGI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("SINERGI_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_secret("SINERGI_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("SINERGI_EMAIL_TLS", default=False)
DEFAULT_FROM_EMAIL = env("SINERGI_EMAIL_FROM", "Sinergi <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Sinergi operator", a.strip()) for a in env("SINERGI_ADMINS").split(",") if a.strip()]

# Error reports (mail to ADMINS, logs) never carry form contents or cookies: they may hold a
# survivor's personal data.
DEFAULT_EXCEPTION_REPORTER_FILTER = "sinergi.core.errors.NoPersonalDataReporterFilter"

# --- Logging --------------------------------------------------------------------------------
# Log lines carry request ids and public ids only: never a name, NIK or phone (UU TPKS Ps 69).
LOG_LEVEL = env("SINERGI_LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise SinergiConfigError(
        f"SINERGI_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sinergi.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Scanners probing with wrong Host headers are noise, not incidents to e-mail about.
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# --- Sinergi --------------------------------------------------------------------------------
SINERGI_SITE_NAME = env("SINERGI_SITE_NAME", "Sinergi")
# Where the operator puts each unit's official logo (PNG, JPEG or WebP); the kepala names the file
# in the public-page settings (docs/configuration.md).
SINERGI_BRANDING_DIR = Path(env("SINERGI_BRANDING_DIR", str(VAR_DIR / "branding")))
# Where the quick exit ends: empty for the neutral page /keluar/, or an outside https:// site
# (the neutral page still first drops this site's entries from the tab's history, then leaves).
SINERGI_QUICK_EXIT_URL = env("SINERGI_QUICK_EXIT_URL", "").strip()
if SINERGI_QUICK_EXIT_URL and not (
    SINERGI_QUICK_EXIT_URL.startswith("https://")
    and " " not in SINERGI_QUICK_EXIT_URL
    and len(SINERGI_QUICK_EXIT_URL) > 9
):
    raise SinergiConfigError(
        f"SINERGI_QUICK_EXIT_URL must be an https:// address (or empty), not {SINERGI_QUICK_EXIT_URL!r}."
    )
# The Kemendagri code of the region the installation serves (its name is refused in passwords).
SINERGI_HOME_REGION = env("SINERGI_HOME_REGION", "13.76")
SINERGI_DEMO_PASSWORD = env_secret("SINERGI_DEMO_PASSWORD")

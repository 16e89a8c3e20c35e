"""Kring settings: one module, every value from an environment variable with a default that
serves the embedded demo. Each variable is documented in docs/configuration.md."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kring.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("KRING_VAR_DIR", str(Path.cwd() / "var")))

DEBUG = env_bool("KRING_DEBUG", False)
# The demo switch: turns the second factor off and shows a "demo" banner on every page.
DEMO_MODE = env_bool("KRING_DEMO_MODE", False)
SECRET_KEY = env_str("KRING_SECRET_KEY", "")
if not SECRET_KEY:
    # Only the demo may sign with the public key in this file (issue 14, finding 9): not
    # KRING_DEBUG, which someone may switch on anywhere. No random key per process either:
    # the web processes, the runserver reloader and the worker must share one key.
    if not DEMO_MODE:
        raise ImproperlyConfigured(
            "KRING_SECRET_KEY must be set, also with KRING_DEBUG on: 50 or more random "
            "characters, the same for every process (for example the output of `python -c "
            '"import secrets; print(secrets.token_urlsafe(50))"`). Only KRING_DEMO_MODE may '
            "run without it, with the public demo key."
        )
    SECRET_KEY = "kring-demo-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105
# Old secret keys, newest first: what they signed still opens, recovery codes keep working.
SECRET_KEY_FALLBACKS = env_list("KRING_SECRET_KEY_FALLBACKS", [])

# Keys that seal the secrets Kring must read back (TOTP secrets, links in the outbox), apart
# from SECRET_KEY and the database: the first seals, every key opens (docs/adr/0014).
KRING_FIELD_KEYS = env_list("KRING_FIELD_KEYS", [])
if not KRING_FIELD_KEYS:
    if not DEMO_MODE:
        from kring.core.sealing import NEW_KEY_COMMAND

        raise ImproperlyConfigured(
            "KRING_FIELD_KEYS must be set: one or more keys, comma-separated, the first "
            f"seals. Make one with: {NEW_KEY_COMMAND} and keep it apart from the database "
            "backups. Only KRING_DEMO_MODE may run without it, with the public demo key."
        )
    from kring.core.sealing import DEMO_KEY

    KRING_FIELD_KEYS = [DEMO_KEY]
else:
    from kring.core.sealing import parse_keys

    KRING_FIELD_KEYS = parse_keys(
        KRING_FIELD_KEYS,
        secret_key=SECRET_KEY,
        secret_key_fallbacks=SECRET_KEY_FALLBACKS,
        demo=DEMO_MODE,
    )

ALLOWED_HOSTS = env_list("KRING_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("KRING_CSRF_TRUSTED_ORIGINS", [])
# The address that links in e-mails point to.
SITE_URL = env_str("KRING_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "kring.core",
    "kring.accounts",
    "kring.audit",
    "kring.notifications",
    "kring.referrals",
    "kring.cases",
    "kring.circle",
    "kring.portal",
    "kring.scheduling",
    "kring.conference",
    "kring.signing",
    "kring.followup",
    "kring.research",
    "kring.privacy",
    "kring.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    # Answers /health/ before the https redirect and the ALLOWED_HOSTS check: a local probe.
    "kring.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kring.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kring.portal.csrf.PortalCsrfViewMiddleware",  # Django's, plus the portal's Origin: null
    # Django's AuthenticationMiddleware and django_otp's OTPMiddleware in one: the user and the
    # device the session names in one query (docs/adr/0015-signed-in-in-one-query.md).
    "kring.accounts.signed_in.SignedInMiddleware",
    "kring.audit.log.AuditContextMiddleware",
    "kring.accounts.middleware.SessionTimeoutMiddleware",
    "kring.accounts.middleware.SecondFactorMiddleware",
    "kring.accounts.password_change.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "kring.urls"
WSGI_APPLICATION = "kring.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
FORM_RENDERER = "kring.core.forms.KringFormRenderer"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kring.core.context_processors.kring",
                "kring.accounts.context_processors.nav",
            ],
        },
    }
]


def _database(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("//") else parts.path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or str(VAR_DIR / "kring.sqlite3"),
            # Keep the connection: reopening the file and its PRAGMAs cost more than the page.
            "CONN_MAX_AGE": env_int("KRING_DB_CONN_MAX_AGE", 600),
            # WAL plus IMMEDIATE transactions: writers queue instead of failing "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("KRING_DB_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"KRING_DATABASE_URL: unsupported scheme {parts.scheme!r}")


DATABASES = {
    "default": _database(env_str("KRING_DATABASE_URL", f"sqlite:///{VAR_DIR / 'kring.sqlite3'}"))
}
# `kring backup` / `kring restore` on PostgreSQL: the folder of pg_dump and pg_restore; empty:
# PATH, then the newest /usr/lib/postgresql/*/bin (kring.audit.management.backup).
KRING_PG_BIN_DIR = env_str("KRING_PG_BIN_DIR", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length, the shipped lists of common passwords (Django's and a Dutch one), not built on the
# user's name; no composition rules (NIST SP 800-63B). kring.accounts.password_validation.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "kring.accounts.password_validation.KnownPasswordValidator"},
    {"NAME": "kring.accounts.password_validation.NamePasswordValidator"},
    {"NAME": "kring.accounts.password_validation.PatternPasswordValidator"},
]

# Sessions live in the database so that logout ends them on the server, for every process.
# Django's database sessions, read in plain SQL (kring.accounts.session_store, docs/adr/0015).
SESSION_ENGINE = "kring.accounts.session_store"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
KRING_SESSION_IDLE_SECONDS = env_int("KRING_SESSION_IDLE_MINUTES", 30) * 60
KRING_SESSION_ABSOLUTE_SECONDS = env_int("KRING_SESSION_ABSOLUTE_HOURS", 10) * 3600
SESSION_COOKIE_AGE = KRING_SESSION_ABSOLUTE_SECONDS
# Login lockout: after this many failures within the window, the account is cooled off.
KRING_LOGIN_MAX_FAILURES = env_int("KRING_LOGIN_MAX_FAILURES", 5)
# Per address the limit is higher: colleagues often share one public address.
KRING_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("KRING_LOGIN_MAX_FAILURES_PER_ADDRESS", 50)
KRING_LOGIN_COOLOFF_SECONDS = env_int("KRING_LOGIN_COOLOFF_MINUTES", 15) * 60
# A username failing from many addresses is slowed down, never locked (docs/adr/0013-lockout.md):
# after this many failures each one makes the next attempts wait 2, 4, 8 ... seconds, at most
# the maximum; except from an address where the user signed in before, kept this many days.
KRING_LOGIN_SLOWDOWN_AFTER = env_int("KRING_LOGIN_SLOWDOWN_AFTER", 10, minimum=1)
KRING_LOGIN_SLOWDOWN_MAX_SECONDS = env_int("KRING_LOGIN_SLOWDOWN_MAX_SECONDS", 180, minimum=1)
KRING_LOGIN_USUAL_ADDRESS_DAYS = env_int("KRING_LOGIN_USUAL_ADDRESS_DAYS", 90, minimum=1)
# Public request form: at most this many requests per address per hour.
KRING_REQUEST_RATE_PER_HOUR = env_int("KRING_REQUEST_RATE_PER_HOUR", 5)

# Personal links to the participant portal expire after this many days.
KRING_PORTAL_LINK_DAYS = env_int("KRING_PORTAL_LINK_DAYS", 30)
# Wrong portal links per address per hour before the portal refuses for a while.
KRING_PORTAL_GUESSES_PER_HOUR = env_int("KRING_PORTAL_GUESSES_PER_HOUR", 20)
# Wrong letter codes (/code/) per address per hour, and over all addresses together; counted
# apart from wrong links (docs/adr/0007-letter-codes.md).
KRING_PORTAL_CODE_GUESSES_PER_HOUR = env_int("KRING_PORTAL_CODE_GUESSES_PER_HOUR", 10)
KRING_PORTAL_CODE_GUESSES_PER_HOUR_ALL = env_int("KRING_PORTAL_CODE_GUESSES_PER_HOUR_ALL", 500)

SECURE = env_bool("KRING_SECURE", not (DEBUG or DEMO_MODE))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("KRING_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # answered first anyway (HealthCheckMiddleware)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = env_int("KRING_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Opt-in to the browsers' HSTS preload list (docs/deployment.md, "Deploy check": security.W021).
SECURE_HSTS_PRELOAD = env_bool("KRING_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A form posted without its CSRF token gets Kring's page: reload the form and send it again.
CSRF_FAILURE_VIEW = "kring.core.errors.csrf_failure"
# security.W003 wants Django's CSRF middleware by name and so misses Kring's subclass
# (kring.portal.csrf): Kring's own check kring.E001 accepts the subclass (kring/core/checks.py).
SILENCED_SYSTEM_CHECKS = ["security.W003"]
# Behind a proxy, the client's address comes from this header (empty: use REMOTE_ADDR).
KRING_CLIENT_IP_HEADER = env_str("KRING_CLIENT_IP_HEADER", "")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("KRING_STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or DEMO_MODE
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE

EMAIL_BACKEND = env_str(
    "KRING_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("KRING_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("KRING_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KRING_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("KRING_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KRING_EMAIL_STARTTLS", False)
EMAIL_TIMEOUT = env_int("KRING_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("KRING_EMAIL_FROM", "Kring <kring@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the public and participants can write to the organisation (shown on the request pages
# and the privacy statement); by default the sender address of Kring's mail.
KRING_CONTACT_EMAIL = env_str("KRING_CONTACT_EMAIL", "")
# The organisation's telephone number, for participants and requesters whose coordinator is away
# or not yet assigned (kring.accounts.contact); empty: no number is shown.
KRING_CONTACT_PHONE = env_str("KRING_CONTACT_PHONE", "")
# The organisation's name as participants and requesters see it.
KRING_ORGANISATION = env_str("KRING_ORGANISATION", "Eigen Kracht Centrale")

# Signing (R14, docs/operations.md "The seal"): the signed plan's PDF is sealed with the
# organisation's certificate, a PKCS#12 file named here, with its passphrase. Without one, only
# the demo and development generate a self-signed seal of their own (in KRING_VAR_DIR).
KRING_SEAL_PKCS12 = env_str("KRING_SEAL_PKCS12", "")
KRING_SEAL_PASSPHRASE = env_str("KRING_SEAL_PASSPHRASE", "")
KRING_SEAL_DEMO = env_bool("KRING_SEAL_DEMO", DEMO_MODE or DEBUG)
# Where sealed PDFs are kept: "database" (the default), or the name of an entry in STORAGES (an
# object store configured by the operator). Never a local disk that other servers cannot read.
KRING_DOCUMENT_STORAGE = env_str("KRING_DOCUMENT_STORAGE", "database")
# Remote signing: the one-time code e-mailed to a participant, how long it lives and how many
# wrong tries it takes.
KRING_SIGNING_CODE_MINUTES = env_int("KRING_SIGNING_CODE_MINUTES", 15)
KRING_SIGNING_CODE_TRIES = env_int("KRING_SIGNING_CODE_TRIES", 5)

# Background work: Huey with SQLite storage embedded, Redis when several machines share a queue.
# Follow-up (issue 12; docs/configuration.md): the contact about four weeks after the meeting
# (R15), a reminder to the owner of an agreement this many days before its date, and how long a
# closed case is kept per outcome (docs/data-retention.md).
KRING_FOLLOWUP_CONTACT_DAYS = env_int("KRING_FOLLOWUP_CONTACT_DAYS", 28, minimum=1)
KRING_DUE_REMINDER_DAYS = env_int("KRING_DUE_REMINDER_DAYS", 3, minimum=0)
KRING_RETENTION_YEARS = {
    "all_kept": env_int("KRING_RETENTION_YEARS_ALL_KEPT", 2, minimum=1),
    "partly_kept": env_int("KRING_RETENTION_YEARS_PARTLY_KEPT", 2, minimum=1),
    "not_kept": env_int("KRING_RETENTION_YEARS_NOT_KEPT", 2, minimum=1),
    "other": env_int("KRING_RETENTION_YEARS_OTHER", 2, minimum=1),
}
# Retention (issue 14 point 7; kring.privacy.retention, docs/data-retention.md): a declined
# request is erased this many months after the decline, a stopped case this many years after it
# was stopped (also a closed case that has no date of its own), and the content of a mail sent
# or given up this many days ago. The privacy statement shows these: change its version with them.
KRING_RETENTION_DECLINED_MONTHS = env_int("KRING_RETENTION_DECLINED_MONTHS", 6, minimum=1)
KRING_RETENTION_STOPPED_YEARS = env_int("KRING_RETENTION_STOPPED_YEARS", 2, minimum=1)
KRING_RETENTION_OUTBOX_DAYS = env_int("KRING_RETENTION_OUTBOX_DAYS", 90, minimum=1)

# Research (R16): the optional second questionnaire, this many months after the conference
# (0: none); docs/configuration.md.
KRING_EVALUATION_SECOND_MONTHS = env_int("KRING_EVALUATION_SECOND_MONTHS", 6, minimum=0)

_TASKS_BACKEND = env_str("KRING_TASKS_BACKEND", "sqlite")
_HUEY_COMMON = {
    "name": "kring",
    "immediate": env_bool("KRING_TASKS_IMMEDIATE", False),
    "utc": True,
    "consumer": {"workers": env_int("KRING_TASKS_WORKERS", 2), "worker_type": "thread"},
}
if _TASKS_BACKEND == "sqlite":
    HUEY = {
        **_HUEY_COMMON,
        "huey_class": "huey.SqliteHuey",
        "filename": env_str("KRING_TASKS_SQLITE_PATH", str(VAR_DIR / "tasks.sqlite3")),
    }
    # Huey opens its file as Django starts: in a fresh clone var/ does not exist yet.
    Path(HUEY["filename"]).parent.mkdir(parents=True, exist_ok=True)
elif _TASKS_BACKEND == "redis":
    HUEY = {
        **_HUEY_COMMON,
        "huey_class": "huey.RedisHuey",
        "url": env_str("KRING_REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
else:
    raise ImproperlyConfigured("KRING_TASKS_BACKEND must be 'sqlite' or 'redis'")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Personal-link tokens (/p/<token>/) never reach a log: redacted on the loggers that write
    # paths (before any handler sees the record) and on the console handler for the rest.
    "filters": {"redact_tokens": {"()": "kring.portal.logging.RedactTokensFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("KRING_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry paths only; tokens and free text never reach a URL (see security.md).
        # Django's default sends these to a handler of its own, replaced here: propagate to console.
        "django.server": {"level": "INFO", "filters": ["redact_tokens"], "propagate": True},
        "django.request": {"filters": ["redact_tokens"]},
        "huey": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}

"""Dialer Console settings: the one module, everything read from the environment.

With no variables set the console runs embedded: a SQLite file and a filesystem
broker under ``var/`` and the built-in vendor sandbox. Production sets
``DATABASE_URL`` (PostgreSQL), ``CELERY_BROKER_URL`` (Redis or RabbitMQ),
``SECRET_KEY`` and ``VENDOR_CREDENTIALS_KEYS``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from dialer_console.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    new_django_secret,
    secret_from_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASE_URL = env_str("DATABASE_URL", "")
EMBEDDED = DATABASE_URL == ""
# The embedded default is a development setup; a configured database means a deployment,
# where DEBUG must be asked for explicitly.
DEBUG = env_bool("DEBUG", default=EMBEDDED)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "") or secret_from_file(
        VAR_DIR / "secret_key", new_django_secret
    )
else:
    SECRET_KEY = env_str("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Applications -------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "axes",
    "csp",
    "dialer_console",
    "accounts",
    "vendors",
    "leads",
    "campaigns",
    "sync",
    "results",
    "webhooks",
    "auditlog",
    "audit",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dialer_console.middleware.RefuseNulInQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A logged-in user's own language (User.language) over the cookie and the browser's.
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.context.AuditContextMiddleware",
    "dialer_console.middleware.BrandedNotFoundMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dialer_console.urls"
WSGI_APPLICATION = "dialer_console.wsgi.application"
ASGI_APPLICATION = "dialer_console.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "dialer_console.context_processors.navigation",
            ],
            # i18n too: every template translates ({% translate %}) without a {% load %}.
            "builtins": ["django.templatetags.i18n", "dialer_console.templatetags.console"],
        },
    },
]

# --- Database -----------------------------------------------------------------------

if EMBEDDED:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "dialer_console.sqlite3",
            "OPTIONS": {
                # WAL lets the web server read while a worker writes; IMMEDIATE takes the
                # write lock at BEGIN so two writers queue instead of failing mid-transaction.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
else:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins lock the username from that address out for a while (pages and API token
# login alike); many failures from one address, whatever the user names, lock the address
# out (accounts.lockout).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 8)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 30)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.AddressCappedAxesHandler"
# Behind a TLS proxy every request comes from the proxy's address: with TRUSTED_PROXY_COUNT
# proxies in front, the client's address is read from X-Forwarded-For (accounts.lockout).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Invitations and password resets are one-time links (Django's token generator): valid for
# this long, and only until the password is set with them.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_LINK_HOURS", 72) * 3600

# --- E-mail (invitations, password resets) ------------------------------------------

# Development prints e-mails on the console; production sends through SMTP.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 15)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dialer Console <dialer-console@localhost>")

# --- I18N, static, media ------------------------------------------------------------

LANGUAGE_CODE = "en"
# The console ships in these languages (issue #17): each user picks one; until then the
# browser's Accept-Language decides, and English is the fallback.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("he", "עברית"),
    ("uk", "Українська"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The console's changes to Django's per-language number and date formats.
FORMAT_MODULE_PATH = ["dialer_console.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Lead files are streamed to disk (never held in memory); the size cap is enforced by the
# upload handler in the leads app, because Django's own limits exclude file data.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
LEAD_UPLOAD_MAX_BYTES = env_int("LEAD_UPLOAD_MAX_BYTES", 1024 * 1024 * 1024)
LEAD_FIELD_MAX_CHARS = env_int("LEAD_FIELD_MAX_CHARS", 4096)
# An .xlsx is a zip: these are checked from its directory before it is unpacked.
LEAD_XLSX_MAX_UNCOMPRESSED_BYTES = env_int("LEAD_XLSX_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
LEAD_XLSX_MAX_COMPRESSION_RATIO = env_int("LEAD_XLSX_MAX_COMPRESSION_RATIO", 100)
LEAD_XLSX_MAX_ROWS = env_int("LEAD_XLSX_MAX_ROWS", 1_048_576)  # Excel's own sheet limit
# A file whose rows are mostly rejected stops early instead of writing a rejection each.
LEAD_IMPORT_REJECT_SAMPLE_ROWS = env_int("LEAD_IMPORT_REJECT_SAMPLE_ROWS", 10_000)
LEAD_IMPORT_MAX_REJECT_PERCENT = env_int("LEAD_IMPORT_MAX_REJECT_PERCENT", 50)
LEAD_IMPORT_MAX_REJECTED_ROWS = env_int("LEAD_IMPORT_MAX_REJECTED_ROWS", 100_000)
# A bulk action on more leads than this runs as a Celery task with a progress page.
LEADS_BULK_INLINE_MAX = env_int("LEADS_BULK_INLINE_MAX", 5_000)

# --- Security -----------------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The pages load scripts and styles only from our static files: no inline script, no event
# handler attributes, no inline style (tests/dialer_console/test_csp.py keeps it so). The API
# docs add what Swagger UI and ReDoc need, on their views only (dialer_console/urls.py).
# pico.css draws its form controls with data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Vendor credentials are encrypted with MultiFernet: the first key encrypts, every key
# decrypts, so a new key is put first and the old one kept until re-encryption is done.
if DEBUG:
    VENDOR_CREDENTIALS_KEYS = env_list("VENDOR_CREDENTIALS_KEYS") or [
        secret_from_file(VAR_DIR / "fernet_key", lambda: Fernet.generate_key().decode())
    ]
else:
    VENDOR_CREDENTIALS_KEYS = env_list("VENDOR_CREDENTIALS_KEYS") or [
        env_str("VENDOR_CREDENTIALS_KEYS")
    ]

# --- Celery -------------------------------------------------------------------------

BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(BROKER_DIR / "control"),
        "polling_interval": 0.5,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Longer than the slowest task, or Redis redelivers a task still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# How often the pending-call counts of running campaigns are fetched from the dialers.
SYNC_PENDING_REFRESH_SECONDS = env_int("SYNC_PENDING_REFRESH_SECONDS", 300)
# Reconciliation: how often a running campaign is compared with its dialer, and what the
# check repairs by itself (re-pushing missing leads and re-sending settings restore the
# console's own data; removing leads from a dialer is left to a person unless enabled).
SYNC_RECONCILE_INTERVAL_MINUTES = env_int("SYNC_RECONCILE_INTERVAL_MINUTES", 30)
SYNC_RECONCILE_AUTO_REPAIR = env_bool("SYNC_RECONCILE_AUTO_REPAIR", True)
SYNC_RECONCILE_AUTO_REMOVE = env_bool("SYNC_RECONCILE_AUTO_REMOVE", False)
# Periodic tasks, by dotted name so that settings import no app code. Each app adds its
# own entries here; django-celery-beat copies them into its tables at start.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "worker-heartbeat": {"task": "dialer_console.tasks.worker_heartbeat", "schedule": 30.0},
    "vendors-prune-call-log": {
        "task": "vendors.tasks.vendor_call_prune",
        "schedule": crontab(minute=17, hour=3),
    },
    "webhooks-prune-log": {
        "task": "webhooks.tasks.webhook_log_prune",
        "schedule": crontab(minute=23, hour=3),
    },
    "audit-prune": {
        "task": "audit.tasks.audit_entries_prune",
        "schedule": crontab(minute=29, hour=3),
    },
    "sync-sweep": {"task": "sync.tasks.sync_jobs_sweep", "schedule": 15.0},
    # Erasures wait for the dialers to drop the person's leads, then scrub the number.
    "privacy-erasures-finish": {"task": "privacy.tasks.erasures_finish", "schedule": 60.0},
    "privacy-uploads-purge": {
        "task": "privacy.tasks.upload_files_purge",
        "schedule": crontab(minute=53, hour=3),
    },
    "sync-pending-refresh": {
        "task": "sync.tasks.sync_pending_refresh_all",
        "schedule": float(SYNC_PENDING_REFRESH_SECONDS),
    },
    # Each run enqueues checks only for campaigns not checked within the interval.
    "sync-reconcile": {"task": "sync.tasks.sync_reconcile_all", "schedule": 300.0},
    "leads-import-sweep": {"task": "leads.tasks.lead_import_sweep", "schedule": 60.0},
    "sync-results-pull": {
        "task": "sync.tasks.sync_results_pull_all",
        "schedule": float(env_int("SYNC_RESULTS_PULL_SECONDS", 600)),
    },
    # Recycled leads and callbacks whose time has come go back to the push (results.recycling).
    "results-recycle-due": {"task": "results.tasks.results_recycle_due", "schedule": 60.0},
    # Calling windows: push leads whose window opened, take back those whose window closed
    # before the dialer reached them (sync/window_gate.py).
    "sync-window-gate": {
        "task": "sync.tasks.sync_window_gate_all",
        "schedule": float(env_int("SYNC_WINDOW_GATE_SECONDS", 300)),
    },
    "sync-push-counts-recount": {
        "task": "sync.tasks.sync_push_counts_recount",
        "schedule": crontab(minute=41),
    },
    "results-counts-recount": {
        "task": "results.tasks.results_counts_recount",
        "schedule": crontab(minute=47),
    },
}

# --- Cache --------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Two consoles (or two test processes) sharing one Redis database keep apart.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", ""),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every request reads its session: with Redis, from Redis (written through to the database,
# so a Redis restart logs nobody out), one PostgreSQL query fewer per request (bench/PAGES.md).
# Not with the per-process memory cache: a logout in one process would not end the session
# in the others.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# --- API ----------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.access.RolePermissions"],
    # Reads the body itself under each endpoint's size limit; refuses non-objects, NUL
    # characters and over-deep nesting with a 400 (dialer_console/api_input.py).
    "DEFAULT_PARSER_CLASSES": [
        "dialer_console.api_input.JsonObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dialer_console.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "10/min"},
}
# The largest delivery a dialer may push to a receiving endpoint (results.views).
RESULTS_RECEIVE_MAX_BYTES = env_int("RESULTS_RECEIVE_MAX_BYTES", 2 * 1024 * 1024)
# Bodies of every endpoint are capped by Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB),
# except the bulk endpoints (leads, DNC numbers: up to 10,000 items), which take up to
# API_BULK_MAX_BYTES: 10,000 leads with a dozen custom fields measure about 7.9 MB
# (tests/dialer_console/test_api_input.py builds such a body).
API_BULK_MAX_BYTES = env_int("API_BULK_MAX_BYTES", 16 * 1024 * 1024)
# Deeper JSON bodies are refused with a 400: the parser and the code that walks the
# data recurse once per level.
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24 * 30)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dialer Console API",
    "DESCRIPTION": "Campaigns, lead lists, imports and vendor sync for outbound dialers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Two bulk endpoints name their choice "action": each set gets its own enum name.
    "ENUM_NAME_OVERRIDES": {
        "LeadBulkActionEnum": "leads.services.bulk_actions.ACTION_CHOICES",
        "CampaignBulkActionEnum": "campaigns.services.bulk.BULK_CAMPAIGN_ACTIONS",
        # Several models call their choices "state": each gets its own name.
        "ImportStateEnum": "leads.models.ImportState",
        "DncFileStateEnum": "leads.models.DncFileState",
        "SyncJobStateEnum": "sync.models.JobState",
        "CampaignSyncStateEnum": "sync.models.CampaignSyncState",
        "LeadSyncStateEnum": "sync.models.LeadSyncState",
        # A user's language, read (the model's choices) and written (the codes).
        "UserLanguageEnum": [code for code, _name in LANGUAGES],
    },
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "campaigns.api.schema.vendor_settings_postprocess",
        "dialer_console.openapi.add_error_responses",
        "dialer_console.openapi.add_summaries",
    ],
}

# --- Vendors ------------------------------------------------------------------------

# The sandbox serves the five vendor emulators under /sandbox/ so the demo needs no
# vendor account; it is on by default only in development.
VENDOR_SANDBOX = env_bool("VENDOR_SANDBOX", default=DEBUG)
# Anyone holding the sandbox's public credentials reads every lead pushed to it, so a
# deployment (DEBUG off) serves it only when asked twice (CI and the browser journeys do).
VENDOR_SANDBOX_ALLOW_PRODUCTION = env_bool("VENDOR_SANDBOX_ALLOW_PRODUCTION", default=False)
if VENDOR_SANDBOX and not DEBUG and not VENDOR_SANDBOX_ALLOW_PRODUCTION:
    raise ImproperlyConfigured(
        "VENDOR_SANDBOX=1 with DEBUG off would serve the vendor sandbox, whose public "
        "credentials let anyone read the leads pushed to it. Turn VENDOR_SANDBOX off, or set "
        "VENDOR_SANDBOX_ALLOW_PRODUCTION=1 if this server is for tests or a demo."
    )
# The sandbox's emulators answer in the vendors' documented shapes; 1 adds the undocumented
# extras the adapters may guess at (each emulator's GUESSED_EXTRAS: ids in create replies...).
VENDOR_SANDBOX_GUESSED_EXTRAS = env_bool("VENDOR_SANDBOX_GUESSED_EXTRAS", default=False)
# Where this console is reached; the demo's sandbox vendor accounts point at SITE_URL/sandbox/.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
VENDOR_HTTP_TIMEOUT_SECONDS = float(env_str("VENDOR_HTTP_TIMEOUT_SECONDS", "15"))
VENDOR_CALL_RETENTION_DAYS = env_int("VENDOR_CALL_RETENTION_DAYS", 30)
# How long a list read from a dialer for a settings select (Voicenter campaigns, jtel
# template campaigns, Acefone lead lists) is kept in the cache, per vendor account; the
# select's Refresh button reads it again at once.
VENDOR_CHOICES_CACHE_SECONDS = env_int("VENDOR_CHOICES_CACHE_SECONDS", 300)
# How long audit entries and the leads' change history are kept (pruned nightly by beat).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 730)
# Stored upload files (lead imports, DNC files) are deleted this many days after their job
# finished: they hold every person in them, and an erasure cannot edit a file. The job's
# counts and rejections stay; its error report then names rows without their text.
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 30)
# The key of the hashes an erased number is kept as on the do-not-call list
# (leads.dnc_hashed). Changing it makes every hashed entry stop matching.
ERASURE_HASH_KEY = env_str("ERASURE_HASH_KEY", "") or SECRET_KEY
# django-auditlog: changes as JSON (old and new values as they are, not as strings).
AUDITLOG_STORE_JSON_CHANGES = True
# A changed foreign key reads as the object's name ("Webitel sandbox"), not its id.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Vendor calls to loopback, link-local, private and other non-public addresses are refused
# (SSRF guard, vendors/adapters/http/egress.py) except to these host names and CIDRs, e.g.
# a self-hosted Webitel or jtel on the LAN: "webitel.lan,10.20.0.0/16". With the sandbox
# on, this console's own SITE_URL host is allowed too.
VENDOR_ALLOWED_PRIVATE_HOSTS = env_list("VENDOR_ALLOWED_PRIVATE_HOSTS")
# Fault control of the sandbox (POST/DELETE /sandbox/<kind>/_faults) needs this token in
# the X-Sandbox-Token header; empty turns fault control off.
VENDOR_SANDBOX_ADMIN_TOKEN = env_str("VENDOR_SANDBOX_ADMIN_TOKEN", "") or (
    secret_from_file(VAR_DIR / "sandbox_admin_token", new_django_secret) if DEBUG else ""
)

# --- Sync ---------------------------------------------------------------------------

# A running job whose heartbeat is older than this is taken to be on a dead worker and is
# swept back to pending (a job beats after every batch, and gives its slot up after
# SYNC_JOB_SLICE_SECONDS).
SYNC_STALE_AFTER_SECONDS = env_int("SYNC_STALE_AFTER_SECONDS", 300)
SYNC_JOB_SLICE_SECONDS = float(env_str("SYNC_JOB_SLICE_SECONDS", "60"))
# Temporary errors back off exponentially from the base, with jitter, up to the cap.
SYNC_RETRY_BASE_SECONDS = float(env_str("SYNC_RETRY_BASE_SECONDS", "5"))
SYNC_RETRY_MAX_SECONDS = float(env_str("SYNC_RETRY_MAX_SECONDS", "900"))
SYNC_MAX_ATTEMPTS = env_int("SYNC_MAX_ATTEMPTS", 10)
# CRM webhooks (the webhooks app) go through the same outbox: each delivery waits this
# long for an answer and is tried this many times (SYNC_RETRY_* set the backoff).
WEBHOOK_TIMEOUT_SECONDS = float(env_str("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
# Finished deliveries (and events left without any) older than this are pruned nightly.
WEBHOOK_RETENTION_DAYS = env_int("WEBHOOK_RETENTION_DAYS", 30)
# Vendor rate limits are shared by every worker: in Redis when REDIS_URL (or a Redis
# broker) is set, otherwise in a SQLite file under VAR_DIR guarded by a file lock.
SYNC_RATE_LIMIT_REDIS_URL = REDIS_URL or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
SYNC_RATE_LIMIT_FILE = VAR_DIR / "rate_limits.sqlite3"
# Benchmarks only: divides every vendor rate-limit window (the emulators' clocks are sped
# up by the same factor), so a 40-minute Ozonetel push can be measured in a minute.
SYNC_RATE_LIMIT_TIME_SCALE = float(env_str("SYNC_RATE_LIMIT_TIME_SCALE", "1"))

# --- Logging ------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {
        "forbidden_one_line": {"()": "dialer_console.log_filters.ForbiddenWithoutTraceback"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["forbidden_one_line"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}

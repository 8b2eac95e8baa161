"""Alexis settings, configured from the environment (12-factor).

Every variable is documented in `.env.example`. Development defaults apply when
DJANGO_DEBUG is true; production (the default) requires DJANGO_SECRET_KEY.
"""

import datetime as dt
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from alexis.cache import redis_cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "accounts",
    "audit",
    "custom_fields",
    "employees",
    "teams",
    "organisation",
    "imports",
    "entra_matching",
    "access_tokens",
    "oauth_clients",
    "scim_api",
    "provisioning",
    "sso",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "public_api",
    "django_tasks",
    "jobs.apps.TaskQueueConfig",  # django-tasks-db, the database task queue
    "jobs",
    "notifications",
    "webhooks",
    "axes",
    "ui",
    "photos",
    "dashboard",
    "search",
    "time_off",
    "checklists",
    "self_service",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # SCIM requests go from here to their view: none of the middleware below serves them.
    "alexis.middleware.TokenApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ui.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alexis.middleware.ContentSecurityPolicyMiddleware",
    "alexis.middleware.QueryTextMiddleware",
    # Turns a locked-out password sign-in into the 429 answer (accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alexis.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "alexis.wsgi.application"
ASGI_APPLICATION = "alexis.asgi.application"

# Database: SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers wait
    # for each other instead of failing with "database is locked" half way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A persistent SQLite connection per thread buys nothing and keeps files open.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Server-side binding lets psycopg prepare a statement once it has run a few times on a
    # connection, so PostgreSQL stops parsing and planning the same SCIM queries on every
    # request (database CPU per request about halves). A pooler in transaction mode
    # (PgBouncer before 1.21) cannot keep prepared statements: set this to false there.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by every app server. Database cache by default, Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Falls back to process memory, with a logged warning, while Redis is unreachable.
    CACHES = {
        "default": redis_cache_settings(
            REDIS_URL, key_prefix=env_str("DJANGO_CACHE_KEY_PREFIX", "alexis")
        )
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "alexis_cache",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed password sign-ins (the sign-in page and the Django admin) are counted by django-axes
# per user name and per client IP; after SIGN_IN_FAILURE_LIMIT failures that account, or that
# address, cannot sign in with a password for SIGN_IN_LOCKOUT_MINUTES (then it can again).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "alexis.http.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Failures are kept (to count them); successful sign-ins are not recorded by axes.
AXES_DISABLE_ACCESS_LOG = True

LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
# The sign-in page's password form: single sign-on's, which refuses passwords when SSO is required.
SIGN_IN_FORM = "sso.forms.SignInForm"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One date format everywhere (ui.formats), the Django admin included.
FORMAT_MODULE_PATH = ["alexis.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (employee photos) go through Django's storage API: FileSystemStorage here,
# object storage in production by pointing STORAGES["default"] at django-storages.
MEDIA_ROOT = Path(env_str("ALEXIS_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Photos are read by Alexis and served to signed-in people only (photos.views).
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
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

# Security. TLS settings are on in production and can be switched off one by one for a
# deployment behind a TLS-terminating proxy or a local benchmark over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)

# How many reverse proxies sit in front of the app; their X-Forwarded-For entries are
# trusted to find the client IP. 0 means REMOTE_ADDR is the client.
ALEXIS_TRUSTED_PROXY_COUNT = env_int("ALEXIS_TRUSTED_PROXY_COUNT", 0)

# Key for the keyed digest (HMAC-SHA256) of access tokens. Rotating it invalidates every
# token, so production deployments set it separately from DJANGO_SECRET_KEY.
ACCESS_TOKEN_HASH_KEY = env_str("ALEXIS_ACCESS_TOKEN_HASH_KEY") or SECRET_KEY

# OAuth 2.0 token endpoint (oauth_clients): how long an issued access token lives (60 to 360
# minutes), the clock skew allowed on a federated assertion's exp/nbf/iat, and how signing keys
# named by a federated credential's URL are fetched (timeout) and cached.
OAUTH_ACCESS_TOKEN_LIFETIME_MINUTES = env_int("OAUTH_ACCESS_TOKEN_LIFETIME_MINUTES", 60)
if not 60 <= OAUTH_ACCESS_TOKEN_LIFETIME_MINUTES <= 360:
    raise ImproperlyConfigured(
        "OAUTH_ACCESS_TOKEN_LIFETIME_MINUTES must be between 60 and 360 (6 hours), "
        f"not {OAUTH_ACCESS_TOKEN_LIFETIME_MINUTES}."
    )
OAUTH_ASSERTION_CLOCK_SKEW_SECONDS = env_int("OAUTH_ASSERTION_CLOCK_SKEW_SECONDS", 60)
OAUTH_JWKS_FETCH_TIMEOUT_SECONDS = env_int("OAUTH_JWKS_FETCH_TIMEOUT_SECONDS", 5)
OAUTH_JWKS_CACHE_SECONDS = env_int("OAUTH_JWKS_CACHE_SECONDS", 3600)
# An assertion with an unknown key id refetches the keys at most once per this many seconds.
OAUTH_JWKS_REFRESH_SECONDS = env_int("OAUTH_JWKS_REFRESH_SECONDS", 60)
# Key URLs must be https; plain http only for a test issuer on a closed network.
OAUTH_JWKS_ALLOW_HTTP = env_bool("OAUTH_JWKS_ALLOW_HTTP", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "filters": {
        # Credentials in a logged URL or message (?access_token=..., a pasted token).
        "redact": {"()": "alexis.redaction.RedactingFilter"},
        "no_traceback_for_refusals": {"()": "alexis.log_filters.NoTracebackForRefusals"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact", "no_traceback_for_refusals"],
        },
        # The development server's request lines (Django's own handler, plus redaction).
        "server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print every record a second time.
        "django": {"handlers": [], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
        # django-scim2 logs whole request bodies (personal data) at DEBUG.
        "django_scim": {"level": "WARNING"},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
        # django-axes announces itself at INFO on every start; its lockout warnings still show.
        "axes.apps": {"level": "WARNING"},
    },
}

# Provisioning log: how long SCIM request events are kept.
PROVISIONING_LOG_RETENTION_DAYS = env_int("PROVISIONING_LOG_RETENTION_DAYS", 90)
# Refused access tokens (SCIM and the public API) from one client IP: 429 with Retry-After
# after LIMIT refusals per WINDOW seconds. The PROVISIONING_AUTH_FAILURE_* names still work.
ACCESS_TOKEN_FAILURE_LIMIT = env_int(
    "ACCESS_TOKEN_FAILURE_LIMIT", env_int("PROVISIONING_AUTH_FAILURE_LIMIT", 10)
)
ACCESS_TOKEN_FAILURE_WINDOW = env_int(
    "ACCESS_TOKEN_FAILURE_WINDOW", env_int("PROVISIONING_AUTH_FAILURE_WINDOW", 60)
)

# Single sign-on (SAML 2.0 with Entra ID): how long refused sign-in attempts are kept, and
# how many one client IP may have recorded per WINDOW seconds before it is answered 429.
SSO_REFUSAL_RETENTION_DAYS = env_int("SSO_REFUSAL_RETENTION_DAYS", 90)
SSO_REFUSAL_LIMIT = env_int("SSO_REFUSAL_LIMIT", 20)
SSO_REFUSAL_WINDOW = env_int("SSO_REFUSAL_WINDOW", 60)

# Public REST API (public_api): DRF with access tokens, per-token throttling, OpenAPI docs.
ALEXIS_API_THROTTLE_RATE = env_str("ALEXIS_API_THROTTLE_RATE", "600/minute")
if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", ALEXIS_API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        "ALEXIS_API_THROTTLE_RATE must read like 600/minute (per second, minute, hour or day), "
        f"not {ALEXIS_API_THROTTLE_RATE!r}."
    )
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["access_tokens.drf.AccessTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["public_api.permissions.HasTokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["public_api.throttling.AccessTokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["public_api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "public_api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alexis API",
    "DESCRIPTION": (
        "Read and update employee records with an access token "
        "(`Authorization: Bearer <token>`) that an owner creates under "
        "[Settings > Access tokens](/settings/access-tokens/). "
        "Read the [API guide](/api/v1/guide/) for scopes, paging, filters and errors. "
        "This page and the schema are public: they describe the API, never your data."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["public_api.schema.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "public_api.schema.employee_fields_optional",
        "public_api.schema.custom_fields_schema",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- SCIM provisioning (scim_api) --------------------------------------------------------------
# django-scim2 configuration: only what its code that Alexis runs reads. The views check the
# token with AUTH_CHECK_MIDDLEWARE; meta.location and Location headers use the host of each
# request (validated by ALLOWED_HOSTS), NETLOC and SCHEME only when there is none. Everything
# else django-scim2 offers (adapters, filter parsers, schemas, service provider config) is
# replaced in scim_api: see its package docstring.
SCIM_SERVICE_PROVIDER = {
    "NETLOC": next((h.lstrip(".") for h in ALLOWED_HOSTS if h not in ("*", "")), "localhost"),
    "SCHEME": "https",
    "AUTH_CHECK_MIDDLEWARE": "scim_api.auth.ScimBearerTokenCheck",
}
# The region assumed for a SCIM phone number written without a country code ("617 555 1212")
# until an owner saves Settings > Provisioning (provisioning.ProvisioningSettings),
# as an ISO 3166 code such as US; unset, such a number is refused (400).
SCIM_PHONE_DEFAULT_REGION = os.environ.get("SCIM_PHONE_DEFAULT_REGION", "").upper() or None

# --- Provisioning log (provisioning) -----------------------------------------------------------
# Record one event per SCIM request. Turn off only to measure the log's overhead (bench/).
PROVISIONING_LOG_ENABLED = env_bool("PROVISIONING_LOG_ENABLED", True)

# --- Background tasks (jobs) -------------------------------------------------------------------
# Django's Tasks API (django-tasks backport). "database" keeps the queue in the app's database
# (django-tasks-db; run `python manage.py run_worker`); "immediate" runs each task in the
# process that enqueues it (tests); anything else is the dotted path of a backend class.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
ALEXIS_TASK_BACKEND = env_str("ALEXIS_TASK_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS.get(ALEXIS_TASK_BACKEND, ALEXIS_TASK_BACKEND),
        "QUEUES": [],  # any queue name
    }
}
# A task claimed by a worker that has not finished after this many seconds is taken to be
# abandoned by a killed worker and put back in the queue (tasks are idempotent).
ALEXIS_TASK_ABANDONED_AFTER_SECONDS = env_int("ALEXIS_TASK_ABANDONED_AFTER_SECONDS", 3600)
# Days finished tasks are kept in the task list (a daily job deletes older ones).
ALEXIS_TASK_RETENTION_DAYS = env_int("ALEXIS_TASK_RETENTION_DAYS", 30)
# Seconds between two looks of the scheduler for jobs that are due.
ALEXIS_SCHEDULER_INTERVAL_SECONDS = env_int("ALEXIS_SCHEDULER_INTERVAL_SECONDS", 30)

# --- Email and notifications (notifications) ---------------------------------------------------
# Any Django email backend: SMTP by default in production, the console (mail printed by the
# worker) in development; e.g. anymail.backends.postmark.EmailBackend with django-anymail.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
# Seconds to wait for the mail server; a server that does not answer fails the attempt,
# which is retried later.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Alexis <alexis@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people use to reach Alexis, for links in emails (no trailing slash).
ALEXIS_SITE_URL = env_str(
    "ALEXIS_SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else f"https://{SCIM_SERVICE_PROVIDER['NETLOC']}",
)

# --- Outbound webhooks (webhooks) ---------------------------------------------------------------
# Fernet keys (comma-separated, newest first) that encrypt the endpoints' signing secrets at rest.
# The first encrypts, all decrypt; `manage.py rotate_webhook_secrets` re-encrypts under the
# first. Empty: keys derived from DJANGO_SECRET_KEY and its fallbacks.
WEBHOOKS_SECRET_KEYS = env_list("ALEXIS_WEBHOOKS_SECRET_KEYS", [])
# Deliveries never go to loopback, private, link-local or reserved addresses (SSRF) unless this
# is on: only for development and tests, with receivers on this machine.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("ALEXIS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
# Endpoints must be https:// unless this is on (development and tests only).
WEBHOOKS_ALLOW_HTTP = env_bool("ALEXIS_WEBHOOKS_ALLOW_HTTP", False)
# An endpoint whose every attempt failed for this long is disabled and the owners are told.
WEBHOOKS_DISABLE_AFTER_HOURS = env_int("ALEXIS_WEBHOOKS_DISABLE_AFTER_HOURS", 24)
# Days the delivery log keeps finished deliveries and their attempts (a daily job deletes older).
WEBHOOKS_LOG_RETENTION_DAYS = env_int("ALEXIS_WEBHOOKS_LOG_RETENTION_DAYS", 30)

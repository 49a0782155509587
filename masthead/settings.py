"""Masthead's one settings module.

Everything an operator may change is read from the environment here, and every variable read
below is documented in docs/configuration.md (a test keeps the two in step). With nothing set,
Masthead runs embedded: SQLite in WAL mode under var/, a local-memory cache, one process.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MASTHEAD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key kept under var/ so an embedded site keeps its sessions across restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("MASTHEAD_DEBUG")
SECRET_KEY = os.environ.get("MASTHEAD_SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("MASTHEAD_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
SITE_URL = os.environ.get("MASTHEAD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("MASTHEAD_SITE_NAME", "The Masthead Review")
SITE_TAGLINE = os.environ.get("MASTHEAD_SITE_TAGLINE", "Politics, argued in the open")
POSTS_PER_PAGE = env_int("MASTHEAD_POSTS_PER_PAGE", 10)
# Each app that has demo content adds its loader here, in dependency order, so `masthead demo`
# needs no import from a lower app into a higher one.
DEMO_LOADERS = ["masthead.publishing.demo.demo_load"]
CSRF_TRUSTED_ORIGINS = env_list("MASTHEAD_CSRF_TRUSTED_ORIGINS") or [SITE_URL]
# The local spam model (docs/spam.md): a comment scoring at or above SPAM_THRESHOLD is spam;
# from SPAM_HOLD_THRESHOLD up to it, the comment waits for a moderator.
SPAM_THRESHOLD = float(os.environ.get("MASTHEAD_SPAM_THRESHOLD") or 0.92)
SPAM_HOLD_THRESHOLD = float(os.environ.get("MASTHEAD_SPAM_HOLD_THRESHOLD") or 0.59)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks_db",
    "axes",
    "masthead.core",
    "masthead.people",
    "masthead.media",
    "masthead.publishing",
    "masthead.discussion",
    "masthead.feeds",
    "masthead.moderation",
    "masthead.importers",
    "ninja",
    "masthead.api",
]

MIDDLEWARE = [
    # First, so a page-cache hit skips the rest (see masthead/core/pagecache.py).
    "masthead.core.httpcache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "masthead.core.headers.PermissionsPolicyMiddleware",
    "masthead.core.outage.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old WordPress addresses (/?p=123, /slug/) answer 301 with the imported post's new one.
    "masthead.importers.redirects.LegacyRedirectMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"
ASGI_APPLICATION = "masthead.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "masthead" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "masthead.core.context_processors.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "masthead.core.jinja.environment"},
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "MASTHEAD_DB_POOL", True
    ):
        # psycopg's pool instead of one persistent connection per thread (they exclude each other).
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": env_int("MASTHEAD_DB_POOL_SIZE", 10),
            "timeout": 10,
        }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "MASTHEAD_DB_PREPARE", True
    ):
        # Parameters sent apart from the SQL, and a query seen five times on a connection kept
        # prepared: PostgreSQL spent longer planning a post page's queries than running them
        # (0.58 ms against 0.25 ms for the post). Off behind a pooler that cannot keep them.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "masthead.core.sqlite",
            "NAME": VAR_DIR / "masthead.sqlite3",
            "CONN_MAX_AGE": env_int("MASTHEAD_DB_CONN_MAX_AGE", 0),
            "OPTIONS": {
                # Writers take the lock when they start, so concurrent writers queue instead of
                # failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA mmap_size=134217728;"
                    "PRAGMA cache_size=-20000;"
                ),
            },
        }
    }
# On PostgreSQL, whether a reader's new comment waits for the disk before it is answered
# (docs/operations.md, "Durability"); SQLite's synchronous=NORMAL takes that risk for every write.
DB_DURABLE_COMMENTS = env_bool("MASTHEAD_DB_DURABLE_COMMENTS", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to a miss when Redis is stopped or hung instead of failing the page.
            "BACKEND": "masthead.core.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "masthead",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The full-page cache for anonymous readers; 0 seconds (or MASTHEAD_PAGE_CACHE=off) turns it off.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env_int("MASTHEAD_PAGE_CACHE_SECONDS", 600)
if not env_bool("MASTHEAD_PAGE_CACHE", True):
    PAGE_CACHE_SECONDS = 0
PAGE_CACHE_STALE_SECONDS = 60
# Views whose anonymous 200s are public and cached ("namespace:*" takes a whole namespace).
PAGE_CACHE_VIEWS = [
    "publishing:front", "publishing:post", "publishing:category", "publishing:tag",
    "publishing:author", "publishing:archive-year", "publishing:archive-month",
    "publishing:archive-day", "feeds:*",
]  # fmt: skip
PAGE_CACHE_NEXT_CHANGE = "masthead.publishing.purge.next_change_at"
PAGE_CACHE_ON_CHANGE_DUE = "masthead.publishing.purge.purge_came_due"
EDGE_DIR = os.environ.get("MASTHEAD_EDGE_DIR", "")
PURGE_WEBHOOK = os.environ.get("MASTHEAD_PURGE_WEBHOOK", "")
PURGE_WEBHOOK_TIMEOUT = 3
# Rate-limit counters must be shared by every app process: Redis when there is one, else the
# database (a local-memory cache is per process). See masthead/core/ratelimit.py.
RATELIMIT_STORE = "cache" if REDIS_URL else "database"
SEARCH_RATE_LIMIT = env_int("MASTHEAD_SEARCH_RATE_LIMIT", 30)
PASSWORD_RESET_RATE_LIMIT = env_int("MASTHEAD_PASSWORD_RESET_RATE_LIMIT", 5)
# The JSON API (docs/api.md): requests a minute per address without a token and per token, and
# comments a minute written through it (the moderation pipeline's own limits apply as well).
API_RATE_LIMIT = env_int("MASTHEAD_API_RATE_LIMIT", 120)
API_TOKEN_RATE_LIMIT = env_int("MASTHEAD_API_TOKEN_RATE_LIMIT", 600)
API_COMMENT_RATE_LIMIT = env_int("MASTHEAD_API_COMMENT_RATE_LIMIT", 5)
# Seconds a reader is asked to wait when the database is unreachable (the 503's Retry-After).
UNAVAILABLE_RETRY_AFTER = 30

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where signing in lands when ?next= is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"
# django-axes (database handler) counts failed sign-ins per account and, separately, per address;
# either reaching the limit locks for the cool-off. See docs/security.md.
AUTHENTICATION_BACKENDS = [
    "masthead.people.backends.SignInLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("MASTHEAD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MASTHEAD_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "masthead.people.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "masthead.core.ratelimit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("MASTHEAD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "masthead" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MASTHEAD_MEDIA_ROOT", VAR_DIR / "media"))
# Behind nginx the proxy serves /media/ itself; the embedded site serves it from Django.
SERVE_MEDIA = env_bool("MASTHEAD_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "masthead.media.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# `masthead serve` turns this on after collectstatic: hashed names, compressed, cached for a year.
if env_bool("MASTHEAD_STATIC_MANIFEST"):
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

# With no mail server configured, mail is written to the console so nothing is lost silently.
email_host = os.environ.get("MASTHEAD_EMAIL_HOST", "")
if email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": email_host,
                "port": env_int("MASTHEAD_EMAIL_PORT", 587),
                "username": os.environ.get("MASTHEAD_EMAIL_USER", ""),
                "password": os.environ.get("MASTHEAD_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("MASTHEAD_EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("MASTHEAD_DEFAULT_FROM_EMAIL", "masthead@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (reply e-mails, the IP purge) are rows in the database: `masthead worker` runs
# them, and `masthead run` runs them in process. No broker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Discussion (docs/configuration.md, "Discussion").
COMMENT_MAX_DEPTH = env_int("MASTHEAD_COMMENT_MAX_DEPTH", 4)
COMMENT_MAX_CHARS = env_int("MASTHEAD_COMMENT_MAX_CHARS", 10_000)
COMMENT_EDIT_MINUTES = env_int("MASTHEAD_COMMENT_EDIT_MINUTES", 15)
COMMENTS_PER_PAGE = env_int("MASTHEAD_COMMENTS_PER_PAGE", 100)
COMMENTS_CLOSE_AFTER_DAYS = env_int("MASTHEAD_COMMENTS_CLOSE_AFTER_DAYS", 0)
COMMENT_IP_RETENTION_DAYS = env_int("MASTHEAD_COMMENT_IP_RETENTION_DAYS", 30)
COMMENT_POLL_SECONDS = env_int("MASTHEAD_COMMENT_POLL_SECONDS", 15)
# How long the rendered thread is kept under its marker (0 renders it on every page).
THREAD_CACHE_SECONDS = env_int("MASTHEAD_THREAD_CACHE_SECONDS", 3600)
# Decides a new comment's status: a function (comment, context) -> Decision. Moderation points
# this at its own pipeline; discussion never imports moderation.
COMMENT_PIPELINE = "masthead.moderation.pipeline.decide"
DEMO_LOADERS += ["masthead.discussion.demo.demo_load"]

# Moderation (docs/moderation.md; docs/configuration.md, "Moderation").
MODERATION_MODE = os.environ.get("MASTHEAD_MODERATION_MODE", "post").strip().lower()
HOLD_FIRST_TIME = env_bool("MASTHEAD_HOLD_FIRST_TIME", True)
TRUSTED_AFTER = env_int("MASTHEAD_TRUSTED_AFTER", 3)
MAX_LINKS = env_int("MASTHEAD_MAX_LINKS", 2)
COMMENT_RATE = os.environ.get("MASTHEAD_COMMENT_RATE", "5/10m")
REPORTS_TO_HIDE = env_int("MASTHEAD_REPORTS_TO_HIDE", 3)
REPORT_RATE_LIMIT = env_int("MASTHEAD_REPORT_RATE_LIMIT", 10)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if SITE_URL.startswith("https://"):
    SECURE_HSTS_SECONDS = env_int("MASTHEAD_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MASTHEAD_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("MASTHEAD_HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env_bool("MASTHEAD_SSL_REDIRECT", True)
    # Turning these off is the operator's informed choice, not something to warn about forever.
    SILENCED_SYSTEM_CHECKS = [
        check
        for check, wanted in [
            ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
            ("security.W021", SECURE_HSTS_PRELOAD),
            ("security.W008", SECURE_SSL_REDIRECT),
        ]
        if not wanted
    ]
# Scripts and styles come from our own origin or carry the response's nonce; nothing inline
# runs without one ({% csp_nonce_attr %} in templates). htmx 2 injects a <style> for its request
# indicators unless told not to: pages that load htmx set
# <meta name="htmx-config" content='{"includeIndicatorStyles":false}'> and style indicators in
# site.css instead, or that <style> is blocked.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Pictures may live at another address (Image.source_url, imported posts); an image cannot
    # run script, so any HTTPS origin may serve one.
    "img-src": [CSP.SELF, "https:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation",
        "gyroscope", "magnetometer", "microphone", "payment", "usb",
    ]
}  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MASTHEAD_LOG_LEVEL", "INFO")},
}

"""Settings of the Forum of Regions.

Everything that differs between a laptop and production comes from the environment:
``DJANGO_DEBUG`` (0/1), ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` (comma-separated),
``DATABASE_URL`` and ``REDIS_URL``. With none of them set the app runs in development mode on a
SQLite file under ``var/``.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    # Development only: production refuses to start without a key of its own (above).
    SECRET_KEY = "django-insecure-development-key-for-the-forum-of-regions-only"
# Earlier keys, still accepted when checking signatures (personal links, sessions, password
# resets) but never used to sign: rotate a key by moving the old one here (README, Operations).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "import_export",
    "axes",
    "csp",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "sheets",
    "forum",
    "events",
    "documents",
    "delegates",
    "agreements",
    "secretariat",
    "public",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /healthz is answered here, before any static file, session, locale, CSRF or auth work.
    "forum.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS headers on the open-data API's answers (CORS_URLS_REGEX), before CommonMiddleware.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"

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
                "forum.context_processors.page_languages",
                "public.context_processors.archive",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the plan of any query it estimates dear (the versions measured over
    # every assignment, the statistics): 10-30 ms each, for queries that run in a few.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# A cache that does not answer within this time is down: pages come from the database, and it is
# asked again once every CACHE_RETRY_SECONDS (forum.cache), not on every request.
CACHE_TIMEOUT_SECONDS = float(os.environ.get("DJANGO_CACHE_TIMEOUT_SECONDS", "0.5"))
CACHE_RETRY_SECONDS = float(os.environ.get("DJANGO_CACHE_RETRY_SECONDS", "5"))


def shared_cache(location: str) -> dict:
    """The cache every app server shares: Redis at ``location``, through forum.cache."""
    return {
        "BACKEND": "forum.cache.ResilientRedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "forum",
        "OPTIONS": {
            "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
            "socket_timeout": CACHE_TIMEOUT_SECONDS,
        },
        "RETRY_SECONDS": CACHE_RETRY_SECONDS,
    }


if REDIS_URL:
    CACHES = {"default": shared_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions and django-axes' counts are kept in the database: signing in and lock-outs work while
# the cache is down. A session is read through the cache (forum.sessions), a minute at most.
SESSION_ENGINE = "forum.sessions"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# django-axes counts failed logins (admin and delegates alike) before Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Signs nobody in: reads the user of a delegate's session with their delegate (delegates.auth).
    "delegates.auth.DelegateSessionBackend",
]

# Argon2 for new and changed passwords; PBKDF2 still reads the older hashes and upgrades them.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Russian first, Belarusian and English beside it.
LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("be", _("Belarusian")),
    ("en", _("English")),
]
# locale_vendor: our Belarusian catalogue of django-import-export's strings (it ships none).
# Django ships no Belarusian formats (dates, numbers); ours are in forum/formats/be/.
FORMAT_MODULE_PATH = ["forum.formats"]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
USE_I18N = True

TIME_ZONE = "Europe/Moscow"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_LANGUAGES = ("ru", "be", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ru",)}
# The tabbed admin would load jQuery UI from a CDN; we serve our own copy.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files (the forum's documents): under var/media on one machine; with DJANGO_S3_BUCKET,
# in S3-compatible object storage that every app server reads (README: "Storage").
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or VAR_DIR / "media")
# Nothing serves this address: every file goes out through a view that checks who may read it.
MEDIA_URL = "/media/"


def s3_storage(environ=os.environ) -> dict:
    """django-storages' S3Storage from DJANGO_S3_* (keys left empty: boto3 finds its own, e.g. an
    instance role). Path-style addressing by default where an endpoint is given, as MinIO, Ceph
    and most S3-compatible servers expect."""
    endpoint = environ.get("DJANGO_S3_ENDPOINT_URL", "")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["DJANGO_S3_BUCKET"],
            "endpoint_url": endpoint or None,
            "region_name": environ.get("DJANGO_S3_REGION") or None,
            "access_key": environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
            "location": environ.get("DJANGO_S3_PREFIX", ""),
            "addressing_style": environ.get(
                "DJANGO_S3_ADDRESSING_STYLE", "path" if endpoint else "auto"
            ),
            "signature_version": "s3v4",
            # The bucket stays private: no ACL on the objects, no public links to them.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": (
        s3_storage()
        if os.environ.get("DJANGO_S3_BUCKET")
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Delegates log in under the language prefix; the admin keeps its own login page.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "me"
LOGOUT_REDIRECT_URL = "home"

# A delegate's personal link stays valid this many days unless a newer one replaces it.
DELEGATE_LINK_MAX_AGE_DAYS = int(os.environ.get("DJANGO_DELEGATE_LINK_MAX_AGE_DAYS", "30"))

# Password-reset mails (delegates.views.PasswordResetView): at most this many requests per
# e-mail address, and per client address, within the window; more get a "try later" page. Counted
# in the database (delegates.PasswordResetRequest), which works while the cache is down.
PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("DJANGO_PASSWORD_RESET_PER_ADDRESS", "3"))
PASSWORD_RESET_PER_CLIENT = int(os.environ.get("DJANGO_PASSWORD_RESET_PER_CLIENT", "10"))
PASSWORD_RESET_WINDOW_MINUTES = int(os.environ.get("DJANGO_PASSWORD_RESET_WINDOW_MINUTES", "60"))

# E-mail: printed to the console in development; SMTP from the environment in production.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "forum@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Login throttling (django-axes): both the admin's and the delegates' login pages.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("DJANGO_AXES_COOLOFF_MINUTES", "30")))
# By user name and address together: a chamber's delegates share an office address, and one
# mistyping colleague must not lock out the rest.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address: REMOTE_ADDR, or behind DJANGO_TRUSTED_PROXIES proxies the address the
# outermost of them saw (see forum.security.client_ip_address; a client can forge the rest).
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "forum.security.client_ip_address"

# Content-Security-Policy (django-csp): no inline script or style anywhere, the admin included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Import and export in the admin need the model's change and view permissions respectively
# (django-import-export would otherwise let any staff user import).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Imports run inside the request that confirms them; tens of thousands of rows must fit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# Spreadsheet imports (django-import-export): one transaction each, nothing written if any row
# is wrong; the limits refuse a file before it is read. Formats: sheets.formats.FORMATS.
IMPORT_MAX_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("DJANGO_IMPORT_MAX_ROWS", "50000"))
# A workbook is a ZIP archive: what it may unpack to, and how many cells its sheet may span
# (from its first cell to its last), both checked before the sheet is loaded (sheets.workbooks).
IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("DJANGO_IMPORT_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024))
)
IMPORT_MAX_CELLS = int(os.environ.get("DJANGO_IMPORT_MAX_CELLS", "2000000"))
# How long a previewed file waits for its confirmation (sheets.Upload), in hours.
IMPORT_UPLOAD_HOURS = int(os.environ.get("DJANGO_IMPORT_UPLOAD_HOURS", "24"))
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Each import is recorded once (sheets.ImportRecord), not as one admin log entry per row.
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
# Importing adds and changes rows; exporting needs only the right to view them.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Formulas are neutralised by our formats (an apostrophe the import removes again), so this
# stays off: import-export's own escaping drops the "=" and would not read back unchanged.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# The open-data API (public/api/): read-only, public data only (staff signed in to the admin also
# see drafts), paginated; anonymous clients are throttled per address (public.api.throttling).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "public.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("DJANGO_API_ANON_RATE", "120/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Forum of Regions of Belarus and Russia: open data",
    "DESCRIPTION": (
        "Read-only public data of every edition of the Forum of Regions: forums, days, events "
        "with their venues and people by role, agreements with their parties, and regions. "
        "Texts in the language asked for with ?lang= (ru, be, en) or Accept-Language."
    ),
    "VERSION": "1",
    # 3.1: a nullable reference is oneOf [ref, null], which every validator reads alike.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}
# CORS: any site may read the API with GET; nothing else, no credentials.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Content-Language", "Retry-After"]
# The largest document file the admin accepts (documents.files); a larger one is refused, named.
DOCUMENT_MAX_BYTES = int(os.environ.get("DJANGO_DOCUMENT_MAX_BYTES", str(50 * 1024 * 1024)))

# How long the shared cache may keep a forum's programme version (public.caching): writes through
# the ORM replace it at once; others (update(), bulk_create(), raw SQL) show within this time.
PROGRAMME_VERSION_CACHE_SECONDS = int(os.environ.get("DJANGO_PROGRAMME_VERSION_CACHE_SECONDS", "2"))
# What each app process keeps of public pages in its own memory (public.front_cache, in front of
# the WSGI application), at most; 0 turns that off, as does PROGRAMME_VERSION_CACHE_SECONDS=0.
FRONT_CACHE_MAX_BYTES = int(os.environ.get("DJANGO_FRONT_CACHE_MAX_MB", "64")) * 2**20

# At the commit of a change, the public pages readers asked for in the last
# PRERENDER_RECENT_SECONDS are made before the change is shown (public.prerender): this many of
# them at most (0: none), for this long at most — well under PROGRAMME_VERSION_CACHE_SECONDS,
# after which readers read the new version and make the pages themselves beside it. Only with the
# shared cache (Redis).
PRERENDER_PAGES = int(os.environ.get("DJANGO_PRERENDER_PAGES", "60"))
PRERENDER_SECONDS = float(os.environ.get("DJANGO_PRERENDER_SECONDS", "1"))
PRERENDER_RECENT_SECONDS = 60 * 60

# `make bench` only: a trivial view at /bench/ceiling, the ceiling of this stack (bench/web.py).
BENCH_CEILING = env_bool("DJANGO_BENCH_CEILING", False)

if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secrets in addresses and control characters in what a request brought are cleaned in
    # every record when it is made, whatever its logger (forum.logging, installed by forum.apps).
    "formatters": {
        # key=value on one line (a traceback follows on the next lines), for log collectors.
        "plain": {"format": "time=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"},
        "server": {"format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "loggers": {
        # Lock-outs are warnings; every counted attempt at INFO would drown the log.
        "axes": {"level": "WARNING"},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

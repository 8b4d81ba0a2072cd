"""Collectif settings, read from the environment (twelve-factor).

Every value a deployment changes comes from an environment variable; the defaults
give a working demo on SQLite with no configuration at all.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A secret is only optional on a developer's machine; production must set one.
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "insecure-development-key-change-me" if DEBUG else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    # Before allauth, so that our restyled account pages and e-mails win the lookup.
    "collectif.accounts",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "collectif.core",
    "collectif.ecosystem",
    "collectif.agenda",
    "collectif.measurement",
    "collectif.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the policies too.
    "csp.middleware.CSPMiddleware",
    "collectif.core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a NUL byte or broken Unicode anywhere is a 400, never a 500.
    "collectif.core.middleware.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "collectif" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "collectif.core.context_processors.initiative",
                "collectif.accounts.context_processors.roles",
            ],
            "builtins": ["collectif.core.templatetags.collectif"],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'collectif.sqlite3'}")
}
# Connections are kept between requests on every engine: opening one (and, on SQLite,
# running its PRAGMAs) per request cost more than the dashboards' own queries.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Run once per connection (init_command), not per request. WAL lets the task worker
    # write while the web process reads; a memory-mapped file and a larger page cache
    # keep the dashboards' reads off the system calls.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=134217728; PRAGMA cache_size=-20000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://collectif")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same, without a new Redis client object on every read (collectif/core/cache.py).
    CACHES["default"]["BACKEND"] = "collectif.core.cache.RedisCache"
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # The embedded default keeps sessions and results pages in each process: room for a
    # demo's pages without evicting the sessions (an evicted one is read again from the
    # database, never lost).
    CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 2000

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Collectif <noreply@collectif.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's backends, reading the account in one round trip (decision 0027).
    "collectif.accounts.backends.ModelBackend",
    "collectif.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
# People join through a staff invitation, never by open sign-up.
ACCOUNT_ADAPTER = "collectif.accounts.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English"), ("fr", "Français")]
# Core's catalogue outranks those of the apps installed before it (Django's admin says
# "Page non trouvée"), as the shared root catalogue does.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "collectif" / "core" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="America/Toronto")
FORMAT_MODULE_PATH = ["collectif.formats"]
USE_THOUSAND_SEPARATOR = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "fr")}

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "collectif" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
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

TASKS = {
    "default": {
        "BACKEND": env.str("TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# Security: safe defaults that `check --deploy` approves when DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production) and written through to the
# database, which stays their source: every signed-in page costs one query less.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# What a page may load and do (decision 0024): nothing inline, nothing from elsewhere.
# Charts are SVG drawn on the server; the API's docs page loads Swagger UI from our own
# static files, which draws its icons as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Powerful browser features no page of Collectif uses, refused for every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# What the initiative calls itself; the demo is the national mentoring movement.
COLLECTIF = {
    "INITIATIVE_NAME_EN": env.str("INITIATIVE_NAME_EN", default="Mentoring Movement Canada"),
    "INITIATIVE_NAME_FR": env.str("INITIATIVE_NAME_FR", default="Mouvement canadien du mentorat"),
    "LOGO_URL": env.str("INITIATIVE_LOGO_URL", default=""),
    "CONTACT_EMAIL": env.str("INITIATIVE_CONTACT_EMAIL", default="info@collectif.localhost"),
    "LAND_ACKNOWLEDGEMENT_EN": env.str(
        "LAND_ACKNOWLEDGEMENT_EN",
        default=(
            "We work on the traditional, ancestral and unceded territories of "
            "First Nations, Inuit and Métis peoples, and we commit to truth and "
            "reconciliation in our communities."
        ),
    ),
    "LAND_ACKNOWLEDGEMENT_FR": env.str(
        "LAND_ACKNOWLEDGEMENT_FR",
        default=(
            "Nous travaillons sur les territoires traditionnels, ancestraux et non "
            "cédés des Premières Nations, des Inuits et des Métis, et nous nous "
            "engageons envers la vérité et la réconciliation dans nos communautés."
        ),
    ),
    "PAGE_SIZE": env.int("PAGE_SIZE", default=25),
    # A change from last period beyond this share (either way) is flagged for review.
    "REVIEW_CHANGE_THRESHOLD_PERCENT": env.int("REVIEW_CHANGE_THRESHOLD_PERCENT", default=50),
    "INVITATION_DAYS": env.int("INVITATION_DAYS", default=14),
    # Canadian funders' fiscal years start in April.
    "FISCAL_YEAR_START_MONTH": env.int("FISCAL_YEAR_START_MONTH", default=4),
    # Public figures hide small cells: counts under 5, or fewer than 3 organisations.
    "SUPPRESS_COUNT_BELOW": env.int("SUPPRESS_COUNT_BELOW", default=5),
    "SUPPRESS_ORGANISATIONS_BELOW": env.int("SUPPRESS_ORGANISATIONS_BELOW", default=3),
    "UPLOAD_MAX_BYTES": env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024),
    # A background job silent for longer than this lost its worker (killed, restarted).
    "JOB_LEASE_SECONDS": env.int("JOB_LEASE_SECONDS", default=120),
}
# Partner files larger than this are checked and imported by a background job that the
# page (or the API's status address) follows, rather than within the web request.
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=2 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

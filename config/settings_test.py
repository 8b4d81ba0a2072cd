"""Test overrides: fast hashing, tasks run immediately, mail kept in memory."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from config.settings import *  # noqa: F403
from config.settings import STORAGES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# CACHE_URL (e.g. redis://127.0.0.1:6379/15) runs the suite on a shared cache, as in
# production; each pytest-xdist worker keeps its own keys, since results versions and
# row ids repeat from one worker's database to another's.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://tests")}
CACHES["default"]["KEY_PREFIX"] = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Never evict in tests: an evicted session would change the queries a test counts.
    CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 1_000_000
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

from forum.settings import *  # noqa: F403

# pytest-django runs with DEBUG off; plain storage needs no collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Serve static files from the apps' folders, as in development: no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The programme version from the database on every request, so query counts include it; the
# cached version has tests of its own (tests/forum/test_version_cache.py).
PROGRAMME_VERSION_CACHE_SECONDS = 0

"""The WSGI application: Django's, behind the front cache of public pages (public.front_cache)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

django_application = get_wsgi_application()

from public.front_cache import FrontCache  # noqa: E402  (needs Django set up)

application = FrontCache(django_application)

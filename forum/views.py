import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)


@csrf_exempt
@never_cache
def healthz(request):
    """200 when the database and the cache answer; else 503 naming which (never why: the
    reasons, with hosts and settings in them, stay in the log)."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure means "not reachable"; details stay in the logs
        logger.warning("healthz: the database does not answer", exc_info=True)
        problems.append("database")
    # A cache that does not answer stores nothing and says so once in the log (forum.cache).
    cache.set("healthz", "ok", 5)
    if cache.get("healthz") != "ok":
        problems.append("cache")
    if problems:
        return JsonResponse({"status": "unavailable", "failing": problems}, status=503)
    return JsonResponse({"status": "ok"})


def bench_ceiling(request):
    """The least a Django view can do, behind the same middleware: `make bench`'s ceiling.

    Routed only with DJANGO_BENCH_CEILING=1 (see forum/urls.py)."""
    return HttpResponse(b"ok", content_type="text/plain")

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from forum.public import answer_preview, reader_previews
from forum.selectors import (
    forum_agreement_counts,
    forum_archive,
    forum_days_at_a_glance,
    forum_featured,
    forum_for_reader,
)

logger = logging.getLogger(__name__)


def language_redirect(request):
    """Send a reader of / to the home page in the best language they accept."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        return HttpResponseRedirect(reverse("home"))


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
    try:
        cache.set("healthz", "ok", 5)
        if cache.get("healthz") != "ok":
            problems.append("cache")
    except Exception:
        logger.warning("healthz: the cache does not answer", exc_info=True)
        problems.append("cache")
    if problems:
        return JsonResponse({"status": "unavailable", "failing": problems}, status=503)
    return JsonResponse({"status": "ok"})


def bench_ceiling(request):
    """The least a Django view can do, behind the same middleware: `make bench`'s ceiling.

    Routed only with DJANGO_BENCH_CEILING=1 (see forum/urls.py)."""
    return HttpResponse(b"ok", content_type="text/plain")


class HomeView(TemplateView):
    template_name = "forum/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forums = list(forum_archive())
        context["forums"] = forums
        context["featured"] = forum_featured(forums)
        return context


def forum_overview(request, year):
    preview = reader_previews(request)
    forum = forum_for_reader(year=year, preview=preview)
    context = {
        "forum": forum,
        "preview": preview,
        "days": forum_days_at_a_glance(forum=forum, preview=preview),
        "counts": forum_agreement_counts(forum=forum),
    }
    return answer_preview(render(request, "forum/overview.html", context), preview=preview)

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from forum.selectors import forum_archive


def language_redirect(request):
    """Send a reader of / to the home page in the best language they accept."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        return HttpResponseRedirect(reverse("home"))


@never_cache
def healthz(request):
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure means "not reachable"; details stay in the logs
        problems.append("database")
    try:
        cache.set("healthz", "ok", 5)
        if cache.get("healthz") != "ok":
            problems.append("cache")
    except Exception:
        problems.append("cache")
    if problems:
        return JsonResponse({"status": "unavailable", "failing": problems}, status=503)
    return JsonResponse({"status": "ok"})


class HomeView(TemplateView):
    template_name = "forum/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forums"] = forum_archive()
        return context

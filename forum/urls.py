from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path, register_converter
from django.views.generic import RedirectView

from documents.downloads import FILE_PATH
from forum import views
from public.caching import conditional_site
from public.seo import SITEMAPS, robots_txt
from public.views import document_download, language_redirect, read_only


class YearConverter:
    """Four digits: a year a person types; longer numbers never reach the database."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


register_converter(YearConverter, "year")


urlpatterns = [
    path("", language_redirect, name="language-redirect"),
    path("healthz", views.healthz, name="healthz"),
    # A file is the same in every language of the pages: one address, outside the prefixes.
    re_path(
        rf"^documents/(?P<year>[0-9]{{4}})/{FILE_PATH}$",
        read_only(document_download),
        name="document",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # The import records moved to the sheets app; bookmarks of their old pages still lead there.
    re_path(
        r"^admin/forum/importrecord/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/sheets/importrecord/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("public.api.urls")),
    path(
        "sitemap.xml",
        read_only(conditional_site(sitemap)),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", read_only(robots_txt), name="robots-txt"),
]

if settings.BENCH_CEILING:
    urlpatterns.append(path("bench/ceiling", views.bench_ceiling, name="bench-ceiling"))

urlpatterns += i18n_patterns(
    path("", include("delegates.urls")),
    path("", include("public.urls")),
    prefix_default_language=True,
)

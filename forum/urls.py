from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, register_converter

from agreements import views as agreement_views
from events import feeds
from events import views as event_views
from forum import views
from forum.caching import conditional_programme, shared_page


class YearConverter:
    """Four digits: a year a person types; longer numbers never reach the database."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


register_converter(YearConverter, "year")


urlpatterns = [
    path("", views.language_redirect, name="language-redirect"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_CEILING:
    urlpatterns.append(path("bench/ceiling", views.bench_ceiling, name="bench-ceiling"))

urlpatterns += i18n_patterns(
    path("", shared_page(views.HomeView.as_view()), name="home"),
    path("", include("delegates.urls")),
    path("<year:year>/", conditional_programme(views.forum_overview), name="forum-overview"),
    path("<year:year>/programme/", conditional_programme(event_views.programme), name="programme"),
    path("<year:year>/programme.ics", feeds.programme_ics, name="programme-ics"),
    path("<year:year>/schedule.json", feeds.schedule_json, name="schedule-json"),
    path(
        "<year:year>/events/<slug:slug>/",
        conditional_programme(event_views.event_detail),
        name="event",
    ),
    path("<year:year>/events/<slug:slug>.ics", feeds.event_ics, name="event-ics"),
    path(
        "<year:year>/agreements/",
        conditional_programme(agreement_views.registry),
        name="agreements",
    ),
    prefix_default_language=True,
)

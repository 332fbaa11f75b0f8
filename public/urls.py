from django.urls import path

from public import archive_views, converters, feeds, views  # noqa: F401 (converters)
from public.caching import conditional_programme, conditional_site, shared_page
from public.views import read_only

# Under forum.urls' language prefix, which registers the `year` converter.
urlpatterns = [
    path("", read_only(shared_page(views.HomeView.as_view())), name="home"),
    path(
        "<year:year>/",
        read_only(conditional_programme(views.forum_overview)),
        name="forum-overview",
    ),
    path(
        "<year:year>/programme/",
        read_only(conditional_programme(views.programme)),
        name="programme",
    ),
    path("<year:year>/programme.ics", read_only(feeds.programme_ics), name="programme-ics"),
    path("<year:year>/schedule.json", read_only(feeds.schedule_json), name="schedule-json"),
    path(
        "<year:year>/events/<slug:slug>/",
        read_only(conditional_programme(views.event_detail)),
        name="event",
    ),
    path("<year:year>/events/<slug:slug>.ics", read_only(feeds.event_ics), name="event-ics"),
    path(
        "<year:year>/agreements/",
        read_only(conditional_programme(views.registry)),
        name="agreements",
    ),
    # Across every edition: keyed by the site version (public.versioning.site_version).
    path("statistics/", read_only(conditional_site(archive_views.statistics)), name="statistics"),
    path(
        "statistics/<slug:slug>.csv",
        read_only(conditional_site(archive_views.statistics_csv)),
        name="statistics-csv",
    ),
    path("regions/", read_only(conditional_site(archive_views.regions)), name="regions"),
    path(
        "regions/<region:code>/", read_only(conditional_site(archive_views.region)), name="region"
    ),
    path("search/", read_only(conditional_site(archive_views.search)), name="search"),
    path("open-data/", read_only(conditional_site(archive_views.open_data)), name="open-data"),
    path("<year:year>/now/", read_only(conditional_programme(views.now, moment=True)), name="now"),
]

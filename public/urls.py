from django.urls import path

from public import archive_views, converters, feeds, views  # noqa: F401 (converters)
from public.caching import conditional_programme, conditional_site, shared_page

# Under forum.urls' language prefix, which registers the `year` converter.
urlpatterns = [
    path("", shared_page(views.HomeView.as_view()), name="home"),
    path("<year:year>/", conditional_programme(views.forum_overview), name="forum-overview"),
    path("<year:year>/programme/", conditional_programme(views.programme), name="programme"),
    path("<year:year>/programme.ics", feeds.programme_ics, name="programme-ics"),
    path("<year:year>/schedule.json", feeds.schedule_json, name="schedule-json"),
    path(
        "<year:year>/events/<slug:slug>/",
        conditional_programme(views.event_detail),
        name="event",
    ),
    path("<year:year>/events/<slug:slug>.ics", feeds.event_ics, name="event-ics"),
    path("<year:year>/agreements/", conditional_programme(views.registry), name="agreements"),
    # Across every edition: keyed by the site version (public.versioning.site_version).
    path("statistics/", conditional_site(archive_views.statistics), name="statistics"),
    path(
        "statistics/<slug:slug>.csv",
        conditional_site(archive_views.statistics_csv),
        name="statistics-csv",
    ),
    path("regions/", conditional_site(archive_views.regions), name="regions"),
    path("regions/<region:code>/", conditional_site(archive_views.region), name="region"),
    path("search/", conditional_site(archive_views.search), name="search"),
    path("open-data/", conditional_site(archive_views.open_data), name="open-data"),
    path("<year:year>/now/", conditional_programme(views.now, moment=True), name="now"),
]

"""/api/v1/: included by forum.urls without a language prefix (?lang= or Accept-Language)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from public import converters  # noqa: F401 (registers <region:…>)
from public.api import views
from public.api.views import api_answer

urlpatterns = [
    path("", api_answer(views.Root.as_view()), name="api-root"),
    path("forums/", api_answer(views.ForumList.as_view()), name="api-forums"),
    path("forums/<year:year>/", api_answer(views.ForumDetail.as_view()), name="api-forum"),
    path(
        "forums/<year:year>/events/<slug:slug>/",
        api_answer(views.EventDetail.as_view()),
        name="api-event",
    ),
    path("days/", api_answer(views.DayList.as_view()), name="api-days"),
    path("events/", api_answer(views.EventList.as_view()), name="api-events"),
    path("agreements/", api_answer(views.AgreementList.as_view()), name="api-agreements"),
    path("regions/", api_answer(views.RegionList.as_view()), name="api-regions"),
    path("regions/<region:code>/", api_answer(views.RegionDetail.as_view()), name="api-region"),
    path("schema/", api_answer(SpectacularAPIView.as_view()), name="api-schema"),
]

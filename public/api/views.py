"""The API's endpoints: thin views over the selectors the public pages use."""

from functools import wraps

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from agreements.selectors import agreements_matching
from events.models import Event
from forum.models import Day, Forum
from public import prerender
from public.api import serializers as s
from public.api.throttling import too_many_requests
from public.caching import FRONT_CACHE_MARK, conditional_site
from public.regions import regions_with_counts
from public.rules import may_preview_drafts
from public.selectors import _with_people

LANGUAGE = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=[code for code, _name in settings.LANGUAGES],
    description=_("The language of the texts; else Accept-Language; else Russian."),
)


def api_language(request) -> str:
    """?lang=, else the best of Accept-Language, else Russian."""
    asked = request.GET.get("lang", "")
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language_from_request(request, check_path=False)


def api_answer(view):
    """Throttled first (a cached answer counts too), then in the language asked, cached and
    answered with 304s like the pages; never kept by the front cache, which would neither count
    the request nor tell the languages of Accept-Language apart."""

    cached = conditional_site(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        refused = too_many_requests(request)
        if refused is not None:
            return refused
        language = api_language(request)
        prerender.on_demand_only(request)
        with translation.override(language):
            response = cached(request, *args, **kwargs)
        request.META.pop(FRONT_CACHE_MARK, None)
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response

    return wrapper


def _preview(request) -> bool:
    return may_preview_drafts(request.user)


def _filters(request, serializer_class) -> dict:
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


@extend_schema(exclude=True)
class Root(APIView):
    """The API's entry: where everything is."""

    def get(self, request):
        names = ["api-forums", "api-days", "api-events", "api-agreements", "api-regions"]
        links = {name.removeprefix("api-"): reverse(name, request=request) for name in names}
        links["schema"] = reverse("api-schema", request=request)
        return Response(links)


@extend_schema(
    summary=_("Forums"),
    description=_("Every published edition, newest first."),
    parameters=[LANGUAGE],
)
class ForumList(generics.ListAPIView):
    serializer_class = s.ForumSerializer

    def get_queryset(self):
        return Forum.objects.visible(preview=_preview(self.request)).order_by("-year")


@extend_schema(
    summary=_("One forum"), description=_("A forum and its days."), parameters=[LANGUAGE]
)
class ForumDetail(generics.RetrieveAPIView):
    serializer_class = s.ForumDetailSerializer
    lookup_field = "year"

    def get_queryset(self):
        days = Prefetch("days", queryset=Day.objects.select_related("forum").order_by("date"))
        return Forum.objects.visible(preview=_preview(self.request)).prefetch_related(days)


@extend_schema(
    summary=_("Days"),
    description=_("The days of the forums, in order."),
    parameters=[LANGUAGE, s.ForumFilter],
)
class DayList(generics.ListAPIView):
    serializer_class = s.DaySerializer

    def get_queryset(self):
        filters = _filters(self.request, s.ForumFilter)
        days = Day.objects.filter(forum__in=Forum.objects.visible(preview=_preview(self.request)))
        if "forum" in filters:
            days = days.filter(forum__year=filters["forum"])
        return days.select_related("forum").order_by("date", "pk")


def _events(request):
    return (
        Event.objects.visible(preview=_preview(request))
        .select_related("forum", "day")
        .prefetch_related("venues__region")
        .defer("video_conference_url")
        .order_by("day__date", "starts_at", "number", "pk")
    )


class _WithPeople:
    """Each event of the page with its people by role (one query for the page)."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _with_people(page)
        return page


@extend_schema(
    summary=_("Events"),
    description=_("The public events of every forum, with their venues and people by role."),
    parameters=[LANGUAGE, s.EventFilter],
)
class EventList(_WithPeople, generics.ListAPIView):
    serializer_class = s.EventSerializer

    def get_queryset(self):
        filters = _filters(self.request, s.EventFilter)
        events = _events(self.request)
        if "forum" in filters:
            events = events.filter(forum__year=filters["forum"])
        if "kind" in filters:
            events = events.filter(kind=filters["kind"])
        if "date" in filters:
            events = events.filter(day__date=filters["date"])
        return events


@extend_schema(summary=_("One event"), parameters=[LANGUAGE])
class EventDetail(generics.RetrieveAPIView):
    serializer_class = s.EventSerializer

    def get_object(self):
        event = (
            _events(self.request)
            .filter(forum__year=self.kwargs["year"], slug=self.kwargs["slug"])
            .first()
        )
        if event is None:
            raise Http404
        _with_people([event])
        return event


@extend_schema(
    summary=_("Agreements"),
    description=_(
        "The agreement registry of every forum, filtered as the registry page filters it, "
        "with the parties and their regions."
    ),
    parameters=[LANGUAGE, s.AgreementFilter],
)
class AgreementList(generics.ListAPIView):
    serializer_class = s.AgreementSerializer

    def get_queryset(self):
        filters = dict(_filters(self.request, s.AgreementFilter))
        year = filters.pop("forum", None)
        agreements = agreements_matching(preview=_preview(self.request), **filters)
        if year is not None:
            agreements = agreements.filter(forum__year=year)
        return agreements


@extend_schema(
    summary=_("Regions"),
    description=_("Every region of Belarus and Russia with its counts."),
    parameters=[LANGUAGE, s.RegionFilter],
)
class RegionList(generics.ListAPIView):
    serializer_class = s.RegionSerializer

    def get_queryset(self):
        filters = _filters(self.request, s.RegionFilter)
        regions = regions_with_counts(preview=_preview(self.request))
        if "country" in filters:
            regions = regions.filter(country=filters["country"])
        return regions


@extend_schema(summary=_("One region"), parameters=[LANGUAGE])
class RegionDetail(generics.RetrieveAPIView):
    serializer_class = s.RegionSerializer
    lookup_field = "code"

    def get_queryset(self):
        return regions_with_counts(preview=_preview(self.request))

import datetime as dt

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from forum.models import Forum


def forum_archive():
    """Every published edition, newest first, for the home page."""
    return Forum.objects.published().order_by("-year")


def forum_featured(forums, *, today: dt.date | None = None):
    """The forum running today or the next one to open; else the latest. From a loaded list."""
    today = today or timezone.localdate()
    coming = [forum for forum in forums if forum.ends_on >= today]
    if coming:
        return min(coming, key=lambda forum: forum.starts_on)
    return max(forums, key=lambda forum: forum.starts_on, default=None)


def forum_for_reader(*, year: int, preview: bool = False) -> Forum:
    """The forum of a year as a public page shows it; drafts only in a staff preview."""
    forums = Forum.objects.all() if preview else Forum.objects.published()
    forum = forums.filter(year=year).first()
    if forum is None:
        raise Http404("No forum that year.")
    return forum


def forum_days_at_a_glance(*, forum: Forum, preview: bool = False):
    """The forum's days, each with its events' titles (published ones, unless previewing)."""
    from events.models import Event  # events depends on forum, not the other way at import

    events = Event.objects.all() if preview else Event.objects.published()
    return forum.days.order_by("date").prefetch_related(
        Prefetch("events", queryset=events.only("id", "day_id", "slug", "title", "starts_at"))
    )


def forum_agreement_counts(*, forum: Forum) -> dict[str, int]:
    """How many public agreements of the forum our registry holds, signed and planned."""
    from agreements.models import Status

    return forum.agreements.filter(is_public=True).aggregate(
        signed=Count("pk", filter=Q(status=Status.SIGNED)),
        planned=Count("pk", filter=Q(status=Status.PLANNED)),
    )

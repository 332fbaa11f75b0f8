"""Reads that shape the public pages across the apps; each owns its prefetches."""

import datetime as dt

from django.db.models import Count, Min, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from agreements.models import Agreement
from agreements.selectors import parties_prefetch
from delegates.selectors import LEAD_ROLES, people_by_event, role_groups
from documents.models import Document, DocumentFile
from events.models import Event
from forum.models import Forum


def forum_archive():
    """Every published edition, newest first, each with its first day (a youth forum may come
    before the opening), for the home page."""
    return Forum.objects.published().annotate(first_day=Min("days__date")).order_by("-year")


def forum_featured(forums, *, today: dt.date | None = None):
    """The forum running today or the next one to open; else the latest. From a loaded list."""
    today = today or timezone.localdate()
    coming = [forum for forum in forums if forum.ends_on >= today]
    if coming:
        return min(coming, key=lambda forum: forum.starts_on)
    return max(forums, key=lambda forum: forum.starts_on, default=None)


def forum_for_reader(*, year: int, preview: bool = False) -> Forum:
    forum = Forum.objects.visible(preview=preview).filter(year=year).first()
    if forum is None:
        raise Http404("No forum that year.")
    return forum


def forum_days_at_a_glance(*, forum: Forum, preview: bool = False):
    """The forum's days, each with the titles of the events this reader may see."""
    events = Event.objects.visible(preview=preview).only(
        "id", "day_id", "slug", "title", "starts_at"
    )
    return forum.days.order_by("date").prefetch_related(Prefetch("events", queryset=events))


def _programme_events(*, preview: bool):
    return Event.objects.visible(preview=preview).defer("video_conference_url")


def _with_people(events: list[Event], *, roles: tuple[str, ...] | None = None) -> None:
    """Give each event its people by role; every event's people in one query."""
    people = people_by_event([event.pk for event in events], roles=roles) if events else {}
    for event in events:
        pairs = people.get(event.pk, [])
        event.participant_groups = role_groups(pairs)
        event.has_sample_people = any(person.is_sample for _role, person in pairs)


def _programme_entries(*, preview: bool):
    return (
        _programme_events(preview=preview)
        .prefetch_related("venues")
        .annotate(other_people=Count("assignments", filter=~Q(assignments__role__in=LEAD_ROLES)))
    )


def programme_days(*, forum: Forum, preview: bool = False) -> list:
    """Every day of the forum in order, each with its events, venues and leading people
    (LEAD_ROLES), and ``other_people``, how many more take part."""
    events = _programme_entries(preview=preview)
    days = list(forum.days.order_by("date").prefetch_related(Prefetch("events", queryset=events)))
    _with_people([event for day in days for event in day.events.all()], roles=LEAD_ROLES)
    return days


def programme_events(*, forum: Forum, ids: list[int]) -> list[Event]:
    """The published events of the forum among ``ids``, each as ``programme_days`` gives it."""
    # The day: the feeds print its date for an event with no time announced.
    entries = _programme_entries(preview=False).select_related("day")
    events = list(entries.filter(forum=forum, pk__in=ids))
    _with_people(events, roles=LEAD_ROLES)
    return events


def event_for_page(*, forum: Forum, slug: str, preview: bool = False) -> Event:
    """One event with its venues, everyone in it, and the agreements signed at it."""
    agreements = (
        Agreement.objects.visible(preview=preview)
        .prefetch_related(parties_prefetch())
        .order_by("registry_number")
    )
    event = (
        _programme_events(preview=preview)
        .select_related("day")
        .prefetch_related("venues", Prefetch("agreements", queryset=agreements))
        .filter(forum=forum, slug=slug)
        .first()
    )
    if event is None:
        raise Http404("No such event.")
    _with_people([event])
    return event


def documents_for_page(
    *,
    forum: Forum,
    preview: bool = False,
    event: Event | None = None,
    event_ids: list[int] | None = None,
):
    """The public documents of the forum (or of one of its events, or of the events
    ``event_ids``) that have a file, final ones first, each with its files and, for the forum's
    page, its event."""
    documents = Document.objects.visible(preview=preview).filter(forum=forum)
    if event is not None:
        documents = documents.filter(event=event)
    if event_ids is not None:
        documents = documents.filter(event_id__in=event_ids)
    # The event's title and slug print beside each document of the forum's page.
    return list(documents.select_related("event").offered())


def document_file_for_reader(
    *, year: int, document_id: int, language: str, format_: str, preview: bool = False
) -> DocumentFile:
    """A file of a public document at its public address; 404 for anything else (a participants'
    document, a draft forum's, another year's, a language or format it does not have)."""
    document_file = (
        DocumentFile.objects.filter(
            document__in=Document.objects.visible(preview=preview),
            document__forum__year=year,
            document_id=document_id,
            language=language,
            format=format_,
        )
        .select_related("document")
        .first()
    )
    if document_file is None:
        raise Http404("No such document.")
    return document_file

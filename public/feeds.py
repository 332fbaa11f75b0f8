"""The programme as feeds: iCalendar (RFC 5545) and the c3voc/frab conference schedule JSON,
built from the programme page's own selector: only what that page shows goes in."""

import datetime as dt
import json
import uuid
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from documents.downloads import download_name
from documents.models import Document, DocumentFile, DocumentKind
from events.models import Event
from forum.models import Format, Forum, Venue, VenueKind
from public.caching import conditional_programme, page_reads, programme_forum
from public.fragments import event_parts
from public.rules import reader_previews
from public.selectors import documents_for_page, event_for_page

# Fixed for ever: the schedule's GUIDs are uuid5 of this namespace and "event-<pk>" (or
# "delegate-<pk>", "room-<venue pks>"), so they stay the same across fetches and edits.
GUID_NAMESPACE = uuid.UUID("5a0c6f0e-6f72-4d2a-9a36-726567696f6e")
C3VOC_SCHEMA = "https://c3voc.de/schedule/schema.json"


def event_guid(event: Event) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"event-{event.pk}"))


def _event_url(request, forum: Forum, event: Event) -> str:
    return request.build_absolute_uri(
        reverse("event", kwargs={"year": forum.year, "slug": event.slug})
    )


def _venue_label(venue: Venue) -> str:
    # "Minsk, video-conference studio" already names its city; don't say it twice.
    if venue.city and venue.city.casefold() not in venue.name.casefold():
        return f"{venue.name}, {venue.city}"
    return venue.name


def _location(event: Event) -> str:
    venues = list(event.venues.all())
    if venues:
        return "; ".join(_venue_label(venue) for venue in venues)
    if event.format == Format.ONLINE:
        return _("Online")
    return ""


def _documents_by_event(
    forum: Forum, *, preview: bool, events: list[Event]
) -> dict[int, list[Document]]:
    """The public documents of ``events`` (those of the whole forum have no place in either
    format), by event."""
    by_event: dict[int, list[Document]] = {}
    event_ids = [event.pk for event in events]
    for document in documents_for_page(forum=forum, preview=preview, event_ids=event_ids):
        if document.event_id:
            by_event.setdefault(document.event_id, []).append(document)
    return by_event


def _file_in(document: Document, language: str) -> DocumentFile:
    """The document's file in the feed's language, else the first it has (ru, be, en)."""
    files = list(document.files.all())
    return next((file for file in files if file.language == language), files[0])


def _document_url(request, forum: Forum, document_file: DocumentFile) -> str:
    return request.build_absolute_uri(
        reverse(
            "document",
            kwargs={
                "year": forum.year,
                "pk": document_file.document_id,
                "language": document_file.language,
                "extension": document_file.format,
            },
        )
    )


def _people(event: Event) -> list[tuple[str, list[str]]]:
    return [
        (str(group.heading), [person.full_name for person in group.people])
        for group in event.participant_groups
    ]


# --- iCalendar --------------------------------------------------------------------------------


def _calendar(forum: Forum, language: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//Forum of Regions of Belarus and Russia//Programme//{language}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", forum.title)
    calendar.add("x-wr-timezone", forum.time_zone)
    return calendar


def _attach(entry: CalendarEvent, request, forum: Forum, documents: list[Document]) -> None:
    """Each public document as an ATTACH by address, with its type, name and size (RFC 8607)."""
    language = translation.get_language()
    for document in documents:
        document_file = _file_in(document, language)
        entry.add(
            "attach",
            _document_url(request, forum, document_file),
            parameters={
                "FMTTYPE": document_file.content_type,
                "FILENAME": download_name(document_file),
                "SIZE": str(document_file.size),
            },
        )


def _calendar_event(
    request, forum: Forum, event: Event, day_date: dt.date, documents: list[Document]
) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", event.calendar_uid)
    # The last edit, not the time of the request: the same programme gives the same bytes.
    entry.add("dtstamp", event.updated_at)
    entry.add("last-modified", event.updated_at)
    if event.starts_at and event.ends_at:
        entry.add("dtstart", event.starts_at.astimezone(forum.zone))
        entry.add("dtend", event.ends_at.astimezone(forum.zone))
    else:
        # No time announced yet: an all-day entry on its day, never a made-up hour.
        entry.add("dtstart", day_date)
        entry.add("dtend", day_date + dt.timedelta(days=1))
        entry.add("transp", "TRANSPARENT")
    entry.add("summary", event.title)
    lines = [event.description.strip()] if event.description.strip() else []
    if event.is_cancelled:
        lines.insert(0, event.cancellation_text)
    for heading, names in _people(event):
        lines.append(f"{heading}: {', '.join(names)}")
    if lines:
        entry.add("description", "\n\n".join(lines))
    location = _location(event)
    if location:
        entry.add("location", location)
    url = _event_url(request, forum, event)
    entry.add("url", url)
    entry.add("categories", [capfirst(event.get_kind_display())])
    entry.add("status", event.calendar_status)
    _attach(entry, request, forum, documents)
    return entry


def _add_zones(calendar: Calendar, forum: Forum) -> None:
    if calendar.walk("VEVENT"):
        # Only the zone's rules around the forum, not its whole history since 1970.
        calendar.add_missing_timezones(
            first_date=dt.date(forum.starts_on.year - 1, 1, 1),
            last_date=dt.date(forum.ends_on.year + 2, 1, 1),
        )


def _ics_response(body: bytes, forum: Forum, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _site(request) -> str:
    """What an event's feed entry depends on besides its data and language: the site address
    its links begin with."""
    return request.build_absolute_uri("/")


def _calendar_entries(request, forum: Forum, *, preview: bool):
    """Make each event's VEVENT as text, with the time zones it names."""

    def make(events: list[Event]) -> dict:
        documents = _documents_by_event(forum, preview=preview, events=events)
        entries = {}
        for event in events:
            entry = _calendar_event(
                request, forum, event, event.day.date, documents.get(event.pk, [])
            )
            alone = Calendar()
            alone.add_component(entry)
            entries[event.pk] = (entry.to_ical(), alone.get_missing_tzids())
        return entries

    return make


@conditional_programme
@page_reads()
def programme_ics(request, year: int):
    """Every published event of the forum as one calendar, joined from each event's kept
    VEVENT (public.fragments): the same bytes as one calendar made whole."""
    forum = programme_forum(request, year)
    preview = reader_previews(request)
    language = translation.get_language()
    days = event_parts(
        forum=forum,
        preview=preview,
        kind="ics",
        make=_calendar_entries(request, forum, preview=preview),
        made_for=_site(request),
    )
    entries = [entry for _day, entries in days for entry in entries]
    calendar = _calendar(forum, language)
    end = calendar.to_ical()[-len(b"END:VCALENDAR\r\n") :]
    # The zones the entries name go first, as add_missing_timezones puts them.
    zones = [
        _zone_text(tzid, forum.starts_on.year, forum.ends_on.year)
        for tzid in set().union(*(tzids for _text, tzids in entries))
    ]
    head = calendar.to_ical()[: -len(end)] + b"".join(zones)
    body = head + b"".join(text for text, _tzids in entries) + end
    return _ics_response(body, forum, f"forum-{forum.year}-{language}.ics")


@lru_cache(maxsize=64)
def _zone_text(tzid: str, first_year: int, last_year: int) -> bytes:
    """A VTIMEZONE as text: only the zone's rules around the forum, not its whole history since
    1970. Made once a process (some 30 ms each); empty for a zone icalendar does not know, left
    out as add_missing_timezones leaves it."""
    try:
        zone = Timezone.from_tzid(
            tzid, first_date=dt.date(first_year - 1, 1, 1), last_date=dt.date(last_year + 2, 1, 1)
        )
    except ValueError:
        return b""
    return zone.to_ical()


@conditional_programme
@page_reads()
def event_ics(request, year: int, slug: str):
    """One event as a calendar (404 for an unknown or unpublished one)."""
    forum = programme_forum(request, year)
    preview = reader_previews(request)
    language = translation.get_language()
    event = event_for_page(forum=forum, slug=slug, preview=preview)
    documents = documents_for_page(forum=forum, preview=preview, event=event)
    calendar = _calendar(forum, language)
    calendar.add_component(_calendar_event(request, forum, event, event.day.date, documents))
    _add_zones(calendar, forum)
    filename = f"forum-{forum.year}-{event.slug}-{language}.ics"
    return _ics_response(calendar.to_ical(), forum, filename)


# --- c3voc schedule.json ----------------------------------------------------------------------


def conference_acronym(forum: Forum) -> str:
    # The schema's pattern allows no hyphen before the year ("forum-2020" is refused).
    return f"forum_{forum.year}"


def _duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_ROOM_TYPES = {VenueKind.HALL: "lecturehall", VenueKind.ONLINE_HUB: "online"}


def _room(event: Event) -> dict:
    """The schedule's room of an event: its venues together (a session run in Moscow and Minsk at
    once is one room "…, Moscow / …, Minsk"), or "Online" for an online event without a venue."""
    venues = list(event.venues.all())
    if venues:
        kinds = {venue.kind for venue in venues}
        key = "-".join(str(venue.pk) for venue in sorted(venues, key=lambda v: v.pk))
        return {
            "name": " / ".join(_venue_label(venue) for venue in venues),
            "guid": str(uuid.uuid5(GUID_NAMESPACE, f"room-{key}")),
            "type": _ROOM_TYPES.get(kinds.pop(), "other") if len(kinds) == 1 else "other",
        }
    if event.format == Format.ONLINE:
        name, key, kind = _("Online"), "online", "online"
    else:
        name, key, kind = _("Venue to be announced"), "unknown", "other"
    return {"name": name, "guid": str(uuid.uuid5(GUID_NAMESPACE, f"room-{key}")), "type": kind}


# The schedule's kinds of attachment (its "Reference" type).
_REFERENCE_TYPES = {DocumentKind.PRESENTATION: "slides", DocumentKind.PHOTO: "media"}


def _attachments(request, forum: Forum, documents: list[Document]) -> list[dict]:
    language = translation.get_language()
    return [
        {
            "type": _REFERENCE_TYPES.get(document.kind, "paper"),
            "url": _document_url(request, forum, _file_in(document, language)),
            "title": document.title,
        }
        for document in documents
    ]


def _schedule_event(
    request, forum: Forum, event: Event, room: dict, documents: list[Document]
) -> dict:
    starts = event.starts_at.astimezone(forum.zone)
    ends = event.ends_at.astimezone(forum.zone)
    slug = event.slug.lower().strip("-_")
    people = _people_once(event)
    return {
        "id": event.pk,
        "guid": event_guid(event),
        "date": starts.isoformat(),
        "start": starts.strftime("%H:%M"),
        "end": ends.isoformat(),
        "duration": _duration(ends - starts),
        "room": room["name"],
        "slug": f"{conference_acronym(forum)}-{event.pk}" + (f"-{slug}" if slug else ""),
        "url": _event_url(request, forum, event),
        "title": event.title,
        "subtitle": "",
        "track": capfirst(event.get_kind_display()),
        "type": event.kind,
        # The language spoken is not recorded: unknown stays empty.
        "language": None,
        "abstract": None,
        "description": event.description or None,
        "persons": [
            {
                "name": delegate.full_name,
                "guid": str(uuid.uuid5(GUID_NAMESPACE, f"delegate-{delegate.pk}")),
            }
            for delegate in people
        ],
        "links": [],
        "attachments": _attachments(request, forum, documents),
    }


def _people_once(event: Event) -> list:
    """The event's people in the programme's order (by role), each once."""
    people = {}
    for group in event.participant_groups:
        for person in group.people:
            people.setdefault(person.pk, person)
    return list(people.values())


def _schedule_entries(request, forum: Forum, *, preview: bool):
    """Make each event's part of the schedule: its room and entry, or why it is left out:
    cancelled (conference apps would list it as on), or with no time (the format has no slot
    without a time, and we never invent one)."""

    def make(events: list[Event]) -> dict:
        documents = _documents_by_event(forum, preview=preview, events=events)
        entries = {}
        for event in events:
            if event.is_cancelled:
                entries[event.pk] = ("cancelled_events_omitted", None, None)
            elif not (event.starts_at and event.ends_at):
                entries[event.pk] = ("untimed_events_omitted", None, None)
            else:
                room = _room(event)
                entry = _schedule_event(request, forum, event, room, documents.get(event.pk, []))
                entries[event.pk] = (None, room, entry)
        return entries

    return make


def _schedule_day(forum: Forum, index: int, day, entries: list, rooms: dict, omitted: dict) -> dict:
    """One day of the schedule, its rooms added to ``rooms``; counts in ``omitted`` the events
    left out."""
    by_room: dict[str, list] = {}
    for left_out, room, entry in entries:
        if left_out:
            omitted[left_out] += 1
            continue
        rooms.setdefault(room["name"], room)
        by_room.setdefault(room["name"], []).append(entry)
    day_start = dt.datetime.combine(day.date, dt.time(0, 0), tzinfo=forum.zone)
    return {
        "index": index,
        "date": day.date.isoformat(),
        "day_start": day_start.isoformat(),
        "day_end": (day_start + dt.timedelta(hours=23, minutes=59)).isoformat(),
        "rooms": by_room,
    }


def _conference(request, forum: Forum, days: list[tuple]) -> dict:
    rooms: dict[str, dict] = {}
    omitted = {"untimed_events_omitted": 0, "cancelled_events_omitted": 0}
    schedule_days = [
        _schedule_day(forum, index, day, entries, rooms, omitted)
        for index, (day, entries) in enumerate(days, start=1)
    ]
    dates = [day.date for day, _entries in days] + [forum.starts_on, forum.ends_on]
    conference = {
        "acronym": conference_acronym(forum),
        "title": forum.title,
        "start": min(dates).isoformat(),
        "end": max(dates).isoformat(),
        "daysCount": len(schedule_days),
        "timeslot_duration": "00:15",
        "time_zone_name": forum.time_zone,
        "url": request.build_absolute_uri(reverse("programme", kwargs={"year": forum.year})),
        "rooms": list(rooms.values()),
        "days": schedule_days,
        "meta": omitted,
    }
    if forum.theme:
        conference["description"] = forum.theme
    return conference


def schedule_document(request, forum: Forum, days: list[tuple]) -> dict:
    """The c3voc schedule of the forum from its days and their events' parts
    (``_schedule_entries``); the events left out (cancelled, or with no time announced) are
    counted in ``meta``; each event's public documents are its attachments."""
    return {
        "$schema": C3VOC_SCHEMA,
        "generator": {"name": "Forum of Regions"},
        "schedule": {
            "version": forum.programme_version,
            "base_url": request.build_absolute_uri("/"),
            "conference": _conference(request, forum, days),
        },
    }


@conditional_programme
@page_reads()
def schedule_json(request, year: int):
    """The forum's programme in the c3voc/frab schedule format that conference apps read."""
    forum = programme_forum(request, year)
    preview = reader_previews(request)
    days = event_parts(
        forum=forum,
        preview=preview,
        kind="schedule",
        make=_schedule_entries(request, forum, preview=preview),
        made_for=_site(request),
    )
    document = schedule_document(request, forum, days)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1 if settings.DEBUG else None),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'inline; filename="forum-{forum.year}-{translation.get_language()}-schedule.json"'
    )
    return response

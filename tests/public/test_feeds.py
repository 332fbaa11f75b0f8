import datetime as dt
import json
import uuid
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar
from jsonschema import Draft6Validator, FormatChecker

from events.models import Event
from forum.models import Format, Forum, VenueKind
from public.feeds import GUID_NAMESPACE
from tests.factories import (
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    DocumentFactory,
    DocumentFileFactory,
    EventFactory,
    ForumFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "c3voc" / "schedule.schema.json").read_text()
)
LANGUAGES = ("ru", "be", "en")


def schedule_errors(document) -> list[str]:
    validator = Draft6Validator(SCHEMA, format_checker=FormatChecker())
    return [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)
    ]


def url(name: str, forum: Forum, language: str = "ru", **kwargs) -> str:
    return f"/{language}" + reverse(name, kwargs={"year": forum.year, **kwargs})[3:]


def timed_event(day, hour: int, zone: str, **kwargs) -> Event:
    starts = dt.datetime.combine(day.date, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(zone))
    return EventFactory(day=day, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), **kwargs)


def programme(size: int, zone: str = "Europe/Minsk", documents: bool = False) -> Forum:
    """A forum of `size` timed events over two days, each with two venues and two speakers (and
    with ``documents``, a public document in Russian and English)."""
    forum = ForumFactory(time_zone=zone)
    days = [DayFactory(forum=forum), DayFactory(forum=forum, date=forum.ends_on)]
    moscow = VenueFactory(forum=forum, city="Москва", kind=VenueKind.STUDIO)
    minsk = VenueFactory(forum=forum, city="Минск", kind=VenueKind.STUDIO)
    for index in range(size):
        event = timed_event(days[index % 2], 10 + index % 8, zone)
        event.venues.set([moscow, minsk])
        AssignmentFactory.create_batch(2, event=event)
        if documents:
            document = DocumentFactory(event=event, title_ru=f"Доклад {index}", kind="presentation")
            DocumentFileFactory(document=document, language="ru")
            DocumentFileFactory(document=document, language="en")
    return forum


def calendar_of(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def unfolded(response) -> str:
    """The body with iCalendar's folded lines joined, so a search finds split words."""
    return response.content.decode().replace("\r\n ", "")


def entries(calendar: Calendar) -> dict[str, object]:
    return {str(entry["UID"]): entry for entry in calendar.walk("VEVENT")}


# --- programme.ics ------------------------------------------------------------------------------


def test_programme_calendar_has_one_entry_per_published_event(client):
    forum = programme(3)
    EventFactory(day=forum.days.first(), is_published=False, title="Черновик секции")

    response = client.get(url("programme-ics", forum))

    calendar = calendar_of(response)
    assert sorted(entries(calendar)) == sorted(
        f"event-{pk}@forum-of-regions"
        for pk in forum.events.published().values_list("pk", flat=True)
    )
    assert str(calendar["VERSION"]) == "2.0"
    assert "Forum of Regions" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == forum.title
    assert 'filename="' in response["Content-Disposition"]
    assert "Черновик" not in unfolded(response)


def test_calendar_uids_stay_the_same_across_fetches_and_after_an_edit(client):
    forum = programme(2)
    first = set(entries(calendar_of(client.get(url("programme-ics", forum)))))
    again = set(entries(calendar_of(client.get(url("programme-ics", forum)))))
    event = forum.events.first()
    event.title = "Новое название"
    event.save()

    edited = entries(calendar_of(client.get(url("programme-ics", forum))))

    assert first == again == set(edited)
    assert str(edited[f"event-{event.pk}@forum-of-regions"]["SUMMARY"]) == "Новое название"


@pytest.mark.parametrize("zone", ["Europe/Minsk", "Asia/Yekaterinburg"])
def test_calendar_times_are_in_the_forums_time_zone(client, zone):
    forum = ForumFactory(time_zone=zone)
    event = timed_event(DayFactory(forum=forum), 11, zone)

    calendar = calendar_of(client.get(url("programme-ics", forum)))

    entry = entries(calendar)[f"event-{event.pk}@forum-of-regions"]
    assert entry["DTSTART"].params["TZID"] == zone
    assert entry["DTEND"].params["TZID"] == zone
    assert entry.decoded("DTSTART") == event.starts_at
    assert entry.decoded("DTSTART").hour == 11
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [zone]
    assert b"DTSTART;TZID=" + zone.encode() + b":" in calendar.to_ical()


def test_calendar_zone_is_the_one_icalendar_adds_around_the_forum(client):
    forum = ForumFactory(time_zone="Europe/Minsk")
    timed_event(DayFactory(forum=forum), 11, "Europe/Minsk")
    response = client.get(url("programme-ics", forum))

    whole = Calendar()
    whole.add_component(entries(calendar_of(response)).popitem()[1])
    whole.add_missing_timezones(
        first_date=dt.date(forum.starts_on.year - 1, 1, 1),
        last_date=dt.date(forum.ends_on.year + 2, 1, 1),
    )
    (zone,) = whole.walk("VTIMEZONE")
    assert zone.to_ical() in response.content


def test_event_without_a_time_is_an_all_day_entry_on_its_day(client):
    forum = ForumFactory()
    day = DayFactory(forum=forum)
    event = EventFactory(day=day, starts_at=None, ends_at=None)

    entry = entries(calendar_of(client.get(url("programme-ics", forum))))[
        f"event-{event.pk}@forum-of-regions"
    ]

    assert b"DTSTART;VALUE=DATE:" + day.date.strftime("%Y%m%d").encode() in entry.to_ical()
    assert entry.decoded("DTSTART") == day.date
    assert entry.decoded("DTEND") == day.date + dt.timedelta(days=1)


def test_calendar_entry_says_what_where_and_who_in_the_readers_language(client):
    forum = ForumFactory()
    moscow = VenueFactory(
        forum=forum, name="Студия", name_en="Studio", city="Москва", city_en="Moscow"
    )
    event = EventFactory(
        day=DayFactory(forum=forum),
        title="Пленарное заседание",
        title_en="Plenary session",
        description_en="The closing session.",
        kind="plenary",
    )
    event.venues.set([moscow])
    AssignmentFactory(
        event=event, delegate=DelegateFactory(last_name_en="Smith", first_name_en="Anna")
    )

    entry = entries(calendar_of(client.get(url("programme-ics", forum, "en"))))[
        f"event-{event.pk}@forum-of-regions"
    ]

    assert str(entry["SUMMARY"]) == "Plenary session"
    assert str(entry["LOCATION"]) == "Studio, Moscow"
    assert "The closing session." in str(entry["DESCRIPTION"])
    assert "Smith Anna" in str(entry["DESCRIPTION"])
    assert entry["CATEGORIES"].cats == ["Plenary session"]
    assert str(entry["URL"]) == f"http://testserver/en/{forum.year}/events/{event.slug}/"
    assert "DTSTAMP" in entry


def test_event_calendar_holds_that_event_only(client):
    forum = programme(2)
    event = forum.events.first()

    calendar = calendar_of(client.get(url("event-ics", forum, slug=event.slug)))

    assert list(entries(calendar)) == [f"event-{event.pk}@forum-of-regions"]


def test_unpublished_or_unknown_event_calendar_is_not_found(client):
    forum = ForumFactory()
    hidden = EventFactory(day=DayFactory(forum=forum), is_published=False)

    assert client.get(url("event-ics", forum, slug=hidden.slug)).status_code == 404
    assert client.get(url("event-ics", forum, slug="no-such-event")).status_code == 404


@pytest.mark.parametrize("name", ["programme-ics", "schedule-json"])
def test_draft_forums_feeds_are_not_found(client, name):
    forum = programme(1)
    forum.is_published = False
    forum.save()

    assert client.get(url(name, forum)).status_code == 404


def test_draft_forums_event_calendar_is_not_found(client):
    forum = programme(1)
    Forum.objects.filter(pk=forum.pk).update(is_published=False)

    response = client.get(url("event-ics", forum, slug=forum.events.first().slug))

    assert response.status_code == 404


def test_staff_preview_a_draft_forums_calendar_privately(editor_client):
    forum = programme(1)
    draft = EventFactory(day=forum.days.first(), is_published=False)
    Forum.objects.filter(pk=forum.pk).update(is_published=False)

    response = editor_client.get(url("programme-ics", forum))

    assert f"event-{draft.pk}@forum-of-regions" in entries(calendar_of(response))
    assert response["Cache-Control"] == "private, no-store"


def test_no_feed_shows_contacts_or_video_links(client):
    forum = programme(2)
    event = forum.events.first()
    event.video_conference_url = "https://vc.example.org/secret-room-4711"
    event.save()
    AssignmentFactory(
        event=event,
        delegate=DelegateFactory(email="planted.secret@example.org", phone="+375 29 555-47-11"),
    )
    untimed = EventFactory(
        day=forum.days.first(),
        starts_at=None,
        ends_at=None,
        video_conference_url="https://vc.example.org/secret-room-4711",
    )

    bodies = []
    for language in LANGUAGES:
        for name, extra in [
            ("programme-ics", {}),
            ("schedule-json", {}),
            ("event-ics", {"slug": event.slug}),
            ("event-ics", {"slug": untimed.slug}),
        ]:
            response = client.get(url(name, forum, language, **extra))
            assert response.status_code == 200
            bodies.append(unfolded(response))

    for text in bodies:
        assert "planted.secret" not in text
        assert "555-47-11" not in text
        assert "secret-room-4711" not in text
        assert "vc.example.org" not in text


# --- schedule.json ------------------------------------------------------------------------------


def schedule_of(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def test_the_schema_check_catches_a_broken_schedule(client):
    # The validator really checks formats and patterns, so a passing schedule means something.
    document = schedule_of(client.get(url("schedule-json", programme(1))))
    assert schedule_errors(document) == []
    [event] = next(iter(document["schedule"]["conference"]["days"][0]["rooms"].values()))
    event["guid"] = "event-1"
    document["schedule"]["conference"]["acronym"] = "forum-2020"

    assert len(schedule_errors(document)) == 2


@pytest.mark.parametrize("size", [1, 6])
def test_schedule_is_valid_c3voc_at_any_size(client, size):
    forum = programme(size)

    document = schedule_of(client.get(url("schedule-json", forum, "en")))

    assert schedule_errors(document) == []
    conference = document["schedule"]["conference"]
    assert conference["acronym"] == f"forum_{forum.year}"
    assert conference["time_zone_name"] == "Europe/Minsk"
    assert conference["daysCount"] == 2
    events = [
        event for day in conference["days"] for room in day["rooms"].values() for event in room
    ]
    assert len(events) == size


def test_demo_schedule_is_valid_c3voc(client):
    call_command("load_demo", verbosity=0)
    forum = Forum.objects.get(year=2020)

    for language in LANGUAGES:
        assert schedule_errors(schedule_of(client.get(url("schedule-json", forum, language)))) == []


def test_schedule_leaves_out_events_without_a_time(client):
    forum = programme(1)
    untimed = EventFactory(day=forum.days.first(), starts_at=None, ends_at=None)

    document = schedule_of(client.get(url("schedule-json", forum)))

    conference = document["schedule"]["conference"]
    ids = [
        event["id"]
        for day in conference["days"]
        for room in day["rooms"].values()
        for event in room
    ]
    assert untimed.pk not in ids
    assert ids == [forum.events.exclude(pk=untimed.pk).get().pk]
    assert conference["meta"]["untimed_events_omitted"] == 1
    assert schedule_errors(document) == []


def test_schedule_event_is_one_room_for_its_venues_with_stable_guid_and_people(client):
    forum = ForumFactory(time_zone="Europe/Moscow")
    day = DayFactory(forum=forum)
    moscow = VenueFactory(
        forum=forum, name="Студия", name_en="Studio", city="Москва", city_en="Moscow"
    )
    minsk = VenueFactory(forum=forum, name="Зал", name_en="Hall", city="Минск", city_en="Minsk")
    event = timed_event(day, 10, "Europe/Moscow", title_en="Section one")
    event.venues.set([moscow, minsk])
    speaker = DelegateFactory(last_name_en="Petrov", first_name_en="Ivan", email="ivan@example.org")
    AssignmentFactory(event=event, delegate=speaker)

    conference = schedule_of(client.get(url("schedule-json", forum, "en")))["schedule"][
        "conference"
    ]

    [room_name] = conference["days"][0]["rooms"]
    assert "Studio, Moscow" in room_name and "Hall, Minsk" in room_name
    assert [room["name"] for room in conference["rooms"]] == [room_name]
    [item] = conference["days"][0]["rooms"][room_name]
    assert item["guid"] == str(uuid.uuid5(GUID_NAMESPACE, f"event-{event.pk}"))
    assert item["title"] == "Section one"
    assert item["date"] == f"{day.date.isoformat()}T10:00:00+03:00"
    assert item["start"] == "10:00"
    assert item["duration"] == "02:00"
    assert item["url"] == f"http://testserver/en/{forum.year}/events/{event.slug}/"
    assert item["persons"] == [
        {"name": "Petrov Ivan", "guid": str(uuid.uuid5(GUID_NAMESPACE, f"delegate-{speaker.pk}"))}
    ]


def test_online_event_without_venue_is_in_the_online_room(client):
    forum = ForumFactory()
    timed_event(DayFactory(forum=forum), 10, "Europe/Moscow", format=Format.ONLINE)

    document = schedule_of(client.get(url("schedule-json", forum, "en")))

    conference = document["schedule"]["conference"]
    assert list(conference["days"][0]["rooms"]) == ["Online"]
    assert conference["rooms"][0]["type"] == "online"
    assert schedule_errors(document) == []


# --- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 8])
def test_programme_calendar_query_count_does_not_grow(client, django_assert_num_queries, size):
    forum = programme(size, documents=True)

    # forum, its version and its events', days, the published events (public.fragments), events,
    # venues, assignments with delegates, documents, files
    with django_assert_num_queries(9):
        assert client.get(url("programme-ics", forum)).status_code == 200


@pytest.mark.parametrize("size", [1, 8])
def test_schedule_query_count_does_not_grow(client, django_assert_num_queries, size):
    forum = programme(size, documents=True)

    with django_assert_num_queries(9):
        assert client.get(url("schedule-json", forum)).status_code == 200


# --- documents ----------------------------------------------------------------------------------


def test_calendar_entries_attach_the_events_public_documents_in_the_feeds_language(client):
    forum = programme(1, documents=True)
    event = forum.events.get()
    document = event.documents.get()
    DocumentFileFactory(document=DocumentFactory(event=event, access="participants"))

    for language, expected in (("en", "en"), ("be", "ru")):
        calendar = calendar_of(client.get(url("programme-ics", forum, language)))
        [entry] = calendar.walk("VEVENT")
        attach = entry["ATTACH"]
        assert str(attach) == (
            f"http://testserver/documents/{forum.year}/{document.pk}-{expected}.pdf"
        ), language
        assert attach.params["FMTTYPE"] == "application/pdf"
        assert attach.params["FILENAME"].endswith(".pdf")
        assert int(attach.params["SIZE"]) > 0
    event_calendar = calendar_of(client.get(url("event-ics", forum, "ru", slug=event.slug)))
    assert str(event_calendar.walk("VEVENT")[0]["ATTACH"]).endswith(f"/{document.pk}-ru.pdf")


def test_schedule_events_list_their_public_documents_as_attachments(client):
    forum = programme(2, documents=True)

    document = schedule_of(client.get(url("schedule-json", forum, "en")))

    assert schedule_errors(document) == []
    events = [
        event
        for day in document["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for event in room
    ]
    assert all(len(event["attachments"]) == 1 for event in events)
    attachment = events[0]["attachments"][0]
    document = Event.objects.get(pk=events[0]["id"]).documents.get()
    assert attachment == {
        "type": "slides",
        "url": f"http://testserver/documents/{forum.year}/{document.pk}-en.pdf",
        "title": document.title_en,
    }

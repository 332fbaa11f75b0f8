"""A cancelled event stays on the public programme, struck through with its note; the calendars
say CANCELLED and the conference schedule leaves it out."""

import pytest
from icalendar import Calendar

from tests.factories import DayFactory, EventFactory, ForumFactory
from tests.public.test_feeds import schedule_errors, schedule_of, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def cancelled():
    forum = ForumFactory()
    day = DayFactory(forum=forum)
    EventFactory(day=day, title="Идущая секция", title_en="Running section")
    return EventFactory(
        day=day,
        title="Отменённая секция",
        title_en="Cancelled section",
        starts_at=None,
        ends_at=None,
        is_cancelled=True,
        cancellation_note="Перенесена на пленарное заседание",
        cancellation_note_en="Moved into the plenary session",
    )


def test_the_programme_strikes_a_cancelled_event_through_and_gives_its_note(client, cancelled):
    body = client.get(url("programme", cancelled.forum, "en")).content.decode()

    assert '<article class="event event-cancelled">' in body
    assert f'<h3 class="struck"><a href="/en/{cancelled.forum.year}/events/{cancelled.slug}/">' in (
        body
    )
    assert "Cancelled section" in body
    assert "Moved into the plenary session" in body
    # The running one is neither struck nor marked.
    assert body.count('class="struck"') == 1
    assert body.count("badge-cancelled") == 1


def test_the_event_page_strikes_the_title_and_gives_the_note_in_the_readers_language(
    client, cancelled
):
    body = client.get(url("event", cancelled.forum, "ru", slug=cancelled.slug)).content.decode()

    assert '<h1 class="struck">Отменённая секция' in body
    assert "Отменено" in body
    assert "Перенесена на пленарное заседание" in body


def entries_of(response) -> dict:
    return {
        str(entry["summary"]): entry
        for entry in Calendar.from_ical(response.content).walk("VEVENT")
    }


def test_the_calendars_mark_a_cancelled_event_cancelled_with_its_note(client, cancelled):
    programme = entries_of(client.get(url("programme-ics", cancelled.forum, "en")))
    event = entries_of(client.get(url("event-ics", cancelled.forum, "en", slug=cancelled.slug)))

    for entry in (programme["Cancelled section"], event["Cancelled section"]):
        assert str(entry["status"]) == "CANCELLED"
        assert str(entry["description"]).startswith("Cancelled: Moved into the plenary session")
    assert str(programme["Running section"]["status"]) == "CONFIRMED"


def test_the_schedule_leaves_a_cancelled_event_out_and_counts_it(client, cancelled):
    cancelled.starts_at = cancelled.forum.events.exclude(pk=cancelled.pk).get().starts_at
    cancelled.ends_at = cancelled.forum.events.exclude(pk=cancelled.pk).get().ends_at
    cancelled.save()

    document = schedule_of(client.get(url("schedule-json", cancelled.forum, "en")))

    conference = document["schedule"]["conference"]
    titles = [
        item["title"]
        for day in conference["days"]
        for room in day["rooms"].values()
        for item in room
    ]
    assert titles == ["Running section"]
    assert conference["meta"] == {"untimed_events_omitted": 0, "cancelled_events_omitted": 1}
    assert schedule_errors(document) == []

import datetime as dt

import icalendar
import pytest

from delegates.models import Participation
from delegates.services import delegate_calendar_secret_ensure, delegate_user_ensure
from tests.factories import AssignmentFactory, DelegateFactory, EventFactory

pytestmark = pytest.mark.django_db


def feed_path(delegate, language="ru") -> str:
    return f"/{language}/me/calendar/{delegate_calendar_secret_ensure(delegate=delegate)}.ics"


def test_the_feed_is_a_private_calendar_of_the_delegates_events(client):
    timed = EventFactory(title="Секция", video_conference_url="https://video.example.org/r1")
    untimed = EventFactory(starts_at=None, ends_at=None, title="Молодёжный форум")
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=timed)
    AssignmentFactory(delegate=delegate, event=untimed, participation=Participation.REMOTE)

    response = client.get(feed_path(delegate))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Секция (докладчик)", "Молодёжный форум (докладчик)"}
    assert events["Секция (докладчик)"].decoded("dtstart") == timed.starts_at
    assert str(events["Секция (докладчик)"]["url"]) == "https://video.example.org/r1"
    # No hour is made up for an event whose times are not announced.
    assert events["Молодёжный форум (докладчик)"].decoded("dtstart") == untimed.day.date
    assert (
        str(events["Молодёжный форум (докладчик)"]["uid"]) == f"event-{untimed.pk}@forum-of-regions"
    )


def test_a_new_calendar_address_kills_the_old_one(client):
    delegate = DelegateFactory()
    old = feed_path(delegate)
    client.force_login(delegate_user_ensure(delegate=delegate))

    response = client.post("/ru/me/calendar/reset/")

    assert response.status_code == 302
    delegate.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed_path(delegate)).status_code == 200


def test_resetting_the_calendar_needs_a_post_and_a_login(client):
    delegate = DelegateFactory()
    secret = delegate_calendar_secret_ensure(delegate=delegate)

    assert client.post("/ru/me/calendar/reset/").status_code == 302  # to the login page
    client.force_login(delegate_user_ensure(delegate=delegate))
    assert client.get("/ru/me/calendar/reset/").status_code == 405
    delegate.refresh_from_db()
    assert delegate.calendar_secret == secret


@pytest.mark.parametrize("secret", ["nothing", "a" * 32, "..%2f..", "%00"])
def test_an_unknown_calendar_address_is_not_found(client, secret):
    DelegateFactory(calendar_secret="known-secret-value")

    assert client.get(f"/ru/me/calendar/{secret}.ics").status_code == 404


def test_the_feed_is_in_the_language_of_its_address(client):
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=EventFactory(title_en="Section on youth"))

    body = client.get(feed_path(delegate, "en")).content.decode()

    assert "Section on youth (speaker)" in body


@pytest.mark.parametrize("count", [1, 5])
def test_the_feed_costs_the_same_queries_whatever_the_assignments(
    client, django_assert_num_queries, count
):
    delegate = DelegateFactory()
    path = feed_path(delegate)
    for index in range(count):
        event = EventFactory()
        event.starts_at += dt.timedelta(hours=3 * index)
        event.ends_at += dt.timedelta(hours=3 * index)
        event.save()
        AssignmentFactory(delegate=delegate, event=event)

    # the delegate by secret, assignments, the events' venues (the feed names no one else)
    with django_assert_num_queries(3):
        response = client.get(path)

    assert response.content.decode().count("BEGIN:VEVENT") == count

"""A cancelled event stays on its delegates' pages and calendars, marked, and keeps nobody busy."""

import datetime as dt

import icalendar
import pytest
from django.core.exceptions import ValidationError

from delegates.services import delegate_calendar_secret_ensure, delegate_user_ensure
from tests.factories import AssignmentFactory, DelegateFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegate_in_a_cancelled_event():
    delegate = DelegateFactory()
    event = EventFactory(
        title="Отменённая секция",
        is_cancelled=True,
        cancellation_note="Перенесена на завтра",
        cancellation_note_be="Перанесена на заўтра",
    )
    AssignmentFactory(delegate=delegate, event=event)
    return delegate, event


def test_the_delegates_page_strikes_a_cancelled_event_through_with_its_note(
    client, delegate_in_a_cancelled_event
):
    delegate, _event = delegate_in_a_cancelled_event
    client.force_login(delegate_user_ensure(delegate=delegate))

    body = client.get("/be/me/").content.decode()

    assert '<li class="me-event me-cancelled">' in body
    assert "<strong>Адменена</strong> Перанесена на заўтра" in body


def test_the_delegates_calendar_marks_it_cancelled(client, delegate_in_a_cancelled_event):
    delegate, _event = delegate_in_a_cancelled_event
    secret = delegate_calendar_secret_ensure(delegate=delegate)

    response = client.get(f"/ru/me/calendar/{secret}.ics")

    [entry] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(entry["status"]) == "CANCELLED"
    assert str(entry["description"]).startswith("Отменено: Перенесена на завтра")


def test_a_cancelled_event_keeps_nobody_busy(delegate_in_a_cancelled_event):
    delegate, cancelled = delegate_in_a_cancelled_event
    replacement = EventFactory(
        day=cancelled.day, starts_at=cancelled.starts_at, ends_at=cancelled.ends_at
    )

    AssignmentFactory.build(delegate=delegate, event=replacement).full_clean()


def test_calling_a_cancelled_event_off_again_checks_its_people_are_free(
    delegate_in_a_cancelled_event,
):
    delegate, cancelled = delegate_in_a_cancelled_event
    other = EventFactory(
        day=cancelled.day, starts_at=cancelled.starts_at, ends_at=cancelled.ends_at
    )
    AssignmentFactory(delegate=delegate, event=other)
    cancelled.is_cancelled = False

    with pytest.raises(ValidationError) as error:
        cancelled.full_clean()

    assert "starts_at" in error.value.message_dict


def test_moving_a_cancelled_event_is_not_refused_for_its_peoples_other_events(
    delegate_in_a_cancelled_event,
):
    delegate, cancelled = delegate_in_a_cancelled_event
    later = cancelled.starts_at + dt.timedelta(hours=4)
    other = EventFactory(day=cancelled.day, starts_at=later, ends_at=later + dt.timedelta(hours=2))
    AssignmentFactory(delegate=delegate, event=other)
    cancelled.starts_at, cancelled.ends_at = other.starts_at, other.ends_at

    cancelled.full_clean()

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event, EventKind
from tests.factories import (
    MOSCOW,
    CommissionFactory,
    DayFactory,
    EventFactory,
    ForumFactory,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def at(day, hour, minute=0, tz=MOSCOW):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


# Times


def test_event_ending_after_it_starts_is_valid():
    event = EventFactory.build(day=DayFactory())

    event.full_clean()


def test_event_without_times_is_valid():
    event = EventFactory.build(day=DayFactory(), starts_at=None, ends_at=None)

    event.full_clean()


def test_database_keeps_event_without_times():
    event = EventFactory(starts_at=None, ends_at=None)

    assert Event.objects.get(pk=event.pk).starts_at is None


def test_event_ending_when_it_starts_is_invalid():
    day = DayFactory()
    event = EventFactory.build(day=day, starts_at=at(day.date, 10), ends_at=at(day.date, 10))

    errors = errors_of(event)

    assert "ends_at" in errors


def test_database_refuses_event_ending_before_it_starts():
    day = DayFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(day=day, starts_at=at(day.date, 10), ends_at=at(day.date, 9))


def test_event_with_a_start_but_no_end_is_invalid():
    event = EventFactory.build(day=DayFactory(), ends_at=None)

    errors = errors_of(event)

    assert "ends_at" in errors


def test_database_refuses_event_with_a_start_but_no_end():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(ends_at=None)


def test_event_with_an_end_but_no_start_is_invalid():
    day = DayFactory()
    event = EventFactory.build(day=day, starts_at=None, ends_at=at(day.date, 12))

    errors = errors_of(event)

    assert "starts_at" in errors


def test_event_starting_after_midnight_utc_but_on_its_day_in_the_forum_zone_is_valid():
    day = DayFactory()
    # 22:30 UTC on the eve is 01:30 in Moscow on the day itself.
    starts_at = at(day.date - dt.timedelta(days=1), 22, 30, tz=UTC)
    event = EventFactory.build(day=day, starts_at=starts_at)

    event.full_clean()


def test_event_starting_on_another_date_in_the_forum_zone_is_invalid():
    day = DayFactory()
    # 21:30 UTC on the day is already 00:30 of the next day in Moscow.
    starts_at = at(day.date, 21, 30, tz=UTC)
    event = EventFactory.build(day=day, starts_at=starts_at)

    errors = errors_of(event)

    assert "starts_at" in errors


# Slugs and running numbers


def test_event_slug_taken_in_another_forum_is_valid():
    first = EventFactory(slug="plenary")
    event = EventFactory.build(day=DayFactory(), slug=first.slug)

    event.full_clean()


def test_event_slug_taken_in_its_forum_is_invalid():
    first = EventFactory(slug="plenary")
    event = EventFactory.build(day=first.day, slug="plenary", starts_at=None, ends_at=None)

    errors = errors_of(event)

    assert "__all__" in errors


def test_database_refuses_event_slug_taken_in_its_forum():
    first = EventFactory(slug="plenary")

    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(day=first.day, slug="plenary")


def test_event_without_slug_gets_one_from_its_english_title():
    event = EventFactory(slug="", title_en="Plenary Session")

    assert event.slug == "plenary-session"


def test_event_number_taken_by_another_kind_is_valid():
    first = EventFactory(kind=EventKind.SECTION, number=3)
    event = EventFactory.build(day=first.day, kind=EventKind.EXPERT_SESSION, number=3)

    event.full_clean()


def test_event_number_taken_in_another_forum_is_valid():
    EventFactory(kind=EventKind.SECTION, number=3)
    event = EventFactory.build(day=DayFactory(), kind=EventKind.SECTION, number=3)

    event.full_clean()


def test_event_number_taken_by_its_kind_in_its_forum_is_invalid():
    first = EventFactory(kind=EventKind.SECTION, number=3)
    event = EventFactory.build(day=first.day, kind=EventKind.SECTION, number=3)

    errors = errors_of(event)

    assert "__all__" in errors


def test_database_refuses_event_number_taken_by_its_kind_in_its_forum():
    first = EventFactory(kind=EventKind.SECTION, number=3)

    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(day=first.day, kind=EventKind.SECTION, number=3)


def test_events_without_number_of_one_kind_are_valid():
    first = EventFactory(kind=EventKind.PLENARY, number=None)
    event = EventFactory.build(day=first.day, kind=EventKind.PLENARY, number=None)

    event.full_clean()


# Commission meetings


def test_seventh_meeting_of_a_commission_is_valid():
    commission = CommissionFactory()
    EventFactory(kind=EventKind.COMMISSION_MEETING, commission=commission, number=6)
    event = EventFactory.build(
        day=DayFactory(), kind=EventKind.COMMISSION_MEETING, commission=commission, number=7
    )

    event.full_clean()


def test_commission_meeting_number_taken_by_its_commission_is_invalid():
    commission = CommissionFactory()
    EventFactory(kind=EventKind.COMMISSION_MEETING, commission=commission, number=7)
    event = EventFactory.build(
        day=DayFactory(), kind=EventKind.COMMISSION_MEETING, commission=commission, number=7
    )

    errors = errors_of(event)

    assert "__all__" in errors


def test_database_refuses_commission_meeting_number_taken_by_its_commission():
    commission = CommissionFactory()
    EventFactory(kind=EventKind.COMMISSION_MEETING, commission=commission, number=7)

    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(kind=EventKind.COMMISSION_MEETING, commission=commission, number=7)


def test_meetings_of_two_commissions_in_one_forum_may_share_a_number():
    first = EventFactory(
        kind=EventKind.COMMISSION_MEETING, commission=CommissionFactory(), number=7
    )
    event = EventFactory.build(
        day=first.day, kind=EventKind.COMMISSION_MEETING, commission=CommissionFactory(), number=7
    )

    event.full_clean()


def test_commission_meeting_without_commission_is_invalid():
    event = EventFactory.build(day=DayFactory(), kind=EventKind.COMMISSION_MEETING, number=7)

    errors = errors_of(event)

    assert "commission" in errors


def test_database_refuses_commission_meeting_without_commission():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(kind=EventKind.COMMISSION_MEETING, commission=None, number=7)


def test_commission_meeting_without_number_is_invalid():
    event = EventFactory.build(
        day=DayFactory(),
        kind=EventKind.COMMISSION_MEETING,
        commission=CommissionFactory(),
        number=None,
    )

    errors = errors_of(event)

    assert "number" in errors


def test_section_naming_a_commission_is_invalid():
    event = EventFactory.build(
        day=DayFactory(), kind=EventKind.SECTION, commission=CommissionFactory()
    )

    errors = errors_of(event)

    assert "commission" in errors


def test_database_refuses_section_naming_a_commission():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(kind=EventKind.SECTION, commission=CommissionFactory())


def test_event_takes_the_forum_of_its_day():
    forum = ForumFactory()

    event = EventFactory(day=DayFactory(forum=forum))

    assert event.forum == forum

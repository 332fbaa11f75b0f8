import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from delegates.models import Assignment, Participation, Role
from forum.models import Country
from tests.factories import (
    MOSCOW,
    AssignmentFactory,
    DelegateFactory,
    EventFactory,
    RegionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def event_between(day, start_hour, end_hour, **kwargs):
    starts_at = dt.datetime.combine(day.date, dt.time(start_hour), tzinfo=MOSCOW)
    ends_at = dt.datetime.combine(day.date, dt.time(end_hour), tzinfo=MOSCOW)
    return EventFactory(day=day, starts_at=starts_at, ends_at=ends_at, **kwargs)


# Delegate


def test_delegate_in_a_region_of_their_country_is_valid():
    delegate = DelegateFactory.build(country=Country.RUSSIA, region=RegionFactory(code="RU-MOW"))

    delegate.full_clean()


def test_delegate_in_a_region_of_another_country_is_invalid():
    delegate = DelegateFactory.build(country=Country.RUSSIA, region=RegionFactory(code="BY-MI"))

    errors = errors_of(delegate)

    assert "region" in errors


def test_delegate_with_a_new_external_id_is_valid():
    DelegateFactory(external_id="S-1")
    delegate = DelegateFactory.build(external_id="S-2")

    delegate.full_clean()


def test_delegates_without_external_id_are_valid():
    DelegateFactory(external_id="")
    delegate = DelegateFactory.build(external_id="")

    delegate.full_clean()


def test_delegate_external_id_taken_is_invalid():
    DelegateFactory(external_id="S-1")
    delegate = DelegateFactory.build(external_id="S-1")

    errors = errors_of(delegate)

    assert "__all__" in errors


def test_database_refuses_delegate_external_id_taken():
    DelegateFactory(external_id="S-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        DelegateFactory(external_id="S-1")


def test_delegates_without_email_are_valid():
    DelegateFactory(email="")
    delegate = DelegateFactory.build(email="")

    delegate.full_clean()


def test_delegate_email_taken_in_other_letter_case_is_invalid():
    DelegateFactory(email="ivanov@example.org")
    delegate = DelegateFactory.build(email="Ivanov@Example.org")

    errors = errors_of(delegate)

    assert "__all__" in errors


def test_database_refuses_delegate_email_taken_in_other_letter_case():
    DelegateFactory(email="ivanov@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        DelegateFactory(email="IVANOV@example.org")


# Assignment


def test_delegate_assigned_to_two_events_at_different_times_is_valid():
    first = AssignmentFactory()
    afternoon = event_between(first.event.day, 15, 17)
    assignment = Assignment(delegate=first.delegate, event=afternoon, role=Role.SPEAKER)

    assignment.full_clean()


def test_delegate_assigned_to_one_event_twice_is_invalid():
    first = AssignmentFactory()
    assignment = Assignment(delegate=first.delegate, event=first.event, role=Role.MODERATOR)

    errors = errors_of(assignment)

    assert "__all__" in errors


def test_database_refuses_delegate_assigned_to_one_event_twice():
    first = AssignmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(delegate=first.delegate, event=first.event, role=Role.MODERATOR)


def test_delegate_assigned_to_back_to_back_events_is_valid():
    first = AssignmentFactory()
    later = event_between(first.event.day, 12, 14)
    assignment = Assignment(delegate=first.delegate, event=later, role=Role.SPEAKER)

    assignment.full_clean()


def test_delegate_assigned_to_overlapping_events_is_invalid():
    first = AssignmentFactory(
        event__title_ru="Пленарное заседание", event__title_en="Plenary session"
    )
    overlapping = event_between(first.event.day, 11, 13)
    assignment = Assignment(delegate=first.delegate, event=overlapping, role=Role.SPEAKER)

    # The message names the other event in the active language.
    with translation.override("ru"):
        errors = errors_of(assignment)

    assert "event" in errors
    assert "Пленарное заседание" in errors["event"][0]


def test_delegate_assigned_to_an_event_without_times_and_a_timed_one_is_valid():
    first = AssignmentFactory()
    untimed = EventFactory(day=first.event.day, starts_at=None, ends_at=None)
    assignment = Assignment(delegate=first.delegate, event=untimed, role=Role.SPEAKER)

    assignment.full_clean()


def test_in_person_assignment_in_a_venue_of_the_event_is_valid():
    event = EventFactory()
    venue = VenueFactory(forum=event.forum)
    event.venues.add(venue)
    assignment = Assignment(delegate=DelegateFactory(), event=event, role=Role.SPEAKER, venue=venue)

    assignment.full_clean()


def test_in_person_assignment_in_a_venue_the_event_does_not_use_is_invalid():
    event = EventFactory()
    event.venues.add(VenueFactory(forum=event.forum))
    assignment = Assignment(
        delegate=DelegateFactory(),
        event=event,
        role=Role.SPEAKER,
        venue=VenueFactory(forum=event.forum),
    )

    errors = errors_of(assignment)

    assert "venue" in errors


def test_remote_assignment_without_venue_is_valid():
    assignment = Assignment(
        delegate=DelegateFactory(),
        event=EventFactory(),
        role=Role.SPEAKER,
        participation=Participation.REMOTE,
    )

    assignment.full_clean()


def test_remote_assignment_with_a_venue_is_invalid():
    event = EventFactory()
    venue = VenueFactory(forum=event.forum)
    event.venues.add(venue)
    assignment = Assignment(
        delegate=DelegateFactory(),
        event=event,
        role=Role.SPEAKER,
        participation=Participation.REMOTE,
        venue=venue,
    )

    errors = errors_of(assignment)

    assert "venue" in errors


def test_database_refuses_remote_assignment_with_a_venue():
    event = EventFactory()
    venue = VenueFactory(forum=event.forum)

    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(event=event, participation=Participation.REMOTE, venue=venue)

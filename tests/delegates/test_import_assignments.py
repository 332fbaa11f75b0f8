"""Assignments from a sheet: delegates and events by their keys, roles by any language's label."""

import datetime as dt

import pytest

from delegates.models import Assignment
from tests.factories import DelegateFactory, EventFactory, VenueFactory
from tests.support.sheets import import_sheet, preview, problems, xlsx

pytestmark = pytest.mark.django_db

URL = "/admin/delegates/assignment/import/"
HEAD = ["forum_year", "event_slug", "delegate_external_id", "delegate_email", "role", "venue"]


@pytest.fixture
def event():
    event = EventFactory(slug="plenary")
    event.venues.add(VenueFactory(forum=event.forum, name="Зал пленарных заседаний"))
    return event


def test_role_by_label_in_any_language_and_venue_by_name(editor_client, event):
    DelegateFactory(external_id="S-1")
    DelegateFactory(external_id="", email="two@example.org")
    year = event.forum.year

    import_sheet(
        editor_client,
        URL,
        xlsx(
            [
                HEAD,
                [year, "plenary", "S-1", "", "старшыня", "зал пленарных заседаний"],
                [year, "plenary", "", "TWO@example.org", "Moderator", ""],
            ]
        ),
    )

    assert sorted(Assignment.objects.values_list("role", "venue__name")) == [
        ("chair", "Зал пленарных заседаний"),
        ("moderator", None),
    ]


def test_unknown_event_and_delegate_are_named(editor_client, event):
    DelegateFactory(external_id="S-1")

    response = preview(
        editor_client,
        URL,
        xlsx(
            [
                HEAD,
                [event.forum.year, "no-such-event", "S-1", "", "speaker", ""],
                [event.forum.year, "plenary", "S-404", "", "speaker", ""],
            ]
        ),
    )

    assert [p[:2] for p in problems(response)] == [
        (2, "event_slug"),
        (3, "delegate_external_id"),
    ]
    assert not Assignment.objects.exists()


def test_overlapping_assignment_in_the_same_file_writes_nothing(editor_client, event):
    DelegateFactory(external_id="S-1")
    parallel = EventFactory(
        day=event.day,
        slug="parallel",
        starts_at=event.starts_at + dt.timedelta(minutes=30),
        ends_at=event.ends_at + dt.timedelta(hours=1),
    )
    year = event.forum.year

    response = preview(
        editor_client,
        URL,
        xlsx(
            [
                HEAD,
                [year, "plenary", "S-1", "", "speaker", ""],
                [year, parallel.slug, "S-1", "", "speaker", ""],
            ]
        ),
    )

    [(row, column, message)] = problems(response)
    assert (row, column) == (3, "event_slug")
    assert event.title in message
    assert not Assignment.objects.exists()

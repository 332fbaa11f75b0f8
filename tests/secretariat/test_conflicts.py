"""Conflicts of a forum: each kind found (and its look-alikes not), named from both sides, linked
to where it is fixed; the page, its filter and who may read it; its queries at two sizes."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import translation

from delegates.models import Participation, Role
from forum.permissions import REGISTRARS, VIEWERS
from secretariat.conflicts import Kind, forum_conflicts
from secretariat.programme import Programme
from tests.factories import (
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    EventFactory,
    ForumFactory,
    VenueFactory,
    moscow_at,
)

pytestmark = pytest.mark.django_db


def timed(day, hour, length=2, **kwargs):
    return EventFactory(
        day=day, starts_at=moscow_at(day, hour), ends_at=moscow_at(day, hour + length), **kwargs
    )


def conflicts_of(forum, kind=None):
    with translation.override("en"):
        found = forum_conflicts(programme=Programme(forum))
    return [conflict for conflict in found if kind is None or conflict.kind == kind]


def led(event):
    """An event with a chair, so it raises no warning of its own."""
    AssignmentFactory(event=event, role=Role.CHAIR)
    return event


@pytest.fixture
def day():
    return DayFactory(forum=ForumFactory(time_zone="Europe/Moscow"))


def test_a_delegate_in_two_overlapping_events_is_one_conflict_naming_both(day):
    morning = led(timed(day, 10, title_en="Morning section"))
    noon = led(timed(day, 11, title_en="Noon section"))
    delegate = DelegateFactory(last_name="Двойнов")
    AssignmentFactory(delegate=delegate, event=morning)
    AssignmentFactory(delegate=delegate, event=noon)

    [conflict] = conflicts_of(day.forum)

    assert conflict.kind == Kind.DELEGATE_TWICE
    assert "Двойнов" in conflict.message
    assert "“Morning section”" in conflict.message and "“Noon section”" in conflict.message
    assert "10:00–12:00" in conflict.message and "11:00–13:00" in conflict.message
    assert conflict.events == {morning.pk, noon.pk}
    assert [link.url for link in conflict.links] == [
        f"/admin/delegates/delegate/{delegate.pk}/change/",
        f"/admin/events/event/{morning.pk}/change/",
        f"/admin/events/event/{noon.pk}/change/",
    ]


def test_back_to_back_events_and_a_cancelled_one_keep_nobody_twice(day):
    delegate = DelegateFactory()
    for event in (
        led(timed(day, 10)),
        led(timed(day, 12)),
        led(timed(day, 11, is_cancelled=True)),
    ):
        AssignmentFactory(delegate=delegate, event=event)

    assert conflicts_of(day.forum) == []


def test_a_venue_holding_two_overlapping_events_is_a_conflict(day):
    hall = VenueFactory(forum=day.forum, name="Большой зал")
    other_hall = VenueFactory(forum=day.forum)
    first, second, elsewhere = led(timed(day, 10)), led(timed(day, 11)), led(timed(day, 10))
    first.venues.add(hall)
    second.venues.add(hall)
    elsewhere.venues.add(other_hall)

    [conflict] = conflicts_of(day.forum)

    assert conflict.kind == Kind.VENUE_TWICE
    assert conflict.message.startswith("Большой зал, Минск holds")
    assert conflict.events == {first.pk, second.pk}
    assert conflict.links[0].url == f"/admin/forum/venue/{hall.pk}/change/"


def test_a_venue_shared_with_a_cancelled_event_is_no_conflict(day):
    hall = VenueFactory(forum=day.forum)
    for event in (led(timed(day, 10)), led(timed(day, 11, is_cancelled=True))):
        event.venues.add(hall)

    assert conflicts_of(day.forum) == []


def test_an_event_after_the_forum_closes_or_off_its_day_is_outside_its_dates(day):
    forum = day.forum
    late_day = DayFactory(forum=forum, date=forum.ends_on + dt.timedelta(days=1))
    late = led(EventFactory(day=late_day, starts_at=None, ends_at=None))
    # Its day's date, but the forum's clock says otherwise (the time zone was changed since).
    off_its_day = led(timed(day, 1))
    forum.time_zone = "Europe/London"
    forum.save()
    # A youth forum days before the opening is the forum's own business, not a conflict.
    before = DayFactory(forum=forum, date=forum.starts_on - dt.timedelta(days=3))
    led(EventFactory(day=before, starts_at=None, ends_at=None))

    found = conflicts_of(forum)

    assert {conflict.kind for conflict in found} == {Kind.OUTSIDE_DATES}
    assert [conflict.events for conflict in found] == [{off_its_day.pk}, {late.pk}]
    assert "comes after the forum closes" in found[1].message
    assert "not on its day" in found[0].message


def test_in_person_seats_at_a_venue_the_event_does_not_use_are_one_conflict_per_venue(day):
    event = led(timed(day, 10, title="Секция"))
    used, unused = VenueFactory(forum=day.forum), VenueFactory(forum=day.forum, name="Пустой зал")
    event.venues.add(used)
    AssignmentFactory(event=event, venue=used)
    AssignmentFactory(event=event, participation=Participation.REMOTE)
    for name in ("Первов", "Второв"):
        AssignmentFactory(event=event, venue=unused, delegate=DelegateFactory(last_name=name))

    [conflict] = conflicts_of(day.forum)

    assert conflict.kind == Kind.SEAT_ELSEWHERE
    assert conflict.message.startswith("2 delegates are seated at Пустой зал, Минск")
    assert "Первов" in conflict.message and "Второв" in conflict.message
    assert conflict.links[0].url == f"/admin/events/event/{event.pk}/change/"


def test_a_published_event_of_a_draft_forum_is_a_conflict(day):
    day.forum.is_published = False
    day.forum.save()
    published = led(timed(day, 10))
    led(timed(day, 14, is_published=False))

    [conflict] = conflicts_of(day.forum)

    assert conflict.kind == Kind.PUBLISHED_IN_DRAFT
    assert conflict.events == {published.pk}


@pytest.mark.parametrize("role", [Role.CHAIR, Role.CO_CHAIR, Role.MODERATOR])
def test_an_event_with_a_chair_co_chair_or_moderator_raises_no_warning(day, role):
    event = timed(day, 10)
    AssignmentFactory(event=event, role=role)

    assert conflicts_of(day.forum) == []


def test_an_event_led_by_nobody_is_a_warning_unless_cancelled(day):
    event = timed(day, 10)
    AssignmentFactory(event=event, role=Role.SPEAKER)
    timed(day, 14, is_cancelled=True)

    [warning] = conflicts_of(day.forum)

    assert warning.kind == Kind.NO_LEAD
    assert warning.is_warning
    assert warning.events == {event.pk}


# --- the page --------------------------------------------------------------------------------


def page(forum):
    return f"/admin/forum/forum/{forum.pk}/conflicts/"


def a_forum_with_every_kind_of_conflict(size: int):
    """``size`` times over: a delegate twice, a venue twice, a seat elsewhere, a leaderless
    event; and one published event of the draft forum."""
    forum = ForumFactory(is_published=False)
    day = DayFactory(forum=forum)
    for index in range(size):
        hall = VenueFactory(forum=forum)
        first = led(timed(day, 8 + index % 10, is_published=False))
        second = led(timed(day, 9 + index % 10, is_published=False))
        first.venues.add(hall)
        second.venues.add(hall)
        delegate = DelegateFactory()
        AssignmentFactory(delegate=delegate, event=first, venue=hall)
        AssignmentFactory(delegate=delegate, event=second, venue=VenueFactory(forum=forum))
        timed(day, 20, length=1, is_published=False)
    led(timed(day, 22, length=1))
    return forum


@pytest.mark.parametrize("size", [1, 6])
def test_the_conflicts_page_query_count_does_not_grow(
    editor_client, django_assert_num_queries, size
):
    forum = a_forum_with_every_kind_of_conflict(size)

    # user, its permissions (2), the forum; events, the forum's venues; delegates twice, venues
    # twice, seats (the session is the cache's: forum.sessions)
    with django_assert_num_queries(9):
        response = editor_client.get(page(forum))

    assert response.status_code == 200
    assert response.context["count"].conflicts == 3 * size + 1
    assert response.context["count"].warnings == size


def test_the_page_lists_each_conflict_with_its_links_in_the_admins_language(editor_client, day):
    event = timed(day, 10, title="Секция без ведущего", title_en="Section led by nobody")

    body = editor_client.get(page(day.forum), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Events with no chair or moderator (1)" in body
    assert "“Section led by nobody”" in body
    assert f'<a href="/admin/events/event/{event.pk}/change/">Section led by nobody</a>' in body
    assert "0 conflicts, 1 warning" in body


def test_the_page_shows_one_events_conflicts_and_says_so_of_an_unknown_event(editor_client, day):
    one, other = timed(day, 10), timed(day, 14)

    shown = editor_client.get(page(day.forum), {"event": one.pk}, HTTP_ACCEPT_LANGUAGE="en")
    unknown = editor_client.get(page(day.forum), {"event": "x1"}, HTTP_ACCEPT_LANGUAGE="en")

    assert [w.events for w in shown.context["warnings"]] == [{one.pk}]
    assert unknown.status_code == 200
    assert len(unknown.context["warnings"]) == 2
    assert "errornote" in unknown.content.decode()
    assert other.pk


def staff(group_name):
    user = User.objects.create_user(f"user-{group_name}".replace(" ", "-"), is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.parametrize(("group_name", "status"), [(VIEWERS, 200), (REGISTRARS, 403)])
def test_viewers_read_the_conflicts_and_registrars_may_not(client, day, group_name, status):
    client.force_login(staff(group_name))

    assert client.get(page(day.forum)).status_code == status


def test_an_anonymous_reader_is_sent_to_sign_in_and_an_unknown_forum_back_to_the_list(
    editor_client, day
):
    assert Client().get(page(day.forum))["Location"].startswith("/admin/login/")
    assert editor_client.get("/admin/forum/forum/999999/conflicts/").status_code == 302
    assert editor_client.get("/admin/forum/forum/x/conflicts/").status_code == 302


def test_the_forums_page_counts_its_conflicts_and_links_them(editor_client, day):
    timed(day, 10)

    body = editor_client.get(
        f"/admin/forum/forum/{day.forum.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert f'<a href="{page(day.forum)}">0 conflicts, 1 warning</a>' in body
    assert f'href="/admin/forum/forum/{day.forum.pk}/timetable/"' in body

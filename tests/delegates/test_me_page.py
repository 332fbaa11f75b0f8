import datetime as dt

import pytest
from django.urls import reverse

from delegates.auth import SESSION_BACKEND
from delegates.models import Participation, Role
from delegates.selectors import delegate_programme
from delegates.services import delegate_calendar_secret_ensure, delegate_user_ensure
from events.models import Event
from forum.models import Forum
from public.caching import current_generation
from tests.factories import (
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    EventFactory,
    ForumFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def signed_in(client, delegate):
    # As the personal link signs in: the session reads the user with their delegate.
    client.force_login(delegate_user_ensure(delegate=delegate), backend=SESSION_BACKEND)
    return client


def test_an_anonymous_reader_is_asked_to_sign_in(client):
    response = client.get("/ru/me/")

    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/login/?next=/ru/me/"


def test_the_page_is_private_and_never_stored(client):
    response = signed_in(client, DelegateFactory()).get("/ru/me/")

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_the_page_shows_time_in_the_forums_zone_role_venue_and_video_link(client):
    forum = ForumFactory(time_zone="Europe/Minsk")
    day = DayFactory(forum=forum)
    venue = VenueFactory(forum=forum, name="Овальный зал", city="Минск")
    event = EventFactory(
        day=day,
        title="Пленарное заседание",
        starts_at=dt.datetime.combine(day.date, dt.time(7), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(day.date, dt.time(9), tzinfo=dt.UTC),
        video_conference_url="https://video.example.org/room-1",
    )
    event.venues.add(venue)
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event, role=Role.CHAIR, venue=venue)

    body = signed_in(client, delegate).get("/ru/me/").content.decode()

    # 07:00 UTC is 10:00 in Minsk.
    assert ">10:00</time>–<time" in body and ">12:00</time>" in body
    assert "Europe/Minsk" in body
    assert "Пленарное заседание" in body
    assert "Овальный зал, Минск" in body
    assert "https://video.example.org/room-1" in body


def test_an_event_without_times_says_so_and_remote_participation_shows(client):
    event = EventFactory(starts_at=None, ends_at=None)
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event, participation=Participation.REMOTE)

    body = signed_in(client, delegate).get("/en/me/").content.decode()

    assert "time to be announced" in body
    assert "remote" in body
    assert "<time" not in body


def test_the_others_in_the_event_show_by_role_with_names_and_positions_only(client):
    event = EventFactory()
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event, role=Role.SPEAKER)
    chair = DelegateFactory(
        last_name="Председателев", position="Председатель комиссии", phone="+375 17 000-00-01"
    )
    AssignmentFactory(delegate=chair, event=event, role=Role.CHAIR)

    body = signed_in(client, delegate).get("/ru/me/").content.decode()

    assert "Председателев" in body and "Председатель комиссии" in body
    assert chair.email not in body and "+375 17 000-00-01" not in body


def test_unpublished_events_and_draft_forums_show_marked_not_yet_public(client):
    draft = ForumFactory(is_published=False)
    hidden = EventFactory(day=DayFactory(forum=draft), title="Закрытая встреча")
    unpublished = EventFactory(is_published=False, title="Будущая секция")
    public = EventFactory(title="Открытая секция")
    delegate = DelegateFactory()
    for event in (hidden, unpublished, public):
        AssignmentFactory(delegate=delegate, event=event)

    programme = delegate_programme(delegate=delegate)
    marks = {
        item.event.title: item.is_public
        for forum in programme
        for day in forum.days
        for item in day.items
    }
    body = signed_in(client, delegate).get("/en/me/").content.decode()

    assert marks == {"Закрытая встреча": False, "Будущая секция": False, "Открытая секция": True}
    assert body.count("not yet public") == 2


def test_assignments_group_by_forum_and_day_in_time_order():
    forum = ForumFactory()
    first, second = DayFactory(forum=forum), DayFactory(forum=forum, date=forum.ends_on)
    delegate = DelegateFactory()
    late = EventFactory(day=first, title="Late")
    late.starts_at += dt.timedelta(hours=4)
    late.ends_at += dt.timedelta(hours=4)
    late.save()
    for event in (EventFactory(day=second, title="Next day"), late, EventFactory(day=first)):
        AssignmentFactory(delegate=delegate, event=event)

    (programme,) = delegate_programme(delegate=delegate)

    assert [day.day for day in programme.days] == [first, second]
    assert [item.event.title_ru for item in programme.days[0].items][1] == "Late"


def test_a_user_without_a_delegate_gets_a_clear_page(client, editor):
    client.force_login(editor)

    response = client.get("/ru/me/")

    assert response.status_code == 200
    assert 'class="no-delegate"' in response.content.decode()
    assert reverse("admin:index") in response.content.decode()


def test_the_page_shows_only_the_signed_in_delegates_assignments(client):
    mine, theirs = EventFactory(title="Моя секция"), EventFactory(title="Чужая секция")
    me, other = DelegateFactory(), DelegateFactory()
    AssignmentFactory(delegate=me, event=mine)
    AssignmentFactory(delegate=other, event=theirs)

    body = signed_in(client, me).get("/ru/me/").content.decode()

    assert "Моя секция" in body and "Чужая секция" not in body


def test_the_page_works_at_the_same_time_in_three_languages(client):
    event = EventFactory(title="Секция", title_be="Секцыя", title_en="Section")
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event)
    signed_in(client, delegate)

    assert "Секцыя" in client.get("/be/me/").content.decode()
    assert "Section" in client.get("/en/me/").content.decode()


def programme_part(response) -> str:
    # The rest holds this request's CSRF tokens.
    body = response.content.decode()
    return body[body.index('<section class="me-forum">') : body.index('class="me-calendar')]


def assign_many(delegate, count: int) -> None:
    forum = ForumFactory()
    days = [DayFactory(forum=forum), DayFactory(forum=forum, date=forum.ends_on)]
    venue = VenueFactory(forum=forum)
    for index in range(count):
        event = EventFactory(day=days[index % 2], number=1000 + index, slug=f"e-{index}")
        event.starts_at += dt.timedelta(hours=index % 2 * 3 + index // 2 * 3)
        event.ends_at = event.starts_at + dt.timedelta(hours=1)
        Event.objects.filter(pk=event.pk).update(starts_at=event.starts_at, ends_at=event.ends_at)
        event.venues.add(venue)
        AssignmentFactory(delegate=delegate, event=event, venue=venue)
        AssignmentFactory(event=event, role=Role.CHAIR)


@pytest.mark.parametrize("count", [1, 6])
def test_a_changed_programme_costs_the_same_queries_whatever_the_assignments(
    client, django_assert_num_queries, count
):
    delegate = DelegateFactory()
    assign_many(delegate, count)
    delegate_calendar_secret_ensure(delegate=delegate)
    signed_in(client, delegate).get("/ru/me/")
    Event.objects.filter(assignments__delegate=delegate).first().save()

    # The user with their delegate (the session is the cache's), the versions of what their
    # programme shows, their assignments with their seats; the changed event's part (the others
    # are kept: delegates.parts): the event, its venues, everyone in it with their names, its
    # documents (none here: no query for files; tests/delegates/test_documents.py counts them);
    # what the last visit showed.
    with django_assert_num_queries(8):
        response = client.get("/ru/me/")

    assert response.status_code == 200
    assert response.content.decode().count('class="me-event"') == count
    assert Forum.objects.count() == 1


@pytest.mark.parametrize("count", [1, 6])
def test_a_reload_reads_only_the_version_of_the_programme(client, django_assert_num_queries, count):
    delegate = DelegateFactory()
    assign_many(delegate, count)
    delegate_calendar_secret_ensure(delegate=delegate)
    first = signed_in(client, delegate).get("/ru/me/")

    # The user with their delegate, the version of what their programme shows: no programme,
    # no rendering, no write.
    with django_assert_num_queries(2):
        again = client.get("/ru/me/")

    assert programme_part(again) == programme_part(first)
    assert again.content.decode().count('class="me-event"') == count


@pytest.mark.parametrize("count", [1, 6])
def test_a_reload_under_the_same_generation_reads_no_version(
    client, django_assert_num_queries, count, settings
):
    settings.PROGRAMME_VERSION_CACHE_SECONDS = 60
    current_generation()
    delegate = DelegateFactory()
    assign_many(delegate, count)
    delegate_calendar_secret_ensure(delegate=delegate)
    first = signed_in(client, delegate).get("/ru/me/")

    # The user with their delegate is kept in the process too (delegates.auth).
    with django_assert_num_queries(0):
        again = client.get("/ru/me/")

    assert programme_part(again) == programme_part(first)

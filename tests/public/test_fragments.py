"""Each event's part of the programme and feeds, made once and kept until that event changes
(public.fragments), and pages keyed by the query parameters their view reads (public.caching)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from delegates.models import Role
from public import fragments
from tests.factories import AgreementFactory, AssignmentFactory, DelegateFactory, PartyFactory
from tests.public.conftest import (
    DRAFT_DOCUMENT_TITLE,
    DRAFT_EVENT_TITLE,
    PARTICIPANTS_DOCUMENT_TITLE,
    SECRET_EMAIL,
    SECRET_PHONE,
    SECRET_VIDEO,
    make_forum,
)
from tests.support.faults import caches, refusing_url

pytestmark = pytest.mark.django_db

FEEDS = ("programme.ics", "schedule.json")


def paths(forum, language: str = "en") -> list[str]:
    return [f"/{language}/{forum.year}/{name}" for name in ("programme/", *FEEDS)]


def kept_fragments() -> dict[str, object]:
    # Every fragment the local-memory cache of the tests holds, by key.
    keys = [key.split(":", 2)[2] for key in cache._cache if ":fragment:" in key]
    return cache.get_many(keys)


def renders_of(client, path: str) -> int:
    before = fragments.renders()
    assert client.get(path).status_code == 200
    return fragments.renders() - before


@pytest.mark.parametrize("size", [1, 5])
def test_programme_and_feeds_made_from_kept_fragments_cost_four_queries_then_two(
    client, django_assert_num_queries, size
):
    forum, _events = make_forum(events=size, documents=True)
    for path in paths(forum):
        client.get(path)
    # A change no event shows: a new forum version (every page is made again), the same events.
    AgreementFactory(forum=forum, event=None)

    # The forum, its version with its events', its days, its published events; every part from
    # the cache.
    programme, *feeds = paths(forum)
    with django_assert_num_queries(4):
        assert client.get(programme).status_code == 200
    # The days and versions are kept under the forum's version: the feeds read the forum only.
    for path in feeds:
        with django_assert_num_queries(2):
            assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("size", [1, 5])
def test_programme_after_an_edit_reads_only_the_edited_event(
    client, django_assert_num_queries, size
):
    forum, events = make_forum(events=size, documents=True)
    client.get(paths(forum)[0])
    events[0].title_en = "Renamed session"
    events[0].save()

    # Forum, version, days, published events, then the edited event, its venues, its people.
    with django_assert_num_queries(7):
        response = client.get(paths(forum)[0])
    assert "Renamed session" in response.content.decode()


def test_the_edited_event_is_read_once_for_every_part_made_of_it(client, django_assert_num_queries):
    forum, events = make_forum(events=3, documents=True)
    pages = paths(forum, "en") + paths(forum, "ru")
    for path in pages:
        client.get(path)
    events[1].title_en = events[1].title_ru = "Renamed session"
    events[1].save()
    client.get(pages[0])

    # The forum and its version; the feeds the edited event's documents and their files. Its row,
    # venues and people are read once a language (names are read in it), for the programme and
    # the feeds alike.
    for path, queries in zip(pages[1:], (4, 4, 5, 4, 4), strict=True):
        with django_assert_num_queries(queries):
            response = client.get(path)
        assert "Renamed session" in response.content.decode(), path


def test_an_edit_to_one_event_makes_only_its_parts_again(client):
    forum, events = make_forum(events=4, documents=True)
    page = paths(forum)[0]
    assert renders_of(client, page) == 4
    for path in paths(forum)[1:]:
        client.get(path)
    events[2].title_en = "Renamed session"
    events[2].save()

    assert renders_of(client, page) == 1
    assert "Renamed session" in client.get(page).content.decode()
    for path in paths(forum)[1:]:
        assert "Renamed session" in client.get(path).content.decode(), path
    # Another language has parts of its own.
    assert renders_of(client, paths(forum, "ru")[0]) == 4


def test_a_renamed_delegate_makes_only_their_events_parts_again(client):
    forum, events = make_forum(events=4)
    page = paths(forum)[0]
    client.get(page)
    delegate = events[1].assignments.get(role=Role.SPEAKER).delegate
    AssignmentFactory(event=events[3], role=Role.CHAIR, delegate=delegate)
    client.get(page)
    delegate.last_name_en = "Renamedovich"
    delegate.save()

    assert renders_of(client, page) == 2
    assert client.get(page).content.decode().count("Renamedovich") == 2


def test_a_new_speaker_shows_on_the_next_request(client):
    forum, events = make_forum(events=2)
    page = paths(forum)[0]
    client.get(page)
    AssignmentFactory(
        event=events[1], role=Role.SPEAKER, delegate=DelegateFactory(last_name_en="Newcomer")
    )

    assert "Newcomer" in client.get(page).content.decode()
    assert "Newcomer" in client.get(paths(forum)[2]).content.decode()


def test_kept_parts_make_the_same_pages_as_made_whole(client):
    forum, events = make_forum(events=5, documents=True)
    for path in paths(forum):
        client.get(path)
    events[3].description_en = "New description"
    events[3].save()

    from_parts = {path: client.get(path).content for path in paths(forum)}
    cache.clear()
    made_whole = {path: client.get(path).content for path in paths(forum)}
    assert from_parts == made_whole
    calendar = from_parts[paths(forum)[1]].decode()
    assert calendar.count("BEGIN:VTIMEZONE") == 1
    assert calendar.index("END:VTIMEZONE") < calendar.index("BEGIN:VEVENT")
    assert calendar.count("BEGIN:VEVENT") == 5
    schedule = json.loads(from_parts[paths(forum)[2]])
    assert sum(len(day["rooms"]) for day in schedule["schedule"]["conference"]["days"]) == 2


def test_no_private_data_is_kept_in_a_fragment(client, forum_with_secrets):
    forum, _events, _draft = forum_with_secrets
    for language in ("ru", "en"):
        for path in paths(forum, language):
            assert client.get(path).status_code == 200

    kept = kept_fragments()
    assert kept
    text = repr(kept)
    for secret in (
        SECRET_VIDEO,
        SECRET_EMAIL,
        SECRET_PHONE,
        DRAFT_EVENT_TITLE,
        DRAFT_DOCUMENT_TITLE,
        PARTICIPANTS_DOCUMENT_TITLE,
    ):
        assert secret not in text, secret


def test_a_preview_neither_keeps_nor_reads_fragments(client, editor, forum_with_secrets):
    forum, _events, _draft = forum_with_secrets
    staff = Client()
    staff.force_login(editor)
    for path in paths(forum):
        assert staff.get(path).status_code == 200
    assert not kept_fragments()

    client.get(paths(forum)[0])
    assert kept_fragments()
    # Two published events and the draft: all three made for the preview, none read.
    assert renders_of(staff, paths(forum)[0]) == 3
    assert DRAFT_EVENT_TITLE in staff.get(paths(forum)[0]).content.decode()
    assert DRAFT_EVENT_TITLE not in client.get(paths(forum)[0]).content.decode()


def test_with_the_cache_down_every_part_is_made_from_the_database(client):
    forum, events = make_forum(events=3, documents=True)
    usual = {path: client.get(path).content for path in paths(forum)}

    with override_settings(CACHES=caches(refusing_url())):
        assert renders_of(client, paths(forum)[0]) == 3
        assert {path: client.get(path).content for path in paths(forum)} == usual
        events[0].title_en = "Renamed while the cache is down"
        events[0].save()
        for path in paths(forum):
            assert "Renamed while the cache is down" in client.get(path).content.decode(), path


# --- the query parameters a page reads ----------------------------------------------------------


def test_unknown_query_parameters_share_the_page(client, django_assert_num_queries):
    forum, events = make_forum(events=2)
    programme = paths(forum)[0]
    event = f"/en/{forum.year}/events/{events[0].slug}/"
    first = {path: client.get(path).content for path in (programme, event)}

    # The forum and its version, then the stored page: nothing made again.
    for path in (programme, event):
        for query in ("?utm_source=newsletter", "?r=123&utm_medium=x", "?r=124"):
            before = fragments.renders()
            with django_assert_num_queries(2):
                response = client.get(path + query)
            assert response.content == first[path]
            assert fragments.renders() == before
    # No link on the page carries the parameter (the language switcher keeps the query).
    assert "utm_source" not in client.get(programme + "?utm_source=newsletter").content.decode()


def test_the_parameters_a_page_reads_key_it(client):
    forum, _events = make_forum(events=1, agreements=2)
    registry = f"/en/{forum.year}/agreements/"
    client.get(registry)

    filtered = client.get(registry + "?status=planned&utm_source=x").content.decode()
    assert filtered != client.get(registry).content.decode()
    assert filtered == client.get(registry + "?status=planned&r=1").content.decode()
    # The switcher keeps the filters as asked, in their order, not the tracking parameter.
    assert "status=planned" in filtered and "utm_source" not in filtered
    asked = client.get(registry + "?utm_source=x&status=planned&kind=").content.decode()
    assert "/ru/2020/agreements/?status=planned&amp;kind=" in asked
    csv = client.get(registry + "?format=csv&utm_source=x")
    assert csv["Content-Type"].startswith("text/csv")

    search = "/en/search/"
    assert client.get(search + "?q=forum").content != client.get(search + "?q=other").content
    assert (
        client.get(search + "?q=forum&utm_source=x").content
        == client.get(search + "?q=forum").content
    )


# --- an event's page, kept under its own event's version -----------------------------------------


def event_page(forum, event, language: str = "en") -> str:
    return f"/{language}/{forum.year}/events/{event.slug}/"


def test_an_event_page_outlives_an_edit_to_another_event(client, django_assert_num_queries):
    forum, (edited, other) = make_forum(events=2)
    before = client.get(event_page(forum, other))

    edited.title_en = "Another title"
    edited.save()

    # The forum and its new version, its days, its events and their slugs: the page itself from
    # the cache.
    with django_assert_num_queries(5):
        after = client.get(event_page(forum, other))
    assert after.content == before.content and after["ETag"] == before["ETag"]
    not_modified = client.get(event_page(forum, other), HTTP_IF_NONE_MATCH=before["ETag"])
    assert not_modified.status_code == 304
    assert "Another title" in client.get(event_page(forum, edited)).text


@pytest.mark.parametrize(
    "change",
    ["own title", "an agreement signed at it", "a party of that agreement", "the forum's title"],
)
def test_an_event_page_is_made_again_when_what_it_shows_changes(client, change):
    forum, (event, _other) = make_forum(events=2)
    agreement = AgreementFactory(forum=forum, event=event, title_en="Old agreement")
    party = PartyFactory(agreement=agreement, name_en="Old party")
    before = client.get(event_page(forum, event))

    if change == "own title":
        event.title_en = text = "New event title"
        event.save()
    elif change == "an agreement signed at it":
        agreement.title_en = text = "New agreement title"
        agreement.save()
    elif change == "a party of that agreement":
        party.name_en = text = "New party name"
        party.save()
    else:
        forum.title_en = text = "New forum title"
        forum.save()

    after = client.get(event_page(forum, event))
    assert after["ETag"] != before["ETag"] and text in after.text

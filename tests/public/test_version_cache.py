"""The programme version kept in the shared cache (production): no SQL for a warm page, and
every write through the ORM seen at once."""

import threading
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from events.models import Event
from forum.models import Forum
from public import fragments
from public.versioning import forum_with_version
from tests.factories import VenueFactory
from tests.support.faults import caches, refusing_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached_versions")]


@pytest.fixture
def cached_versions():
    with override_settings(PROGRAMME_VERSION_CACHE_SECONDS=1):
        yield


def programme(event) -> str:
    return f"/ru/{event.forum.year}/programme/"


def test_a_warm_programme_page_costs_no_query(client, event, django_assert_num_queries):
    client.get(programme(event))

    with django_assert_num_queries(0):
        response = client.get(programme(event))

    assert response.status_code == 200


def test_a_poll_with_the_etag_costs_no_query(client, event, django_assert_num_queries):
    etag = client.get(programme(event))["ETag"]

    with django_assert_num_queries(0):
        response = client.get(programme(event), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_an_edit_through_save_shows_at_once(client, event):
    before = client.get(programme(event))

    event.title_ru = "Секция после правки"
    event.save()
    after = client.get(programme(event))

    assert after["ETag"] != before["ETag"]
    assert "Секция после правки" in after.content.decode()


def test_a_deletion_shows_at_once(client, event):
    before = client.get(programme(event))

    Event.objects.filter(pk=event.pk).delete()
    after = client.get(programme(event))

    assert after["ETag"] != before["ETag"]
    assert "Секция до правки" not in after.content.decode()


def test_a_change_of_venues_shows_at_once(client, event):
    before = client.get(programme(event))

    event.venues.add(VenueFactory(forum=event.forum, name_ru="Малый зал"))
    after = client.get(programme(event))

    assert after["ETag"] != before["ETag"]
    assert "Малый зал" in after.content.decode()


def test_a_write_that_sends_no_signal_shows_within_the_cache_time(client, event):
    client.get(programme(event))

    Event.objects.filter(pk=event.pk).update(title_ru="Тихая правка", updated_at=timezone.now())
    at_once = client.get(programme(event)).content.decode()
    time.sleep(1.1)
    later = client.get(programme(event)).content.decode()

    assert "Тихая правка" not in at_once
    assert "Тихая правка" in later


def test_an_unknown_year_is_404_and_its_repeat_costs_no_query(client, django_assert_num_queries):
    assert client.get("/ru/1999/programme/").status_code == 404

    with django_assert_num_queries(0):
        assert client.get("/ru/1999/programme/").status_code == 404


@override_settings(CACHES=caches(refusing_url()))
def test_an_edit_still_saves_while_the_cache_is_down(event):
    event.title_ru = "Правка без кеша"
    event.save()

    assert Event.objects.get(pk=event.pk).title_ru == "Правка без кеша"


def test_a_warm_home_page_costs_no_query(client, event, django_assert_num_queries):
    client.get("/ru/")

    with django_assert_num_queries(0):
        response = client.get("/ru/")

    assert response.status_code == 200


def test_a_forum_edit_shows_on_the_home_page_at_once(client, event):
    client.get("/ru/")

    event.forum.title_ru = "Переименованный форум"
    event.forum.save()

    assert "Переименованный форум" in client.get("/ru/").content.decode()


def test_a_signed_in_reader_never_gets_the_shared_home_page(client, event, editor):
    client.get("/ru/")
    # No signal: the shared copy stays as it was for its few seconds.
    Forum.objects.filter(pk=event.forum.pk).update(title_ru="Тихо переименованный форум")

    anonymous = client.get("/ru/").content.decode()
    client.force_login(editor)
    signed_in = client.get("/ru/").content.decode()

    assert "Тихо переименованный форум" not in anonymous
    assert "Тихо переименованный форум" in signed_in


def _page_key(event) -> str:
    from django.test import RequestFactory

    from public.caching import _cache_key, programme_forum

    request = RequestFactory().get(programme(event))
    forum = programme_forum(request, event.forum.year)
    return _cache_key(request, forum, forum.programme_version, "ru")


def test_a_reader_waits_for_the_page_another_worker_is_rendering(client, event):
    key = _page_key(event)
    cache.add(f"{key}:rendering", 1, 30)

    def other_worker():
        time.sleep(0.2)
        cache.set(key, (200, b"rendered by the other worker", [], None), 60)
        cache.delete(f"{key}:rendering")

    thread = threading.Thread(target=other_worker)
    thread.start()
    response = client.get(programme(event))
    thread.join()

    assert response.content == b"rendered by the other worker"


def test_a_reader_renders_the_page_itself_when_the_other_worker_gives_up(client, event):
    key = _page_key(event)
    cache.add(f"{key}:rendering", 1, 30)
    threading.Timer(0.2, cache.delete, [f"{key}:rendering"]).start()

    response = client.get(programme(event))

    assert response.status_code == 200
    assert "Секция до правки" in response.content.decode()
    assert not cache.has_key(f"{key}:rendering")


def test_a_reader_waits_for_the_version_another_worker_is_reading(event, django_assert_num_queries):
    from public.caching import _published_forum, current_generation

    key = f"programme-forum:{current_generation()}:{event.forum.year}"
    cache.add(f"{key}:rendering", 1, 30)
    read_there = forum_with_version(year=event.forum.year)
    read_there.version_read = ("read by the other worker", 0)

    def other_worker():
        time.sleep(0.2)
        cache.set(key, read_there, 60)
        cache.delete(f"{key}:rendering")

    thread = threading.Thread(target=other_worker)
    thread.start()
    with django_assert_num_queries(0):
        found = _published_forum(event.forum.year)
    thread.join()

    assert found.version_read == ("read by the other worker", 0)


def test_a_reader_waits_for_the_outline_another_worker_is_reading(event, django_assert_num_queries):
    forum = forum_with_version(year=event.forum.year)
    key = f"programme-outline:{fragments.REVISION}:{forum.pk}:{forum.programme_version}"
    cache.add(f"{key}:rendering", 1, 30)
    read_there = ([], [(event.pk, event.day_id, "read there")])
    threading.Timer(0.2, cache.set, [key, read_there, 60]).start()

    with django_assert_num_queries(0):
        outline = fragments.programme_outline(forum=forum)

    assert outline == read_there

"""The front cache (forum.front_cache): repeated public pages from the app process's memory,
right for every reader, at once after an edit, compressed for browsers that ask."""

import gzip
import time

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from forum import front_cache
from forum.caching import current_generation, mark_shareable, programme_generation_bump
from forum.models import Forum
from tests.factories import DayFactory, EventFactory, ForumFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached_versions")]

BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}


@pytest.fixture
def cached_versions():
    with override_settings(PROGRAMME_VERSION_CACHE_SECONDS=60):
        yield


@pytest.fixture
def event():
    return EventFactory(day=DayFactory(forum=ForumFactory()), title_ru="Секция до правки")


def programme(event) -> str:
    return f"/ru/{event.forum.year}/programme/"


def test_a_repeated_page_is_answered_from_memory_with_the_same_bytes_and_headers(
    client, event, django_assert_num_queries
):
    first = client.get(programme(event))

    with django_assert_num_queries(0):
        again = client.get(programme(event))

    assert front_cache.store.hits == 1
    assert again.status_code == 200
    assert again.content == first.content
    assert sorted(again.items()) == sorted(first.items())
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert again[header] == first[header]
    assert again["Content-Length"] == str(len(again.content))


def test_an_edit_through_the_orm_is_served_at_once(client, event):
    client.get(programme(event))

    event.title_ru = "Секция после правки"
    event.save()
    after = client.get(programme(event)).content.decode()

    assert "Секция после правки" in after
    assert "Секция до правки" not in after


def test_a_new_generation_from_another_server_is_served_at_once(client, event):
    client.get(programme(event))
    # What another app server's edit leaves behind: new rows and a new generation in the shared
    # cache, no signal in this process.
    Forum.objects.filter(pk=event.forum.pk).update(
        title_ru="Форум после правки", updated_at=timezone.now()
    )
    programme_generation_bump()

    assert "Форум после правки" in client.get(programme(event)).content.decode()
    assert front_cache.store.hits == 0


def test_a_page_is_kept_no_longer_than_its_version_may_be(client, event):
    with override_settings(PROGRAMME_VERSION_CACHE_SECONDS=1):
        client.get(programme(event))
        # No signal: seen once the version read a second ago has had its time.
        Forum.objects.filter(pk=event.forum.pk).update(
            title_ru="Тихо переименованный форум", updated_at=timezone.now()
        )
        at_once = client.get(programme(event)).content.decode()
        time.sleep(1.1)
        later = client.get(programme(event)).content.decode()

    assert front_cache.store.hits == 1
    assert "Тихо переименованный форум" not in at_once
    assert "Тихо переименованный форум" in later


def test_a_browser_that_accepts_gzip_gets_the_page_compressed(client, event):
    plain = client.get(programme(event))

    first = client.get(programme(event), **BROWSER)
    again = client.get(programme(event), **BROWSER)

    for response in (first, again):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert response["Content-Length"] == str(len(response.content))
        assert "Accept-Encoding" in response["Vary"]
    assert len(again.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]


def test_the_first_reader_already_gets_the_compressed_page(client, event):
    response = client.get(programme(event), **BROWSER)

    assert response["Content-Encoding"] == "gzip"
    assert "Секция до правки" in gzip.decompress(response.content).decode()


@pytest.mark.parametrize(
    "accept, compressed",
    [
        ("gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip; q=0.0", False),
        ("identity", False),
        ("br", False),
        ("", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_compression_follows_accept_encoding(client, event, accept, compressed):
    response = client.get(programme(event), HTTP_ACCEPT_ENCODING=accept)

    assert (response.get("Content-Encoding") == "gzip") is compressed


def test_a_poll_with_the_etag_gets_304_from_memory(client, event):
    etag = client.get(programme(event))["ETag"]

    response = client.get(programme(event), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert front_cache.store.hits == 1


def test_a_poll_renews_an_out_of_date_page_and_still_gets_its_304(client, event):
    etag = client.get(programme(event))["ETag"]
    programme_generation_bump()  # another server wrote something outside this forum

    polled = client.get(programme(event), HTTP_IF_NONE_MATCH=etag)
    polled_again = client.get(programme(event), HTTP_IF_NONE_MATCH=etag)

    assert polled.status_code == 304
    assert polled_again.status_code == 304
    assert front_cache.store.hits == 1
    page = front_cache.store.previous(("http", "testserver", programme(event)))
    assert page.generation == current_generation()


def test_a_poll_with_an_old_etag_gets_the_new_page(client, event):
    etag = client.get(programme(event))["ETag"]
    event.title_ru = "Секция после правки"
    event.save()

    response = client.get(programme(event), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "Секция после правки" in response.content.decode()
    assert response["ETag"] != etag


def test_a_signed_in_reader_never_gets_or_leaves_a_kept_page(client, event, editor):
    client.get(programme(event))
    Forum.objects.filter(pk=event.forum.pk).update(title_ru="Тихо переименованный форум")

    client.force_login(editor)
    signed_in = client.get(programme(event), **BROWSER)

    assert "Тихо переименованный форум" in signed_in.content.decode()
    assert signed_in["Cache-Control"] == "private, no-store"
    assert "Content-Encoding" not in signed_in
    assert front_cache.store.hits == 0
    assert len(front_cache.store.pages) == 1


def test_a_page_only_a_signed_in_reader_sees_is_never_kept(client, editor):
    draft = EventFactory(day=DayFactory(forum=ForumFactory(is_published=False)))
    client.force_login(editor)
    assert client.get(programme(draft)).status_code == 200
    client.logout()

    assert client.get(programme(draft)).status_code == 404
    assert not front_cache.store.pages


def test_pages_the_views_do_not_mark_are_never_kept(client, event):
    for url in ("/ru/me/", "/admin/login/", f"/ru/{event.forum.year}/events/no-such-event/"):
        client.get(url)

    assert not front_cache.store.pages
    assert front_cache.store.misses == 0


def test_each_url_query_and_host_is_kept_apart(client, event):
    registry = f"/ru/{event.forum.year}/agreements/"

    client.get(registry)
    client.get(registry, {"status": "signed"})
    client.get(registry, HTTP_HOST="localhost")
    client.get(f"/en/{event.forum.year}/programme/")

    assert set(front_cache.store.pages) == {
        ("http", "testserver", registry),
        ("http", "testserver", registry + "?status=signed"),
        ("http", "localhost", registry),
        ("http", "testserver", f"/en/{event.forum.year}/programme/"),
    }


def test_a_host_not_allowed_gets_400_and_nothing_is_kept(client, event):
    response = client.get(programme(event), HTTP_HOST="forum.example.org")

    assert response.status_code == 400
    assert not front_cache.store.pages


def test_a_head_request_is_answered_the_whole_way(client, event):
    client.get(programme(event))

    response = client.head(programme(event))

    assert response.status_code == 200
    assert front_cache.store.hits == 0


def test_the_home_page_is_kept_too_and_shows_a_forum_edit_at_once(client, event):
    client.get("/ru/")
    client.get("/ru/")
    assert front_cache.store.hits == 1

    event.forum.title_ru = "Переименованный форум"
    event.forum.save()

    assert "Переименованный форум" in client.get("/ru/").content.decode()


def _view_marking_shareable(response: HttpResponse):
    def view(request):
        mark_shareable(request, generation=current_generation(), until=10**10)
        return response

    return view


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse("not found", status=404),
        HttpResponse("private", headers={"Cache-Control": "private"}),
        HttpResponse("mine", headers={"Cache-Control": "no-store"}),
    ],
    ids=["404", "private", "no-store"],
)
def test_an_answer_that_is_not_public_is_never_kept(response):
    middleware = front_cache.FrontCacheMiddleware(_view_marking_shareable(response))

    middleware(RequestFactory().get("/ru/anything/"))

    assert not front_cache.store.pages


def test_an_answer_that_sets_a_cookie_or_holds_a_csrf_token_is_never_kept():
    with_cookie = HttpResponse("hello")
    with_cookie.set_cookie("reader", "1")
    FrontCacheMiddleware = front_cache.FrontCacheMiddleware
    FrontCacheMiddleware(_view_marking_shareable(with_cookie))(RequestFactory().get("/a/"))
    request = RequestFactory().get("/b/")
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    FrontCacheMiddleware(_view_marking_shareable(HttpResponse("form")))(request)

    assert not front_cache.store.pages


def test_a_request_with_a_session_or_messages_cookie_goes_the_whole_way():
    calls = []

    def view(request):
        calls.append(request)
        mark_shareable(request, generation=current_generation(), until=10**10)
        return HttpResponse("public")

    middleware = front_cache.FrontCacheMiddleware(view)
    middleware(RequestFactory().get("/ru/page/"))
    for cookie in ("sessionid", "messages"):
        request = RequestFactory().get("/ru/page/")
        request.COOKIES[cookie] = "x"
        middleware(request)
    middleware(RequestFactory().get("/ru/page/"))

    assert len(calls) == 3
    assert front_cache.store.hits == 1


def test_the_store_drops_the_least_recently_used_pages_beyond_its_budget():
    store = front_cache.PageStore(max_bytes=3 * (1000 + 256))

    def page(generation="g"):
        return front_cache.Page(generation, 10**10, 200, [], b"x" * 1000, None, None, None)

    for name in ("a", "b", "c"):
        store.put((name,), page())
    assert store.get(("a",), "g", 0) is not None  # "a" is now the most recently used
    store.put(("d",), page())

    assert set(store.pages) == {("a",), ("c",), ("d",)}
    assert store.bytes == 3 * (1000 + 256)
    assert store.get(("a",), "other generation", 0) is None


def test_a_page_larger_than_the_whole_budget_is_not_kept():
    store = front_cache.PageStore(max_bytes=100)

    store.put(("a",), front_cache.Page("g", 10**10, 200, [], b"x" * 1000, None, None, None))

    assert not store.pages
    assert store.bytes == 0


@override_settings(FRONT_CACHE_MAX_BYTES=0)
def test_a_budget_of_zero_turns_the_front_cache_off():
    with pytest.raises(MiddlewareNotUsed):
        front_cache.FrontCacheMiddleware(lambda request: HttpResponse())

"""The front cache (public.front_cache): repeated public pages from the app process's memory,
right for every reader, at once after an edit, compressed for browsers that ask.

Requests go through ``forum.wsgi.application`` as gunicorn sends them: Django's test client
does not pass through the front cache.
"""

import gzip
import time
from dataclasses import dataclass
from wsgiref.util import setup_testing_defaults

import pytest
import redis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import override_settings
from django.utils import timezone

from forum.cache import GENERATION_KEY
from forum.models import Forum
from forum.wsgi import application
from public import front_cache
from public.caching import current_generation, mark_shareable, programme_generation_bump
from tests.factories import DayFactory, EventFactory, ForumFactory
from tests.public.pages import missing_tool
from tests.support.faults import caches, refusing_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached_versions")]

BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}


@pytest.fixture
def cached_versions():
    with override_settings(PROGRAMME_VERSION_CACHE_SECONDS=60):
        yield


def programme(event) -> str:
    return f"/ru/{event.forum.year}/programme/"


@dataclass
class Answer:
    status_code: int
    headers: list[tuple[str, str]]
    content: bytes

    def get(self, name: str, default=None):
        found = [value for key, value in self.headers if key.lower() == name.lower()]
        return found[0] if found else default

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    @property
    def text(self) -> str:
        body = self.content
        if self.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode()


def get(url: str, *, app=application, cookie: str = "", **meta) -> Answer:
    """A GET through the WSGI application, as gunicorn makes it."""
    path, _, query = url.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, **meta}
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)  # SERVER_NAME 127.0.0.1, wsgi.input…
    sent = []

    def start_response(status, headers, exc_info=None):
        sent[:] = [status, headers]

    # As Django's test client does: the request's end must not end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(int(sent[0].split()[0]), list(sent[1]), body)


def test_a_repeated_page_is_answered_from_memory_with_the_same_bytes_and_headers(
    event, django_assert_num_queries
):
    first = get(programme(event))

    with django_assert_num_queries(0):
        again = get(programme(event))

    assert front_cache.store.hits == 1
    assert again.status_code == 200
    assert again.content == first.content
    assert sorted(again.headers) == sorted(first.headers)
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert again[header] == first[header]
    assert again["Content-Length"] == str(len(again.content))
    assert "Секция до правки" in again.text


def test_what_the_test_client_gets_is_what_the_front_cache_sends(client, event):
    direct = client.get(programme(event))
    get(programme(event), HTTP_HOST="testserver")

    again = get(programme(event), HTTP_HOST="testserver")

    assert front_cache.store.hits == 1
    assert again.content == direct.content
    for name, value in direct.items():
        if name != "Vary":
            assert again[name] == value
    assert again["Vary"] == direct["Vary"] + ", Accept-Encoding"


def test_an_edit_through_the_orm_is_served_at_once(event):
    get(programme(event))

    event.title_ru = "Секция после правки"
    event.save()
    after = get(programme(event)).text

    assert "Секция после правки" in after
    assert "Секция до правки" not in after


def test_a_new_generation_from_another_server_is_served_at_once(event):
    get(programme(event))
    # What another app server's edit leaves behind: new rows and a new generation in the shared
    # cache, no signal in this process.
    Forum.objects.filter(pk=event.forum.pk).update(
        title_ru="Форум после правки", updated_at=timezone.now()
    )
    programme_generation_bump()

    assert "Форум после правки" in get(programme(event)).text
    assert front_cache.store.hits == 0


def test_a_page_is_kept_no_longer_than_its_version_may_be(event):
    with override_settings(PROGRAMME_VERSION_CACHE_SECONDS=1):
        get(programme(event))
        # No signal: seen once the version read a second ago has had its time.
        Forum.objects.filter(pk=event.forum.pk).update(
            title_ru="Тихо переименованный форум", updated_at=timezone.now()
        )
        at_once = get(programme(event)).text
        time.sleep(1.1)
        later = get(programme(event)).text

    assert front_cache.store.hits == 1
    assert "Тихо переименованный форум" not in at_once
    assert "Тихо переименованный форум" in later


def test_a_browser_that_accepts_gzip_gets_the_page_compressed(event):
    plain = get(programme(event))

    first = get(programme(event), **BROWSER)
    again = get(programme(event), **BROWSER)

    for response in (first, again):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert response["Content-Length"] == str(len(response.content))
        assert "Accept-Encoding" in response["Vary"]
    assert len(again.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]


def test_a_page_is_compressed_once_for_every_app_process(event, monkeypatch):
    compressions = []
    compress = gzip.compress
    monkeypatch.setattr(
        gzip, "compress", lambda *a, **kw: compressions.append(1) or compress(*a, **kw)
    )
    first = get(programme(event), **BROWSER)
    front_cache.store.clear()  # another app process: its front cache is empty

    again = get(programme(event), **BROWSER)

    assert again.content == first.content and again["Content-Encoding"] == "gzip"
    assert len(compressions) == 1


def test_the_first_reader_already_gets_the_compressed_page(event):
    response = get(programme(event), **BROWSER)

    assert response["Content-Encoding"] == "gzip"
    assert "Секция до правки" in response.text


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
def test_compression_follows_accept_encoding(event, accept, compressed):
    response = get(programme(event), HTTP_ACCEPT_ENCODING=accept)

    assert (response.get("Content-Encoding") == "gzip") is compressed


def test_a_poll_with_the_etag_gets_304_from_memory(event):
    first = get(programme(event))

    response = get(programme(event), HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Cache-Control"] == first["Cache-Control"]
    assert "Content-Type" not in response and "Content-Length" not in response
    assert front_cache.store.hits == 1


def test_a_poll_with_the_date_gets_304_from_memory(event):
    first = get(programme(event))

    same = get(programme(event), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    earlier = get(programme(event), HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT")

    assert same.status_code == 304
    assert earlier.status_code == 200
    assert front_cache.store.hits == 2


def test_a_poll_renews_an_out_of_date_page_and_still_gets_its_304(event):
    etag = get(programme(event))["ETag"]
    programme_generation_bump()  # another server wrote something outside this forum

    polled = get(programme(event), HTTP_IF_NONE_MATCH=etag)
    polled_again = get(programme(event), HTTP_IF_NONE_MATCH=etag)

    assert polled.status_code == 304
    assert polled_again.status_code == 304
    assert front_cache.store.hits == 1
    (page,) = front_cache.store.pages.values()
    assert page.generation == current_generation()


def test_a_poll_with_an_old_etag_gets_the_new_page(event):
    etag = get(programme(event))["ETag"]
    event.title_ru = "Секция после правки"
    event.save()

    response = get(programme(event), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "Секция после правки" in response.text
    assert response["ETag"] != etag


def test_a_signed_in_reader_never_gets_or_leaves_a_kept_page(client, event, editor):
    get(programme(event))
    Forum.objects.filter(pk=event.forum.pk).update(
        title_ru="Тихо переименованный форум", updated_at=timezone.now()
    )
    client.force_login(editor)
    session = f"sessionid={client.cookies['sessionid'].value}"

    signed_in = get(programme(event), cookie=session, **BROWSER)

    assert "Тихо переименованный форум" in signed_in.text
    assert signed_in["Cache-Control"] == "private, no-store"
    assert "Content-Encoding" not in signed_in
    assert front_cache.store.hits == 0
    assert len(front_cache.store.pages) == 1


def test_a_draft_only_a_signed_in_reader_sees_is_never_kept(client, editor):
    draft = EventFactory(day=DayFactory(forum=ForumFactory(is_published=False)))
    client.force_login(editor)
    session = f"sessionid={client.cookies['sessionid'].value}"

    assert get(programme(draft), cookie=session).status_code == 200
    assert get(programme(draft)).status_code == 404
    assert not front_cache.store.pages


def test_pages_the_views_do_not_mark_are_never_kept(event):
    for url in ("/ru/me/", "/admin/login/", f"/ru/{event.forum.year}/events/no-such-event/"):
        get(url)

    assert not front_cache.store.pages
    assert front_cache.store.misses == 0


def test_each_url_query_and_host_is_kept_apart(event):
    registry = f"/ru/{event.forum.year}/agreements/"

    get(registry)
    signed = get(registry + "?status=signed")
    local = get(registry, HTTP_HOST="localhost")
    get(f"/en/{event.forum.year}/programme/")

    assert len(front_cache.store.pages) == 4
    assert "http://localhost/" in local.text
    assert "http://localhost/" not in signed.text
    assert {key[-2:] for key in front_cache.store.pages} == {
        (registry, ""),
        (registry, "status=signed"),
        (f"/en/{event.forum.year}/programme/", ""),
    }


def test_addresses_with_parameters_a_page_does_not_read_never_crowd_the_store(event):
    # Cache-busting or tracking parameters get the page (from the shared cache), but each would
    # otherwise take a place in this process's memory and push the real pages out.
    plain = get(programme(event))
    busted = [get(f"{programme(event)}?r={n}&utm_source=x") for n in range(5)]

    assert [answer.text for answer in busted] == [plain.text] * 5
    assert {key[-2:] for key in front_cache.store.pages} == {(programme(event), "")}


def test_a_host_not_allowed_gets_400_and_nothing_is_kept(event):
    response = get(programme(event), HTTP_HOST="forum.example.org")

    assert response.status_code == 400
    assert not front_cache.store.pages


def test_a_head_request_is_answered_the_whole_way(event):
    get(programme(event))

    response = get(programme(event), REQUEST_METHOD="HEAD")

    assert response.status_code == 200
    assert front_cache.store.hits == 0


def test_the_home_page_is_kept_too_and_shows_a_forum_edit_at_once(event):
    get("/ru/")
    get("/ru/")
    assert front_cache.store.hits == 1

    event.forum.title_ru = "Переименованный форум"
    event.forum.save()

    assert "Переименованный форум" in get("/ru/").text


def test_the_feeds_are_kept_and_compressed(event):
    for feed in ("programme.ics", "schedule.json"):
        url = f"/ru/{event.forum.year}/{feed}"
        get(url)

        response = get(url, **BROWSER)

        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
    assert front_cache.store.hits == 2


def marking_app(response: HttpResponse, calls: list | None = None):
    """A WSGI application that marks its answer shareable, as the caching decorators do."""

    def app(environ, start_response):
        if calls is not None:
            calls.append(environ["PATH_INFO"])
        request = type("Request", (), {"META": environ})()
        mark_shareable(request, generation=current_generation(), until=10**10)
        headers = [*response.items()]
        headers += [("Set-Cookie", c.output(header="")) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response

    return front_cache.FrontCache(app)


def _cookie_response() -> HttpResponse:
    response = HttpResponse("hello")
    response.set_cookie("reader", "1")
    return response


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse("not found", status=404),
        HttpResponse("private", headers={"Cache-Control": "private"}),
        HttpResponse("mine", headers={"Cache-Control": "no-store"}),
        _cookie_response(),
    ],
    ids=["404", "private", "no-store", "cookie"],
)
def test_an_answer_that_is_not_public_is_never_kept(response):
    get("/ru/anything/", app=marking_app(response))

    assert not front_cache.store.pages


def test_an_answer_holding_a_csrf_token_is_never_kept():
    get("/ru/form/", app=marking_app(HttpResponse("form")), CSRF_COOKIE_NEEDS_UPDATE=True)

    assert not front_cache.store.pages


def test_a_request_with_a_session_or_messages_cookie_goes_the_whole_way():
    calls = []
    app = marking_app(HttpResponse("public"), calls)

    get("/ru/page/", app=app)
    get("/ru/page/", app=app, cookie="sessionid=x")
    get("/ru/page/", app=app, cookie="csrftoken=y; messages=x")
    get("/ru/page/", app=app, cookie="csrftoken=y")

    assert len(calls) == 3
    assert front_cache.store.hits == 1


def test_the_store_drops_the_least_recently_used_pages_beyond_its_budget():
    store = front_cache.PageStore(max_bytes=3 * (1000 + 1024))

    def page(generation="g"):
        return front_cache.Page(generation, 10**10, [], b"x" * 1000)

    for name in ("a", "b", "c"):
        store.put((name,), page())
    assert store.get(("a",), "g", 0) is not None  # "a" is now the most recently used
    store.put(("d",), page())

    assert set(store.pages) == {("a",), ("c",), ("d",)}
    assert store.bytes == 3 * (1000 + 1024)
    assert store.get(("a",), "other generation", 0) is None


def test_a_page_larger_than_the_whole_budget_is_not_kept():
    store = front_cache.PageStore(max_bytes=100)

    store.put(("a",), front_cache.Page("g", 10**10, [], b"x" * 1000))

    assert not store.pages
    assert store.bytes == 0


def test_a_budget_of_zero_turns_the_front_cache_off(event, monkeypatch):
    monkeypatch.setattr(front_cache.store, "max_bytes", 0)

    get(programme(event))
    get(programme(event))

    assert not front_cache.store.pages


@pytest.fixture
def redis_cache():
    """Django's Redis cache, as production has it; skipped without Redis, except in CI."""
    from tests.support.servers import REDIS_URL, redis_problem

    problem = redis_problem()
    if problem:
        missing_tool(problem)
    with override_settings(CACHES=caches(REDIS_URL)):
        cache.clear()
        yield redis.Redis.from_url(REDIS_URL)
        cache.clear()


def test_the_generation_is_read_straight_from_redis_as_django_wrote_it(redis_cache):
    programme_generation_bump()
    written = cache.get(GENERATION_KEY)

    assert current_generation() == str(written)
    assert redis_cache.get(cache.make_key(GENERATION_KEY)) == str(written).encode()


def test_a_generation_left_by_an_older_release_still_serves(redis_cache):
    cache.set(GENERATION_KEY, "1506ea4bc20cae8c", None)  # a string, pickled by Django

    assert current_generation() == "1506ea4bc20cae8c"


def test_a_kept_page_asks_redis_nothing_while_the_generation_stands(event, private_redis):
    with override_settings(CACHES=caches(private_redis.url)):
        get(programme(event))
        get(programme(event))
        server = redis.Redis.from_url(private_redis.url)
        before = server.info("commandstats")

        get(programme(event))

        after = server.info("commandstats")
    assert front_cache.store.hits == 2
    calls = {name: after[name]["calls"] - before.get(name, {}).get("calls", 0) for name in after}
    # INFO is the test's own: the generation is tracked in the process (forum.cache.TrackedKey).
    assert {name: count for name, count in calls.items() if count} == {"cmdstat_info": 1}


def test_the_tracked_read_is_the_generation_django_wrote(redis_cache):
    programme_generation_bump()

    assert cache.get_tracked(GENERATION_KEY) == str(cache.get(GENERATION_KEY)).encode()
    assert current_generation() == str(cache.get(GENERATION_KEY))


def test_a_missing_generation_is_made_when_first_read(redis_cache):
    cache.delete(GENERATION_KEY)

    generation = current_generation()

    assert generation is not None and generation == str(cache.get(GENERATION_KEY))


def test_a_pickled_generation_of_an_older_release_is_read_through_django(redis_cache):
    cache.set(GENERATION_KEY, "1506ea4bc20cae8c", None)

    assert current_generation() == "1506ea4bc20cae8c"


def test_an_edit_shows_at_once_through_redis(redis_cache, event):
    get(programme(event))
    get(programme(event))
    assert front_cache.store.hits == 1

    event.title_ru = "Секция после правки"
    event.save()

    assert "Секция после правки" in get(programme(event)).text


# --- while the shared cache fails -------------------------------------------------------------


def test_no_kept_page_is_served_while_the_generation_cannot_be_read(event, private_redis):
    with override_settings(CACHES=caches(private_redis.url, retry_seconds=0.3)):
        get(programme(event))
        get(programme(event))
        assert front_cache.store.hits == 1

        private_redis.stop()
        # An edit whose new generation reaches no cache: the kept page is out of date.
        event.title_ru = "Правка во время сбоя"
        event.save()
        during = [get(programme(event)).text for _ in range(2)]

        private_redis.start()
        time.sleep(0.4)
        after = [get(programme(event)).text for _ in range(2)]

    assert all("Правка во время сбоя" in text for text in during + after)
    # Kept again once the cache answers: the second request after its return is from memory.
    assert front_cache.store.hits == 2


@pytest.mark.parametrize("page", ["programme", "/ru/statistics/", "/ru/", "/sitemap.xml"])
def test_a_page_made_while_the_cache_refuses_is_not_kept(event, page):
    path = programme(event) if page == "programme" else page
    with override_settings(CACHES=caches(refusing_url())):
        pages = [get(path) for _ in range(3)]

    assert all(page.status_code == 200 for page in pages)
    assert not front_cache.store.pages

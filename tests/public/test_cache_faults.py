"""Every public page and feed while the shared cache refuses or never answers: served from the
database with the same content, and back to the cache by itself when it answers again."""

import time

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.public.test_pages import LANGUAGES, page_paths
from tests.support.faults import caches, refusing_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached_versions")]


@pytest.fixture
def cached_versions():
    # As in production: the version and the home page are kept under the write generation.
    with override_settings(PROGRAMME_VERSION_CACHE_SECONDS=60):
        yield


def every_page(forum, events) -> list[str]:
    feeds = [
        f"/{lang}/{forum.year}/{feed}"
        for lang in LANGUAGES
        for feed in ("programme.ics", "schedule.json", f"events/{events[0].slug}.ics")
    ]
    # The pages of every edition, keyed by the site version.
    site = [
        f"/{lang}/{page}"
        for lang in LANGUAGES
        for page in ("statistics/", "regions/", "search/?q=forum", "open-data/")
    ]
    paths = [path for lang in LANGUAGES for path in page_paths(forum, events, lang)]
    return paths + feeds + site + ["/sitemap.xml", "/api/v1/events/?lang=ru"]


def answers(client, paths: list[str]) -> dict[str, tuple[int, bytes]]:
    return {path: (r.status_code, r.content) for path in paths for r in [client.get(path)]}


@pytest.mark.parametrize("fault", ["refuses", "never answers"])
def test_every_page_and_feed_is_served_as_usual_while_the_cache_fails(
    client, forum_with_secrets, silent_server, caplog, fault
):
    forum, events, _draft = forum_with_secrets
    paths = every_page(forum, events)
    usual = answers(client, paths)
    url = refusing_url() if fault == "refuses" else silent_server.url

    with override_settings(CACHES=caches(url)):
        first = answers(client, paths)
        again = answers(client, paths)

    assert all(status == 200 for status, _body in usual.values())
    assert first == usual
    assert again == usual
    # One warning for the outage; no traceback.
    assert [r.name for r in caplog.records if r.levelname == "WARNING"] == ["forum.cache"]
    assert not any(r.exc_info for r in caplog.records)


def test_an_edit_made_while_the_cache_refuses_is_served_at_once(client, event):
    with override_settings(CACHES=caches(refusing_url())):
        client.get(f"/ru/{event.forum.year}/programme/")
        event.title_ru = "Правка без кеша"
        event.save()
        page = client.get(f"/ru/{event.forum.year}/programme/")

    assert "Правка без кеша" in page.content.decode()


def queries_of(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_warm_page_costs_no_query_again_once_the_cache_is_back(client, event, private_redis):
    path = f"/ru/{event.forum.year}/programme/"
    with override_settings(CACHES=caches(private_redis.url, retry_seconds=0.3)):
        client.get(path)
        assert queries_of(client, path) == 0

        private_redis.stop()
        assert queries_of(client, path) > 0
        assert queries_of(client, path) > 0

        private_redis.start()
        time.sleep(0.4)
        client.get(path)  # the first after the return fills the emptied cache
        assert queries_of(client, path) == 0

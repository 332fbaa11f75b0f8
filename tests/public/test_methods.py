"""Public pages and feeds serve GET and HEAD; every other method gets 405, never the page."""

import pytest
from django.test import Client

from delegates.services import delegate_calendar_secret_ensure, delegate_user_ensure
from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db

REFUSED = ["OPTIONS", "TRACE", "POST", "PUT", "PATCH", "DELETE"]


def public_addresses(event) -> list[str]:
    year, slug = event.forum.year, event.slug
    return [
        "/",
        "/ru/",
        f"/ru/{year}/",
        f"/be/{year}/programme/",
        f"/en/{year}/events/{slug}/",
        f"/ru/{year}/agreements/",
        f"/ru/{year}/agreements/?format=csv",
        f"/ru/{year}/programme.ics",
        f"/ru/{year}/schedule.json",
        f"/ru/{year}/events/{slug}.ics",
        f"/ru/{year}/now/",
        "/ru/statistics/",
        "/be/regions/",
        "/en/search/?q=forum",
        "/ru/open-data/",
        "/sitemap.xml",
        "/robots.txt",
    ]


@pytest.mark.parametrize("method", REFUSED)
def test_every_public_page_and_feed_refuses_other_methods_with_405(event, method):
    # With the CSRF check on, as a browser meets it: a POST is still 405, not 403.
    client = Client(enforce_csrf_checks=True)

    for path in public_addresses(event):
        response = client.generic(method, path)
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == "GET, HEAD"
        assert event.title not in response.content.decode()


def test_head_still_answers_every_public_page_and_feed(client, event):
    for path in public_addresses(event):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b""


@pytest.mark.parametrize("method", REFUSED)
def test_a_delegates_page_and_calendar_feed_refuse_other_methods(client, method):
    delegate = DelegateFactory()
    client.force_login(delegate_user_ensure(delegate=delegate))
    secret = delegate_calendar_secret_ensure(delegate=delegate)

    for path in ("/ru/me/", f"/ru/me/calendar/{secret}.ics"):
        assert client.generic(method, path).status_code == 405, (method, path)
    assert client.head("/ru/me/").status_code == 200

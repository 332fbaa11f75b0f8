"""Private values never reach a public page, a feed or another delegate.

The walk covers every named URL of the project, filled with the seeded forum's year and event
slugs where a pattern asks for them, so pages added later (the public programme, its
calendar and exports) are searched too.
"""

import contextlib
import itertools

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation

from delegates.services import delegate_calendar_secret_ensure, delegate_user_ensure
from tests.factories import (
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    EventFactory,
    ForumFactory,
)

pytestmark = pytest.mark.django_db

EMAIL = "private.mp.7731@example.org"
PHONE = "+375 29 555-01-23"
VIDEO = "https://video.example.org/private-room-4412"
HIDDEN_EVENT = "Закрытое совещание 5519"
DRAFT_FORUM = "Черновой форум 8830"


@pytest.fixture
def seeded():
    forum = ForumFactory(is_published=True)
    public_event = EventFactory(day=DayFactory(forum=forum), video_conference_url=VIDEO)
    hidden_event = EventFactory(day=public_event.day, is_published=False, title=HIDDEN_EVENT)
    draft = ForumFactory(is_published=False, title=DRAFT_FORUM)
    draft_event = EventFactory(day=DayFactory(forum=draft))
    a = DelegateFactory(email=EMAIL, phone=PHONE)
    b = DelegateFactory(email="b@example.org")
    for event in (public_event, hidden_event, draft_event):
        AssignmentFactory(delegate=a, event=event)
    AssignmentFactory(delegate=b, event=EventFactory(day=public_event.day))
    a_secret = delegate_calendar_secret_ensure(delegate=a)
    return {
        "a": a,
        "b": b,
        "a_secret": a_secret,
        "values": {
            "year": [forum.year, draft.year],
            "slug": [public_event.slug, hidden_event.slug, draft_event.slug],
        },
        "private": [EMAIL, PHONE, VIDEO, HIDDEN_EVENT, DRAFT_FORUM, a_secret],
    }


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif pattern.name:
            yield namespace + pattern.name, pattern


def arguments_of(pattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def every_url(values: dict[str, list]) -> set[str]:
    urls = set()
    for name, pattern in named_patterns():
        arguments = arguments_of(pattern)
        # A NUL byte too: PostgreSQL refuses it in text, which must give no 500.
        choices = [values.get(argument, ["x", "1", "\x00"]) for argument in arguments]
        for combination in itertools.product(*choices):
            kwargs = dict(zip(arguments, combination, strict=True))
            for language, _name in settings.LANGUAGES:
                with translation.override(language), contextlib.suppress(NoReverseMatch):
                    urls.add(reverse(name, kwargs=kwargs))
    return urls


def leaks(response, private: list[str]) -> list[str]:
    text = response.content.decode(errors="replace") + " ".join(
        f"{key}: {value}" for key, value in response.headers.items()
    )
    return [value for value in private if value in text]


def test_the_private_values_are_shown_to_their_delegate(client, seeded):
    # The search below means something only if the values do reach the page when they should.
    client.force_login(delegate_user_ensure(delegate=seeded["a"]))

    page = client.get("/ru/me/").content.decode()
    feed = client.get(f"/ru/me/calendar/{seeded['a_secret']}.ics").content.decode()

    assert VIDEO in page and HIDDEN_EVENT in page and DRAFT_FORUM in page
    assert VIDEO in feed


def test_no_url_shows_a_delegates_private_values_to_anyone_else(client, seeded):
    urls = every_url(seeded["values"])
    assert {"/ru/", "/healthz", "/admin/login/", "/ru/me/", "/ru/accounts/login/"} <= urls

    other = delegate_user_ensure(delegate=seeded["b"])
    for who in ("anonymous", "delegate B"):
        if who == "delegate B":
            client.force_login(other)
        for url in sorted(urls):
            response = client.get(url)
            assert response.status_code < 500, (who, url)
            assert leaks(response, seeded["private"]) == [], (who, url)


def test_delegate_b_cannot_reach_as_page_or_feed_by_any_address(client, seeded):
    a, b = seeded["a"], seeded["b"]
    client.force_login(delegate_user_ensure(delegate=b))
    guesses = [
        f"/ru/me/?delegate={a.pk}",
        f"/ru/me/{a.pk}/",
        f"/ru/me/calendar/{a.pk}.ics",
        f"/ru/me/calendar/{seeded['a_secret'][:-1]}.ics",
        f"/ru/me/calendar/{seeded['a_secret'].upper()}.ics",
        f"/ru/me/link/{a.pk}/",
        f"/admin/delegates/delegate/{a.pk}/change/",
        f"/admin/delegates/delegate/?q={EMAIL}",
    ]

    for url in guesses:
        response = client.get(url)
        assert response.status_code < 500, url
        assert leaks(response, seeded["private"]) == [], url

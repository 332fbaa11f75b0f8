"""The shared cache refusing, never answering, or coming back (forum.cache): a fault costs a
miss, one warning line and one attempt per interval; /healthz says so at once; signing in does
not depend on the cache."""

import logging
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import override_settings

from tests.factories import DelegateFactory
from tests.support.faults import caches, refusing_url

pytestmark = pytest.mark.django_db

CACHE_LOGGER = "forum.cache"


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == CACHE_LOGGER]


def every_operation() -> list:
    return [
        cache.get("key", "default"),
        cache.set("key", "value"),
        cache.add("key", "value"),
        cache.has_key("key"),
        cache.get_many(["key", "other"]),
        cache.set_many({"key": 1, "other": 2}),
        cache.touch("key"),
        cache.delete("key"),
        cache.delete_many(["key"]),
        cache.get_or_set("key", "made"),
    ]


def test_a_cache_that_refuses_answers_as_if_every_key_were_absent(caplog):
    with override_settings(CACHES=caches(refusing_url())):
        answers = [every_operation() for _ in range(20)]

    assert answers[0] == [
        "default",
        None,
        False,
        False,
        {},
        ["key", "other"],
        False,
        False,
        None,
        "made",
    ]
    assert all(answer == answers[0] for answer in answers)
    # One line for the whole burst, with no traceback and no password of the URL.
    (line,) = warnings_of(caplog)
    assert "does not answer" in line and "127.0.0.1" in line
    assert not any(r.exc_info for r in caplog.records)


def test_a_refused_increment_is_a_missing_key_as_django_says(caplog):
    with override_settings(CACHES=caches(refusing_url())), pytest.raises(ValueError):
        cache.incr("counter")


def test_a_cache_that_never_answers_is_asked_once_per_interval(silent_server, caplog):
    with override_settings(CACHES=caches(silent_server.url, retry_seconds=0.5)):
        for _ in range(50):
            assert cache.get("key") is None
        # The first call waited for its timeout; the other 49 did not ask at all.
        assert len(silent_server.connections) == 1

        time.sleep(0.6)
        for _ in range(50):
            assert cache.get("key") is None
        assert len(silent_server.connections) == 2
    assert len(warnings_of(caplog)) == 1


def test_the_cache_is_used_again_by_itself_once_it_answers(private_redis, caplog):
    caplog.set_level(logging.INFO)
    with override_settings(CACHES=caches(private_redis.url, retry_seconds=0.3)):
        cache.set("key", "before")
        private_redis.stop()
        assert cache.get("key") is None
        cache.set("key", "during")  # stored nowhere

        private_redis.start()
        assert cache.get("key") is None  # not asked yet: within the interval
        time.sleep(0.4)
        cache.set("key", "after")
        assert cache.get("key") == "after"

    down, back = warnings_of(caplog)
    assert "does not answer" in down
    assert "answers again" in back


def test_the_cache_url_password_never_reaches_the_log(caplog):
    url = refusing_url().replace("redis://", "redis://:s3cret-pass@")

    with override_settings(CACHES=caches(url)):
        cache.get("key")

    assert warnings_of(caplog)
    assert "s3cret-pass" not in caplog.text


# --- /healthz -----------------------------------------------------------------------------------


def test_healthz_says_503_cache_at_once_when_the_cache_refuses(client):
    with override_settings(CACHES=caches(refusing_url())):
        responses = [client.get("/healthz") for _ in range(3)]

    for response in responses:
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "failing": ["cache"]}


def test_healthz_says_503_cache_when_the_cache_never_answers(client, silent_server):
    with override_settings(CACHES=caches(silent_server.url)):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["cache"]}


def test_healthz_says_200_again_once_the_cache_is_back(client, private_redis):
    with override_settings(CACHES=caches(private_redis.url, retry_seconds=0.2)):
        assert client.get("/healthz").status_code == 200
        private_redis.stop()
        assert client.get("/healthz").status_code == 503
        private_redis.start()
        time.sleep(0.3)
        assert client.get("/healthz").status_code == 200


# --- signing in needs no cache ------------------------------------------------------------------


def test_a_password_sign_in_and_its_session_work_while_the_cache_refuses(client):
    user = User.objects.create_user("mp@example.org", password="right-password-1")
    DelegateFactory(user=user, last_name="Кешева")

    with override_settings(CACHES=caches(refusing_url())):
        response = client.post(
            "/ru/accounts/login/", {"username": "mp@example.org", "password": "right-password-1"}
        )
        page = client.get("/ru/me/")

    assert response.status_code == 302
    assert page.status_code == 200
    assert "Кешева" in page.content.decode()


def test_a_personal_link_signs_in_while_the_cache_refuses(client, link_path):
    delegate = DelegateFactory(last_name="Ссылкина")
    path = link_path(delegate)

    with override_settings(CACHES=caches(refusing_url())):
        client.get(path)
        client.post(path)
        page = client.get("/ru/me/")

    assert "Ссылкина" in page.content.decode()


def test_lock_outs_are_counted_while_the_cache_refuses(client):
    User.objects.create_user("mp@example.org", password="right-password-1")

    with override_settings(CACHES=caches(refusing_url())):
        for _ in range(5):
            client.post("/ru/accounts/login/", {"username": "mp@example.org", "password": "no"})
        right = client.post(
            "/ru/accounts/login/", {"username": "mp@example.org", "password": "right-password-1"}
        )

    assert right.status_code == 429


def test_password_reset_requests_are_throttled_while_the_cache_refuses(client):
    with override_settings(CACHES=caches(refusing_url())):
        answers = [
            client.post("/ru/accounts/password-reset/", {"email": "a@example.org"}).status_code
            for _ in range(4)
        ]

    assert answers == [302, 302, 302, 429]

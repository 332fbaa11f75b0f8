"""A key tracked in the process (forum.cache.TrackedKey): read from memory while Redis has not
said it changed, read again at once when it has, when the server goes away, and after the lease."""

import time

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

import forum.cache
from tests.support.faults import caches

KEY = "tracked-test"


@pytest.fixture
def tracked(private_redis):
    """The shared cache on a private server, and a plain client of another "app server"."""
    with override_settings(CACHES=caches(private_redis.url, retry_seconds=0.2)):
        other = redis.Redis.from_url(private_redis.url)
        yield other, cache.make_and_validate_key(KEY)
        other.close()


def gets(server: redis.Redis) -> int:
    return server.info("commandstats").get("cmdstat_get", {}).get("calls", 0)


def test_a_write_from_another_server_shows_on_the_next_read(tracked):
    other, key = tracked
    stale = 0
    for number in range(300):
        cache.get_tracked(KEY)
        other.set(key, str(number))
        stale += cache.get_tracked(KEY) != str(number).encode()
    assert stale == 0


def test_an_unchanged_key_is_answered_from_the_process(tracked):
    other, key = tracked
    other.set(key, "7")
    assert cache.get_tracked(KEY) == b"7"
    before = gets(other)

    answers = {cache.get_tracked(KEY) for _ in range(50)}

    assert answers == {b"7"}
    assert gets(other) == before


def test_this_process_knows_its_own_write_at_once(tracked):
    cache.set(KEY, 1, None)
    assert cache.get_tracked(KEY) == b"1"

    cache.set(KEY, 2, None)

    assert cache.get_tracked(KEY) == b"2"


def test_a_value_is_read_again_once_its_lease_is_over(tracked, monkeypatch):
    monkeypatch.setattr(forum.cache, "TRACKING_LEASE", 0.05)
    other, key = tracked
    other.set(key, "7")
    cache.get_tracked(KEY)
    before = gets(other)

    time.sleep(0.1)
    cache.get_tracked(KEY)

    assert gets(other) == before + 1


def test_an_emptied_server_forgets_the_value(tracked, monkeypatch):
    monkeypatch.setattr(forum.cache, "TRACKING_LEASE", 60)
    other, key = tracked
    other.set(key, "7")
    assert cache.get_tracked(KEY) == b"7"

    other.flushall()

    # Unlike a write's, a flush's invalidation may leave Redis just after the flush's reply (about
    # 3 in 100 on a busy machine): it comes by the message, not the lease, within moments.
    deadline = time.monotonic() + 1
    while cache.get_tracked(KEY) is not None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert cache.get_tracked(KEY) is None


def test_a_stopped_server_is_noticed_on_the_next_read_and_a_restarted_one_read_again(
    tracked, private_redis
):
    other, key = tracked
    other.set(key, "7")
    assert cache.get_tracked(KEY) == b"7"

    private_redis.stop()
    during = cache.get_tracked(KEY)
    private_redis.start()
    redis.Redis.from_url(private_redis.url).set(key, "8")
    time.sleep(0.3)  # the breaker's retry interval

    assert during is None
    assert cache.get_tracked(KEY) == b"8"


def test_a_server_that_stops_answering_is_asked_again_once_the_lease_is_over(
    tracked, private_redis, monkeypatch
):
    monkeypatch.setattr(forum.cache, "TRACKING_LEASE", 0.1)
    other, key = tracked
    other.set(key, "7")
    assert cache.get_tracked(KEY) == b"7"

    private_redis.freeze()
    try:
        time.sleep(0.15)
        after_lease = cache.get_tracked(KEY)
    finally:
        private_redis.thaw()

    assert after_lease is None


def test_a_server_that_refuses_tracking_is_read_once_a_request(tracked, monkeypatch):
    """A managed Redis may disable CLIENT commands: no breaker trips, one GET a read."""
    from redis.connection import AbstractConnection

    send = AbstractConnection.send_command

    def refusing(connection, *args, **kwargs):
        if args[:2] == ("CLIENT", "TRACKING"):
            args = ("CLIENT", "NO-SUCH-SUBCOMMAND")
        return send(connection, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_command", refusing)
    other, key = tracked
    other.set(key, "7")
    before = gets(other)

    answers = [cache.get_tracked(KEY) for _ in range(3)]
    other.set(key, "8")

    assert answers == [b"7"] * 3 and cache.get_tracked(KEY) == b"8"
    assert gets(other) == before + 4
    assert cache.get("absent", "default") == "default" and not cache.breaker.down_since

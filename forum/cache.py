"""The shared cache (Redis, ``REDIS_URL``) as the app uses it: a fault costs a miss, never an
error (README, "Operations": when the cache is down)."""

import contextlib
import contextvars
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Replaced on every write through the ORM to what a public page shows (public.caching): what is
# kept under one generation is current while it stays (public.front_cache, delegates.page).
GENERATION_KEY = "programme-generation"
# Each committed change takes a number (a ticket) before its pages are read; a generation is
# published with its change's number, and only over an older one (public.prerender).
CHANGES_KEY = "programme-changes"
PUBLISHED_KEY = "programme-generation-change"
# How long a tracked key's value is trusted without a real read (TrackedKey).
TRACKING_LEASE = 1.0
# A set of what readers asked for (note_asked_for) keeps this many members.
RECENT_KEPT = 1000


# A generation not yet published, under which this context makes pages before it publishes it
# (public.prerender).
_unpublished: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "unpublished_generation", default=None
)


def new_generation() -> int:
    return secrets.randbits(62)


@contextlib.contextmanager
def unpublished_generation():
    """A new generation that ``current_generation()`` gives in this context alone, until the
    caller publishes it (stores it under GENERATION_KEY)."""
    generation = str(new_generation())
    token = _unpublished.set(generation)
    try:
        yield generation
    finally:
        _unpublished.reset(token)


def making_unpublished() -> bool:
    return _unpublished.get() is not None


def prerendering() -> bool:
    """Whether pages are made before a change is shown (public.prerender): only with a cache
    that keeps what readers asked for for every app server (Redis)."""
    return settings.PRERENDER_PAGES > 0 and hasattr(cache, "note_recent")


def note_asked_for(name: str, member: str) -> None:
    """Note that a reader's request made ``member`` (a page's address…) in the set ``name``, for
    the pages made before the next change is shown; not while such pages are being made."""
    if prerendering() and not making_unpublished():
        cache.note_recent(name, member, time.time(), keep=RECENT_KEPT)


def asked_for_lately(name: str) -> list[str]:
    """The members of ``name`` noted in the last PRERENDER_RECENT_SECONDS, the last noted first,
    PRERENDER_PAGES at most."""
    since = time.time() - settings.PRERENDER_RECENT_SECONDS
    return cache.recent(name, since=since, limit=settings.PRERENDER_PAGES)


def publish_generation(generation: int, ticket: int | None = None) -> bool:
    """Replace the write generation by ``generation``: with Redis, only if the change it shows
    (``ticket``) is newer than the published one's (``change_ticket``); without a ticket, as the
    newest change. False if it was not."""
    publish = getattr(cache, "publish_generation", None)
    if publish is None:
        cache.set(GENERATION_KEY, generation, None)
        return True
    return publish(generation, ticket)


def current_generation() -> str | None:
    """The write generation now: a new one after every write to what the version covers. None
    while the cache does not answer: then nothing kept under a generation is known current."""
    unpublished = _unpublished.get()
    if unpublished is not None:
        return unpublished
    return tracked_generation(GENERATION_KEY)


def tracked_generation(key: str) -> str | None:
    """The generation stored under ``key``, made when absent; None while the cache does not
    answer. Kept in the process while Redis has not said it changed, where the cache offers that
    (TrackedKey): no round trip on most requests."""
    tracked = getattr(cache, "get_tracked", None)
    value = tracked(key) if tracked else None
    if value is not None and value.isdigit():
        return value.decode()
    # Absent (made now), left pickled by an older release, down, or not Redis (development).
    generation = cache.get(key)
    if generation is None:
        cache.add(key, new_generation(), None)
        generation = cache.get(key)
    return None if generation is None else str(generation)


def replace_generation(key: str) -> None:
    cache.set(key, new_generation(), None)


class ProcessCopies:
    """Values this process last read or wrote, each kept with the generation it was current
    under and given only under that one; the least recently read dropped first."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[object, tuple[str, object]] = OrderedDict()
        self.lock = threading.Lock()  # gunicorn may run threads (GUNICORN_THREADS)

    def get(self, key, generation: str | None):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or generation is None or entry[0] != generation:
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key, generation: str | None, value) -> None:
        if generation is None:
            return
        with self.lock:
            self.entries[key] = (generation, value)
            self.entries.move_to_end(key)
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def kept_or_read(self, key, generation_key: str, read):
        """What ``read()`` gives for ``key``, kept while the tracked generation ``generation_key``
        is the one it was read under and ``PROGRAMME_VERSION_CACHE_SECONDS`` at most, as a public
        page's version is trusted (writes that send no signal)."""
        # Read before the value: a change after it is a new generation.
        generation = tracked_generation(generation_key)
        kept = self.get(key, generation)
        if (
            kept is not None
            and time.monotonic() - kept[0] < settings.PROGRAMME_VERSION_CACHE_SECONDS
        ):
            return kept[1]
        read_at = time.monotonic()
        value = read()
        self.put(key, generation, (read_at, value))
        return value


class CircuitBreaker:
    """After a failure, stop asking the server: one attempt per ``retry_after`` seconds until one
    succeeds, so an outage costs a request no time, and one warning line says it began."""

    def __init__(self, *, server: str, retry_after: float):
        self.server = server
        self.retry_after = retry_after
        self.down_since: float | None = None
        self.next_attempt = 0.0
        self.lock = threading.Lock()

    def allows(self) -> bool:
        if self.down_since is None:
            return True
        with self.lock:
            now = time.monotonic()
            if now < self.next_attempt:
                return False
            # This caller makes the attempt; the others keep away until it has failed again.
            self.next_attempt = now + self.retry_after
            return True

    def failed(self, error: Exception) -> None:
        with self.lock:
            # From the failure, not the attempt: an attempt may have waited for its timeout.
            now = time.monotonic()
            self.next_attempt = now + self.retry_after
            if self.down_since is not None:
                return
            self.down_since = now
        logger.warning(
            "the cache at %s does not answer (%s): pages come from the database; "
            "asking it again every %s s",
            self.server,
            error,
            self.retry_after,
        )

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            down_since, self.down_since = self.down_since, None
        if down_since is not None:
            logger.info(
                "the cache at %s answers again after %.1f s",
                self.server,
                time.monotonic() - down_since,
            )


class TrackedKey:
    """One key's value kept in this process until Redis says the key changed: a connection of its
    own asks Redis to track the key (RESP3 client-side tracking), and a read polls that connection
    for the invalidation without a round trip. Redis sends the invalidation in the same pass as it
    answers the write, so a change made anywhere shows on the next request. Between real reads the
    value is trusted ``lease`` seconds at most: a server that stopped answering is noticed."""

    def __init__(self, cache: "ResilientRedisCache", key: str, *, lease: float):
        self.cache = cache
        self.key = key
        self.lease = lease
        self.lock = threading.Lock()
        self.pid = None
        self.connection = None
        self.value: bytes | None = None
        self.read_at = 0.0
        # A server that refuses tracking (a managed Redis may disable CLIENT commands): one GET
        # a read, as before.
        self.untracked = False

    def get(self) -> bytes | None:
        with self.lock:
            if self.pid != os.getpid():
                # A forked worker never shares its parent's socket.
                self.pid, self.connection, self.value = os.getpid(), None, None
            if self.connection is not None:
                # Messages waiting, or the server gone: either drops the value.
                self._drain()
            if self.value is not None and time.monotonic() - self.read_at < self.lease:
                return self.value
            if self.untracked:
                return self.cache._guarded(self._plain_read, fallback=None)
            return self.cache._guarded(self._read, fallback=None)

    def _plain_read(self) -> bytes | None:
        return self.cache._cache.get_client(self.key).get(self.key)

    def forget(self) -> None:
        self.value = None

    def _invalidated(self, message) -> None:
        self.value = None

    def _drain(self) -> None:
        try:
            while self.connection.can_read(timeout=0):
                self.connection.read_response(push_request=True)
        except (redis.RedisError, OSError):
            self._drop()

    def _drop(self) -> None:
        connection, self.connection, self.value = self.connection, None, None
        if connection is not None:
            connection.disconnect()

    def _read(self) -> bytes | None:
        try:
            if self.connection is None:
                self.connection = self._tracking_connection()
            if self.connection is None:
                return self._plain_read()
            self.connection.send_command("GET", self.key)
            value = self.connection.read_response()
        except BaseException:
            self._drop()
            raise
        self.value, self.read_at = value, time.monotonic()
        return value

    def _tracking_connection(self):
        pool = self.cache._cache._get_connection_pool(write=False)
        # The pool's own kind of connection (TLS, a Unix socket) to the same server, in RESP3.
        connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        try:
            connection.connect()
            connection._parser.set_invalidation_push_handler(self._invalidated)
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self.key)
            connection.read_response()
        except redis.ResponseError:
            connection.disconnect()
            self.untracked = True
            return None
        return connection


class SharedClientRedisCacheClient(RedisCacheClient):
    """One client per connection pool: Django makes a new one for every call, which costs
    about as much as the call (the page cache asks for the write generation on every request)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that answers as if a key were absent while Redis does not answer:
    ``get`` gives the default, ``add`` False, ``set`` nothing. Short socket timeouts come with
    OPTIONS (settings); ``RETRY_SECONDS`` is how often a failed server is asked again."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self.breaker = CircuitBreaker(
            server=_address(self._servers[0]), retry_after=float(params.get("RETRY_SECONDS", 5))
        )
        self._tracked: dict[str, TrackedKey] = {}
        self._tracked_lock = threading.Lock()

    def _guarded(self, operation, *args, fallback):
        if not self.breaker.allows():
            return fallback
        try:
            result = operation(*args)
        except redis.RedisError as error:
            self.breaker.failed(error)
            return fallback
        self.breaker.succeeded()
        return result

    def get_tracked(self, key) -> bytes | None:
        """The bytes Redis holds under ``key`` (an int as Django stores it: its digits), or None
        if absent or while Redis does not answer; answered from this process while Redis has not
        said the key changed (``TrackedKey``): every public page asks for the write generation."""
        tracked = self._tracked.get(key)
        if tracked is None:
            with self._tracked_lock:
                tracked = self._tracked.setdefault(
                    key, TrackedKey(self, self.make_and_validate_key(key), lease=TRACKING_LEASE)
                )
        return tracked.get()

    def _written(self, key) -> None:
        # This process's own write is known at once, not when Redis's message arrives.
        tracked = self._tracked.get(key)
        if tracked is not None:
            tracked.forget()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._written(key)
        return self._guarded(super().add, key, value, timeout, version, fallback=False)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, key, default, version, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._written(key)
        self._guarded(super().set, key, value, timeout, version, fallback=None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        self._written(key)
        return self._guarded(super().delete, key, version, fallback=False)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, key, version, fallback=False)

    def incr(self, key, delta=1, version=None):
        result = self._guarded(super().incr, key, delta, version, fallback=None)
        if result is None:
            raise ValueError(f"Key '{key}' not found.")  # as Django says of an absent key
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys not stored, as Django's contract has it.
        return self._guarded(super().set_many, data, timeout, version, fallback=list(data))

    def delete_many(self, keys, version=None):
        self._guarded(super().delete_many, keys, version, fallback=None)

    def change_ticket(self) -> int | None:
        """The next number in the order of committed changes (None while Redis does not
        answer): taken after a commit, before anything is read for it."""
        key = self.make_and_validate_key(CHANGES_KEY)
        return self._guarded(
            lambda: self._cache.get_client(key, write=True).incr(key), fallback=None
        )

    def publish_generation(self, generation: int, ticket: int | None = None) -> bool:
        """Make ``generation`` the current one if ``ticket`` is newer than the published one's;
        without a ticket, as the newest change (one is taken). False if a newer one was."""
        self._written(GENERATION_KEY)
        keys = [self.make_and_validate_key(name) for name in (GENERATION_KEY, PUBLISHED_KEY)]
        keys.append(self.make_and_validate_key(CHANGES_KEY))

        def publish():
            client = self._cache.get_client(keys[0], write=True)
            return client.eval(_PUBLISH, 3, *keys, generation, ticket or 0)

        return bool(self._guarded(publish, fallback=False))

    def note_recent(self, name, member: str, when: float, *, keep: int) -> None:
        """Note ``member`` in the set ``name`` as met at ``when``; the set keeps the ``keep``
        members met last."""
        key = self.make_and_validate_key(name)

        def note():
            pipe = self._cache.get_client(key, write=True).pipeline()
            pipe.zadd(key, {member: when})
            pipe.zremrangebyrank(key, 0, -keep - 1)
            pipe.execute()

        self._guarded(note, fallback=None)

    def recent(self, name, *, since: float, limit: int) -> list[str]:
        """The members of the set ``name`` met since ``since``, the last met first."""
        key = self.make_and_validate_key(name)

        def read():
            client = self._cache.get_client(key)
            found = client.zrevrangebyscore(key, "+inf", since, start=0, num=limit)
            return [member.decode() for member in found]

        return self._guarded(read, fallback=[])

    def clear(self):
        for tracked in self._tracked.values():
            tracked.forget()
        return self._guarded(super().clear, fallback=False)


# The generation is stored as Django stores an int (its digits: RedisSerializer), with the
# ticket of the change it shows; a change without a ticket takes the next one.
_PUBLISH = """
local ticket = tonumber(ARGV[2])
if ticket == 0 then ticket = redis.call('INCR', KEYS[3]) end
if ticket <= tonumber(redis.call('GET', KEYS[2]) or '0') then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ticket)
return 1
"""


def _address(location: str) -> str:
    """Host and port only: a password in the URL must not reach the log."""
    parts = urlsplit(location)
    return f"{parts.hostname}:{parts.port or 6379}" if parts.hostname else parts.path

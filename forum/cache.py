"""The shared cache (Redis, ``REDIS_URL``) as the app uses it: a fault costs a miss, never an
error (README, "Operations": when the cache is down)."""

import logging
import secrets
import threading
import time
from urllib.parse import urlsplit

import redis
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Replaced on every write through the ORM to what a public page shows (public.caching): what is
# kept under one generation is current while it stays (public.front_cache, delegates.page).
GENERATION_KEY = "programme-generation"


def new_generation() -> int:
    return secrets.randbits(62)


def current_generation() -> str | None:
    """The write generation now: a new one after every write to what the version covers. None
    while the cache does not answer: then nothing kept under a generation is known current."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    return None if generation is None else str(generation)


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
        self._plain_keys = {}

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

    def get_plain(self, key) -> bytes | None:
        """The bytes Redis holds under ``key`` (an int as Django stores it: its digits), or None
        if absent or while Redis does not answer. One GET and nothing else (no key checks, no
        unpickling): public.front_cache asks for the write generation on every request."""
        made = self._plain_keys.get(key)
        if made is None:
            made = self._plain_keys[key] = self.make_and_validate_key(key)
        return self._guarded(self._cache.get_client(made).get, made, fallback=None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().add, key, value, timeout, version, fallback=False)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, key, default, version, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(super().set, key, value, timeout, version, fallback=None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
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

    def clear(self):
        return self._guarded(super().clear, fallback=False)


def _address(location: str) -> str:
    """Host and port only: a password in the URL must not reach the log."""
    parts = urlsplit(location)
    return f"{parts.hostname}:{parts.port or 6379}" if parts.hostname else parts.path

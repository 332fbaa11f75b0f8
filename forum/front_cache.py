"""Public pages kept in each app process's memory, answered before sessions, locale and views.

At 9:00 on a forum day thousands of readers ask for the same few pages. ``conditional_programme``
and ``shared_page`` (``forum.caching``) already answer them without SQL, from the shared cache;
this middleware answers the repeats without even that: one small read of the shared cache's write
generation, then the page as this process last sent it.

A request is answered here when all of these hold:

* it is a GET without the session cookie or the messages cookie (signed-in readers always go the
  whole way: their pages may be their own);
* this process sent the same URL (scheme, host, path and query) as a shareable answer: a public
  200 of the programme, an event, the registry, a feed or the home page, with no cookie and no
  CSRF token in it, that the view marked with ``forum.caching.mark_shareable``;
* the write generation the shared cache holds now is the one that answer was made under;
* that answer is still within its time: the data it was made from was read at most
  ``PROGRAMME_VERSION_CACHE_SECONDS`` ago, so a write that sends no signal shows within that
  time, as without this cache.

Every write through the ORM replaces the generation (``forum.caching.programme_changed``), so an
edit on any app server is seen at once by every process of every server. A URL this process has
never sent as shareable costs nothing more than a dictionary lookup (no read of the shared cache).
An answer keeps every header it was first sent with (security, CSP, ``Vary``, ``ETag``,
``Last-Modified``, ``Cache-Control``); a conditional request gets its 304 here, and when the kept
page is out of date the page is asked for whole (the validators put aside), so that a reader who
only ever polls renews it too.

Readers whose browser accepts gzip get the page compressed, made once per page and version. Only
these shareable pages are compressed: they hold no secret and no per-reader token, so compression
gives nothing away (BREACH); pages for one reader (``/me/``, the admin) are sent as they are.

Each process keeps at most ``FRONT_CACHE_MAX_BYTES`` (the least recently used page goes first;
``DJANGO_FRONT_CACHE_MAX_MB``, 0 turns the front cache off).
"""

import gzip
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

from forum import caching

logger = logging.getLogger(__name__)

# Worth compressing: below this the headers outweigh what gzip saves.
GZIP_MIN_BYTES = 512
COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/javascript")
# Set on every stored answer, compressed or not: the two differ by Accept-Encoding.
SKIPPED_HEADERS = {"content-length", "content-encoding", "set-cookie"}
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


@dataclass(slots=True)
class Page:
    """One answer as it was sent: status, headers, body, and its gzip form when worth having."""

    generation: str
    until: float
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    gzipped: bytes | None
    etag: str | None
    last_modified: int | None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"") + 256

    def response(self, request) -> HttpResponse:
        compressed = self.gzipped is not None and accepts_gzip(request)
        body = self.gzipped if compressed else self.body
        response = HttpResponse(body, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        if compressed:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(body))
        if self.etag is None and self.last_modified is None:
            return response
        return get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified, response=response
        )


class PageStore:
    """The pages of this process, least recently used first, within a byte budget."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.pages: OrderedDict[tuple, Page] = OrderedDict()
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self.lock = threading.Lock()  # gunicorn may run threads (GUNICORN_THREADS)

    def get(self, key: tuple, generation: str, now: float) -> Page | None:
        with self.lock:
            page = self.pages.get(key)
            if page is None or page.generation != generation or page.until <= now:
                self.misses += 1
                return None
            self.pages.move_to_end(key)
            self.hits += 1
            return page

    def previous(self, key: tuple) -> Page | None:
        with self.lock:
            return self.pages.get(key)

    def put(self, key: tuple, page: Page) -> None:
        if page.size > self.max_bytes:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self.pages[key] = page
            self.bytes += page.size
            while self.bytes > self.max_bytes:
                _, dropped = self.pages.popitem(last=False)
                self.bytes -= dropped.size

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.bytes = self.hits = self.misses = 0


store = PageStore(max_bytes=settings.FRONT_CACHE_MAX_BYTES)


def accepts_gzip(request) -> bool:
    """Accept-Encoding names gzip (or ``*``) without ``q=0``."""
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if "gzip" not in header and "*" not in header:
        return False
    for item in header.split(","):
        coding, _, params = item.partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        quality = params.strip().lower().removeprefix("q=").strip()
        try:
            return not params.strip() or float(quality) > 0
        except ValueError:
            return False
    return False


def _key(request) -> tuple | None:
    # Host and scheme too: feeds and canonical links in a page are absolute.
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # the whole way, to its 400
    return (request.scheme, host, request.get_full_path())


def _compressible(response) -> bool:
    content_type = response.get("Content-Type", "")
    return len(response.content) >= GZIP_MIN_BYTES and content_type.startswith(COMPRESSIBLE)


def _page(request, response, generation: str, until: float, previous: Page | None) -> Page | None:
    """The answer as the front cache keeps it, or None if it must not be kept."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    ):
        return None
    body = response.content
    patch_vary_headers(response, ("Accept-Encoding",))
    gzipped = None
    if _compressible(response):
        # The same body as before (a new generation, an unchanged page): keep its gzip form.
        if previous is not None and previous.body == body and previous.gzipped is not None:
            gzipped = previous.gzipped
        else:
            gzipped = gzip.compress(body, compresslevel=6, mtime=0)
    last_modified = response.get("Last-Modified")
    return Page(
        generation=generation,
        until=until,
        status=response.status_code,
        headers=[(n, v) for n, v in response.items() if n.lower() not in SKIPPED_HEADERS],
        body=body,
        gzipped=gzipped,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
    )


class FrontCacheMiddleware:
    """Answer a repeated public GET from this process's memory (see the module's docstring).

    Placed right after WhiteNoise: static files never reach it, and SecurityMiddleware above it
    still adds its headers to every answer.
    """

    def __init__(self, get_response):
        if not settings.FRONT_CACHE_MAX_BYTES:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.PROGRAMME_VERSION_CACHE_SECONDS
            or request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
        ):
            return self.get_response(request)
        key = _key(request)
        if key is None:
            return self.get_response(request)
        previous = store.previous(key)
        if previous is not None:
            # A URL this process has sent as shareable: worth one read of the shared cache.
            try:
                generation = caching.current_generation()
            except Exception:
                # The shared cache is down: nothing can be taken as current; the views cope.
                logger.warning("the front cache could not read the generation", exc_info=True)
                return self.get_response(request)
            page = store.get(key, generation, time.time())
            if page is not None:
                return page.response(request)
            # Out of date: ask for the whole page, so that a poll (If-None-Match) renews it as
            # well as a plain GET would, and answer the poll from it below.
            conditional = {h: request.META.pop(h) for h in CONDITIONAL_HEADERS if h in request.META}
        else:
            conditional = {}

        response = self.get_response(request)
        request.META.update(conditional)
        shareable = getattr(request, "front_cache", None)
        if shareable is None:
            return response
        generation, until = shareable
        page = _page(request, response, generation, until, previous)
        if page is None:
            return response
        store.put(key, page)
        # The first reader gets what the next ones will: compressed if asked, 304 if it matches.
        return page.response(request)

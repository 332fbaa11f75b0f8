"""Public pages kept in each app process's memory and answered before Django is asked
(README: "The front cache"). It wraps the WSGI application (forum/wsgi.py); only answers the
views marked with ``public.caching.mark_shareable`` are kept, and only for readers without a
session, while the shared cache's write generation is the one they were made under."""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.utils.http import parse_etags, parse_http_date_safe

from public import caching

# Made again for each form of the page (plain, gzip, 304).
SKIPPED_HEADERS = {"content-length", "content-encoding"}
# A 304 carries no representation metadata (RFC 9110, 15.4.5).
NOT_IN_304 = {"content-type", "content-disposition", "content-language"}
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# Conditions this cache does not evaluate: such a request goes the whole way.
UNHANDLED = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
# What Django reads to tell the scheme, the host and the path: the key of a page.
KEY_ENVIRON = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)


@dataclass(slots=True)
class Page:
    """One answer as Django sent it, and its gzip form when worth having."""

    generation: str
    until: float
    headers: list[tuple[str, str]]
    body: bytes
    gzipped: bytes | None = None
    etag: str | None = None
    last_modified: int | None = None
    # Made once here, not on every answer.
    plain_headers: list[tuple[str, str]] = field(init=False, default_factory=list)
    gzip_headers: list[tuple[str, str]] = field(init=False, default_factory=list)
    not_modified_headers: list[tuple[str, str]] = field(init=False, default_factory=list)

    def __post_init__(self):
        self.plain_headers = [*self.headers, ("Content-Length", str(len(self.body)))]
        if self.gzipped is not None:
            self.gzip_headers = [
                *self.headers,
                ("Content-Encoding", "gzip"),
                ("Content-Length", str(len(self.gzipped))),
            ]
        self.not_modified_headers = [h for h in self.headers if h[0].lower() not in NOT_IN_304]

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"") + 1024

    def answer(self, environ, start_response):
        if self.not_modified(environ):
            start_response("304 Not Modified", self.not_modified_headers)
            return []
        if self.gzipped is not None and accepts_gzip(environ):
            start_response("200 OK", self.gzip_headers)
            return [self.gzipped]
        start_response("200 OK", self.plain_headers)
        return [self.body]

    def not_modified(self, environ) -> bool:
        """As Django's get_conditional_response decides for a GET (RFC 9110, 13.2.2)."""
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match:
            if self.etag is None:
                return False
            etags = parse_etags(if_none_match)
            # Weak comparison: the compressed and the plain page share their weak ETag.
            return "*" in etags or _opaque(self.etag) in {_opaque(tag) for tag in etags}
        if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if if_modified_since and self.last_modified is not None:
            since = parse_http_date_safe(if_modified_since)
            return since is not None and self.last_modified <= since
        return False


def _opaque(etag: str) -> str:
    return etag.removeprefix("W/")


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


def accepts_gzip(environ) -> bool:
    """Accept-Encoding names gzip (or ``*``) without ``q=0``."""
    header = environ.get("HTTP_ACCEPT_ENCODING", "")
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


def _key(environ) -> tuple | None:
    """The page's key, or None if this request must go the whole way."""
    if environ.get("REQUEST_METHOD") != "GET" or any(h in environ for h in UNHANDLED):
        return None
    if "HTTP_COOKIE" in environ:
        cookies = parse_cookie(environ["HTTP_COOKIE"])
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return None
    return tuple(environ.get(name) for name in KEY_ENVIRON)


def _vary_on_encoding(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    vary = [value for name, value in headers if name.lower() == "vary"]
    fields = [f.strip() for value in vary for f in value.split(",") if f.strip()]
    if "accept-encoding" not in {f.lower() for f in fields}:
        fields.append("Accept-Encoding")
    return [h for h in headers if h[0].lower() != "vary"] + [("Vary", ", ".join(fields))]


def _page(environ, status: str, headers, result, previous: Page | None) -> Page | None:
    """Django's answer as the front cache keeps it, or None if it must not be kept."""
    mark = environ.get(caching.FRONT_CACHE_MARK)
    if mark is None or not status.startswith("200 ") or not isinstance(result, HttpResponse):
        return None
    names = {name.lower(): value for name, value in headers}
    cache_control = names.get("cache-control", "")
    if (
        "set-cookie" in names
        or environ.get("CSRF_COOKIE_NEEDS_UPDATE")
        or "private" in cache_control
        or "no-store" in cache_control
        or "content-encoding" in names
    ):
        return None
    generation, until = mark
    body = result.content
    # Made once with the kept page (public.caching), or by the same body as before (a new
    # generation, an unchanged page), or here.
    gzipped = getattr(result, "gzipped", None)
    if gzipped is None and previous is not None and previous.body == body:
        gzipped = previous.gzipped
    if gzipped is None:
        gzipped = caching.gzipped(body, names.get("content-type", ""))
    last_modified = names.get("last-modified")
    return Page(
        generation=generation,
        until=until,
        headers=_vary_on_encoding([h for h in headers if h[0].lower() not in SKIPPED_HEADERS]),
        body=body,
        gzipped=gzipped,
        etag=names.get("etag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
    )


class FrontCache:
    """The WSGI application in front of Django's (see the module's docstring)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        key = None
        if store.max_bytes and settings.PROGRAMME_VERSION_CACHE_SECONDS:
            key = _key(environ)
        if key is None:
            return self.application(environ, start_response)
        previous = store.previous(key)
        put_aside = {}
        if previous is not None:
            # A URL this process has sent as shareable: worth one read of the shared cache.
            generation = caching.current_generation()
            if generation is None:
                # The shared cache does not answer: no kept page can be known current.
                return self.application(environ, start_response)
            page = store.get(key, generation, time.time())
            if page is not None:
                return page.answer(environ, start_response)
            # Out of date: ask for the whole page, so that a poll (If-None-Match) renews it as a
            # plain GET would, and answer the poll from it below.
            put_aside = {name: environ.pop(name) for name in CONDITIONAL if name in environ}

        sent = []

        def hold(status, headers, exc_info=None):
            sent[:] = [status, headers, exc_info]
            return lambda data: None  # Django never writes through it

        result = self.application(environ, hold)
        environ.update(put_aside)
        page = _page(environ, sent[0], sent[1], result, previous)
        if page is None:
            # Also when validators were put aside: a whole answer is always a right one.
            start_response(*sent)
            return result
        store.put(key, page)
        result.close()  # request_finished: Django's end of the request
        # The first reader gets what the next ones will: compressed if asked, 304 if it matches.
        return page.answer(environ, start_response)

"""Conditional requests and the shared cache of the public pages (README: "Feeds and caching")."""

import copy
import gzip
import hashlib
import pickle
import time
from functools import wraps
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from forum.cache import current_generation, new_generation, publish_generation
from forum.models import Forum
from forum.revision import REVISION
from public import prerender
from public.rules import answers_privately, reader_previews
from public.versioning import SiteVersion, figures_version, forum_with_version, site_version

# Browsers and proxies may show a page this old; our own entries are never stale.
PUBLIC_MAX_AGE = 60
# A page that follows the clock (the now page, the home page's "now" panel) is kept, by us and
# by browsers, this long at most.
MOMENT_SECONDS = 30
CACHE_TIMEOUT = 60 * 60 * 24
SEEN_TIMEOUT = 60 * 60 * 24 * 30
# After a change one worker renders a page; the others wait for it rather than render it too.
RENDER_LOCK_SECONDS = 30
RENDER_WAIT_SECONDS = 5
RENDER_POLL_SECONDS = 0.005
# What a page of every edition reads is kept while its site version may still be asked for in
# another language; a page made from it, while the same figures may be asked for again.
SITE_READS_TIMEOUT = 60 * 60
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
# Worth compressing: below this the headers outweigh what gzip saves.
GZIP_MIN_BYTES = 512
COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/javascript")

# Where mark_shareable leaves its word for public.front_cache: the request's WSGI environ.
FRONT_CACHE_MARK = "public.front_cache"


def programme_generation_bump() -> None:
    """Forget every cached programme version: the next request reads them from the database."""
    # While the cache is down this stores nothing (forum.cache), and nothing is served from it.
    publish_generation(new_generation())


def programme_changed(sender=None, using=None, **kwargs) -> None:
    """Receiver of the writes to the covered tables (public.apps). In a transaction, with the
    shared cache: the pages readers asked for lately are made at commit, then the change shown;
    readers keep the pages they have until then. Else now, and again at commit, since another
    server may have cached the old rows' version under the first new generation."""
    if prerender.enabled() and transaction.get_connection(using).in_atomic_block:
        prerender.publish_after_commit(using)
        return
    programme_generation_bump()
    transaction.on_commit(programme_generation_bump, using=using)


def mark_shareable(request, *, generation: str, until: float) -> None:
    """Let the front cache keep this public answer while the generation is ``generation`` and
    until ``until`` (epoch seconds): made from data read at most the version's lifetime before."""
    request.META[FRONT_CACHE_MARK] = (generation, until)


def _published_forum(year: int) -> Forum | None:
    """The published forum of a year with its version, from the cache while nothing changed;
    after a change one worker reads it, the others wait for it (``made_once``)."""
    seconds = settings.PROGRAMME_VERSION_CACHE_SECONDS
    generation = current_generation() if seconds else None
    if generation is None:
        return forum_with_version(year=year)

    def read():
        read_at = time.time()
        forum = forum_with_version(year=year)
        if forum is not None:
            forum.programme_last_modified = _last_modified(forum)
            forum.version_read = (generation, read_at)
        # False: no such forum, remembered too (a mistyped year costs no query either).
        return forum if forum is not None else False

    return made_once(f"programme-forum:{generation}:{year}", read, seconds) or None


def programme_forum(request, year: int) -> Forum:
    """The forum of ``year`` as this reader may see it, with its version; read once a request."""
    forum = getattr(request, "programme_forum", None)
    if forum is None or forum.year != year:
        if reader_previews(request):
            forum = forum_with_version(year=year, preview=True)
        else:
            forum = _published_forum(year)
        if forum is None:
            raise Http404
        request.programme_forum = forum
    return forum


def _etag(version: str, language: str, window: "Window | None" = None) -> str:
    # Weak: the same version reads the same, though absolute links follow the host asked.
    moment = f"-{window.index}" if window else ""
    return "W/" + quote_etag(f"{version}-{language}{moment}")


class Window:
    """The stretch of MOMENT_SECONDS that a page following the clock is made for and kept in."""

    def __init__(self, now: float):
        self.index = int(now // MOMENT_SECONDS)
        self.starts = self.index * MOMENT_SECONDS
        self.ends = self.starts + MOMENT_SECONDS

    def seconds_left(self, now: float) -> int:
        return max(1, int(self.ends - now))


def _last_modified(forum: Forum) -> int:
    """The newest row, or when this version was first served: a deletion moves no row."""
    first_served = cache.get_or_set(
        f"programme-seen:{forum.pk}:{forum.programme_version}", int(time.time()), SEEN_TIMEOUT
    )
    return max(int(forum.programme_changed_at.timestamp()), int(first_served))


def page_reads(*names: str):
    """Declare the query parameters a cached view reads: its page is keyed by those alone, and
    any other (``?utm_source=…``, a cache-busting ``?r=…``) gets the same page, made as if it
    were not there. A view that declares nothing is keyed by its whole query string."""

    def declare(view):
        view.page_reads = frozenset(names)
        return view

    return declare


def page_version(version_of):
    """Declare what a cached view's page is made of, narrower than its forum:
    ``version_of(forum, **kwargs)`` gives the version of what it shows (an event page: that
    event's), or None for the forum's. Its page and ETag then outlive edits to the rest of the
    forum."""

    def declare(view):
        view.page_version = version_of
        return view

    return declare


def _page_version(view, forum: Forum, kwargs: dict) -> str:
    version_of = getattr(view, "page_version", None)
    version = version_of(forum, **kwargs) if version_of else None
    return version or forum.programme_version


def _page_query(request, view) -> str | None:
    """The query string the page is made for: the declared parameters, as asked (in their order:
    the language switcher keeps the query), or None when the view declared nothing (its whole
    query string counts)."""
    reads = getattr(view, "page_reads", None)
    if reads is None:
        return None
    query = request.META.get("QUERY_STRING", "")
    return "&".join(
        pair for pair in query.split("&") if pair and unquote_plus(pair.split("=")[0]) in reads
    )


def _as_asked_for(request, query: str | None):
    """The request the page is made from: this one, or, if its query string holds more than the
    page reads, a copy without the rest (so no link on the page carries it)."""
    if query is None or query == request.META.get("QUERY_STRING", ""):
        return request
    page_request = copy.copy(request)
    page_request.META = {**request.META, "QUERY_STRING": query}
    page_request.GET = QueryDict(query)
    return page_request


def url_hash(request) -> str:
    # The whole URL, host and scheme included: feeds and canonical links are absolute.
    return hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]


def _cache_key(request, forum: Forum, version: str, language: str, window=None) -> str:
    moment = f":{window.index}" if window else ""
    # "-2": servers of the release before (a rolling restart) keep their entries without gzip.
    return f"programme-page-2:{forum.pk}:{version}:{language}{moment}:{url_hash(request)}"


def _is_shareable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # get_token() was called: the page holds this reader's CSRF token.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _rendered(view, request, *args, **kwargs):
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


def gzipped(body: bytes, content_type: str) -> bytes | None:
    """The body as gzip sends it, if worth compressing."""
    if len(body) >= GZIP_MIN_BYTES and content_type.startswith(COMPRESSIBLE):
        return gzip.compress(body, compresslevel=6, mtime=0)
    return None


def _stored(response, *extra) -> tuple:
    """What is kept of a shareable page: its gzip form too, made once here for every app process's
    front cache rather than by each (``response.gzipped``)."""
    headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
    response.gzipped = gzipped(response.content, response.get("Content-Type", ""))
    return (response.status_code, response.content, headers, response.gzipped, *extra)


def _restored(status: int, content: bytes, headers: list, compressed: bytes | None) -> HttpResponse:
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response.gzipped = compressed
    return response


def _await_render(key: str):
    """The value another worker is making, once stored; None if it gives up or takes too long
    (then this worker makes it too)."""
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    # No lock (it is gone, or the cache does not answer): no one to wait for.
    while cache.has_key(f"{key}:rendering"):
        if time.monotonic() >= deadline:
            return None
        time.sleep(RENDER_POLL_SECONDS)
        stored = cache.get(key)
        if stored is not None:
            return stored
    return cache.get(key)


def made_once(key: str, make, timeout: int, *, kept=None, restored=None):
    """The value stored under ``key``, or made by ``make()`` and stored: one worker makes it at
    a time, the others wait for it (a page, a forum's version after a change). ``kept(value)``
    is what is stored of it (None: nothing), ``restored(stored)`` the value again."""
    stored = cache.get(key)
    if stored is None and not cache.add(f"{key}:rendering", 1, RENDER_LOCK_SECONDS):
        stored = _await_render(key)
    if stored is not None:
        return restored(stored) if restored else stored
    try:
        value = make()
        stored = kept(value) if kept else value
        if stored is not None:
            cache.set(key, stored, timeout)
        return value
    finally:
        cache.delete(f"{key}:rendering")


def _set_public_headers(response, etag: str, last_modified: int, max_age=PUBLIC_MAX_AGE) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=max_age)


def _set_private_headers(response):
    for header in ("ETag", "Last-Modified", "Expires"):
        if header in response:
            del response[header]
    response["Cache-Control"] = "private, no-store"
    return response


def _page_from_cache(key: str, render, timeout: int = CACHE_TIMEOUT) -> HttpResponse:
    """The page stored under ``key``, or rendered and stored once (one renderer at a time); an
    answer that may not be shared comes back as it is, never stored."""
    return made_once(
        key,
        render,
        timeout,
        kept=lambda response: _stored(response) if response.shareable else None,
        restored=lambda stored: _restored(*stored),
    )


def _versioned_answer(
    request, forum: Forum, render, *, moment: bool = False, page_request=None, version=None
) -> HttpResponse:
    """An anonymous reader's answer at this version (the forum's, or ``version`` of what the
    page shows; and, for a page that follows the clock, in this window of MOMENT_SECONDS): a
    304, the stored page, or a new one, kept under the URL ``page_request`` asks for (the query
    parameters the page reads)."""
    now = time.time()
    window = Window(now) if moment else None
    language = translation.get_language()
    version = version or forum.programme_version
    etag = _etag(version, language, window)
    last_modified = getattr(forum, "programme_last_modified", None) or _last_modified(forum)
    max_age, timeout = PUBLIC_MAX_AGE, CACHE_TIMEOUT
    if window:
        last_modified = max(last_modified, window.starts)
        max_age = timeout = window.seconds_left(now)
    key = _cache_key(page_request or request, forum, version, language, window)
    conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
    # Only a URL known to answer 200 at this version gets a 304: an unknown slug stays 404.
    if conditional and cache.has_key(key):
        answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if answer is not None:
            _set_public_headers(answer, etag, last_modified, max_age)
            return answer
    response = _page_from_cache(key, render, timeout)
    if response.status_code != 200 or getattr(response, "shareable", True) is False:
        # An error, a 404 or a page for this reader only: no validators.
        return _set_private_headers(response) if response.status_code == 200 else response
    answer = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    _set_public_headers(answer, etag, last_modified, max_age)
    version_read = getattr(forum, "version_read", None)
    # An address with parameters the page does not read is not kept in the front cache: each such
    # address would take a place of its own there (cache-busting, tracking parameters).
    as_asked = page_request is None or page_request is request
    if version_read is not None and answer.status_code == 200 and as_asked:
        generation, read_at = version_read
        until = read_at + settings.PROGRAMME_VERSION_CACHE_SECONDS
        mark_shareable(
            request, generation=generation, until=min(until, window.ends) if window else until
        )
    return answer


def _shareable_render(view, request, *args, **kwargs):
    def render():
        response = _rendered(view, request, *args, **kwargs)
        response.shareable = _is_shareable(request, response)
        if response.shareable:
            prerender.remember(request)
        return response

    return render


def conditional_programme(view, *, moment: bool = False):
    """Wrap a view that takes ``year``: ETag, Last-Modified, 304s and the shared cache; with
    ``moment``, for a page that follows the clock, each kept MOMENT_SECONDS at most."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        forum = programme_forum(request, kwargs["year"])
        if answers_privately(request):
            return _set_private_headers(view(request, *args, **kwargs))
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        page_request = _as_asked_for(request, _page_query(request, view))
        render = _shareable_render(view, page_request, *args, **kwargs)
        return _versioned_answer(
            request,
            forum,
            render,
            moment=moment,
            page_request=page_request,
            version=_page_version(view, forum, kwargs),
        )

    return wrapper


def shared_page(view):
    """Keep an anonymous reader's page in the shared cache while no write happened: for a page
    that shows what the version's tables hold but belongs to no forum (the home page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # The home page's "now at the forum" panel follows the clock: kept MOMENT_SECONDS at most.
        seconds = min(settings.PROGRAMME_VERSION_CACHE_SECONDS, MOMENT_SECONDS)
        if not seconds or request.method not in ("GET", "HEAD") or answers_privately(request):
            return view(request, *args, **kwargs)
        generation = current_generation()
        if generation is None:
            return view(request, *args, **kwargs)
        # "-3": servers of the releases before (a rolling restart) keep their entries of three
        # and four parts.
        key = ":".join(
            [
                "public-page-3",
                generation,
                translation.get_language(),
                timezone.localdate().isoformat(),
                url_hash(request),
            ]
        )
        stored = cache.get(key)
        if stored is not None:
            *page, made_at = stored
            mark_shareable(request, generation=generation, until=made_at + seconds)
            return _restored(*page)
        made_at = time.time()
        response = _rendered(view, request, *args, **kwargs)
        if _is_shareable(request, response):
            cache.set(key, _stored(response, made_at), seconds)
            prerender.remember(request)
            mark_shareable(request, generation=generation, until=made_at + seconds)
        return response

    return wrapper


def _site_version() -> SiteVersion:
    """The site version, from the cache while nothing changed (as ``_published_forum``)."""
    seconds = settings.PROGRAMME_VERSION_CACHE_SECONDS
    generation = current_generation() if seconds else None
    if generation is None:
        return site_version()

    def read():
        read_at = time.time()
        found = site_version()
        found.programme_last_modified = _last_modified(found)
        found.version_read = (generation, read_at)
        return found

    return made_once(f"site-version:{generation}", read, seconds)


def kept_reads(name: str, version: str | None, read):
    """What a page of every edition reads at the site ``version`` (``conditional_site``), the
    same in every language: ``read()`` once for all of them. Without a version (a signed-in
    reader), read each time."""
    if version is None:
        return read()
    return made_once(f"{name}:{REVISION}:{version}", read, SITE_READS_TIMEOUT)


def site_version_of(request) -> str | None:
    """The site version a page of every edition is made at (``conditional_site``); None for a
    signed-in reader: nothing kept."""
    site = getattr(request, "site", None)
    return site.programme_version if site is not None else None


def figures_version_of(request) -> str | None:
    """The version of what the pages of figures read (``public.versioning.figures_version``),
    read once per site version; None for a signed-in reader (``conditional_site``): nothing kept."""
    site = getattr(request, "site", None)
    if site is None:
        return None
    return kept_reads("figures-version", site.programme_version, lambda: figures_version(site))


def digest_of(value) -> str:
    """What a page is made from, as a digest: a page made from the same is the same page, at
    whatever site version (an event's new title moves the version, not one count)."""
    return hashlib.sha256(pickle.dumps(value, protocol=5)).hexdigest()[:32]


def made_from(request, kind: str, digest: str | None, make) -> str:
    """The page of ``kind`` that ``make()`` makes from what has ``digest`` (``digest_of``), in
    the active language, for this URL: made once and kept, so an edit that changes nothing of
    what it shows makes no new page. Without a digest (a preview), made each time."""
    if digest is None:
        return make()
    key = f"{kind}-page:{REVISION}:{translation.get_language()}:{digest}:{url_hash(request)}"
    return made_once(key, make, SITE_READS_TIMEOUT)


def conditional_site(view):
    """``conditional_programme`` for a page of every edition (statistics, regions, search, the
    API, the sitemap): ETag, Last-Modified, 304s and the shared cache, keyed by the site version."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if answers_privately(request):
            return _set_private_headers(view(request, *args, **kwargs))
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = _site_version()
        # What the view reads may be shared at this version by the page in every language
        # (``site_version_of``, ``figures_version_of``).
        request.site = version
        page_request = _as_asked_for(request, _page_query(request, view))
        return _versioned_answer(
            request,
            version,
            _shareable_render(view, page_request, *args, **kwargs),
            page_request=page_request,
        )

    return wrapper

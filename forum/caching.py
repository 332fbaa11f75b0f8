"""Conditional requests and the shared cache for the public programme, event, registry and feeds.

``conditional_programme(view)`` wraps a view whose URL has the forum's ``year``:

1. It finds the forum of the year (published only; staff may preview drafts) and its programme
   version in ONE query (``forum.versioning``), or raises Http404. The forum is left on
   ``request.programme_forum`` so the view need not read it again.
2. Signed-in readers (staff previewing drafts, delegates) get the view's own response with
   ``Cache-Control: private, no-store``: never an ETag, never the shared cache.
3. Everyone else is answered from Django's default cache (local memory in development, Redis
   with ``REDIS_URL``: shared by every app server), keyed by forum, version, language and full
   URL, so it is never stale: a new version is a new key. A miss runs the view and stores its
   response if it is public: a 200 that sets no cookie and used no CSRF token.
4. A stored response carries an ``ETag`` (weak; the version and the language) and a
   ``Last-Modified``; a request whose ``If-None-Match`` or ``If-Modified-Since`` matches gets 304,
   so a poll costs that one query. ``Cache-Control: public, max-age=60`` lets browsers and
   proxies keep a page a minute.

Last-Modified: a deletion moves no ``updated_at``, so the header is the later of the newest
``updated_at`` and the moment this version was first served (remembered in the cache).

The version itself is kept in the shared cache too (``PROGRAMME_VERSION_CACHE_SECONDS``, 2 by
default; 0 reads it from the database on every request, as the test settings do), under a
*generation* that every ORM write to a table the version covers replaces (``save()``,
``delete()``, many-to-many changes: see ``forum.apps``), at once and again when the transaction
commits. So a warm page costs no SQL at all, an edit through the admin, an import or a service is
seen at once by every app server, and a write that sends no signal (``QuerySet.update()``,
``bulk_create()``, raw SQL, another program) is seen within those seconds.

In front of all this, each app process keeps the public answers these wrappers mark with
``mark_shareable`` and answers their repeats before Django is asked (``forum.front_cache``).
"""

import functools
import hashlib
import logging
import secrets
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from forum.models import Forum
from forum.public import reader_previews
from forum.versioning import forum_with_version

logger = logging.getLogger(__name__)

# Short: a proxy or browser may show a page up to this old; our own cache is never stale.
PUBLIC_MAX_AGE = 60
# Entries are keyed by version, so they never go stale; this only bounds what is kept.
CACHE_TIMEOUT = 60 * 60 * 24
SEEN_TIMEOUT = 60 * 60 * 24 * 30
# One worker renders a page after a change; the others asking for it meanwhile wait this long
# at most, looking every RENDER_POLL_SECONDS, instead of rendering it too (a 120-event programme
# takes a few hundred milliseconds; at 9:00 every worker of every server would ask at once).
RENDER_LOCK_SECONDS = 30
RENDER_WAIT_SECONDS = 5
RENDER_POLL_SECONDS = 0.02
# What a cached response keeps besides its body.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def is_private_reader(request) -> bool:
    """A signed-in reader: their pages may differ (drafts, their own data), so nothing is shared."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


GENERATION_KEY = "programme-generation"
# Where mark_shareable leaves its word for forum.front_cache: the WSGI environ of the request.
FRONT_CACHE_MARK = "forum.front_cache"
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def _new_generation() -> int:
    # An integer: Django's Redis cache stores it as its digits, which _redis_generation reads.
    return secrets.randbits(62)


def programme_generation_bump() -> None:
    """Forget every cached programme version: the next request reads them from the database."""
    try:
        cache.set(GENERATION_KEY, _new_generation(), None)
    except Exception:
        # The cache is down: nothing is served from it either, and an edit must still save.
        logger.warning("the programme's cache generation could not be replaced", exc_info=True)


def programme_changed(sender=None, using=None, **kwargs) -> None:
    """Receiver of the write signals of every table the version covers (see forum.apps).

    Now, for this process and its transaction; again after the commit, because another app
    server may have read the old rows and cached their version under the first new generation.
    """
    programme_generation_bump()
    transaction.on_commit(programme_generation_bump, using=using)


def mark_shareable(request, *, generation: str, until: float) -> None:
    """Let ``forum.front_cache`` keep this request's answer in the memory of the process that
    made it, while the write generation is still ``generation`` and until ``until`` (seconds since
    the epoch).

    Only for a public answer, the same for every reader who is not signed in, made under that
    generation from data read at ``until - PROGRAMME_VERSION_CACHE_SECONDS`` or later (so that a
    write sending no signal still shows within that time).
    """
    request.META[FRONT_CACHE_MARK] = (generation, until)


@functools.cache
def _redis_client(location: str):
    import redis

    return redis.Redis.from_url(location, socket_connect_timeout=2, socket_timeout=2)


def _redis_generation() -> int | None:
    """The generation straight from Redis, on one long-lived connection: half the time of
    ``cache.get()``, which makes a new client for every call (this runs on every request the
    front cache answers)."""
    data = _redis_client(settings.CACHES["default"]["LOCATION"]).get(cache.make_key(GENERATION_KEY))
    if data is None:
        return None
    try:
        return int(data)
    except ValueError:
        # Left by an older release (a string, pickled): replaced once by an integer.
        programme_generation_bump()
        return cache.get(GENERATION_KEY)


def current_generation() -> str:
    """The write generation now: a new one after every write to what the version covers."""
    on_redis = settings.CACHES["default"]["BACKEND"] == REDIS_BACKEND
    generation = _redis_generation() if on_redis else cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    return str(generation)


def _published_forum(year: int) -> Forum | None:
    """The published forum of a year with its version, from the cache while nothing changed."""
    seconds = settings.PROGRAMME_VERSION_CACHE_SECONDS
    if not seconds:
        return forum_with_version(year=year)
    generation = current_generation()
    key = f"programme-forum:{generation}:{year}"
    found = cache.get(key)
    if found is None:
        read_at = time.time()
        forum = forum_with_version(year=year)
        if forum is not None:
            forum.programme_last_modified = _last_modified(forum)
            # What the front cache needs to know how long a page of this version may be kept.
            forum.version_read = (generation, read_at)
        # False: no such forum, remembered as well (a mistyped year costs no query either).
        found = forum if forum is not None else False
        cache.set(key, found, seconds)
    return found or None


def programme_forum(request, year: int) -> Forum:
    """The forum of ``year`` as this reader may see it, with its version; read once per request."""
    forum = getattr(request, "programme_forum", None)
    if forum is None or forum.year != year:
        if reader_previews(request):
            forum = forum_with_version(year=year, include_drafts=True)
        else:
            forum = _published_forum(year)
        if forum is None:
            raise Http404
        request.programme_forum = forum
    return forum


def _etag(forum: Forum, language: str) -> str:
    # Weak: the same version reads the same, though absolute links follow the host asked.
    return "W/" + quote_etag(f"{forum.programme_version}-{language}")


def _last_modified(forum: Forum) -> int:
    """Seconds since the epoch: the newest row, or when this version was first served."""
    first_served = cache.get_or_set(
        f"programme-seen:{forum.pk}:{forum.programme_version}", int(time.time()), SEEN_TIMEOUT
    )
    return max(int(forum.programme_changed_at.timestamp()), int(first_served))


def _cache_key(request, forum: Forum, language: str) -> str:
    # The whole URL, host and scheme included: feeds and canonical links are absolute.
    path = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"programme-page:{forum.pk}:{forum.programme_version}:{language}:{path}"


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


def _await_render(key: str):
    """The page another worker is rendering, once stored; None if it gave up or takes too long
    (then this worker renders it too)."""
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        stored = cache.get(key)
        if stored is not None:
            return stored
        if not cache.has_key(f"{key}:rendering"):
            return cache.get(key)
    return None


def _set_public_headers(response, etag: str, last_modified: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)


def _set_private_headers(response) -> None:
    for header in ("ETag", "Last-Modified", "Expires"):
        if header in response:
            del response[header]
    response["Cache-Control"] = "private, no-store"


def conditional_programme(view):
    """Wrap a view that takes ``year``: ETag, Last-Modified, 304s and the shared cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        forum = programme_forum(request, kwargs["year"])
        if is_private_reader(request):
            response = view(request, *args, **kwargs)
            _set_private_headers(response)
            return response
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)

        language = translation.get_language()
        etag = _etag(forum, language)
        last_modified = getattr(forum, "programme_last_modified", None) or _last_modified(forum)
        key = _cache_key(request, forum, language)
        conditional = (
            "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
        )
        # A poll: answer 304 from the validators alone, without fetching the stored body.
        if conditional and cache.has_key(key):
            answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if answer is not None:
                _set_public_headers(answer, etag, last_modified)
                return answer
        stored = cache.get(key)
        if stored is None and not cache.add(f"{key}:rendering", 1, RENDER_LOCK_SECONDS):
            # Another worker (on any app server) is rendering this page at this version right
            # now, after an edit: wait for its result rather than render it again.
            stored = _await_render(key)
        if stored is None:
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                if not _is_shareable(request, response):
                    # An error, a 404 (unknown slug) or a page for this reader only: no
                    # validators.
                    if response.status_code == 200:
                        _set_private_headers(response)
                    return response
                headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
                cache.set(key, (response.status_code, response.content, headers), CACHE_TIMEOUT)
            finally:
                cache.delete(f"{key}:rendering")
        else:
            status, content, headers = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
        # Only a URL known to answer 200 at this version gets a 304: an unknown slug stays 404
        # whatever validators it is sent with.
        answer = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        _set_public_headers(answer, etag, last_modified)
        version_read = getattr(forum, "version_read", None)
        if version_read is not None and answer.status_code == 200:
            generation, read_at = version_read
            seconds = settings.PROGRAMME_VERSION_CACHE_SECONDS
            mark_shareable(request, generation=generation, until=read_at + seconds)
        return answer

    return wrapper


def shared_page(view):
    """Keep an anonymous reader's page in the shared cache while no write happened.

    For pages that show only what the version's tables hold but belong to no single forum (the
    home page: every edition, and which is current today). Keyed by the write generation, the
    language, the date and the full URL; kept ``PROGRAMME_VERSION_CACHE_SECONDS`` at most (writes
    that send no signal show within that time). Signed-in readers get the view's own answer.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PROGRAMME_VERSION_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or is_private_reader(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
        generation = current_generation()
        key = ":".join(
            [
                # "-2": the entry now holds when it was made; servers of the release before
                # (during a rolling restart) keep reading and writing the old three-part entries.
                "public-page-2",
                generation,
                translation.get_language(),
                timezone.localdate().isoformat(),
                path,
            ]
        )
        stored = cache.get(key)
        if stored is not None:
            status, content, headers, made_at = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            mark_shareable(request, generation=generation, until=made_at + seconds)
            return response
        made_at = time.time()
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _is_shareable(request, response):
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            cache.set(key, (response.status_code, response.content, headers, made_at), seconds)
            mark_shareable(request, generation=generation, until=made_at + seconds)
        return response

    return wrapper

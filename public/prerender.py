"""Pages made before a change is shown (README: "Pages made before a change is shown"): at the
commit of a transaction that changed what public pages show, the pages readers asked for lately
are made under a new generation no one reads yet, then that generation is published. Readers
find them made; the change still shows on the first request after the commit."""

import functools
import io
import logging
import threading
import time
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import connections, transaction

from delegates.page import ASKED_KEY, renew_asked_for
from forum.cache import (
    asked_for_lately,
    new_generation,
    note_asked_for,
    prerendering,
    publish_generation,
    unpublished_generation,
)

logger = logging.getLogger(__name__)

RECENT_KEY = "pages-asked-for"


def enabled() -> bool:
    return prerendering()


def remember(request) -> None:
    """Note the address of a shareable page a reader's request made (not one made here)."""
    if not getattr(request, "made_on_demand_only", False):
        note_asked_for(RECENT_KEY, request.build_absolute_uri())


def on_demand_only(request) -> None:
    """Leave what this request makes out of the pages made before a change: the API's answers,
    which programs poll (the largest costs as much as ten pages to make) and whose throttle would
    count the requests made here."""
    request.made_on_demand_only = True


def recent_pages() -> list[str]:
    return asked_for_lately(RECENT_KEY)


def publish_after_commit(using=None) -> None:
    """Make the recent pages and publish a new generation at the commit of the transaction
    open on ``using``: once for the transaction, however many writes it holds."""
    connection = transaction.get_connection(using)
    if not any(callback is _publish for _ids, callback, *_ in connection.run_on_commit):
        # Robust: the change is committed; a failure here must not fail the saving request.
        transaction.on_commit(_publish, using=using, robust=True)


def _publish() -> None:
    # Taken before anything is read: a change committed before it is in what is read after it.
    ticket = cache.change_ticket()
    addresses, delegates = recent_pages(), asked_for_lately(ASKED_KEY)
    if ticket is None or not (addresses or delegates):
        publish_generation(new_generation())
        return
    made = {}
    # A thread of its own: the pages' requests set the language, the history's request and the
    # database connection of their thread, and the saving request's must stay as they are.
    worker = threading.Thread(
        target=_make_pages, args=(addresses, made, delegates), name="prerender"
    )
    worker.start()
    worker.join()
    generation = made.get("generation")
    if generation is None:
        publish_generation(new_generation())
    else:
        # Not published if a newer change was: what was read for it holds this one too.
        publish_generation(int(generation), ticket)


def _make_pages(addresses: list[str], made: dict, delegates: list[str]) -> None:
    deadline = time.monotonic() + settings.PRERENDER_SECONDS
    try:
        with unpublished_generation() as generation:
            made["generation"] = generation
            # The delegates' own pages first: each is read by its delegate alone, and made again
            # by that delegate's next request if not here.
            try:
                renew_asked_for(delegates, deadline)
            except Exception:
                logger.exception("could not make the delegates' pages before publishing a change")
            for address in addresses:
                if time.monotonic() >= deadline:
                    break
                try:
                    _handler().get_response(_request(address))
                except Exception:
                    # Made on demand instead, as without this step.
                    logger.exception("could not make %s before publishing a change", address)
    finally:
        connections.close_all()


@functools.cache
def _handler() -> BaseHandler:
    handler = BaseHandler()
    handler.load_middleware()
    return handler


def _request(address: str) -> WSGIRequest:
    """A reader's anonymous GET of ``address`` as the WSGI server hands it to Django."""
    parts = urlsplit(address)
    secure = parts.scheme == "https"
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(parts.path).decode("iso-8859-1"),
        "QUERY_STRING": parts.query,
        "HTTP_HOST": parts.netloc,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    header = settings.SECURE_PROXY_SSL_HEADER
    if header and secure:
        environ[header[0]] = header[1]
    return WSGIRequest(environ)

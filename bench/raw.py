"""The raw WSGI ceiling of `make bench` and `make bench-peer`: no Django, a constant body.

Served by the same gunicorn configuration as the site (deploy/gunicorn.conf.py), it is what this
machine, this server and wrk can do at all. ``GET /?bytes=N`` answers N bytes (made once per size
and kept), so a page can be set beside a body of its own size; without ``bytes``, RAW_BODY_BYTES
(default 2, as the trivial Django view).
"""

import os
from urllib.parse import parse_qs

LIMIT = 16 * 2**20
_bodies: dict[int, bytes] = {}


def body_size(query_string: str, default: int) -> int:
    """The size asked for, within 0..LIMIT; the default for a missing or bad value."""
    try:
        size = int(parse_qs(query_string).get("bytes", [default])[0])
    except ValueError:
        return default
    return size if 0 <= size <= LIMIT else default


def body(size: int) -> bytes:
    if size not in _bodies:
        _bodies[size] = (b"raw wsgi ceiling\n" * (size // 17 + 1))[:size]
    return _bodies[size]


def application(environ, start_response):
    size = body_size(environ.get("QUERY_STRING", ""), int(os.environ.get("RAW_BODY_BYTES", 2)))
    payload = body(size)
    start_response(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(payload)))],
    )
    return [payload]

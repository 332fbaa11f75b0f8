"""gunicorn's configuration for the Forum of Regions: production and `make bench` alike.

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py forum.wsgi:application

Everything a deployment changes comes from the environment (README, "Operations"):

    GUNICORN_BIND      address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 in a container)
    GUNICORN_WORKERS   worker processes (default 2: one per core of a small machine)
    GUNICORN_THREADS   threads per worker (default 1: sync workers)
    GUNICORN_TIMEOUT   seconds before a stuck worker is restarted (default 60: an import of tens
                       of thousands of rows runs inside its request)
    GUNICORN_MAX_REQUESTS  recycle a worker after this many requests (default 0: never)

Logs go to standard output, one line per event in key=value form. Every record a worker makes,
the access log's included, is cleaned when it is made (forum.logging, installed when the worker
loads Django, before its first request): a personal link's, calendar feed's or password-reset
link's secret is logged as [redacted], and control characters in the path, query, referer and
user agent as escapes (a path with %0A cannot forge a line); the access log's values have their
backslashes and double quotes escaped too (forum.gunicorn.Logger), so none closes its quotes early.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


wsgi_app = "forum.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# gunicorn 27's control socket sits in the user's home, one path for every server of that user:
# a second server on the host (a rolling restart, `make bench`) would take the first one's.
control_socket_disable = True
# The proxy in front terminates TLS and sets X-Forwarded-Proto (settings trust it with DEBUG=0).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

logger_class = "forum.gunicorn.Logger"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# key=value; %(U)s is the path without the query, %(M)s the time taken in milliseconds.
access_log_format = (
    'type=access remote=%(h)s method=%(m)s path="%(U)s" query="%(q)s" status=%(s)s '
    'bytes=%(B)s ms=%(M)s referer="%(f)s" agent="%(a)s"'
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "keyvalue": {
            "format": "time=%(asctime)s level=%(levelname)s logger=%(name)s pid=%(process)d "
            "%(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "keyvalue"},
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "keyvalue",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}

"""gunicorn's configuration for the Forum of Regions: production and `make bench` alike.

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py forum.wsgi:application

Everything a deployment changes comes from the environment (README, "Operations"):

    GUNICORN_BIND      address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 in a container)
    GUNICORN_WORKERS   worker processes (default 2: one per core of a small machine)
    GUNICORN_THREADS   threads per worker (default 1: sync workers)
    GUNICORN_TIMEOUT   seconds before a stuck worker is restarted (default 60: an import of tens
                       of thousands of rows runs inside its request)
    GUNICORN_MAX_REQUESTS  recycle a worker after this many requests (default 0: never)

Logs go to standard output, one line per event in key=value form. The access log's path and
request line pass through delegates.logging.RedactAccessLinks (added to the "gunicorn.access"
logger when Django starts, see delegates/apps.py), so a personal link's token is logged as
[redacted].
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
# The proxy in front terminates TLS and sets X-Forwarded-Proto (settings trust it with DEBUG=0).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

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

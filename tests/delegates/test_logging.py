import logging

import pytest

from delegates.services import delegate_link_issue
from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def captured():
    """The formatted lines the request, server and gunicorn loggers pass to their handlers."""
    handler = Capture()
    names = ("django.request", "django.server", "gunicorn.access")
    for name in names:
        logging.getLogger(name).addHandler(handler)
    yield handler.lines
    for name in names:
        logging.getLogger(name).removeHandler(handler)


def test_a_refused_link_is_logged_without_its_token(client, captured):
    delegate = DelegateFactory()
    token = delegate_link_issue(delegate=delegate)
    delegate_link_issue(delegate=delegate)  # the first token is now stale

    client.get(f"/ru/me/link/{token}/")

    assert captured, "the 410 is logged by django.request"
    assert all(token not in line for line in captured)
    assert any("/ru/me/link/[redacted]" in line for line in captured)


def test_the_development_server_logs_request_lines_without_tokens(captured):
    # django.core.servers.basehttp.WSGIRequestHandler.log_message logs this way.
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /be/me/link/eyJkIjo1fQ:1tXyZ:s1gnature/ HTTP/1.1", "302", "0"
    )

    assert captured == ['"GET /be/me/link/[redacted]/ HTTP/1.1" 302 0']


def test_the_calendar_and_password_reset_secrets_are_redacted(captured):
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /ru/me/calendar/Zm9vYmFy.ics HTTP/1.1", "200", "9"
    )
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /ru/accounts/reset/MQ/c1k3-0123abcd/ HTTP/1.1", "302", "0"
    )

    assert captured == [
        '"GET /ru/me/calendar/[redacted] HTTP/1.1" 200 9',
        '"GET /ru/accounts/reset/[redacted]/ HTTP/1.1" 302 0',
    ]


def test_gunicorns_access_log_is_redacted_too(captured):
    # gunicorn logs its access line with a mapping of atoms.
    logging.getLogger("gunicorn.access").info(
        '%(h)s "%(r)s" %(s)s',
        {"h": "10.0.0.1", "r": "GET /en/me/link/abc:def:ghi/ HTTP/1.1", "s": "302"},
    )

    assert captured == ['10.0.0.1 "GET /en/me/link/[redacted]/ HTTP/1.1" 302']

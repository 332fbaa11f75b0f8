import logging

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from delegates.services import delegate_link_issue, delegate_user_ensure
from forum.gunicorn import QuotedAtoms
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


class Everything(logging.Handler):
    """Every record any logger makes, as a handler writes it (message and traceback)."""

    def __init__(self):
        super().__init__()
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def every_line():
    handler = Everything()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def secret_addresses() -> tuple[list[str], list[str]]:
    """The three kinds of secret address, each with its secrets."""
    delegate = DelegateFactory(calendar_secret="Cal3ndarS3cret-xyz")
    token = delegate_link_issue(delegate=delegate)
    user = delegate_user_ensure(delegate=delegate)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset = default_token_generator.make_token(user)
    paths = [
        f"/ru/me/link/{token}/",
        f"/be/me/calendar/{delegate.calendar_secret}.ics",
        f"/en/accounts/reset/{uid}/{reset}/",
    ]
    return paths, [token, delegate.calendar_secret, reset]


def test_posting_to_each_secret_address_leaves_its_secret_in_no_log_line(every_line):
    paths, secrets = secret_addresses()
    browser = Client(enforce_csrf_checks=True)

    for path in paths:
        browser.post(path, {"x": "1"}, HTTP_REFERER=f"https://elsewhere.example{path}")
        browser.get(path + "nonsense/")
        browser.put(path)

    assert len(every_line) >= 9, "each refusal is logged"
    for line in every_line:
        for secret in secrets:
            assert secret not in line, line
    redacted = "\n".join(every_line)
    for kind in ("/me/link/[redacted]", "/me/calendar/[redacted]", "/accounts/reset/[redacted]"):
        assert kind in redacted
    # The CSRF refusal names the path (its logger is not django.request).
    assert any(line.startswith("django.security.csrf") for line in every_line)


def test_a_traceback_mentioning_a_secret_address_is_redacted(every_line):
    try:
        raise ValueError("while answering /ru/me/link/eyJkIjo1fQ:1tXyZ:s1gnature/")
    except ValueError:
        logging.getLogger("forum.anything").exception("failed")

    assert "s1gnature" not in every_line[-1]
    assert "/ru/me/link/[redacted]" in every_line[-1]


def test_control_characters_a_request_brings_are_escaped_in_the_request_logs(client, every_line):
    # Django's request log (Django escapes the path itself; not twice) ...
    client.get("/ru/nowhere%0Atime=2026 level=INFO forged%00line%1b[31m/")
    # ... and a request line as the development server logs it, raw.
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /ru/x\ntime=2026 forged\x00\x1b[2J\x85 HTTP/1.1", "404", "0"
    )

    assert len(every_line) == 2
    for line in every_line:
        assert not any(char in line for char in "\n\x00\x1b\x85"), line
    request, server = every_line
    assert request.endswith(
        "Not Found: /ru/nowhere\\ntime=2026 level=INFO forged\\x00line\\x1b[31m/"
    )
    assert server.endswith('"GET /ru/x\\x0atime=2026 forged\\x00\\x1b[2J\\x85 HTTP/1.1" 404 0')


def test_a_quote_or_a_backslash_cannot_close_a_value_of_the_access_log_early(every_line):
    atoms = QuotedAtoms({"U": "/ru/x\\", "a": 'agent" status=500 \x85', "s": "404"})

    logging.getLogger("gunicorn.access").info('path="%(U)s" agent="%(a)s" status=%(s)s', atoms)

    assert every_line[-1].endswith('path="/ru/x\\\\" agent="agent\\" status=500 \\x85" status=404')

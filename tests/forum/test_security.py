import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings

from delegates.services import delegate_user_ensure
from forum.security import client_ip_address
from tests.factories import DelegateFactory

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="forum.example.org",
        DJANGO_SETTINGS_MODULE="forum.settings",
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_passwords_are_hashed_with_argon2_and_older_hashes_still_read():
    # The project's settings, not the tests' (which hash with MD5 for speed).
    from forum import settings as project

    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in project.PASSWORD_HASHERS


def test_argon2_is_installed():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    assert hasher.verify("secret", hasher.encode("secret", hasher.salt()))


CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}


def csp_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ru/", "/ru/accounts/login/", "/admin/login/", "/ru/me/"])
def test_every_page_sends_the_security_headers(client, path):
    response = client.get(path, follow=True)

    policy = csp_of(response)
    for directive, value in CSP_DIRECTIVES.items():
        assert policy[directive] == value
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.IGNORECASE)
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.IGNORECASE | re.S)


@pytest.mark.django_db
def test_our_pages_and_the_admin_have_no_inline_script_or_style_and_csrf_in_every_form(
    client, editor
):
    from tests.factories import AssignmentFactory, EventFactory

    delegate = DelegateFactory()
    event = EventFactory()
    AssignmentFactory(delegate=delegate, event=event)
    anonymous_pages = [
        "/ru/",
        "/ru/accounts/login/",
        "/ru/accounts/password-reset/",
        "/admin/login/",
    ]
    staff_pages = [
        "/admin/",
        "/admin/events/event/",
        f"/admin/events/event/{event.pk}/change/",
        "/admin/delegates/delegate/add/",
        "/ru/me/",
    ]
    bodies = [client.get(path).content.decode() for path in anonymous_pages]
    client.force_login(editor)
    bodies += [client.get(path).content.decode() for path in staff_pages]
    client.force_login(delegate_user_ensure(delegate=delegate))
    bodies.append(client.get("/ru/me/").content.decode())

    for body in bodies:
        assert not INLINE_SCRIPT.search(body)
        assert not INLINE_STYLE.search(body)
        for form in POST_FORM.findall(body):
            assert 'name="csrfmiddlewaretoken"' in form


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused():
    delegate = DelegateFactory(calendar_secret="keep-me")
    client = Client(enforce_csrf_checks=True)
    client.force_login(delegate_user_ensure(delegate=delegate))

    response = client.post("/ru/me/calendar/reset/")

    assert response.status_code == 403
    delegate.refresh_from_db()
    assert delegate.calendar_secret == "keep-me"


def request_from(remote_addr: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/admin/login/", **extra)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    request = request_from("203.0.113.9", forwarded="6.6.6.6")

    assert client_ip_address(request) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_client_is_the_address_it_appended():
    # The client sent "6.6.6.6" itself; our proxy appended the address it really saw.
    request = request_from("10.0.0.2", forwarded="6.6.6.6, 203.0.113.9")

    assert client_ip_address(request) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=2)
def test_behind_two_proxies_the_outer_ones_view_counts():
    request = request_from("10.0.0.3", forwarded="6.6.6.6, 203.0.113.9, 10.0.0.2")

    assert client_ip_address(request) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=2)
def test_a_short_forwarded_header_falls_back_to_the_connection():
    assert client_ip_address(request_from("10.0.0.3", forwarded="")) == "10.0.0.3"


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_or_style(client):
    from django.core.management import call_command

    from tests.public.pages import public_paths

    call_command("load_demo")

    for path in public_paths():
        body = client.get(path).content.decode()
        assert not INLINE_SCRIPT.search(body), path
        assert not INLINE_STYLE.search(body), path


@pytest.mark.django_db
def test_a_request_for_another_host_is_logged_in_one_line_without_a_traceback(client):
    # A scanner trying hosts would otherwise write a 15-line traceback per request.
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    security = logging.getLogger("django.security")
    security.addHandler(handler)
    try:
        response = client.get("/ru/", HTTP_HOST="evil.example")
    finally:
        security.removeHandler(handler)

    assert response.status_code == 400
    [record] = records
    assert "evil.example" in record.getMessage()
    assert record.exc_info is None and record.exc_text is None

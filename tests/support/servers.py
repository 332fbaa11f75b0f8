"""Two app servers on one PostgreSQL and Redis: what the tests that start them share (the
database's address, a cookie-keeping client, the admin's login and forms; the fixture that
skips without them is in tests/deploy/conftest.py)."""

import os
import re
from html.parser import HTMLParser

import requests
from django.db import connection

from bench.server import Server
from forum.settings import shared_cache

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/10"
SHARED_CACHE = {"default": shared_cache(REDIS_URL)}


def redis_problem() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {REDIS_URL} does not answer ({error})"
    return ""


def database_url() -> str:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    host = params["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{params['PORT'] or 5432}/{params['NAME']}"


class Browser:
    """Keeps and sends cookies itself: production cookies are Secure, which requests' cookie
    jar does not send over the plain HTTP these servers speak on 127.0.0.1."""

    def __init__(self):
        self.session = requests.Session()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.session.request(
            method, url, headers={"Cookie": cookie}, allow_redirects=False, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        self.session.cookies.clear()
        return response


class FormFields(HTMLParser):
    """The fields of the page's form with id ``form_id`` as a browser would submit them."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image"):
            checkable = attrs.get("type") in ("checkbox", "radio")
            if checkable and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value") or ("on" if checkable else "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def admin_session(server: Server, username: str, password: str) -> Browser:
    browser = Browser()
    login = server.base_url + "/admin/login/"
    browser.request("GET", login).raise_for_status()
    response = browser.request(
        "POST",
        login,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": "/admin/",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["Location"] == "/admin/"
    return browser


def admin_change(browser: Browser, url: str, changes: dict) -> None:
    """Open an admin change form, change some fields, save it, as a person would."""
    page = browser.request("GET", url)
    assert page.status_code == 200
    parser = FormFields("event_form")
    parser.feed(page.text)
    data = [(name, changes.get(name, value)) for name, value in parser.fields]
    assert any(name == "title_ru" for name, _value in data), "no title field in the form"
    response = browser.request("POST", url, data=data + [("_save", "Save")])
    errors = re.findall(
        r'<ul class="errorlist.*?</ul>|<p class="errornote">.*?</p>', response.text, re.S
    )
    assert response.status_code == 302, errors

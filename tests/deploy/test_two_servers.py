"""Two app servers, one truth: gunicorn twice on the same PostgreSQL and Redis.

The programme is changed through the admin of one server, as the secretariat does; the other
server shows the change at once, in the page, its ETag and the feeds.
"""

import os
import re
from html.parser import HTMLParser

import pytest
import requests
from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings

from bench.server import Server, collect_static, free_port, production_env
from tests.factories import DayFactory, EventFactory, ForumFactory

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/10"
SHARED_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "forum",
    }
}


def redis_problem() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {REDIS_URL} does not answer ({error})"
    return ""


@pytest.fixture
def shared_stack():
    """Skip outside CI where PostgreSQL or Redis is missing; in CI they must be there."""
    problem = ""
    if connection.vendor != "postgresql":
        problem = "two app servers share PostgreSQL: run with DATABASE_URL=postgres://…"
    else:
        problem = redis_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    with override_settings(CACHES=SHARED_CACHE):
        yield


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


def snapshot(base_url: str, year: int) -> dict:
    pages = {}
    for name in ("programme/", "programme.ics", "schedule.json"):
        response = requests.get(f"{base_url}/ru/{year}/{name}")
        assert response.status_code == 200
        # Feeds hold absolute links to the server asked: compare them without its address.
        pages[name] = (response.headers["ETag"], response.text.replace(base_url, "SERVER"))
    return pages


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_through_one_server_shows_at_once_on_the_other(shared_stack, tmp_path):
    forum = ForumFactory()
    event = EventFactory(day=DayFactory(forum=forum), title_ru="Секция до правки")
    # Hashed as production hashes (the test settings' MD5 is not among production's hashers).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        User.objects.create_superuser("chief", "chief@example.org", "a-long-pass-phrase")
    env = production_env(
        database_url=database_url(),
        redis_url=REDIS_URL,
        # Long: only the write's signal, not the version's expiry, can make the change show.
        DJANGO_PROGRAMME_VERSION_CACHE_SECONDS=600,
    )
    collect_static(env)
    connection.close()  # the servers' workers get their own connections

    with (
        Server(env=env, port=free_port(), log_path=tmp_path / "a.log", workers=1) as one,
        Server(env=env, port=free_port(), log_path=tmp_path / "b.log", workers=1) as other,
    ):
        before = snapshot(other.base_url, forum.year)
        assert all("Секция до правки" in text for _etag, text in before.values())
        assert snapshot(one.base_url, forum.year) == before

        admin_change(
            admin_session(one, "chief", "a-long-pass-phrase"),
            f"{one.base_url}/admin/events/event/{event.pk}/change/",
            {"title_ru": "Секция после правки"},
        )

        after = snapshot(other.base_url, forum.year)
        for name, (etag, text) in after.items():
            assert etag != before[name][0], name
            assert "Секция после правки" in text, name
            assert "Секция до правки" not in text, name
        # A reader polling the other server with the old ETag gets the new page, not a 304.
        poll = requests.get(
            f"{other.base_url}/ru/{forum.year}/programme/",
            headers={"If-None-Match": before["programme/"][0]},
        )
        assert poll.status_code == 200
        assert "Traceback" not in (tmp_path / "a.log").read_text()
        assert "Traceback" not in (tmp_path / "b.log").read_text()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(shared_stack, tmp_path):
    from delegates.models import Delegate
    from sheets.models import ImportRecord, Upload
    from tests.support.sheets import xlsx

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        User.objects.create_superuser("chief", "chief@example.org", "a-long-pass-phrase")
    env = production_env(database_url=database_url(), redis_url=REDIS_URL)
    collect_static(env)
    connection.close()
    # Each server its own temporary folder, as on two hosts: the file must travel otherwise.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sheet = xlsx(
        [
            ["external_id", "last_name_ru", "first_name_ru", "country", "category"],
            ["S-1", "Иванова", "Анна", "BY", "deputy"],
        ]
    )

    with (
        Server(env={**env, "TMPDIR": str(tmp_path / "a")}, port=free_port(),
               log_path=tmp_path / "a.log", workers=1) as one,
        Server(env={**env, "TMPDIR": str(tmp_path / "b")}, port=free_port(),
               log_path=tmp_path / "b.log", workers=1) as other,
    ):  # fmt: skip
        browser = admin_session(one, "chief", "a-long-pass-phrase")
        page = browser.request(
            "POST",
            f"{one.base_url}/admin/delegates/delegate/import/",
            data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], "format": "0"},
            files={"import_file": ("list.xlsx", sheet)},
        )
        assert page.status_code == 200
        [key] = re.findall(r'name="upload" value="([^"]+)"', page.text)
        assert not Delegate.objects.exists()

        confirmed = browser.request(
            "POST",
            f"{other.base_url}/admin/delegates/delegate/process_import/",
            data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], "upload": key},
        )

        assert confirmed.status_code == 302, confirmed.text[:2000]
        assert confirmed.headers["Location"] == "/admin/delegates/delegate/"
        assert Delegate.objects.get().last_name_ru == "Иванова"
        assert ImportRecord.objects.get().upload_key == key
        assert not Upload.objects.exists()
        # Confirmed again on the first server: once only.
        again = browser.request(
            "POST",
            f"{one.base_url}/admin/delegates/delegate/process_import/",
            data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], "upload": key},
        )
        assert again.status_code == 302
        assert Delegate.objects.count() == 1
        assert ImportRecord.objects.count() == 1
        assert "Traceback" not in (tmp_path / "a.log").read_text()
        assert "Traceback" not in (tmp_path / "b.log").read_text()

"""Two app servers, one truth: gunicorn twice on the same PostgreSQL and Redis.

The programme is changed through the admin of one server, as the secretariat does; the other
server shows the change at once, in the page, its ETag and the feeds. A session ended on one
server is ended on the other, which kept it in its process.
"""

import re

import pytest
import requests
from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings

from bench.server import Server, collect_static, free_port, production_env
from tests.factories import DayFactory, EventFactory, ForumFactory
from tests.support.servers import REDIS_URL, admin_change, admin_session, database_url


def snapshot(base_url: str, year: int) -> dict:
    pages = {}
    for name in ("programme/", "programme.ics", "schedule.json"):
        response = requests.get(f"{base_url}/ru/{year}/{name}")
        assert response.status_code == 200
        # Feeds hold absolute links to the server asked: compare them without its address.
        pages[name] = (response.headers["ETag"], response.text.replace(base_url, "SERVER"))
    return pages


def chief_and_environment(**settings) -> dict:
    """The superuser "chief" and the servers' environment (``settings`` added), with their static
    files collected."""
    # Hashed as production hashes (the test settings' MD5 is not among production's hashers).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        User.objects.create_superuser("chief", "chief@example.org", "a-long-pass-phrase")
    env = production_env(database_url=database_url(), redis_url=REDIS_URL, **settings)
    collect_static(env)
    connection.close()  # the servers' workers get their own connections
    return env


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_through_one_server_shows_at_once_on_the_other(shared_stack, tmp_path):
    forum = ForumFactory()
    event = EventFactory(day=DayFactory(forum=forum), title_ru="Секция до правки")
    # Long: only the write's signal, not the version's expiry, can make the change show.
    env = chief_and_environment(DJANGO_PROGRAMME_VERSION_CACHE_SECONDS=600)

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

    env = chief_and_environment()
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signing_out_on_one_server_ends_the_session_on_the_other(shared_stack, tmp_path):
    # Long: only the sign-out's own write, not the trust running out, can end the copy.
    env = chief_and_environment(DJANGO_PROGRAMME_VERSION_CACHE_SECONDS=600)

    with (
        Server(env=env, port=free_port(), log_path=tmp_path / "a.log", workers=1) as one,
        Server(env=env, port=free_port(), log_path=tmp_path / "b.log", workers=1) as other,
    ):
        browser = admin_session(one, "chief", "a-long-pass-phrase")
        # Read, and kept, by the other server's process.
        assert browser.request("GET", f"{other.base_url}/admin/").status_code == 200
        assert browser.request("GET", f"{other.base_url}/admin/").status_code == 200
        held = browser.cookies["sessionid"]

        out = browser.request(
            "POST",
            f"{one.base_url}/admin/logout/",
            data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        )

        assert out.status_code == 302, out.text[:2000]
        # The old cookie, as a copy of it held elsewhere would still send it.
        browser.cookies["sessionid"] = held
        again = browser.request("GET", f"{other.base_url}/admin/")
        assert again.status_code == 302
        assert again.headers["Location"].startswith("/admin/login/")
        assert "Traceback" not in (tmp_path / "a.log").read_text()
        assert "Traceback" not in (tmp_path / "b.log").read_text()

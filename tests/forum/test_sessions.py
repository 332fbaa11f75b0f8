"""forum.sessions: sessions stored in the database and read through the shared cache, a minute at
most; signing in and out work while the cache does not answer."""

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings

from forum import sessions
from tests.factories import DelegateFactory
from tests.support.faults import caches, refusing_url

pytestmark = pytest.mark.django_db


def test_a_signed_in_reload_reads_no_session_row(client, link_path, django_assert_num_queries):
    client.post(link_path(DelegateFactory()))
    client.get("/ru/me/")

    with django_assert_num_queries(0):
        store = sessions.SessionStore(client.session.session_key)
        assert store["_auth_user_id"]


def test_the_database_holds_every_session(client, link_path):
    client.post(link_path(DelegateFactory()))

    row = Session.objects.get(session_key=client.session.session_key)
    assert row.get_decoded()["_auth_user_id"] == client.session["_auth_user_id"]


def test_a_copy_is_kept_a_minute_at_most(client, link_path, monkeypatch):
    client.post(link_path(DelegateFactory()))
    key = client.session.session_key
    timeouts = []
    store = sessions.SessionStore(key)
    real_set = store._cache.set
    monkeypatch.setattr(
        store._cache,
        "set",
        lambda k, v, t=None: (k == store.cache_key and timeouts.append(t), real_set(k, v, t)),
    )
    store._cache.delete(store.cache_key)

    store.load()  # from the database, then copied
    store["seen"] = True
    store.save()

    assert timeouts and all(0 < timeout <= sessions.CACHED_SECONDS for timeout in timeouts)
    # The cookie keeps the session's own age.
    assert store.get_expiry_age() > sessions.CACHED_SECONDS


def test_signing_out_ends_the_session_everywhere(client, link_path):
    client.post(link_path(DelegateFactory()))
    cookie = client.cookies["sessionid"].value
    client.post("/ru/accounts/logout/")

    assert not Session.objects.filter(session_key=cookie).exists()
    assert sessions.SessionStore(cookie).load() == {}


def test_signing_in_and_out_work_while_the_cache_refuses(client, link_path):
    delegate = DelegateFactory()
    with override_settings(CACHES=caches(refusing_url())):
        client.post(link_path(delegate))
        assert client.get("/ru/me/").status_code == 200

        client.post("/ru/accounts/logout/")

        assert client.get("/ru/me/").status_code == 302


@pytest.fixture
def trusted(settings):
    # tests/settings.py trusts nothing kept; production trusts it two seconds.
    settings.PROGRAMME_VERSION_CACHE_SECONDS = 2
    return settings


def _signed_in(client, link_path) -> str:
    client.post(link_path(DelegateFactory()))
    return client.cookies["sessionid"].value


def test_a_reload_reads_the_process_copy_until_the_trust_runs_out(client, link_path, trusted):
    key = _signed_in(client, link_path)
    user_id = sessions.SessionStore(key)["_auth_user_id"]
    # Gone from the cache and the database by writes that pass by the store.
    store = sessions.SessionStore(key)
    store._cache.delete(store.cache_key)
    Session.objects.filter(session_key=key).delete()

    assert sessions.SessionStore(key)["_auth_user_id"] == user_id
    trusted.PROGRAMME_VERSION_CACHE_SECONDS = 0
    assert sessions.SessionStore(key).load() == {}


def test_signing_out_ends_the_kept_copy_at_the_next_request(client, link_path, trusted):
    key = _signed_in(client, link_path)
    assert sessions.SessionStore(key)["_auth_user_id"]

    client.post("/ru/accounts/logout/")

    assert sessions.SessionStore(key).load() == {}


def test_a_saved_session_is_read_again_and_each_read_is_its_own(client, link_path, trusted):
    key = _signed_in(client, link_path)
    first = sessions.SessionStore(key)
    first["note"] = "changed in one request"  # never saved

    assert "note" not in sessions.SessionStore(key).load()
    other = sessions.SessionStore(key)
    other["seen"] = 1
    other.save()
    assert sessions.SessionStore(key)["seen"] == 1

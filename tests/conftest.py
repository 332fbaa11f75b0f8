import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from forum.permissions import EDITORS
from public import front_cache
from tests.public.pages import missing_tool
from tests.support.faults import SilentServer


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded files go to a folder of this run, never to the checkout's var/media."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session", autouse=True)
def changes_shown_at_once():
    """A test's transaction never commits: a change whose pages were made at commit
    (public.prerender) would never be shown. tests/public/test_prerender.py turns it on."""
    with override_settings(PRERENDER_PAGES=0):
        yield


@pytest.fixture(autouse=True)
def default_language():
    """A request through LocaleMiddleware switches the language; keep it out of the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages are cached by programme version; one test's entries must not answer the next."""
    cache.clear()
    front_cache.store.clear()
    yield
    cache.clear()
    front_cache.store.clear()


@pytest.fixture
def editor(db) -> User:
    user = User.objects.create_user("editor", "editor@example.org", "x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def private_redis():
    """A redis-server of this test's own, to stop and start again; skipped where redis-server
    is missing, except in CI."""
    from bench.server import REDIS_SERVER, RedisServer

    if not REDIS_SERVER:
        missing_tool("redis-server is not installed (apt-get install redis-server)")
    with RedisServer() as server:
        yield server


@pytest.fixture
def silent_server():
    """A cache that accepts connections and never answers."""
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def link_path():
    """link_path(delegate) issues a new personal link and returns its path in Russian."""
    from django.urls import reverse

    from delegates.services import delegate_link_issue

    def issue(delegate, language="ru"):
        token = delegate_link_issue(delegate=delegate)
        with translation.override(language):
            return reverse("delegate-link", kwargs={"token": token})

    return issue

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from forum.permissions import EDITORS
from public import front_cache


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded files go to a folder of this run, never to the checkout's var/media."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
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

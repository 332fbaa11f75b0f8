import pytest
from django.contrib.auth.models import Group, User

from forum.permissions import EDITORS


@pytest.fixture
def editor(db) -> User:
    user = User.objects.create_user("editor", "editor@example.org", "x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_working_link_in_the_delegates_language(client):
    DelegateFactory(external_id="MP-7", language="be", last_name="Камандная")
    out = io.StringIO()

    call_command("delegate_link", "MP-7", "--base-url", "https://forum.example.org/", stdout=out)

    url = out.getvalue().split(": ", 1)[1].strip()
    assert url.startswith("https://forum.example.org/be/me/link/")
    path = url.removeprefix("https://forum.example.org")
    assert 'lang="be"' in client.get(path).content.decode()
    assert client.post(path).status_code == 302


def test_the_command_refuses_an_unknown_delegate():
    with pytest.raises(CommandError):
        call_command("delegate_link", "nobody@example.org")

import re

import pytest
from django.core import mail
from django.urls import reverse

from delegates.models import Delegate
from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/delegates/delegate/"


def send_links(client, *delegates):
    return client.post(
        CHANGELIST,
        {"action": "send_personal_links", "_selected_action": [d.pk for d in delegates]},
        follow=True,
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+/me/link/\S+/", message.body).group(0)


def test_the_secretariat_sends_each_delegate_a_link_in_their_language(editor_client):
    russian = DelegateFactory(language="ru", email="ru@example.org")
    belarusian = DelegateFactory(language="be", email="be@example.org")

    response = send_links(editor_client, russian, belarusian)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"ru@example.org", "be@example.org"}
    assert "/ru/me/link/" in link_in(by_address["ru@example.org"])
    assert "/be/me/link/" in link_in(by_address["be@example.org"])
    messages = [str(m) for m in response.context["messages"]]
    assert any("2" in m for m in messages)


def test_the_mailed_link_opens_the_delegates_page(editor_client, client):
    delegate = DelegateFactory(last_name="Получатель")
    send_links(editor_client, delegate)

    path = link_in(mail.outbox[0]).split("testserver", 1)[1]
    client.get(path)
    response = client.post(path, follow=True)

    assert "Получатель" in response.content.decode()


def test_sending_reports_who_has_no_address_and_whom_the_server_refused(editor_client, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.RefusingBackend"
    fine = DelegateFactory(email="fine@example.org")
    no_address = DelegateFactory(last_name="Безадресный", email="")
    refused = DelegateFactory(last_name="Отказной", email="refused@example.org")

    response = send_links(editor_client, fine, no_address, refused)

    assert [message.to for message in mail.outbox] == [["fine@example.org"]]
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 2
    assert any("Безадресный" in e for e in errors)
    assert any("Отказной" in e and "550" in e for e in errors)
    success = [str(m) for m in response.context["messages"] if m.level_tag == "success"]
    assert len(success) == 1 and "1" in success[0]


def test_a_refused_send_keeps_the_old_link_working(editor_client, client, settings, link_path):
    refused = DelegateFactory(email="refused@example.org")
    old = link_path(refused)
    settings.EMAIL_BACKEND = "tests.support.mail.RefusingBackend"

    send_links(editor_client, refused)

    assert client.post(old).status_code == 302


def test_sending_a_new_link_kills_the_old_one(editor_client, client, link_path):
    delegate = DelegateFactory()
    old = link_path(delegate)

    send_links(editor_client, delegate)

    assert client.get(old).status_code == 410


def test_the_secretariat_revokes_links(editor_client, client, link_path):
    delegate = DelegateFactory()
    path = link_path(delegate)

    editor_client.post(
        CHANGELIST, {"action": "revoke_personal_links", "_selected_action": [delegate.pk]}
    )

    assert client.get(path).status_code == 410


def test_the_secretariat_replaces_a_calendar_address(editor_client):
    delegate = DelegateFactory(calendar_secret="old-secret")

    editor_client.post(
        CHANGELIST,
        {"action": "replace_calendar_addresses", "_selected_action": [delegate.pk]},
    )

    assert Delegate.objects.get(pk=delegate.pk).calendar_secret not in ("", "old-secret")


def test_viewers_cannot_send_links(client, django_user_model):
    from django.contrib.auth.models import Group

    from forum.permissions import VIEWERS

    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWERS))
    client.force_login(viewer)
    delegate = DelegateFactory()

    send_links(client, delegate)

    assert mail.outbox == []
    assert Delegate.objects.get(pk=delegate.pk).access_key == ""


def test_the_delegate_admin_page_opens(editor_client):
    delegate = DelegateFactory()

    response = editor_client.get(reverse("admin:delegates_delegate_change", args=[delegate.pk]))

    assert response.status_code == 200

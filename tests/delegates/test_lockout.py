import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db

LIMIT = 5


def fail_logins(client, url, username, times=LIMIT):
    responses = [
        client.post(url, {"username": username, "password": "wrong"}) for _ in range(times)
    ]
    return responses[-1]


def test_the_delegate_login_locks_after_too_many_wrong_passwords(client):
    user = User.objects.create_user("mp@example.org", password="right-password-1")
    DelegateFactory(user=user)

    last = fail_logins(client, "/be/accounts/login/", "mp@example.org")
    right = client.post(
        "/be/accounts/login/", {"username": "mp@example.org", "password": "right-password-1"}
    )

    assert last.status_code == 429
    assert right.status_code == 429
    body = right.content.decode()
    assert 'class="locked-out"' in body and 'lang="be"' in body
    assert "30" in body
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client):
    User.objects.create_user("mp@example.org", password="right-password-1")

    assert (
        fail_logins(client, "/ru/accounts/login/", "mp@example.org", LIMIT - 1).status_code == 200
    )
    response = client.post(
        "/ru/accounts/login/", {"username": "mp@example.org", "password": "right-password-1"}
    )

    assert response.status_code == 302


def test_the_admin_login_locks_too(client):
    User.objects.create_superuser("boss", "boss@example.org", "right-password-1")

    fail_logins(client, "/admin/login/", "boss")
    response = client.post("/admin/login/", {"username": "boss", "password": "right-password-1"})

    assert response.status_code == 429
    assert 'class="locked-out"' in response.content.decode()


def test_a_lock_holds_one_name_at_one_address_only():
    User.objects.create_user("colleague", password="right-password-1")
    fail_logins(Client(REMOTE_ADDR="198.51.100.7"), "/ru/accounts/login/", "mistyped")

    # A colleague in the same office, and the same name from elsewhere, still sign in.
    same_office = Client(REMOTE_ADDR="198.51.100.7").post(
        "/ru/accounts/login/", {"username": "colleague", "password": "right-password-1"}
    )
    blocked = Client(REMOTE_ADDR="198.51.100.7").post(
        "/ru/accounts/login/", {"username": "mistyped", "password": "anything"}
    )

    assert same_office.status_code == 302
    assert blocked.status_code == 429

import time

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.urls import reverse

from delegates.models import Delegate
from delegates.services import LINK_SALT, delegate_link_issue, delegate_link_revoke
from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db


class PastSigner(signing.TimestampSigner):
    """Django's own signer, signing as if it were `seconds_ago` seconds earlier."""

    def __init__(self, *, seconds_ago: int, **kwargs):
        super().__init__(**kwargs)
        self.seconds_ago = seconds_ago

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.seconds_ago)


def token_signed_days_ago(delegate, days: int) -> str:
    delegate_link_issue(delegate=delegate)
    signer = PastSigner(seconds_ago=days * 24 * 3600 + 60, salt=LINK_SALT)
    return signer.sign_object({"d": delegate.pk, "k": delegate.access_key})


def test_a_personal_link_shows_one_button_and_signs_nobody_in(client, link_path):
    delegate = DelegateFactory(last_name="Ивашкевич")

    response = client.get(link_path(delegate))

    assert response.status_code == 200
    body = response.content.decode()
    # One form that posts (the site's search form beside it only reads).
    assert body.count('method="post"') == 1
    assert 'name="csrfmiddlewaretoken"' in body
    assert "Открыть мою программу" in body
    assert "Ивашкевич" not in body
    # The origin only: the path holds the token; "no-referrer" would make the POST's Origin null.
    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-store" in response["Cache-Control"]
    assert "_auth_user_id" not in client.session


def test_a_link_scanner_that_follows_the_link_makes_no_login_and_no_session(client, link_path):
    delegate = DelegateFactory()
    path = link_path(delegate)

    client.get(path)
    client.head(path)
    Client().get(path)

    delegate.refresh_from_db()
    assert delegate.user is None
    assert not Session.objects.exists()


def test_the_button_signs_the_delegate_in_and_leaves_the_address_at_once(link_path):
    browser = Client(enforce_csrf_checks=True)
    delegate = DelegateFactory(last_name="Ивашкевич")
    path = link_path(delegate)
    token = browser.get(path).cookies["csrftoken"].value

    response = browser.post(path, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response["Location"] == "/ru/me/"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    page = browser.get("/ru/me/")
    assert page.status_code == 200
    assert "Ивашкевич" in page.content.decode()


def test_the_button_without_its_csrf_token_signs_nobody_in(link_path):
    browser = Client(enforce_csrf_checks=True)
    delegate = DelegateFactory()
    path = link_path(delegate)
    browser.get(path)

    response = browser.post(path)

    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session
    delegate.refresh_from_db()
    assert delegate.user is None


def test_the_page_of_a_belarusian_link_is_in_belarusian(client, link_path):
    body = client.get(link_path(DelegateFactory(language="be"), language="be")).content.decode()

    assert 'lang="be"' in body
    assert "Адкрыць маю праграму" in body


def test_the_first_sign_in_makes_a_login_without_a_password(client, link_path):
    delegate = DelegateFactory(email="Mp.Minsk@Example.org")

    client.post(link_path(delegate))

    delegate.refresh_from_db()
    assert delegate.user.username == "mp.minsk@example.org"
    assert delegate.user.email == "Mp.Minsk@Example.org"
    assert not delegate.user.has_usable_password()
    assert not delegate.user.is_staff


def test_a_link_opens_in_the_language_of_its_address(client, link_path):
    response = client.post(link_path(DelegateFactory(), language="be"))

    assert response["Location"] == "/be/me/"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "x" + token,  # the payload
        lambda token: token.split(":")[0],  # cut short
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_gets_the_clear_page_and_signs_nobody_in(client, tamper):
    delegate = DelegateFactory(last_name="Скрытый")
    token = delegate_link_issue(delegate=delegate)

    response = client.get(reverse("delegate-link", kwargs={"token": tamper(token)}))

    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="link-reason"' in body
    assert "Скрытый" not in body and delegate.email not in body
    assert response["Referrer-Policy"] == "no-referrer"
    assert "_auth_user_id" not in client.session


def test_a_token_signed_for_something_else_does_not_open(client):
    delegate = DelegateFactory()
    delegate_link_issue(delegate=delegate)
    foreign = signing.TimestampSigner(salt="another.purpose").sign_object(
        {"d": delegate.pk, "k": delegate.access_key}
    )

    response = client.get(reverse("delegate-link", kwargs={"token": foreign}))

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_expired_link_gets_the_clear_page_in_the_readers_language(client):
    delegate = DelegateFactory(last_name="Просроченный")
    token = token_signed_days_ago(delegate, 31)

    response = client.get(f"/be/me/link/{token}/")

    assert response.status_code == 410
    body = response.content.decode()
    assert 'lang="be"' in body and 'class="link-reason"' in body
    assert "Просроченный" not in body
    assert "_auth_user_id" not in client.session


def test_a_link_within_its_days_still_opens(client):
    token = token_signed_days_ago(DelegateFactory(), 29)

    assert client.post(f"/ru/me/link/{token}/").status_code == 302


def test_the_link_lifetime_comes_from_the_settings(client, settings):
    settings.DELEGATE_LINK_MAX_AGE_DAYS = 2
    delegate = DelegateFactory()

    assert client.get(f"/ru/me/link/{token_signed_days_ago(delegate, 3)}/").status_code == 410
    assert client.post(f"/ru/me/link/{token_signed_days_ago(delegate, 1)}/").status_code == 302


def test_a_new_link_kills_the_old_one(client, link_path):
    delegate = DelegateFactory()
    old = link_path(delegate)
    new = link_path(delegate)

    assert client.get(old).status_code == 410
    assert client.post(old).status_code == 410
    assert client.post(new).status_code == 302


def test_a_revoked_link_no_longer_opens(client, link_path):
    delegate = DelegateFactory()
    path = link_path(delegate)

    delegate_link_revoke(delegate=delegate)

    assert client.get(path).status_code == 410


def test_revoking_ends_the_sessions_opened_with_the_link(client, link_path):
    delegate = DelegateFactory()
    client.post(link_path(delegate))
    assert client.get("/ru/me/").status_code == 200

    delegate_link_revoke(delegate=Delegate.objects.get(pk=delegate.pk))

    response = client.get("/ru/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_a_link_of_a_deleted_delegate_gets_the_clear_page(client, link_path):
    delegate = DelegateFactory()
    path = link_path(delegate)
    delegate.delete()

    assert client.get(path).status_code == 410


def test_a_link_never_signs_in_a_staff_account(client, link_path, django_user_model):
    staff = django_user_model.objects.create_user("clerk", is_staff=True)
    delegate = DelegateFactory(user=staff)

    response = client.post(link_path(delegate))

    assert response.status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_link_never_signs_in_a_disabled_account(client, link_path, django_user_model):
    user = django_user_model.objects.create_user("gone", is_active=False)
    delegate = DelegateFactory(user=user)

    assert client.post(link_path(delegate)).status_code == 410


def test_the_clear_pages_say_nothing_of_whose_link_it_was(client, link_path):
    alive = DelegateFactory(last_name="Живой", email="alive@example.org")
    gone = DelegateFactory(last_name="Ушедший", email="gone@example.org")
    stale = link_path(gone)
    link_path(gone)

    expired = client.get(stale).content.decode()
    broken = client.get(link_path(alive)[:-5] + "xx/").content.decode()

    for body in (expired, broken):
        for secret in ("Живой", "Ушедший", "alive@example.org", "gone@example.org"):
            assert secret not in body

import re

import pytest
from django.core import mail

from delegates.services import delegate_user_ensure
from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db


def test_a_delegate_signs_in_with_a_password_and_lands_on_their_page(client):
    delegate = DelegateFactory(email="pw@example.org")
    user = delegate_user_ensure(delegate=delegate)
    user.set_password("a-long-password-9")
    user.save()

    response = client.post(
        "/ru/accounts/login/", {"username": "pw@example.org", "password": "a-long-password-9"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/ru/me/"


def test_the_login_page_has_a_csrf_token_and_is_in_the_readers_language(client):
    body = client.get("/be/accounts/login/").content.decode()

    assert 'name="csrfmiddlewaretoken"' in body
    assert 'lang="be"' in body


def test_a_delegate_who_only_used_the_link_sets_a_password_by_e_mail(client):
    delegate = DelegateFactory(email="linkonly@example.org")
    user = delegate_user_ensure(delegate=delegate)
    assert not user.has_usable_password()

    client.post("/ru/accounts/password-reset/", {"email": "LinkOnly@example.org"})

    (message,) = mail.outbox
    assert message.to == ["linkonly@example.org"]
    path = re.search(r"http://testserver(/ru/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Minsk-Moscow-2020!", "new_password2": "Minsk-Moscow-2020!"},
    )
    user.refresh_from_db()
    assert user.check_password("Minsk-Moscow-2020!")


def test_a_reset_for_a_delegate_never_signed_in_makes_their_login(client):
    delegate = DelegateFactory(email="new@example.org")

    client.post("/ru/accounts/password-reset/", {"email": "new@example.org"})

    delegate.refresh_from_db()
    assert delegate.user.username == "new@example.org"
    assert len(mail.outbox) == 1


def test_an_unknown_address_gets_the_same_answer_and_changes_nothing(client, django_user_model):
    users_before = django_user_model.objects.count()

    response = client.post("/ru/accounts/password-reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/password-reset/sent/"
    assert mail.outbox == []
    assert django_user_model.objects.count() == users_before


def test_staff_do_not_reset_passwords_through_the_delegates_page(client, django_user_model):
    staff = django_user_model.objects.create_user("clerk", "clerk@example.org", "x", is_staff=True)
    DelegateFactory(email="clerk@example.org", user=staff)

    client.post("/ru/accounts/password-reset/", {"email": "clerk@example.org"})

    assert mail.outbox == []

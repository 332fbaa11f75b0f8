import datetime as dt
import io
import re
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import mail
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from delegates.models import PasswordResetRequest
from delegates.services import delegate_user_ensure
from forum.wsgi import application
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


# --- no side effect without a mail --------------------------------------------------------------


def test_a_reset_for_a_delegate_linked_to_staff_leaves_the_staff_account_untouched(
    client, django_user_model
):
    staff = django_user_model.objects.create_user(
        "clerk", "clerk@chamber.example", "x", is_staff=True
    )
    DelegateFactory(email="clerk@example.org", user=staff)

    client.post("/ru/accounts/password-reset/", {"email": "clerk@example.org"})

    staff.refresh_from_db()
    assert staff.email == "clerk@chamber.example"
    assert mail.outbox == []


def test_a_refused_mail_makes_no_login_and_changes_no_e_mail(client, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.RefusingBackend"
    never_signed_in = DelegateFactory(email="refused.new@example.org")
    signed_in = DelegateFactory(email="refused.old@example.org")
    user = delegate_user_ensure(delegate=signed_in)
    user.email = "before@example.org"
    user.save()

    for email in ("refused.new@example.org", "refused.old@example.org"):
        response = client.post("/ru/accounts/password-reset/", {"email": email})
        assert response["Location"] == "/ru/accounts/password-reset/sent/"

    never_signed_in.refresh_from_db()
    user.refresh_from_db()
    assert never_signed_in.user is None
    assert user.email == "before@example.org"


def post_through_wsgi(path: str, data: dict):
    """POST through the WSGI application as gunicorn does; the answer and the queries made
    before it was returned, then close() as gunicorn calls it once the answer is sent."""
    token = "a" * 32
    body = urlencode({**data, "csrfmiddlewaretoken": token}).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"csrftoken={token}",
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    sent = []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    mails = len(mail.outbox)
    try:
        with CaptureQueriesContext(connection) as queries:
            result = application(environ, lambda status, headers, exc=None: sent.append(status))
            answer = (sent[0], b"".join(result))
        mails_before_close = len(mail.outbox) - mails
        result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer, [q["sql"] for q in queries.captured_queries], mails_before_close


def test_the_answer_is_ready_before_the_address_is_even_looked_up():
    DelegateFactory(email="known@example.org")

    known, known_queries, known_mails = post_through_wsgi(
        "/ru/accounts/password-reset/", {"email": "known@example.org"}
    )
    unknown, unknown_queries, unknown_mails = post_through_wsgi(
        "/ru/accounts/password-reset/", {"email": "unknown@example.org"}
    )

    assert known == unknown
    assert known[0].startswith("302")
    # The same work for both until the answer: the throttle's, not a delegate's lookup.
    assert len(known_queries) == len(unknown_queries)
    assert not any("delegates_delegate" in sql for sql in known_queries)
    assert known_mails == unknown_mails == 0
    # The mail went once the answer was out.
    assert [m.to for m in mail.outbox] == [["known@example.org"]]


# --- throttle ----------------------------------------------------------------------------------


def ask(client, email, **extra):
    return client.post("/be/accounts/password-reset/", {"email": email}, **extra)


def test_a_fourth_request_for_one_address_within_the_hour_is_refused_in_the_readers_language(
    client,
):
    DelegateFactory(email="often@example.org")

    answers = [ask(client, "often@example.org", REMOTE_ADDR=f"10.0.0.{i}") for i in range(4)]

    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    body = answers[-1].content.decode()
    assert 'lang="be"' in body
    assert "Зашмат запытаў" in body
    assert "__all__" not in body
    assert answers[-1]["Retry-After"] == "3600"
    assert len(mail.outbox) == 3


def test_one_client_asking_for_many_addresses_is_refused_after_ten(client):
    answers = [ask(client, f"guess{i}@example.org") for i in range(11)]

    assert [a.status_code for a in answers] == [302] * 10 + [429]


def test_unknown_addresses_are_counted_as_known_ones_are(client):
    DelegateFactory(email="known@example.org")
    known = [ask(client, "known@example.org").status_code for _ in range(4)]
    unknown = [
        ask(client, "nobody@example.org", REMOTE_ADDR="10.9.9.9").status_code for _ in range(4)
    ]

    assert known == unknown == [302, 302, 302, 429]


def test_the_limits_and_the_window_come_from_the_settings(client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 1
    settings.PASSWORD_RESET_WINDOW_MINUTES = 5

    assert ask(client, "a@example.org").status_code == 302
    refused = ask(client, "a@example.org")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "300"


def test_requests_older_than_the_window_no_longer_count_and_are_removed(client):
    for _ in range(3):
        ask(client, "old@example.org")
    PasswordResetRequest.objects.update(requested_at=timezone.now() - dt.timedelta(minutes=61))

    assert ask(client, "old@example.org").status_code == 302
    assert PasswordResetRequest.objects.count() == 1


def test_the_throttle_keeps_no_address(client):
    ask(client, "private.person@example.org")

    (row,) = PasswordResetRequest.objects.values()
    assert "private" not in str(row) and "example.org" not in str(row)

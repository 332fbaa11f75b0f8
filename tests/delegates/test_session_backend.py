"""delegates.auth: the user of a delegate's session read with their delegate in one query, the
same objects the ORM gives, and the same verdicts as ModelBackend's."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import DateTimeField
from django.utils import timezone

from delegates.auth import SESSION_BACKEND, DelegateSessionBackend, user_with_delegate
from delegates.models import Delegate
from delegates.services import delegate_user_ensure
from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    fields = instance._meta.concrete_fields
    return {field.attname: getattr(instance, field.attname) for field in fields}


def test_the_user_and_the_delegate_are_the_orms_own_values_in_one_query(
    django_assert_num_queries,
):
    delegate = DelegateFactory(position="Депутат", position_en="Member")
    user = delegate_user_ensure(delegate=delegate)
    user.last_login = timezone.now()
    user.save()
    Delegate.objects.filter(pk=delegate.pk).update(access_link_issued_at=timezone.now())

    with django_assert_num_queries(1):
        read = user_with_delegate(user.pk)
        read_delegate = read.delegate
        assert read_delegate.user is read

    orm_user = get_user_model().objects.select_related("delegate").get(pk=user.pk)
    assert _fields(read) == _fields(orm_user)
    assert _fields(read_delegate) == _fields(orm_user.delegate)
    # Converted as the ORM converts them (SQLite hands datetimes over as text).
    for instance in (read, read_delegate):
        for field in instance._meta.concrete_fields:
            value = getattr(instance, field.attname)
            if isinstance(field, DateTimeField) and value is not None:
                assert value.tzinfo is not None
    assert read.delegate.position == "Депутат"


def test_a_user_without_a_delegate_has_none_and_asking_costs_nothing(
    django_user_model, django_assert_num_queries
):
    user = django_user_model.objects.create_user("staff-only")

    with django_assert_num_queries(1):
        read = user_with_delegate(user.pk)
        with pytest.raises(Delegate.DoesNotExist):
            _ = read.delegate


def test_the_backend_gives_no_one_for_an_unknown_or_disabled_user(django_user_model):
    user = django_user_model.objects.create_user("gone", is_active=False)

    assert DelegateSessionBackend().get_user(user.pk) is None
    assert DelegateSessionBackend().get_user(user.pk + 1000) is None


def test_the_backend_signs_no_one_in_and_grants_nothing(django_user_model):
    user = django_user_model.objects.create_user("someone", password="secret-enough-1")

    assert DelegateSessionBackend().authenticate(None, username="someone", password="x") is None
    assert (
        DelegateSessionBackend().authenticate(None, username="someone", password="secret-enough-1")
        is None
    )
    assert not DelegateSessionBackend().has_perm(user, "delegates.change_delegate")


def test_a_new_password_ends_the_link_sessions(client, link_path):
    delegate = DelegateFactory()
    client.post(link_path(delegate))
    assert client.session["_auth_user_backend"] == SESSION_BACKEND
    assert client.get("/ru/me/").status_code == 200

    user = Delegate.objects.get(pk=delegate.pk).user
    user.set_password("a-new-password-9")
    user.save()

    assert client.get("/ru/me/").status_code == 302


def test_a_password_sign_in_reads_the_delegate_with_the_user(
    client, django_assert_num_queries, settings
):
    settings.PROGRAMME_VERSION_CACHE_SECONDS = 60
    delegate = DelegateFactory()
    user = delegate_user_ensure(delegate=delegate)
    user.set_password("a-good-password-7")
    user.save()
    response = client.post(
        "/ru/accounts/login/", {"username": user.username, "password": "a-good-password-7"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == SESSION_BACKEND
    client.get("/ru/me/")

    with django_assert_num_queries(1):
        assert client.get("/ru/me/").status_code == 200


@pytest.fixture
def trusted(settings):
    # tests/settings.py trusts nothing kept; production trusts it two seconds.
    settings.PROGRAMME_VERSION_CACHE_SECONDS = 2
    return settings


def test_a_reload_reads_the_user_once_while_no_account_changed(trusted, django_assert_num_queries):
    user = delegate_user_ensure(delegate=DelegateFactory(position="Депутат"))
    first = DelegateSessionBackend().get_user(user.pk)

    with django_assert_num_queries(0):
        again = DelegateSessionBackend().get_user(user.pk)
    assert _fields(again) == _fields(first)
    assert _fields(again.delegate) == _fields(first.delegate)
    # Objects of its own: what one request changes on its user, the next never sees.
    assert again is not first and again.delegate is not first.delegate
    again.delegate.position = "changed in a request"
    assert DelegateSessionBackend().get_user(user.pk).delegate.position == "Депутат"


def test_a_saved_user_or_delegate_is_read_again_at_the_next_request(trusted):
    user = delegate_user_ensure(delegate=DelegateFactory(position="Депутат"))
    DelegateSessionBackend().get_user(user.pk)

    delegate = Delegate.objects.get(user=user)
    delegate.position = "Сенатор"
    delegate.save()
    assert DelegateSessionBackend().get_user(user.pk).delegate.position == "Сенатор"

    user.is_active = False
    user.save()
    assert DelegateSessionBackend().get_user(user.pk) is None


def test_a_deleted_user_is_gone_at_the_next_request(trusted):
    user = delegate_user_ensure(delegate=DelegateFactory())
    DelegateSessionBackend().get_user(user.pk)

    get_user_model().objects.filter(pk=user.pk).delete()
    assert DelegateSessionBackend().get_user(user.pk) is None


def test_a_write_that_sends_no_signal_is_read_once_the_trust_runs_out(trusted):
    user = delegate_user_ensure(delegate=DelegateFactory())
    DelegateSessionBackend().get_user(user.pk)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)

    assert DelegateSessionBackend().get_user(user.pk) is not None
    trusted.PROGRAMME_VERSION_CACHE_SECONDS = 0
    assert DelegateSessionBackend().get_user(user.pk) is None


def test_the_accounts_generation_moves_again_at_commit(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from delegates.auth import ACCOUNTS_KEY

    with django_capture_on_commit_callbacks(execute=True):
        user = delegate_user_ensure(delegate=DelegateFactory())
        user.save()
        saved = cache.get(ACCOUNTS_KEY)
    assert saved is not None and cache.get(ACCOUNTS_KEY) != saved

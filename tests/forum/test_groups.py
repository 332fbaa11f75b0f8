import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User

from forum.permissions import DATA_APPS, EDITORS, REGISTRARS, VIEWERS

pytestmark = pytest.mark.django_db


def data_models():
    # Rows no one edits (the password-reset throttle's) have no permissions to grant.
    return [
        model
        for app in DATA_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.default_permissions
    ]


def codenames_of(group_name: str) -> set[str]:
    permissions = Group.objects.get(name=group_name).permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def user_in(group_name: str) -> User:
    user = User.objects.create_user(group_name.replace(" ", "_"), is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return User.objects.get(pk=user.pk)


def test_staff_groups_exist_after_migrations():
    names = set(Group.objects.values_list("name", flat=True))

    assert {EDITORS, VIEWERS, REGISTRARS} <= names
    assert {EDITORS, VIEWERS, REGISTRARS} == {
        "Secretariat editors",
        "Secretariat viewers",
        "Agreements registrars",
    }


def test_editors_may_do_everything_with_every_data_model():
    wanted = {
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in data_models()
        for action in ("add", "change", "delete", "view")
    }

    assert codenames_of(EDITORS) == wanted


def test_editors_may_not_touch_users():
    editor = user_in(EDITORS)

    assert not any(
        editor.has_perm(f"auth.{action}_user") for action in ("add", "change", "delete", "view")
    )


def test_viewers_may_only_view_data_models():
    wanted = {f"{model._meta.app_label}.view_{model._meta.model_name}" for model in data_models()}

    assert codenames_of(VIEWERS) == wanted


def test_registrars_keep_agreements_and_view_what_they_pick_from():
    wanted = {
        *(
            f"agreements.{action}_{model}"
            # The history of agreements and parties comes with them.
            for model in ("agreement", "party", "historicalagreement", "historicalparty")
            for action in ("add", "change", "delete", "view")
        ),
        "forum.view_forum",
        "forum.view_region",
        "events.view_event",
    }

    assert codenames_of(REGISTRARS) == wanted


def test_registrars_may_not_change_events_nor_view_delegates():
    registrar = user_in(REGISTRARS)

    assert registrar.has_perm("agreements.add_agreement")
    assert registrar.has_perm("events.view_event")
    assert not registrar.has_perm("events.change_event")
    assert not registrar.has_perm("delegates.view_delegate")
    assert not registrar.has_perm("auth.view_user")


def test_every_data_permission_exists():
    # Guards the tests above: a model without permissions would pass them vacuously.
    count = Permission.objects.filter(content_type__app_label__in=DATA_APPS).count()

    assert count == 4 * len(data_models())

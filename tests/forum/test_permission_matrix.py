"""Who may do what in the admin, as one table.

Every model registered in the admin has a row; a model added without a row fails
test_every_admin_model_has_a_row, and a row's letters are checked over HTTP against the real
admin for six kinds of user. Letters: v view the list, h the history, a add, c change,
d delete, i import, e export (import and export only where django-import-export's admin adds
their pages to the model). Admin actions are listed per model with the letter they need.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from delegates.models import Delegate
from delegates.services import delegate_user_ensure
from forum.permissions import EDITORS, REGISTRARS, VIEWERS
from secretariat.models import Notice
from sheets.models import ImportRecord
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    CommissionFactory,
    DayFactory,
    DelegateFactory,
    DocumentFactory,
    EventFactory,
    ForumFactory,
    PartyFactory,
    RegionFactory,
    VenueFactory,
)

SUPERUSER, DELEGATE, ANONYMOUS = "superuser", "delegate", "anonymous"
USERS = [SUPERUSER, EDITORS, VIEWERS, REGISTRARS, DELEGATE, ANONYMOUS]

ALL = "vhacdie"
DATA = {SUPERUSER: ALL, EDITORS: ALL, VIEWERS: "vhe", REGISTRARS: "", DELEGATE: "", ANONYMOUS: ""}
# What registrars pick from when they enter an agreement.
PICKED_BY_REGISTRARS = {**DATA, REGISTRARS: "vhe"}
AGREEMENTS = {**DATA, REGISTRARS: ALL}
SUPERUSER_ONLY = {SUPERUSER: "vhacd", **dict.fromkeys(USERS[1:], "")}
# The record of each import (and of each notice to a delegate): written by imports (notices)
# only, read by whoever reads the data.
IMPORT_RECORDS = {SUPERUSER: "vh", EDITORS: "vh", VIEWERS: "vh", **dict.fromkeys(USERS[3:], "")}
# django-axes' records: nobody adds them by hand.
LOGIN_RECORDS = {SUPERUSER: "vhcd", **dict.fromkeys(USERS[1:], "")}

MATRIX = {
    "auth.group": SUPERUSER_ONLY,
    "auth.user": SUPERUSER_ONLY,
    "axes.accessattempt": LOGIN_RECORDS,
    "axes.accesslog": LOGIN_RECORDS,
    "axes.accessfailurelog": LOGIN_RECORDS,
    "forum.forum": PICKED_BY_REGISTRARS,
    "forum.day": DATA,
    "sheets.importrecord": IMPORT_RECORDS,
    "forum.region": PICKED_BY_REGISTRARS,
    "forum.venue": DATA,
    "events.commission": DATA,
    "events.event": PICKED_BY_REGISTRARS,
    "documents.document": DATA,
    "delegates.delegate": DATA,
    "delegates.assignment": DATA,
    "agreements.agreement": AGREEMENTS,
    "agreements.party": AGREEMENTS,
    "secretariat.notice": IMPORT_RECORDS,
}

# Each admin action and the letter a user needs for it.
ACTIONS = {
    "delete_selected": "d",
    "cleanup_expired_attempts": "v",
    "send_personal_links": "c",
    "revoke_personal_links": "c",
    "replace_calendar_addresses": "c",
    "assign_to_event": "c",
    "publish": "c",
    "unpublish": "c",
    "copy_next_edition": "a",
    "tell_delegates": "c",
    # django-import-export's "export selected" action.
    "export_admin_action": "e",
}


def _axes_record(model):
    fields = {
        "user_agent": "matrix",
        "ip_address": "192.0.2.1",
        "username": "matrix",
        "http_accept": "*/*",
        "path_info": "/admin/login/",
    }
    if model.__name__ == "AccessAttempt":
        fields.update(get_data="", post_data="", failures_since_start=1)
    return model.objects.create(**fields)


def an_object(model):
    """One saved row of the model, for its change, delete and history pages."""
    label = model._meta.label_lower
    makers = {
        "auth.group": lambda: Group.objects.create(name="Matrix group"),
        "auth.user": lambda: User.objects.create_user("matrix-target"),
        "forum.forum": ForumFactory,
        "forum.day": DayFactory,
        "sheets.importrecord": lambda: ImportRecord.objects.create(
            content_type=ContentType.objects.get_for_model(Delegate),
            file_name="delegates.xlsx",
            file_format="xlsx",
            rows=1,
            created=1,
            updated=0,
        ),
        "forum.region": lambda: RegionFactory(code="BY-MI"),
        "forum.venue": VenueFactory,
        "events.commission": CommissionFactory,
        "events.event": EventFactory,
        "documents.document": DocumentFactory,
        "delegates.delegate": DelegateFactory,
        "delegates.assignment": AssignmentFactory,
        "agreements.agreement": AgreementFactory,
        "agreements.party": PartyFactory,
        "secretariat.notice": lambda: Notice.objects.create(
            delegate=DelegateFactory(), status="sent", language="ru", subject="s", body="b"
        ),
    }
    if label.startswith("axes."):
        return _axes_record(model)
    return makers[label]()


def a_user(kind: str):
    if kind == ANONYMOUS:
        return None
    if kind == SUPERUSER:
        return User.objects.create_superuser("matrix-root", "root@example.org", "x")
    if kind == DELEGATE:
        return delegate_user_ensure(delegate=DelegateFactory())
    user = User.objects.create_user(f"matrix-{kind}".replace(" ", "-"), is_staff=True)
    user.groups.add(Group.objects.get(name=kind))
    return User.objects.get(pk=user.pk)


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def allowed(response) -> bool:
    if response.status_code == 403:
        return False
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        return False
    assert response.status_code in {200, 302}, response.status_code
    return True


def what_the_admin_allows(client, user, model, obj) -> str:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    checks = {
        "v": ("get", _url(f"{info}_changelist")),
        "h": ("get", _url(f"{info}_history", obj.pk)),
        "a": ("get", _url(f"{info}_add")),
        # A POST, since a view-only user may GET the change page to read it. Its data is
        # empty: an allowed user gets the form back with errors, and nothing is saved.
        "c": ("post", _url(f"{info}_change", obj.pk)),
        "d": ("get", _url(f"{info}_delete", obj.pk)),
        "i": ("get", _url(f"{info}_import")),
        "e": ("get", _url(f"{info}_export")),
    }
    letters = ""
    for letter, (method, url) in checks.items():
        if url and allowed(getattr(client, method)(url)):
            letters += letter
    return letters


def available(model) -> str:
    """The letters this model's admin has pages for (import and export may be absent)."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    optional = {"i": f"{info}_import", "e": f"{info}_export"}
    return "".join(
        letter for letter in ALL if letter not in optional or _url(optional[letter]) is not None
    )


def models_by_label():
    return {model._meta.label_lower: model for model in admin.site._registry}


def test_every_admin_model_has_a_row():
    assert set(models_by_label()) == set(MATRIX)


def test_every_admin_action_has_a_letter():
    factory = RequestFactory()
    request = factory.get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    names = {
        name
        for model_admin in admin.site._registry.values()
        for name in model_admin.get_actions(request)
    }

    assert names <= set(ACTIONS), names - set(ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("user_kind", USERS)
@pytest.mark.parametrize("label", sorted(MATRIX))
def test_the_admin_allows_what_the_matrix_says(client, label, user_kind):
    model = models_by_label()[label]
    obj = an_object(model)
    user = a_user(user_kind)
    if user:
        client.force_login(user)
    expected = "".join(letter for letter in MATRIX[label][user_kind] if letter in available(model))

    assert what_the_admin_allows(client, user, model, obj) == expected

    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = user or AnonymousUser()
    offered = set(model_admin.get_actions(request)) if expected else set()
    wanted = {
        name for name in model_admin.get_actions(_superuser_request()) if ACTIONS[name] in expected
    }
    assert offered == wanted


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return request

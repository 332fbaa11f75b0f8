import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from agreements.models import Agreement, Party
from delegates.models import Assignment, Delegate
from documents.models import Document
from events.models import Commission, Event
from forum.models import Country, Day, Forum, Region, Venue
from forum.permissions import DATA_APPS
from secretariat.models import Notice
from sheets.models import ImportRecord
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    CommissionFactory,
    DayFactory,
    DelegateFactory,
    DocumentFileFactory,
    EventFactory,
    ForumFactory,
    PartyFactory,
    RegionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

DATA_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DATA_APPS),
    key=lambda model: model._meta.label,
)
OTHER_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label not in DATA_APPS),
    key=lambda model: model._meta.label,
)


def make_regions(n):
    # The migrations load every real region; these come on top of them.
    for i in range(n):
        Region.objects.create(code=f"RU-Z{i:02d}", country=Country.RUSSIA, name=f"Регион {i}")


def make_delegates(n):
    DelegateFactory.create_batch(n, region=RegionFactory(code="BY-MI"))


def make_assignments(n):
    for _ in range(n):
        event = EventFactory()
        venue = VenueFactory(forum=event.forum, region=RegionFactory(code="BY-MI"))
        event.venues.add(venue)
        AssignmentFactory(event=event, venue=venue)


def make_parties(n):
    PartyFactory.create_batch(n, region=RegionFactory(code="BY-MI"))


def make_documents(n):
    for _ in range(n):
        DocumentFileFactory(language="ru")


def make_import_records(n):
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType

    user = User.objects.create_user("importer")
    for i in range(n):
        ImportRecord.objects.create(
            user=user,
            content_type=ContentType.objects.get_for_model(Delegate),
            file_name=f"delegates-{i}.xlsx",
            file_format="xlsx",
            rows=10,
            created=10,
            updated=0,
        )


def make_notices(n):
    delegate = DelegateFactory()
    for i in range(n):
        Notice.objects.create(
            delegate=delegate, status="sent", language="ru", subject=f"s{i}", body="b"
        )


MAKERS = {
    Forum: ForumFactory.create_batch,
    Day: DayFactory.create_batch,
    Region: make_regions,
    Venue: VenueFactory.create_batch,
    Commission: CommissionFactory.create_batch,
    Event: EventFactory.create_batch,
    Document: make_documents,
    Delegate: make_delegates,
    Assignment: make_assignments,
    Agreement: AgreementFactory.create_batch,
    Party: make_parties,
    ImportRecord: make_import_records,
    Notice: make_notices,
}

# Pinned: the same at one row and at five, or a changelist queries once per row (the session
# is read from the cache: forum.sessions).
CHANGELIST_QUERIES = {
    Forum: 8,
    Day: 9,
    Region: 6,
    Venue: 7,
    Commission: 6,
    # One of them prefetches the venues each row names.
    Event: 11,
    Document: 10,
    # Two of them fill the filters by forum and by event (sign-in sheets per event).
    Delegate: 9,
    Assignment: 7,
    Agreement: 9,
    Party: 6,
    ImportRecord: 9,
    Notice: 8,
}


def admin_url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def test_every_data_model_in_the_admin_has_a_row_maker():
    assert set(DATA_MODELS) == set(MAKERS) == set(CHANGELIST_QUERIES)


@pytest.mark.parametrize("model", DATA_MODELS, ids=lambda model: model._meta.label)
def test_editor_sees_changelist(editor_client, model):
    MAKERS[model](1)

    response = editor_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", DATA_MODELS, ids=lambda model: model._meta.label)
def test_editor_sees_add_page(editor_client, model):
    response = editor_client.get(admin_url(model, "add"))

    # Imports and notices are recorded by importing and sending, never added by hand.
    assert response.status_code == (403 if model in (ImportRecord, Notice) else 200)


@pytest.mark.parametrize("model", OTHER_MODELS, ids=lambda model: model._meta.label)
def test_editor_is_refused_users_and_groups(editor_client, model):
    response = editor_client.get(admin_url(model, "changelist"))

    assert response.status_code == 403


@pytest.mark.parametrize("n", [1, 5])
@pytest.mark.parametrize("model", DATA_MODELS, ids=lambda model: model._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(
    editor_client, django_assert_num_queries, model, n
):
    MAKERS[model](n)
    url = admin_url(model, "changelist")

    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        response = editor_client.get(url)

    assert response.status_code == 200


def forum_form_data(**overrides):
    data = {
        "number": "7",
        "year": "2020",
        "title_ru": "Седьмой форум регионов",
        "title_be": "",
        "title_en": "",
        "starts_on": "2020-09-28",
        "ends_on": "2020-09-29",
        "time_zone": "Europe/Moscow",
        "format": "online",
        "days-TOTAL_FORMS": "0",
        "days-INITIAL_FORMS": "0",
        "venues-TOTAL_FORMS": "0",
        "venues-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_admin_adds_a_valid_forum(editor_client):
    response = editor_client.post(admin_url(Forum, "add"), forum_form_data())

    assert response.status_code == 302
    assert Forum.objects.get(year=2020).ends_on == dt.date(2020, 9, 29)


def test_admin_refuses_forum_closing_before_it_opens_in_english(editor_client):
    response = editor_client.post(
        admin_url(Forum, "add"),
        forum_form_data(ends_on="2020-09-27"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_on"] == [
        "A forum cannot close before it opens."
    ]
    assert "A forum cannot close before it opens." in response.content.decode()
    assert not Forum.objects.filter(year=2020).exists()


def test_admin_refuses_forum_closing_before_it_opens_in_russian(editor_client):
    response = editor_client.post(
        admin_url(Forum, "add"),
        forum_form_data(ends_on="2020-09-27"),
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "ends_on" in response.context["adminform"].form.errors
    assert 'class="errornote"' in content
    assert "errorlist" in content
    # Django's own catalogue: the page around the error is in Russian.
    assert "Пожалуйста, исправьте" in content
    assert not Forum.objects.filter(year=2020).exists()


def test_admin_refuses_a_forum_without_closing_date_and_days_without_crashing(editor_client):
    data = forum_form_data(
        ends_on="",
        **{"days-TOTAL_FORMS": "1", "days-0-date": "2020-09-25", "days-0-title_ru": ""},
    )

    response = editor_client.post(admin_url(Forum, "add"), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "ends_on" in response.context["adminform"].form.errors
    assert not Forum.objects.filter(year=2020).exists()


def test_admin_shows_russian_message_of_our_own_on_the_field(editor_client):
    response = editor_client.post(
        admin_url(Forum, "add"),
        forum_form_data(ends_on="2020-09-27"),
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.context["adminform"].form.errors["ends_on"] == [
        "Дата закрытия форума не может быть раньше даты его открытия."
    ]

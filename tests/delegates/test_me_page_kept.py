"""The programme part of a delegate's page kept rendered between visits (delegates.page): every
change to what it shows is on the next page, however the entry was checked; one delegate's entry
is never another's; nothing of it depends on the cache answering."""

import pytest
from django.test import override_settings

from delegates.models import Assignment, Role
from delegates.services import delegate_user_ensure
from events.models import Event
from public.caching import current_generation
from tests.factories import (
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    DocumentFactory,
    DocumentFileFactory,
    EventFactory,
    ForumFactory,
    VenueFactory,
)
from tests.support.faults import caches, refusing_url

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["version", "generation"])
def checked_by(request, settings):
    """By the version of the delegate's programme alone (the cache keeps no generation long), or
    first by the shared cache's write generation, as in production."""
    if request.param == "generation":
        settings.PROGRAMME_VERSION_CACHE_SECONDS = 60
        current_generation()
    return request.param


@pytest.fixture
def world():
    forum = ForumFactory(title="Форум до правки")
    day = DayFactory(forum=forum)
    venue = VenueFactory(forum=forum, name="Зал до правки")
    event = EventFactory(day=day, title="Секция до правки")
    event.venues.add(venue)
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event, role=Role.SPEAKER, venue=venue)
    AssignmentFactory(event=event, role=Role.CHAIR, delegate__last_name="Прежнева")
    document = DocumentFactory(event=event, title="Документ до правки")
    DocumentFileFactory(document=document)
    return {"forum": forum, "day": day, "venue": venue, "event": event, "delegate": delegate}


def page(client, language="ru") -> str:
    response = client.get(f"/{language}/me/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    return response.content.decode()


def rename_event(w):
    w["event"].title_ru = "Секция после правки"
    w["event"].save()
    return "Секция после правки"


def rename_venue(w):
    w["venue"].name_ru = "Зал после правки"
    w["venue"].save()
    return "Зал после правки"


def rename_the_other(w):
    other = Assignment.objects.get(event=w["event"], role=Role.CHAIR).delegate
    other.last_name_ru = "Новикова"
    other.save()
    return "Новикова"


def assign_someone_else(w):
    AssignmentFactory(event=w["event"], role=Role.EXPERT, delegate__last_name="Пришедшая")
    return "Пришедшая"


def change_my_role(w):
    mine = Assignment.objects.get(delegate=w["delegate"])
    mine.role = Role.MODERATOR
    mine.save()
    return "модератор"


def add_a_document(w):
    DocumentFileFactory(document=DocumentFactory(event=w["event"], title="Новый документ"))
    return "Новый документ"


def add_a_file(w):
    document = w["event"].documents.get()
    DocumentFileFactory(document=document, language="be")
    return f"/ru/me/documents/{document.pk}-be.pdf"


def add_a_venue(w):
    # Shown among what changed: the delegate's own seat is what their row shows.
    w["event"].venues.add(VenueFactory(forum=w["forum"], name="Второй зал"))
    return "Второй зал"


def rename_the_forum(w):
    w["forum"].title_ru = "Форум после правки"
    w["forum"].save()
    return "Форум после правки"


def rename_the_day(w):
    w["day"].title_ru = "День после правки"
    w["day"].save()
    return "День после правки"


def unpublish(w):
    event = Event.objects.get(pk=w["event"].pk)
    event.is_published = False
    event.save()
    return "еще не опубликовано"


def assign_me_elsewhere(w):
    AssignmentFactory(
        delegate=w["delegate"], event=EventFactory(day=w["day"], title="Вторая секция")
    )
    return "Вторая секция"


CHANGES = [
    rename_event,
    rename_venue,
    rename_the_other,
    assign_someone_else,
    change_my_role,
    add_a_document,
    add_a_file,
    add_a_venue,
    rename_the_forum,
    rename_the_day,
    unpublish,
    assign_me_elsewhere,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_every_change_to_what_the_programme_shows_is_on_the_next_page(
    client, world, checked_by, change
):
    client.force_login(delegate_user_ensure(delegate=world["delegate"]))
    page(client)
    page(client)  # from the cache

    shown = change(world)

    assert shown in page(client)


def test_a_removed_assignment_and_a_deleted_document_are_gone_at_once(client, world, checked_by):
    client.force_login(delegate_user_ensure(delegate=world["delegate"]))
    page(client)
    world["event"].documents.get().delete()
    assert "Документ до правки" not in page(client)

    Assignment.objects.get(delegate=world["delegate"]).delete()

    body = page(client)
    assert 'class="me-event' not in body and "Больше не в вашей программе" in body


def test_an_edit_elsewhere_leaves_the_kept_programme(client, world, django_assert_num_queries):
    client.force_login(delegate_user_ensure(delegate=world["delegate"]))
    page(client)
    elsewhere = EventFactory(title="Чужая секция")
    AssignmentFactory(event=elsewhere)
    elsewhere.save()

    # user, delegate, the version of their programme: unchanged, nothing rendered.
    with django_assert_num_queries(3):
        body = page(client)

    assert "Секция до правки" in body and "Чужая секция" not in body


def test_one_delegates_kept_programme_is_never_anothers(client, world, checked_by):
    stranger = DelegateFactory()
    AssignmentFactory(delegate=stranger, event=EventFactory(title="Чужая секция"))
    client.force_login(delegate_user_ensure(delegate=world["delegate"]))
    page(client)

    client.force_login(delegate_user_ensure(delegate=stranger))
    body = page(client)

    assert "Чужая секция" in body and "Секция до правки" not in body


def test_the_page_and_its_changes_are_served_while_the_cache_refuses(client, world):
    client.force_login(delegate_user_ensure(delegate=world["delegate"]))
    with override_settings(CACHES=caches(refusing_url())):
        assert "Секция до правки" in page(client)

        shown = rename_event(world)

        assert shown in page(client)

"""A delegate's page kept rendered between visits (delegates.page): every change to what it shows
is on the next page, however the entry was checked; one delegate's entry is never another's; its
forms carry the reader's own CSRF token and a one-time message is shown once; nothing of it
depends on the cache answering."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings

from delegates.auth import SESSION_BACKEND
from delegates.models import Assignment, Delegate, Role
from delegates.services import delegate_link_issue, delegate_link_path, delegate_user_ensure
from events.models import Event
from forum.cache import GENERATION_KEY
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
    event.venues.add(venue, VenueFactory(forum=forum, name="Малый зал"))
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event, role=Role.SPEAKER, venue=venue)
    AssignmentFactory(event=event, role=Role.CHAIR, delegate__last_name="Прежнева")
    document = DocumentFactory(event=event, title="Документ до правки")
    DocumentFileFactory(document=document)
    DocumentFileFactory(document=DocumentFactory(event=None, forum=forum, title="Устав до правки"))
    return {"forum": forum, "day": day, "venue": venue, "event": event, "delegate": delegate}


def signed_in(client, delegate):
    """Signed in as the personal link signs in (delegates.auth: the user read with the delegate)."""
    client.force_login(delegate_user_ensure(delegate=delegate), backend=SESSION_BACKEND)
    return client


def page(client, language="ru", query="") -> str:
    response = client.get(f"/{language}/me/{query}")
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


def add_a_forum_document(w):
    document = DocumentFactory(event=None, forum=w["forum"], title="Документ всего форума")
    DocumentFileFactory(document=document)
    return "Документ всего форума"


def rename_a_document(w):
    document = w["event"].documents.get()
    document.title_ru = "Документ после правки"
    document.save()
    return "Документ после правки"


def rename_the_forums_document(w):
    document = w["forum"].documents.get(event=None)
    document.title_ru = "Устав после правки"
    document.save()
    return "Устав после правки"


def add_a_file_to_the_forums_document(w):
    document = w["forum"].documents.get(event=None)
    DocumentFileFactory(document=document, language="be")
    return f"/ru/me/documents/{document.pk}-be.pdf"


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


def remove_a_venue(w):
    # The older one: what the newest venue measures stays, the event's venues do not.
    w["event"].venues.remove(w["venue"])
    # Among what changed: the event's venues, now the small hall alone.
    return "<ins>Малый зал"


def unpublish_the_forum(w):
    w["forum"].is_published = False
    w["forum"].save()
    return "еще не опубликовано"


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
    rename_a_document,
    add_a_forum_document,
    rename_the_forums_document,
    add_a_file,
    add_a_file_to_the_forums_document,
    add_a_venue,
    remove_a_venue,
    rename_the_forum,
    rename_the_day,
    unpublish,
    unpublish_the_forum,
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


def test_a_renamed_seat_in_none_of_the_events_venues_is_on_the_next_page(client, world, checked_by):
    box = VenueFactory(forum=world["forum"], name="Ложа до правки")
    mine = Assignment.objects.get(delegate=world["delegate"])
    mine.venue = box
    mine.save()
    signed_in(client, world["delegate"])
    page(client)
    page(client)  # from the cache

    box.name_ru = "Ложа после правки"
    box.save()

    assert "Ложа после правки" in page(client)


def test_a_removed_assignment_and_a_deleted_document_are_gone_at_once(client, world, checked_by):
    client.force_login(delegate_user_ensure(delegate=world["delegate"]))
    page(client)
    world["event"].documents.get().delete()
    assert "Документ до правки" not in page(client)

    Assignment.objects.get(delegate=world["delegate"]).delete()

    body = page(client)
    assert 'class="me-event' not in body and "Больше не в вашей программе" in body


def test_an_edit_elsewhere_leaves_the_kept_programme(client, world, django_assert_num_queries):
    signed_in(client, world["delegate"])
    page(client)
    elsewhere = EventFactory(title="Чужая секция")
    AssignmentFactory(event=elsewhere)
    elsewhere.save()

    # The user with their delegate (the session is the cache's), the version of their
    # programme: unchanged, nothing rendered.
    with django_assert_num_queries(2):
        response = client.get("/ru/me/")

    body = response.content.decode()
    assert "Секция до правки" in body and "Чужая секция" not in body
    assert response.templates == []


def test_a_reload_under_the_same_generation_costs_one_query_and_no_rendering(
    client, world, settings, django_assert_num_queries
):
    settings.PROGRAMME_VERSION_CACHE_SECONDS = 60
    signed_in(client, world["delegate"])
    first = page(client)

    # The user with their delegate; the session from the cache, the page from the cache.
    with django_assert_num_queries(1):
        response = client.get("/ru/me/")

    assert response.templates == []
    assert _without_tokens(response.content.decode()) == _without_tokens(first)


def test_a_reload_under_the_same_generation_is_served_from_the_workers_copy(
    client, world, settings, monkeypatch
):
    settings.PROGRAMME_VERSION_CACHE_SECONDS = 60
    signed_in(client, world["delegate"])
    first = page(client)
    asked = []
    shared = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args: asked.append(key) or shared(key, *args))

    response = client.get("/ru/me/")

    assert response.templates == []
    assert _without_tokens(response.content.decode()) == _without_tokens(first)
    assert asked and not [key for key in asked if key.startswith("delegate-page")]


def test_a_new_release_makes_the_kept_page_again(client, world, settings, monkeypatch):
    settings.PROGRAMME_VERSION_CACHE_SECONDS = 60
    signed_in(client, world["delegate"])
    page(client)

    # New templates or translations: forum.revision's digest of the code moves.
    monkeypatch.setattr("delegates.page.REVISION", "new-release")
    response = client.get("/ru/me/")

    assert response.templates != []


def test_a_change_to_the_programme_renders_the_programme_alone(client, world, checked_by):
    signed_in(client, world["delegate"])
    first = page(client)
    rename_event(world)

    response = client.get("/ru/me/")

    # The page around it shows nothing of the programme: kept, with the reader's token.
    names = [template.name for template in response.templates]
    assert "delegates/includes/me_programme.html" in names and "delegates/me.html" not in names
    body = response.content.decode()
    assert "Секция после правки" in body
    assert _without_tokens(body).replace("Секция после правки", "Секция до правки") == (
        _without_tokens(first)
    )
    # Masked tokens, as Django's own, in place of the kept page's placeholder.
    assert [len(token) for token in _tokens(body)] == [64, 64]


def test_a_reload_makes_the_write_generation_when_the_cache_has_none(client, world, settings):
    settings.PROGRAMME_VERSION_CACHE_SECONDS = 60
    signed_in(client, world["delegate"])
    page(client)
    cache.delete(GENERATION_KEY)

    page(client)

    # Made as a public page makes it: the next reloads are checked against it.
    assert cache.get(GENERATION_KEY) is not None


def _without_tokens(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def _tokens(body: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)


def test_the_kept_pages_forms_carry_each_readers_own_token(world, checked_by):
    """Two browsers of one delegate (two sessions, two CSRF cookies): each kept page's forms work
    with that browser's cookie."""
    delegate = world["delegate"]
    phone, laptop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    path = delegate_link_path(delegate=delegate, token=delegate_link_issue(delegate=delegate))
    for browser in (phone, laptop):  # one link, opened on both
        token = _tokens(browser.get(path).content.decode())[0]
        assert browser.post(path, {"csrfmiddlewaretoken": token}).status_code == 302
    page(phone)  # rendered and kept
    delegate.refresh_from_db()
    old_secret = delegate.calendar_secret

    body = page(laptop)  # from what the phone left

    tokens = _tokens(body)
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    response = laptop.post("/ru/me/calendar/reset/", {"csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302
    delegate.refresh_from_db()
    assert delegate.calendar_secret != old_secret


def test_a_message_is_shown_once_and_the_new_calendar_address_at_once(client, world, checked_by):
    signed_in(client, world["delegate"])
    page(client)
    page(client)  # kept

    client.post("/ru/me/calendar/reset/")

    secret = Delegate.objects.get(pk=world["delegate"].pk).calendar_secret
    with_message, after = page(client), page(client)
    assert "Адрес вашего календаря изменен" in with_message
    assert "Адрес вашего календаря изменен" not in after
    assert f"/ru/me/calendar/{secret}.ics" in with_message
    assert f"/ru/me/calendar/{secret}.ics" in after


def rename_me(w):
    delegate = Delegate.objects.get(pk=w["delegate"].pk)
    delegate.position_ru = "Новая должность"
    delegate.save()
    return "Новая должность"


def rename_my_login(w):
    user = get_user_model().objects.get(delegate=w["delegate"])
    user.username = "new-login-name"
    user.save()
    return "new-login-name"


def new_calendar_secret_without_updated_at(w):
    # As delegates.services saves it: no updated_at, no new write generation.
    delegate = Delegate.objects.get(pk=w["delegate"].pk)
    delegate.calendar_secret = "a-new-secret"
    delegate.save(update_fields=["calendar_secret"])
    return "/ru/me/calendar/a-new-secret.ics"


@pytest.mark.parametrize(
    "change",
    [rename_me, rename_my_login, new_calendar_secret_without_updated_at],
    ids=lambda change: change.__name__,
)
def test_every_change_to_the_rest_of_the_page_is_on_the_next_page(
    client, world, checked_by, change
):
    signed_in(client, world["delegate"])
    page(client)
    page(client)  # from the cache

    shown = change(world)

    assert shown in page(client)


def test_the_address_asked_for_is_the_pages_own(client, world, checked_by):
    signed_in(client, world["delegate"])
    page(client)

    body = page(client, query="?from=mail")

    assert "/en/me/?from=mail" in body  # the language switcher keeps the query
    assert "?from=mail" not in page(client)


def test_one_delegates_kept_programme_is_never_anothers(client, world, checked_by):
    stranger = DelegateFactory()
    AssignmentFactory(delegate=stranger, event=EventFactory(title="Чужая секция"))
    client.force_login(delegate_user_ensure(delegate=world["delegate"]))
    page(client)

    client.force_login(delegate_user_ensure(delegate=stranger))
    body = page(client)

    assert "Чужая секция" in body and "Секция до правки" not in body


def test_one_delegates_kept_page_is_never_anothers(world, checked_by):
    """The whole page, name and calendar address included, in every language, both ways."""
    mine, theirs = world["delegate"], DelegateFactory(last_name="Посторонний")
    AssignmentFactory(delegate=theirs, event=EventFactory(title="Чужая секция"))
    me, stranger = signed_in(Client(), mine), signed_in(Client(), theirs)
    for language in ("ru", "en", "be"):
        page(me, language), page(stranger, language)  # both kept

        for reader, own, other in ((me, mine, theirs), (stranger, theirs, mine)):
            body = page(reader, language)
            own.refresh_from_db(), other.refresh_from_db()
            assert own.last_name in body and other.last_name not in body
            assert own.calendar_secret in body and other.calendar_secret not in body


def test_the_page_and_its_changes_are_served_while_the_cache_refuses(client, world):
    client.force_login(delegate_user_ensure(delegate=world["delegate"]))
    with override_settings(CACHES=caches(refusing_url())):
        assert "Секция до правки" in page(client)

        shown = rename_event(world)

        assert shown in page(client)


# --- the parts every delegate of an event shares (delegates.parts) ---------------------------


@pytest.fixture
def colleague(world):
    """A second delegate of the event, with no seat of their own: their page is made from the
    same kept parts as the first's."""
    colleague = DelegateFactory(last_name="Коллегова", position_ru="Эксперт комиссии")
    AssignmentFactory(delegate=colleague, event=world["event"], role=Role.EXPERT)
    return colleague


# Not the changes shown to one delegate alone: their role, their other event, and a new venue
# (shown among what changed through their own seat).
EVENT_CHANGES = [
    change for change in CHANGES if change not in (change_my_role, add_a_venue, assign_me_elsewhere)
]


@pytest.mark.parametrize("change", EVENT_CHANGES, ids=lambda change: change.__name__)
def test_a_change_is_on_the_next_page_of_every_delegate_of_the_event(
    world, colleague, checked_by, change
):
    me, them = signed_in(Client(), world["delegate"]), signed_in(Client(), colleague)
    page(me), page(them)

    shown = change(world)

    assert shown in page(me)  # the event's new part made
    assert shown in page(them)  # and read from the cache


def _others(body: str) -> str:
    start = body.index('class="me-others"')
    return body[start : body.index("</li>", start)]


def test_each_delegate_of_a_shared_part_is_left_out_of_its_others(world, colleague):
    me, them = signed_in(Client(), world["delegate"]), signed_in(Client(), colleague)

    mine, theirs = _others(page(me)), _others(page(them))

    assert "Коллегова" in mine and world["delegate"].last_name not in mine
    assert world["delegate"].last_name in theirs and "Коллегова" not in theirs
    assert "Прежнева" in mine and "Прежнева" in theirs


def test_a_delegate_of_an_edited_event_reads_the_part_made_for_another(
    world, colleague, django_assert_num_queries
):
    me, them = signed_in(Client(), world["delegate"]), signed_in(Client(), colleague)
    page(me), page(them)
    rename_event(world)
    page(me)

    # The user with their delegate, the versions of what their programme shows, their
    # assignments; nothing of the event; what the last visit showed, and now shows (its title).
    with django_assert_num_queries(5):
        body = page(them)

    assert "Секция после правки" in body and "Прежнева" in body
    assert "Документ до правки" in body and "Зал до правки" in body


def test_the_marks_of_a_change_read_from_a_kept_part_are_each_delegates_own(world, colleague):
    me, them = signed_in(Client(), world["delegate"]), signed_in(Client(), colleague)
    page(me), page(them)
    event = Event.objects.get(pk=world["event"].pk)
    event.starts_at += dt.timedelta(hours=3)
    event.ends_at += dt.timedelta(hours=3)
    event.save()
    mine = page(me, "en")

    theirs = page(them, "en")

    for body in (mine, theirs):
        assert "What changed since your last visit" in body
        assert body.count('class="me-changed-mark"') == 1
    assert "Your role" in mine and "speaker" in mine[mine.index("me-role") :]
    assert "expert" in theirs[theirs.index("me-role") :]


def test_what_a_part_holds_stays_with_the_delegates_of_its_event(client, world):
    """The video link and the documents for participants of one event: on its delegates' pages
    only, never on another event's delegate's (the same forum's) nor on a public page."""
    event = Event.objects.get(pk=world["event"].pk)
    event.video_conference_url = "https://video.example.org/room-5521"
    event.save()
    paper = DocumentFactory(event=event, title="Только участникам", access="participants")
    DocumentFileFactory(document=paper)
    page(signed_in(Client(), world["delegate"]))  # its parts kept
    stranger = DelegateFactory()
    AssignmentFactory(delegate=stranger, event=EventFactory(day=world["day"], title="Соседняя"))

    body = page(signed_in(Client(), stranger))

    assert "Соседняя" in body
    assert "room-5521" not in body and "Только участникам" not in body
    for path in (f"/ru/{world['forum'].year}/programme/", f"/ru/{world['forum'].year}/"):
        public = client.get(path).content.decode()
        assert "room-5521" not in public and "Только участникам" not in public

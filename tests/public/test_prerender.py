"""Pages made before a change is shown (public.prerender): at the commit of an edit the pages
readers asked for lately are made under an unpublished generation, then it is published. The
database commits here for real: the pages are made on a connection of their own."""

import re
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from delegates import page
from delegates.auth import SESSION_BACKEND
from delegates.models import ProgrammeSeen
from delegates.services import delegate_user_ensure
from events.models import Event
from forum.cache import publish_generation
from public import prerender
from public.caching import current_generation, programme_generation_bump
from sheets.signals import sheet_imported
from tests.factories import AssignmentFactory, DelegateFactory
from tests.support.faults import caches, refusing_url

# serialized_rollback: a later test that restores the database (tests/deploy/test_s3.py) finds
# it as migrations left it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def shared(private_redis):
    with override_settings(
        CACHES=caches(private_redis.url),
        PRERENDER_PAGES=60,
        PROGRAMME_VERSION_CACHE_SECONDS=60,
    ):
        yield


@pytest.fixture
def made(monkeypatch):
    """The addresses each publication made pages of, in order."""
    calls = []
    make_pages = prerender._make_pages

    def counted(addresses, made_here, *delegates):
        calls.append(list(addresses))
        make_pages(addresses, made_here, *delegates)

    monkeypatch.setattr(prerender, "_make_pages", counted)
    return calls


def asked_for(path: str, at: float) -> None:
    cache.note_recent(prerender.RECENT_KEY, f"http://testserver{path}", at, keep=9)


def programme(event) -> str:
    return f"/ru/{event.forum.year}/programme/"


def edit(event, title: str) -> None:
    with transaction.atomic():
        event.title_ru = title
        event.save()


def test_a_page_read_lately_is_made_before_the_change_is_shown(shared, client, event, made):
    client.get(programme(event))

    edit(event, "Правка сделана заранее")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(programme(event))
    assert "Правка сделана заранее" in page.content.decode()
    assert len(queries) == 0
    assert made == [[f"http://testserver{programme(event)}"]]


def test_writes_of_one_transaction_make_the_pages_once(shared, client, event, made):
    client.get(programme(event))

    with transaction.atomic():
        for title in ("Первая правка", "Вторая правка"):
            event.title_ru = title
            event.save()
        event.day.save()

    assert len(made) == 1
    assert "Вторая правка" in client.get(programme(event)).content.decode()


def test_a_confirmed_import_makes_the_pages_before_it_is_shown(shared, client, event, made):
    client.get(programme(event))

    # Rows written in bulk send no signal of their own; the import says so once, committed.
    Event.objects.filter(pk=event.pk).update(title_ru="Строки импорта", updated_at=timezone.now())
    sheet_imported.send(sender=Event, record=None)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(programme(event))
    assert "Строки импорта" in page.content.decode() and len(queries) == 0
    assert len(made) == 1


def test_a_write_outside_a_transaction_is_shown_at_once(shared, client, event, made):
    client.get(programme(event))

    event.title_ru = "Правка без транзакции"
    event.save()

    assert made == []
    assert "Правка без транзакции" in client.get(programme(event)).content.decode()


def test_a_change_published_while_the_pages_were_made_is_not_hidden_by_them(
    shared, client, event, monkeypatch
):
    client.get(programme(event))
    make_pages, theirs = prerender._make_pages, []

    def other_server_meanwhile(addresses, made, *delegates):
        make_pages(addresses, made, *delegates)
        theirs.append(made["generation"])
        Event.objects.filter(pk=event.pk).update(
            title_ru="Правка другого сервера", updated_at=timezone.now()
        )
        programme_generation_bump()

    monkeypatch.setattr(prerender, "_make_pages", other_server_meanwhile)
    edit(event, "Правка этого сервера")

    assert current_generation() not in theirs
    assert "Правка другого сервера" in client.get(programme(event)).content.decode()


def test_a_rolled_back_write_publishes_nothing(shared, client, event, made):
    client.get(programme(event))
    generation = current_generation()

    with pytest.raises(RuntimeError), transaction.atomic():
        event.title_ru = "Правка отменена"
        event.save()
        raise RuntimeError

    assert made == [] and current_generation() == generation


def test_the_change_is_shown_when_no_page_could_be_made_in_time(shared, client, event, settings):
    client.get(programme(event))
    settings.PRERENDER_SECONDS = 0

    edit(event, "Правка без заготовки")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(programme(event))
    assert "Правка без заготовки" in page.content.decode()
    assert len(queries) > 0


def test_an_address_that_is_no_page_now_is_passed_over(shared, client, event):
    client.get(programme(event))
    asked_for("/ru/no-such-page/", time.time())

    edit(event, "Правка после ошибки")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(programme(event))
    assert "Правка после ошибки" in page.content.decode() and len(queries) == 0


def test_the_saving_request_keeps_its_language(shared, client, event):
    client.get(programme(event))
    client.get(f"/en/{event.forum.year}/programme/")

    with translation.override("be"):
        edit(event, "Правка на белорусском экране")
        assert translation.get_language() == "be"


def test_only_addresses_asked_for_lately_and_by_readers_are_made(
    shared, client, event, editor, settings
):
    asked_for("/ru/old/", time.time() - 7200)
    client.get(programme(event))
    client.force_login(editor)
    client.get(f"/be/{event.forum.year}/programme/")  # a preview: never shared, never made

    assert prerender.recent_pages() == [f"http://testserver{programme(event)}"]
    settings.PRERENDER_PAGES = 0
    assert not prerender.enabled()


def test_pages_made_for_a_change_are_not_noted_as_asked_for(shared, client, event, made):
    asked_at = time.time() - 60
    asked_for(programme(event), asked_at)

    edit(event, "Правка без читателя")

    assert len(made) == 1
    assert cache.recent(prerender.RECENT_KEY, since=asked_at + 1, limit=9) == []


def test_nothing_is_noted_or_read_while_the_cache_is_down():
    with override_settings(CACHES=caches(refusing_url())):
        cache.note_recent("recent-test", "a", 1.0, keep=2)
        assert cache.recent("recent-test", since=0, limit=9) == []


def test_the_set_keeps_only_the_last_met(shared):
    for number, member in enumerate("abc"):
        cache.note_recent("recent-test", member, float(number), keep=2)

    assert cache.recent("recent-test", since=0, limit=9) == ["c", "b"]
    assert cache.recent("recent-test", since=2, limit=9) == ["c"]


def test_a_generation_is_published_only_over_an_older_change(shared):
    first, second = cache.change_ticket(), cache.change_ticket()

    assert publish_generation(11, first)
    # The second change's pages were read after both commits: shown, though made after the first.
    assert publish_generation(22, second) and current_generation() == "22"
    # Pages read for the first change alone, finished last: never over the second's.
    assert not publish_generation(33, first) and current_generation() == "22"
    # A change published without pages (a plain write) is the newest.
    assert publish_generation(44) and not publish_generation(55, second)
    assert current_generation() == "44"


@pytest.fixture
def delegate_reading(client, event):
    """A delegate in ``event`` who has opened their page once (so it is kept and noted)."""
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event)
    client.force_login(delegate_user_ensure(delegate=delegate), backend=SESSION_BACKEND)
    assert client.get("/ru/me/").status_code == 200
    return delegate


@pytest.fixture
def renders(monkeypatch):
    """The delegates' programmes rendered by their own requests."""
    calls = []
    render = page._render

    def counted(**kwargs):
        calls.append(kwargs["delegate"].pk)
        return render(**kwargs)

    monkeypatch.setattr(page, "_render", counted)
    return calls


def test_a_delegates_page_read_lately_is_made_before_the_change_is_shown(
    shared, client, event, delegate_reading, renders
):
    seen = ProgrammeSeen.objects.get(delegate=delegate_reading).entries

    edit(event, "Правка видна делегату")

    html = client.get("/ru/me/").content.decode()
    assert "Правка видна делегату" in html
    assert renders == []
    # Made for them, not seen by them: what their last visit saw is as it was.
    assert ProgrammeSeen.objects.get(delegate=delegate_reading).entries == seen
    assert "Changed since your last visit" not in html and "Изменено" not in html


def test_a_change_the_page_would_mark_is_left_to_the_delegates_next_visit(
    shared, client, event, delegate_reading, renders
):
    with transaction.atomic():
        event.is_cancelled = True
        event.save()

    html = client.get("/ru/me/").content.decode()
    assert renders == [delegate_reading.pk]
    assert 'class="me-changed-mark"' in html
    # Recorded by that visit: the next page marks it still, from the kept page.
    assert client.get("/ru/me/").content.decode().count('class="me-changed-mark"') == 1
    assert renders == [delegate_reading.pk]


def test_a_delegates_page_made_before_is_the_page_their_request_makes(
    shared, client, event, delegate_reading
):
    edit(event, "Одна и та же страница")
    made_before = client.get("/ru/me/").content.decode()

    cache.clear()
    made_by_request = client.get("/ru/me/").content.decode()
    token = 'name="csrfmiddlewaretoken" value="'

    def without_token(html):
        return re.sub(f'{token}[^"]*"', token + '"', html)

    assert "Одна и та же страница" in made_before
    assert without_token(made_before) == without_token(made_by_request)


def test_the_apis_answers_are_made_on_demand_only(shared, client, event, made):
    client.get(programme(event))
    client.get(f"/api/v1/events/?forum={event.forum.year}&lang=ru")

    edit(event, "Правка для API")

    assert made == [[f"http://testserver{programme(event)}"]]
    assert (
        "Правка для API" in client.get(f"/api/v1/events/?forum={event.forum.year}").content.decode()
    )


def test_a_delegates_page_that_fails_is_left_to_their_visit_and_the_rest_is_made(
    shared, client, event, delegate_reading, made, monkeypatch, caplog
):
    def broken(delegate):
        raise RuntimeError("broken")

    monkeypatch.setattr(page, "_renew", broken)
    edit(event, "Правка после сбоя")

    assert made and "could not make the delegates' pages" in caplog.text
    assert "Правка после сбоя" in client.get("/ru/me/").content.decode()

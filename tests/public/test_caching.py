import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from agreements.models import Agreement
from delegates.models import Assignment, Delegate
from delegates.services import (
    delegate_calendar_secret_reset,
    delegate_link_issue,
    delegate_link_revoke,
    delegate_user_ensure,
)
from events.models import Event
from events.services import events_set_published
from forum.models import Forum, Region
from public.caching import conditional_programme, current_generation
from public.versioning import event_versions, forum_with_version, programme_version
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    EventFactory,
    ForumFactory,
    PartyFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def feed_url(forum: Forum, language: str = "ru", name: str = "programme-ics") -> str:
    return f"/{language}" + reverse(name, kwargs={"year": forum.year})[3:]


@pytest.fixture
def forum() -> Forum:
    """A forum with a day, two venues, an event in one of them, a speaker and an agreement."""
    forum = ForumFactory()
    day = DayFactory(forum=forum)
    first, _second = VenueFactory(forum=forum), VenueFactory(forum=forum)
    event = EventFactory(day=day)
    event.venues.set([first])
    AssignmentFactory(event=event)
    PartyFactory.create_batch(2, agreement=AgreementFactory(forum=forum, event=event))
    return forum


@pytest.fixture
def staff_client(editor):
    """A second browser, signed in as staff, beside the anonymous `client`."""
    staff = Client()
    staff.force_login(editor)
    return staff


def etag(client, forum: Forum, language: str = "ru") -> str:
    response = client.get(feed_url(forum, language))
    assert response.status_code == 200
    return response["ETag"]


# --- what the version follows ------------------------------------------------------------------


def test_version_is_read_with_the_forum_in_two_queries(forum, django_assert_num_queries):
    # The forum's row, then every measure of the forum and of each of its events.
    with django_assert_num_queries(2):
        found = forum_with_version(year=forum.year)

    assert found == forum
    assert len(found.programme_version) == 16


def test_events_versions_read_with_the_forum_cost_one_query_more(forum, django_assert_num_queries):
    found = forum_with_version(year=forum.year)

    # Only the published events in programme order: their versions came with the forum's.
    with django_assert_num_queries(1):
        versions = event_versions(forum=found)

    assert [pk for pk, _day, _version in versions] == [forum.events.get().pk]


def test_a_forum_at_hand_has_its_version_read_in_one_query(forum, django_assert_num_queries):
    at_hand = Forum.objects.get(pk=forum.pk)

    with django_assert_num_queries(1):
        programme_version(forum=at_hand)
    # Its events' versions too, then its published events.
    with django_assert_num_queries(2):
        event_versions(forum=at_hand)


def test_version_stays_while_nothing_changes(client, forum):
    other = ForumFactory()
    before = etag(client, forum)
    EventFactory(day=DayFactory(forum=other), title="Другой форум")
    AgreementFactory(forum=other)

    assert etag(client, forum) == before
    assert etag(client, forum) == before


def edit_event_title(forum):
    event = forum.events.get()
    event.title = "Новое название"
    event.save()


def add_assignment(forum):
    AssignmentFactory(event=forum.events.get())


def rename_delegate(forum):
    delegate = Assignment.objects.get(event__forum=forum).delegate
    delegate.last_name = "Переименованный"
    delegate.save()


def edit_agreement(forum):
    agreement = forum.agreements.get()
    agreement.title = "Новое соглашение"
    agreement.save()


def edit_party(forum):
    party = forum.agreements.get().parties.first()
    party.name = "Другая сторона"
    party.save()


def swap_venues(forum):
    # The count of event↔venue rows stays the same; the event's own row is not touched.
    event = forum.events.get()
    event.venues.set(forum.venues.exclude(pk__in=event.venues.all()))


def add_venue_to_event(forum):
    forum.events.get().venues.set(forum.venues.all())


def delete_assignment(forum):
    Assignment.objects.filter(event__forum=forum).delete()


def delete_party(forum):
    forum.agreements.get().parties.first().delete()


def delete_agreement(forum):
    Agreement.objects.filter(forum=forum).delete()


def delete_event(forum):
    Agreement.objects.filter(forum=forum).update(event=None, updated_at=timezone.now())
    Event.objects.filter(forum=forum).delete()


def add_day(forum):
    DayFactory(forum=forum, date=forum.ends_on)


def edit_forum(forum):
    forum.theme = "Новая тема"
    forum.save()


@pytest.mark.parametrize(
    "change",
    [
        edit_event_title,
        add_assignment,
        rename_delegate,
        edit_agreement,
        edit_party,
        swap_venues,
        add_venue_to_event,
        delete_assignment,
        delete_party,
        delete_agreement,
        delete_event,
        add_day,
        edit_forum,
    ],
)
def test_etag_changes_when_the_programme_changes(client, forum, change):
    before = etag(client, forum)

    change(forum)

    assert etag(client, forum) != before


def test_swapping_venues_changes_the_version_though_no_updated_at_moves(forum):
    event = forum.events.get()
    touched = event.updated_at
    before = programme_version(forum=forum)

    swap_venues(forum)

    event.refresh_from_db()
    assert event.updated_at == touched
    assert programme_version(forum=forum) != before


def test_queryset_update_without_updated_at_goes_unseen(forum):
    # The documented limit: update() skips auto_now. Setting updated_at makes it seen.
    before = programme_version(forum=forum)
    Event.objects.filter(forum=forum).update(title="Тайком")
    assert programme_version(forum=forum) == before

    Event.objects.filter(forum=forum).update(title="Открыто", updated_at=timezone.now())
    assert programme_version(forum=forum) != before


# --- conditional requests ----------------------------------------------------------------------


def test_response_has_etag_last_modified_and_a_short_public_max_age(client, forum):
    response = client.get(feed_url(forum))

    assert response["ETag"].startswith('W/"')
    assert response["ETag"].endswith('-ru"')
    assert response["Last-Modified"]
    assert response["Cache-Control"] == "public, max-age=60"


def test_matching_etag_answers_304_in_two_queries(client, forum, django_assert_num_queries):
    tag = etag(client, forum)

    # the forum, then its version (with the version cache off, as in the tests)
    with django_assert_num_queries(2):
        response = client.get(feed_url(forum), headers={"if-none-match": tag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == tag


def test_if_modified_since_answers_304_in_two_queries(client, forum, django_assert_num_queries):
    modified = client.get(feed_url(forum))["Last-Modified"]

    with django_assert_num_queries(2):
        response = client.get(feed_url(forum), headers={"if-modified-since": modified})

    assert response.status_code == 304


def test_stale_etag_gets_the_new_content(client, forum):
    tag = etag(client, forum)
    edit_event_title(forum)

    response = client.get(feed_url(forum), headers={"if-none-match": tag})

    assert response.status_code == 200
    assert "Новое название" in response.content.decode()


def test_last_modified_moves_on_after_a_deletion(client, forum):
    # A programme last edited and first served yesterday ...
    yesterday = timezone.now() - dt.timedelta(days=1)
    for model in (Forum, Region, Event, Agreement, Assignment, Delegate):
        model.objects.update(updated_at=yesterday)
    for rows in (forum.days, forum.venues, forum.agreements.get().parties):
        rows.update(updated_at=yesterday)
    version = forum_with_version(year=forum.year).programme_version
    cache.set(f"programme-seen:{forum.pk}:{version}", int(yesterday.timestamp()))
    first = client.get(feed_url(forum))["Last-Modified"]
    assert first == http_date(int(yesterday.timestamp()))

    # ... loses a party today: no row left behind is newer, yet the date moves on.
    delete_party(forum)
    response = client.get(feed_url(forum), headers={"if-modified-since": first})

    assert response.status_code == 200
    assert response["Last-Modified"] != first


# --- the shared cache --------------------------------------------------------------------------


def test_warm_cache_serves_the_same_bytes_in_two_queries(client, forum, django_assert_num_queries):
    cold = client.get(feed_url(forum))

    # The forum and its version (from the database with the version cache off).
    with django_assert_num_queries(2):
        warm = client.get(feed_url(forum))

    assert warm.status_code == 200
    assert warm.content == cold.content
    assert warm["Content-Type"] == cold["Content-Type"]
    assert warm["Content-Disposition"] == cold["Content-Disposition"]
    assert warm["ETag"] == cold["ETag"]


def test_cache_keeps_each_language_apart(client, forum):
    event = forum.events.get()
    event.title_en = "English title"
    event.save()

    russian = client.get(feed_url(forum, "ru"))
    english = client.get(feed_url(forum, "en"))
    english_again = client.get(feed_url(forum, "en"))

    assert "English title" not in russian.content.decode()
    assert "English title" in english.content.decode()
    assert english_again.content == english.content
    assert russian["ETag"] != english["ETag"]


def test_an_edit_is_served_at_once(client, forum):
    client.get(feed_url(forum))
    edit_event_title(forum)

    assert "Новое название" in client.get(feed_url(forum)).content.decode()


def test_staff_responses_are_private_and_never_cached(client, staff_client, forum):
    hidden = EventFactory(day=forum.days.get(), is_published=False, title="Скрытая секция")
    url = feed_url(forum)
    public = client.get(url)

    staff = staff_client.get(url)

    assert staff["Cache-Control"] == "private, no-store"
    assert "ETag" not in staff
    assert "Last-Modified" not in staff
    # Not served from the shared cache: the staff view shows the unpublished event ...
    assert f"event-{hidden.pk}@" in staff.content.decode()
    # ... and not stored in it: the public still gets the public programme, from the cache.
    again = client.get(url)
    assert f"event-{hidden.pk}@" not in again.content.decode()
    assert again.content == public.content


def test_staff_conditional_request_gets_the_full_private_response(staff_client, client, forum):
    tag = etag(client, forum)

    response = staff_client.get(feed_url(forum), headers={"if-none-match": tag})

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_staff_first_fetch_leaves_nothing_in_the_cache(
    client, staff_client, forum, django_assert_num_queries
):
    EventFactory(day=forum.days.get(), is_published=False)
    staff_client.get(feed_url(forum))
    staff_client.logout()
    cache_hit_queries = 1

    with CaptureQueriesContext(connection) as queries:
        response = client.get(feed_url(forum))

    assert len(queries) > cache_hit_queries
    assert response["Cache-Control"] == "public, max-age=60"


def test_unknown_or_draft_year_is_not_found(client, forum):
    Forum.objects.filter(pk=forum.pk).update(is_published=False)

    assert client.get(feed_url(forum)).status_code == 404
    assert client.get("/ru/1999/programme.ics").status_code == 404


def make_request(forum: Forum):
    request = RequestFactory().get(f"/ru/{forum.year}/test/")
    request.user = AnonymousUser()
    return request


def test_a_response_with_a_csrf_token_or_a_cookie_is_never_shared(forum):
    calls = []

    @conditional_programme
    def with_token(request, year):
        calls.append(year)
        return HttpResponse(get_token(request))

    @conditional_programme
    def with_cookie(request, year):
        calls.append(year)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    for view in (with_token, with_cookie):
        first = view(make_request(forum), year=forum.year)
        second = view(make_request(forum), year=forum.year)
        assert first["Cache-Control"] == second["Cache-Control"] == "private, no-store"
        assert "ETag" not in first

    assert len(calls) == 4


def test_only_successful_responses_are_cached(forum):
    calls = []

    @conditional_programme
    def flaky(request, year):
        calls.append(year)
        return HttpResponse("try again", status=503)

    flaky(make_request(forum), year=forum.year)
    flaky(make_request(forum), year=forum.year)

    assert len(calls) == 2


def test_decorator_sends_304_to_a_matching_if_modified_since(forum):
    @conditional_programme
    def page(request, year):
        return HttpResponse("page")

    request = make_request(forum)
    request.META["HTTP_IF_MODIFIED_SINCE"] = http_date(
        (timezone.now() + dt.timedelta(minutes=1)).timestamp()
    )

    assert page(request, year=forum.year).status_code == 304


def test_delegate_contact_change_outside_the_programme_keeps_the_version(client, forum):
    # A delegate of no event of this forum: nothing of this forum's pages changes.
    before = etag(client, forum)
    DelegateFactory(email="someone@example.org")

    assert etag(client, forum) == before


# --- the public pages --------------------------------------------------------------------------


def page_urls(forum: Forum) -> list[str]:
    year, slug = forum.year, forum.events.get().slug
    return [
        f"/en/{year}/",
        f"/en/{year}/programme/",
        f"/en/{year}/events/{slug}/",
        f"/en/{year}/agreements/",
        f"/en/{year}/agreements/?format=csv",
        f"/en/{year}/programme.ics",
        f"/en/{year}/events/{slug}.ics",
        f"/en/{year}/schedule.json",
    ]


def test_every_programme_page_and_feed_answers_a_poll_with_304_in_two_queries(
    client, forum, django_assert_num_queries
):
    for url in page_urls(forum):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["Cache-Control"] == "public, max-age=60", url

        # The forum and its version each time (the version cache is off).
        with django_assert_num_queries(2):
            assert client.get(url).content == first.content, url
        with django_assert_num_queries(2):
            polled = client.get(url, headers={"if-none-match": first["ETag"]})
        assert polled.status_code == 304, url


def test_every_programme_page_is_private_for_staff(staff_client, forum):
    for url in page_urls(forum):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert "ETag" not in response, url


def test_registry_filters_are_cached_apart(client, forum):
    agreement = forum.agreements.get()
    AgreementFactory(forum=forum, status="planned", title="Плановое соглашение")
    url = f"/ru/{forum.year}/agreements/"

    everything = client.get(url).content.decode()
    signed_only = client.get(url, {"status": "signed"}).content.decode()

    assert "Плановое соглашение" in everything
    assert "Плановое соглашение" not in signed_only
    assert agreement.title in everything


def test_cache_keeps_each_host_apart(forum):
    # Feeds hold absolute links: one host's copy must not answer another.
    first = Client(HTTP_HOST="localhost").get(feed_url(forum)).content.decode()
    second = Client(HTTP_HOST="127.0.0.1").get(feed_url(forum)).content.decode()

    assert "http://localhost/" in first
    assert "http://127.0.0.1/" in second and "http://localhost/" not in second


def test_unknown_event_stays_not_found_whatever_validators_it_is_sent(client, forum):
    tag = etag(client, forum, "en")
    url = f"/en/{forum.year}/events/no-such-event/"

    assert client.get(url, headers={"if-none-match": tag}).status_code == 404
    assert (
        client.get(url.removesuffix("/") + ".ics", headers={"if-none-match": tag}).status_code
        == 404
    )


# --- a delegate's secrets are not the public's business ----------------------------------------


def issue_link(delegate):
    delegate_link_issue(delegate=delegate)


def revoke_link(delegate):
    delegate_link_revoke(delegate=delegate)


def new_calendar_address(delegate):
    delegate_calendar_secret_reset(delegate=delegate)


def first_sign_in(delegate):
    delegate_user_ensure(delegate=delegate)


SECRETS = [issue_link, revoke_link, new_calendar_address, first_sign_in]


@pytest.mark.parametrize("secret", SECRETS, ids=lambda secret: secret.__name__)
def test_a_delegates_link_login_or_calendar_secret_moves_no_version(forum, secret):
    delegate = Assignment.objects.get(event__forum=forum).delegate
    version, generation = programme_version(forum=forum), current_generation()

    secret(delegate)

    assert programme_version(forum=forum) == version
    # Nor the write generation: every app server's kept pages stay.
    assert current_generation() == generation


def test_an_issued_link_is_still_in_the_admins_history(forum):
    delegate = Assignment.objects.get(event__forum=forum).delegate

    delegate_link_issue(delegate=delegate)

    delegate.refresh_from_db()
    assert delegate.history.latest().access_link_issued_at == delegate.access_link_issued_at
    assert delegate.access_link_issued_at is not None


def test_an_edit_saved_with_its_updated_at_still_moves_version_and_generation(forum):
    event = Event.objects.get(forum=forum)
    version, generation = programme_version(forum=forum), current_generation()

    events_set_published(events=Event.objects.filter(pk=event.pk), published=False)

    assert programme_version(forum=forum) != version
    assert current_generation() != generation

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import translate_url

from tests.factories import DelegateFactory, EventFactory, ForumFactory
from tests.public.conftest import (
    DRAFT_DOCUMENT_TITLE,
    DRAFT_EVENT_TITLE,
    DRAFT_FORUM_TITLE,
    PARTICIPANTS_DOCUMENT_TITLE,
    PRIVATE_AGREEMENT_TITLE,
    SECRET_EMAIL,
    SECRET_PHONE,
    SECRET_VIDEO,
    make_forum,
)

LANGUAGES = ["ru", "be", "en"]


def page_paths(forum, events, lang):
    year = forum.year
    return [
        f"/{lang}/",
        f"/{lang}/{year}/",
        f"/{lang}/{year}/programme/",
        *(f"/{lang}/{year}/events/{event.slug}/" for event in events),
        f"/{lang}/{year}/agreements/",
        f"/{lang}/{year}/agreements/?status=signed&country=BY",
        f"/{lang}/{year}/agreements/?format=csv",
    ]


@pytest.mark.django_db
def test_every_public_page_answers_in_every_language(client, forum_with_secrets):
    forum, events, _draft = forum_with_secrets
    for lang in LANGUAGES:
        for path in page_paths(forum, events, lang):
            response = client.get(path)
            assert response.status_code == 200, path
            if "format=csv" not in path:
                assert f'<html lang="{lang}">' in response.content.decode(), path


@pytest.mark.django_db
def test_no_public_page_shows_private_data(client, forum_with_secrets):
    forum, events, draft = forum_with_secrets
    secrets = [
        SECRET_EMAIL,
        SECRET_PHONE,
        SECRET_VIDEO,
        DRAFT_EVENT_TITLE,
        PRIVATE_AGREEMENT_TITLE,
        DRAFT_FORUM_TITLE,
        PARTICIPANTS_DOCUMENT_TITLE,
        DRAFT_DOCUMENT_TITLE,
        "closed-door",
        "@example.org",
        "99999",
        "/me/documents/",
    ]
    for lang in LANGUAGES:
        for path in page_paths(forum, events, lang):
            body = client.get(path).content.decode("utf-8-sig")
            for secret in secrets:
                assert secret not in body, (path, secret)


def draft_paths(forum, draft) -> list[str]:
    return [
        f"/ru/{draft.year}/",
        f"/ru/{draft.year}/programme/",
        f"/ru/{draft.year}/agreements/",
        f"/ru/{draft.year}/programme.ics",
        f"/ru/{draft.year}/schedule.json",
        f"/en/{forum.year}/events/closed-door/",
        f"/en/{forum.year}/events/closed-door.ics",
    ]


@pytest.mark.django_db
def test_draft_forum_and_unpublished_event_are_not_found_by_the_public(client, forum_with_secrets):
    forum, _events, draft = forum_with_secrets
    for path in draft_paths(forum, draft):
        assert client.get(path).status_code == 404, path


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["delegate", "inactive staff"])
def test_a_signed_in_reader_who_is_not_staff_sees_no_draft(client, forum_with_secrets, kind):
    forum, _events, draft = forum_with_secrets
    user = User.objects.create_user("reader", is_staff=kind == "inactive staff", is_active=False)
    if kind == "delegate":
        user.is_active = True
        user.save()
        DelegateFactory(user=user)
    client.force_login(user)

    for path in draft_paths(forum, draft):
        assert client.get(path).status_code == 404, path
    programme = client.get(f"/en/{forum.year}/programme/").content.decode()
    assert DRAFT_EVENT_TITLE not in programme
    assert (
        PRIVATE_AGREEMENT_TITLE not in client.get(f"/en/{forum.year}/agreements/").content.decode()
    )


@pytest.mark.django_db
def test_staff_preview_drafts_with_a_notice_and_a_private_cache(client, forum_with_secrets, editor):
    forum, _events, draft = forum_with_secrets
    client.force_login(editor)

    overview = client.get(f"/en/{draft.year}/")
    event = client.get(f"/en/{forum.year}/events/closed-door/")

    assert overview.status_code == 200
    assert DRAFT_FORUM_TITLE in overview.content.decode()
    assert event.status_code == 200
    assert DRAFT_EVENT_TITLE in event.content.decode()
    for response in (overview, event):
        assert "notice-preview" in response.content.decode()
        assert "private" in response["Cache-Control"]
    # Contacts stay private even for staff on the public pages.
    assert SECRET_EMAIL not in client.get(f"/en/{forum.year}/programme/").content.decode()


@pytest.mark.django_db
def test_public_pages_carry_no_preview_notice(client, forum_with_secrets):
    forum, _events, _draft = forum_with_secrets

    response = client.get(f"/en/{forum.year}/programme/")

    assert "notice-preview" not in response.content.decode()
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_home_features_a_forum_and_lists_every_published_edition(client):
    old, _ = make_forum(events=0, agreements=0, year=2019)
    latest, _ = make_forum(events=0, agreements=0, year=2020)
    ForumFactory(title="Черновик", title_en="Hidden draft", is_published=False)

    body = client.get("/en/").content.decode()

    featured = body.split('class="featured"', 1)[1].split("</section>", 1)[0]
    assert "Forum 2020" in featured
    archive = body.split('class="archive"', 1)[1]
    assert "Forum 2020" in archive and "Forum 2019" in archive
    assert "Hidden draft" not in body
    assert "70" in archive and "более 700 млн" in archive  # agreements as reported


@pytest.mark.django_db
def test_programme_lists_days_in_order_with_anchors_times_and_zone(client):
    forum, events = make_forum(events=3)

    body = client.get(f"/en/{forum.year}/programme/").content.decode()

    first, second = body.index('id="day-2020-09-28"'), body.index('id="day-2020-09-29"')
    assert first < second
    assert "10:00" in body and "12:00" in body and "Europe/Moscow" in body
    assert "Moscow studio" in body and "Минск" in body  # both cities of a twin-city session
    assert "Депутат" in body and "Совет Республики" in body


@pytest.mark.django_db
def test_an_event_without_times_says_so_and_invents_none(client):
    forum, events = make_forum(events=1)
    EventFactory(
        day=events[0].day, starts_at=None, ends_at=None, title_en="Untimed", slug="untimed"
    )

    body = client.get(f"/en/{forum.year}/events/untimed/").content.decode()

    assert "time to be announced" in body
    assert '<time datetime="2020-09-28T' not in body


@pytest.mark.django_db
def test_participants_are_grouped_chairs_moderators_then_speakers(client):
    forum, events = make_forum(events=1)

    body = client.get(f"/en/{forum.year}/events/{events[0].slug}/").content.decode()

    headings = re.findall(r"<dt>(Chairs|Co-chairs|Moderators|Speakers|Participants)</dt>", body)
    assert headings == ["Chairs", "Moderators", "Speakers"]


@pytest.mark.django_db
def test_event_page_shows_description_agreements_and_calendar_link(client):
    forum, events = make_forum(events=1, agreements=2)
    event = events[0]

    body = client.get(f"/en/{forum.year}/events/{event.slug}/").content.decode()

    assert "Описание секции" in body
    assert "Agreements signed at this event" in body
    assert f'href="/en/{forum.year}/events/{event.slug}.ics"' in body


@pytest.mark.django_db
def test_programme_links_to_calendar_and_schedule(client):
    forum, _events = make_forum(events=1)

    body = client.get(f"/be/{forum.year}/programme/").content.decode()

    assert f'href="/be/{forum.year}/programme.ics"' in body
    assert f'href="/be/{forum.year}/schedule.json"' in body


@pytest.mark.django_db
def test_overview_shows_theme_format_organisers_days_and_counts(client):
    forum, _events = make_forum(events=2, agreements=3)

    body = client.get(f"/en/{forum.year}/").content.decode()

    assert "Тема форума" in body
    assert "Hybrid" in body
    assert "Federation Council" in body and "Council of the Republic" in body
    assert f'href="/en/{forum.year}/programme/#day-2020-09-28"' in body
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", body))
    assert counts["Expected before the forum"] == "18"
    assert counts["Reported signed"] == "70"
    assert counts["Signed, in our registry"] == "3"


@pytest.mark.django_db
def test_sample_data_is_marked_on_the_page(client):
    forum, events = make_forum(events=1, agreements=1)  # factories make sample delegates

    for path in (f"/en/{forum.year}/programme/", f"/en/{forum.year}/agreements/"):
        assert "notice-sample" in client.get(path).content.decode(), path


@pytest.mark.django_db
def test_language_switcher_keeps_the_page_and_its_filters(client):
    forum, events = make_forum(events=1)

    body = client.get(f"/ru/{forum.year}/agreements/?status=signed").content.decode()

    assert f'href="/be/{forum.year}/agreements/?status=signed" lang="be"' in body
    assert f'href="/en/{forum.year}/agreements/?status=signed" lang="en"' in body


@pytest.mark.django_db
def test_the_language_links_are_those_django_translates_the_address_to(client):
    forum, events = make_forum(events=1)
    paths = [
        *page_paths(forum, events, "be"),
        "/be/statistics/",
        "/be/regions/",
        "/be/search/?q=%D1%81%D0%BE%D0%B3%D0%BB%D0%B0%D1%88%D0%B5%D0%BD%D0%B8%D0%B5&kind=event",
    ]
    for path in paths:
        response = client.get(path)
        if response.context is None:  # the CSV download: no template, no links
            continue
        request = response.wsgi_request
        links = {item["code"]: item for item in response.context["page_languages"]}
        for lang in LANGUAGES:
            assert links[lang]["switch_url"] == translate_url(request.get_full_path(), lang)
            assert links[lang]["url"] == request.build_absolute_uri(
                translate_url(request.path, lang)
            )


@pytest.mark.django_db
def test_every_page_names_its_canonical_url_and_alternates(client):
    forum, events = make_forum(events=1)

    body = client.get(f"/be/{forum.year}/events/{events[0].slug}/").content.decode()

    path = f"/{forum.year}/events/{events[0].slug}/"
    assert f'<link rel="canonical" href="http://testserver/be{path}">' in body
    for lang in LANGUAGES:
        assert (
            f'<link rel="alternate" hreflang="{lang}" href="http://testserver/{lang}{path}">'
            in body
        )
    assert f'hreflang="x-default" href="http://testserver/ru{path}"' in body


@pytest.mark.django_db
def test_root_sends_the_reader_to_their_language():
    response = Client(headers={"accept-language": "be,ru;q=0.8"}).get("/")

    assert response.status_code == 302
    assert response["Location"] == "/be/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/ru/1999/",
        "/en/2020/events/no-such-event/",
        "/de/",
        "/de/2020/programme/",
        "/xx/2020/",
        "/ru/twenty/",
        "/ru/20201/",
        "/ru/99999999999999999999/programme/",
        "/ru/2020/programme/junk/",
        "/ru/2020/junk/",
        "/ru/2020/events/",
        "/ru/2020/events/section/extra/",
        "/ru/2020/events/bad%20slug/",
        "/be/2020/agreements/more/",
        "/en/2020/programme/../../etc/passwd",
        "/ru/%00/",
    ],
)
def test_typed_urls_that_lead_nowhere_answer_a_translated_404(client, path):
    make_forum(events=1)

    response = client.get(path, follow=True)

    assert response.status_code == 404
    body = response.content.decode()
    # Our own page, in the language of the prefix (Russian where the prefix is no language).
    lang = path.split("/")[1] if path.split("/")[1] in LANGUAGES else "ru"
    assert f'<html lang="{lang}">' in body
    assert 'class="skip-link"' in body and f'href="/{lang}/"' in body


@pytest.mark.django_db
def test_404_page_is_in_the_reader_language(client):
    body = client.get("/en/1999/").content.decode()

    assert '<html lang="en">' in body
    assert "Page not found" in body


@pytest.mark.django_db
def test_404_page_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/en/2020/programme/junk/")

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
def test_page_query_counts_do_not_grow_with_the_forum(client, django_assert_num_queries, size):
    forum, events = make_forum(events=size, agreements=size, documents=True)
    year = forum.year
    # Each page of a year counts two queries more for conditional_programme: the forum, then its
    # programme version (a warm cache or a 304 then costs those two only).
    # The overview and the event page: two for their documents and the documents' files; the
    # event page one for the events' slugs, to key it by its event's version (the programme
    # before it read the versions). The registry: two for its agreements' versions and the ids it
    # shows; a filter then finds the versions and its rows kept (public.fragments).
    expected = {
        "/en/": 1,
        f"/en/{year}/": 8,
        f"/en/{year}/programme/": 7,
        f"/en/{year}/events/{events[0].slug}/": 11,
        f"/en/{year}/agreements/": 9,
        f"/en/{year}/agreements/?kind=agreement&status=signed&country=BY&region=BY-HR": 6,
        f"/en/{year}/agreements/?format=csv": 6,
    }
    for path, queries in expected.items():
        with django_assert_num_queries(queries):
            assert client.get(path).status_code == 200, path


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
def test_home_query_count_does_not_grow_with_the_archive(client, django_assert_num_queries, size):
    for _ in range(size):
        ForumFactory()

    with django_assert_num_queries(1):
        response = client.get("/be/")

    assert response.content.decode().count('<li>\n    <h3><a href="/be/') == size


@pytest.mark.django_db
def test_programme_names_the_leads_and_counts_the_other_participants(client):
    from delegates.models import Role
    from tests.factories import AssignmentFactory, DelegateFactory

    forum, events = make_forum(events=1)
    event = events[0]
    for name in ("Sitter-A", "Sitter-B", "Sitter-C"):
        AssignmentFactory(
            event=event, role=Role.PARTICIPANT, delegate=DelegateFactory(last_name_en=name)
        )

    programme = client.get(f"/en/{forum.year}/programme/").content.decode()
    event_page = client.get(f"/en/{forum.year}/events/{event.slug}/").content.decode()

    assert "Sitter-A" not in programme
    assert "and 3 more participants" in programme
    assert all(name in event_page for name in ("Sitter-A", "Sitter-B", "Sitter-C"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ru/", "/admin/login/"])
def test_pages_name_an_icon_the_static_files_hold(client, path):
    # Without one, every browser asks for /favicon.ico and logs a 404.
    body = client.get(path).content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', body)

    assert icon and finders.find(icon.group(1))

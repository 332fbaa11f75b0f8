"""Across the editions: statistics, regions, search, the open-data API, the sitemap."""

import csv
import dataclasses
import datetime as dt
import importlib
import io
import re
from collections import Counter

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

from agreements.models import Agreement, Party, Status
from delegates.models import Delegate, Role
from events.models import EventKind
from forum.models import Region
from public import search as search_module
from public.search import KINDS
from public.versioning import figures_version, site_version
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    EventFactory,
    ForumFactory,
    PartyFactory,
    RegionFactory,
)
from tests.public.conftest import (
    DRAFT_EVENT_TITLE,
    DRAFT_FORUM_TITLE,
    PRIVATE_AGREEMENT_TITLE,
    SECRET_EMAIL,
    SECRET_PHONE,
    SECRET_VIDEO,
    make_forum,
)

SECRETS = [
    SECRET_EMAIL,
    SECRET_PHONE,
    SECRET_VIDEO,
    DRAFT_EVENT_TITLE,
    PRIVATE_AGREEMENT_TITLE,
    DRAFT_FORUM_TITLE,
    "@example.org",
]


def archive(size: int):
    """``size`` editions, each with agreements between Vitebsk, Minsk region and Smolensk."""
    forums = []
    vitebsk, minsk, smolensk = (RegionFactory(code=c) for c in ("BY-VI", "BY-MI", "RU-SMO"))
    for index in range(size):
        year = 2015 + index
        forum = ForumFactory(number=index + 2, year=year, agreements_reported=10 + index)
        event = EventFactory(day=DayFactory(forum=forum), title_en=f"Plenary {year}")
        AssignmentFactory(
            event=event,
            role=Role.SPEAKER,
            delegate=DelegateFactory(region=vitebsk, last_name_en=f"Vitebskov{index}"),
        )
        for number, (first, second) in enumerate([(vitebsk, smolensk), (minsk, smolensk)]):
            agreement = AgreementFactory(
                forum=forum,
                status=Status.SIGNED if number == 0 else Status.PLANNED,
                value=1000 if number == 0 else None,
                currency="RUB" if number == 0 else "",
                signed_on=dt.date(year, 9, 28) if number == 0 else None,
                event=event,
            )
            PartyFactory(agreement=agreement, country="BY", region=first)
            PartyFactory(agreement=agreement, country="RU", region=second)
        forums.append(forum)
    return forums


def csv_rows(client, slug: str, lang: str = "en") -> list[list[str]]:
    response = client.get(f"/{lang}/statistics/{slug}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- Statistics -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agreements_per_edition_are_the_registry_recounted(client, forum_with_secrets):
    archive(2)

    rows = csv_rows(client, "agreements-per-edition")

    published = Agreement.objects.filter(is_public=True, forum__is_published=True)
    expected = Counter(published.values_list("forum__year", flat=True))
    shown = {int(row[0]): int(row[3]) for row in rows[1:]}
    assert shown == {year: expected.get(year, 0) for year in shown}
    assert PRIVATE_AGREEMENT_TITLE not in str(rows)
    assert all(int(row[0]) != forum_with_secrets[2].year for row in rows[1:])


@pytest.mark.django_db
def test_regions_and_pairs_count_each_agreement_once(client):
    archive(3)

    belarus = csv_rows(client, "regions-of-belarus")
    pairs = csv_rows(client, "region-pairs")

    minsk, vitebsk, smolensk = (
        Region.objects.get(code=c).name for c in ("BY-MI", "BY-VI", "RU-SMO")
    )
    assert [row[:2] for row in belarus[1:]] == [[minsk, "3"], [vitebsk, "3"]]
    together = {(row[0], row[1]): row[2] for row in pairs[1:]}
    assert together == {
        tuple(sorted([minsk, smolensk])): "3",
        tuple(sorted([vitebsk, smolensk])): "3",
    } or together == {(minsk, smolensk): "3", (vitebsk, smolensk): "3"}
    assert belarus[0][-1] == "sample data" and belarus[1][-1] == "yes"


@pytest.mark.django_db
def test_people_per_edition_count_each_person_once_by_country_and_by_category(client):
    (first, second) = archive(2)
    Delegate.objects.update(is_sample=False)
    event = first.events.get()
    business = DelegateFactory(country="RU", category="business", is_sample=False)
    AssignmentFactory(event=event, delegate=business, role=Role.SPEAKER)
    AssignmentFactory(event=EventFactory(day=event.day), delegate=business)
    AssignmentFactory(event=second.events.get(), delegate=DelegateFactory(category="deputy"))

    def table(slug: str) -> dict:
        header, *rows = csv_rows(client, slug)
        return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows}

    countries, categories = table("delegates-by-country"), table("delegates-by-category")
    assert countries["2015"] == {"Belarus": "1", "Russia": "1", "Total": "2", "sample data": ""}
    assert countries["2016"] == {"Belarus": "2", "Russia": "0", "Total": "2", "sample data": "yes"}
    assert countries["All editions"]["Total"] == "4"
    assert (categories["2015"]["Business"], categories["2015"]["sample data"]) == ("1", "")
    assert (categories["2016"]["Deputy"], categories["2016"]["sample data"]) == ("1", "yes")
    assert categories["All editions"]["Total"] == "4"


@pytest.mark.django_db
def test_status_table_and_its_chart_agree(client):
    archive(2)

    rows = csv_rows(client, "agreements-by-status")
    body = client.get("/en/statistics/").content.decode()

    assert rows[0][:4] == ["Year", "Planned", "Signed", "Cancelled"]
    assert rows[-1][:5] == ["All editions", "2", "2", "0", "4"]
    chart = body.split('id="agreements-by-status"', 1)[1].split("</figure>", 1)[0]
    assert "Planned: 2, Signed: 2, Cancelled: 0" in chart  # the text alternative


@pytest.mark.django_db
def test_every_chart_is_named_described_and_styled_only_by_attributes(client):
    archive(1)

    body = client.get("/ru/statistics/").content.decode()

    charts = re.findall(r"<svg .*?</svg>", body, flags=re.S)
    assert len(charts) == 9
    for chart in charts:
        assert 'role="img"' in chart and "<title " in chart and "<desc " in chart
        assert "style=" not in chart and "<style" not in chart and "<script" not in chart
    assert body.count('<table class="figures">') == 10
    assert body.count('.csv" type="text/csv" download') == 10


@pytest.mark.django_db
def test_an_unknown_statistics_table_is_404(client):
    assert client.get("/en/statistics/nothing.csv").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 4])
def test_statistics_query_count_does_not_grow(client, django_assert_num_queries, size):
    archive(size)

    # The site version, the figures' version (the events), the editions, the regions, then one
    # query per figure (the people by country and by category in one).
    with django_assert_num_queries(13):
        assert client.get("/en/statistics/").status_code == 200


@pytest.mark.django_db
def test_statistics_read_once_for_every_language_and_csv(client, django_assert_num_queries):
    archive(2)
    made_whole = {path: client.get(path).content for path in ("/ru/statistics/", "/be/statistics/")}
    made_whole["csv"] = client.get("/be/statistics/region-pairs.csv").content
    cache.clear()

    client.get("/en/statistics/")
    # The site version each (the tests keep none): what the figures read is in the cache.
    with django_assert_num_queries(3):
        shared = {path: client.get(path).content for path in ("/ru/statistics/", "/be/statistics/")}
        shared["csv"] = client.get("/be/statistics/region-pairs.csv").content
    assert shared == made_whole


@pytest.mark.django_db
def test_statistics_after_a_change_show_it_in_every_language(client):
    (forum, _second) = archive(2)
    for language in ("en", "ru"):
        client.get(f"/{language}/statistics/")
    AgreementFactory(forum=forum, title="Ещё одно", is_sample=False)

    for language in ("en", "ru"):
        rows = csv_rows(client, "agreements-per-edition", language)
        assert rows[1][3] == "3", language
        body = client.get(f"/{language}/statistics/").content.decode()
        assert "<td>3</td>" in body.split('id="agreements-per-edition"')[1].split("</table>")[0]


LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/statistics/", "/en/regions/"])
def test_an_events_new_texts_and_links_cost_the_pages_of_figures_no_read_again(client, path):
    (forum, _second) = archive(2)
    before = client.get(path).content
    event = forum.events.first()
    event.title_en = "A new title"
    event.description_en = "A new description"
    event.video_conference_url = "https://video.example.org/new"
    event.save()

    # The site version and the figures' version (the events): no count is read again.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).content == before
    site, figures = (query["sql"] for query in queries)
    assert site.startswith("SELECT (SELECT MAX(")
    assert 'FROM "events_event"' in figures and "JOIN" not in figures


@pytest.mark.django_db
def test_a_site_version_read_by_another_release_gives_the_figures_its_own_version():
    archive(1)
    site = site_version()
    # Read by a release before this one (no measures kept), or measuring one table more.
    for measured in ((), (*site.measured, 0)):
        older = dataclasses.replace(site, measured=measured)
        assert figures_version(older) == site.programme_version
    assert figures_version(site) != site.programme_version


@pytest.mark.django_db
def test_an_events_new_kind_or_its_unpublishing_shows_in_the_statistics(client):
    (forum, _second) = archive(2)

    def events_by_kind() -> str:
        body = client.get("/en/statistics/").content.decode()
        return body.split('id="events-by-kind"')[1].split("</table>")[0]

    before = events_by_kind()
    event = forum.events.first()
    event.kind = EventKind.YOUTH_FORUM
    event.save()
    after_kind = events_by_kind()
    event.is_published = False
    event.save()
    after_unpublishing = events_by_kind()

    assert len({before, after_kind, after_unpublishing}) == 3


@pytest.mark.django_db
def test_statistics_made_from_the_same_figures_are_not_made_again(client, monkeypatch):
    (forum, _second) = archive(2)
    before = {language: client.get(f"/{language}/statistics/").content for language in LANGUAGES}
    charts = []
    monkeypatch.setattr(
        "public.statistics.chart_svg", lambda *args, **kwargs: charts.append(1) or "<svg/>"
    )

    # A new title moves the site version and no count: the same page, no chart drawn.
    event = forum.events.first()
    event.title_en = "A new title"
    event.save()
    after = {language: client.get(f"/{language}/statistics/").content for language in LANGUAGES}

    assert after == before and charts == []
    # A new agreement moves a count: drawn again.
    AgreementFactory(forum=forum, is_sample=False)
    assert client.get("/en/statistics/").content != before["en"] and charts


@pytest.mark.django_db
def test_statistics_preview_neither_keeps_nor_reads_what_the_public_page_read(client, editor):
    archive(1)
    ForumFactory(number=20, year=2031, is_published=False)
    staff = Client()
    staff.force_login(editor)
    assert staff.get("/en/statistics/").status_code == 200
    assert not [key for key in cache._cache if "statistics-reads" in key]

    assert "2031" not in client.get("/en/statistics/").content.decode()
    assert [key for key in cache._cache if "statistics-reads" in key]
    assert '<th scope="row">2031' in staff.get("/en/statistics/").content.decode()


# --- Regions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_region_page_shows_its_speakers_agreements_and_partners(client):
    archive(2)

    body = client.get("/en/regions/by-vi/").content.decode()

    assert "Vitebskov0" in body and "Vitebskov1" in body
    assert "Plenary 2016" in body
    assert 'href="/en/regions/RU-SMO/"' in body
    assert 'href="/en/2015/agreements/?region=BY-VI"' in body
    assert SECRET_EMAIL not in body and "@example.org" not in body


@pytest.mark.django_db
def test_regions_list_counts_agreements_of_each_region(client):
    archive(2)

    body = client.get("/en/regions/").content.decode()

    row = body.split('href="/en/regions/RU-SMO/"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>(\d+)</td>", row) == ["4", "0"]


@pytest.mark.django_db
def test_regions_list_read_once_lists_by_name_in_each_language(client):
    archive(1)
    assert client.get("/ru/regions/").status_code == 200

    for language in ("en", "be", "ru"):
        body = client.get(f"/{language}/regions/").content.decode()
        belarus = body.split('id="country-BY"', 1)[1].split("</table>", 1)[0]
        by_name = Region.objects.filter(country="BY").order_by(f"name_{language}")
        assert re.findall(r"<code>(BY-\w+)</code>", belarus) == [r.code for r in by_name]


def _kept_pages(kind: str) -> int:
    return len([key for key in cache._cache if f":{kind}-page:" in key])


@pytest.mark.django_db
def test_regions_list_made_again_only_when_a_count_moves(client):
    (forum,) = archive(1)
    before = {language: client.get(f"/{language}/regions/").content for language in LANGUAGES}

    # A new title moves the site version and no count: the same pages, none made again.
    event = forum.events.get()
    event.title_en = "A new title"
    event.save()
    after = {language: client.get(f"/{language}/regions/").content for language in LANGUAGES}
    assert after == before and _kept_pages("regions") == len(LANGUAGES)

    # A new agreement of Smolensk moves its count: shown at once in every language.
    agreement = AgreementFactory(forum=forum)
    PartyFactory(agreement=agreement, country="RU", region=Region.objects.get(code="RU-SMO"))
    for language in LANGUAGES:
        body = client.get(f"/{language}/regions/").content.decode()
        row = body.split(f'href="/{language}/regions/RU-SMO/"', 1)[1].split("</tr>", 1)[0]
        assert re.findall(r"<td>(\d+)</td>", row) == ["3", "0"], language


@pytest.mark.django_db
def test_unknown_region_is_404(client):
    assert client.get("/en/regions/BY-ZZ/").status_code == 404
    assert client.get("/en/regions/nonsense/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 4])
def test_region_pages_query_count_does_not_grow(client, django_assert_num_queries, size):
    archive(size)

    # The site version, the figures' version (the events), the regions with their counts.
    with django_assert_num_queries(3):
        assert client.get("/en/regions/").status_code == 200
    # The site version; the region, the editions, the versions of its people's appearances
    # and of its agreements; then its people and their events, the agreements and their
    # parties, whose items are then kept.
    with django_assert_num_queries(9):
        assert client.get("/en/regions/BY-VI/").status_code == 200
    # A change elsewhere: the versions read again, the same, and the page kept.
    DelegateFactory()
    with django_assert_num_queries(5):
        assert client.get("/en/regions/BY-VI/").status_code == 200


@pytest.mark.django_db
def test_region_page_makes_only_the_edited_agreements_item_again(client):
    (first, second) = archive(2)
    path = "/en/regions/BY-VI/"
    assert _made(client, path) == 2
    agreement = first.agreements.get(parties__region__code="BY-VI")
    agreement.title_en = "Renamed agreement"
    agreement.save()

    assert _made(client, path) == 1
    assert "Renamed agreement" in client.get(path).content.decode()
    # Another region's page has items of its own: the link to Vitebsk's page is in them.
    assert _made(client, "/en/regions/RU-SMO/") == 4
    Region.objects.filter(code="BY-VI").update(name_en="Renamed Vitebsk")
    region = Region.objects.get(code="BY-VI")
    region.save()  # update_at moves
    assert _made(client, "/en/regions/RU-SMO/") == 2
    assert "Renamed Vitebsk" in client.get("/en/regions/RU-SMO/").content.decode()
    second.events.get().delete()
    assert "Plenary 2016" not in client.get("/en/regions/RU-SMO/").content.decode()


def _made(client, path: str, kind: str = "region") -> int:
    from public import fragments

    before = fragments.renders(kind)
    assert client.get(path).status_code == 200
    return fragments.renders(kind) - before


@pytest.mark.django_db
def test_region_page_names_its_own_people_only(client):
    (forum,) = archive(1)
    event = forum.events.get()
    AssignmentFactory(
        event=event,
        role=Role.CHAIR,
        delegate=DelegateFactory(
            region=RegionFactory(code="RU-SMO"), last_name_en="Smolenskov", is_sample=False
        ),
    )
    AssignmentFactory(
        event=event,
        role=Role.MODERATOR,
        delegate=DelegateFactory(
            region=Region.objects.get(code="BY-VI"),
            last_name_en="Vitebskova",
            first_name_en="Anna",
            middle_name_en="",
            position_en="Head <of> department",
            organisation_en="",
            is_sample=True,
        ),
    )

    body = client.get("/en/regions/BY-VI/").content.decode()
    assert "Smolenskov" not in body
    # As the template always printed it, byte for byte.
    assert (
        '<li><span class="person">Vitebskova Anna</span> <span class="affiliation">'
        '(Head &lt;of&gt; department)</span> <span class="badge">sample data</span> — '
        f'moderators: <a href="/en/2015/events/{event.slug}/">Plenary 2015</a></li>\n    '
    ) in body


@pytest.mark.django_db
def test_region_page_makes_only_the_edited_events_part_again(client):
    (first, second) = archive(2)
    path = "/en/regions/BY-VI/"
    assert _made(client, path, "region-people") == 2
    event = first.events.get()
    event.title_en = "Renamed plenary"
    event.save()

    assert _made(client, path, "region-people") == 1
    body = client.get(path).content.decode()
    assert "Renamed plenary" in body and "Plenary 2016" in body
    # One of its people speaks under a new name: their event's part made again.
    speaker = second.events.get().assignments.get().delegate
    speaker.last_name_en = "Renamedov"
    speaker.save()
    assert _made(client, path, "region-people") == 1
    assert "Renamedov" in client.get(path).content.decode()
    # Moved to another region: gone from this one's page at once.
    speaker.region = Region.objects.get(code="RU-SMO")
    speaker.save()
    body = client.get(path).content.decode()
    assert "Renamedov" not in body and "Renamed plenary" in body
    assert "Renamedov" in client.get("/en/regions/RU-SMO/").content.decode()


@pytest.mark.django_db
def test_region_page_made_again_only_when_what_it_shows_changes(client):
    (forum,) = archive(1)
    path = "/{}/regions/BY-VI/"
    before = {language: client.get(path.format(language)).content for language in LANGUAGES}

    # An event none of its people spoke at: the same pages, none made again.
    EventFactory(day=forum.days.get(), title_en="Elsewhere")
    after = {language: client.get(path.format(language)).content for language in LANGUAGES}
    assert after == before and _kept_pages("region") == len(LANGUAGES)

    # An agreement of Vitebsk's: shown at once in every language.
    agreement = AgreementFactory(forum=forum)
    PartyFactory(agreement=agreement, country="BY", region=Region.objects.get(code="BY-VI"))
    for language in LANGUAGES:
        assert agreement.registry_number in client.get(path.format(language)).content.decode()


# --- Search -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_an_event_whatever_the_case_and_yo(client):
    forum, _events = make_forum(events=1)
    EventFactory(
        day=forum.days.first(), title_ru="Совместный полёт", title_en="Joint flight", slug="flight"
    )

    body = client.get("/ru/search/?q=ПОЛЕТ").content.decode()

    assert 'href="/ru/2020/events/flight/"' in body
    assert "<mark>полёт</mark>" in body


@pytest.mark.django_db
def test_search_falls_back_to_russian_texts(client):
    forum, _events = make_forum(events=1)
    EventFactory(day=forum.days.first(), title_ru="Логистика", title_en="", slug="logistics")

    body = client.get("/en/search/?q=логистика").content.decode()

    assert 'href="/en/2020/events/logistics/"' in body


@pytest.mark.django_db
def test_search_shows_no_private_thing(client, forum_with_secrets):
    for query in ("Unpublished", "Confidential", "Секретов", "draft", "example"):
        body = client.get(f"/en/search/?q={query}").content.decode()
        for secret in SECRETS:
            assert secret not in body, (query, secret)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "!!!", "x" * 5000, "a\x00b", "'; DROP TABLE forum_forum; --", "%", "\\", "😀 ё"],
)
def test_junk_queries_are_answered(client, query):
    make_forum(events=1)

    response = client.get("/ru/search/", {"q": query, "page": "abc", "kind": "zzz"})

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "be", "en"])
def test_search_shows_each_event_found_and_their_number(client, language):
    forum, _events = make_forum(events=2)
    for index in range(3):
        EventFactory(day=forum.days.first(), title=f"Водород {index}", slug=f"h2-{index}")

    body = client.get(f"/{language}/search/?q=водород").content.decode()

    found = re.findall(rf'class="hit-title"><a href="/{language}/2020/events/([^/]+)/"', body)
    assert sorted(found) == ["h2-0", "h2-1", "h2-2"]
    assert '<span class="muted">(3)</span>' in body


@pytest.mark.django_db
def test_search_pages_a_kind(client):
    forum, _events = make_forum(events=0)
    for index in range(25):
        EventFactory(day=forum.days.first(), title_en=f"Water session {index}")

    first = client.get("/en/search/?q=water&kind=events").content.decode()
    second = client.get("/en/search/?q=water&kind=events&page=2").content.decode()

    assert first.count('class="hit-title"') == 20 and "Page 1 of 2" in first
    assert second.count('class="hit-title"') == 5


@pytest.mark.django_db
def test_search_finds_an_edit_on_the_next_request(client):
    forum, _events = make_forum(events=1)
    event = EventFactory(day=forum.days.first(), title_ru="Водород", title_be="", slug="h2")
    assert 'href="/be/2020/events/h2/"' in client.get("/be/search/?q=водород").content.decode()

    event.title_be = "Вадародная даліна"
    event.save()

    body = client.get("/be/search/?q=даліна").content.decode()
    assert 'href="/be/2020/events/h2/"' in body and "<mark>даліна</mark>" in body
    # Russian stays behind the Belarusian title.
    assert 'href="/be/2020/events/h2/"' in client.get("/be/search/?q=водород").content.decode()


@pytest.mark.django_db
def test_search_forgives_a_typo_as_far_as_its_similarity(client):
    if connection.vendor != "postgresql":
        pytest.skip("typos are forgiven by PostgreSQL's trigrams only")
    forum, _events = make_forum(events=1)
    EventFactory(day=forum.days.first(), title_en="Logistics forum", slug="logistics")

    found = "/en/2020/events/logistics/"
    # Word similarity 0.5: above SIMILARITY though under pg_trgm's own default of 0.6.
    assert found in client.get("/en/search/?q=logisitcs").content.decode()
    # 0.43: under it.
    assert found not in client.get("/en/search/?q=logitsics").content.decode()


def test_the_stored_search_columns_follow_the_kinds():
    # PostgreSQL searches what public/migrations/0002_search_columns stores: a field added to a
    # kind, or a dictionary changed, needs a migration of its own.
    migration = importlib.import_module("public.migrations.0002_search_columns")

    tables = {kind.rows(preview=False).model._meta.db_table: kind.fields for kind in KINDS}
    assert tables == migration.SEARCHED
    assert (migration.PLAIN, migration.CONFIGS) == (search_module._PLAIN, search_module.CONFIGS)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
def test_search_query_count_does_not_grow(client, django_assert_num_queries, size):
    archive(size)

    # The site version, the keys of each kind, the rows of the two kinds found (regions and
    # people) and the people's events.
    with django_assert_num_queries(9):
        assert client.get("/en/search/?q=vitebsk").status_code == 200


# --- Open-data API ----------------------------------------------------------------------------


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    validate_spec(document)
    return document


def assert_matches_schema(spec, path: str, body):
    operation = spec["paths"][path]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    OAS31Validator({**schema, "components": spec["components"]}).validate(body)


@pytest.mark.django_db
def test_api_answers_match_their_own_schema(client, spec, forum_with_secrets):
    forum, events, _draft = forum_with_secrets
    archive(1)
    answers = {
        "/api/v1/forums/": "/api/v1/forums/",
        f"/api/v1/forums/{forum.year}/": "/api/v1/forums/{year}/",
        "/api/v1/days/?forum=2020": "/api/v1/days/",
        "/api/v1/events/?forum=2020": "/api/v1/events/",
        f"/api/v1/forums/2020/events/{events[0].slug}/": "/api/v1/forums/{year}/events/{slug}/",
        "/api/v1/agreements/?status=signed": "/api/v1/agreements/",
        "/api/v1/regions/?country=BY": "/api/v1/regions/",
        "/api/v1/regions/BY-VI/": "/api/v1/regions/{code}/",
    }
    for url, path in answers.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert_matches_schema(spec, path, response.json())


@pytest.mark.django_db
def test_api_shows_no_private_thing(client, forum_with_secrets):
    forum, events, draft = forum_with_secrets
    for url in ("/api/v1/forums/", "/api/v1/events/", "/api/v1/agreements/", "/api/v1/days/"):
        body = client.get(url).content.decode()
        for secret in SECRETS:
            assert secret not in body, (url, secret)
    assert client.get(f"/api/v1/forums/{draft.year}/").status_code == 404
    assert client.get(f"/api/v1/forums/{forum.year}/events/closed-door/").status_code == 404


@pytest.mark.django_db
def test_api_shows_drafts_to_staff_only_privately(client, forum_with_secrets, editor):
    _forum, _events, draft = forum_with_secrets
    client.force_login(editor)

    response = client.get(f"/api/v1/forums/{draft.year}/")

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_api_speaks_the_language_asked(client):
    make_forum(events=1)

    asked = client.get("/api/v1/forums/?lang=en").json()
    negotiated = client.get("/api/v1/forums/", headers={"accept-language": "en"})

    assert asked["results"][0]["title"] == "Forum 2020"
    assert negotiated.json()["results"][0]["title"] == "Forum 2020"
    assert negotiated["Content-Language"] == "en"
    assert "Accept-Language" in negotiated["Vary"]
    assert client.get("/api/v1/forums/?lang=ru").json()["results"][0]["title"] == "Форум 2020"


@pytest.mark.django_db
def test_api_filters_like_the_registry_and_refuses_unknown_values(client):
    archive(2)

    signed = client.get("/api/v1/agreements/?status=signed&region=BY-VI").json()
    refused = client.get("/api/v1/agreements/?status=lost&lang=en")

    assert signed["count"] == 2
    assert {a["status"] for a in signed["results"]} == {"signed"}
    assert refused.status_code == 400
    assert "status" in refused.json()


@pytest.mark.django_db
def test_api_answers_304_to_its_etag_and_allows_any_origin(client):
    make_forum(events=1)

    first = client.get("/api/v1/events/", headers={"origin": "https://example.net"})
    again = client.get("/api/v1/events/", headers={"if-none-match": first["ETag"]})

    assert first["Access-Control-Allow-Origin"] == "*"
    assert again.status_code == 304


@pytest.mark.django_db
@override_settings(
    REST_FRAMEWORK={
        **__import__("django.conf").conf.settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }
)
def test_api_throttles_an_anonymous_client(client):
    answers = [client.get("/api/v1/regions/").status_code for _ in range(4)]
    refused = client.get("/api/v1/regions/")

    assert answers == [200, 200, 200, 429]
    assert int(refused["Retry-After"]) > 0


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
def test_api_query_counts_do_not_grow(client, django_assert_num_queries, size):
    archive(size)
    expected = {"/api/v1/events/": 5, "/api/v1/agreements/": 4, "/api/v1/regions/": 3}
    for url, queries in expected.items():
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200, url


# --- Found by search engines ------------------------------------------------------------------


@pytest.mark.django_db
def test_sitemap_lists_every_public_page_in_three_languages(client, forum_with_secrets):
    forum, events, draft = forum_with_secrets

    body = client.get("/sitemap.xml").content.decode()

    for lang in ("ru", "be", "en"):
        for path in (
            "",
            "statistics/",
            "regions/BY-VI/",
            f"{forum.year}/programme/",
            f"{forum.year}/events/{events[0].slug}/",
        ):
            assert f"<loc>http://testserver/{lang}/{path}</loc>" in body, (lang, path)
        assert f'hreflang="{lang}"' in body
    assert "closed-door" not in body and f"/{draft.year}/" not in body


@pytest.mark.django_db
def test_every_sitemap_address_answers(client):
    make_forum(events=1)
    body = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>http://testserver(.*?)</loc>", body)

    assert len(locations) > 200
    for path in locations[::7]:
        assert client.get(path).status_code == 200, path


def test_robots_keep_crawlers_off_private_pages(client):
    body = client.get("/robots.txt").content.decode()

    for line in ("Disallow: /admin/", "Disallow: /*/me/", "Disallow: /api/v1/schema/"):
        assert line in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.django_db
def test_public_pages_carry_description_and_open_graph(client):
    make_forum(events=1)
    for path in ("/be/", "/be/2020/", "/be/2020/programme/", "/be/statistics/", "/be/regions/"):
        body = client.get(path).content.decode()
        assert re.search(r'<meta name="description" content="[^"]+">', body), path
        for name in ("og:title", "og:description", "og:url", "og:locale"):
            assert f'property="{name}"' in body, (path, name)
        assert '<meta property="og:locale" content="be_BY">' in body


@pytest.mark.django_db
def test_a_change_shows_at_once_on_the_pages_across_editions(client):
    forums = archive(1)
    before = client.get("/en/statistics/").content.decode()
    party = Party.objects.filter(region__code="BY-VI").first()
    agreement = AgreementFactory(forum=forums[0])
    PartyFactory(agreement=agreement, country="BY", region=party.region)

    after = client.get("/en/statistics/").content.decode()

    assert before != after


@pytest.mark.django_db
def test_a_region_page_preview_neither_keeps_nor_reads_items(client, editor):
    (forum,) = archive(1)
    draft = EventFactory(day=forum.days.get(), title_en="Draft session", is_published=False)
    signed_at_draft = AgreementFactory(forum=forum, event=draft)
    PartyFactory(agreement=signed_at_draft, country="BY", region=Region.objects.get(code="BY-VI"))
    staff = Client()
    staff.force_login(editor)
    path = "/en/regions/BY-VI/"

    assert _made(staff, path) == 2
    assert not [key for key in cache._cache if ":fragment:region" in key]
    assert "Draft session" not in client.get(path).content.decode()
    assert [key for key in cache._cache if ":fragment:region" in key]
    # Both made again for staff, the one signed at the draft event naming it.
    assert _made(staff, path) == 2
    assert "Draft session" in staff.get(path).content.decode()
    assert "Draft session" not in client.get(path).content.decode()

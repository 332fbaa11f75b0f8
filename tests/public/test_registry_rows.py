"""The registry's rows and CSV lines, made once per agreement and language and kept until that
agreement changes (public.fragments.agreement_parts, public.versioning.agreement_versions)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from agreements.models import Status
from forum.models import Region
from public import fragments
from tests.factories import AgreementFactory, EventFactory, PartyFactory, RegionFactory
from tests.public.conftest import DRAFT_EVENT_TITLE, make_forum
from tests.support.faults import caches, refusing_url

pytestmark = pytest.mark.django_db

FILTERS = ("", "?status=signed", "?country=BY", "?region=BY-HR", "?kind=memorandum")


def registry(forum, language: str = "en", query: str = "") -> str:
    return f"/{language}/{forum.year}/agreements/{query}"


def csv(forum, language: str = "en") -> str:
    return registry(forum, language, "?format=csv")


def kept_rows() -> list[str]:
    # The registry's kept rows and lines in the local-memory cache of the tests.
    return [key for key in cache._cache if ":fragment:registry" in key]


def made(client, path: str, kind: str = "registry") -> int:
    before = fragments.renders(kind)
    assert client.get(path).status_code == 200
    return fragments.renders(kind) - before


def test_an_edit_to_one_agreement_makes_only_its_row_again(client):
    forum, _events = make_forum(events=1, agreements=4)
    assert made(client, registry(forum)) == 4
    assert made(client, csv(forum), "registry-csv") == 4
    agreement = forum.agreements.order_by("registry_number")[2]
    agreement.title_en = "Renamed agreement"
    agreement.save()

    assert made(client, registry(forum)) == 1
    assert made(client, csv(forum), "registry-csv") == 1
    assert "Renamed agreement" in client.get(registry(forum)).content.decode()
    assert "Renamed agreement" in client.get(csv(forum)).content.decode()
    # Another language has rows of its own; a filter reads the same rows.
    assert made(client, registry(forum, "ru")) == 4
    assert made(client, registry(forum, query="?status=signed")) == 0


def test_the_registry_after_an_edit_reads_only_the_edited_agreement(
    client, django_assert_num_queries
):
    forum, _events = make_forum(events=1, agreements=3)
    client.get(registry(forum))
    agreement = forum.agreements.first()
    agreement.title_en = "Renamed agreement"
    agreement.save()

    # The forum, its version; the filter's regions, the forum's agreements' versions, the ids
    # shown, the counts and the totals; then the edited agreement and its parties.
    with django_assert_num_queries(9):
        assert "Renamed agreement" in client.get(registry(forum)).content.decode()
    # The versions are kept under the forum's version: another language or filter reads the
    # ids it shows, then its rows (made anew in another language).
    with django_assert_num_queries(6):
        assert client.get(registry(forum, query="?status=signed")).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(registry(forum, "ru")).status_code == 200


def test_an_edit_to_a_party_shows_on_the_next_request_and_remakes_its_row(client):
    forum, _events = make_forum(events=1, agreements=3)
    client.get(registry(forum))
    client.get(csv(forum))
    party = forum.agreements.order_by("registry_number")[1].parties.first()
    party.name_en = "Renamed party"
    party.save()

    assert made(client, registry(forum)) == 1
    assert "Renamed party" in client.get(registry(forum)).content.decode()
    assert "Renamed party" in client.get(csv(forum)).content.decode()
    party.delete()
    assert "Renamed party" not in client.get(registry(forum)).content.decode()
    assert "Renamed party" not in client.get(csv(forum)).content.decode()
    PartyFactory(agreement=party.agreement, name_en="New party")
    assert "New party" in client.get(registry(forum)).content.decode()


def test_an_edit_to_its_event_shows_on_the_next_request(client):
    forum, events = make_forum(events=2, agreements=3)
    other = forum.agreements.order_by("registry_number").last()
    other.event = events[1]
    other.save()
    client.get(registry(forum))
    client.get(csv(forum))
    events[1].title_en = "Renamed session"
    events[1].save()

    assert made(client, registry(forum)) == 1
    assert "Renamed session" in client.get(registry(forum)).content.decode()
    assert "Renamed session" in client.get(csv(forum)).content.decode()
    events[1].is_published = False
    events[1].save()
    assert "Renamed session" not in client.get(registry(forum)).content.decode()
    assert "Renamed session" not in client.get(csv(forum)).content.decode()
    events[0].delete()  # its agreements stay, no longer signed at it
    body = client.get(registry(forum)).content.decode()
    assert f"/{forum.year}/events/{events[0].slug}/" not in body
    assert "Signed at" not in body


def test_a_renamed_region_shows_on_the_next_request(client):
    forum, _events = make_forum(events=1, agreements=3)
    elsewhere = forum.agreements.order_by("registry_number").first()
    elsewhere.parties.filter(region__isnull=False).update(region=RegionFactory(code="BY-MI"))
    client.get(registry(forum))
    client.get(csv(forum))
    region = Region.objects.get(code="BY-HR")
    region.name_en = "Renamed oblast"
    region.save()

    assert made(client, registry(forum)) == 2
    assert client.get(registry(forum)).content.decode().count("Renamed oblast") == 2 + 1
    assert client.get(csv(forum)).content.decode().count("Renamed oblast") == 2


def test_a_preview_neither_keeps_nor_reads_rows(client, editor, forum_with_secrets):
    forum, _events, _draft = forum_with_secrets
    staff = Client()
    staff.force_login(editor)
    for path in (registry(forum), csv(forum)):
        assert staff.get(path).status_code == 200
    assert not kept_rows()

    client.get(registry(forum))
    client.get(csv(forum))
    assert kept_rows()
    # Every listed agreement made for the preview (the private one is not listed), none read:
    # the one signed at the draft event names it to staff alone.
    assert made(staff, registry(forum)) == 3
    assert made(staff, csv(forum), "registry-csv") == 3
    assert DRAFT_EVENT_TITLE in staff.get(registry(forum)).content.decode()
    assert DRAFT_EVENT_TITLE in staff.get(csv(forum)).content.decode()
    assert DRAFT_EVENT_TITLE not in client.get(registry(forum)).content.decode()
    assert DRAFT_EVENT_TITLE not in client.get(csv(forum)).content.decode()


def test_kept_rows_make_the_same_pages_as_made_whole(client):
    forum, events = make_forum(events=2, agreements=5)
    agreement = forum.agreements.order_by("registry_number")[3]
    agreement.subject_en = "Subject <with> & marks"
    agreement.event = events[1]
    agreement.save()
    paths = [
        registry(forum, language, query)
        for language in ("ru", "be", "en")
        for query in (*FILTERS, "?format=csv", "?status=signed&format=csv")
    ]
    for path in paths:
        client.get(path)
    events[1].title_en = "Renamed session"
    events[1].save()

    from_rows = {path: client.get(path).content for path in paths}
    cache.clear()
    made_whole = {path: client.get(path).content for path in paths}
    assert from_rows == made_whole


def test_with_the_cache_down_every_row_is_made_from_the_database(client):
    forum, _events = make_forum(events=1, agreements=3)
    usual = {path: client.get(path).content for path in (registry(forum), csv(forum))}

    with override_settings(CACHES=caches(refusing_url())):
        assert made(client, registry(forum)) == 3
        assert {path: client.get(path).content for path in usual} == usual
        agreement = forum.agreements.first()
        agreement.title_en = "Renamed while the cache is down"
        agreement.save()
        for path in usual:
            assert "Renamed while the cache is down" in client.get(path).content.decode()


def test_a_row_prints_every_fact_as_the_registry_always_did(client):
    # The markup of the row template this Python replaced, byte for byte.
    forum, _events = make_forum(events=0, agreements=0)
    event = EventFactory(day=forum.days.first(), slug="plenary", title_en="Plenary & more")
    agreement = AgreementFactory(
        forum=forum,
        registry_number="R-7",
        title_en="Agreement <7>",
        kind="memorandum",
        status=Status.SIGNED,
        signed_on=dt.date(2020, 9, 29),
        event=event,
        value=Decimal("1234567.50"),
        currency="USD",
        subject_en="Trade",
    )
    PartyFactory(
        agreement=agreement,
        name_en="Oblast <executive> committee",
        country="BY",
        region=RegionFactory(code="BY-HR", name_en="Grodno Region"),
        signatory_en="I. Ivanov",
        signatory_position_en="governor",
    )
    PartyFactory(agreement=agreement, name_en="Company", country="RU", region=None)

    body = client.get(registry(forum)).content.decode()
    assert (
        '<ol class="registry">\n<li class="agreement">\n'
        '<h3><span class="registry-number">R-7</span> Agreement &lt;7&gt; '
        '<span class="badge">sample data</span></h3>\n'
        '<dl class="facts">\n<dt>Kind</dt><dd>Memorandum</dd>\n'
        '<dt>Status</dt><dd><span class="status status-signed">Signed</span>, '
        '<time datetime="2020-09-29">29 September 2020</time></dd>\n'
        '<dt>Signed at</dt><dd><a href="/en/2020/events/plenary/">Plenary &amp; more</a></dd>\n'
        "<dt>Value</dt><dd>1,234,567.50 USD</dd>\n"
        "<dt>Subject</dt><dd>Trade</dd>\n"
        '<dt>Parties</dt><dd><ul class="parties" aria-label="Parties">\n'
        '<li><span class="party-name">Oblast &lt;executive&gt; committee</span> '
        '<span class="party-place">(Belarus, Grodno Region)</span><br>'
        '<span class="signatory">signed by I. Ivanov, governor</span></li>\n'
        '<li><span class="party-name">Company</span> <span class="party-place">(Russia)</span>'
        "</li>\n</ul>\n</dd>\n</dl>\n</li>\n</ol>"
    ) in body

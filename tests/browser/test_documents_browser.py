"""Documents and the now page in Chromium: a delegate downloads a participants' document from
their page; a visitor is refused it; the now page on a forum day reads well and passes axe."""

import datetime as dt
import zoneinfo
from pathlib import Path
from urllib.parse import unquote

import pytest
import time_machine
from django.core.files.base import ContentFile

from delegates.models import Role
from delegates.services import delegate_link_issue
from documents.models import Access
from tests.browser.test_accessibility import axe_violations
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
from tests.public.pages import AXE, missing_tool
from tests.support import documents as files

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

# The live server needs committed rows; serialized_rollback restores the regions and groups.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
MINSK = zoneinfo.ZoneInfo("Europe/Minsk")


@pytest.fixture
def draft_resolution():
    """A plenary with a participants' draft resolution (Russian PDF, Belarusian PDF) and a
    delegate assigned to it."""
    plenary = EventFactory(title="Пленарное заседание", title_be="Пленарнае пасяджэнне")
    document = DocumentFactory(
        event=plenary,
        access=Access.PARTICIPANTS,
        kind="resolution",
        title_ru="Проект резолюции",
        title_be="Праект рэзалюцыі",
    )
    DocumentFileFactory(document=document, language="ru")
    belarusian = DocumentFileFactory(document=document, language="be")
    delegate = DelegateFactory(last_name="Ковалёва", language="be")
    AssignmentFactory(delegate=delegate, event=plenary, role=Role.CHAIR)
    return plenary, document, belarusian, delegate


def test_a_delegate_downloads_the_participants_document_from_their_page(
    phone_page, live_server, screenshot, draft_resolution
):
    _plenary, document, belarusian, delegate = draft_resolution
    token = delegate_link_issue(delegate=delegate)

    phone_page.goto(f"{live_server.url}/be/me/link/{token}/")
    phone_page.get_by_role("button", name="Адкрыць маю праграму").click()

    expect(phone_page).to_have_url(f"{live_server.url}/be/me/")
    event = phone_page.locator(".me-event", has_text="Пленарнае пасяджэнне")
    expect(event.locator(".document-title")).to_contain_text("Праект рэзалюцыі")
    expect(event.locator(".badge-participants")).to_be_visible()
    link = event.locator(f'a[hreflang="be"][href$="/me/documents/{document.pk}-be.pdf"]')
    expect(link).to_contain_text("беларуская")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone_page, "documents")

    with phone_page.expect_download() as download_info:
        link.click()
    download = download_info.value

    assert unquote(download.suggested_filename) == "Праект рэзалюцыі.pdf"
    assert Path(download.path()).read_bytes() == belarusian.file.open("rb").read()


def test_a_visitor_is_refused_the_participants_document(page, live_server, draft_resolution):
    plenary, document, _belarusian, _delegate = draft_resolution

    response = page.goto(f"{live_server.url}/be/me/documents/{document.pk}-be.pdf")

    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "be")
    expect(page.locator("body")).not_to_contain_text("Праект рэзалюцыі")
    page.goto(f"{live_server.url}/be/{plenary.forum.year}/events/{plenary.slug}/")
    expect(page.locator("main")).not_to_contain_text("Праект рэзалюцыі")
    assert (
        page.request.get(
            f"{live_server.url}/documents/{plenary.forum.year}/{document.pk}-be.pdf"
        ).status
        == 404
    )


def test_a_visitor_downloads_a_public_document_from_the_forums_page(page, live_server):
    forum = ForumFactory()
    document = DocumentFactory(event=None, forum=forum, kind="resolution", title_ru="Резолюция")
    DocumentFileFactory(document=document, language="ru")
    content = files.docx()
    DocumentFileFactory(document=document, language="en", file=ContentFile(content, name="x"))

    page.goto(f"{live_server.url}/en/{forum.year}/")
    link = page.locator(".documents a[hreflang='en']")
    expect(link).to_contain_text("English (DOCX,")
    with page.expect_download() as download_info:
        link.click()

    assert Path(download_info.value.path()).read_bytes() == content


def test_the_now_page_on_a_forum_day_reads_well_on_a_phone_and_passes_axe(
    browser, live_server, screenshot
):
    if not AXE.exists():
        missing_tool(f"{AXE} is missing: run `make install` (npm ci)")
    forum = ForumFactory(
        year=2031,
        number=18,
        starts_on=dt.date(2031, 9, 28),
        ends_on=dt.date(2031, 9, 29),
        time_zone="Europe/Minsk",
    )
    day = DayFactory(forum=forum, date=forum.starts_on)
    hall = VenueFactory(forum=forum, name="Овальный зал", city="Минск")
    starts = dt.datetime(2031, 9, 28, 10, tzinfo=MINSK)
    for index, extra in enumerate(
        [
            {"broadcast_url": "https://broadcast.example.org/live"},
            {"is_cancelled": True, "cancellation_note": "Перенесено"},
            {},
        ]
    ):
        event = EventFactory(
            day=day,
            starts_at=starts + dt.timedelta(hours=index),
            ends_at=starts + dt.timedelta(hours=index, minutes=50),
            **extra,
        )
        event.venues.set([hall])
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, bypass_csp=True
    )
    page = context.new_page()
    found = {}
    try:
        with time_machine.travel(starts + dt.timedelta(minutes=20), tick=True):
            for language in ("ru", "be", "en"):
                for path in (f"/{language}/{forum.year}/now/", f"/{language}/"):
                    page.goto(live_server.url + path)
                    violations = axe_violations(page)
                    if violations:
                        found[path] = violations
                    assert page.evaluate(
                        "document.documentElement.scrollWidth <= window.innerWidth"
                    ), path
            page.goto(f"{live_server.url}/ru/{forum.year}/now/")
            expect(page.locator(".broadcast")).to_have_attribute(
                "href", "https://broadcast.example.org/live"
            )
            expect(page.locator(".now-cancelled")).to_contain_text("Перенесено")
            screenshot(page, "now")
    finally:
        context.close()

    assert found == {}

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from django.core import signing

from delegates.models import Participation, Role
from delegates.services import LINK_SALT, delegate_link_issue
from tests.factories import AssignmentFactory, DayFactory, DelegateFactory, EventFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

# The live server needs committed rows; serialized_rollback restores the regions and groups.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def a_delegate_with_a_programme():
    delegate = DelegateFactory(last_name="Ковалёва", last_name_be="Кавалёва", language="be")
    plenary = EventFactory(
        title="Пленарное заседание",
        title_be="Пленарнае пасяджэнне",
        video_conference_url="https://video.example.org/plenary-2020",
    )
    youth = EventFactory(
        day=DayFactory(forum=plenary.forum, date=plenary.day.date - dt.timedelta(days=3)),
        title="Молодёжный форум",
        title_be="Моладзевы форум",
        starts_at=None,
        ends_at=None,
    )
    AssignmentFactory(delegate=delegate, event=plenary, role=Role.CHAIR)
    AssignmentFactory(
        delegate=delegate, event=youth, role=Role.SPEAKER, participation=Participation.REMOTE
    )
    AssignmentFactory(event=plenary, role=Role.SPEAKER, delegate=DelegateFactory(position="Мэр"))
    return delegate


def test_a_delegate_opens_their_link_on_a_phone_and_sees_their_programme_in_belarusian(
    phone_page, live_server, screenshot
):
    delegate = a_delegate_with_a_programme()
    token = delegate_link_issue(delegate=delegate)
    requests = []
    phone_page.on("request", lambda request: requests.append(request))

    phone_page.goto(f"{live_server.url}/be/me/link/{token}/")

    # Opening the link shows one button, in Belarusian, and signs nobody in (as a mail
    # scanner that follows the link signs nobody in).
    expect(phone_page.locator("html")).to_have_attribute("lang", "be")
    button = phone_page.get_by_role("button", name="Адкрыць маю праграму")
    expect(button).to_be_visible()
    assert not any(c["name"] == "sessionid" for c in phone_page.context.cookies())
    screenshot(phone_page, "open-my-programme")
    button.click()

    # The token has left the address bar.
    expect(phone_page).to_have_url(f"{live_server.url}/be/me/")
    # ... and never travelled in a Referer: the button's POST and the page's stylesheets sent
    # the origin at most; the POST's Origin was the site's, so the CSRF check let it through.
    (post,) = [r for r in requests if r.method == "POST"]
    assert post.all_headers()["origin"] == live_server.url
    for request in requests:
        assert token not in request.all_headers().get("referer", ""), request.url
    expect(phone_page.locator("html")).to_have_attribute("lang", "be")
    events = phone_page.locator(".me-event")
    expect(events).to_have_count(2)
    expect(events.nth(0)).to_contain_text("Моладзевы форум")
    expect(events.nth(0)).to_contain_text("дыстанцыйна")
    expect(events.nth(1)).to_contain_text("Пленарнае пасяджэнне")
    expect(events.nth(1).locator(".me-role")).to_have_text("старшыня")
    expect(events.nth(1).locator("a.me-video")).to_have_attribute(
        "href", "https://video.example.org/plenary-2020"
    )
    expect(events.nth(1).locator(".me-others")).to_contain_text("Мэр")
    # Nothing wider than the phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone_page, "programme")

    href = phone_page.locator("#calendar-link").get_attribute("href")
    assert re.fullmatch(r"/be/me/calendar/[\w-]+\.ics", href)
    with phone_page.expect_download() as download_info:
        phone_page.locator("#calendar-link").click()
    calendar = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert "Пленарнае пасяджэнне (старшыня)" in calendar
    response = phone_page.request.get(f"{live_server.url}{href}")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"

    # The print view leaves out the buttons and the calendar section.
    phone_page.emulate_media(media="print")
    expect(phone_page.locator(".me-calendar")).to_be_hidden()
    expect(phone_page.locator(".me-event").first).to_be_visible()
    screenshot(phone_page, "print")


def test_an_expired_link_shows_the_clear_page(phone_page, live_server, screenshot):
    delegate = DelegateFactory(last_name="Просрочкина")
    delegate_link_issue(delegate=delegate)

    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 40 * 24 * 3600)

    token = PastSigner(salt=LINK_SALT).sign_object({"d": delegate.pk, "k": delegate.access_key})

    response = phone_page.goto(f"{live_server.url}/be/me/link/{token}/")

    assert response.status == 410
    expect(phone_page.locator("html")).to_have_attribute("lang", "be")
    expect(phone_page.locator(".link-reason")).to_be_visible()
    expect(phone_page.locator("body")).not_to_contain_text("Просрочкина")
    screenshot(phone_page, "expired")
    # Nobody was signed in.
    phone_page.goto(f"{live_server.url}/be/me/")
    expect(phone_page).to_have_url(re.compile(r"/be/accounts/login/"))

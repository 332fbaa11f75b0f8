"""The secretariat's workbench in Chromium: an editor opens the timetable, follows a conflict to
the event, moves it to a free hour, sees the conflict gone, previews and sends the notices; the
delegate's page then shows the change marked."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import RequestFactory

from delegates.models import Role
from delegates.services import delegate_link_token
from forum.permissions import EDITORS
from secretariat.notices import Scope, notices_pending, notices_send
from tests.browser.test_accessibility import WCAG_TAGS
from tests.factories import (
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    EventFactory,
    ForumFactory,
    VenueFactory,
    moscow_at,
)
from tests.public.pages import AXE, missing_tool

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-password-9"


def a_forum_with_a_clash():
    """Ковалёва speaks at 10:00–12:00 in the Oval hall and chairs at 11:00–13:00 in the Small
    hall; everyone was told the programme before."""
    forum = ForumFactory(year=2031, time_zone="Europe/Moscow", title="Форум регионов 2031")
    day = DayFactory(forum=forum)
    oval = VenueFactory(forum=forum, name="Овальный зал", city="Минск")
    small = VenueFactory(forum=forum, name="Малый зал", city="Минск")
    plenary = EventFactory(
        day=day,
        title="Пленарное заседание",
        starts_at=moscow_at(day, 10),
        ends_at=moscow_at(day, 12),
    )
    plenary.venues.add(oval)
    section = EventFactory(
        day=day, title="Секция о молодёжи", starts_at=moscow_at(day, 11), ends_at=moscow_at(day, 13)
    )
    section.venues.add(small)
    delegate = DelegateFactory(last_name="Ковалёва", email="kovaleva@example.org", language="ru")
    AssignmentFactory(delegate=delegate, event=plenary, role=Role.SPEAKER, venue=oval)
    AssignmentFactory(delegate=delegate, event=section, role=Role.CHAIR, venue=small)
    AssignmentFactory(event=plenary, role=Role.CHAIR, venue=oval)
    scope = Scope(forum=forum)
    request = RequestFactory().get("/")
    notices_send(pending=notices_pending(scope=scope), scope=scope, request=request, user=None)
    mail.outbox.clear()
    return forum, section, delegate


def axe_violations(page, within: str = "html") -> list[str]:
    """axe-core's WCAG 2.1 A and AA rules on a part of the page (the admin's own frame is
    Django's)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "([within, tags]) => axe.run(within, {runOnly: {type: 'tag', values: tags}})",
        [within, WCAG_TAGS],
    )
    return [
        f"{violation['id']}: {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
    ]


def open_link(page, url):
    """Open a personal link: its page's one button signs the delegate in."""
    page.goto(url)
    page.locator(".link-open button").click()
    expect(page.locator(".me")).to_be_visible()


def sign_in(page, live_server):
    user = User.objects.create_user("officer", "officer@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_an_editor_resolves_a_clash_and_tells_the_delegates(browser, page, live_server, screenshot):
    forum, section, delegate = a_forum_with_a_clash()
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    # The delegate has looked at their page before the change.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    reader = phone.new_page()
    open_link(reader, f"{live_server.url}/ru/me/link/{delegate_link_token(delegate=delegate)}/")
    expect(reader.locator(".me-event")).to_have_count(2)
    expect(reader.locator(".me-changes")).to_have_count(0)

    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/forum/forum/{forum.pk}/change/")
    expect(page.locator(".field-workbench")).to_contain_text("1 накладка")
    page.locator(".field-workbench").get_by_role("link", name="Расписание").click()

    # The timetable: both events red, each with a link to its conflicts.
    expect(page.locator("h1")).to_have_text("Расписание")
    blocks = page.locator(".tt-event")
    expect(blocks).to_have_count(2)
    expect(page.locator(".tt-event.tt-conflict")).to_have_count(2)
    screenshot(page, "timetable")
    page.locator(f".tt-event[data-event='{section.pk}'] .tt-mark a").click()

    # The conflict names both sides; its link leads to the event.
    expect(page.locator(".wb-conflict")).to_have_count(1)
    expect(page.locator(".wb-conflict")).to_contain_text("Ковалёва")
    expect(page.locator(".wb-conflict")).to_contain_text("Пленарное заседание")
    screenshot(page, "conflicts")
    page.locator(".wb-conflict .wb-fix").get_by_role("link", name="Секция о молодёжи").click()

    # Moved to a free hour.
    expect(page.locator("#id_starts_at_1")).to_have_value("11:00:00")
    page.fill("#id_starts_at_1", "15:00:00")
    page.fill("#id_ends_at_1", "17:00:00")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(f"{live_server.url}/admin/forum/forum/{forum.pk}/timetable/")
    expect(page.locator(".tt-event.tt-conflict")).to_have_count(0)
    expect(page.get_by_text("0 накладок", exact=False)).to_be_visible()

    # Preview, then send.
    page.goto(f"{live_server.url}/admin/forum/forum/")
    page.locator(f"input[name=_selected_action][value='{forum.pk}']").check()
    page.select_option("select[name=action]", "tell_delegates")
    page.click("button[name=index]")
    expect(page.locator(".wb-count")).to_contain_text("1 делегат получит уведомление")
    expect(page.locator(".wb-mail")).to_contain_text("11:00–13:00 (Europe/Moscow) → 15:00–17:00")
    assert mail.outbox == []
    screenshot(page, "preview")
    page.get_by_role("button", name="Отправить").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Отправлено 1 уведомление")
    screenshot(page, "report")

    [message] = mail.outbox
    assert message.to == ["kovaleva@example.org"]
    link = re.search(r"http://[^/]+(/ru/me/link/\S+/)", message.body).group(1)

    # The delegate opens the link of the mail: the change is marked on their page.
    open_link(reader, f"{live_server.url}{link}")
    expect(reader.locator(".me-changes")).to_contain_text("Секция о молодёжи")
    expect(reader.locator(".me-changes del")).to_have_text("11:00–13:00 (Europe/Moscow)")
    expect(reader.locator(".me-changes ins")).to_have_text("15:00–17:00 (Europe/Moscow)")
    expect(reader.locator(".me-event.me-changed")).to_have_count(1)
    expect(reader.locator(".me-event.me-changed")).to_contain_text("Секция о молодёжи")
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(reader, "delegate")
    phone.close()
    assert violations == []


def test_the_events_list_reads_well_at_1280_pixels(page, live_server, screenshot):
    forum, section, _delegate = a_forum_with_a_clash()
    section.title = "Секция о роли молодёжи в межрегиональном сотрудничестве Беларуси и России"
    section.save()
    sign_in(page, live_server)

    page.goto(f"{live_server.url}/admin/events/event/?forum__id__exact={forum.pk}")

    title = page.locator("th.field-title", has_text="Секция о роли молодёжи")
    expect(title).to_be_visible()
    assert title.bounding_box()["width"] >= 240
    # Every column in sight: the list needs no sideways scrolling.
    assert page.evaluate(
        "(e => e.scrollWidth <= e.clientWidth)(document.querySelector('.results'))"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "events-list")


def test_the_timetable_prints_one_day_a_page(page, live_server):
    forum, _section, _delegate = a_forum_with_a_clash()
    DayFactory(forum=forum, date=forum.ends_on)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/forum/forum/{forum.pk}/timetable/")

    page.emulate_media(media="print")

    expect(page.locator("#header")).to_be_hidden()
    expect(page.locator(".wb-tools")).to_be_hidden()
    days = page.locator(".tt-day")
    expect(days).to_have_count(2)
    assert days.nth(1).evaluate("e => getComputedStyle(e).breakBefore") == "page"


def test_the_workbench_and_a_marked_delegate_page_pass_axe(browser, live_server):
    if not AXE.exists():
        missing_tool(f"{AXE} is missing: run `make install` (npm ci)")
    forum, section, delegate = a_forum_with_a_clash()
    found = {}
    # Only the injected checker needs an inline script; the pages themselves are checked above.
    for who in ("delegate", "officer"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page = context.new_page()
        try:
            if who == "delegate":
                link = f"{live_server.url}/ru/me/link/{delegate_link_token(delegate=delegate)}/"
                open_link(page, link)
                section.starts_at, section.ends_at = (
                    moscow_at(section.day, 15),
                    moscow_at(section.day, 17),
                )
                section.save()
                page.goto(f"{live_server.url}/ru/me/")
                expect(page.locator(".me-changes")).to_be_visible()
                found["/ru/me/"] = axe_violations(page)
                continue
            sign_in(page, live_server)
            for view in ("timetable", "conflicts"):
                page.goto(f"{live_server.url}/admin/forum/forum/{forum.pk}/{view}/")
                found[view] = axe_violations(page, within="#content")
        finally:
            context.close()

    assert {path: violations for path, violations in found.items() if violations} == {}

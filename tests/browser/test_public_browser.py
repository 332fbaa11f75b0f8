"""A visitor reads the Seventh Forum in Belarusian, on a phone and at a desk, in real Chromium."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def visit(page, live_server, screenshot, label: str):
    base = live_server.url
    page.goto(base + "/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"
    screenshot(page, f"{label}-home-ru")

    # Switch to Belarusian: the same page, in Belarusian.
    page.locator('.languages a[lang="be"]').click()
    page.wait_for_url(base + "/be/")
    assert page.locator("html").get_attribute("lang") == "be"
    assert page.locator('.languages a[lang="be"]').get_attribute("aria-current") == "true"

    # The Seventh Forum from the archive, then its programme.
    page.locator(".archive a", has_text="VII Форум").click()
    page.wait_for_url(base + "/be/2020/")
    page.locator('.forum-nav a[href="/be/2020/programme/"]').click()
    page.wait_for_url(base + "/be/2020/programme/")
    assert page.locator("#day-2020-09-25").is_visible()
    assert page.locator("#day-2020-09-28 article.event").count() == 8
    assert page.locator("#day-2020-09-29 article.event").count() == 1
    screenshot(page, f"{label}-programme-be")

    # The plenary session, held in both cities, with its people by role.
    page.locator("#day-2020-09-29 h3 a").click()
    page.wait_for_url(base + "/be/2020/events/plenary-session/")
    facts = page.locator("main").inner_text()
    assert "Масква" in facts and "Мінск" in facts
    assert "@" not in page.content().replace("@media", "")
    screenshot(page, f"{label}-event-be")

    # The calendar link answers with a calendar.
    ics = page.locator('a[href="/be/2020/events/plenary-session.ics"]')
    response = page.request.get(base + ics.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")

    # The registry, filtered to planned agreements with the plain GET form.
    page.goto(base + "/be/2020/agreements/")
    page.locator("#id_status").select_option("planned")
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url("**/be/2020/agreements/?*status=planned*")
    assert page.locator(".registry > li").count() == 2
    screenshot(page, f"{label}-registry-be")

    # The whole programme's calendar, downloaded from the programme page.
    page.goto(base + "/be/2020/programme/")
    href = page.locator('a[href$="programme.ics"]').get_attribute("href")
    assert href == "/be/2020/programme.ics"
    response = page.request.get(base + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in response.text()

    # Across the editions: the statistics' charts, a region, and the search in the header.
    page.locator('.site-nav a[href="/be/statistics/"]').click()
    page.wait_for_url(base + "/be/statistics/")
    chart = page.locator("#agreements-per-edition svg[role=img]")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 250
    assert page.locator("#agreements-per-edition table").is_visible()
    screenshot(page, f"{label}-statistics-be")
    page.locator('.site-nav a[href="/be/regions/"]').click()
    page.wait_for_url(base + "/be/regions/")
    page.locator('a[href="/be/regions/BY-VI/"]').click()
    page.wait_for_url(base + "/be/regions/BY-VI/")
    assert page.locator(".region-edition").count() >= 1
    screenshot(page, f"{label}-region-be")
    page.locator("#site-search-q").fill("ПЛЕНАРНОЕ")
    page.locator(".site-search button").click()
    page.wait_for_url("**/be/search/?q=*")
    assert page.locator("#results-events").is_visible()
    assert page.locator(".hits mark").count() >= 1
    screenshot(page, f"{label}-search-be")


def test_visitor_reads_the_seventh_forum_on_a_phone(phone_page, live_server, screenshot):
    call_command("load_demo")

    visit(phone_page, live_server, screenshot, "phone")

    # Nothing is wider than the 360 px screen.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_visitor_reads_the_seventh_forum_at_a_desk(page, live_server, screenshot):
    call_command("load_demo")

    visit(page, live_server, screenshot, "desktop")


def test_programme_prints_without_navigation_and_a_page_per_day(page, live_server, screenshot):
    call_command("load_demo")
    page.goto(live_server.url + "/en/2020/programme/")

    page.emulate_media(media="print")

    for selector in (".languages", ".forum-nav", ".day-index", ".skip-link", ".actions"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none"
    breaks = page.locator("section.day").evaluate_all(
        "days => days.map(d => getComputedStyle(d).breakBefore)"
    )
    assert breaks == ["auto", "page", "page"]
    screenshot(page, "print")


def test_skip_link_is_the_first_stop_and_shows_when_focused(page, live_server):
    call_command("load_demo")
    page.goto(live_server.url + "/en/2020/programme/")

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_pages_work_without_javascript(browser, live_server):
    call_command("load_demo")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/en/2020/agreements/")
        page.locator("#id_kind").select_option("contract")
        page.locator(".filters button[type=submit]").click()
        page.wait_for_url("**kind=contract**")
        assert page.locator(".registry > li").count() == 3
        page.locator('.languages a[lang="ru"]').click()
        page.wait_for_url("**/ru/2020/agreements/?kind=contract**")
    finally:
        context.close()

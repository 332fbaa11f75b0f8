import pytest
from django.core.management import call_command

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

# The live server needs committed rows; serialized_rollback restores the regions and groups
# that migrations load, which a transactional test would otherwise flush away.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_secretariat_edits_an_event_in_three_language_tabs(page, live_server, screenshot):
    call_command("load_demo")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "secretariat")
    page.fill("#id_password", "forum-demo-2020")
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/events/event/?q=section-1")
    page.get_by_role("link", name="Парламентское измерение").first.click()

    # The title's three languages sit in tabs: one field shows at a time.
    expect(page.locator("#id_title_ru")).to_be_visible()
    expect(page.locator("#id_title_be")).to_be_hidden()
    page.locator("a[href='#tab_id_title_be']").first.click()
    expect(page.locator("#id_title_be")).to_be_visible()
    page.fill("#id_title_be", "Парламенцкае вымярэнне (праўка)")
    screenshot(page, "event-tabs")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist .success")).to_be_visible()
    from events.models import Event

    assert Event.objects.get(slug="section-1").title_be == "Парламенцкае вымярэнне (праўка)"


def test_admin_switches_to_belarusian(page, live_server):
    call_command("load_demo")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "secretariat")
    page.fill("#id_password", "forum-demo-2020")
    page.click("input[type=submit]")

    page.select_option("#admin-language", "be")
    page.click(".admin-language button")

    expect(page.locator("html")).to_have_attribute("lang", "be")
    expect(page.get_by_role("link", name="Пагадненні").first).to_be_visible()

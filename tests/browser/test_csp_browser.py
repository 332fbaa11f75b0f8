import pytest
from django.contrib.auth.models import User

from tests.factories import DelegateFactory, EventFactory

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_admin_works_under_the_content_security_policy(page, live_server):
    User.objects.create_superuser("root", "root@example.org", "a-long-password-9")
    event = EventFactory()
    delegate = DelegateFactory()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-password-9")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/change/")

    # modeltranslation's tabs (a script file) still switch the languages.
    expect(page.locator("#id_title_be")).to_be_hidden()
    page.locator("a[href='#tab_id_title_be']").first.click()
    expect(page.locator("#id_title_be")).to_be_visible()
    # Autocomplete widgets (select2) open.
    page.locator(".field-day .select2-selection").first.click()
    expect(page.locator(".select2-results")).to_be_visible()

    page.goto(f"{live_server.url}/admin/delegates/delegate/{delegate.pk}/change/")
    expect(page.locator("#id_last_name_ru")).to_be_visible()
    page.goto(f"{live_server.url}/admin/delegates/delegate/")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1")

    assert violations == []


def test_the_statistics_charts_render_under_the_content_security_policy(page, live_server):
    from django.core.management import call_command

    call_command("load_demo")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/en/statistics/")

    charts = page.locator("svg.chart")
    assert charts.count() >= 8
    # The site's stylesheet sizes them: drawn, not collapsed to nothing.
    assert all(
        box["height"] > 50
        for box in charts.evaluate_all("cs => cs.map(c => c.getBoundingClientRect().toJSON())")
    )
    assert violations == []

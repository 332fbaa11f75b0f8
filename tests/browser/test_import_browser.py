"""A secretariat editor imports delegates from Excel in Chromium: a clean sheet, then a broken."""

import pytest
from django.contrib.auth.models import Group, User

from delegates.models import Delegate
from forum.permissions import EDITORS
from tests.support.sheets import xlsx

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


HEAD = ["external_id", "email", "last_name_ru", "first_name_ru", "country", "region", "category"]


def log_in(page, live_server):
    user = User.objects.create_user("officer", password="import-2020", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "import-2020")
    page.click("input[type=submit]")


def upload(page, live_server, tmp_path, name, rows):
    path = tmp_path / name
    path.write_bytes(xlsx(rows))
    page.goto(f"{live_server.url}/admin/delegates/delegate/")
    page.get_by_role("link", name="Импорт", exact=True).click()
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="xlsx")
    page.locator("input[type=submit]").last.click()


def test_editor_imports_a_sheet_then_a_broken_one_changes_nothing(
    page, live_server, screenshot, tmp_path
):
    log_in(page, live_server)
    clean = [
        HEAD,
        ["S-1", "ivanova@example.org", "Иванова", "Анна", "BY", "BY-MI", "deputy"],
        ["S-2", "", "Петров", "Пётр", "RU", "RU-MOW", "expert"],
    ]

    upload(page, live_server, tmp_path, "delegates.xlsx", clean)
    expect(page.locator("table.import-preview")).to_contain_text("Иванова")
    screenshot(page, "preview")
    page.locator("input[name=confirm]").click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("#result_list")).to_contain_text("Иванова Анна")
    expect(page.locator("#result_list")).to_contain_text("Петров Пётр")
    screenshot(page, "list")

    broken = [HEAD, ["S-3", "", "Сидоров", "Сидор", "BY", "BY-XX", "deputy"], clean[1]]
    upload(page, live_server, tmp_path, "broken.xlsx", broken)

    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("BY-XX")
    expect(errors.locator("tbody tr").first).to_contain_text("2")
    expect(page.locator("input[name=confirm]")).to_have_count(0)
    screenshot(page, "errors")
    assert sorted(Delegate.objects.values_list("external_id", flat=True)) == ["S-1", "S-2"]

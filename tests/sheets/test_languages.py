"""The import pages speak the admin's language: problems, preview and confirmation alike."""

import pytest

from tests.support.sheets import confirm, preview, problems, xlsx

pytestmark = pytest.mark.django_db

URL = "/admin/delegates/delegate/import/"


def in_language(client, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})


@pytest.mark.parametrize(
    "language, unknown, preview_text, done",
    [
        ("ru", "Неизвестные столбцы", "Заголовки — в строке 2", "Импортировано строк: 1"),
        ("be", "Невядомыя слупкі", "Загалоўкі — у радку 2", "Імпартавана радкоў: 1"),
        ("en", "Unknown columns", "The header is row 2", "Imported 1 rows"),
    ],
)
def test_import_messages_in_the_admins_language(
    editor_client, language, unknown, preview_text, done
):
    in_language(editor_client, language)
    head = ["Фамилия", "Имя", "Страна", "Категория", "Эл. почта"]
    row = ["Иванов", "Иван", "Беларусь", "депутат", "i@example.org"]

    refused = preview(editor_client, URL, xlsx([["Список"], [*head, "рост"], row]))
    accepted = preview(editor_client, URL, xlsx([["Список"], head, row]))
    page = editor_client.get(confirm(editor_client, accepted)["Location"])

    assert unknown in problems(refused)[0][2]
    assert preview_text in accepted.content.decode()
    assert done in str(list(page.context["messages"])[-1])

"""Delegates from the secretariat's sheets through the admin: every format, every bad input."""

import pytest
from django.test import override_settings

from delegates.models import Delegate
from sheets.models import ImportRecord
from tests.factories import DelegateFactory
from tests.support.sheets import (
    CSV_FORMAT,
    XLSX_FORMAT,
    confirm,
    csv_bytes,
    import_sheet,
    preview,
    problems,
    xlsx,
)

pytestmark = pytest.mark.django_db

URL = "/admin/delegates/delegate/import/"
HEAD = [
    "external_id",
    "email",
    "last_name_ru",
    "last_name_be",
    "first_name_ru",
    "country",
    "region",
    "category",
    "phone",
]
IVANOV = ["S-001", "ivanov@example.org", "Иванов", "Іваноў", "Иван", "BY", "BY-MI", "deputy", ""]
PETROVA = ["S-002", "", "Петрова", "", "Мария", "RU", "RU-MOW", "депутат", "+7 495 000 00 00"]


def test_clean_xlsx_lands_whole_and_is_recorded_once(editor_client, editor):
    response = import_sheet(editor_client, URL, xlsx([HEAD, IVANOV, PETROVA]), name="list.xlsx")

    assert response.status_code == 302
    ivanov = Delegate.objects.get(external_id="S-001")
    assert (ivanov.last_name_ru, ivanov.last_name_be, ivanov.region.code) == (
        "Иванов",
        "Іваноў",
        "BY-MI",
    )
    petrova = Delegate.objects.get(external_id="S-002")
    assert petrova.category == "deputy"  # by its Russian label
    assert petrova.phone == "+7 495 000 00 00"
    record = ImportRecord.objects.get()
    assert (record.user, record.file_name, record.rows, record.created) == (
        editor,
        "list.xlsx",
        2,
        2,
    )
    # One record for the import, none per row.
    assert not Delegate.history.exists()


def test_same_sheet_again_updates_instead_of_duplicating(editor_client):
    import_sheet(editor_client, URL, xlsx([HEAD, IVANOV, PETROVA]))
    changed = [*IVANOV[:4], "Иван Иванович", *IVANOV[5:]]

    import_sheet(editor_client, URL, xlsx([HEAD, changed, PETROVA]))

    assert Delegate.objects.count() == 2
    assert Delegate.objects.get(external_id="S-001").first_name_ru == "Иван Иванович"


def test_delegate_without_external_id_is_found_by_email_whatever_its_case(editor_client):
    DelegateFactory(external_id="", email="Sidorov@Example.org", last_name="Сидоров")
    row = ["", "sidorov@example.ORG", "Сидоров", "", "Сидор", "BY", "BY-HM", "expert", ""]

    import_sheet(editor_client, URL, xlsx([HEAD, row]))

    assert Delegate.objects.get().first_name_ru == "Сидор"


@pytest.mark.parametrize(
    "encoding, delimiter, bom",
    [("utf-8", ",", False), ("utf-8", ";", True), ("cp1251", ";", False), ("utf-8", "\t", False)],
    ids=["utf8", "utf8-bom-semicolon", "windows-1251-semicolon", "utf8-tab"],
)
def test_csv_as_excel_writes_it(editor_client, encoding, delimiter, bom):
    data = csv_bytes([HEAD, IVANOV, PETROVA], encoding=encoding, delimiter=delimiter, bom=bom)

    import_sheet(editor_client, URL, data, name="list.csv")

    assert sorted(Delegate.objects.values_list("last_name_ru", flat=True)) == [
        "Иванов",
        "Петрова",
    ]
    assert Delegate.objects.get(external_id="S-001").last_name_be == "Іваноў"


def assert_nothing_written():
    assert not Delegate.objects.exists()
    assert not ImportRecord.objects.exists()


def test_one_bad_row_names_row_and_column_and_writes_nothing(editor_client):
    rows = [HEAD, IVANOV]
    rows += [
        [f"S-{i:03d}", "", f"Фамилия{i}", "", "Имя", "BY", "BY-MI", "deputy", ""]
        for i in range(3, 40)
    ]
    rows.append(["S-999", "", "Ошибкин", "", "Имя", "BY", "BY-XX", "deputy", ""])

    response = preview(editor_client, URL, xlsx(rows))

    [(row, column, message)] = problems(response)
    # The header is row 1: the 39th delegate sits in row 40 of the sheet.
    assert (row, column) == (40, "region")
    assert "BY-XX" in message
    assert "confirm_form" not in response.context
    assert_nothing_written()


def test_errors_are_in_the_admins_language(editor_client):
    bad = ["S-1", "", "Иванов", "", "", "BY", "BY-MI", "deputy", ""]

    response = editor_client.post(
        "/i18n/setlang/", {"language": "be", "next": "/admin/"}, follow=True
    )
    response = preview(editor_client, URL, xlsx([HEAD, bad]))

    assert response.context["LANGUAGE_CODE"] == "be"
    assert problems(response)[0][:2] == (2, "first_name_ru")
    assert problems(response)[0][2] == "Трэба запоўніць поле."  # Django's Belarusian
    assert_nothing_written()


def test_unknown_and_missing_headers_are_named(editor_client):
    response = preview(
        editor_client,
        URL,
        xlsx([["external_id", "рост", "first_name_ru", "country", "category"], IVANOV[:5]]),
    )

    [(row, _column, message)] = problems(response)
    assert row is None
    assert "Фамилия (last_name_ru)" in message and "рост" in message
    assert_nothing_written()


def test_same_person_twice_in_one_file(editor_client):
    response = preview(editor_client, URL, xlsx([HEAD, IVANOV, PETROVA, IVANOV]))

    found = {(row, column): message for row, column, message in problems(response)}
    assert set(found) == {(4, ""), (4, "email")}
    assert "S-001" in found[4, ""] and "2" in found[4, ""]
    assert_nothing_written()


def test_same_email_twice_under_different_ids(editor_client):
    twin = ["S-003", "IVANOV@example.org", "Иванов", "", "Иван", "BY", "BY-MI", "deputy", ""]

    response = preview(editor_client, URL, xlsx([HEAD, IVANOV, twin]))

    assert [p[:2] for p in problems(response)] == [(3, "email")]
    assert_nothing_written()


def test_wrong_choice_and_impossible_region_are_named(editor_client):
    wrong = ["S-003", "", "Иванов", "", "Иван", "RU", "BY-MI", "министр", ""]

    response = preview(editor_client, URL, xlsx([HEAD, wrong]))

    # A Belarusian region for a Russian delegate, and a category that does not exist.
    assert {p[:2] for p in problems(response)} == {(2, "category"), (2, "region")}
    assert_nothing_written()


def test_row_without_any_key_is_refused(editor_client):
    keyless = ["", "", "Безымянный", "", "Иван", "BY", "", "guest", ""]

    response = preview(editor_client, URL, xlsx([HEAD, keyless]))

    assert [p[:2] for p in problems(response)] == [(2, "external_id")]


def test_empty_file_is_refused(editor_client):
    response = preview(editor_client, URL, b"", name="empty.csv")

    assert response.context["form"].errors["import_file"]
    assert_nothing_written()


@pytest.mark.parametrize(
    "content, name",
    [(xlsx([HEAD]), "only-headers.xlsx"), (csv_bytes([HEAD]), "only-headers.csv")],
)
def test_header_without_rows_is_refused(editor_client, content, name):
    response = preview(editor_client, URL, content, name=name)

    assert len(response.context["form"].errors["import_file"]) == 1
    assert_nothing_written()


@pytest.mark.parametrize(
    "content, file_format",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), CSV_FORMAT),
        (b"%PDF-1.4 not a sheet at all", XLSX_FORMAT),
        (b"PK\x03\x04 a broken zip", XLSX_FORMAT),
    ],
    ids=["png-as-csv", "pdf-as-xlsx", "broken-zip"],
)
def test_file_that_is_not_a_spreadsheet_is_refused(editor_client, content, file_format):
    response = preview(editor_client, URL, content, name="picture", file_format=file_format)

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    assert_nothing_written()


def test_xlsx_uploaded_as_csv_says_to_choose_xlsx(editor_client):
    response = preview(editor_client, URL, xlsx([HEAD, IVANOV]), file_format=CSV_FORMAT)

    assert "XLSX" in response.context["form"].errors["import_file"][0]


@override_settings(IMPORT_MAX_BYTES=2000)
def test_over_large_file_is_refused_before_it_is_read(editor_client):
    content = csv_bytes([HEAD, *([IVANOV] * 100)])

    response = preview(editor_client, URL, content, name="big.csv")

    [message] = response.context["form"].errors["import_file"]
    assert "2,0" in message  # 2,0 КБ: the limit, in the admin's language
    assert_nothing_written()


@override_settings(IMPORT_MAX_ROWS=3)
def test_too_many_rows_is_refused(editor_client):
    rows = [[f"S-{i}", "", "Ф", "", "И", "BY", "", "guest", ""] for i in range(4)]

    response = preview(editor_client, URL, xlsx([HEAD, *rows]))

    assert "3" in response.context["form"].errors["import_file"][0]
    assert_nothing_written()


def test_confirm_is_refused_when_the_data_changed_since_the_preview(editor_client):
    response = preview(editor_client, URL, xlsx([HEAD, IVANOV]))
    # Someone else takes the e-mail between the preview and the confirmation.
    DelegateFactory(external_id="OTHER", email="ivanov@example.org")

    response = confirm(editor_client, response)

    assert response.status_code == 200
    assert [p[:2] for p in problems(response)] == [(2, "email")]
    assert Delegate.objects.count() == 1
    assert not ImportRecord.objects.exists()


def test_forged_confirmation_of_a_missing_file_changes_nothing(editor_client):
    response = editor_client.post(
        "/admin/delegates/delegate/process_import/",
        {
            "import_file_name": "../../etc/passwd",
            "original_file_name": "x.xlsx",
            "format": XLSX_FORMAT,
            "resource": "0",
        },
    )

    assert response.status_code == 302
    assert_nothing_written()


def test_viewer_may_not_import(client, django_user_model):
    from django.contrib.auth.models import Group

    from forum.permissions import VIEWERS

    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWERS))
    client.force_login(viewer)

    assert client.get(URL).status_code == 403


def test_dates_and_numbers_in_excel_cells_are_read(editor_client):
    # Excel stores an id typed as a number as a number; the import reads it as text.
    row = [1001, None, "Числов", None, "Иван", "BY", None, "guest", 375291234567]

    import_sheet(editor_client, URL, xlsx([HEAD, row]))

    delegate = Delegate.objects.get()
    assert (delegate.external_id, delegate.phone) == ("1001", "375291234567")


def test_a_confirmed_import_makes_every_servers_programme_cache_stale(editor_client):
    from django.core.cache import cache

    from forum.cache import GENERATION_KEY

    cache.set(GENERATION_KEY, "before-the-import", None)

    import_sheet(editor_client, URL, xlsx([HEAD, IVANOV]), name="list.xlsx")

    assert cache.get(GENERATION_KEY) not in (None, "before-the-import")


def test_an_officers_list_with_a_title_russian_headers_and_names_as_written(editor_client):
    rows = [
        ["Список участников Форума регионов", None, None, None, None, None, None],
        [None, None, None, None, None, None, None],
        ["№ п/п", "ФИО", "Страна", "Регион", "Категория", "Телефон", "Эл. почта"],
        [1, "Иванов Иван Иванович", "Республика Беларусь", "Минская обл.", "Депутат", "+375 29 1",
         "ivanov@example.org"],
        [None, None, None, None, None, None, None],
        [2, "Петрова Мария", "Российская Федерация", "город Москва", "эксперт", "",
         "p@example.org"],
        [3, "Сидоров Сидор", "Россия", "Московская губерния", "эксперт", "", "s@example.org"],
    ]  # fmt: skip

    response = preview(editor_client, URL, xlsx(rows))

    assert response.context["sheet"]["header_row"] == 3
    found = {p[:2]: p[2] for p in problems(response)}
    # Row 6 as the sheet shows it (a blank row between), column as the file spells it.
    assert list(found) == [(7, "Регион")]
    assert "Московская губерния" in found[7, "Регион"]


def test_a_full_name_of_one_word_is_refused(editor_client):
    rows = [["ФИО", "Страна", "Категория", "Эл. почта"], ["Иванов", "BY", "депутат", "i@e.org"]]

    response = preview(editor_client, URL, xlsx(rows))

    assert [p[:2] for p in problems(response)] == [(2, "ФИО")]


@pytest.mark.parametrize(
    "value, expected",
    [("ИСТИНА", True), ("ЛОЖЬ", False), ("TRUE", True), ("ісціна", True)],
)
def test_booleans_as_excel_writes_them(editor_client, value, expected):
    import_sheet(editor_client, URL, xlsx([[*HEAD, "is_sample"], [*IVANOV, value]]))

    assert Delegate.objects.get().is_sample is expected


def test_a_phone_excel_has_rounded_is_refused(editor_client):
    row = [*IVANOV[:8], "3,75293E+11"]

    response = preview(editor_client, URL, csv_bytes([HEAD, row], delimiter=";"), name="l.csv")

    assert [p[:2] for p in problems(response)] == [(2, "phone")]


@pytest.mark.parametrize("name", ["Minsk Region", "минская область", "Мінская вобласць", "by-mi"])
def test_region_by_name_in_any_language(editor_client, name):
    import_sheet(editor_client, URL, xlsx([HEAD, [*IVANOV[:6], name, *IVANOV[7:]]]))

    assert Delegate.objects.get().region.code == "BY-MI"


def test_a_koi8_r_file_is_read_and_a_mixed_one_is_refused_naming_the_line(editor_client):
    # KOI8-R has no Belarusian letters: the Russian columns only.
    rows = [HEAD, [*IVANOV[:3], "", *IVANOV[4:]], PETROVA]
    import_sheet(
        editor_client, URL, csv_bytes(rows, encoding="koi8_r", delimiter=";"), name="k.csv"
    )
    assert Delegate.objects.get(external_id="S-001").last_name_ru == "Иванов"
    Delegate.objects.all().delete()

    mixed = csv_bytes([HEAD, IVANOV], delimiter=";") + csv_bytes(
        [PETROVA], encoding="cp1251", delimiter=";"
    )
    response = preview(editor_client, URL, mixed, name="mixed.csv")

    [message] = response.context["form"].errors["import_file"]
    assert "3" in message
    assert not Delegate.objects.exists()


def test_unicode_text_from_excel_is_read(editor_client):
    data = csv_bytes([HEAD, IVANOV], delimiter="\t", encoding="utf-16")

    import_sheet(editor_client, URL, data, name="unicode.txt", file_format=CSV_FORMAT)

    assert Delegate.objects.get().last_name_be == "Іваноў"


def test_excel_error_cells_are_refused_naming_the_cell(editor_client):
    import openpyxl

    book = openpyxl.load_workbook(__import__("io").BytesIO(xlsx([HEAD, IVANOV])))
    cell = book.active["H2"]
    cell.value, cell.data_type = "#N/A", "e"
    buffer = __import__("io").BytesIO()
    book.save(buffer)

    response = preview(editor_client, URL, buffer.getvalue())

    [message] = response.context["form"].errors["import_file"]
    assert "H2" in message and "#N/A" in message and "category" in message
    assert_nothing_written()

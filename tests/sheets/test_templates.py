"""Each import page offers a blank XLSX template in the admin's language that imports back."""

import io

import openpyxl
import pytest

from tests.support.sheets import IMPORT_PAGES, preview

pytestmark = pytest.mark.django_db

PAGES = IMPORT_PAGES


@pytest.mark.parametrize("page", PAGES)
def test_every_import_page_offers_a_template_whose_header_is_recognised(editor_client, page):
    assert f"/admin/{page}/import/template/" in editor_client.get(f"/admin/{page}/import/").text

    response = editor_client.get(f"/admin/{page}/import/template/")

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in book.worksheets[0][1]]
    # A template with one row under its header reads the header as this sheet's columns.
    sheet = book.worksheets[0]
    sheet.append(["x"] * len(header))
    buffer = io.BytesIO()
    book.save(buffer)
    checked = preview(editor_client, f"/admin/{page}/import/", buffer.getvalue())
    assert not [p for p in checked.context["sheet_errors"] if "Unknown" in p["message"]]
    assert not [p for p in checked.context["sheet_errors"] if "Неизвестн" in p["message"]]


def test_the_delegates_template_is_in_the_admins_language_with_lists_and_a_guide(editor_client):
    editor_client.post("/i18n/setlang/", {"language": "be", "next": "/admin/"})

    response = editor_client.get("/admin/delegates/delegate/import/template/")

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, guide = book.worksheets[0], book.worksheets[1]
    header = [cell.value for cell in sheet[1]]
    assert "Прозвішча" in header
    assert any("дэпутат" in str(row[3].value) for row in guide.iter_rows(min_row=2))
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    category = header.index("Катэгорыя") + 1
    assert any(ref.startswith(openpyxl.utils.get_column_letter(category)) for ref in lists)


def test_a_viewer_gets_no_template(client, django_user_model):
    from django.contrib.auth.models import Group

    from forum.permissions import VIEWERS

    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWERS))
    client.force_login(viewer)

    assert client.get("/admin/delegates/delegate/import/template/").status_code == 403

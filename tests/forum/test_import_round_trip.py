"""What an export writes, the matching import reads back unchanged: every sheet, both formats."""

import io

import openpyxl
import pytest
from django.core.management import call_command

from sheets.formats import CSV
from sheets.models import ImportRecord
from tests.support.sheets import CSV_FORMAT, IMPORT_PAGES, XLSX_FORMAT, import_sheet

pytestmark = pytest.mark.django_db

SHEETS = IMPORT_PAGES


def export(client, sheet, file_format, headers="names"):
    response = client.post(
        f"/admin/{sheet}/export/", {"format": file_format, "resource": "0", "headers": headers}
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


def rows_of(content: bytes, file_format: str) -> list[list]:
    if file_format == XLSX_FORMAT:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    return [cells for _number, cells in CSV().read(content).rows]


@pytest.mark.parametrize("headers", ["names", "labels"])
@pytest.mark.parametrize("file_format", [XLSX_FORMAT, CSV_FORMAT], ids=["xlsx", "csv"])
@pytest.mark.parametrize("sheet", SHEETS)
def test_export_reads_back_unchanged(editor_client, sheet, file_format, headers):
    call_command("load_demo")
    first = export(editor_client, sheet, file_format, headers)
    name = "export.xlsx" if file_format == XLSX_FORMAT else "export.csv"

    response = import_sheet(editor_client, f"/admin/{sheet}/import/", first, name=name)

    assert response.status_code == 302
    record = ImportRecord.objects.get()
    # Nothing to change: no row is new or changed, every one is skipped as it is.
    assert (record.created, record.updated, record.skipped) == (0, 0, record.rows)
    assert record.rows > 0
    assert rows_of(export(editor_client, sheet, file_format, headers), file_format) == rows_of(
        first, file_format
    )


def test_an_export_with_labels_is_headed_in_the_admins_language(editor_client):
    call_command("load_demo")
    editor_client.post("/i18n/setlang/", {"language": "be", "next": "/admin/"})

    header = rows_of(export(editor_client, "agreements/agreement", XLSX_FORMAT, "labels"), "0")[0]

    assert header[:2] == ["Год форуму", "Рэгістрацыйны нумар"]
    assert "Бок 1: найменне" in header

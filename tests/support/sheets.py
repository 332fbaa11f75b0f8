"""Spreadsheets made in the tests (no binary fixtures), and the admin's two-step import."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from sheets.formats import CSV, FORMATS, XLSX

XLSX_FORMAT = str(FORMATS.index(XLSX))
# Every admin list with an import and an export, as app/model.
IMPORT_PAGES = [
    "forum/region",
    "forum/venue",
    "events/event",
    "delegates/delegate",
    "delegates/assignment",
    "agreements/agreement",
]
CSV_FORMAT = str(FORMATS.index(CSV))


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, encoding="utf-8", delimiter=",", bom=False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def preview(client, url, content: bytes, *, name="sheet.xlsx", file_format=None):
    """Upload to the import page; the response is the preview (or the form with its error)."""
    if file_format is None:
        file_format = XLSX_FORMAT if name.endswith(".xlsx") else CSV_FORMAT
    upload = SimpleUploadedFile(name, content)
    return client.post(url, {"import_file": upload, "format": file_format, "resource": "0"})


def confirm(client, response):
    """Post the preview's confirmation form, as the "Confirm import" button does."""
    form = response.context["confirm_form"]
    url = response.context["request"].path.replace("/import/", "/process_import/")
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(url, data)


def import_sheet(client, url, content: bytes, **kwargs):
    response = preview(client, url, content, **kwargs)
    assert response.status_code == 200
    assert response.context.get("confirm_form"), response.context.get("sheet_errors") or (
        response.context["form"].errors
    )
    return confirm(client, response)


def problems(response) -> list[tuple]:
    """(row, column, message) of each problem the page reports."""
    return [(p["row"], p["column"], str(p["message"])) for p in response.context["sheet_errors"]]

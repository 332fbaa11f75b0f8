"""Spreadsheets made in the tests (no binary fixtures), and the admin's two-step import."""

import csv
import io
import zipfile

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


def xls(rows, *, hidden_rows=()) -> bytes:
    """An Excel 97–2003 workbook (xlwt), its first sheet hidden behind a visible one's back."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Делегаты")
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(number, column, value)
        if number + 1 in hidden_rows:
            sheet.row(number).hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(rows, *, hidden_first_table=False, table_xml=None) -> bytes:
    """An OpenDocument spreadsheet, its content written here as LibreOffice writes it (or the
    table's rows given as XML)."""
    from xml.sax.saxutils import escape

    def cell(value):
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>"
        )

    table = table_xml or "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    hidden = (
        '<table:table table:name="Скрыт" table:style-name="ta2"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
        "</table:table-row></table:table>"
        if hidden_first_table
        else ""
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:automatic-styles><style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        f'{hidden}<table:table table:name="Делегаты">{table}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
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
        by_extension = {f().get_extension(): str(i) for i, f in enumerate(FORMATS)}
        file_format = by_extension.get(name.rsplit(".", 1)[-1], CSV_FORMAT)
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

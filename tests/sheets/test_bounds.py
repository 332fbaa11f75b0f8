"""Spreadsheets read within bounds: zip bombs and huge sheets, built here, are refused before
they are loaded, naming the limit in the user's language, in little memory."""

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.test import override_settings

from delegates.models import Delegate
from sheets.errors import ImportFileError
from sheets.formats import ODS, XLSX
from tests.support.sheets import XLSX_FORMAT, ods, preview, xlsx

pytestmark = pytest.mark.django_db

URL = "/admin/delegates/delegate/import/"
HEAD = ["external_id", "last_name_ru", "first_name_ru", "country", "category"]
GIB = 1 << 30


def deflated_run(size: int, byte: bytes = b"A") -> tuple[bytes, int]:
    """A raw deflate stream of `size` equal bytes, made without holding them: one flushed
    megabyte compressed once and repeated (a full flush makes each copy stand alone)."""
    chunk = byte * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size // len(chunk)
    crc = 0
    for _i in range(count):
        crc = zlib.crc32(chunk, crc)
    return block * count + compressor.flush(zlib.Z_FINISH), crc


def zip_archive(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP of (name, raw deflate data, crc, declared size) members, written by hand so that
    a member may declare whatever size it likes."""
    out, directory = io.BytesIO(), []
    for name, data, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size,
                        len(encoded), 0) + encoded + data
        )  # fmt: skip
        directory.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data),
                        size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        )  # fmt: skip
    start = out.tell()
    for entry in directory:
        out.write(entry)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory),
                    out.tell() - start, start, 0)
    )  # fmt: skip
    return out.getvalue()


def workbook_with_sheet(sheet_xml_stream: tuple[bytes, int], declared: int) -> bytes:
    """A real workbook whose first sheet is replaced by the given deflate stream."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(xlsx([HEAD]))) as book:
        for info in book.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                parts.append((info.filename, *sheet_xml_stream, declared))
            else:
                raw = book.read(info.filename)
                compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
                data = compressor.compress(raw) + compressor.flush()
                parts.append((info.filename, data, zlib.crc32(raw), len(raw)))
    return zip_archive(parts)


def refused(content: bytes, reader=XLSX):
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as error:
            reader().read(content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return str(error.value), peak


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_from_its_directory():
    bomb = workbook_with_sheet(deflated_run(2 * GIB), declared=2 * GIB)
    assert len(bomb) < 3_000_000

    message, peak = refused(bomb)

    assert "DJANGO_IMPORT_MAX_UNCOMPRESSED_BYTES" in message
    assert peak < 50 * 2**20


def test_a_workbook_that_hides_gigabytes_behind_a_small_declared_size_is_refused():
    bomb = workbook_with_sheet(deflated_run(2 * GIB), declared=4096)

    message, peak = refused(bomb)

    assert "повреждена" in message
    assert peak < 50 * 2**20


@pytest.mark.parametrize(
    "far_cell",
    [
        '<c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c>',
        '<c\tr="XFD1048576"><v>1</v></c>',
        '<c t="n" r="XFD1048576"><v>1</v></c>',
    ],
    ids=["plain", "tab-spaced", "reference-not-first"],
)
def test_two_cells_far_apart_are_refused_before_the_sheet_is_loaded(far_cell):
    # python-calamine would ask for 512 GiB for this 5 KB file (a rectangle of 17 billion cells).
    book = xlsx([["x"]])
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    far = sheet.replace(
        "</sheetData>",
        f'<row r="1048576">{far_cell}</row></sheetData>',
    )
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = far.encode()
    bomb = workbook_with_sheet(
        (compressor.compress(raw) + compressor.flush(), zlib.crc32(raw)), declared=len(raw)
    )

    message, peak = refused(bomb)

    assert "DJANGO_IMPORT_MAX_CELLS" in message
    assert peak < 10 * 2**20


def test_an_ods_table_repeated_a_billion_times_is_refused():
    bomb = ods(
        [],
        table_xml=(
            '<table:table-row table:number-rows-repeated="1048576">'
            '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
            "<text:p>x</text:p></table:table-cell></table:table-row>"
        ),
    )

    message, peak = refused(bomb, ODS)

    assert "DJANGO_IMPORT_MAX" in message
    assert peak < 10 * 2**20


@override_settings(IMPORT_MAX_CELLS=100)
def test_a_sheet_over_the_cell_limit_is_refused_in_the_admins_language(editor_client):
    rows = [HEAD] + [[f"S-{i}", "Иванов", "Иван", "BY", "deputy"] for i in range(30)]

    response = preview(editor_client, URL, xlsx(rows), file_format=XLSX_FORMAT)

    [message] = response.context["form"].errors["import_file"]
    assert "DJANGO_IMPORT_MAX_CELLS" in message and "100" in message
    assert "ячеек" in message
    assert not Delegate.objects.exists()


def test_a_bomb_uploaded_to_the_admin_changes_nothing(editor_client):
    bomb = workbook_with_sheet(deflated_run(GIB), declared=GIB)

    response = preview(editor_client, URL, bomb, name="bomb.xlsx")

    [message] = response.context["form"].errors["import_file"]
    assert "DJANGO_IMPORT_MAX_UNCOMPRESSED_BYTES" in message
    assert "Распакованн" in message
    assert not Delegate.objects.exists()

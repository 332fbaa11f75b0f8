"""Reading and writing sheets as people have them: XLSX, and CSV in the encodings Excel writes."""

import csv
import io

import tablib
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

from sheets.formulas import neutralise, restore


class ImportFileError(Exception):
    """A file we cannot read as a sheet; the message is for the person who uploaded it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def normalise_header(value) -> str:
    return str(value if value is not None else "").strip().lower().replace(" ", "_")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def build_dataset(rows) -> tablib.Dataset:
    """Rows (an iterator of sequences, the header first) -> a Dataset; blank rows dropped."""
    header = next(rows, None)
    while header is not None and all(is_blank(cell) for cell in header):
        header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The file is empty: it has no header row and no rows."))
    headers = [normalise_header(cell) for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    if any(not name for name in headers):
        raise ImportFileError(
            _("Column %(number)s of the header row is empty; every column needs a name.")
            % {"number": headers.index("") + 1}
        )
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    limit = max_rows()
    for sheet_row, row in enumerate(rows, start=2):
        cells = list(row)
        if all(is_blank(cell) for cell in cells):
            continue
        if any(not is_blank(cell) for cell in cells[width:]):
            raise ImportFileError(
                _("Row %(row)s has more cells than the header row has columns.")
                % {"row": sheet_row}
            )
        cells = cells[:width] + [None] * (width - len(cells))
        if len(dataset) >= limit:
            raise ImportFileError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": limit}
            )
        dataset.append([restore(cell) for cell in cells])
    if not len(dataset):
        raise ImportFileError(_("The file has a header row but no rows to import."))
    return dataset


class CSV(base_formats.CSV):
    """CSV as Excel writes it: UTF-8 with or without a BOM, or Windows-1251; `,`, `;` or tab.

    Exports are UTF-8 with a BOM and `;`, which Russian and Belarusian Excel open directly.
    """

    def get_title(self):
        return "csv"

    # Read as bytes: the encoding is found here, not given by the upload form.
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    @staticmethod
    def decode(data: bytes) -> str:
        if data[:4] == b"PK\x03\x04":
            raise ImportFileError(
                _("This is an Excel workbook, not a CSV file: choose the XLSX format.")
            )
        if b"\x00" in data[:8192]:
            raise ImportFileError(_("This file is not a spreadsheet: it is not text."))
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("The file is neither UTF-8 nor Windows-1251 text; save it as CSV again.")
            ) from error

    @staticmethod
    def delimiter(text: str) -> str:
        first_line = text.split("\n", 1)[0]
        counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.lstrip("\ufeff") if isinstance(in_stream, str) else self.decode(in_stream)
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter(text))
            return build_dataset(iter(reader))
        except csv.Error as error:
            raise ImportFileError(
                _("The file is not a readable CSV file: %(error)s") % {"error": error}
            ) from error

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([neutralise(cell) for cell in row])
        return "\ufeff" + escaped.export("csv", delimiter=";")


class XLSX(base_formats.XLSX):
    """The first sheet of an Excel workbook.

    Read with python-calamine (Rust), about ten times faster than openpyxl on the same sheet
    (see `make bench`); formulas are read as their last computed values. Exports are written by
    import-export with openpyxl.
    """

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream):
        from python_calamine import CalamineWorkbook

        if not isinstance(in_stream, bytes) or not in_stream.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                _("This file is not an Excel workbook (XLSX); choose CSV or save it as XLSX.")
            )
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(in_stream))
            sheet = book.get_sheet_by_index(0) if book.sheet_names else None
        # calamine raises one of several error types for a damaged or foreign file.
        except Exception as error:  # noqa: BLE001
            raise ImportFileError(
                _("The workbook could not be opened; it may be damaged or not XLSX.")
            ) from error
        if sheet is None:
            raise ImportFileError(_("The file is empty: it has no header row and no rows."))
        return build_dataset(iter(sheet.iter_rows()))

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([neutralise(cell) for cell in row])
        return super().export_data(escaped, **kwargs)


FORMATS = [XLSX, CSV]

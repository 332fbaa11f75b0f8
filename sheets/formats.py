"""The file formats of the admin's import and export: XLSX, CSV, and for import XLS and ODS.

Each reads a file into a Sheet (sheets.workbooks, sheets.text) within the limits of the
settings; which columns the sheet has is the resource's business (sheets.headers).
"""

import tablib
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

from sheets.compound import read_xls
from sheets.errors import ImportFileError
from sheets.formulas import neutralise
from sheets.text import read_csv
from sheets.workbooks import Sheet, is_ods, read_ods, read_xlsx

__all__ = ["CSV", "EXPORT_FORMATS", "FORMATS", "ODS", "XLS", "XLSX", "ImportFileError", "Sheet"]

ZIP = b"PK\x03\x04"
COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def escaped(dataset) -> tablib.Dataset:
    copy = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        copy.append([neutralise(cell) for cell in row])
    return copy


def read_workbook(data: bytes) -> Sheet:
    """Any workbook, whichever of the three formats was chosen: the content says which it is."""
    if data.startswith(ZIP):
        return read_ods(data) if is_ods(data) else read_xlsx(data)
    if data.startswith(COMPOUND_FILE):
        return read_xls(data)
    raise ImportFileError(
        _("This file is not a workbook (XLSX, XLS or ODS); choose CSV or save it as XLSX.")
    )


class CSV(base_formats.CSV):
    """CSV as Excel writes it; exports are UTF-8 with a BOM and `;`, which Russian and
    Belarusian Excel open directly."""

    def get_title(self):
        return "csv"

    # Read as bytes: the encoding is found here, not given by the upload form.
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def read(self, data: bytes) -> Sheet:
        return read_csv(data)

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + escaped(dataset).export("csv", delimiter=";")


class XLSX(base_formats.XLSX):
    """The first visible sheet of an Excel workbook, read with python-calamine (Rust), about
    ten times faster than openpyxl; formulas are read as their last computed values. Exports
    are written by import-export with openpyxl."""

    def get_title(self):
        return "xlsx"

    def read(self, data: bytes) -> Sheet:
        return read_workbook(data)

    def export_data(self, dataset, **kwargs):
        return super().export_data(escaped(dataset), **kwargs)


class XLS(XLSX):
    """Excel 97–2003 workbooks; import only (python-calamine reads them)."""

    def get_title(self):
        return "xls"

    def get_extension(self):
        return "xls"


class ODS(XLSX):
    """OpenDocument spreadsheets (LibreOffice, OpenOffice); import only."""

    def get_title(self):
        return "ods"

    def get_extension(self):
        return "ods"


# XLSX and CSV first and in the same places in both lists: the forms name formats by index.
FORMATS = [XLSX, CSV, XLS, ODS]
EXPORT_FORMATS = [XLSX, CSV]

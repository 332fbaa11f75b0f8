"""CSV as Excel and other programs write it, its encoding found by a detector, never guessed.

UTF-8 (with or without the byte-order mark) and UTF-16 ("Unicode text") are told by their
marks and their strict decoding. A file that is not UTF-8 is given to charset-normalizer, which
weighs the accepted single-byte encodings by how Russian and Belarusian text reads in each; a
file it cannot decide is refused rather than stored as mojibake. A UTF-8 file with some lines in
another encoding (a row pasted from an old file) is refused naming those lines.
"""

import codecs
import csv
import io

import charset_normalizer
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sheets.errors import ImportFileError
from sheets.workbooks import Sheet, blank, max_rows, too_many_cells, too_many_rows

# The single-byte encodings Excel and older programs save Cyrillic text in.
SINGLE_BYTE = {"cp1251": "Windows-1251", "koi8_r": "KOI8-R"}
ACCEPTED = "UTF-8, UTF-16, Windows-1251, KOI8-R"
# How much less garbled the detector's first choice must read than its second.
MARGIN = 0.05


def not_confident() -> ImportFileError:
    return ImportFileError(
        _(
            "The file's encoding cannot be told with confidence. Save it as CSV in one of "
            "these encodings: %(encodings)s (in Excel: “CSV UTF-8”), or as XLSX."
        )
        % {"encodings": ACCEPTED}
    )


def decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return utf8(data[len(codecs.BOM_UTF8) :])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise not_confident() from error
    if b"\x00" in data[:8192]:
        return utf16_without_mark(data)
    return utf8(data)


def utf16_without_mark(data: bytes) -> str:
    even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    # Text in UTF-16 has a zero in every other byte of its Latin letters and digits.
    if max(even, odd) < len(data[:4096]) // 8:
        raise ImportFileError(_("This file is not a spreadsheet: it is not text."))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportFileError(_("This file is not a spreadsheet: it is not text.")) from error


def utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    foreign = [number for number, line in enumerate(lines, start=1) if not _is_utf8(line)]
    if any(not line.isascii() for line in lines if _is_utf8(line)):
        shown = ", ".join(str(number) for number in foreign[:10])
        raise ImportFileError(
            ngettext(
                "Line %(lines)s is not in UTF-8, the encoding of the rest of the file: it was "
                "saved in another encoding. Retype it, or save the whole file again as CSV UTF-8.",
                "Lines %(lines)s are not in UTF-8, the encoding of the rest of the file: they "
                "were saved in another encoding. Retype them, or save the whole file again as "
                "CSV UTF-8.",
                len(foreign),
            )
            % {"lines": shown}
        )
    return single_byte(data)


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def single_byte(data: bytes) -> str:
    matches = sorted(
        charset_normalizer.from_bytes(data, cp_isolation=list(SINGLE_BYTE)),
        key=lambda match: match.chaos,
    )
    if not matches or matches[0].encoding not in SINGLE_BYTE:
        raise not_confident()
    if len(matches) > 1 and matches[1].chaos - matches[0].chaos < MARGIN:
        raise not_confident()
    return str(matches[0])


def delimiter(text: str) -> str:
    first_lines = text.split("\n", 12)[:12]
    counts = {sep: max(line.count(sep) for line in first_lines) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(data: bytes) -> Sheet:
    if data[:4] == b"PK\x03\x04":
        raise ImportFileError(
            _("This is an Excel workbook, not a CSV file: choose the XLSX format.")
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("This is an Excel 97–2003 workbook, not a CSV file: choose the XLS format.")
        )
    text = decode(data)
    rows = []
    cells = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
        for number, row in enumerate(reader, start=1):
            if not any(not blank(cell) for cell in row):
                continue
            cells += len(row)
            if len(rows) >= max_rows():
                raise too_many_rows()
            if cells > settings.IMPORT_MAX_CELLS:
                raise too_many_cells()
            rows.append((number, row))
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a readable CSV file: %(error)s") % {"error": error}
        ) from error
    return Sheet(rows=rows)

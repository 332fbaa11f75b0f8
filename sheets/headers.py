"""The header row as people write it, and the rows under it as a dataset.

The header is looked for among the first rows (title rows, blank rows and merged titles above
it are skipped): the row naming most of the sheet's columns wins. A column is named by its
technical name or by its label in any of the three languages, case, spaces, "ё" and a trailing
"*" or ":" aside; a running-number column ("№", "№ п/п") is left out.
"""

import re

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sheets.errors import ImportFileError
from sheets.formulas import restore
from sheets.workbooks import (
    EXCEL_ERRORS,
    HEADER_SEARCH_ROWS,
    blank,
    column_letters,
    too_many_rows,
)

RUNNING_NUMBER = frozenset(("№", "№ п/п", "№п/п", "п/п", "n", "no", "no.", "nr", "#", "n п/п"))


def fold(value) -> str:
    """'  Фамилия* ' -> 'фамилия'; 'last_name_RU' -> 'last name ru'."""
    text = str(value if value is not None else "").replace("\u00a0", " ").replace("_", " ")
    text = text.casefold().replace("ё", "е").strip().rstrip("*:").strip().strip("\"'«»“”")
    return re.sub(r"\s+", " ", text)


class SheetDataset(tablib.Dataset):
    """A tablib dataset that remembers where its rows and columns were in the file."""

    def __init__(self, *, headers, spelling, row_numbers, sheet_name, header_row, hidden_rows):
        super().__init__(headers=headers)
        # column -> its header as the file writes it
        self.spelling = spelling
        # dataset row (from 0) -> the row number the spreadsheet shows
        self.row_numbers = row_numbers
        self.sheet_name = sheet_name
        self.header_row = header_row
        self.hidden_rows = hidden_rows

    def sheet_row(self, number: int) -> int:
        """import-export's row number (from 1) -> the spreadsheet's."""
        if 1 <= number <= len(self.row_numbers):
            return self.row_numbers[number - 1]
        return number


def header_row(rows, vocabulary: dict[str, str]) -> int:
    """Index among `rows` of the row that names most columns; the first row if none does."""
    best, best_count = 0, 0
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = len({vocabulary[fold(cell)] for cell in cells if fold(cell) in vocabulary})
        if count > best_count:
            best, best_count = index, count
    return best


def dataset_from(sheet, vocabulary: dict[str, str]) -> SheetDataset:
    """The rows under the header as a dataset of the vocabulary's columns; other headers are
    kept as the file writes them, for the resource to refuse by name."""
    if not sheet.rows:
        raise ImportFileError(_("The file is empty: it has no header row and no rows."))
    index = header_row(sheet.rows, vocabulary)
    header_number, header = sheet.rows[index]
    kept, headers, spelling = [], [], {}
    for position, cell in enumerate(header):
        if blank(cell) or fold(cell) in RUNNING_NUMBER:
            continue
        text = str(cell).strip()
        column = vocabulary.get(fold(cell), text)
        kept.append(position)
        headers.append(column)
        spelling.setdefault(column, text)
    rows = sheet.rows[index + 1 :]
    check_unnamed_cells(rows, header, header_number)
    check_errors(sheet, rows, header, header_number)
    if not rows:
        raise ImportFileError(_("The file has a header row but no rows to import."))
    dataset = SheetDataset(
        headers=headers,
        spelling=spelling,
        row_numbers=[number for number, _cells in rows],
        sheet_name=sheet.name,
        header_row=header_number,
        hidden_rows=[row for row in sheet.hidden_rows if row > header_number],
    )
    if len(rows) > settings.IMPORT_MAX_ROWS:
        raise too_many_rows()
    width = len(header)
    for _number, cells in rows:
        cells = list(cells[:width]) + [None] * (width - len(cells))
        dataset.append([restore(cells[position]) for position in kept])
    return dataset


def check_unnamed_cells(rows, header, header_number):
    """A value under an empty header, or right of the last one, belongs to no column."""
    unnamed = {position for position, cell in enumerate(header) if blank(cell)}
    for number, cells in rows:
        for position, cell in enumerate(cells):
            if (position >= len(header) or position in unnamed) and not blank(cell):
                raise ImportFileError(
                    _(
                        "Cell %(cell)s has a value, but its column has no name in the header "
                        "(row %(header)s). Name the column or delete the value."
                    )
                    % {"cell": f"{column_letters(position)}{number}", "header": header_number}
                )


def check_errors(sheet, rows, header, header_number):
    """Cells that show an Excel error (#N/A, #REF!…) are refused, never stored as empty."""
    found = [(row, column, text) for row, column, text in sheet.error_cells if row > header_number]
    for number, cells in rows:
        found += [
            (number, position, cell.strip())
            for position, cell in enumerate(cells)
            if isinstance(cell, str) and cell.strip().upper() in EXCEL_ERRORS
        ]
    if not found:
        return
    found = sorted(set(found))
    names = [
        _("%(cell)s (column “%(column)s”): %(error)s")
        % {
            "cell": f"{column_letters(column)}{row}",
            "column": str(header[column]).strip() if column < len(header) else "",
            "error": text,
        }
        for row, column, text in found[:20]
    ]
    raise ImportFileError(
        ngettext(
            "A cell shows an Excel error instead of a value: %(cells)s. Correct the formula or "
            "type the value, then save the file again.",
            "Cells show Excel errors instead of values: %(cells)s. Correct the formulas or "
            "type the values, then save the file again.",
            len(found),
        )
        % {"cells": "; ".join(names)}
    )

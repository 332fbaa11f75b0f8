"""Workbooks (XLSX, ODS, XLS) read within bounds.

A workbook is a ZIP archive (XLS: a compound file) that may unpack to far more than it weighs,
and python-calamine builds a sheet as one dense rectangle from its first to its last cell: a
file of a few kilobytes with two cells far apart asks for hundreds of gigabytes. So before
calamine sees a file, its ZIP directory is checked (declared sizes, ratio, member count), every
member is inflated once as a stream (Python's zipfile stops at the declared size and checks the
CRC, so a member cannot lie about its size), and the chosen sheet's XML is streamed through
expat, counting rows and cells and stopping at the limits. Only then is the sheet loaded.
"""

import dataclasses
import io
import re
import xml.parsers.expat
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sheets.errors import ImportFileError

# More members than any workbook of a few sheets has; each costs a directory entry to check.
MAX_MEMBERS = 1000
# A member above this size may be at most RATIO times its compressed size: XML of a real sheet
# packs ten to thirty times; a bomb packs a thousand times.
RATIO_FROM_BYTES = 1 << 20
MAX_RATIO = 200
# Rows above the header (titles, blank rows) that the header search may look through.
HEADER_SEARCH_ROWS = 10
# Values Excel shows for a formula it cannot compute; they are refused, never stored.
EXCEL_ERRORS = frozenset(
    ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
)


@dataclasses.dataclass
class Sheet:
    """A sheet as read: (row number as the spreadsheet shows it, cells) for every row that has
    a value, and what the preview says about it."""

    rows: list[tuple[int, list]]
    name: str = ""
    hidden_rows: list[int] = dataclasses.field(default_factory=list)
    # (row, column index from 0, what the cell shows) of cells with an Excel error.
    error_cells: list[tuple[int, int, str]] = dataclasses.field(default_factory=list)


def max_rows() -> int:
    """Rows of data an import takes, plus the header and title rows above it."""
    return settings.IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS


def too_many_rows() -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(limit)s rows (the limit set by DJANGO_IMPORT_MAX_ROWS); "
            "split it into smaller files."
        )
        % {"limit": settings.IMPORT_MAX_ROWS}
    )


def too_many_cells() -> ImportFileError:
    return ImportFileError(
        _(
            "The sheet spans more than %(limit)s cells (the limit set by "
            "DJANGO_IMPORT_MAX_CELLS), counting from its first cell to its last; delete what "
            "lies outside the table or split the file."
        )
        % {"limit": settings.IMPORT_MAX_CELLS}
    )


def damaged() -> ImportFileError:
    return ImportFileError(
        _("The workbook could not be opened; it may be damaged, or not a spreadsheet.")
    )


class Tally:
    """Counts what a streamed sheet holds and refuses as soon as a limit is passed."""

    def __init__(self):
        self.rows_with_values = 0
        self.cells = 0
        self.last_row = 0
        self.last_column = 0
        self.hidden_rows: list[int] = []
        self.error_cells: list[tuple[int, int, str]] = []
        self._row_counted = 0
        # Read once: a sheet has hundreds of thousands of cells.
        self.max_rows = max_rows()
        self.max_cells = settings.IMPORT_MAX_CELLS
        # The rectangles of the workbook's other sheets, where the reader loads them all.
        self.other_areas = 0

    def cell(self, row: int, column: int, repeated_rows: int = 1, repeated_columns: int = 1):
        """A cell with a value at (row, column), both from 1, repeated as ODS repeats it."""
        self.cells += repeated_rows * repeated_columns
        last_row = row + repeated_rows - 1
        if last_row > self._row_counted:
            self.rows_with_values += min(repeated_rows, last_row - self._row_counted)
            self._row_counted = last_row
        self.extent(last_row, column + repeated_columns - 1)

    def extent(self, row: int, column: int):
        """The rectangle reaches (row, column), whether or not that cell has a value."""
        if row > self.last_row:
            self.last_row = row
        if column > self.last_column:
            self.last_column = column
        self.check()

    def add(self, other: "Tally"):
        self.cells += other.cells
        self.rows_with_values += other.rows_with_values
        self.other_areas += other.last_row * other.last_column + other.other_areas
        self.check()

    def check(self):
        if self.rows_with_values > self.max_rows:
            raise too_many_rows()
        area = self.other_areas + self.last_row * self.last_column
        if self.cells > self.max_cells or area > self.max_cells:
            raise too_many_cells()

    def hidden(self, row: int):
        if len(self.hidden_rows) < 1000:
            self.hidden_rows.append(row)

    def error(self, row: int, column: int, text: str):
        if len(self.error_cells) < 100:
            self.error_cells.append((row, column - 1, text))


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, once its directory and every member have been checked against the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise damaged() from error
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    unpacked = sum(member.file_size for member in members)
    too_packed = [
        member
        for member in members
        if member.file_size > RATIO_FROM_BYTES
        and member.file_size > MAX_RATIO * max(member.compress_size, 1)
    ]
    if len(members) > MAX_MEMBERS or unpacked > limit or too_packed:
        raise ImportFileError(
            _(
                "Unpacked, this workbook would take %(size)s; workbooks up to %(limit)s "
                "unpacked (the limit set by DJANGO_IMPORT_MAX_UNCOMPRESSED_BYTES) can be "
                "imported. It may be damaged or built to overload the server."
            )
            % {"size": filesizeformat(max(unpacked, limit + 1)), "limit": filesizeformat(limit)}
        )
    return archive


def inflate(archive: zipfile.ZipFile, name: str, parser=None) -> None:
    """Stream one member (into an expat parser, if given); zipfile stops at the declared size
    and checks the CRC, so a member that lies about its size is found here."""
    try:
        with archive.open(name) as member:
            while chunk := member.read(1 << 20):
                if parser is not None:
                    parser.Parse(chunk, False)
            if parser is not None:
                parser.Parse(b"", True)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise damaged() from error
    except xml.parsers.expat.ExpatError as error:
        raise damaged() from error


def verify_members(archive: zipfile.ZipFile, *, except_for: str) -> None:
    for member in archive.infolist():
        if member.filename != except_for and not member.is_dir():
            inflate(archive, member.filename)


def local(name: str) -> str:
    return name.rsplit(":", 1)[-1].rsplit(" ", 1)[-1]


def parser(start, end=None, text=None) -> xml.parsers.expat.XMLParserType:
    parsed = xml.parsers.expat.ParserCreate()
    parsed.StartElementHandler = start
    if end is not None:
        parsed.EndElementHandler = end
    if text is not None:
        parsed.CharacterDataHandler = text
    # Entities beyond XML's five are refused: no billion laughs.
    parsed.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parsed.EntityDeclHandler = _refuse_entities
    return parsed


def _refuse_entities(*args):
    raise damaged()


def xml_elements(archive, name, wanted: str) -> list[dict]:
    """The attributes of each `wanted` element of a small part (the workbook's list of sheets)."""
    found = []

    def start(tag, attrs):
        if local(tag) == wanted and len(found) < MAX_MEMBERS:
            found.append({local(key): value for key, value in attrs.items()})

    try:
        archive.getinfo(name)
    except KeyError as error:
        raise damaged() from error
    inflate(archive, name, parser(start))
    return found


# XLSX


CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)$")


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(index: int) -> str:
    """0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_first_visible_sheet(archive) -> tuple[str, str]:
    """(name, part) of the first sheet that is not hidden."""
    sheets = xml_elements(archive, "xl/workbook.xml", "sheet")
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in xml_elements(archive, "xl/_rels/workbook.xml.rels", "Relationship")
    }
    for sheet in sheets:
        if sheet.get("state", "visible") != "visible":
            continue
        target = targets.get(sheet.get("id"), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        return sheet.get("name", ""), part
    raise ImportFileError(_("The workbook has no visible sheet."))


# The sheet's tags that matter, with or without a namespace prefix: in XML a "<" starts a tag
# and ">" ends it, so a tag is found whole; comments and the like can only add matches, so the
# count errs high, never low.
SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?(c|row|v|is)(?=[\s/>])([^>]*)>")
REFERENCE = re.compile(rb"""\br\s*=\s*["']([^"']*)["']""")
STRICT_REFERENCE = re.compile(rb"([A-Z]{1,3})(\d{1,7})$")
ERROR_TYPE = re.compile(rb"""\bt\s*=\s*["']e["']""")
HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](1|true)["']""")


# As Excel, LibreOffice and openpyxl write a sheet: no namespace prefix, the reference first.
# These patterns start with a literal, which the regular expression engine looks for in C.
CELL_AT = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
MARKS = (b't="e"', b"t='e'", b"hidden=", b":sheetData", b":row", b":c")
# What may follow a tag's name: "<c" followed by anything else is another element (<col>).
AFTER_NAME = (b" ", b"\t", b"\n", b"\r", b"/", b">")


def plain_cells(data: bytes) -> int:
    """Every <c> tag, however it is spaced: each must also be found by CELL_AT."""
    return sum(data.count(b"<c" + after) for after in AFTER_NAME)


def sheet_chunks(archive, part: str):
    """The sheet's XML in pieces of about a megabyte, each ending after a whole tag."""
    tail = b""
    try:
        with archive.open(part) as member:
            while chunk := member.read(1 << 20):
                data = tail + chunk
                cut = data.rfind(b">") + 1
                tail = data[cut:]
                yield data[:cut]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise damaged() from error
    except KeyError as error:
        raise damaged() from error
    yield tail


def xlsx_scan(archive, part: str) -> Tally:
    """Count the sheet's cells and the rows and columns they reach, a megabyte at a time, with
    searches that run in C (a call per cell would cost more than reading the sheet). A sheet
    written otherwise (prefixed tags, references not first), or with hidden rows or error cells
    to name, is read tag by tag (xlsx_scan_exact)."""
    tally = Tally()
    rows: set[int] = set()
    for data in sheet_chunks(archive, part):
        places = CELL_AT.findall(data)
        if len(places) != plain_cells(data) or any(mark in data for mark in MARKS):
            return xlsx_scan_exact(archive, part)
        if not places:
            continue
        columns, numbers = zip(*places, strict=True)
        rows.update(map(int, set(numbers)))
        last = max(set(columns), key=lambda letters: (len(letters), letters))
        tally.cells += data.count(b"<v>") + data.count(b"<v ") + data.count(b"<is>")
        tally.rows_with_values = len(rows)
        tally.extent(max(rows), column_number(last.decode()))
    return tally


def xlsx_scan_exact(archive, part: str) -> Tally:
    """The sheet's XML tag by tag: a cell counts once it has a value (<v> or an inline
    string); hidden rows and error cells are noted; a cell reference that is not plain letters
    and digits is refused."""
    tally = Tally()
    row = column = 0
    pending = None  # (row, column, is an error) of a <c> whose value has not come yet
    for data in sheet_chunks(archive, part):
        for match in SHEET_TAG.finditer(data):
            name, attrs = match[1], match[2]
            if name == b"c":
                reference = REFERENCE.search(attrs)
                if reference:
                    strict = STRICT_REFERENCE.match(reference[1])
                    if strict is None:
                        raise damaged()
                    column = column_number(strict[1].decode())
                    row = int(strict[2])
                else:
                    column += 1
                pending = (row, column, ERROR_TYPE.search(attrs) is not None)
            elif name == b"row":
                reference = REFERENCE.search(attrs)
                row = int(reference[1]) if reference and reference[1].isdigit() else row + 1
                column, pending = 0, None
                if HIDDEN.search(attrs):
                    tally.hidden(row)
            elif pending is not None:
                tally.cell(pending[0], pending[1])
                if pending[2]:
                    end = data.find(b"<", match.end())
                    text = data[match.end() : end if end >= 0 else None]
                    tally.error(pending[0], pending[1], text.decode("utf-8", "replace"))
                pending = None
    return tally


def read_xlsx(data: bytes) -> Sheet:
    archive = open_zip(data)
    name, part = xlsx_first_visible_sheet(archive)
    tally = xlsx_scan(archive, part)
    verify_members(archive, except_for=part)
    return load(data, name, tally)


# ODS


def ods_first_visible_table(archive) -> tuple[str, Tally]:
    """The first table not hidden by its style, scanned; content.xml holds them all."""
    tally = Tally()
    hidden_styles = set()
    state = {"style": None, "table": None, "done": False, "row": 0, "column": 0, "repeat": 1}
    state.update(cell=None, error=False)

    def start(tag, attrs):
        tag = local(tag)
        if state["done"]:
            return
        if tag == "style":
            state["style"] = attrs.get("style:name")
        elif tag == "table-properties" and attrs.get("table:display") == "false":
            hidden_styles.add(state["style"])
        elif tag == "table" and state["table"] is None:
            if attrs.get("table:style-name") not in hidden_styles:
                state["table"] = attrs.get("table:name", "")
        elif state["table"] is None:
            return
        elif tag == "table-row":
            state["repeat"] = _count(attrs.get("table:number-rows-repeated"))
            state["row"] += 1
            state["column"] = 0
            if attrs.get("table:visibility") in ("collapse", "filter"):
                for row in range(state["row"], state["row"] + min(state["repeat"], 1000)):
                    tally.hidden(row)
        elif tag in ("table-cell", "covered-table-cell"):
            repeat = _count(attrs.get("table:number-columns-repeated"))
            column = state["column"] + 1
            state["column"] += repeat
            valued = "office:value-type" in attrs or "calcext:value-type" in attrs
            state["cell"] = (column, repeat, valued)
            if valued:
                tally.cell(state["row"], column, state["repeat"], repeat)
            if attrs.get("calcext:value-type") == "error":
                state["error"] = True
        elif tag == "p" and state["cell"] is not None and not state["cell"][2]:
            # Text without a value type: a plain string cell.
            column, repeat, _valued = state["cell"]
            state["cell"] = (column, repeat, True)
            tally.cell(state["row"], column, state["repeat"], repeat)

    def end(tag):
        tag = local(tag)
        if tag == "table" and state["table"] is not None:
            state["done"] = True
        elif tag == "table-row" and state["table"] is not None and not state["done"]:
            state["row"] += state["repeat"] - 1
        elif tag in ("table-cell", "covered-table-cell"):
            if state["error"] and state["cell"] is not None:
                tally.error(state["row"], state["cell"][0], "#ERROR")
            state["cell"], state["error"] = None, False

    inflate(archive, "content.xml", parser(start, end))
    if state["table"] is None:
        raise ImportFileError(_("The workbook has no visible sheet."))
    return state["table"], tally


def _count(value) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError as error:
        raise damaged() from error


def read_ods(data: bytes) -> Sheet:
    archive = open_zip(data)
    try:
        archive.getinfo("content.xml")
    except KeyError as error:
        raise damaged() from error
    name, tally = ods_first_visible_table(archive)
    verify_members(archive, except_for="content.xml")
    return load(data, name, tally)


def is_ods(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return False


# The sheet itself, once the limits hold.


def load(data: bytes, name: str, tally: Tally) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_name(name)
        # calamine's rows start at row 1 but at the first column with a value.
        padding = [""] * (sheet.start[1] if sheet.start else 0)
        rows = [
            (number, padding + cells)
            for number, cells in enumerate(sheet.iter_rows(), start=1)
            if any(not blank(cell) for cell in cells)
        ]
    # calamine raises one of several error types for a damaged or foreign file.
    except Exception as error:  # noqa: BLE001
        raise damaged() from error
    return Sheet(rows=rows, name=name, hidden_rows=tally.hidden_rows, error_cells=tally.error_cells)


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

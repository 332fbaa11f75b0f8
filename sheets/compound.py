"""Excel 97–2003 workbooks (.xls) read within bounds.

An .xls is a compound file (OLE2) holding a BIFF record stream. python-calamine reads every
sheet of it as one dense rectangle when it opens the file, so its cell records are scanned
first, here, and the limits applied to every sheet: a small file with two cells far apart
cannot ask for gigabytes.
"""

import struct

from django.utils.translation import gettext as _

from sheets.errors import ImportFileError
from sheets.workbooks import Sheet, Tally, damaged, load

END_OF_CHAIN = 0xFFFFFFFE
# BIFF record types read here.
BOF, EOF, BOUNDSHEET, ROW = 0x0809, 0x000A, 0x0085, 0x0208
ONE_CELL = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0205}  # number, RK, strings, formula
MULRK = 0x00BD
BLANKS = {0x0201, 0x00BE}
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?"}
ERRORS |= {0x24: "#NUM!", 0x2A: "#N/A"}


class CompoundFile:
    """The streams of an OLE2 compound file, following its allocation tables with care: a
    chain longer than the file has sectors is a loop."""

    def __init__(self, data: bytes):
        if len(data) < 512:
            raise damaged()
        self.data = data
        self.sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        self.mini_sector = 1 << struct.unpack_from("<H", data, 0x20)[0]
        if self.sector not in (512, 4096) or self.mini_sector != 64:
            raise damaged()
        self.sectors = len(data) // self.sector
        (fat_count, directory, _t, self.cutoff, minifat, minifat_count, difat, difat_count) = (
            struct.unpack_from("<IIIIIIII", data, 0x2C)
        )
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < self.sectors]
        for _i in range(min(difat_count, self.sectors)):
            if difat >= self.sectors:
                break
            entries = struct.unpack_from(f"<{self.sector // 4}I", self._raw(difat))
            fat_sectors += [s for s in entries[:-1] if s < self.sectors]
            difat = entries[-1]
        self.fat = []
        for number in fat_sectors[: min(fat_count, self.sectors)]:
            self.fat += struct.unpack_from(f"<{self.sector // 4}I", self._raw(number))
        self.entries = self._directory(self._chain(directory, self.fat, self.sector, self._raw))
        root = self.entries[0] if self.entries else None
        self.mini_stream = self._chain(root[1], self.fat, self.sector, self._raw) if root else b""
        self.minifat = []
        if minifat_count:
            table = self._chain(minifat, self.fat, self.sector, self._raw)
            self.minifat = list(struct.unpack_from(f"<{len(table) // 4}I", table))

    def _raw(self, number: int) -> bytes:
        start = (number + 1) * self.sector
        if number >= self.sectors or start + self.sector > len(self.data):
            raise damaged()
        return self.data[start : start + self.sector]

    def _chain(self, first: int, table: list, size: int, read) -> bytes:
        parts = []
        number = first
        while number != END_OF_CHAIN:
            if number >= len(table) or len(parts) > len(table):
                raise damaged()
            parts.append(read(number))
            number = table[number]
        return b"".join(parts)

    def _mini(self, number: int) -> bytes:
        start = number * self.mini_sector
        if start + self.mini_sector > len(self.mini_stream):
            raise damaged()
        return self.mini_stream[start : start + self.mini_sector]

    @staticmethod
    def _directory(raw: bytes) -> list[tuple[str, int, int]]:
        entries = []
        for offset in range(0, len(raw) - 127, 128):
            length = struct.unpack_from("<H", raw, offset + 64)[0]
            name = raw[offset : offset + max(0, min(length, 64) - 2)].decode("utf-16-le", "ignore")
            start, size = struct.unpack_from("<II", raw, offset + 116)
            entries.append((name, start, size))
        return entries

    def stream(self, *names: str) -> bytes:
        for name, start, size in self.entries[1:]:
            if name in names:
                if size < self.cutoff:
                    data = self._chain(start, self.minifat, self.mini_sector, self._mini)
                else:
                    data = self._chain(start, self.fat, self.sector, self._raw)
                return data[:size]
        raise damaged()


def records(stream: bytes, start: int = 0):
    """(type, body) of each BIFF record from `start`."""
    offset = start
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4 : offset + 4 + length]
        offset += 4 + length


def sheets(stream: bytes) -> list[tuple[str, int, bool]]:
    """(name, offset of its BOF, visible) of each worksheet, from the workbook globals."""
    found = []
    for kind, body in records(stream):
        if kind == EOF:
            break
        if kind == BOUNDSHEET and len(body) >= 8:
            offset, state, sheet_type, length, flags = struct.unpack_from("<IBBBB", body)
            raw = body[8:]
            name = (
                raw[: 2 * length].decode("utf-16-le", "replace")
                if flags & 1
                else raw[:length].decode("latin-1")
            )
            if sheet_type == 0:
                found.append((name, offset, state == 0))
    return found


def scan_sheet(stream: bytes, offset: int, tally: Tally) -> None:
    for kind, body in records(stream, offset):
        if kind == EOF:
            return
        if len(body) < 4:
            continue
        row, column = struct.unpack_from("<HH", body)
        if kind in ONE_CELL:
            tally.cell(row + 1, column + 1)
            if error := _error(kind, body):
                tally.error(row + 1, column + 1, error)
        elif kind == MULRK and len(body) >= 6:
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            for each in range(column, last + 1):
                tally.cell(row + 1, each + 1)
        elif kind in BLANKS:
            last = struct.unpack_from("<H", body, len(body) - 2)[0] if kind == 0x00BE else column
            tally.extent(row + 1, max(column, last) + 1)
        elif kind == ROW and len(body) >= 14 and struct.unpack_from("<H", body, 12)[0] & 0x20:
            tally.hidden(row + 1)


def _error(kind: int, body: bytes) -> str | None:
    if kind == 0x0205 and len(body) >= 8 and body[7] == 1:
        return ERRORS.get(body[6], "#ERROR")
    if kind == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
        return ERRORS.get(body[8], "#ERROR")
    return None


def read_xls(data: bytes) -> Sheet:
    try:
        stream = CompoundFile(data).stream("Workbook", "Book")
        listed = sheets(stream)
    except struct.error as error:
        raise damaged() from error
    visible = [sheet for sheet in listed if sheet[2]]
    if not visible:
        raise ImportFileError(_("The workbook has no visible sheet."))
    # calamine reads every sheet when it opens the file: all of them count against the limits.
    combined = Tally()
    first = None
    for name, offset, is_visible in listed:
        tally = Tally()
        try:
            scan_sheet(stream, offset, tally)
        except struct.error as error:
            raise damaged() from error
        combined.add(tally)
        if first is None and is_visible:
            first = (name, tally)
    return load(data, *first)

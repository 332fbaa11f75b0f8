"""Small files of each kind the documents accept, and some they refuse, made in memory."""

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

from demo.sample_files import sample_pdf

_CT = "application/vnd.openxmlformats-officedocument"
OOXML = {
    "docx": ("word/document.xml", f"{_CT}.wordprocessingml.document.main+xml"),
    "pptx": ("ppt/presentation.xml", f"{_CT}.presentationml.presentation.main+xml"),
}


def pdf(text: str = "Sample document") -> bytes:
    return sample_pdf(text)


def png() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    # The JFIF start a camera or an editor writes; the check reads no further.
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


def _zip(members: dict[str, bytes | str], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members.items()):
            compress = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return out.getvalue()


def _content_types(part: str, content_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    )


def ooxml(kind: str, *, macros: bool = False) -> bytes:
    part, content_type = OOXML[kind]
    members = {"[Content_Types].xml": _content_types(part, content_type), part: "<x/>"}
    if macros:
        members["word/vbaProject.bin"] = b"\x00" * 16
    return _zip(members)


def docx() -> bytes:
    return ooxml("docx")


def pptx() -> bytes:
    return ooxml("pptx")


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Итоги"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odt(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    return _zip({"mimetype": mimetype, "content.xml": "<x/>"}, stored_first=True)


def plain_zip() -> bytes:
    return _zip({"notes.txt": "not an office file"})


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 256


ACCEPTED = {
    "pdf": pdf,
    "docx": docx,
    "xlsx": xlsx,
    "pptx": pptx,
    "odt": odt,
    "jpg": jpeg,
    "png": png,
}

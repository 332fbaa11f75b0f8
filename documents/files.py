"""What an uploaded document file really is, read from its content, never from its name.

``filetype`` (pure Python) recognises a file by its first bytes. A Word, Excel, PowerPoint or
OpenDocument file is a ZIP archive: its members and declared content types tell which one it is,
and whether it carries macros, which are refused.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
# filetype reads no more than this of a file's head.
HEAD = 8192


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"
    PPTX = "pptx", "PPTX"
    ODT = "odt", "ODT"
    JPEG = "jpg", "JPEG"
    PNG = "png", "PNG"


CONTENT_TYPES = {
    FileFormat.PDF: "application/pdf",
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileFormat.ODT: "application/vnd.oasis.opendocument.text",
    FileFormat.JPEG: "image/jpeg",
    FileFormat.PNG: "image/png",
}

# An Office Open XML file: the part its [Content_Types].xml must declare (macro-free form).
_OOXML_MAIN_PARTS = {
    FileFormat.DOCX: (
        "/word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    FileFormat.XLSX: (
        "/xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    FileFormat.PPTX: (
        "/ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class FileFacts:
    format: str
    size: int
    sha256: str


def accepted_formats() -> str:
    return ", ".join(label for _value, label in FileFormat.choices)


def _not_accepted(what: str) -> ValidationError:
    return ValidationError(
        _(
            "This file is not in an accepted format (%(formats)s): by its content it is "
            "%(what)s, whatever its name says."
        )
        % {"what": what, "formats": accepted_formats()},
        code="format",
    )


def _read_all(file) -> tuple[bytes, int, str]:
    """The file's head, size and SHA-256, read once in chunks from its start."""
    file.seek(0)
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := file.read(CHUNK):
        if len(head) < HEAD:
            head += chunk[: HEAD - len(head)]
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return head, size, digest.hexdigest()


def _declared_content_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """[Content_Types].xml of an Office Open XML package: part name -> content type."""
    root = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    return {
        element.get("PartName", "").lower(): element.get("ContentType", "")
        for element in root.iter(f"{_CONTENT_TYPES_NS}Override")
    }


def _zip_format(file) -> str:
    """DOCX, XLSX, PPTX or ODT from a ZIP archive's members, or why it is none of them."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.read("mimetype").strip() == _ODT_MIMETYPE:
                    return FileFormat.ODT
                raise _not_accepted(_("an OpenDocument file other than a text"))
            if "[Content_Types].xml" not in names:
                raise _not_accepted(_("a ZIP archive"))
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationError(
                    _("Office files with macros are not accepted; save it as DOCX, XLSX or PPTX."),
                    code="macros",
                )
            declared = _declared_content_types(archive)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, EOFError) as error:
        raise _not_accepted(_("a damaged ZIP archive")) from error
    finally:
        file.seek(0)
    for found, (part, content_type) in _OOXML_MAIN_PARTS.items():
        if declared.get(part) == content_type and part.lstrip("/") in names:
            return found
    if any(type_.startswith("application/vnd.ms-") for type_ in declared.values()):
        raise ValidationError(
            _("Office files with macros are not accepted; save it as DOCX, XLSX or PPTX."),
            code="macros",
        )
    raise _not_accepted(_("a ZIP archive"))


def _format_of(file, head: bytes) -> str:
    kind = filetype.guess(head)
    if kind is None:
        raise _not_accepted(_("a file of an unknown format"))
    if kind.extension in ("pdf", "png", "jpg"):
        return FileFormat(kind.extension)
    if kind.extension in ("zip", "docx", "xlsx", "pptx", "odt", "ods", "odp"):
        # filetype's guess of an Office file is a peek at the first member: check them all.
        return _zip_format(file)
    raise _not_accepted(_("a file of type %(format)s") % {"format": kind.extension.upper()})


def file_facts(file) -> FileFacts:
    """The format, size and SHA-256 of an uploaded or stored file; a ValidationError in the
    reader's language for an empty, too large or not accepted one."""
    head, size, sha256 = _read_all(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; files up to %(limit)s are accepted.")
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
            },
            code="size",
        )
    return FileFacts(format=_format_of(file, head), size=size, sha256=sha256)


def validate_document_file(file) -> None:
    file_facts(file)

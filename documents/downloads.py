"""A document file as a download, for the public view and the participants' view alike: the
caller has already decided that this reader may have it."""

import logging
import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils import translation

from documents.models import DocumentFile

logger = logging.getLogger(__name__)

# A file's address ends "<document id>-<language>.<extension>", e.g. "12-be.pdf", for the public
# and the participants' downloads alike. Ten digits at most: longer never reach the database.
FILE_PATH = (
    r"(?P<pk>[0-9]{1,10})-(?P<language>"
    + "|".join(code for code, _name in settings.LANGUAGES)
    + r")\.(?P<extension>[a-z]{3,4})"
)

# Not allowed in a file name on Windows, macOS or Linux, nor as control characters.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
NAME_LENGTH = 120


def download_name(document_file: DocumentFile) -> str:
    """The document's title in the file's own language (Cyrillic kept), with the extension of
    what the file is: "Рэзалюцыя VII Форума.pdf"."""
    with translation.override(document_file.language):
        title = document_file.document.title
    title = " ".join(_UNSAFE.sub(" ", title).split()).strip(". ")[:NAME_LENGTH].strip()
    return f"{title or 'document'}.{document_file.format}"


def content_disposition(document_file: DocumentFile) -> str:
    """RFC 6266: an ASCII name for old clients, the real one (RFC 5987, UTF-8) for the rest."""
    fallback = f"document-{document_file.document_id}-{document_file.language}"
    name = quote(download_name(document_file), safe="")
    return f"attachment; filename=\"{fallback}.{document_file.format}\"; filename*=UTF-8''{name}"


def document_response(document_file: DocumentFile) -> FileResponse:
    """The file's bytes with its real type and name; 404 (and a log line) when the storage has
    lost it, never a 500."""
    try:
        stream = document_file.file.open("rb")
        response = FileResponse(stream, content_type=document_file.content_type)
    except Exception as error:
        logger.warning("document file %s cannot be read: %s", document_file.file.name, error)
        raise Http404 from error
    response["Content-Disposition"] = content_disposition(document_file)
    return response

"""A document file is what its content says, whatever its name; the rest is refused, saying why."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from documents.files import file_facts
from documents.models import DocumentFile
from tests.factories import DocumentFactory, DocumentFileFactory
from tests.support import documents as files


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("format_", sorted(files.ACCEPTED))
def test_each_accepted_format_is_recognised_by_its_content(format_):
    data = files.ACCEPTED[format_]()

    facts = file_facts(upload(data, "no-extension"))

    assert facts.format == format_
    assert facts.size == len(data)
    assert facts.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "name", "named"),
    [
        (files.exe(), "resolution.pdf", "EXE"),
        (b"<html><script>alert(1)</script></html>", "photo.png", "unknown format"),
        (files.plain_zip(), "minutes.docx", "ZIP archive"),
        (files.odt("application/vnd.oasis.opendocument.spreadsheet"), "table.odt", "OpenDocument"),
        (files.docx()[:200], "cut.docx", "damaged"),
    ],
)
def test_a_file_whose_name_lies_is_refused_naming_what_it_is(data, name, named):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        file_facts(upload(data, name))

    message = refused.value.messages[0]
    assert named in message
    assert "PDF, DOCX, XLSX, PPTX, ODT, JPEG, PNG" in message


def test_an_office_file_with_macros_is_refused():
    with translation.override("en"), pytest.raises(ValidationError, match="macros"):
        file_facts(upload(files.ooxml("docx", macros=True), "draft.docx"))


def test_the_refusal_is_in_the_readers_language():
    with translation.override("be"), pytest.raises(ValidationError) as refused:
        file_facts(upload(files.exe(), "resolution.pdf"))

    assert "фармаце" in refused.value.messages[0]


def test_an_empty_file_is_refused():
    with translation.override("en"), pytest.raises(ValidationError, match="empty"):
        file_facts(upload(b"", "empty.pdf"))


def test_a_file_over_the_limit_is_refused_with_the_limit_named(settings):
    settings.DOCUMENT_MAX_BYTES = 1000

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        file_facts(upload(files.pdf() + b" " * 1000, "big.pdf"))

    assert "1000" in refused.value.messages[0] or "1,000" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_docx_named_png_is_stored_as_the_docx_it_is():
    data = files.docx()
    document_file = DocumentFileFactory(file=ContentFile(data, name="photo.png"))

    stored = DocumentFile.objects.get(pk=document_file.pk)
    assert stored.format == "docx"
    assert stored.file.name.startswith("documents/")
    assert stored.file.name.endswith(".docx")
    assert "photo" not in stored.file.name
    assert stored.content_type.endswith("wordprocessingml.document")
    with stored.file.open("rb") as handle:
        assert handle.read() == data


@pytest.mark.django_db
def test_full_clean_refuses_a_lying_file_before_anything_is_stored():
    document_file = DocumentFile(
        document=DocumentFactory(), language="ru", file=upload(files.exe(), "resolution.pdf")
    )

    with pytest.raises(ValidationError) as refused:
        document_file.full_clean()

    assert "file" in refused.value.message_dict
    assert DocumentFile.objects.count() == 0

"""The secretariat enters documents in the admin: a file per language, checked by content."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document, DocumentFile
from forum.permissions import REGISTRARS, VIEWERS
from tests.factories import DocumentFileFactory, EventFactory
from tests.support import documents as files

pytestmark = pytest.mark.django_db
ADD = "/admin/documents/document/add/"


def form(event, uploads: list[tuple[str, str, bytes]]) -> dict:
    data = {
        "forum": event.forum_id,
        "event": event.pk,
        "kind": "resolution",
        "title_ru": "Резолюция форума",
        "title_be": "Рэзалюцыя форуму",
        "title_en": "Resolution of the forum",
        "date": "2020-09-29",
        "access": "participants",
        "files-TOTAL_FORMS": str(len(uploads)),
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "3",
    }
    for index, (language, name, content) in enumerate(uploads):
        data[f"files-{index}-language"] = language
        data[f"files-{index}-file"] = SimpleUploadedFile(name, content)
    return data


def test_an_editor_adds_a_document_with_files_in_two_languages(editor_client):
    event = EventFactory()

    response = editor_client.post(
        ADD,
        form(event, [("ru", "резолюция.pdf", files.pdf()), ("be", "рэзалюцыя.docx", files.docx())]),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get()
    assert (document.event, document.forum, document.access) == (event, event.forum, "participants")
    assert {(f.language, f.format) for f in document.files.all()} == {("ru", "pdf"), ("be", "docx")}


def test_a_file_that_lies_about_its_content_is_refused_in_the_admins_language(editor_client):
    event = EventFactory()
    editor_client.cookies["django_language"] = "be"

    response = editor_client.post(
        ADD,
        form(event, [("ru", "резолюция.pdf", files.exe())]),
        headers={"accept-language": "be"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "EXE" in body and "паводле змесціва" in body
    assert Document.objects.count() == 0
    assert DocumentFile.objects.count() == 0


def test_an_event_of_another_forum_is_refused(editor_client):
    event, other = EventFactory(), EventFactory()
    data = form(event, [("ru", "a.pdf", files.pdf())])
    data["forum"] = other.forum_id

    response = editor_client.post(ADD, data)

    assert response.status_code == 200
    assert Document.objects.count() == 0


def test_the_admin_download_needs_the_right_to_view_documents(client):
    document_file = DocumentFileFactory()
    url = f"/admin/documents/document/{document_file.document_id}/files/ru/"
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWERS))
    registrar = User.objects.create_user("registrar", is_staff=True)
    registrar.groups.add(Group.objects.get(name=REGISTRARS))

    client.force_login(viewer)
    allowed = client.get(url)
    client.force_login(registrar)
    refused = client.get(url)

    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content) == document_file.file.open("rb").read()
    assert "no-store" in allowed["Cache-Control"]
    assert refused.status_code == 404
    client.force_login(viewer)
    assert client.get(url.replace("/ru/", "/en/")).status_code == 404

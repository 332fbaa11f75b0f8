"""Participants' documents: on the delegate's own page, served only to those who may read them."""

from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile

from delegates.auth import SESSION_BACKEND
from delegates.models import Role
from delegates.services import delegate_link_issue, delegate_user_ensure
from documents.models import Access
from tests.factories import (
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    DocumentFactory,
    DocumentFileFactory,
    EventFactory,
)
from tests.support import documents as files

pytestmark = pytest.mark.django_db


def signed_in(client, delegate):
    # As the personal link signs in: the session reads the user with their delegate.
    client.force_login(delegate_user_ensure(delegate=delegate), backend=SESSION_BACKEND)
    return client


@pytest.fixture
def draft_resolution():
    """A participants' document of an event, in Russian (PDF) and Belarusian (DOCX)."""
    event = EventFactory(title="Пленарное заседание")
    document = DocumentFactory(
        event=event,
        access=Access.PARTICIPANTS,
        kind="resolution",
        title_ru="Проект резолюции: «Регионы»",
        title_be="Праект рэзалюцыі",
        title_en="Draft resolution",
    )
    russian = DocumentFileFactory(document=document, language="ru")
    DocumentFileFactory(
        document=document, language="be", file=ContentFile(files.docx(), name="x.docx")
    )
    return event, document, russian


def url(document, language="ru", extension="pdf", prefix="ru"):
    return f"/{prefix}/me/documents/{document.pk}-{language}.{extension}"


def test_an_assigned_delegate_downloads_it_under_its_title_privately(client, draft_resolution):
    event, document, russian = draft_resolution
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event)

    response = signed_in(client, delegate).get(url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == russian.file.open("rb").read()
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f'filename="document-{document.pk}-ru.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "Проект резолюции «Регионы».pdf"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_belarusian_file_is_named_in_belarusian(client, draft_resolution):
    event, document, _russian = draft_resolution
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event)

    response = signed_in(client, delegate).get(url(document, "be", "docx", prefix="en"))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        "filename*=UTF-8''%D0%9F%D1%80%D0%B0%D0%B5%D0%BA%D1%82%20%D1%80%D1%8D%D0%B7%D0%B0%D0%BB"
        "%D1%8E%D1%86%D1%8B%D1%96.docx"
    )


def test_whoever_may_not_read_it_gets_the_same_404_as_an_address_that_leads_nowhere(
    client, draft_resolution
):
    event, document, _russian = draft_resolution
    other_event = EventFactory(day=event.day)
    elsewhere = DelegateFactory()
    AssignmentFactory(delegate=elsewhere, event=other_event)

    anonymous = client.get(url(document))
    signed_in(client, elsewhere)
    unassigned = client.get(url(document))
    nowhere = client.get(f"/ru/me/documents/{document.pk + 1000}-ru.pdf")

    assert anonymous.status_code == unassigned.status_code == nowhere.status_code == 404
    # The page names its own address; nothing else tells the two apart.
    assert unassigned.content == nowhere.content.replace(
        f"{document.pk + 1000}-".encode(), f"{document.pk}-".encode()
    )


@pytest.mark.parametrize(
    "path",
    [
        "{pk}-ru.docx",  # the Russian file is a PDF
        "{pk}-en.pdf",  # no English file
        "{pk}-de.pdf",
        "{pk}-ru.exe",
        "{pk}-ru",
        "99999999999-ru.pdf",
        "{pk}-ru.pdf/",
        "../{pk}-ru.pdf",
    ],
)
def test_a_wrong_or_forged_address_is_404_even_for_a_reader(client, draft_resolution, path):
    event, document, _russian = draft_resolution
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event)

    response = signed_in(client, delegate).get("/ru/me/documents/" + path.format(pk=document.pk))

    assert response.status_code == 404


def test_staff_read_every_participants_document(client, draft_resolution, editor):
    _event, document, _russian = draft_resolution
    client.force_login(editor)

    assert client.get(url(document)).status_code == 200


def test_a_document_of_the_whole_forum_is_for_the_delegates_of_any_of_its_events(client):
    event = EventFactory()
    document = DocumentFactory(event=None, forum=event.forum, access=Access.PARTICIPANTS)
    DocumentFileFactory(document=document)
    inside, outside = DelegateFactory(), DelegateFactory()
    AssignmentFactory(delegate=inside, event=event)
    AssignmentFactory(delegate=outside, event=EventFactory())

    assert signed_in(client, inside).get(url(document)).status_code == 200
    assert signed_in(client, outside).get(url(document)).status_code == 404


def test_a_session_of_a_replaced_personal_link_reads_nothing(client, draft_resolution, link_path):
    event, document, _russian = draft_resolution
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event)
    client.post(link_path(delegate))
    assert client.get(url(document)).status_code == 200

    delegate_link_issue(delegate=delegate)  # a new link replaces the one this session came by

    assert client.get(url(document)).status_code == 404


def test_a_file_the_storage_lost_is_404_not_an_error(client, draft_resolution):
    event, document, russian = draft_resolution
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event)
    russian.file.storage.delete(russian.file.name)

    assert signed_in(client, delegate).get(url(document)).status_code == 404


def test_the_page_lists_the_events_and_the_forums_documents_and_no_others(client, draft_resolution):
    event, document, _russian = draft_resolution
    whole_forum = DocumentFactory(event=None, forum=event.forum, title_ru="Программа форума")
    DocumentFileFactory(document=whole_forum)
    elsewhere = DocumentFactory(event=EventFactory(day=event.day), title_ru="Чужой документ")
    DocumentFileFactory(document=elsewhere)
    DocumentFactory(event=event, title_ru="Документ без файла")
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event, role=Role.SPEAKER)

    body = signed_in(client, delegate).get("/ru/me/").content.decode()

    assert "Проект резолюции: «Регионы»" in body
    assert f'href="/ru/me/documents/{document.pk}-ru.pdf"' in body
    assert f'href="/ru/me/documents/{document.pk}-be.docx"' in body
    assert "Программа форума" in body
    assert f'href="/ru/me/documents/{whole_forum.pk}-ru.pdf"' in body
    assert "Чужой документ" not in body
    assert "Документ без файла" not in body


@pytest.mark.parametrize("count", [1, 4])
def test_the_documents_cost_the_same_queries_whatever_their_number(
    client, django_assert_num_queries, count
):
    event = EventFactory(day=DayFactory())
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=event)
    for _ in range(count):
        DocumentFileFactory(document=DocumentFactory(event=event, access=Access.PARTICIPANTS))
        DocumentFileFactory(document=DocumentFactory(event=None, forum=event.forum))
    signed_in(client, delegate).get("/ru/me/")
    event.save()

    # As test_me_page's count after a change: the documents and their files are two of them.
    with django_assert_num_queries(9):
        response = client.get("/ru/me/")

    assert response.content.decode().count('class="document"') == 2 * count

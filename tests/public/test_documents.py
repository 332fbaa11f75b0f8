"""Public documents: listed on the forum's and the event's pages, downloaded with validators."""

import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile

from documents.models import Access
from tests.factories import DocumentFactory, DocumentFileFactory, EventFactory
from tests.public.conftest import (
    DRAFT_DOCUMENT_TITLE,
    DRAFT_FORUM_TITLE,
    PARTICIPANTS_DOCUMENT_TITLE,
    make_forum,
)
from tests.support import documents as files

pytestmark = pytest.mark.django_db


def address(document_file) -> str:
    document = document_file.document
    return (
        f"/documents/{document.forum.year}/{document.pk}-{document_file.language}"
        f".{document_file.format}"
    )


@pytest.fixture
def resolution():
    """The forum's final document in Russian and English, and the minutes of its event."""
    forum, events = make_forum(events=1, agreements=0)
    final = DocumentFactory(
        event=None,
        forum=forum,
        kind="resolution",
        title_ru="Итоговая резолюция",
        title_en="Final resolution",
    )
    russian = DocumentFileFactory(document=final, language="ru")
    DocumentFileFactory(document=final, language="en", file=ContentFile(files.docx(), name="r"))
    minutes = DocumentFactory(event=events[0], kind="minutes", title_ru="Протокол секции")
    DocumentFileFactory(document=minutes, language="be")
    return forum, events[0], final, russian, minutes


def test_the_overview_lists_final_documents_first_with_the_languages_they_have(client, resolution):
    forum, event, final, _russian, minutes = resolution

    body = client.get(f"/ru/{forum.year}/").content.decode()

    assert body.index("Итоговая резолюция") < body.index("Протокол секции")
    assert f'href="/documents/{forum.year}/{final.pk}-ru.pdf" hreflang="ru"' in body
    assert f'href="/documents/{forum.year}/{final.pk}-en.docx" hreflang="en"' in body
    assert f"/documents/{forum.year}/{final.pk}-be." not in body  # no Belarusian file
    assert '<span lang="en">English</span> (DOCX,' in body
    # The event's document names its event.
    assert f'<a href="/ru/{forum.year}/events/{event.slug}/">' in body.split("Протокол секции")[1]


def test_the_event_page_lists_only_its_own_documents(client, resolution):
    forum, event, _final, _russian, minutes = resolution

    body = client.get(f"/en/{forum.year}/events/{event.slug}/").content.decode()

    assert f'href="/documents/{forum.year}/{minutes.pk}-be.pdf"' in body
    assert "Final resolution" not in body


def test_a_download_has_its_type_its_name_and_validators_for_a_304(client, resolution):
    forum, _event, _final, russian, _minutes = resolution

    response = client.get(address(russian))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == russian.file.open("rb").read()
    assert response["Content-Type"] == "application/pdf"
    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name == "Итоговая резолюция.pdf"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"] == f'"{russian.sha256}"'
    again = client.get(address(russian), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    since = client.get(address(russian), headers={"if-modified-since": response["Last-Modified"]})
    assert since.status_code == 304


def test_a_replaced_file_gets_a_new_tag(client, resolution):
    _forum, _event, _final, russian, _minutes = resolution
    before = client.get(address(russian))["ETag"]

    russian.file = ContentFile(files.pdf("Corrected"), name="corrected.pdf")
    russian.save()

    response = client.get(address(russian), headers={"if-none-match": before})
    assert response.status_code == 200
    assert response["ETag"] != before


def test_a_new_document_shows_on_the_cached_pages_at_once(client, resolution):
    forum, event, *_rest = resolution
    assert "Новый документ" not in client.get(f"/ru/{forum.year}/").content.decode()

    DocumentFileFactory(document=DocumentFactory(event=event, title_ru="Новый документ"))

    assert "Новый документ" in client.get(f"/ru/{forum.year}/").content.decode()
    assert "Новый документ" in client.get(f"/ru/{forum.year}/events/{event.slug}/").content.decode()


def test_what_is_not_public_has_no_public_address(client, forum_with_secrets, editor):
    from documents.models import DocumentFile

    forum, _events, _draft = forum_with_secrets
    hidden = {
        file.document.title_en: address(file)
        for file in DocumentFile.objects.select_related("document__forum").filter(
            document__title_en__in=[
                PARTICIPANTS_DOCUMENT_TITLE,
                DRAFT_DOCUMENT_TITLE,
                DRAFT_FORUM_TITLE,
            ]
        )
    }
    assert len(hidden) == 3

    for title, path in hidden.items():
        assert client.get(path).status_code == 404, title
    # Staff preview the unpublished event's and the draft forum's, never privately cached.
    client.force_login(editor)
    preview = client.get(hidden[DRAFT_DOCUMENT_TITLE])
    assert preview.status_code == 200
    assert "private" in preview["Cache-Control"]
    assert client.get(hidden[DRAFT_FORUM_TITLE]).status_code == 200
    assert client.get(hidden[PARTICIPANTS_DOCUMENT_TITLE]).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/documents/{year}/{pk}-ru.docx",
        "/documents/{year}/{pk}-be.pdf",
        "/documents/{other_year}/{pk}-ru.pdf",
        "/documents/{year}/{pk}-de.pdf",
        "/documents/{year}/99999999999-ru.pdf",
        "/documents/{year}/{pk}-ru.pdf/",
        "/documents/{year}/",
        "/documents/",
        "/documents/20200/{pk}-ru.pdf",
        "/ru/documents/{year}/{pk}-ru.pdf",
    ],
)
def test_a_guessed_or_altered_address_is_a_404(client, resolution, path):
    forum, _event, final, _russian, _minutes = resolution
    other = EventFactory().forum

    response = client.get(path.format(year=forum.year, other_year=other.year, pk=final.pk))

    assert response.status_code == 404


def test_a_participants_document_is_not_listed_publicly_even_in_a_preview(client, editor):
    forum, events = make_forum(events=1, agreements=0)
    document = DocumentFactory(event=events[0], access=Access.PARTICIPANTS, title_ru="Закрытый")
    DocumentFileFactory(document=document)
    client.force_login(editor)

    for path in (f"/ru/{forum.year}/", f"/ru/{forum.year}/events/{events[0].slug}/"):
        assert "Закрытый" not in client.get(path).content.decode(), path


def test_the_documents_of_a_page_link_nothing_but_public_addresses(client, resolution):
    forum, *_rest = resolution

    body = client.get(f"/be/{forum.year}/").content.decode()

    links = re.findall(r'href="(/documents/[^"]+)"', body)
    assert len(links) == 3
    assert all(client.get(link).status_code == 200 for link in links)

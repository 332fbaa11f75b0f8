"""A published forum with what a public page shows, and the private things it must not."""

import datetime as dt
from decimal import Decimal

import pytest

from agreements.models import Status
from delegates.models import Role
from documents.models import Access
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    DocumentFactory,
    DocumentFileFactory,
    EventFactory,
    ForumFactory,
    PartyFactory,
    RegionFactory,
    VenueFactory,
)

SECRET_EMAIL = "secret.delegate@example.org"
SECRET_PHONE = "+375 29 555-12-34"
SECRET_VIDEO = "https://vks.example.org/secret-room"
DRAFT_EVENT_TITLE = "Unpublished closed-door meeting"
PRIVATE_AGREEMENT_TITLE = "Confidential draft contract"
DRAFT_FORUM_TITLE = "Draft forum not yet announced"
PARTICIPANTS_DOCUMENT_TITLE = "Draft resolution for participants only"
DRAFT_DOCUMENT_TITLE = "Minutes of the closed-door meeting"


def make_documents(forum, events) -> None:
    """A public document with a file for each event, and one of the whole forum."""
    for event in events:
        DocumentFileFactory(document=DocumentFactory(event=event))
    DocumentFileFactory(document=DocumentFactory(event=None, forum=forum, kind="resolution"))


def make_forum(*, events: int = 1, agreements: int = 1, year: int = 2020, documents=False):
    forum = ForumFactory(
        number=year - 2013,
        year=year,
        title=f"Форум {year}",
        title_en=f"Forum {year}",
        theme="Тема форума",
        host_cities="Москва, Минск",
        starts_on=dt.date(year, 9, 28),
        ends_on=dt.date(year, 9, 29),
        time_zone="Europe/Moscow",
        agreements_expected=18,
        agreements_reported=70,
        agreements_value_reported="более 700 млн долларов США",
    )
    first = DayFactory(forum=forum, date=dt.date(year, 9, 28))
    second = DayFactory(forum=forum, date=dt.date(year, 9, 29))
    moscow = VenueFactory(
        forum=forum, name="Студия Москва", city="Москва", country="RU", name_en="Moscow studio"
    )
    minsk = VenueFactory(forum=forum, name="Студия Минск", city="Минск", country="BY")
    created = []
    for index in range(events):
        event = EventFactory(
            day=first if index % 2 == 0 else second,
            video_conference_url=SECRET_VIDEO,
            description="Описание секции",
        )
        event.venues.set([moscow, minsk])
        for role in (Role.SPEAKER, Role.CHAIR, Role.MODERATOR):
            AssignmentFactory(
                event=event,
                role=role,
                delegate=DelegateFactory(
                    position="Депутат", organisation="Совет Республики", phone="+375 00 000"
                ),
            )
        created.append(event)
    region = RegionFactory(code="BY-HR")
    for index in range(agreements):
        agreement = AgreementFactory(
            forum=forum,
            status=Status.SIGNED,
            signed_on=dt.date(year, 9, 29),
            event=created[0] if created else None,
            value=Decimal("1000.00") * (index + 1),
            currency="USD" if index % 2 == 0 else "RUB",
        )
        PartyFactory(agreement=agreement, country="BY", region=region)
        PartyFactory(agreement=agreement, country="RU", region=None)
    if documents:
        make_documents(forum, created)
    return forum, created


@pytest.fixture
def event():
    """One published event of a published forum, its title known to the cache tests."""
    return EventFactory(day=DayFactory(forum=ForumFactory()), title_ru="Секция до правки")


@pytest.fixture
def forum_with_secrets(db):
    """A published forum, its public programme, and every kind of private thing planted in it."""
    forum, events = make_forum(events=2, agreements=2)
    EventFactory(
        day=events[0].day,
        title=DRAFT_EVENT_TITLE,
        title_en=DRAFT_EVENT_TITLE,
        slug="closed-door",
        is_published=False,
    )
    AssignmentFactory(
        event=events[0],
        role=Role.SPEAKER,
        delegate=DelegateFactory(email=SECRET_EMAIL, phone=SECRET_PHONE, last_name="Секретов"),
    )
    AgreementFactory(
        forum=forum,
        title=PRIVATE_AGREEMENT_TITLE,
        title_en=PRIVATE_AGREEMENT_TITLE,
        is_public=False,
        value=Decimal("99999.00"),
        currency="EUR",
    )
    signed_at_draft = AgreementFactory(forum=forum, status=Status.PLANNED)
    signed_at_draft.event = forum.events.get(slug="closed-door")
    signed_at_draft.save()
    draft = ForumFactory(title=DRAFT_FORUM_TITLE, title_en=DRAFT_FORUM_TITLE, is_published=False)
    DayFactory(forum=draft)
    plant_documents(forum, events, draft)
    return forum, events, draft


def plant_documents(forum, events, draft) -> None:
    """Public documents, and those no public page may name: a participants' one, a public one of
    the unpublished event and one of the draft forum."""
    make_documents(forum, events)
    for document in (
        DocumentFactory(
            event=events[0],
            access=Access.PARTICIPANTS,
            title=PARTICIPANTS_DOCUMENT_TITLE,
            title_en=PARTICIPANTS_DOCUMENT_TITLE,
        ),
        DocumentFactory(
            event=forum.events.get(slug="closed-door"),
            title=DRAFT_DOCUMENT_TITLE,
            title_en=DRAFT_DOCUMENT_TITLE,
        ),
        DocumentFactory(
            event=None, forum=draft, title=DRAFT_FORUM_TITLE, title_en=DRAFT_FORUM_TITLE
        ),
    ):
        DocumentFileFactory(document=document)

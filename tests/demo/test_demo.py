import datetime as dt
import json
from collections import Counter
from html import escape

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from agreements.models import Agreement, Party
from delegates.models import Assignment, Delegate
from demo.loader import DATA
from documents.models import Document, DocumentFile
from events.models import Commission, Event
from forum.models import Day, Forum, Venue
from forum.permissions import EDITORS

EDITIONS = DATA / "forum-editions.json"
MODELS = [
    Forum,
    Day,
    Venue,
    Commission,
    Event,
    Delegate,
    Assignment,
    Agreement,
    Party,
    Document,
    DocumentFile,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.mark.django_db
def test_demo_loaded_twice_changes_nothing():
    call_command("load_demo", stdout=None)
    first = snapshot()

    call_command("load_demo")

    assert snapshot() == first
    assert counts()["Forum"] == 13


@pytest.mark.django_db
def test_demo_seventh_forum_is_the_announced_programme():
    call_command("load_demo")

    forum = Forum.objects.get(number=7)
    assert forum.year == 2020
    assert (forum.starts_on, forum.ends_on) == (dt.date(2020, 9, 28), dt.date(2020, 9, 29))
    assert forum.agreements_expected == 18
    assert forum.format == "online"
    assert [day.date for day in forum.days.all()] == [
        dt.date(2020, 9, 25),
        dt.date(2020, 9, 28),
        dt.date(2020, 9, 29),
    ]
    by_day = {
        day.date.day: Counter(event.kind for event in day.events.all()) for day in forum.days.all()
    }
    assert by_day[25] == {"youth_forum": 1}
    assert by_day[28] == {
        "section": 5,
        "commission_meeting": 1,
        "expert_session": 1,
        "business_council": 1,
    }
    assert by_day[29] == {"plenary": 1}
    sections = forum.events.filter(kind="section").order_by("number")
    assert [section.number for section in sections] == [1, 2, 3, 4, 5]
    assert {venue.city_en for venue in sections[0].venues.all()} == {"Moscow", "Minsk"}
    meeting = forum.events.get(kind="commission_meeting")
    assert meeting.number == 7
    assert "Youth Commission" in meeting.commission.name_en


@pytest.mark.django_db
def test_demo_texts_are_in_three_languages():
    call_command("load_demo")

    for event in Event.objects.filter(forum__number=7):
        assert event.title_ru and event.title_be and event.title_en, event.slug
    forum = Forum.objects.get(number=7)
    assert forum.theme_ru and forum.theme_be and forum.theme_en


@pytest.mark.django_db
def test_demo_marks_every_made_up_record_as_sample():
    call_command("load_demo")

    assert Delegate.objects.exists()
    assert not Delegate.objects.filter(is_sample=False).exists()
    assert not Agreement.objects.filter(is_sample=False).exists()
    for agreement in Agreement.objects.all():
        assert agreement.title_en.startswith("[Sample]"), agreement.title_en


@pytest.mark.django_db
def test_demo_login_is_a_secretariat_editor():
    call_command("load_demo")

    # django-axes needs the request it throttles.
    request = RequestFactory().post("/admin/login/")
    user = authenticate(request, username="secretariat", password="forum-demo-2020")
    assert user is not None and user.is_staff and not user.is_superuser
    assert user.groups.filter(name=EDITORS).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "be", "en"])
def test_the_archive_shows_readers_figures_not_research_notes(client, language):
    call_command("load_demo")
    editions = json.loads(EDITIONS.read_text(encoding="utf-8"))["editions"]

    home = client.get(f"/{language}/").content.decode()
    overview = client.get(f"/{language}/2025/").content.decode()

    for edition in editions:
        if edition["reported_public"]:
            assert escape(edition["reported_public"][language]) in home
    caveats = ("currency not stated", "probably BYN", "later news.by", "Confidence", "Kochanova")
    for caveat in caveats:
        assert caveat not in home
        assert caveat not in overview
    assert "валюта не указана" not in home + overview


@pytest.mark.django_db
def test_the_caveats_stay_for_the_secretariat():
    call_command("load_demo")

    forum = Forum.objects.get(year=2025)
    assert "currency not stated" in forum.notes_en
    assert forum.sources.startswith("http")


@pytest.mark.django_db
def test_demo_has_sample_documents_public_and_for_participants_with_their_files(client):
    call_command("load_demo")

    documents = Document.objects.filter(forum__year=2020)
    assert documents.count() == 4
    assert all(document.is_sample for document in documents)
    assert all("(sample)" in document.title_en for document in documents)
    draft = documents.get(access="participants")
    assert draft.event.slug == "plenary-session"
    assert set(draft.files.values_list("language", flat=True)) == {"ru", "be"}
    assert DocumentFile.objects.count() == 8
    for document_file in DocumentFile.objects.all():
        assert document_file.format == "pdf"
        assert document_file.file.open("rb").read().startswith(b"%PDF-")
    overview = client.get("/en/2020/").content.decode()
    assert "Final resolution of the 7th Forum of Regions (sample)" in overview
    assert draft.title_en not in overview

"""A delegate's page marks what changed in their programme since their last visit, for the rest
of that visit; nothing on the first visit, nothing for a change that is no change to them."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from delegates.models import Assignment, ProgrammeSeen, Role
from delegates.services import MARKS_KEPT, delegate_user_ensure
from tests.factories import AssignmentFactory, DelegateFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    delegate = DelegateFactory()
    morning = EventFactory(title="Утренняя секция", title_en="Morning section")
    evening = EventFactory(title="Вечерняя секция", title_en="Evening section")
    AssignmentFactory(delegate=delegate, event=morning, role=Role.SPEAKER)
    AssignmentFactory(delegate=delegate, event=evening)
    client.force_login(delegate_user_ensure(delegate=delegate))
    return client, delegate, morning, evening


def page(client, language="en") -> str:
    return client.get(f"/{language}/me/").content.decode()


def test_the_first_visit_marks_nothing(reader):
    client, *_ = reader

    body = page(client)

    assert "me-changes" not in body and "me-changed" not in body


def test_a_moved_event_is_marked_with_its_hours_before_and_after(reader):
    client, _delegate, morning, _evening = reader
    page(client)
    morning.starts_at += dt.timedelta(hours=3)
    morning.ends_at += dt.timedelta(hours=3)
    morning.save()

    body = page(client)

    assert "What changed since your last visit" in body
    assert "<del>10:00–12:00 (Europe/Moscow)</del> → <ins>13:00–15:00 (Europe/Moscow)</ins>" in body
    assert body.count('class="me-changed-mark"') == 1
    marked = body[body.index('me-changed"') :]
    assert marked.index("Morning section") < marked.index("Evening section")


def test_the_marks_stay_for_the_visit_in_any_language_then_go(reader):
    client, delegate, morning, _evening = reader
    page(client)
    # With its updated_at, as a direct write must be to be seen (README).
    Assignment.objects.filter(event=morning).update(role=Role.CHAIR, updated_at=timezone.now())

    assert "<del>speaker</del> → <ins>chair</ins>" in page(client)
    assert "<del>докладчик</del> → <ins>председатель</ins>" in page(client, "ru")
    assert "<del>speaker</del> → <ins>chair</ins>" in page(client)
    with time_machine.travel(timezone.now() + MARKS_KEPT + dt.timedelta(minutes=1)):
        assert "me-changes" not in page(client)
    assert ProgrammeSeen.objects.get(delegate=delegate).changed_at is not None


def test_an_event_no_longer_theirs_and_a_new_one_are_listed(reader):
    client, delegate, morning, _evening = reader
    page(client)
    Assignment.objects.filter(event=morning).delete()
    AssignmentFactory(delegate=delegate, event=EventFactory(title_en="Plenary session"))

    body = page(client)

    changes = body[body.index("me-changes") : body.index("</section>")]
    assert "Morning section" in changes and "No longer yours" in changes
    assert "Plenary session" in changes and "New in your programme" in changes
    assert "New since your last visit" in body


def test_a_new_title_alone_is_no_change_to_mark(reader):
    client, _delegate, morning, _evening = reader
    page(client)
    morning.title_en = "Morning section, renamed"
    morning.save()

    body = page(client)

    assert "Morning section, renamed" in body
    assert "me-changes" not in body

"""Bulk work in the admin: publish or unpublish events, assign delegates; each says what it did."""

import pytest
from django.contrib.messages import get_messages

from delegates.models import Assignment
from events.models import Event
from tests.factories import DelegateFactory, EventFactory

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_publish_reports_what_it_did_and_what_it_refused(editor_client):
    draft = EventFactory(is_published=False)
    published = EventFactory(is_published=True)

    response = editor_client.post(
        "/admin/events/event/",
        {"action": "publish", "_selected_action": [draft.pk, published.pk]},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    levels = [level for level, _text in messages_of(response)]
    assert levels == ["success", "warning"]
    assert published.title in messages_of(response)[1][1]


def test_unpublish(editor_client):
    event = EventFactory(is_published=True)

    editor_client.post(
        "/admin/events/event/", {"action": "unpublish", "_selected_action": [event.pk]}
    )

    assert not Event.objects.get().is_published


def test_assign_delegates_asks_for_event_and_role_then_reports(editor_client):
    event = EventFactory()
    clash = EventFactory(
        day=event.day, starts_at=event.starts_at, ends_at=event.ends_at, slug="clash"
    )
    free, busy, already = DelegateFactory(), DelegateFactory(), DelegateFactory()
    Assignment.objects.create(delegate=busy, event=clash, role="speaker")
    Assignment.objects.create(delegate=already, event=event, role="speaker")
    selected = [free.pk, busy.pk, already.pk]

    form_page = editor_client.post(
        "/admin/delegates/delegate/",
        {"action": "assign_to_event", "_selected_action": selected},
    )
    assert form_page.status_code == 200
    assert "form" in form_page.context

    response = editor_client.post(
        "/admin/delegates/delegate/",
        {
            "action": "assign_to_event",
            "_selected_action": selected,
            "apply": "1",
            "event": event.pk,
            "role": "moderator",
            "participation": "in_person",
        },
    )

    assert response.status_code == 302
    assert Assignment.objects.get(delegate=free, event=event).role == "moderator"
    assert not Assignment.objects.filter(delegate=busy, event=event).exists()
    assert [level for level, _text in messages_of(response)] == [
        "success",
        "warning",
        "warning",
    ]


def test_viewer_cannot_publish(client, django_user_model):
    from django.contrib.auth.models import Group

    from forum.permissions import VIEWERS

    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWERS))
    client.force_login(viewer)
    event = EventFactory(is_published=False)

    client.post("/admin/events/event/", {"action": "publish", "_selected_action": [event.pk]})

    assert not Event.objects.get().is_published

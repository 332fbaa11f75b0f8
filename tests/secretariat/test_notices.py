"""Telling delegates what changed: who is told what (against what they were last told), the
mail in their language with the way to their page, the preview first, the report of who was
not reached and why, and a failure that leaves the change to be told."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client

from delegates.models import Assignment, Participation, Role
from delegates.services import delegate_link_token
from forum.permissions import VIEWERS
from secretariat.models import Notice, NoticeStatus, Told
from tests.factories import (
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    EventFactory,
    ForumFactory,
    VenueFactory,
    moscow_at,
)

pytestmark = pytest.mark.django_db

FORUMS = "/admin/forum/forum/"
EVENTS = "/admin/events/event/"


@pytest.fixture
def programme():
    """A forum of two sections; a Belarusian-speaking delegate in the first, a Russian one in
    both."""
    forum = ForumFactory(time_zone="Europe/Moscow")
    day = DayFactory(forum=forum)
    hall = VenueFactory(forum=forum, name="Большой зал", name_be="Вялікая зала", city="Минск")
    first = EventFactory(
        day=day,
        title="Первая секция",
        title_be="Першая секцыя",
        starts_at=moscow_at(day, 10),
        ends_at=moscow_at(day, 12),
    )
    first.venues.add(hall)
    second = EventFactory(
        day=day, title="Вторая секция", starts_at=moscow_at(day, 14), ends_at=moscow_at(day, 16)
    )
    belarusian = DelegateFactory(last_name="Кавалёва", language="be", email="be@example.org")
    russian = DelegateFactory(last_name="Иванов", language="ru", email="ru@example.org")
    AssignmentFactory(delegate=belarusian, event=first, role=Role.CHAIR, venue=hall)
    AssignmentFactory(delegate=russian, event=first)
    AssignmentFactory(delegate=russian, event=second)
    return forum, first, second, belarusian, russian


def tell(client, forum, *, send=False):
    data = {"action": "tell_delegates", "_selected_action": [forum.pk]}
    if send:
        data["send"] = "1"
    return client.post(FORUMS, data)


def told_and_cleared(client, forum):
    """Everyone told once; the outbox emptied."""
    tell(client, forum, send=True)
    mail.outbox.clear()


def move(event, hour):
    event.starts_at = moscow_at(event.day, hour)
    event.ends_at = moscow_at(event.day, hour + 2)
    event.full_clean()
    event.save()


def outbox() -> dict:
    return {message.to[0]: message for message in mail.outbox}


def test_the_first_notice_tells_each_delegate_their_whole_programme(editor_client, programme):
    forum, _first, _second, _belarusian, _russian = programme

    response = tell(editor_client, forum, send=True)

    assert response.status_code == 200
    assert set(outbox()) == {"be@example.org", "ru@example.org"}
    russian = outbox()["ru@example.org"].body
    assert russian.count("Новое в вашей программе") == 2
    assert "Первая секция" in russian and "Вторая секция" in russian
    assert Told.objects.count() == 3
    assert Notice.objects.filter(status=NoticeStatus.SENT).count() == 2


def test_a_moved_event_is_told_as_before_and_after_in_the_delegates_language(
    editor_client, programme
):
    forum, first, _second, belarusian, _russian = programme
    told_and_cleared(editor_client, forum)

    move(first, 16)
    tell(editor_client, forum, send=True)

    assert set(outbox()) == {"be@example.org", "ru@example.org"}
    message = outbox()["be@example.org"]
    assert message.subject == "Ваша праграма на Форуме рэгіёнаў змянілася"
    assert "Добры дзень, Кавалёва Пример!" in message.body
    assert "* Першая секцыя, 28 верасня" in message.body
    assert "Час: 10:00–12:00 (Europe/Moscow) → 16:00–18:00 (Europe/Moscow)" in message.body
    # Nothing else of that event changed, and the other section is not mentioned.
    assert "Пляцоўка" not in message.body
    assert "Вторая секция" not in outbox()["ru@example.org"].body


def test_the_mail_carries_a_personal_link_that_opens_the_page_and_keeps_older_links(
    editor_client, programme
):
    forum, first, _second, belarusian, _russian = programme
    told_and_cleared(editor_client, forum)
    belarusian.refresh_from_db()
    older = f"/be/me/link/{delegate_link_token(delegate=belarusian)}/"
    move(first, 16)

    tell(editor_client, forum, send=True)

    link = re.search(r"http://testserver(/be/me/link/\S+/)", outbox()["be@example.org"].body)
    # A link signs in with its button's POST.
    reader = Client()
    assert reader.post(link.group(1)).status_code == 302
    assert "Першая секцыя" in reader.get("/be/me/").content.decode()
    assert Client().post(older).status_code == 302


@pytest.mark.parametrize(
    ("change", "told"),
    [
        ("venue", "Пляцоўка: Вялікая зала, Минск → Малая зала, Минск"),
        ("format", "Фармат: анлайн → у змешаным фармаце"),
        ("video", "Відэаканферэнцыя: няма спасылкі → https://video.example.org/new"),
        ("role", "Ваша роля: старшыня → мадэратар"),
        ("seat", "Ваша месца: Вялікая зала, Минск → дыстанцыйна"),
        ("cancelled", "Стан: у праграме → адменена: Перанесена на заўтра"),
    ],
)
def test_each_fact_of_an_event_is_told_when_it_changes(editor_client, programme, change, told):
    forum, first, _second, belarusian, _russian = programme
    told_and_cleared(editor_client, forum)
    assignment = Assignment.objects.get(delegate=belarusian)
    if change == "venue":
        first.venues.set([VenueFactory(forum=forum, name="Малый зал", name_be="Малая зала")])
    elif change == "format":
        first.format = "hybrid"
    elif change == "video":
        first.video_conference_url = "https://video.example.org/new"
    elif change == "role":
        assignment.role = Role.MODERATOR
    elif change == "seat":
        assignment.participation, assignment.venue = Participation.REMOTE, None
    elif change == "cancelled":
        first.is_cancelled = True
        first.cancellation_note_be = "Перанесена на заўтра"
    first.save()
    assignment.save()

    tell(editor_client, forum, send=True)

    assert told in outbox()["be@example.org"].body


def test_a_new_title_alone_tells_nobody(editor_client, programme):
    forum, first, *_ = programme
    told_and_cleared(editor_client, forum)
    first.title = "Первая секция (новое название)"
    first.save()

    response = tell(editor_client, forum)

    assert response.status_code == 302
    assert mail.outbox == []


def test_an_event_taken_from_a_delegate_or_deleted_is_told_as_no_longer_theirs(
    editor_client, programme
):
    forum, first, second, belarusian, russian = programme
    told_and_cleared(editor_client, forum)
    Assignment.objects.filter(delegate=belarusian).delete()
    second.delete()

    tell(editor_client, forum, send=True)

    assert "Больш не ў вашай праграме" in outbox()["be@example.org"].body
    assert "Першая секцыя" in outbox()["be@example.org"].body
    russian = outbox()["ru@example.org"].body
    assert "Больше не в вашей программе" in russian and "Вторая секция" in russian
    assert not Told.objects.filter(event_key=second.pk).exists()


def test_the_preview_counts_shows_one_mail_per_language_and_sends_nothing(editor_client, programme):
    forum, _first, _second, _belarusian, _russian = programme
    DelegateFactory(last_name="Smith", language="en", email="")
    AssignmentFactory(
        delegate=DelegateFactory(last_name="Smith", language="en", email=""), event=_second
    )

    response = tell(editor_client, forum)

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["count"] == 3
    assert response.context["first"] == 3
    assert [sample["code"] for sample in response.context["samples"]] == ["ru", "be", "en"]
    assert "Ваша праграма на Форуме рэгіёнаў змянілася" in body
    assert "Your programme at the Forum of Regions has changed" in body
    assert "Smith" in body
    assert mail.outbox == [] and not Told.objects.exists() and not Notice.objects.exists()


def test_the_report_names_each_delegate_not_reached_and_they_are_told_next_time(
    editor_client, programme, settings
):
    forum, first, _second, belarusian, russian = programme
    told_and_cleared(editor_client, forum)
    belarusian.email = ""
    belarusian.save()
    russian.email = "refused@example.org"
    russian.save()
    settings.EMAIL_BACKEND = "tests.support.mail.RefusingBackend"
    move(first, 16)

    response = tell(editor_client, forum, send=True)

    body = response.content.decode()
    assert mail.outbox == []
    assert [n.delegate for n in response.context["report"].failed] == [russian, belarusian]
    # In the admin's language, whatever the delegates'.
    assert "не указан адрес электронной почты" in body
    assert "не ўказаны адрас" not in body
    assert "550" in body
    assert Notice.objects.filter(status=NoticeStatus.NOT_SENT).count() == 2
    # What they were told stays as it was: the next run tells them the move again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    belarusian.email = "be@example.org"
    belarusian.save()
    tell(editor_client, forum, send=True)
    assert "10:00–12:00 (Europe/Moscow) → 16:00–18:00" in outbox()["be@example.org"].body


def test_a_refused_mail_leaves_the_delegates_link_as_it_was(editor_client, programme, settings):
    forum, _first, _second, _belarusian, russian = programme
    russian.email = "refused@example.org"
    russian.save()
    older = f"/ru/me/link/{delegate_link_token(delegate=russian)}/"
    settings.EMAIL_BACKEND = "tests.support.mail.RefusingBackend"

    tell(editor_client, forum, send=True)

    assert Client().post(older).status_code == 302


def test_the_event_action_tells_only_the_selected_events_changes(editor_client, programme):
    forum, first, second, _belarusian, russian = programme
    told_and_cleared(editor_client, forum)
    move(first, 16)
    move(second, 18)

    editor_client.post(
        EVENTS, {"action": "tell_delegates", "_selected_action": [second.pk], "send": "1"}
    )

    assert set(outbox()) == {"ru@example.org"}
    assert "Вторая секция" in outbox()["ru@example.org"].body
    assert "Первая секция" not in outbox()["ru@example.org"].body
    # The first section's move is still to be told.
    preview = editor_client.post(
        FORUMS, {"action": "tell_delegates", "_selected_action": [forum.pk]}
    )
    assert preview.context["count"] == 2


def test_with_nothing_changed_the_action_says_so(editor_client, programme):
    forum, *_ = programme
    told_and_cleared(editor_client, forum)

    response = editor_client.post(
        FORUMS, {"action": "tell_delegates", "_selected_action": [forum.pk]}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Ни у кого программа не изменилась с последнего уведомления."
    ]


def test_viewers_may_read_the_notices_but_not_send_them(client, editor_client, programme):
    forum, *_ = programme
    told_and_cleared(editor_client, forum)
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWERS))
    client.force_login(viewer)

    listed = client.get("/admin/secretariat/notice/")
    notice = Notice.objects.first()
    shown = client.get(f"/admin/secretariat/notice/{notice.pk}/change/")
    tell(client, forum, send=True)

    assert listed.status_code == 200 and shown.status_code == 200
    assert notice.subject in shown.content.decode()
    assert mail.outbox == []

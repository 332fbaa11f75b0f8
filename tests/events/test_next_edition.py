"""The next edition from the last: days shifted, events, venues and meetings copied, a draft."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement
from delegates.models import Assignment
from events.models import Event, EventKind
from events.services import forum_copy_next
from forum.models import Forum
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    CommissionFactory,
    DayFactory,
    EventFactory,
    ForumFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db
MINSK = zoneinfo.ZoneInfo("Europe/Minsk")


@pytest.fixture
def seventh():
    forum = ForumFactory(
        number=7,
        year=2020,
        starts_on=dt.date(2020, 9, 28),
        ends_on=dt.date(2020, 9, 29),
        time_zone="Europe/Minsk",
    )
    youth = DayFactory(forum=forum, date=dt.date(2020, 9, 25), title="Молодёжный форум")
    opening = DayFactory(forum=forum, date=dt.date(2020, 9, 28))
    studio = VenueFactory(forum=forum, name="Студия Минск")
    section = EventFactory(
        day=opening,
        slug="section-1",
        number=1,
        video_conference_url="https://vc.example/x",
        starts_at=dt.datetime(2020, 9, 28, 10, tzinfo=MINSK),
        ends_at=dt.datetime(2020, 9, 28, 12, tzinfo=MINSK),
    )
    section.venues.add(studio)
    EventFactory(
        day=youth,
        slug="youth-commission",
        kind=EventKind.COMMISSION_MEETING,
        number=7,
        commission=CommissionFactory(),
        starts_at=None,
        ends_at=None,
    )
    AssignmentFactory(event=section)
    AgreementFactory(forum=forum)
    return forum


def test_next_edition_copies_programme_as_a_draft(seventh):
    eighth = forum_copy_next(forum=seventh, starts_on=dt.date(2021, 6, 28))

    assert (eighth.number, eighth.year, eighth.is_published) == (8, 2021, False)
    assert (eighth.starts_on, eighth.ends_on) == (dt.date(2021, 6, 28), dt.date(2021, 6, 29))
    # Each day keeps its distance from the opening: the youth day three days before.
    assert list(eighth.days.values_list("date", "title")) == [
        (dt.date(2021, 6, 25), "Молодёжный форум"),
        (dt.date(2021, 6, 28), ""),
    ]
    section = Event.objects.get(forum=eighth, slug="section-1")
    assert section.starts_at == dt.datetime(2021, 6, 28, 10, tzinfo=MINSK)
    assert [v.name for v in section.venues.all()] == ["Студия Минск"]
    assert section.venues.get().forum == eighth
    assert (section.is_published, section.video_conference_url) == (False, "")
    meeting = Event.objects.get(forum=eighth, slug="youth-commission")
    assert (meeting.number, meeting.starts_at) == (8, None)
    assert not Assignment.objects.filter(event__forum=eighth).exists()
    assert not Agreement.objects.filter(forum=eighth).exists()


def test_next_edition_refused_when_it_exists_and_nothing_is_left(seventh):
    ForumFactory(number=8, year=2030)

    with pytest.raises(ValidationError):
        forum_copy_next(forum=seventh, starts_on=dt.date(2021, 6, 28))

    assert Forum.objects.count() == 2


def test_admin_action_asks_for_the_date_and_creates_the_draft(editor_client, seventh):
    page = editor_client.post(
        "/admin/forum/forum/", {"action": "copy_next_edition", "_selected_action": [seventh.pk]}
    )
    assert page.status_code == 200
    assert page.context["form"].initial["starts_on"] == dt.date(2021, 9, 28)

    response = editor_client.post(
        "/admin/forum/forum/",
        {
            "action": "copy_next_edition",
            "_selected_action": [seventh.pk],
            "apply": "1",
            "starts_on": "28.09.2021",
        },
    )

    eighth = Forum.objects.get(number=8)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/forum/forum/{eighth.pk}/change/"

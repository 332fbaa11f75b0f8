"""Every change form with inlines costs the same number of queries whatever its number of rows."""

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    EventFactory,
    ForumFactory,
    PartyFactory,
    RegionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cold_content_types():
    """The admin's history link looks up the model's content type once per process: counted in
    every test alike, whichever ran first."""
    ContentType.objects.clear_cache()


def event_with_assignments(n):
    event = EventFactory()
    venue = VenueFactory(forum=event.forum, region=RegionFactory(code="BY-MI"))
    event.venues.add(venue)
    for _ in range(n):
        AssignmentFactory(event=event, venue=venue)
    return f"/admin/events/event/{event.pk}/change/"


def agreement_with_parties(n):
    agreement = AgreementFactory()
    PartyFactory.create_batch(n, agreement=agreement, region=RegionFactory(code="BY-MI"))
    return f"/admin/agreements/agreement/{agreement.pk}/change/"


def forum_with_days_and_venues(n):
    forum = ForumFactory.build()
    forum.ends_on = forum.starts_on + dt.timedelta(days=n)
    forum.save()
    for i in range(n):
        DayFactory(forum=forum, date=forum.starts_on + dt.timedelta(days=i))
    VenueFactory.create_batch(n, forum=forum, region=RegionFactory(code="BY-MI"))
    return f"/admin/forum/forum/{forum.pk}/change/"


def delegate_with_assignments(n):
    delegate = DelegateFactory(region=RegionFactory(code="BY-MI"))
    for _ in range(n):
        event = EventFactory()
        venue = VenueFactory(forum=event.forum)
        event.venues.add(venue)
        AssignmentFactory(delegate=delegate, event=event, venue=venue)
    return f"/admin/delegates/delegate/{delegate.pk}/change/"


# Pinned: the same at one row and at fifty, or an inline queries once per row.
CHANGE_FORMS = {
    "event with its assignments": (event_with_assignments, 10),
    "agreement with its parties": (agreement_with_parties, 8),
    # Five of them count the forum's conflicts (secretariat.conflicts).
    "forum with its days and venues": (forum_with_days_and_venues, 13),
    "delegate with their assignments": (delegate_with_assignments, 8),
}


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize("form", CHANGE_FORMS)
def test_change_form_query_count_does_not_grow_with_its_rows(
    editor_client, django_assert_num_queries, form, n
):
    make, queries = CHANGE_FORMS[form]
    url = make(n)

    with django_assert_num_queries(queries):
        response = editor_client.get(url)

    assert response.status_code == 200


def test_each_row_shows_its_chosen_delegate_and_venue(editor_client):
    event = EventFactory()
    venue = VenueFactory(forum=event.forum, name="Малый зал")
    event.venues.add(venue)
    AssignmentFactory(event=event, venue=venue, delegate=DelegateFactory(last_name="Первов"))
    AssignmentFactory(event=event, delegate=DelegateFactory(last_name="Второв"))

    body = editor_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()

    def chosen(field: str) -> list[str]:
        select = re.search(rf'<select name="{field}".*?</select>', body, re.S).group(0)
        return re.findall(r"<option value=\"[^\"]+\" selected>([^<]*)</option>", select)

    assert chosen("assignments-0-delegate") == ["Первов Пример"]
    assert chosen("assignments-1-delegate") == ["Второв Пример"]
    assert chosen("assignments-0-venue") == ["Малый зал, Минск"]
    assert chosen("assignments-1-venue") == []

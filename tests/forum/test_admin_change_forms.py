"""Every change form with inlines costs the same number of queries whatever its number of rows."""

import datetime as dt
import re
from html.parser import HTMLParser

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
    "event with its assignments": (event_with_assignments, 9),
    "agreement with its parties": (agreement_with_parties, 7),
    # Five of them count the forum's conflicts (secretariat.conflicts).
    "forum with its days and venues": (forum_with_days_and_venues, 12),
    "delegate with their assignments": (delegate_with_assignments, 7),
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


def test_each_saved_row_shows_its_person_and_chosen_venue(editor_client):
    event = EventFactory()
    venue = VenueFactory(forum=event.forum, name="Малый зал")
    event.venues.add(venue)
    first = AssignmentFactory(
        event=event, venue=venue, delegate=DelegateFactory(last_name="Первов"), order=1
    )
    AssignmentFactory(event=event, delegate=DelegateFactory(last_name="Второв"), order=2)

    body = editor_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()

    assert (
        f'<a href="/admin/delegates/delegate/{first.delegate_id}/change/">Первов Пример</a>'
    ) in body
    assert chosen(body, "assignments-0-venue") == ["Малый зал, Минск"]
    assert chosen(body, "assignments-1-venue") == ["---------"]
    assert chosen(body, "assignments-0-role") == ["докладчик"]


def chosen(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    return re.findall(r"<option value=\"[^\"]*\" selected>([^<]*)</option>", select)


class FormFields(HTMLParser):
    """The name and value of every field of a page's form, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.fields, self._select = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and attrs.get("name"):
            self.fields.append((attrs["name"], ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_data(body: str) -> dict:
    parser = FormFields()
    parser.feed(body)
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def test_the_event_page_sent_back_keeps_every_assignment_and_takes_a_new_role(editor_client):
    event = EventFactory(title="Секция")
    hall = VenueFactory(forum=event.forum)
    event.venues.add(hall)
    remote = AssignmentFactory(event=event, participation="remote", order=1)
    seated = AssignmentFactory(event=event, venue=hall, order=3)
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_data(editor_client.get(url).content.decode())
    data.update({"assignments-1-role": "chair", "_save": "Save"})

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    remote.refresh_from_db()
    seated.refresh_from_db()
    assert (remote.role, remote.participation, remote.venue, remote.order) == (
        "speaker",
        "remote",
        None,
        1,
    )
    assert (seated.role, seated.venue, seated.order) == ("chair", hall, 3)


def test_a_seat_at_a_venue_the_event_does_not_use_stays_chosen_and_is_refused_on_save(
    editor_client,
):
    event = EventFactory()
    hall, studio = VenueFactory(forum=event.forum), VenueFactory(forum=event.forum, name="Студия")
    event.venues.add(hall)
    AssignmentFactory(event=event, venue=studio)
    url = f"/admin/events/event/{event.pk}/change/"
    body = editor_client.get(url).content.decode()

    response = editor_client.post(url, {**form_data(body), "_save": "Save"})

    assert chosen(body, "assignments-0-venue") == ["Студия, Минск"]
    assert response.status_code == 200
    assert "Мероприятие не проводится на этой площадке." in response.content.decode()

"""The forum's version and its events', all read in one query (public.versioning): each measure
as the table's rows read apart would give it, and a change to one event's rows moves that event's
version alone."""

import pytest
from django.db.models import Count, Max

from delegates.models import Assignment
from events.models import EventKind
from forum.models import Region
from public.versioning import COVERED, appearance_versions, forum_with_version, measure
from tests.factories import (
    AgreementFactory,
    AssignmentFactory,
    CommissionFactory,
    DayFactory,
    DocumentFactory,
    DocumentFileFactory,
    EventFactory,
    ForumFactory,
    PartyFactory,
    RegionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


class Programme:
    """Two published events, each with its own row of every table that leads to an event (and a
    third on the first's day, in its venue), and the forum's rows of no event: a day and a venue
    without events, an agreement and a document of the whole forum."""

    def __init__(self):
        self.forum = forum = ForumFactory()
        self.other_forum = ForumFactory()
        self.rows = {}
        self.events = []
        for index in range(2):
            day = DayFactory(forum=forum, date=forum.starts_on.replace(day=28 + index))
            venue = VenueFactory(forum=forum)
            commission = CommissionFactory()
            event = EventFactory(
                day=day, kind=EventKind.COMMISSION_MEETING, commission=commission, number=index + 1
            )
            event.venues.set([venue])
            assignment = AssignmentFactory(event=event)
            agreement = AgreementFactory(forum=forum, event=event)
            document = DocumentFactory(event=event)
            self.events.append(event)
            self.rows[event.pk] = {
                "day": day,
                "venue": venue,
                "commission": commission,
                "event": event,
                "assignment": assignment,
                "event_venue": type(event).venues.through.objects.get(event=event),
                "delegate": assignment.delegate,
                "agreement": agreement,
                "party": PartyFactory(agreement=agreement),
                "document": document,
                "file": DocumentFileFactory(document=document),
            }
        # A day and a venue of two events: counted once in the forum's measures.
        first = self.events[0]
        EventFactory(day=first.day).venues.set(first.venues.all())
        self.spare_day = DayFactory(forum=forum, date=forum.ends_on.replace(day=30))
        self.spare_venue = VenueFactory(forum=forum)
        self.forums_agreement = AgreementFactory(forum=forum, event=None)
        PartyFactory(agreement=self.forums_agreement)
        self.forums_document = DocumentFactory(event=None, forum=forum)
        DocumentFileFactory(document=self.forums_document)
        # Another forum's rows count in none of this forum's measures.
        other = EventFactory(day=DayFactory(forum=self.other_forum))
        AssignmentFactory(event=other, delegate=self.rows[self.events[0].pk]["delegate"])
        AgreementFactory(forum=self.other_forum, event=other)

    def versions(self) -> tuple[str, dict[int, str]]:
        forum = forum_with_version(year=self.forum.year)
        return forum.programme_version, forum.programme_event_versions


@pytest.fixture
def programme() -> Programme:
    return Programme()


def apart(table, **lookup) -> dict:
    """The table's measures as its rows read on their own give them."""
    rows = table.model._default_manager.filter(**lookup)
    read = rows.aggregate(newest=Max(table.newest), count=Count("pk", distinct=True))
    measures = {f"v_{table.name}_newest": read["newest"]}
    if table.count:
        measures[f"v_{table.name}_count"] = read["count"]
    return measures


def test_each_measure_is_that_of_the_tables_rows_read_apart(programme):
    measured = measure(programme.forum.pk)

    for table in COVERED:
        lookup = {table.to_forum: programme.forum.pk} if table.to_forum else {}
        expected = apart(table, **lookup)
        assert {name: measured.forum[name] for name in expected} == expected, table.name
        for event in programme.forum.events.all() if table.to_event else ():
            expected = apart(table, **{table.to_event: event.pk})
            found = measured.events[event.pk]
            assert {name: found.get(name, 0 if "count" in name else None) for name in expected} == (
                expected
            ), (table.name, event.pk)


def save(rows, name):
    rows[name].save()


def delete(rows, name):
    rows[name].delete()


def add_venue(rows, _name):
    rows["event"].venues.add(VenueFactory(forum=rows["event"].forum))


def remove_venues(rows, _name):
    rows["event"].venues.clear()


# (the row of one event that changes, how); every table that leads to an event has its row here.
CHANGES = [
    ("day", save),
    ("venue", save),
    ("event", save),
    ("event_venue", add_venue),
    ("event_venue", remove_venues),
    ("commission", save),
    ("assignment", save),
    ("assignment", delete),
    ("delegate", save),
    ("agreement", save),
    ("party", save),
    ("party", delete),
    ("document", save),
    ("file", save),
    ("file", delete),
]


@pytest.mark.parametrize(("name", "change"), CHANGES, ids=[f"{c.__name__} {n}" for n, c in CHANGES])
def test_a_change_to_one_events_row_moves_its_version_and_the_forums_alone(programme, name, change):
    changed, kept = programme.events
    forum_before, events_before = programme.versions()

    change(programme.rows[changed.pk], name)

    forum_after, events_after = programme.versions()
    assert forum_after != forum_before
    assert events_after[changed.pk] != events_before[changed.pk]
    assert events_after[kept.pk] == events_before[kept.pk]


def test_the_changes_above_reach_every_table_that_leads_to_an_event(programme):
    rows = programme.rows[programme.events[0].pk]

    assert {type(rows[name]) for name, _change in CHANGES} == {
        table.model for table in COVERED if table.to_event
    }


NO_EVENTS_ROWS = {
    "save day": lambda p: p.spare_day.save(),
    "delete day": lambda p: p.spare_day.delete(),
    "save venue": lambda p: p.spare_venue.save(),
    "delete venue": lambda p: p.spare_venue.delete(),
    "save agreement": lambda p: p.forums_agreement.save(),
    "delete party": lambda p: p.forums_agreement.parties.get().delete(),
    "save document": lambda p: p.forums_document.save(),
    "delete file": lambda p: p.forums_document.files.get().delete(),
}


@pytest.mark.parametrize("change", NO_EVENTS_ROWS.values(), ids=NO_EVENTS_ROWS.keys())
def test_a_change_to_a_row_of_no_event_moves_the_forums_version_alone(programme, change):
    forum_before, events_before = programme.versions()

    change(programme)

    forum_after, events_after = programme.versions()
    assert forum_after != forum_before
    assert events_after == events_before


def test_the_forums_own_row_every_event_shares_moves_every_events_version(programme):
    forum_before, events_before = programme.versions()

    programme.forum.save()

    forum_after, events_after = programme.versions()
    assert forum_after != forum_before
    assert all(events_after[pk] != events_before[pk] for pk in events_before)


def test_a_region_every_event_shares_moves_every_events_version(programme):
    RegionFactory(code="BY-HR")
    forum_before, events_before = programme.versions()

    Region.objects.get(code="BY-HR").save()

    forum_after, events_after = programme.versions()
    assert forum_after != forum_before
    assert all(events_after[pk] != events_before[pk] for pk in events_before)


def test_another_forums_change_moves_none_of_this_forums_versions(programme):
    before = programme.versions()

    AgreementFactory(forum=programme.other_forum, event=programme.other_forum.events.get())
    programme.other_forum.events.get().save()

    assert programme.versions() == before


def appearances(programme) -> dict:
    assignments = Assignment.objects.filter(event__forum=programme.forum)
    return {pk: (forum, version) for pk, forum, version in appearance_versions(assignments)}


APPEARANCE_CHANGES = {
    "save assignment": lambda rows: rows["assignment"].save(),
    "save its delegate": lambda rows: rows["delegate"].save(),
    "save the event": lambda rows: rows["event"].save(),
    "save its day": lambda rows: rows["day"].save(),
    "add an assignment": lambda rows: AssignmentFactory(event=rows["event"]),
    "delete the assignment": lambda rows: rows["assignment"].delete(),
}


@pytest.mark.parametrize("change", APPEARANCE_CHANGES.values(), ids=APPEARANCE_CHANGES.keys())
def test_a_change_to_what_an_events_appearances_show_moves_that_events_alone(programme, change):
    changed, kept = programme.events
    before = appearances(programme)
    assert list(before) == [changed.pk, kept.pk]  # by day
    assert {forum for forum, _version in before.values()} == {programme.forum.pk}

    change(programme.rows[changed.pk])

    after = appearances(programme)
    assert after.get(changed.pk) != before[changed.pk]
    assert after[kept.pk] == before[kept.pk]


def test_the_forums_row_moves_every_events_appearances(programme):
    before = appearances(programme)

    programme.forum.save()

    after = appearances(programme)
    assert all(after[pk] != before[pk] for pk in before)

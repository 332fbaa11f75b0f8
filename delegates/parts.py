"""The parts of a delegate's page that every delegate of an event, or of a forum, is shown alike:
made once per version (delegates.versioning) and language, kept in the shared cache
(forum.fragments), and joined on each of those delegates' pages with what is their own (their
role and seat, the marks of what changed, themselves left out of the others). After an edit to
one event, its delegates' pages are made from one new part and the kept others.

A part holds what only the delegates of its event or forum may see (an unpublished event, the
video-conference link, the documents for participants): only their own page (delegates.page)
reads it, never a public page.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from delegates.access import documents_of
from delegates.changes import ChangeText, event_facts
from delegates.models import Assignment, Delegate
from delegates.selectors import delegate_page_assignments, people_by_event, role_groups
from delegates.versioning import ProgrammeVersions
from events.models import Event
from forum.fragments import kept_fragments
from forum.models import Forum


@dataclass
class EventPart:
    """What an event's block shows every delegate of it, in one language."""

    forum_id: int
    day_id: int
    # The heading of its day, and its block's beginning: time, title, cancellation, whether it
    # is public yet.
    day: str
    head: str
    cancelled: bool
    # Its video-conference link ("" for none), and its venues, for a delegate with no seat.
    video: str
    venues: str
    # The documents its delegates may read, with their files ("" for none).
    documents: str
    # Everyone in it by role, in programme order: the role's heading and each person's id and
    # ``<dd>`` (names and positions only).
    people: list[tuple[str, list[tuple[int, str]]]]
    # Its facts for the marks of what changed (delegates.changes.event_facts).
    facts: dict

    def others(self, delegate_pk: int) -> SafeString:
        """The people by role with this delegate left out ("" for nobody else)."""
        groups = []
        for heading, people in self.people:
            items = [item for pk, item in people if pk != delegate_pk]
            if items:
                groups.append(format_html("\n<dt>{}</dt>\n", heading) + "".join(items))
        return mark_safe("".join(groups))


@dataclass
class Item:
    """One event of the delegate's page: their own assignment, and the event's shared part."""

    assignment: Assignment
    part: EventPart
    # The others in the event by role, the delegate left out (HTML).
    others: str
    # What changed since the delegate's last visit (selectors.programme_mark), if anything.
    change: ChangeText | None = None


@dataclass
class Day:
    heading: str
    items: list[Item] = field(default_factory=list)


@dataclass
class ForumBlock:
    # The forum's heading and its documents (its shared part).
    head: str
    days: list[Day] = field(default_factory=list)


def delegate_page_programme(*, delegate: Delegate, versions: ProgrammeVersions) -> list:
    """The delegate's page's programme, by forum and day: their assignments (one query), each
    with its event's part, under each forum's part (kept, or made: ``event_parts``)."""
    assignments = list(delegate_page_assignments(delegate=delegate))
    events = event_parts(ids=[assignment.event_id for assignment in assignments], versions=versions)
    forum_ids = list(dict.fromkeys(part.forum_id for part in events.values()))
    forums = forum_parts(ids=forum_ids, versions=versions)
    programme: list[ForumBlock] = []
    current: tuple[int, int] | None = None
    for assignment in assignments:
        part = events.get(assignment.event_id)
        if part is None:
            continue  # the event was deleted since the assignment was read
        if not programme or current[0] != part.forum_id:
            programme.append(ForumBlock(head=forums[part.forum_id]))
        if current != (part.forum_id, part.day_id):
            programme[-1].days.append(Day(heading=part.day))
        current = (part.forum_id, part.day_id)
        item = Item(assignment=assignment, part=part, others=part.others(delegate.pk))
        programme[-1].days[-1].items.append(item)
    return programme


def _kept(*, kind: str, ids: list[int], versions: dict[int, str], build) -> dict:
    """The part of ``kind`` of each of ``ids``, kept under its version; one with none (new since
    the versions were read) made and not kept. ``build(ids)`` makes parts, by id."""
    if not ids:
        return {}
    known = [(pk, None, versions[pk]) for pk in ids if pk in versions]
    parts = kept_fragments(kind=kind, versions=known, build=build)
    unknown = [pk for pk in ids if pk not in versions]
    if unknown:
        parts.update(build(unknown))
    return parts


def event_parts(*, ids: list[int], versions: ProgrammeVersions) -> dict[int, EventPart]:
    """The part of each of these events in the active language, by id: kept while the event
    (with its forum, day and venues) is as it was."""
    return _kept(kind="me-event", ids=ids, versions=versions.events, build=_event_parts)


def forum_parts(*, ids: list[int], versions: ProgrammeVersions) -> dict[int, str]:
    """The part of each of these forums in the active language, by id: kept while the forum and
    the documents of the whole forum are as they were."""
    return _kept(kind="me-forum", ids=ids, versions=versions.forums, build=_forum_parts)


def _event_parts(ids: list[int]) -> dict[int, EventPart]:
    """Made in four queries: the events, their venues, everyone in them, their documents (and
    one for the documents' files, if any)."""
    published = Event.objects.published().filter(pk=OuterRef("pk"))
    events = (
        Event.objects.filter(pk__in=ids)
        .order_by()
        .annotate(is_public=Exists(published))
        .select_related("forum", "day")
        .prefetch_related("venues")
    )
    people = people_by_event(ids)
    documents = _documents_of(events=ids)
    return {
        event.pk: _event_part(
            event, people.get(event.pk, []), documents.get(("event", event.pk), [])
        )
        for event in events
    }


def _event_part(event: Event, people, documents) -> EventPart:
    day = date_format(event.day.date, "l, j E Y")
    if event.day.title:
        day = format_html("{} — {}", day, event.day.title)
    video = ""
    if event.video_conference_url:
        video = format_html(
            '<dt>{}</dt>\n          <dd><a class="me-video" href="{}" rel="noopener noreferrer"'
            ' target="_blank">{}</a><br><span class="me-url">{}</span></dd>',
            gettext("Video conference"),
            event.video_conference_url,
            gettext("Join the video conference"),
            event.video_conference_url,
        )
    venues = format_html_join("; ", "{}, {}", ((v.name, v.city) for v in event.venues.all()))
    return EventPart(
        forum_id=event.forum_id,
        day_id=event.day_id,
        day=format_html("{}", day),
        head=render_to_string("delegates/includes/me_event_head.html", {"event": event}),
        cancelled=event.is_cancelled,
        video=video,
        venues=venues or "—",
        documents=_documents_html(documents),
        people=[
            (str(group.heading), [(person.pk, _person_item(person)) for person in group.people])
            for group in role_groups(people)
        ],
        facts=event_facts(event),
    )


def _person_item(person) -> str:
    position = format_html(", {}", person.position) if person.position else ""
    return format_html("<dd>{}{}</dd>", person.full_name, position)


def _forum_parts(ids: list[int]) -> dict[int, str]:
    """Made in two queries: the forums, their documents (and one for their files, if any)."""
    documents = _documents_of(forums=ids)
    return {
        forum.pk: render_to_string(
            "delegates/includes/me_forum_head.html",
            {"forum": forum, "documents": documents.get(("forum", forum.pk))},
        )
        for forum in Forum.objects.filter(pk__in=ids).order_by()
    }


def _documents_html(documents) -> str:
    if not documents:
        return ""
    context = {"documents": documents, "private": True}
    return render_to_string("includes/documents.html", context)


def _documents_of(*, events=(), forums=()) -> dict[tuple[str, int], list]:
    """The documents with a file of these events and of the whole of these forums, final ones
    first, under ("event", id) or ("forum", id)."""
    found: dict[tuple[str, int], list] = {}
    for document in documents_of(events=events, forums=forums).offered():
        key = ("event", document.event_id) if document.event_id else ("forum", document.forum_id)
        found.setdefault(key, []).append(document)
    return found

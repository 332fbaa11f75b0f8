"""Reads that shape the public programme pages; each owns its prefetches."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import resolution_order

from delegates.models import Assignment, Role
from events.models import Event
from forum.models import Forum

# The order a programme lists people in, with the heading of each group.
ROLE_HEADINGS = {
    Role.CHAIR: _("Chairs"),
    Role.CO_CHAIR: _("Co-chairs"),
    Role.MODERATOR: _("Moderators"),
    Role.SPEAKER: _("Speakers"),
    Role.EXPERT: _("Experts"),
    Role.PARTICIPANT: _("Participants"),
}

# The people a programme names for each event; the rest are counted, and listed on the event's
# own page (a 120-event forum seats some 15,000 people: the programme would weigh megabytes).
LEAD_ROLES = (Role.CHAIR, Role.CO_CHAIR, Role.MODERATOR, Role.SPEAKER)

_ROLE_RANK = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(ROLE_HEADINGS)),
    default=Value(len(ROLE_HEADINGS)),
    output_field=IntegerField(),
)


@dataclass(frozen=True, slots=True)
class Person:
    """A delegate as a public page shows them, in the reader's language: nothing private."""

    pk: int
    full_name: str
    position: str
    organisation: str
    is_sample: bool


_PERSON_FIELDS = ("last_name", "first_name", "middle_name", "position", "organisation")


def people_by_event(
    event_ids: list[int], *, roles: tuple[str, ...] | None = None
) -> dict[int, list[tuple[str, Person]]]:
    """Each event's (role, person) pairs in programme order, from ONE query of plain values.

    A programme of 120 events names 15,000 people: building an Assignment and a Delegate model
    for each, and resolving each translated name through modeltranslation's descriptor, took
    most of a second; plain values and one resolution order per request take a tenth of that.
    Contacts are never selected. ``roles`` keeps only those roles (all when None).
    """
    languages = resolution_order(get_language() or settings.LANGUAGE_CODE)
    # Only the languages a value may come from: ru alone for a Russian page.
    columns = [
        f"delegate__{name}_{language}"
        for name in _PERSON_FIELDS
        for language in languages
        if language in settings.MODELTRANSLATION_LANGUAGES
    ]
    assignments = Assignment.objects.filter(event_id__in=event_ids)
    if roles is not None:
        assignments = assignments.filter(role__in=roles)
    rows = (
        assignments.annotate(role_rank=_ROLE_RANK)
        .order_by("role_rank", "order", "pk")
        .values_list("event_id", "role", "delegate_id", "delegate__is_sample", *columns)
    )
    # Where each field's value sits in a row, for each language in fallback order.
    positions = {
        name: [
            4 + columns.index(f"delegate__{name}_{language}")
            for language in languages
            if f"delegate__{name}_{language}" in columns
        ]
        for name in _PERSON_FIELDS
    }

    def text(row, name: str) -> str:
        for index in positions[name]:
            if row[index]:
                return row[index]
        return ""

    people: dict[int, list[tuple[str, Person]]] = {}
    for row in rows:
        names = (text(row, "last_name"), text(row, "first_name"), text(row, "middle_name"))
        person = Person(
            pk=row[2],
            full_name=" ".join(part for part in names if part),
            position=text(row, "position"),
            organisation=text(row, "organisation"),
            is_sample=row[3],
        )
        people.setdefault(row[0], []).append((row[1], person))
    return people


def _programme_events(*, preview: bool):
    events = Event.objects.all() if preview else Event.objects.published()
    return events.defer("video_conference_url").prefetch_related("venues")


def _groups(pairs: list[tuple[str, Person]]) -> list[dict]:
    groups: dict[str, list] = {}
    for role, person in pairs:
        groups.setdefault(role, []).append(person)
    return [
        {"role": role, "heading": ROLE_HEADINGS.get(role, role), "delegates": groups[role]}
        for role in ROLE_HEADINGS
        if role in groups
    ]


def participant_groups(event: Event) -> list[dict]:
    """The event's people by role, in ROLE_HEADINGS order (set by the selectors; else a query)."""
    if hasattr(event, "participant_groups"):
        return event.participant_groups
    return _groups(people_by_event([event.pk]).get(event.pk, []))


def _decorate(events: list[Event], *, roles: tuple[str, ...] | None = None) -> None:
    """Give each event its people by role, all events' people read in one query."""
    people = people_by_event([event.pk for event in events], roles=roles) if events else {}
    for event in events:
        pairs = people.get(event.pk, [])
        event.participant_groups = _groups(pairs)
        event.has_sample_people = any(person.is_sample for _role, person in pairs)


def programme_days(*, forum: Forum, preview: bool = False) -> list:
    """Every day of the forum in order, each with its events, venues and leading people by role
    (chairs, co-chairs, moderators, speakers: LEAD_ROLES) and ``other_people``, a count."""
    events = _programme_events(preview=preview).annotate(
        # Counted in the events' own query: the people the programme does not name.
        other_people=Count("assignments", filter=~Q(assignments__role__in=LEAD_ROLES))
    )
    days = list(forum.days.order_by("date").prefetch_related(Prefetch("events", queryset=events)))
    _decorate([event for day in days for event in day.events.all()], roles=LEAD_ROLES)
    return days


def event_for_page(*, forum: Forum, slug: str, preview: bool = False) -> Event:
    """One event of the forum with its venues, people and the public agreements signed at it."""
    from agreements.selectors import public_agreements_prefetch

    event = (
        _programme_events(preview=preview)
        .select_related("day")
        .prefetch_related(public_agreements_prefetch())
        .filter(forum=forum, slug=slug)
        .first()
    )
    if event is None:
        raise Http404("No such event.")
    _decorate([event])
    return event

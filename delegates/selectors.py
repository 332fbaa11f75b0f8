"""Reads of delegates: how a person appears on public pages, and the delegate's own programme."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import resolution_order

from delegates.changes import Change, ChangeText, change_text
from delegates.models import Assignment, Delegate, Role
from events.models import Event
from forum.models import Day, Forum

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


def _person_columns() -> tuple[list[str], dict[str, list[int]]]:
    """The delegate columns a reader's language may take its text from (ru alone on a Russian
    page), and where each field's value sits in a row, in fallback order."""
    languages = [
        language
        for language in resolution_order(get_language() or settings.LANGUAGE_CODE)
        if language in settings.MODELTRANSLATION_LANGUAGES
    ]
    columns = [f"delegate__{name}_{language}" for name in _PERSON_FIELDS for language in languages]
    positions = {
        name: [4 + columns.index(f"delegate__{name}_{language}") for language in languages]
        for name in _PERSON_FIELDS
    }
    return columns, positions


def people_by_event(
    event_ids, *, roles: tuple[str, ...] | None = None, where: Q | None = None
) -> dict[int, list[tuple[str, Person]]]:
    """Each event's (role, person) pairs in programme order, from one query of plain values;
    ``event_ids`` a list or a queryset of events; ``where`` narrows the assignments further
    (a region's page: its own people only).

    Plain values, not models: a programme names thousands of people, and building a model and
    resolving each translated name through its descriptor took ten times as long.
    """
    columns, positions = _person_columns()
    assignments = Assignment.objects.filter(event_id__in=event_ids)
    if roles is not None:
        assignments = assignments.filter(role__in=roles)
    if where is not None:
        assignments = assignments.filter(where)
    rows = (
        assignments.annotate(role_rank=_ROLE_RANK)
        .order_by("role_rank", "order", "pk")
        .values_list("event_id", "role", "delegate_id", "delegate__is_sample", *columns)
    )

    def text(row, name: str) -> str:
        return next((row[index] for index in positions[name] if row[index]), "")

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


@dataclass
class RoleGroup:
    role: str
    heading: str
    people: list[Person]


def role_groups(pairs: list[tuple[str, Person]]) -> list[RoleGroup]:
    """(role, person) pairs as groups under their headings, in ROLE_HEADINGS order."""
    groups: dict[str, RoleGroup] = {}
    for role, person in pairs:
        heading = ROLE_HEADINGS.get(role, role)
        groups.setdefault(role, RoleGroup(role=role, heading=heading, people=[])).people.append(
            person
        )
    return [groups[role] for role in ROLE_HEADINGS if role in groups]


@dataclass
class ProgrammeItem:
    assignment: Assignment
    event: Event

    @property
    def is_public(self) -> bool:
        return self.assignment.event_is_public


@dataclass
class ProgrammeDay:
    day: Day
    items: list[ProgrammeItem] = field(default_factory=list)


@dataclass
class ForumProgramme:
    forum: Forum
    days: list[ProgrammeDay] = field(default_factory=list)


# A delegate's assignments in the order of their programme: by forum, day and hour.
PROGRAMME_ORDER = (
    "event__forum__starts_on",
    "event__day__date",
    F("event__starts_at").asc(nulls_last=True),
    "event__pk",
)


def delegate_assignments(*, delegate: Delegate):
    """The delegate's assignments in programme order, with all their calendar feed prints."""
    published = Event.objects.published().filter(pk=OuterRef("event_id"))
    return (
        Assignment.objects.filter(delegate=delegate)
        .annotate(event_is_public=Exists(published))
        # The forum (time zone, title), the day and the delegate's own venue print on every row.
        .select_related("event__forum", "event__day", "venue")
        .prefetch_related("event__venues")
        .order_by(*PROGRAMME_ORDER)
    )


def delegate_page_assignments(*, delegate: Delegate):
    """The delegate's assignments in programme order with their own seat: what their page shows
    of them alone (the rest, every delegate of the event is shown alike: delegates.parts)."""
    return (
        Assignment.objects.filter(delegate=delegate)
        .select_related("venue")
        .order_by(*PROGRAMME_ORDER)
    )


def delegate_programme(*, delegate: Delegate) -> list[ForumProgramme]:
    """The delegate's assignments by forum and day, for their calendar feed (their page is
    joined from parts every delegate of an event shares: delegates.parts).

    Unpublished events and draft forums are included: a delegate must know where they sit
    before the public programme is out. The page marks them "not yet public".
    """
    forums: list[ForumProgramme] = []
    for assignment in delegate_assignments(delegate=delegate):
        event = assignment.event
        if not forums or forums[-1].forum.pk != event.forum_id:
            forums.append(ForumProgramme(forum=event.forum))
        days = forums[-1].days
        if not days or days[-1].day.pk != event.day_id:
            days.append(ProgrammeDay(day=event.day))
        days[-1].items.append(ProgrammeItem(assignment=assignment, event=event))
    return forums


def delegates_for_password_reset(*, email: str):
    """The delegates of an e-mail address whose login may choose a password on the delegates'
    pages: one with no login yet, or an active one that is not staff (staff have their own)."""
    may_reset = Q(user__isnull=True) | Q(
        user__is_active=True, user__is_staff=False, user__is_superuser=False
    )
    return Delegate.objects.filter(may_reset, email__iexact=email.strip()).select_related("user")


def programme_items(programme: list):
    """The items of a delegate's programme (by forum, ``days``, and day, ``items``), in order."""
    for forum_programme in programme:
        for programme_day in forum_programme.days:
            yield from programme_day.items


def programme_mark(*, items: list, changes: list[Change]) -> list[ChangeText]:
    """The changes in words, in the active language; each item of the programme (with its
    ``assignment``) gets its own (``item.change``), those of events no longer in it are only in
    the list."""
    texts = [change_text(change) for change in changes]
    by_event = {text.change.event_id: text for text in texts}
    for item in items:
        item.change = by_event.get(item.assignment.event_id)
    return texts

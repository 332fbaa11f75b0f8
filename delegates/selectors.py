"""Reads of delegates: how a person appears on public pages, and the delegate's own programme."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import resolution_order

from delegates.access import documents_of_delegate
from delegates.changes import Change, ChangeText, change_text
from delegates.models import Assignment, Delegate, Role
from documents.models import Document
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
    others: list[RoleGroup]
    documents: list[Document] = field(default_factory=list)
    # What changed since the delegate's last visit (programme_mark), if anything.
    change: ChangeText | None = None

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
    documents: list[Document] = field(default_factory=list)


def delegate_assignments(*, delegate: Delegate):
    """The delegate's assignments in programme order, with all a page or feed prints of them."""
    published = Event.objects.published().filter(pk=OuterRef("event_id"))
    return (
        Assignment.objects.filter(delegate=delegate)
        .annotate(event_is_public=Exists(published))
        # The forum (time zone, title), the day and the delegate's own venue print on every row.
        .select_related("event__forum", "event__day", "venue")
        .prefetch_related("event__venues")
        .order_by(
            "event__forum__starts_on",
            "event__day__date",
            F("event__starts_at").asc(nulls_last=True),
            "event__pk",
        )
    )


def delegate_documents(*, delegate: Delegate) -> dict[tuple[str, int], list[Document]]:
    """The documents the delegate may read that have a file, final ones first, under
    ("event", id) or, for those of a whole forum, ("forum", id)."""
    documents: dict[tuple[str, int], list[Document]] = {}
    for document in documents_of_delegate(delegate=delegate).offered():
        key = ("event", document.event_id) if document.event_id else ("forum", document.forum_id)
        documents.setdefault(key, []).append(document)
    return documents


def delegate_programme(*, delegate: Delegate) -> list[ForumProgramme]:
    """The delegate's assignments by forum and day, each with the others in its event by role.

    Unpublished events and draft forums are included: a delegate must know where they sit
    before the public programme is out. The page marks them "not yet public".
    """
    forums: list[ForumProgramme] = []
    assignments = list(delegate_assignments(delegate=delegate))
    people = people_by_event([assignment.event_id for assignment in assignments])
    for assignment in assignments:
        event = assignment.event
        if not forums or forums[-1].forum.pk != event.forum_id:
            forums.append(ForumProgramme(forum=event.forum))
        days = forums[-1].days
        if not days or days[-1].day.pk != event.day_id:
            days.append(ProgrammeDay(day=event.day))
        others = [(role, person) for role, person in people.get(event.pk, [])]
        others = [(role, person) for role, person in others if person.pk != delegate.pk]
        days[-1].items.append(
            ProgrammeItem(assignment=assignment, event=event, others=role_groups(others))
        )
    return forums


def delegate_page_programme(*, delegate: Delegate) -> list[ForumProgramme]:
    """The programme for the delegate's page: delegate_programme with, for each event and each
    forum, the documents the delegate may read (two more queries; the calendar needs none)."""
    forums = delegate_programme(delegate=delegate)
    documents = delegate_documents(delegate=delegate) if forums else {}
    for forum_programme in forums:
        forum_programme.documents = documents.get(("forum", forum_programme.forum.pk), [])
        for programme_day in forum_programme.days:
            for item in programme_day.items:
                item.documents = documents.get(("event", item.event.pk), [])
    return forums


def delegates_for_password_reset(*, email: str):
    """The delegates of an e-mail address whose login may choose a password on the delegates'
    pages: one with no login yet, or an active one that is not staff (staff have their own)."""
    may_reset = Q(user__isnull=True) | Q(
        user__is_active=True, user__is_staff=False, user__is_superuser=False
    )
    return Delegate.objects.filter(may_reset, email__iexact=email.strip()).select_related("user")


def programme_assignments(programme: list[ForumProgramme]):
    """The assignments of a delegate's programme, in its order."""
    for forum_programme in programme:
        for programme_day in forum_programme.days:
            for item in programme_day.items:
                yield item.assignment


def programme_mark(*, programme: list[ForumProgramme], changes: list[Change]) -> list[ChangeText]:
    """The changes in words, in the active language; each item of the programme gets its own
    (``item.change``), those of events no longer in it are only in the list."""
    texts = [change_text(change) for change in changes]
    by_event = {text.change.event_id: text for text in texts}
    for forum_programme in programme:
        for programme_day in forum_programme.days:
            for item in programme_day.items:
                item.change = by_event.get(item.event.pk)
    return texts

"""Reads that shape the delegate's own page and calendar."""

from dataclasses import dataclass, field

from django.db.models import F

from delegates.models import Assignment, Delegate, Role
from events.models import Event
from events.selectors import Person, people_by_event
from forum.models import Day, Forum


@dataclass
class RoleGroup:
    role: str
    label: str
    delegates: list[Person]


@dataclass
class ProgrammeItem:
    assignment: Assignment
    event: Event
    others: list[RoleGroup]

    @property
    def is_public(self) -> bool:
        return self.event.is_published and self.event.forum.is_published


@dataclass
class ProgrammeDay:
    day: Day
    items: list[ProgrammeItem] = field(default_factory=list)


@dataclass
class ForumProgramme:
    forum: Forum
    days: list[ProgrammeDay] = field(default_factory=list)


def delegate_assignments(*, delegate: Delegate):
    """The delegate's assignments in programme order, with all a page or feed prints of them."""
    return (
        Assignment.objects.filter(delegate=delegate)
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


def delegate_programme(*, delegate: Delegate) -> list[ForumProgramme]:
    """The delegate's assignments by forum and day, each with the others in its event by role.

    Unpublished events and draft forums are included: a delegate must know where they sit
    before the public programme is out. The page marks them "not yet public".
    """
    forums: list[ForumProgramme] = []
    assignments = list(delegate_assignments(delegate=delegate))
    # The others in the same events, names and positions only, in one query of plain values.
    people = people_by_event([assignment.event_id for assignment in assignments])
    for assignment in assignments:
        event = assignment.event
        if not forums or forums[-1].forum.pk != event.forum_id:
            forums.append(ForumProgramme(forum=event.forum))
        days = forums[-1].days
        if not days or days[-1].day.pk != event.day_id:
            days.append(ProgrammeDay(day=event.day))
        days[-1].items.append(
            ProgrammeItem(
                assignment=assignment,
                event=event,
                others=_others(people.get(event.pk, []), delegate),
            )
        )
    return forums


def _others(pairs: list[tuple[str, Person]], delegate: Delegate) -> list[RoleGroup]:
    """The event's other people by role (``pairs`` come in role, then programme order)."""
    groups: dict[str, RoleGroup] = {}
    for role, person in pairs:
        if person.pk == delegate.pk:
            continue
        group = groups.setdefault(role, RoleGroup(role=role, label=Role(role).label, delegates=[]))
        group.delegates.append(person)
    return list(groups.values())

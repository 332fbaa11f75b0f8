"""Reads that shape the delegate's own page and calendar."""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch

from delegates.models import Assignment, Delegate, Role
from events.models import Event
from forum.models import Day, Forum

ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


@dataclass
class RoleGroup:
    role: str
    label: str
    delegates: list[Delegate]


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
        .prefetch_related(
            "event__venues",
            # The others in the same event, with their names and positions.
            Prefetch(
                "event__assignments",
                queryset=Assignment.objects.select_related("delegate").order_by("order", "pk"),
                to_attr="all_assignments",
            ),
        )
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
    for assignment in delegate_assignments(delegate=delegate):
        event = assignment.event
        if not forums or forums[-1].forum.pk != event.forum_id:
            forums.append(ForumProgramme(forum=event.forum))
        days = forums[-1].days
        if not days or days[-1].day.pk != event.day_id:
            days.append(ProgrammeDay(day=event.day))
        days[-1].items.append(
            ProgrammeItem(assignment=assignment, event=event, others=_others(event, delegate))
        )
    return forums


def _others(event: Event, delegate: Delegate) -> list[RoleGroup]:
    groups: dict[str, RoleGroup] = {}
    others = [a for a in event.all_assignments if a.delegate_id != delegate.pk]
    for other in sorted(others, key=lambda a: ROLE_ORDER.get(a.role, len(ROLE_ORDER))):
        group = groups.setdefault(
            other.role,
            RoleGroup(role=other.role, label=other.get_role_display(), delegates=[]),
        )
        group.delegates.append(other.delegate)
    return list(groups.values())

"""Reads that shape the public programme pages; each owns its prefetches."""

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

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

_ROLE_RANK = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(ROLE_HEADINGS)),
    default=Value(len(ROLE_HEADINGS)),
    output_field=IntegerField(),
)


def _public_assignments():
    # select_related: every assignment shows its delegate's name; one join, not one query each.
    return (
        Assignment.objects.select_related("delegate")
        # Contacts never leave the database for a public page.
        .defer("delegate__email", "delegate__phone")
        .annotate(role_rank=_ROLE_RANK)
        .order_by("role_rank", "order", "pk")
    )


def _programme_events(*, preview: bool):
    events = Event.objects.all() if preview else Event.objects.published()
    return events.defer("video_conference_url").prefetch_related(
        "venues", Prefetch("assignments", queryset=_public_assignments())
    )


def participant_groups(event: Event) -> list[dict]:
    """The event's people by role, in ROLE_HEADINGS order (from the prefetched assignments)."""
    groups: dict[str, list] = {}
    for assignment in event.assignments.all():
        groups.setdefault(assignment.role, []).append(assignment.delegate)
    return [
        {"role": role, "heading": ROLE_HEADINGS.get(role, role), "delegates": groups[role]}
        for role in ROLE_HEADINGS
        if role in groups
    ]


def _decorate(event: Event) -> Event:
    event.participant_groups = participant_groups(event)
    event.has_sample_people = any(a.delegate.is_sample for a in event.assignments.all())
    return event


def programme_days(*, forum: Forum, preview: bool = False) -> list:
    """Every day of the forum in order, each with its events, venues and people by role."""
    days = list(
        forum.days.order_by("date").prefetch_related(
            Prefetch("events", queryset=_programme_events(preview=preview))
        )
    )
    for day in days:
        for event in day.events.all():
            _decorate(event)
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
    return _decorate(event)

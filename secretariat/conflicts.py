"""What a conflict in a forum's programme is, said once: the conflicts page lists them and the
timetable marks the events they concern. A delegate's clash is Assignment.objects.clashing and
a room's is events.models.overlapping, asked of every row in one query each."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from delegates.models import Assignment
from events.models import Event
from secretariat.programme import Programme


class Kind(models.TextChoices):
    DELEGATE_TWICE = "delegate_twice", gettext_lazy("Delegates in two events at once")
    VENUE_TWICE = "venue_twice", gettext_lazy("Venues holding two events at once")
    OUTSIDE_DATES = "outside_dates", gettext_lazy("Events outside their forum's dates")
    SEAT_ELSEWHERE = "seat_elsewhere", gettext_lazy("Seats at a venue the event does not use")
    PUBLISHED_IN_DRAFT = "published_in_draft", gettext_lazy("Published events in a draft forum")
    NO_LEAD = "no_lead", gettext_lazy("Events with no chair or moderator")


# A conflict names this many people and counts the rest.
NAMED = 5

# Worth a look, not wrong: listed after the conflicts and counted apart.
WARNINGS = frozenset({Kind.NO_LEAD})


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Conflict:
    """One conflict: a sentence naming both sides, the pages where it is fixed, and the events
    it concerns (the timetable marks them)."""

    kind: Kind
    message: str
    links: tuple[Link, ...]
    events: frozenset[int]

    @property
    def is_warning(self) -> bool:
        return self.kind in WARNINGS


def _change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _label(programme: Programme, event: Event) -> str:
    """“Title” (date, hours in the forum's time zone)."""
    when = date_format(event.day.date, "SHORT_DATE_FORMAT")
    if event.starts_at:
        starts, ends = programme.local(event.starts_at), programme.local(event.ends_at)
        when += f", {starts:%H:%M}–{ends:%H:%M}"
    return _("“%(title)s” (%(when)s)") % {"title": event.title, "when": when}


def _event_link(event: Event) -> Link:
    return Link(label=event.title, url=_change_url(event))


def _both_ways(pairs: set[tuple]) -> list[tuple]:
    """The pairs found from each of their two sides, once each, in order. A rule asked of one
    side leaves the other's own state to the other row (a cancelled event is busy for neither)."""
    return sorted(
        (key, first, second)
        for key, first, second in pairs
        if first < second and (key, second, first) in pairs
    )


def _delegates_twice(programme: Programme) -> list[Conflict]:
    clashing = Assignment.objects.clashing(
        delegates=OuterRef("delegate_id"),
        starts_at=OuterRef("event__starts_at"),
        ends_at=OuterRef("event__ends_at"),
        other_than_event=OuterRef("event_id"),
    )
    timed = Assignment.objects.filter(event__forum=programme.forum, event__starts_at__isnull=False)
    # Those in a clash first (one probe each): only they are paired, not all 15,000 places.
    in_a_clash = timed.filter(Exists(clashing)).values("pk")
    rows = (
        timed.filter(pk__in=in_a_clash)
        # Each of the delegate's other places: the other side of a pair (found from its own
        # side too when it is in this forum, which _both_ways asks of every pair).
        .annotate(other=F("delegate__assignments"))
        .filter(Exists(clashing.filter(pk=OuterRef("other"))))
        .select_related("delegate")
        .order_by()
    )
    delegates, pairs = {}, set()
    assignment_events = {}
    for row in rows:
        delegates[row.delegate_id] = row.delegate
        assignment_events[row.pk] = row.event_id
        pairs.add((row.delegate_id, row.pk, row.other))
    conflicts = []
    for delegate_id, first, second in _both_ways(pairs):
        delegate = delegates[delegate_id]
        one = programme.events[assignment_events[first]]
        other = programme.events[assignment_events[second]]
        conflicts.append(
            Conflict(
                kind=Kind.DELEGATE_TWICE,
                message=_("%(delegate)s takes part in %(one)s and in %(other)s at the same time.")
                % {
                    "delegate": delegate.full_name,
                    "one": _label(programme, one),
                    "other": _label(programme, other),
                },
                links=(
                    Link(label=delegate.full_name, url=_change_url(delegate)),
                    _event_link(one),
                    _event_link(other),
                ),
                events=frozenset({one.pk, other.pk}),
            )
        )
    return conflicts


def _venues_twice(programme: Programme) -> list[Conflict]:
    overlapping = Event.objects.overlapping(
        starts_at=OuterRef("starts_at"), ends_at=OuterRef("ends_at")
    )
    rows = (
        Event.objects.filter(forum=programme.forum, starts_at__isnull=False)
        # Each other event held in one of its venues: the other side of a pair.
        .annotate(venue=F("venues"), other=F("venues__events"))
        .exclude(other=F("pk"))
        .filter(Exists(overlapping.filter(pk=OuterRef("other"))))
        .values_list("venue", "pk", "other")
        .order_by()
    )
    pairs = set(rows)
    conflicts = []
    for venue_id, first, second in _both_ways(pairs):
        venue = programme.venues[venue_id]
        one, other = programme.events[first], programme.events[second]
        conflicts.append(
            Conflict(
                kind=Kind.VENUE_TWICE,
                message=_("%(venue)s holds %(one)s and %(other)s at the same time.")
                % {
                    "venue": venue,
                    "one": _label(programme, one),
                    "other": _label(programme, other),
                },
                links=(
                    Link(label=str(venue), url=_change_url(venue)),
                    _event_link(one),
                    _event_link(other),
                ),
                events=frozenset({one.pk, other.pk}),
            )
        )
    return conflicts


def _outside_dates(programme: Programme) -> list[Conflict]:
    forum, conflicts = programme.forum, []
    forum_link = Link(label=str(forum), url=_change_url(forum))
    for event in programme.events.values():
        zone = forum.zone
        if event.day.date > forum.ends_on:
            why = _("its day, %(date)s, comes after the forum closes on %(closes)s.")
        elif event.starts_at and event.starts_at.astimezone(zone).date() != event.day.date:
            why = _("it starts on %(starts)s in the forum's time zone, not on its day %(date)s.")
        elif event.ends_at and event.ends_at.astimezone(zone).date() > forum.ends_on:
            why = _("it ends on %(ends)s, after the forum closes on %(closes)s.")
        else:
            continue
        values = {
            "date": date_format(event.day.date, "SHORT_DATE_FORMAT"),
            "closes": date_format(forum.ends_on, "SHORT_DATE_FORMAT"),
            "starts": event.starts_at
            and date_format(event.starts_at.astimezone(zone).date(), "SHORT_DATE_FORMAT"),
            "ends": event.ends_at
            and date_format(event.ends_at.astimezone(zone).date(), "SHORT_DATE_FORMAT"),
        }
        conflicts.append(
            Conflict(
                kind=Kind.OUTSIDE_DATES,
                message=_("%(event)s: %(why)s")
                % {"event": _label(programme, event), "why": why % values},
                links=(_event_link(event), forum_link),
                events=frozenset({event.pk}),
            )
        )
    return conflicts


def _seats_elsewhere(programme: Programme) -> list[Conflict]:
    """One conflict per event and venue: moving an event empties every seat at once."""
    held_there = Event.venues.through.objects.filter(
        event_id=OuterRef("event_id"), venue_id=OuterRef("venue_id")
    )
    seats = (
        Assignment.objects.filter(event__forum=programme.forum, venue__isnull=False)
        .exclude(Exists(held_there))
        .select_related("delegate", "venue")
        .order_by("event_id", "venue_id", "order", "pk")
    )
    groups: dict[tuple[int, int], list[Assignment]] = {}
    for seat in seats:
        groups.setdefault((seat.event_id, seat.venue_id), []).append(seat)
    conflicts = []
    for (event_id, _venue_id), group in groups.items():
        event, venue = programme.events[event_id], group[0].venue
        names = ", ".join(seat.delegate.full_name for seat in group[:NAMED])
        if len(group) > NAMED:
            names = _("%(names)s and %(count)d more") % {
                "names": names,
                "count": len(group) - NAMED,
            }
        conflicts.append(
            Conflict(
                kind=Kind.SEAT_ELSEWHERE,
                message=ngettext(
                    "%(count)d delegate is seated at %(venue)s for %(event)s, which is not "
                    "held there: %(names)s.",
                    "%(count)d delegates are seated at %(venue)s for %(event)s, which is not "
                    "held there: %(names)s.",
                    len(group),
                )
                % {
                    "names": names,
                    "count": len(group),
                    "venue": venue,
                    "event": _label(programme, event),
                },
                links=(_event_link(event), Link(label=str(venue), url=_change_url(venue))),
                events=frozenset({event.pk}),
            )
        )
    return conflicts


def _published_in_draft(programme: Programme) -> list[Conflict]:
    forum = programme.forum
    if forum.is_published:
        return []
    forum_link = Link(label=str(forum), url=_change_url(forum))
    return [
        Conflict(
            kind=Kind.PUBLISHED_IN_DRAFT,
            message=_(
                "%(event)s is published, but its forum is a draft: nobody sees it until the "
                "forum is published."
            )
            % {"event": _label(programme, event)},
            links=(_event_link(event), forum_link),
            events=frozenset({event.pk}),
        )
        for event in programme.events.values()
        if event.is_published
    ]


def _without_lead(programme: Programme) -> list[Conflict]:
    return [
        Conflict(
            kind=Kind.NO_LEAD,
            message=_("%(event)s has no chair, co-chair or moderator.")
            % {"event": _label(programme, event)},
            links=(_event_link(event),),
            events=frozenset({event.pk}),
        )
        for event in programme.events.values()
        if not event.has_lead and not event.is_cancelled
    ]


FINDERS = (
    _delegates_twice,
    _venues_twice,
    _outside_dates,
    _seats_elsewhere,
    _published_in_draft,
    _without_lead,
)


def forum_conflicts(*, programme: Programme) -> list[Conflict]:
    """Every conflict of the forum's programme, conflicts before warnings, by kind."""
    return [conflict for finder in FINDERS for conflict in finder(programme)]


@dataclass
class ConflictCount:
    conflicts: int
    warnings: int


def conflict_count(conflicts: list[Conflict]) -> ConflictCount:
    warnings = sum(conflict.is_warning for conflict in conflicts)
    return ConflictCount(conflicts=len(conflicts) - warnings, warnings=warnings)

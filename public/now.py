"""What is on now and next at a forum, in its own time zone (README: "Now at the forum")."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from events.models import Event
from forum.models import Day, Forum, Venue

# Where the reader is on the forum's calendar.
BEFORE, DURING, BETWEEN, AFTER = "before", "during", "between", "after"


@dataclass
class Place:
    """A venue (or "Online": online events with no venue) with what is on there now and the
    events that start there next (several when they start together)."""

    name: str
    city: str = ""
    now: list[Event] = field(default_factory=list)
    next: list[Event] = field(default_factory=list)


@dataclass
class ForumNow:
    state: str
    at: dt.datetime  # in the forum's time zone
    # The day the forum opens (before) or goes on (between).
    next_date: dt.date | None = None
    places: list[Place] = field(default_factory=list)
    # Today's events with no time announced: "today", never a made-up hour.
    untimed: list[Event] = field(default_factory=list)

    @property
    def is_on(self) -> bool:
        return self.state == DURING


def _dates(forum: Forum, days: list[Day]) -> list[dt.date]:
    """The forum's days; for an edition with none entered, every date it was open."""
    if days:
        return [day.date for day in days]
    span = (forum.ends_on - forum.starts_on).days
    return [forum.starts_on + dt.timedelta(days=offset) for offset in range(span + 1)]


def _state(dates: list[dt.date], today: dt.date) -> tuple[str, dt.date | None]:
    if today in dates:
        return DURING, None
    coming = [date for date in dates if date > today]
    if coming:
        return (BEFORE if today < dates[0] else BETWEEN), coming[0]
    return AFTER, None


def _place_of(places: dict, venue: Venue | None) -> Place:
    if venue is None:
        return places.setdefault(None, Place(name=_("Online")))
    return places.setdefault(venue, Place(name=venue.name, city=venue.city))


def _add(place: Place, event: Event, at: dt.datetime) -> None:
    """``event`` (timed, in start order) into the place's now, or its next if it starts first
    among those to come there."""
    if event.starts_at <= at < event.ends_at:
        place.now.append(event)
    elif event.starts_at > at and (not place.next or event.starts_at == place.next[0].starts_at):
        place.next.append(event)


def _places(events: list[Event], at: dt.datetime) -> list[Place]:
    """Each venue (by city and name; an event held in two at once is in both) and then "Online"
    (online events with no venue), with what is on there now and next; places with neither are
    left out."""
    places: dict[Venue | None, Place] = {}
    for event in events:
        for venue in list(event.venues.all()) or [None]:
            _add(_place_of(places, venue), event, at)
    venues = sorted((v for v in places if v is not None), key=lambda v: (v.city, v.name, v.pk))
    ordered = [places[venue] for venue in venues] + ([places[None]] if None in places else [])
    return [place for place in ordered if place.now or place.next]


def forum_now(*, forum: Forum, at: dt.datetime, preview: bool = False) -> ForumNow:
    """Where ``at`` falls on the forum's calendar and, on one of its days, what is on now and next
    in each venue and online; cancelled events are kept (and marked by the page)."""
    local = at.astimezone(forum.zone)
    state, next_date = _state(_dates(forum, list(forum.days.order_by("date"))), local.date())
    if state != DURING:
        return ForumNow(state=state, at=local, next_date=next_date)
    # Today's and later events: what is on now, and what comes next even if tomorrow.
    events = list(
        Event.objects.visible(preview=preview)
        .filter(forum=forum, day__date__gte=local.date())
        .defer("video_conference_url")
        .select_related("day")
        .prefetch_related("venues")
        .order_by("starts_at", "number", "pk")
    )
    timed = [event for event in events if event.starts_at and event.ends_at]
    untimed = [event for event in events if not event.starts_at and event.day.date == local.date()]
    return ForumNow(state=state, at=local, places=_places(timed, at), untimed=untimed)

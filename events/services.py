"""Writes across the programme: publishing events, and the next forum from the last (here, not
in forum: it copies events, and forum imports no app above it)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.models import Event, EventKind
from forum.models import Day, Forum, Venue

FORUM_COPIED = ("title", "theme", "host_cities")
DAY_COPIED = ("title",)
VENUE_COPIED = ("name", "city", "address")
EVENT_COPIED = ("title", "description")


def events_set_published(*, events, published: bool):
    """Publish or unpublish; returns (changed events, [(event, why it was refused)])."""
    changed, refused = [], []
    for event in events.select_related("day__forum", "forum"):
        if event.is_published == published:
            refused.append(
                (event, _("already published") if published else _("already unpublished"))
            )
            continue
        event.is_published = published
        try:
            event.full_clean()
        except ValidationError as error:
            refused.append((event, " ".join(error.messages)))
            continue
        event.save(update_fields=["is_published", "updated_at"])
        changed.append(event)
    return changed, refused


def _shift(moment: dt.datetime | None, *, days: dt.timedelta, zone) -> dt.datetime | None:
    """The same hour on the shifted day, in the forum's time zone (not the same UTC instant)."""
    if moment is None:
        return None
    local = moment.astimezone(zone)
    return dt.datetime.combine(local.date() + days, local.time(), tzinfo=zone)


def _translations(names):
    return [f"{name}_{language}" for name in names for language, _n in settings.LANGUAGES]


def _copied(model, source, names, **values):
    """A new, validated and saved row of ``model`` with ``values`` and the translations of
    ``names`` taken from ``source``."""
    copy = model(**values)
    for name in _translations(names):
        setattr(copy, name, getattr(source, name))
    copy.full_clean()
    copy.save()
    return copy


def _next_forum(forum: Forum, starts_on: dt.date) -> Forum:
    new = Forum(number=forum.number + 1, year=starts_on.year)
    errors = {}
    if Forum.objects.filter(number=new.number).exists():
        errors["number"] = _("Forum number %(number)s already exists.") % {"number": new.number}
    if Forum.objects.filter(year=new.year).exists():
        errors["starts_on"] = _("A forum of %(year)s already exists.") % {"year": new.year}
    if errors:
        raise ValidationError(errors)
    return _copied(
        Forum,
        forum,
        FORUM_COPIED,
        number=new.number,
        year=new.year,
        starts_on=starts_on,
        ends_on=forum.ends_on + (starts_on - forum.starts_on),
        format=forum.format,
        time_zone=forum.time_zone,
        is_published=False,
    )


def _next_number(event: Event) -> int | None:
    if event.kind == EventKind.COMMISSION_MEETING and event.number is not None:
        return event.number + 1
    return event.number


@transaction.atomic
def forum_copy_next(*, forum: Forum, starts_on: dt.date) -> Forum:
    """The next edition (number + 1, a draft) from ``forum``: its days shifted to open on
    ``starts_on`` (each keeps its distance from the opening), its venues, its events (times
    shifted alike, unannounced ones stay so) and commission meetings (numbers + 1). Delegates'
    assignments, agreements and private video-conference links are not copied."""
    offset = starts_on - forum.starts_on
    new = _next_forum(forum, starts_on)
    days = {
        day.pk: _copied(Day, day, DAY_COPIED, forum=new, date=day.date + offset)
        for day in forum.days.all()
    }
    venues = {
        venue.pk: _copied(
            Venue,
            venue,
            VENUE_COPIED,
            forum=new,
            kind=venue.kind,
            country=venue.country,
            region_id=venue.region_id,
        )
        for venue in forum.venues.all()
    }
    for event in forum.events.select_related("day").prefetch_related("venues"):
        copy = _copied(
            Event,
            event,
            EVENT_COPIED,
            day=days[event.day_id],
            kind=event.kind,
            number=_next_number(event),
            commission_id=event.commission_id,
            slug=event.slug,
            starts_at=_shift(event.starts_at, days=offset, zone=forum.zone),
            ends_at=_shift(event.ends_at, days=offset, zone=forum.zone),
            format=event.format,
            is_published=False,
        )
        copy.venues.set([venues[venue.pk] for venue in event.venues.all()])
    return new

"""The delegate's personal calendar feed (iCalendar, RFC 5545), built with icalendar."""

import datetime as dt

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from delegates.models import Delegate, Participation
from delegates.selectors import ProgrammeItem, delegate_programme

PRODID = "-//Forum of Regions of Belarus and Russia//Delegate calendar//EN"


def _location(item: ProgrammeItem) -> str:
    assignment = item.assignment
    if assignment.participation == Participation.REMOTE:
        return _("remotely")
    if assignment.venue:
        return f"{assignment.venue.name}, {assignment.venue.city}"
    return "; ".join(f"{venue.name}, {venue.city}" for venue in item.event.venues.all())


def _description(item: ProgrammeItem) -> str:
    lines = [item.event.cancellation_text] if item.event.is_cancelled else []
    lines.append(_("Your role: %(role)s") % {"role": item.assignment.get_role_display()})
    if not item.is_public:
        lines.append(_("Not yet public."))
    if item.event.video_conference_url:
        lines.append(_("Video conference: %(url)s") % {"url": item.event.video_conference_url})
    return "\n".join(lines)


def delegate_calendar(*, delegate: Delegate) -> bytes:
    """The delegate's assignments as an iCalendar file, in the active language."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("My programme: Forum of Regions"))
    stamp = timezone.now().astimezone(dt.UTC)
    for forum_programme in delegate_programme(delegate=delegate):
        for programme_day in forum_programme.days:
            for item in programme_day.items:
                event = item.event
                entry = icalendar.Event()
                entry.add("uid", event.calendar_uid)
                entry.add("dtstamp", stamp)
                entry.add(
                    "summary",
                    f"{event.title} ({item.assignment.get_role_display()})",
                )
                if event.starts_at and event.ends_at:
                    entry.add("dtstart", event.starts_at.astimezone(dt.UTC))
                    entry.add("dtend", event.ends_at.astimezone(dt.UTC))
                else:
                    # Times not announced: the whole day, never a made-up hour.
                    entry.add("dtstart", programme_day.day.date)
                    entry.add("dtend", programme_day.day.date + dt.timedelta(days=1))
                location = _location(item)
                if location:
                    entry.add("location", location)
                entry.add("description", _description(item))
                entry.add("status", event.calendar_status)
                if event.video_conference_url:
                    entry.add("url", event.video_conference_url)
                calendar.add_component(entry)
    return calendar.to_ical()

"""A delegate's own programme as a snapshot to keep, and what changed between two snapshots: the
one rule of "what changed" for the notices the secretariat sends (secretariat.notices) and the
marks on the delegate's page.

A snapshot is ``{event id (text): entry}``, an entry a plain dict (JSON) of what the delegate
knows of that event: its day, hours, venues, format, video-conference link, their role and seat,
whether it is cancelled; with its title and names in every language, so that an event since
deleted or renamed can still be named as it was, in the reader's language.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from delegates.models import Participation, Role
from forum.models import Format

# What makes a change, in the order a notice lists them: each a name and the entry's keys.
TRACKED = (
    ("day", ("day",)),
    ("time", ("starts", "ends")),
    ("venues", ("venues",)),
    ("format", ("format",)),
    ("video", ("video",)),
    ("role", ("role",)),
    ("seat", ("participation", "seat")),
    ("cancelled", ("cancelled",)),
)


def _in_every_language(value) -> dict[str, str]:
    """``value()`` in each language (modeltranslation's fallback included)."""
    texts = {}
    for language in settings.MODELTRANSLATION_LANGUAGES:
        with translation.override(language):
            texts[language] = str(value())
    return texts


class Entries:
    """Makes the entries of assignments, each event's and seat's texts once: a forum's 15,000
    assignments share 120 events and a few venues. ``facts``: events' facts already at hand
    (``event_facts``), by id."""

    def __init__(self, facts: dict[int, dict] | None = None):
        self._events: dict[int, dict] = dict(facts or {})
        self._seats: dict[int, dict[str, str]] = {}

    def of(self, assignment) -> dict:
        """The entry of an assignment whose event's facts were given, or whose event (with its
        forum, day and venues) is at hand; and its seat."""
        facts = self._events.get(assignment.event_id)
        if facts is None:
            facts = self._facts(assignment.event)
        return self._entry(facts, assignment.role, assignment.participation, assignment.venue)

    def make(self, *, event, role: str, participation: str, venue) -> dict:
        return self._entry(self._facts(event), role, participation, venue)

    def _facts(self, event) -> dict:
        facts = self._events.get(event.pk)
        if facts is None:
            facts = self._events[event.pk] = event_facts(event)
        return facts

    def _entry(self, facts: dict, role: str, participation: str, venue) -> dict:
        seat = venue if participation == Participation.IN_PERSON else None
        if seat is not None and seat.pk not in self._seats:
            self._seats[seat.pk] = _in_every_language(lambda: str(seat))
        return {
            **facts,
            "role": role,
            "participation": participation,
            "seat": seat.pk if seat else None,
            "seat_name": self._seats[seat.pk] if seat else None,
        }


def event_facts(event) -> dict:
    """What every entry of an event holds of it, whoever's: the event (with its forum, day and
    venues) at hand."""
    venues = sorted(event.venues.all(), key=lambda venue: venue.pk)
    return {
        "forum": event.forum_id,
        "zone": event.forum.time_zone,
        "title": _in_every_language(lambda: event.title),
        "day": event.day.date.isoformat(),
        "starts": event.starts_at.isoformat() if event.starts_at else None,
        "ends": event.ends_at.isoformat() if event.ends_at else None,
        "venues": [venue.pk for venue in venues],
        "venue_names": _in_every_language(lambda: "; ".join(str(venue) for venue in venues)),
        "format": event.format,
        "video": event.video_conference_url,
        "cancelled": event.is_cancelled,
        "note": _in_every_language(lambda: event.cancellation_note),
    }


def programme_entries(assignments, *, facts: dict[int, dict] | None = None) -> dict[str, dict]:
    """The snapshot of these assignments (one delegate's): ``{event id: entry}``; ``facts`` as
    ``Entries`` takes them."""
    entries = Entries(facts)
    return {str(assignment.event_id): entries.of(assignment) for assignment in assignments}


ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass
class Change:
    """An event of the programme added, removed, or with some of its TRACKED facts changed."""

    event_id: int
    how: str
    before: dict | None
    after: dict | None
    facts: list[str] = field(default_factory=list)

    @property
    def entry(self) -> dict:
        return self.after or self.before


def programme_changes(before: dict[str, dict], after: dict[str, dict]) -> list[Change]:
    """What changed from one snapshot to the other, in the order of the events' days and hours."""
    changes = []
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old is None:
            changes.append(Change(event_id=int(key), how=ADDED, before=None, after=new))
        elif new is None:
            changes.append(Change(event_id=int(key), how=REMOVED, before=old, after=None))
        else:
            facts = [
                name
                for name, keys in TRACKED
                if any(old.get(entry_key) != new.get(entry_key) for entry_key in keys)
            ]
            if facts:
                changes.append(
                    Change(event_id=int(key), how=CHANGED, before=old, after=new, facts=facts)
                )
    return sorted(changes, key=lambda c: (c.entry["day"], c.entry["starts"] or "", c.event_id))


# --- in words, in the active language -------------------------------------------------------


@dataclass
class Line:
    label: str
    before: str
    after: str


@dataclass
class ChangeText:
    """A change as a reader reads it: the event, what happened to it, and each fact before → after
    (for an added event, its facts as they are; for a removed one, as they were)."""

    title: str
    when: str
    headline: str
    lines: list[Line]
    change: Change


def _text(entry: dict, key: str) -> str:
    texts = entry.get(key) or {}
    language = translation.get_language() or settings.LANGUAGE_CODE
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE) or ""


def _day(entry: dict) -> str:
    return date_format(dt.date.fromisoformat(entry["day"]), "j E Y")


def _time(entry: dict) -> str:
    if not entry["starts"]:
        return _("to be announced")
    zone = zoneinfo.ZoneInfo(entry["zone"])
    starts = dt.datetime.fromisoformat(entry["starts"]).astimezone(zone)
    ends = dt.datetime.fromisoformat(entry["ends"]).astimezone(zone)
    return f"{starts:%H:%M}–{ends:%H:%M} ({entry['zone']})"


def _seat(entry: dict) -> str:
    if entry["participation"] == Participation.REMOTE:
        return _("remotely")
    return _text(entry, "seat_name") or str(Participation.IN_PERSON.label)


def _cancelled(entry: dict) -> str:
    if not entry["cancelled"]:
        return _("on the programme")
    note = _text(entry, "note")
    return _("cancelled: %(note)s") % {"note": note} if note else _("cancelled")


FACTS = {
    "day": (lambda: _("Day"), _day),
    "time": (lambda: _("Time"), _time),
    "venues": (lambda: _("Venue"), lambda entry: _text(entry, "venue_names") or "—"),
    "format": (lambda: _("Format"), lambda entry: str(Format(entry["format"]).label)),
    "video": (lambda: _("Video conference"), lambda entry: entry["video"] or _("no link")),
    "role": (lambda: _("Your role"), lambda entry: str(Role(entry["role"]).label)),
    "seat": (lambda: _("Your seat"), _seat),
    "cancelled": (lambda: _("State"), _cancelled),
}
# What an added or removed event is told by.
SUMMARY = ("time", "venues", "role", "seat")


def change_text(change: Change) -> ChangeText:
    """The change in words, in the active language."""
    entry = change.entry
    if change.how == CHANGED:
        headline = _("Cancelled") if "cancelled" in change.facts and entry["cancelled"] else ""
        facts = change.facts
    else:
        headline = _("New in your programme") if change.how == ADDED else _("No longer yours")
        facts = SUMMARY
    lines = []
    for name in facts:
        label, value = FACTS[name]
        before = value(change.before) if change.before else ""
        after = value(change.after) if change.after else ""
        lines.append(Line(label=label(), before=before, after=after))
    return ChangeText(
        title=_text(entry, "title"),
        when=_day(entry),
        headline=headline,
        lines=lines,
        change=change,
    )

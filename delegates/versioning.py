"""The version of what a delegate's own programme shows, read in one query: the
rendered programme of their page is kept under it (delegates.page), as a forum's public pages are
kept under the forum's version (public.versioning, which this app may not import).

``SHOWN`` is the one list of what the programme shows, each as the rows of one delegate (``of``)
measured by newest ``updated_at`` (or id, for a many-to-many table) and, where rows come and go,
their count. A write through ``save()`` moves an ``updated_at``; an insertion or deletion moves a
count. ``update()`` without ``updated_at`` goes unseen, as for the public version.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.db.models import OuterRef, QuerySet

from delegates.access import documents_of_delegate
from delegates.models import Assignment, Delegate
from documents.models import DocumentFile
from events.models import Event
from forum.measures import newest_and_count
from forum.models import Day, Forum, Venue


@dataclass(frozen=True)
class Shown:
    name: str
    # The rows of the delegate given as an expression (an OuterRef to the delegate's row).
    of: Callable[[object], QuerySet]
    newest: str = "updated_at"
    count: bool = True


def _documents(delegate) -> QuerySet:
    # The access rule itself (delegates.access), one query level further down than ``delegate``.
    return documents_of_delegate(delegate=_deeper(delegate))


def _deeper(delegate):
    return OuterRef(delegate) if isinstance(delegate, OuterRef) else delegate


SHOWN = (
    # Everyone's places in the delegate's events, theirs included (role, seat; the others).
    Shown("assignments", lambda d: Assignment.objects.filter(event__assignments__delegate=d)),
    Shown(
        "delegates",
        lambda d: Delegate.objects.filter(assignments__event__assignments__delegate=d),
        count=False,
    ),
    Shown("events", lambda d: Event.objects.filter(assignments__delegate=d), count=False),
    Shown(
        "event_venues",
        lambda d: Event.venues.through.objects.filter(event__assignments__delegate=d),
        newest="pk",
    ),
    Shown("days", lambda d: Day.objects.filter(events__assignments__delegate=d), count=False),
    Shown("forums", lambda d: Forum.objects.filter(events__assignments__delegate=d), count=False),
    # Their forums' venues: those of their events and their own seats among them.
    Shown(
        "venues",
        lambda d: Venue.objects.filter(forum__events__assignments__delegate=d),
        count=False,
    ),
    Shown("documents", _documents),
    Shown("files", lambda d: DocumentFile.objects.filter(document__in=_documents(_deeper(d)))),
)


@cache
def _measures() -> dict:
    # Built once a process, as public.versioning's: annotate() resolves a copy.
    measures = {}
    for shown in SHOWN:
        measured = newest_and_count(
            shown.of(OuterRef("pk")), newest=shown.newest, count=shown.count
        )
        measures.update({f"shown_{shown.name}_{kind}": value for kind, value in measured.items()})
    return measures


def delegate_programme_version(*, delegate: Delegate) -> str:
    """A short hash of what the delegate's programme shows, read in one query."""
    measures = _measures()
    rows = Delegate.objects.filter(pk=delegate.pk).annotate(**measures)
    values = rows.values_list(*measures).get()
    return hashlib.sha256("|".join(map(str, values)).encode()).hexdigest()[:16]

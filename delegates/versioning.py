"""The version of what a delegate's own programme shows, and of each of its events and forums, read
in one query: the rendered programme of their page is kept under the first (delegates.page), the
parts every delegate of an event or forum shares under the others (delegates.parts), as a forum's
public pages and parts are kept under its and its events' versions (public.versioning, which this
app may not import).

``SHOWN`` is the one list of what the programme shows: each table's rows of one of the delegate's
events or forums, measured by newest ``updated_at`` (or id, for a many-to-many table) and, where
rows come and go, their count. A write through ``save()`` moves an ``updated_at``; an insertion or
deletion moves a count. ``update()`` without ``updated_at`` goes unseen, as for the public version.
"""

import hashlib
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from delegates.models import Assignment, Delegate
from documents.models import Document, DocumentFile
from events.models import Event
from forum.measures import measured_groups, union_of
from forum.models import Day, Forum, Venue

EVENT, FORUM = "event", "forum"


@dataclass(frozen=True)
class Shown:
    """The rows of ``model`` of one of the delegate's events or forums (``of``): ``to`` leads
    from a row to that event's or forum's id; ``where`` narrows the rows further."""

    model: type
    of: str
    to: str
    newest: str = "updated_at"
    count: bool = True
    where: Q | None = None


SHOWN = (
    # Each of their events: itself, its forum (time zone, published or not), day and venues,
    # everyone's places in it (role, seat; the delegate's own included) and those people's
    # names, its documents and their files.
    Shown(Event, EVENT, "pk", count=False),
    Shown(Forum, EVENT, "events__id", count=False),
    Shown(Day, EVENT, "events__id", count=False),
    Shown(Event.venues.through, EVENT, "event_id", newest="pk"),
    Shown(Venue, EVENT, "events__id", count=False),
    Shown(Assignment, EVENT, "event_id"),
    Shown(Assignment, EVENT, "event_id", newest="delegate__updated_at", count=False),
    Shown(Document, EVENT, "event_id"),
    Shown(DocumentFile, EVENT, "document__event_id"),
    # Each of their forums: itself, its venues (their own seats among them), the documents of
    # the whole forum and their files.
    Shown(Forum, FORUM, "pk", count=False),
    Shown(Venue, FORUM, "forum_id"),
    Shown(Document, FORUM, "forum_id", where=Q(event__isnull=True)),
    Shown(DocumentFile, FORUM, "document__forum_id", where=Q(document__event__isnull=True)),
)

# The ids of the delegate's events and forums, named once in the query (``_query``).
_OF = {EVENT: "SELECT event_id FROM mine", FORUM: "SELECT forum_id FROM forums"}


def _member(shown: Shown) -> QuerySet:
    rows = shown.model._default_manager.filter(**{f"{shown.to}__in": RawSQL(_OF[shown.of], ())})
    if shown.where is not None:
        rows = rows.filter(shown.where)
    return measured_groups(rows, group=F(shown.to), newest=shown.newest, count=shown.count)


@cache
def _query() -> tuple[str, tuple]:
    """The query of every measure, its first parameter the delegate's id: built once a process,
    as public.versioning's (building it costs more than running it)."""
    mine = Assignment.objects.filter(delegate_id=0).order_by().values("event_id")
    events = Event.objects.filter(pk__in=RawSQL(_OF[EVENT], ())).order_by()
    forums = events.values("forum_id").distinct()
    (mine_sql, mine_params), (forums_sql, forums_params) = (
        mine.query.sql_with_params(),
        forums.query.sql_with_params(),
    )
    sql, params = union_of([((position,), _member(shown)) for position, shown in enumerate(SHOWN)])
    assert mine_params == (0,)
    return (
        f"WITH mine (event_id) AS ({mine_sql}), forums (forum_id) AS ({forums_sql}) {sql}",
        (*forums_params, *params),
    )


@dataclass(frozen=True)
class ProgrammeVersions:
    """The version of a delegate's whole programme, and of each of its events and forums by id
    (16 hex digits each)."""

    whole: str
    events: dict[int, str]
    forums: dict[int, str]


def _hashed(parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def delegate_programme_versions(*, delegate: Delegate) -> ProgrammeVersions:
    """The versions of what the delegate's programme shows, read in one query."""
    sql, params = _query()
    with connection.cursor() as cursor:
        cursor.execute(sql, (delegate.pk, *params))
        rows = cursor.fetchall()
    measures: dict[tuple[str, int], dict[int, tuple]] = {}
    for position, unit, newest_at, newest_id, count in rows:
        of = SHOWN[position].of
        measures.setdefault((of, unit), {})[position] = (newest_at, newest_id, count)
    versions: dict[str, dict[int, str]] = {EVENT: {}, FORUM: {}}
    for (of, unit), measured in measures.items():
        # A table with no rows of this event or forum has no group: no newest, no count.
        positions = [position for position, shown in enumerate(SHOWN) if shown.of == of]
        versions[of][unit] = _hashed([unit, *(measured.get(p) for p in positions)])
    units = sorted((of, unit, version) for of in versions for unit, version in versions[of].items())
    return ProgrammeVersions(whole=_hashed(units), events=versions[EVENT], forums=versions[FORUM])

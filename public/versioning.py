"""The programme version of a forum and of each of its events, all read in one SQL query
(README: "The programme version"). ``COVERED`` is the one list of what a version covers: the
measures here and the receivers that keep cached versions current (public.apps) both read it."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache

from django.db import connection, models
from django.db.models import BigIntegerField, Count, F, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from agreements.models import Agreement, Party
from delegates.models import Assignment, Delegate
from documents.models import Document, DocumentFile
from events.models import Commission, Event
from forum.measures import measured_groups, newest_and_count, union_of
from forum.models import Day, Forum, Region, Venue


@dataclass(frozen=True)
class Covered:
    """A table the forum's public pages show: its rows of the forum (``to_forum``, a lookup; None
    for reference data, all rows), measured by newest ``updated_at`` and/or row count.

    A many-to-many table has no ``updated_at``: its largest id moves instead (ids are never
    reused, and Django never updates a through row in place).

    ``to_event`` leads from the table to an event: its rows that one event's parts of a page
    show (the event's version, ``event_versions``); None for a table every event shares.
    ``to_agreement`` leads likewise to an agreement: its rows a registry row shows
    (``agreement_versions``); None for a table no row shows."""

    model: type[models.Model]
    to_forum: str | None
    newest: str = "updated_at"
    count: bool = True
    to_event: str | None = None
    to_agreement: str | None = None

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def measured_whole(self) -> bool:
        """Whether the forum's measures are read on their own rather than summed up from its
        events' (and from its rows of no event): so for a table every event shares, and for a
        counted one whose row may belong to several events (a day, a venue)."""
        return self.to_event is None or (self.count and _leads_to_many(self))


def _leads_to_many(table: Covered) -> bool:
    model = table.model
    for name in table.to_event.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


COVERED = (
    Covered(Day, "forum", to_event="events"),
    Covered(Venue, "forum", to_event="events"),
    Covered(Region, None, to_agreement="parties__agreement"),
    # The count too: a deleted event leaves its agreements (SET_NULL moves no updated_at).
    Covered(Event, "forum", to_event="pk", to_agreement="agreements"),
    Covered(Event.venues.through, "event__forum", newest="pk", to_event="event"),
    Covered(Commission, "meetings__forum", count=False, to_event="meetings"),
    Covered(Assignment, "event__forum", to_event="event"),
    Covered(Delegate, "assignments__event__forum", count=False, to_event="assignments__event"),
    Covered(Agreement, "forum", to_event="event", to_agreement="pk"),
    Covered(Party, "agreement__forum", to_event="agreement__event", to_agreement="agreement"),
    Covered(Document, "forum", to_event="event"),
    Covered(DocumentFile, "document__forum", to_event="document__event"),
)

# The forum's own row, measured with the rest: a version read for a forum at hand is current.
_FORUM = Covered(Forum, "pk", count=False)


def _names(tables=COVERED) -> list[str]:
    """The names of the measures of ``tables``, sorted (the order a version is hashed in)."""
    names = [f"v_{table.name}_newest" for table in tables]
    return sorted(names + [f"v_{table.name}_count" for table in tables if table.count])


def _member(table: Covered, *, forum_pk: int, by_event: bool) -> QuerySet:
    """The table's rows of the forum measured together, or for each event apart (``by_event``;
    rows of no event together under None)."""
    rows = table.model._default_manager.order_by()
    if table.to_forum:
        rows = rows.filter(**{table.to_forum: forum_pk})
    group = F(table.to_event) if by_event else Cast(Value(None), BigIntegerField())
    return measured_groups(rows, group=group, newest=table.newest, count=table.count)


@lru_cache(maxsize=64)
def _measures_sql(forum_pk: int) -> tuple[str, tuple]:
    """One query of every measure of a forum and of its events: per table, its rows grouped by
    event; each row (table's position, measured whole, event, newest time, newest id, count).
    Built once a process for each forum: building it costs more than running it."""
    members = []
    for position, table in enumerate((_FORUM, *COVERED)):
        members_of = [False] if table.measured_whole else []
        members_of += [True] if table.to_event else []
        for by_event in members_of:
            member = _member(table, forum_pk=forum_pk, by_event=by_event)
            members.append(((position, 0 if by_event else 1), member))
    return union_of(members)


@dataclass(frozen=True)
class Measured:
    """A forum's measures and each of its events' (by id), by name, read at one moment."""

    forum: dict
    events: dict


def measure(forum_pk: int) -> Measured:
    """The measures of a forum and of each of its events (one query).

    The forum's measures of a table are summed up from its events' groups and its rows of no
    event where each row belongs to one event at most (``Covered.measured_whole``): the rows of
    an event are those of the event's forum (the forms and the import keep an agreement's or a
    document's forum that of its event)."""
    sql, params = _measures_sql(forum_pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    tables = (_FORUM, *COVERED)
    forum: dict = {}
    events: dict = {}
    summed: dict = {}
    for position, whole, event, newest_at, newest_id, count in rows:
        table = tables[position]
        newest = newest_id if table.newest == "pk" else _as_datetime(newest_at)
        measures = {f"v_{table.name}_newest": newest}
        if table.count:
            measures[f"v_{table.name}_count"] = count
        if whole:
            forum.update(measures)
            continue
        if event is not None:
            events.setdefault(event, {}).update(measures)
        if not table.measured_whole:
            summed.setdefault(table, []).append((newest, count))
    for table, groups in summed.items():
        forum[f"v_{table.name}_newest"] = max(
            (newest for newest, _count in groups if newest is not None), default=None
        )
        if table.count:
            forum[f"v_{table.name}_count"] = sum(count for _newest, count in groups)
    # No rows: no group, and no newest (as MAX and COUNT of no rows read).
    for table in tables:
        forum.setdefault(f"v_{table.name}_newest", None)
        if table.count:
            forum.setdefault(f"v_{table.name}_count", 0)
    return Measured(forum=forum, events=events)


def _as_text(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _hashed(parts: list[str]) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def version_of(forum_pk: int, measured: Measured) -> str:
    """The version of a forum: 16 hex digits."""
    parts = [str(forum_pk), _as_text(measured.forum[f"v_{_FORUM.name}_newest"])]
    parts += [f"{name}={_as_text(measured.forum[name])}" for name in _names()]
    return _hashed(parts)


def last_change_of(measured: Measured) -> datetime:
    """The newest ``updated_at`` among the forum and its rows (deletions move none)."""
    stamps = [
        measured.forum[f"v_{table.name}_newest"]
        for table in (_FORUM, *COVERED)
        if table.newest != "pk"
    ]
    return max(stamp for stamp in stamps if isinstance(stamp, datetime))


def versions_of_events(measured: Measured) -> dict[int, str]:
    """The version of each event of the forum, by id. An event's version moves with its own
    rows of every ``COVERED`` table that has a ``to_event``, and with the forum's version of the
    tables every event shares: a change to one event moves that event's version alone."""
    per_event = tuple(table for table in COVERED if table.to_event)
    shared = [_as_text(measured.forum[f"v_{_FORUM.name}_newest"])] + [
        f"{name}={_as_text(measured.forum[name])}"
        for name in _names(tuple(table for table in COVERED if not table.to_event))
    ]
    # An event with no rows of a table has no group: no newest, no rows.
    nothing = {name: 0 if name.endswith("_count") else None for name in _names(per_event)}
    event_table = f"v_{Event._meta.db_table}_newest"
    versions = {}
    for pk, measures in measured.events.items():
        # Events themselves are grouped by id: a group of another table alone is no event.
        if event_table in measures:
            measures = {**nothing, **measures}
            measured_parts = [f"{name}={_as_text(measures[name])}" for name in _names(per_event)]
            versions[pk] = _hashed([str(pk), *shared, *measured_parts])
    return versions


def forum_with_version(*, year: int, preview: bool = False) -> Forum | None:
    """The forum of a year this reader may see, with ``programme_version``,
    ``programme_changed_at`` and its events' versions (``event_versions`` reads them), in two
    queries; None when there is none."""
    forum = Forum.objects.visible(preview=preview).filter(year=year).first()
    if forum is not None:
        measured = measure(forum.pk)
        forum.programme_version = version_of(forum.pk, measured)
        forum.programme_changed_at = last_change_of(measured)
        forum.programme_event_versions = versions_of_events(measured)
    return forum


def event_versions(*, forum: Forum) -> list[tuple[int, int, str]]:
    """(event id, day id, version) of each published event of a forum from
    ``forum_with_version``, in programme order, in one query: the versions were read with the
    forum's (for a forum from elsewhere, they are read first: one query more)."""
    versions = getattr(forum, "programme_event_versions", None)
    if versions is None:
        versions = versions_of_events(measure(forum.pk))
    rows = Event.objects.visible(preview=False).filter(forum=forum).values_list("pk", "day_id")
    # An event made since the versions were read is not in this version of the forum.
    return [(pk, day_id, versions[pk]) for pk, day_id in rows if pk in versions]


@cache
def _agreement_measures() -> tuple[tuple[str, ...], dict[str, Subquery]]:
    # As _measures, once a process, along each table's ``to_agreement``.
    tables = tuple(table for table in COVERED if table.to_agreement)
    measures = {}
    for table in tables:
        rows = table.model._default_manager.order_by().filter(
            **{table.to_agreement: OuterRef("pk")}
        )
        measured = newest_and_count(rows, newest=table.newest, count=table.count)
        measures.update({f"v_{table.name}_{kind}": value for kind, value in measured.items()})
    return tuple(_names(tables)), measures


def agreement_versions(agreements: QuerySet) -> list[tuple[int, None, str]]:
    """(agreement id, None, version) of each of ``agreements``, in their order, in one query:
    the shape of ``event_versions``, for ``forum.fragments.kept_fragments``. A version moves
    with the agreement's own rows of every ``COVERED`` table that has a ``to_agreement``
    (itself, its parties, their regions, its event) and with its forum's row (its year is in
    the links)."""
    names, measures = _agreement_measures()
    rows = (
        agreements.select_related(None)
        .prefetch_related(None)
        .annotate(**measures)
        .values_list("pk", "forum_id", "forum__updated_at", *names)
    )
    versions = []
    for pk, forum_id, forum_updated_at, *values in rows:
        measured = (f"{name}={_as_text(value)}" for name, value in zip(names, values, strict=True))
        parts = "|".join([str(pk), str(forum_id), _as_text(forum_updated_at), *measured])
        versions.append((pk, None, hashlib.sha256(parts.encode()).hexdigest()[:16]))
    return versions


def appearance_versions(assignments: QuerySet) -> list[tuple[int, int, str]]:
    """(event id, forum id, version) of each event of ``assignments`` (a region's people who
    chaired or spoke), by the event's day and id, in one query: the shape of ``event_versions``,
    for ``forum.fragments.kept_fragments``. A version moves with what a page shows of those
    assignments: their roles and order (their count and newest row), their people, the event,
    its day and its forum (its year is in the links)."""
    event = ("event__updated_at", "event__day__updated_at", "event__forum__updated_at")
    rows = (
        assignments.order_by()
        .values("event_id", "event__forum_id", "event__day__date", *event)
        .annotate(rows=Count("pk"), newest=Max("updated_at"), people=Max("delegate__updated_at"))
        .order_by("event__day__date", "event_id")
        .values_list("event_id", "event__forum_id", *event, "rows", "newest", "people")
    )
    return [
        (pk, forum_id, _hashed([str(pk), str(forum_id), *map(_as_text, measured)]))
        for pk, forum_id, *measured in rows
    ]


def programme_version(*, forum: Forum) -> str:
    """The current version of a forum already at hand (one query)."""
    return version_of(forum.pk, measure(forum.pk))


@dataclass
class SiteVersion:
    """The version of everything the public pages show, for the pages that belong to no single
    forum (statistics, regions, search, the API, the sitemap): the newest ``updated_at`` and the
    row count of the forums and of every ``COVERED`` table, in one query. It stands where
    ``public.caching`` takes a forum, hence the forum's attribute names."""

    programme_version: str
    programme_changed_at: datetime
    # Each measure's value, in ``_site_measures``' order (``figures_version``).
    measured: tuple = ()
    pk: str = "site"
    version_read: tuple | None = None
    programme_last_modified: int | None = None


# What the pages of figures (statistics, the regions list) never read of an event: its texts and
# links (each language's too), hence nor when it was last saved. They count events by edition,
# kind and publication; the secretariat's edits during a forum are mostly texts, times and links.
FIGURES_SKIP = (
    "title",
    "description",
    "cancellation_note",
    "video_conference_url",
    "broadcast_url",
    "updated_at",
)


def _site_measures() -> list[tuple[str, str, str]]:
    """(table, measure, SQL) of each measure of the site version."""
    tables = [Covered(Forum, None), *COVERED]
    measures = []
    for table in tables:
        name = connection.ops.quote_name(table.name)
        field = (
            table.model._meta.pk
            if table.newest == "pk"
            else table.model._meta.get_field(table.newest)
        )
        newest = connection.ops.quote_name(field.column)
        measures.append((table.name, table.newest, f"(SELECT MAX({newest}) FROM {name})"))
        measures.append((table.name, "count", f"(SELECT COUNT(*) FROM {name})"))
    return measures


def figures_version(site: "SiteVersion") -> str:
    """The version of what the pages of figures read: the ``site`` version's measures but the
    events' newest ``updated_at``, and in its place every event's fields that they may read (all
    but ``FIGURES_SKIP``), one query. The site version itself for one read by a release that
    measured other tables (a rolling restart shares the cache)."""
    measures = _site_measures()
    if len(site.measured) != len(measures):
        return site.programme_version
    events = Event._meta.db_table
    kept = [
        value
        for (table, kind, _sql), value in zip(measures, site.measured, strict=True)
        if not (table == events and kind == "updated_at")
    ]
    fields = [
        field.attname
        for field in Event._meta.concrete_fields
        if not field.name.startswith(FIGURES_SKIP)
    ]
    rows = Event._base_manager.order_by("pk").values_list(*fields)
    text = "|".join(_as_text(value) for value in [*kept, *(v for row in rows for v in row)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _as_datetime(value) -> datetime | None:
    # SQLite hands raw SQL's datetimes back as text (UTC); PostgreSQL as aware datetimes.
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value if isinstance(value, datetime) else None


def site_version() -> SiteVersion:
    """The current site version (one query)."""
    measures = _site_measures()
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sql for _table, _kind, sql in measures))
        values = cursor.fetchone()
    text = "|".join(_as_text(value) for value in values)
    stamps = [
        _as_datetime(value)
        for (_table, kind, _sql), value in zip(measures, values, strict=True)
        if kind == "updated_at"
    ]
    changed = max(
        (stamp for stamp in stamps if stamp is not None),
        default=datetime(2014, 1, 1, tzinfo=UTC),
    )
    return SiteVersion(
        programme_version=hashlib.sha256(text.encode()).hexdigest()[:16],
        programme_changed_at=changed,
        measured=tuple(values),
    )

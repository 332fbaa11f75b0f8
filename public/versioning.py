"""The programme version of a forum, read with the forum in one SQL query (README: "The
programme version"). ``COVERED`` is the one list of what a version covers: the measures here and
the receivers that keep cached versions current (public.apps) both read it."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from django.db import connection, models
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from agreements.models import Agreement, Party
from delegates.models import Assignment, Delegate
from documents.models import Document, DocumentFile
from events.models import Commission, Event
from forum.measures import newest_and_count
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


def _rows(table: Covered, to: str | None) -> QuerySet:
    rows = table.model._default_manager.order_by()
    return rows.filter(**{to: OuterRef("pk")}) if to else rows


def _names(tables=COVERED) -> list[str]:
    """The names of the measures of ``tables``, sorted (the order a version is hashed in)."""
    names = [f"v_{table.name}_newest" for table in tables]
    return sorted(names + [f"v_{table.name}_count" for table in tables if table.count])


@cache
def _measures(tables=COVERED, *, per_event: bool = False) -> dict[str, Subquery]:
    # Built once a process: building the subqueries cost more than running them. annotate()
    # resolves a copy, so the same expressions serve every query.
    measures = {}
    for table in tables:
        rows = _rows(table, table.to_event if per_event else table.to_forum)
        measured = newest_and_count(rows, newest=table.newest, count=table.count)
        measures.update({f"v_{table.name}_{kind}": value for kind, value in measured.items()})
    return measures


def forums_with_version() -> QuerySet:
    """Forums annotated with the measures their programme version is made of."""
    return Forum.objects.annotate(**_measures())


def _as_text(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def version_of(forum: Forum) -> str:
    """The version of a forum from ``forums_with_version()``: 16 hex digits."""
    parts = [str(forum.pk), _as_text(forum.updated_at)]
    parts += [f"{name}={_as_text(getattr(forum, name))}" for name in _names()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def last_change_of(forum: Forum) -> datetime:
    """The newest ``updated_at`` among the forum and its rows (deletions move none)."""
    stamps = [forum.updated_at]
    stamps += [
        getattr(forum, f"v_{table.name}_newest") for table in COVERED if table.newest != "pk"
    ]
    return max(stamp for stamp in stamps if isinstance(stamp, datetime))


def forum_with_version(*, year: int, preview: bool = False) -> Forum | None:
    """The forum of a year this reader may see, with ``programme_version`` and
    ``programme_changed_at``; None when there is none."""
    forum = forums_with_version().visible(preview=preview).filter(year=year).first()
    if forum is not None:
        forum.programme_version = version_of(forum)
        forum.programme_changed_at = last_change_of(forum)
    return forum


def event_versions(*, forum: Forum) -> list[tuple[int, int, str]]:
    """(event id, day id, version) of each published event of a forum from
    ``forum_with_version``, in programme order, in one query. An event's version moves with its
    own rows of every ``COVERED`` table that has a ``to_event``, and with the forum's version of
    the tables every event shares: a change to one event moves that event's version alone."""
    per_event = tuple(table for table in COVERED if table.to_event)
    shared = [_as_text(forum.updated_at)] + [
        f"{name}={_as_text(getattr(forum, name))}"
        for name in _names(tuple(table for table in COVERED if not table.to_event))
    ]
    names = _names(per_event)
    rows = (
        Event.objects.visible(preview=False)
        .filter(forum=forum)
        .annotate(**_measures(per_event, per_event=True))
        .values_list("pk", "day_id", *names)
    )
    versions = []
    for pk, day_id, *values in rows:
        measured = (f"{name}={_as_text(value)}" for name, value in zip(names, values, strict=True))
        parts = "|".join([str(pk), *shared, *measured])
        versions.append((pk, day_id, hashlib.sha256(parts.encode()).hexdigest()[:16]))
    return versions


@cache
def _agreement_measures() -> tuple[tuple[str, ...], dict[str, Subquery]]:
    # As _measures, once a process, along each table's ``to_agreement``.
    tables = tuple(table for table in COVERED if table.to_agreement)
    measures = {}
    for table in tables:
        measured = newest_and_count(
            _rows(table, table.to_agreement), newest=table.newest, count=table.count
        )
        measures.update({f"v_{table.name}_{kind}": value for kind, value in measured.items()})
    return tuple(_names(tables)), measures


def agreement_versions(agreements: QuerySet) -> list[tuple[int, None, str]]:
    """(agreement id, None, version) of each of ``agreements``, in their order, in one query:
    the shape of ``event_versions``, for ``public.fragments.kept_fragments``. A version moves
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


def programme_version(*, forum: Forum) -> str:
    """The current version of a forum already at hand (one query)."""
    return version_of(forums_with_version().get(pk=forum.pk))


@dataclass
class SiteVersion:
    """The version of everything the public pages show, for the pages that belong to no single
    forum (statistics, regions, search, the API, the sitemap): the newest ``updated_at`` and the
    row count of the forums and of every ``COVERED`` table, in one query. It stands where
    ``public.caching`` takes a forum, hence the forum's attribute names."""

    programme_version: str
    programme_changed_at: datetime
    pk: str = "site"
    version_read: tuple | None = None
    programme_last_modified: int | None = None


def _site_measures() -> list[tuple[str, str]]:
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
        measures.append((table.newest, f"(SELECT MAX({newest}) FROM {name})"))
        measures.append(("count", f"(SELECT COUNT(*) FROM {name})"))
    return measures


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
        cursor.execute("SELECT " + ", ".join(sql for _kind, sql in measures))
        values = cursor.fetchone()
    text = "|".join(_as_text(value) for value in values)
    stamps = [
        _as_datetime(value)
        for (kind, _sql), value in zip(measures, values, strict=True)
        if kind == "updated_at"
    ]
    changed = max(
        (stamp for stamp in stamps if stamp is not None),
        default=datetime(2014, 1, 1, tzinfo=UTC),
    )
    return SiteVersion(
        programme_version=hashlib.sha256(text.encode()).hexdigest()[:16],
        programme_changed_at=changed,
    )

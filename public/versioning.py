"""The programme version of a forum, read with the forum in one SQL query (README: "The
programme version"). ``COVERED`` is the one list of what a version covers: the measures here and
the receivers that keep cached versions current (public.apps) both read it."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery

from agreements.models import Agreement, Party
from delegates.models import Assignment, Delegate
from documents.models import Document, DocumentFile
from events.models import Commission, Event
from forum.models import Day, Forum, Region, Venue


@dataclass(frozen=True)
class Covered:
    """A table the forum's public pages show: its rows of the forum (``to_forum``, a lookup; None
    for reference data, all rows), measured by newest ``updated_at`` and/or row count.

    A many-to-many table has no ``updated_at``: its largest id moves instead (ids are never
    reused, and Django never updates a through row in place)."""

    model: type[models.Model]
    to_forum: str | None
    newest: str = "updated_at"
    count: bool = True

    @property
    def name(self) -> str:
        return self.model._meta.db_table


COVERED = (
    Covered(Day, "forum"),
    Covered(Venue, "forum"),
    Covered(Region, None),
    Covered(Event, "forum"),
    Covered(Event.venues.through, "event__forum", newest="pk"),
    Covered(Commission, "meetings__forum", count=False),
    Covered(Assignment, "event__forum"),
    Covered(Delegate, "assignments__event__forum", count=False),
    Covered(Agreement, "forum"),
    Covered(Party, "agreement__forum"),
    Covered(Document, "forum"),
    Covered(DocumentFile, "document__forum"),
)


def _rows(table: Covered) -> QuerySet:
    rows = table.model._default_manager.order_by()
    return rows.filter(**{table.to_forum: OuterRef("pk")}) if table.to_forum else rows


def _measures() -> dict[str, Subquery]:
    # MAX and COUNT as plain functions, not aggregates: Django adds no GROUP BY to a subquery.
    measures = {}
    for table in COVERED:
        rows = _rows(table)
        newest = rows.annotate(v=Func(F(table.newest), function="MAX")).values("v")[:1]
        measures[f"v_{table.name}_newest"] = Subquery(newest)
        if table.count:
            count = Func(F("pk"), function="COUNT", output_field=IntegerField())
            measures[f"v_{table.name}_count"] = Subquery(rows.annotate(v=count).values("v")[:1])
    return measures


def forums_with_version() -> QuerySet:
    """Forums annotated with the measures their programme version is made of."""
    return Forum.objects.annotate(**_measures())


def _as_text(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def version_of(forum: Forum) -> str:
    """The version of a forum from ``forums_with_version()``: 16 hex digits."""
    parts = [str(forum.pk), _as_text(forum.updated_at)]
    parts += [f"{name}={_as_text(getattr(forum, name))}" for name in sorted(_measures())]
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


def programme_version(*, forum: Forum) -> str:
    """The current version of a forum already at hand (one query)."""
    return version_of(forums_with_version().get(pk=forum.pk))

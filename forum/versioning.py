"""The programme version of a forum: a short string that changes whenever its public data does.

It keys the shared cache and the ``ETag``/``Last-Modified`` of the programme, event, registry and
feed responses (see ``forum.caching``). ``forum_with_version()`` reads the forum *and* its version
in one SQL query: the forum row with a few scalar subqueries, one per table and measure.

What it covers, for the forum with primary key F:

* the Forum row itself;
* its days, venues and events (``forum_id = F``);
* the event↔venue many-to-many rows of its events;
* the assignments of its events, the delegates named in them and the commissions of its events;
* its agreements and their parties;
* the regions (reference data shown with venues and parties).

For each table it takes ``max(updated_at)`` (every model has an ``auto_now`` field, so an edit
through ``save()`` moves it) and ``count(*)`` (a deletion lowers the count even though no row left
behind has changed). The many-to-many table has no ``updated_at``, and changing an event's venues
does not touch the event's own ``updated_at``; for it the version takes the row count and the
largest row id: an added row raises the count, a removed one lowers it, and a swap (one removed,
one added) raises the largest id, since ids are never reused (PostgreSQL sequences, SQLite
AUTOINCREMENT). Django never updates a through row in place.

Writing to the database directly: ``QuerySet.update()``, ``bulk_update()`` and raw SQL do NOT set
``auto_now`` fields, so an edit made that way is invisible to the version until something else
changes. Write through ``save()`` (the admin, services, imports do), or also set
``updated_at=timezone.now()`` in the same ``update()``, or call ``forum.save()`` afterwards.
Deletions and insertions of any kind are always seen (the counts).
"""

import hashlib
from datetime import datetime

from django.apps import apps
from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery

from forum.models import Forum


def _max(queryset: QuerySet, field: str = "updated_at") -> Subquery:
    # MAX as a plain function, not an aggregate, so Django adds no GROUP BY to the subquery.
    return Subquery(queryset.order_by().annotate(v=Func(F(field), function="MAX")).values("v")[:1])


def _count(queryset: QuerySet) -> Subquery:
    return Subquery(
        queryset.order_by()
        .annotate(v=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("v")[:1]
    )


def _measures() -> dict[str, Subquery]:
    """The subqueries of the version, named; each one is correlated to the outer forum row."""
    # forum is the base app: the apps built on it are looked up by name so imports point one way.
    event_model = apps.get_model("events", "Event")
    day = apps.get_model("forum", "Day").objects.filter(forum=OuterRef("pk"))
    venue = apps.get_model("forum", "Venue").objects.filter(forum=OuterRef("pk"))
    region = apps.get_model("forum", "Region").objects.all()
    event = event_model.objects.filter(forum=OuterRef("pk"))
    event_venue = event_model.venues.through.objects.filter(event__forum=OuterRef("pk"))
    commission = apps.get_model("events", "Commission").objects.filter(
        meetings__forum=OuterRef("pk")
    )
    assignment = apps.get_model("delegates", "Assignment").objects.filter(
        event__forum=OuterRef("pk")
    )
    delegate = apps.get_model("delegates", "Delegate").objects.filter(
        assignments__event__forum=OuterRef("pk")
    )
    agreement = apps.get_model("agreements", "Agreement").objects.filter(forum=OuterRef("pk"))
    party = apps.get_model("agreements", "Party").objects.filter(agreement__forum=OuterRef("pk"))
    return {
        "v_day_max": _max(day),
        "v_day_count": _count(day),
        "v_venue_max": _max(venue),
        "v_venue_count": _count(venue),
        "v_region_max": _max(region),
        "v_region_count": _count(region),
        "v_event_max": _max(event),
        "v_event_count": _count(event),
        "v_event_venue_max_id": _max(event_venue, "pk"),
        "v_event_venue_count": _count(event_venue),
        "v_commission_max": _max(commission),
        "v_assignment_max": _max(assignment),
        "v_assignment_count": _count(assignment),
        "v_delegate_max": _max(delegate),
        "v_agreement_max": _max(agreement),
        "v_agreement_count": _count(agreement),
        "v_party_max": _max(party),
        "v_party_count": _count(party),
    }


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
    """The latest ``updated_at`` among the forum and its programme rows (deletions aside)."""
    stamps = [forum.updated_at]
    stamps += [
        getattr(forum, name)
        for name in _measures()
        if name.endswith("_max") and name != "v_event_venue_max_id"
    ]
    return max(stamp for stamp in stamps if isinstance(stamp, datetime))


def forum_with_version(*, year: int, include_drafts: bool = False) -> Forum | None:
    """The forum of a year with ``programme_version`` and ``programme_changed_at``, in one query.

    Only a published forum unless ``include_drafts`` (staff previewing); None when there is none.
    """
    forums = forums_with_version().filter(year=year)
    if not include_drafts:
        forums = forums.filter(is_published=True)
    forum = forums.first()
    if forum is not None:
        forum.programme_version = version_of(forum)
        forum.programme_changed_at = last_change_of(forum)
    return forum


def programme_version(*, forum: Forum) -> str:
    """The current version of a forum already at hand (one query)."""
    return version_of(forums_with_version().get(pk=forum.pk))

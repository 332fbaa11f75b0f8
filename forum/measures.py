"""How a version measures rows: the newest value of a column, and how many there are, each as a
subquery to annotate the owner with (public.versioning: an agreement's rows) or as aggregates of
grouped rows, many groups in one query (public.versioning: a forum's rows, by event;
delegates.versioning: a delegate's events' and forums' rows)."""

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Max,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast


def newest_and_count(rows: QuerySet, *, newest: str, count: bool) -> dict[str, Subquery]:
    """``{"newest": …}`` and, with ``count``, ``{"count": …}`` over ``rows``."""
    # MAX and COUNT as plain functions, not aggregates: Django adds no GROUP BY to a subquery.
    rows = rows.order_by()
    measures = {
        "newest": Subquery(rows.annotate(v=Func(F(newest), function="MAX")).values("v")[:1])
    }
    if count:
        total = Func(F("pk"), function="COUNT", output_field=IntegerField())
        measures["count"] = Subquery(rows.annotate(v=total).values("v")[:1])
    return measures


def newest_and_count_of_groups(*, newest: str, count: bool) -> dict:
    """The same measures as aggregates, for rows grouped by ``values()``."""
    measures = {"newest": Max(newest)}
    if count:
        measures["count"] = Count("pk")
    return measures


# The columns of a member of a union of measures (``measured_groups``), in order.
GROUP_COLUMNS = ("of", "newest_at", "newest_id", "rows")


def measured_groups(rows: QuerySet, *, group, newest: str, count: bool) -> QuerySet:
    """``rows`` measured per group (``group``, an expression of the group's id) in the columns
    of ``GROUP_COLUMNS``: the group, its newest time (NULL when measured by id), its largest id
    (NULL when measured by time), its number of rows (NULL without ``count``); of the same types
    whatever the table, for one query of many (``union_of``)."""
    # Typed NULLs: a UNION takes each column's type from its members.
    no_id, no_time = Cast(Value(None), BigIntegerField()), Cast(Value(None), DateTimeField())
    measured = newest_and_count_of_groups(newest=newest, count=count)
    by_id = newest == "pk"
    # annotate() before values(): the translated models' manager selects every field otherwise.
    return (
        rows.order_by()
        .annotate(of=group)
        .values("of")
        .annotate(
            newest_at=no_time if by_id else measured["newest"],
            newest_id=measured["newest"] if by_id else no_id,
            rows=measured.get("count", no_id),
        )
    )


def union_of(members: list[tuple[tuple, QuerySet]]) -> tuple[str, tuple]:
    """One query of ``measured_groups`` members: each row the member's ``tags`` (constants, e.g.
    its table's position in a list) then its ``GROUP_COLUMNS``."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in GROUP_COLUMNS)
    parts, params = [], []
    for index, (tags, member) in enumerate(members):
        sql, member_params = member.query.sql_with_params()
        constants = "".join(f"{int(tag)}, " for tag in tags)
        parts.append(f"SELECT {constants}{columns} FROM ({sql}) m{index}")
        params += member_params
    return " UNION ALL ".join(parts), tuple(params)

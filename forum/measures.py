"""How a version measures rows: the newest value of a column, and how many there are, each as a
subquery to annotate the owner with (delegates.versioning for a delegate's own programme) or as
aggregates of grouped rows (public.versioning: a forum's rows, by event)."""

from django.db.models import Count, F, Func, IntegerField, Max, QuerySet, Subquery


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

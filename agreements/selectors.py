"""Reads of the public agreement registry; each owns its prefetches."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum

from agreements.models import Agreement, Party, Status
from forum.models import Forum, Region


def _parties():
    # select_related: each party shows its region's name.
    return Party.objects.select_related("region").order_by("order", "pk")


def public_agreements_prefetch(lookup: str = "agreements") -> Prefetch:
    """The public agreements of an event (or forum), with their parties."""
    return Prefetch(
        lookup,
        queryset=Agreement.objects.public()
        .prefetch_related(Prefetch("parties", queryset=_parties()))
        .order_by("registry_number"),
    )


def registry_agreements(
    *, forum: Forum, kind: str = "", status: str = "", country: str = "", region: str = ""
):
    """The forum's public agreements that match the filters, each with its parties."""
    agreements = forum.agreements.filter(is_public=True)
    if kind:
        agreements = agreements.filter(kind=kind)
    if status:
        agreements = agreements.filter(status=status)
    if country or region:
        parties = Party.objects.filter(agreement=OuterRef("pk"))
        if country:
            parties = parties.filter(country=country)
        if region:
            parties = parties.filter(region__code=region)
        agreements = agreements.filter(Exists(parties))
    # select_related: the event it was signed at is named beside each agreement.
    return (
        agreements.select_related("event")
        .prefetch_related(Prefetch("parties", queryset=_parties()))
        .order_by("registry_number")
    )


def registry_counts(*, forum: Forum) -> dict[str, int]:
    """Signed and planned public agreements of the forum in the registry."""
    return forum.agreements.filter(is_public=True).aggregate(
        signed=Count("pk", filter=Q(status=Status.SIGNED)),
        planned=Count("pk", filter=Q(status=Status.PLANNED)),
        total=Count("pk"),
    )


def registry_totals(agreements) -> list[dict]:
    """The summed value of the given agreements per currency (those with a value)."""
    return list(
        agreements.filter(value__isnull=False)
        .order_by()
        .values("currency")
        .annotate(total=Sum("value"), count=Count("pk"))
        .order_by("currency")
    )


def registry_regions(*, forum: Forum):
    """The regions that parties of the forum's public agreements come from, for the filter."""
    parties = Party.objects.filter(
        region=OuterRef("pk"), agreement__forum=forum, agreement__is_public=True
    )
    return Region.objects.filter(Exists(parties)).order_by("country", "name")

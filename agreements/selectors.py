"""Reads of the agreement registry; each owns its prefetches."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum

from agreements.models import Agreement, Party, Status
from events.models import Event
from forum.models import Forum, Region


def parties_prefetch(lookup: str = "parties") -> Prefetch:
    # select_related: each party shows its region's name.
    return Prefetch(lookup, queryset=Party.objects.select_related("region").order_by("order", "pk"))


def _registry(*, forum: Forum, preview: bool):
    return Agreement.objects.visible(preview=preview).filter(forum=forum)


def registry_agreements(
    *,
    forum: Forum,
    preview: bool = False,
    kind: str = "",
    status: str = "",
    country: str = "",
    region: str = "",
):
    """The forum's agreements this reader may see that match the filters, with their parties;
    ``event_is_visible`` says whether the event it was signed at may be named."""
    return agreements_matching(
        preview=preview, forum=forum, kind=kind, status=status, country=country, region=region
    ).order_by("registry_number")


def agreements_matching(
    *,
    preview: bool = False,
    forum: Forum | None = None,
    kind: str = "",
    status: str = "",
    country: str = "",
    region: str = "",
):
    """The registry's filters across every edition (or one ``forum``): what the registry, a
    region's page and the open-data API list, with the parties and the event they name."""
    agreements = Agreement.objects.visible(preview=preview)
    if forum is not None:
        agreements = agreements.filter(forum=forum)
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
    visible_events = Event.objects.visible(preview=preview).filter(pk=OuterRef("event_id"))
    # select_related: the forum (its year) and the event it was signed at name each agreement.
    return (
        agreements.select_related("forum", "event")
        .annotate(event_is_visible=Exists(visible_events))
        .prefetch_related(parties_prefetch())
        .order_by("forum__year", "registry_number")
    )


def registry_counts(*, forum: Forum, preview: bool = False) -> dict[str, int]:
    """Signed and planned agreements of the forum in the registry."""
    return _registry(forum=forum, preview=preview).aggregate(
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


def registry_regions(*, forum: Forum, preview: bool = False):
    """The regions the parties of the registry's agreements come from, for the filter."""
    parties = Party.objects.filter(
        region=OuterRef("pk"), agreement__in=_registry(forum=forum, preview=preview)
    )
    return Region.objects.filter(Exists(parties)).order_by("country", "name")

"""Rules of the registry across an agreement and its parties, called by the admin, the import and
the demo alike."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agreements.models import Agreement, Party, Status

MIN_SIGNED_PARTIES = 2


def agreement_check_parties(*, agreement: Agreement, parties: int | None = None) -> None:
    """A signed agreement has at least two parties: ``parties`` is how many it will have once
    saved (None: the ones saved now)."""
    if agreement.status != Status.SIGNED:
        return
    count = agreement.parties.count() if parties is None and agreement.pk else parties or 0
    if count < MIN_SIGNED_PARTIES:
        raise ValidationError({"status": _("A signed agreement has at least two parties.")})


def parties_removal_refusals(*, parties) -> list[str]:
    """Why taking these parties away from their agreements (deleting or moving them) is refused:
    one message per signed agreement that would be left with fewer than two; empty if none."""
    removed = Counter(party.agreement_id for party in parties)
    signed = Agreement.objects.filter(pk__in=removed, status=Status.SIGNED)
    refusals = []
    for agreement in signed.order_by("registry_number"):
        left = Party.objects.filter(agreement=agreement).count() - removed[agreement.pk]
        if left < MIN_SIGNED_PARTIES:
            refusals.append(
                _(
                    "“%(agreement)s” is signed and would be left with %(count)s party; a signed "
                    "agreement has at least two. Change its status first, or add a party."
                )
                % {"agreement": agreement, "count": left}
            )
    return refusals

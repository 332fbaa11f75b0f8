"""The registry as CSV: exactly the agreements the page shows, safe to open in a spreadsheet."""

import csv
import io

from django.utils.translation import gettext as _

from sheets.formulas import neutralise


def _party_text(party) -> str:
    place = ", ".join(
        part
        for part in (party.get_country_display(), party.region.name if party.region else "")
        if part
    )
    return f"{party.name} ({place})" if place else party.name


def registry_csv(agreements) -> str:
    # Written here, not with a library: csv.writer plus one rule for formula cells is all it takes.
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("registry number"),
            _("kind"),
            _("title"),
            _("subject"),
            _("status"),
            _("signed on"),
            _("signed at"),
            _("value"),
            _("currency"),
            _("parties"),
            _("sample data"),
        ]
    )
    for agreement in agreements:
        event = agreement.event if agreement.event_is_visible else None
        writer.writerow(
            neutralise("" if cell is None else str(cell))
            for cell in (
                agreement.registry_number,
                agreement.get_kind_display(),
                agreement.title,
                agreement.subject,
                agreement.get_status_display(),
                agreement.signed_on.isoformat() if agreement.signed_on else "",
                event.title if event else "",
                agreement.value if agreement.value is not None else "",
                agreement.currency,
                "; ".join(_party_text(party) for party in agreement.parties.all()),
                _("yes") if agreement.is_sample else "",
            )
        )
    # A byte-order mark: Excel then reads the file as UTF-8 (Cyrillic intact).
    return "\ufeff" + out.getvalue()

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


def _csv_line(cells) -> str:
    # Written here, not with a library: csv.writer plus one rule for formula cells is all it takes.
    out = io.StringIO()
    csv.writer(out).writerow(neutralise("" if cell is None else str(cell)) for cell in cells)
    return out.getvalue()


def registry_csv_line(agreement) -> str:
    """One agreement's line of the CSV (public.fragments keeps it as it keeps the page's row)."""
    event = agreement.event if agreement.event_is_visible else None
    return _csv_line(
        (
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


def registry_csv(lines: list[str]) -> str:
    """The CSV of the agreements whose ``registry_csv_line`` are ``lines``, in their order."""
    header = _csv_line(
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
    # A byte-order mark: Excel then reads the file as UTF-8 (Cyrillic intact).
    return "\ufeff" + header + "".join(lines)

"""A region's people as its page prints them (public.regions): who chaired, moderated or spoke,
and at which event.

Built in Python with format_html rather than in the template, as the programme's event blocks
(public.templatetags.event_parts): a region's page lists a couple of hundred appearances, and
the template's loop over them was most of the page's time. Every value is escaped by
format_html; interface texts come from the catalogues. Each event's part is kept until it
changes (public.regions)."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext


def _affiliation(person) -> str:
    if not (person.position or person.organisation):
        return ""
    comma = ", " if person.position and person.organisation else ""
    return format_html(
        ' <span class="affiliation">({}{}{})</span>', person.position, comma, person.organisation
    )


def appearance_item(item, year: int) -> str:
    """One appearance of a person of the region (public.regions.Appearance) at the edition of
    ``year``."""
    person = item.person
    badge = (
        format_html(' <span class="badge">{}</span>', gettext("sample data"))
        if person.is_sample
        else ""
    )
    return format_html(
        '<li><span class="person">{}</span>{}{} — {}: <a href="{}">{}</a></li>',
        person.full_name,
        _affiliation(person),
        badge,
        str(item.role_heading).lower(),
        reverse("event", args=[year, item.event.slug]),
        item.event.title,
    )


def appearances_part(appearances, year: int) -> str:
    """The items of the region's people at one event (public.regions kept them per event), each
    followed by the template's indentation."""
    return format_html_join(
        "", "{}\n    ", ((appearance_item(item, year),) for item in appearances)
    )

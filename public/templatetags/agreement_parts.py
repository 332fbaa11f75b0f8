"""An agreement as the registry prints it: its row and its parties (the event's page prints the
parties too, through the tag here); and as a region's page prints it.

Built in Python with format_html rather than as templates, as the programme's event blocks
(public.templatetags.event_parts): the row template with its include of the parties took about
0.7 ms an agreement, 210 ms for a 300-agreement registry made whole. Every value is escaped by
format_html; interface texts come from the catalogues."""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext

register = template.Library()


def _place(party) -> str:
    region = format_html(", {}", party.region.name) if party.region else ""
    return format_html("{}{}", party.get_country_display(), region)


def _signatory(party) -> str:
    if not party.signatory:
        return ""
    position = format_html(", {}", party.signatory_position) if party.signatory_position else ""
    return format_html(
        '<br><span class="signatory">{} {}{}</span>',
        gettext("signed by"),
        party.signatory,
        position,
    )


def parties_part(agreement) -> str:
    """The agreement's parties: name, country and region, and who signed for each."""
    parties = agreement.parties.all()
    if not parties:
        return "\n"
    items = format_html_join(
        "",
        '\n<li><span class="party-name">{}</span> <span class="party-place">({})</span>{}</li>',
        ((party.name, _place(party), _signatory(party)) for party in parties),
    )
    return format_html('<ul class="parties" aria-label="{}">{}\n</ul>\n', gettext("Parties"), items)


def signed_on_part(agreement) -> str:
    if not agreement.signed_on:
        return ""
    return format_html(
        ', <time datetime="{}">{}</time>',
        formats.date_format(agreement.signed_on, "Y-m-d"),
        formats.date_format(agreement.signed_on, "j E Y"),
    )


def registry_row(agreement, forum) -> str:
    """The registry's row of one agreement (public.fragments keeps it until the agreement,
    its parties, their regions or its event change). Unindented, and no blank line where a
    fact is missing: 300 agreements of indentation and empty lines were 5% of the page."""
    badge = (
        format_html(' <span class="badge">{}</span>', gettext("sample data"))
        if agreement.is_sample
        else ""
    )
    facts = []
    if agreement.event_is_visible:
        facts.append(
            format_html(
                '<dt>{}</dt><dd><a href="{}">{}</a></dd>\n',
                gettext("Signed at"),
                reverse("event", args=[forum.year, agreement.event.slug]),
                agreement.event.title,
            )
        )
    if agreement.value is not None:
        facts.append(
            format_html(
                "<dt>{}</dt><dd>{} {}</dd>\n",
                gettext("Value"),
                floatformat(agreement.value, "2g"),
                agreement.currency,
            )
        )
    if agreement.subject:
        facts.append(format_html("<dt>{}</dt><dd>{}</dd>\n", gettext("Subject"), agreement.subject))
    return format_html(
        '<li class="agreement">\n<h3><span class="registry-number">{}</span> {}{}</h3>\n'
        '<dl class="facts">\n<dt>{}</dt><dd>{}</dd>\n'
        '<dt>{}</dt><dd><span class="status status-{}">{}</span>{}</dd>\n'
        "{}<dt>{}</dt><dd>{}</dd>\n</dl>\n</li>\n",
        agreement.registry_number,
        agreement.title,
        badge,
        gettext("Kind"),
        capfirst(agreement.get_kind_display()),
        gettext("Status"),
        agreement.status,
        capfirst(agreement.get_status_display()),
        signed_on_part(agreement),
        format_html_join("", "{}", ((fact,) for fact in facts)),
        gettext("Parties"),
        parties_part(agreement),
    )


def _region_party(party, region) -> str:
    # The page's own region is named; another one links to its page.
    place = party.get_country_display()
    if party.region and party.region_id == region.pk:
        place = format_html("{}, {}", place, party.region.name)
    elif party.region:
        place = format_html(
            '{}, <a href="{}">{}</a>',
            place,
            reverse("region", args=[party.region.code]),
            party.region.name,
        )
    return format_html(
        '<li><span class="party-name">{}</span> <span class="party-place">({})</span></li>',
        party.name,
        place,
    )


def region_item(agreement, region, year: int) -> str:
    """An agreement's item on the page of ``region`` (one of its parties'), in the edition of
    ``year``."""
    badge = (
        format_html(' <span class="badge">{}</span>', gettext("sample data"))
        if agreement.is_sample
        else ""
    )
    event = ""
    if agreement.event_is_visible:
        event = format_html(
            ', <a href="{}">{}</a>',
            reverse("event", args=[year, agreement.event.slug]),
            agreement.event.title,
        )
    return format_html(
        '<li>\n      <p class="agreement-title"><span class="registry-number">{}</span> {}{}</p>'
        '\n      <p class="agreement-meta">{}, {}{}{}</p>'
        '\n      <ul class="parties" aria-label="{}">{}</ul>\n    </li>',
        agreement.registry_number,
        agreement.title,
        badge,
        capfirst(agreement.get_kind_display()),
        agreement.get_status_display(),
        signed_on_part(agreement),
        event,
        gettext("Parties"),
        format_html_join(
            "", "{}", ((_region_party(party, region),) for party in agreement.parties.all())
        ),
    )


@register.simple_tag
def agreement_parties(agreement) -> str:
    return parties_part(agreement)

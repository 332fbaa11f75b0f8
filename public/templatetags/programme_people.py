"""The people of an event, printed fast: a 120-event programme prints 15,000 of them."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _affiliation(person) -> str:
    affiliation = ", ".join(part for part in (person.position, person.organisation) if part)
    return format_html('<span class="affiliation">{}</span>', affiliation) if affiliation else ""


@register.simple_tag
def people_items(people) -> str:
    """One ``<dd>`` per person: the name, then the position and organisation if any.

    Written in Python rather than as a template loop: the template engine spends about 30 µs on
    each person, which made three quarters of the cold programme's time. format_html escapes
    every value.
    """
    return format_html_join(
        "\n  ",
        '<dd><span class="person">{}</span>{}</dd>',
        ((person.full_name, _affiliation(person)) for person in people),
    )

"""The people of an event, printed fast: a 120-event programme prints 15,000 of them."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def people_items(people) -> str:
    """One ``<dd>`` per person: the name, then the position and organisation if any.

    Written in Python rather than as a template loop: the template engine spends about 30 µs on
    each person, which made three quarters of the cold programme's time. Every value is escaped.
    """
    items = []
    for person in people:
        name = f'<dd><span class="person">{escape(person.full_name)}</span>'
        affiliation = ", ".join(part for part in (person.position, person.organisation) if part)
        if affiliation:
            name += f'<span class="affiliation">{escape(affiliation)}</span>'
        items.append(name + "</dd>")
    return mark_safe("\n  ".join(items))  # noqa: S308 - every value above is escaped

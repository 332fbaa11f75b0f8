"""How a figure of the statistics prints: whole numbers and sums grouped, nothing as a dash."""

from decimal import Decimal

from django import template
from django.utils.numberformat import format as number_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def figure(value):
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return value
    places = 2 if isinstance(value, Decimal) else None
    return number_format(
        value,
        decimal_sep="," if get_language() != "en" else ".",
        decimal_pos=places,
        grouping=3,
        thousand_sep="\u00a0" if get_language() != "en" else ",",
        force_grouping=True,
    )

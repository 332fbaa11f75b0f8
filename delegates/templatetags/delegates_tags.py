import datetime as dt

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int:
    """A timedelta in whole minutes, rounded up (the lock-out page's cool-off time)."""
    if not isinstance(value, dt.timedelta):
        return 0
    return -(-int(value.total_seconds()) // 60)

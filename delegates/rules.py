"""The clash rule, applied when an event's times change (Event.time_checks, from delegates.apps):
a delegate cannot sit in two events at once."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from delegates.models import Assignment

# A 125-seat event moved onto a busy hour names this many clashes and counts the rest.
NAMED_CLASHES = 10


def event_time_clashes(event) -> dict[str, list[str]]:
    """{"starts_at": [why]} when the event's delegates already sit in an event that overlaps its
    new times; empty when none does."""
    clashes = Assignment.objects.clashing(
        delegates=Assignment.objects.filter(event_id=event.pk).values("delegate_id"),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        other_than_event=event.pk,
    ).select_related("delegate", "event")
    named = list(clashes[: NAMED_CLASHES + 1])
    if not named:
        return {}
    messages = [
        _("%(delegate)s already takes part in “%(event)s” at that time.")
        % {"delegate": clash.delegate, "event": clash.event}
        for clash in named[:NAMED_CLASHES]
    ]
    if len(named) > NAMED_CLASHES:
        more = clashes.count() - NAMED_CLASHES
        messages.append(
            ngettext("…and %(count)d more clash.", "…and %(count)d more clashes.", more)
            % {"count": more}
        )
    return {"starts_at": messages}

"""Writes across delegates: assigning many at once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from delegates.models import Assignment, Participation


@transaction.atomic
def delegates_assign(*, delegates, event, role: str, participation: str = Participation.IN_PERSON):
    """Assign each delegate to `event` with `role`; returns (assignments made,
    [(delegate, why it was refused)]) — already assigned, or busy elsewhere at that time."""
    made, refused = [], []
    assigned = set(event.assignments.values_list("delegate_id", flat=True))
    for delegate in delegates:
        if delegate.pk in assigned:
            refused.append((delegate, _("already assigned to this event")))
            continue
        assignment = Assignment(
            delegate=delegate, event=event, role=role, participation=participation
        )
        try:
            assignment.full_clean()
        except ValidationError as error:
            refused.append((delegate, " ".join(error.messages)))
            continue
        assignment.save()
        made.append(assignment)
    return made, refused

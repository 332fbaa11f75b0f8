"""A forum's programme as the workbench's pages read it: once per page, in a fixed number of
queries, shared by the conflicts and the timetable."""

from functools import cached_property

from django.db.models import Count, Exists, F, OuterRef

from delegates.models import Assignment, Role
from events.models import Event
from forum.models import Forum

# A chair, co-chair or moderator leads an event; an event with none of them is flagged.
LEADING_ROLES = (Role.CHAIR, Role.CO_CHAIR, Role.MODERATOR)


class Programme:
    """The forum's events (with their day and whether anyone leads them) and its venues; for
    the timetable (``timetable=True``) also each event's venues and head count, which the
    conflicts alone (the forum's page counts them) need not read."""

    def __init__(self, forum: Forum, *, timetable: bool = False):
        self.forum = forum
        leading = Assignment.objects.filter(event=OuterRef("pk"), role__in=LEADING_ROLES)
        events = (
            Event.objects.filter(forum=forum)
            .select_related("day")
            .annotate(has_lead=Exists(leading))
            .order_by("day__date", F("starts_at").asc(nulls_last=True), "number", "pk")
        )
        if timetable:
            events = events.prefetch_related("venues").annotate(head_count=Count("assignments"))
        self.events = {event.pk: event for event in events}
        self.venues = {venue.pk: venue for venue in forum.venues.all()}

    @cached_property
    def days(self):
        return list(self.forum.days.all())

    def local(self, moment):
        return moment.astimezone(self.forum.zone)

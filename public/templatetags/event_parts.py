"""An event's parts as the programme and the event's page print them: its cancellation, its facts
(kind, time, format, venues) and its people by role, and the programme's block of one event.

Built in Python with format_html rather than as templates: the template engine took about 1.5 ms
an event (3 includes, the time zone tag, lazy labels), so 180 ms for a 120-event programme made
whole. Every value is escaped by format_html; interface texts come from the catalogues."""

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext

register = template.Library()


def _label(event, name: str) -> str:
    # get_<name>_display() hashes the choices on every call: a plain lookup of the same labels.
    labels = _LABELS.get(name)
    if labels is None:
        labels = _LABELS[name] = dict(type(event)._meta.get_field(name).flatchoices)
    value = getattr(event, name)
    return str(labels.get(value, value))


_LABELS: dict[str, dict] = {}


def cancelled_part(event) -> str:
    """The mark of a cancelled event and its note; nothing for an event that is on."""
    if not event.is_cancelled:
        return "\n\n"
    note = format_html(" {}", event.cancellation_note) if event.cancellation_note else ""
    return format_html(
        '\n<p class="cancelled"><strong class="badge badge-cancelled">{}</strong>{}</p>\n',
        gettext("Cancelled"),
        note,
    )


def _time(event, forum) -> str:
    if not event.starts_at:
        return escape(gettext("time to be announced"))
    zone = forum.zone
    starts, ends = localtime(event.starts_at, zone), event.ends_at
    ends = localtime(ends, zone) if ends else None
    return format_html(
        '<time datetime="{}">{}</time>–<time datetime="{}">{}</time>'
        ' <span class="zone">({})</span>',
        dateformat.format(starts, "c"),
        dateformat.time_format(starts, "H:i"),
        dateformat.format(ends, "c") if ends else "",
        dateformat.time_format(ends, "H:i") if ends else "",
        gettext("%(zone)s time") % {"zone": forum.time_zone},
    )


def facts_part(event, forum) -> str:
    """The event's kind (and number), time in the forum's zone, format and venues."""
    kind = capfirst(_label(event, "kind"))
    if event.number:
        kind = format_html("{}, {}", kind, gettext("No. %(number)s") % {"number": event.number})
    venues = list(event.venues.all())
    where = ""
    if venues:
        where = format_html(
            '\n  <dt>{}</dt>\n  <dd><ul class="inline-list">{}</ul></dd>\n  ',
            gettext("Venues") if len(venues) > 1 else gettext("Venue"),
            format_html_join(
                "",
                '<li>{} <span class="city">({})</span></li>',
                ((venue.name, venue.city) for venue in venues),
            ),
        )
    return format_html(
        '\n<dl class="facts">\n  <dt>{}</dt>\n  <dd>{}</dd>\n  <dt>{}</dt>\n  <dd>{}</dd>\n'
        "  <dt>{}</dt>\n  <dd>{}</dd>\n  {}\n</dl>\n",
        gettext("Kind"),
        kind,
        gettext("Time"),
        _time(event, forum),
        gettext("Format"),
        capfirst(_label(event, "format")),
        where,
    )


def _affiliation(person) -> str:
    affiliation = ", ".join(part for part in (person.position, person.organisation) if part)
    return format_html('<span class="affiliation">{}</span>', affiliation) if affiliation else ""


def people_items(people) -> str:
    """One ``<dd>`` per person: the name, then the position and organisation if any (a
    120-event programme prints thousands)."""
    return format_html_join(
        "\n  ",
        '<dd><span class="person">{}</span>{}</dd>',
        ((person.full_name, _affiliation(person)) for person in people),
    )


def people_part(event) -> str:
    """The event's public people by role: name, position and organisation only."""
    if not event.participant_groups:
        return "\n\n"
    groups = format_html_join(
        "",
        "\n  <dt>{}</dt>\n  {}\n  ",
        ((group.heading, people_items(group.people)) for group in event.participant_groups),
    )
    return format_html('\n\n<dl class="people">\n  {}\n</dl>\n\n', groups)


def programme_block(event, forum) -> str:
    """The programme's block of one event (public.fragments keeps it until the event changes)."""
    url = reverse("event", args=[forum.year, event.slug])
    classes = ("" if event.is_published else " event-draft") + (
        " event-cancelled" if event.is_cancelled else ""
    )
    badge = (
        format_html(' <span class="badge">{}</span>', gettext("unpublished"))
        if not event.is_published
        else ""
    )
    more = ""
    if event.other_people:
        more = format_html(
            '<p class="more-people"><a href="{}">{}</a></p>',
            url,
            ngettext(
                "and %(counter)s more participant",
                "and %(counter)s more participants",
                event.other_people,
            )
            % {"counter": event.other_people},
        )
    return format_html(
        '<article class="event{}">\n    <h3{}><a href="{}">{}</a>{}</h3>\n    {}\n    {}\n'
        "    {}\n    {}\n  </article>",
        classes,
        format_html(' class="{}"', "struck") if event.is_cancelled else "",
        url,
        event.title,
        badge,
        cancelled_part(event),
        facts_part(event, forum),
        people_part(event),
        more,
    )


@register.simple_tag
def event_cancelled(event) -> str:
    return cancelled_part(event)


@register.simple_tag
def event_facts(event, forum) -> str:
    return facts_part(event, forum)


@register.simple_tag
def event_people(event) -> str:
    return people_part(event)

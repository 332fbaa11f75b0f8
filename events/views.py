from django.shortcuts import render

from events.selectors import event_for_page, programme_days
from forum.public import answer_preview, reader_previews
from forum.selectors import forum_for_reader


def programme(request, year):
    preview = reader_previews(request)
    forum = forum_for_reader(year=year, preview=preview)
    days = programme_days(forum=forum, preview=preview)
    context = {
        "forum": forum,
        "days": days,
        "preview": preview,
        "has_sample": any(event.has_sample_people for day in days for event in day.events.all()),
    }
    return answer_preview(render(request, "events/programme.html", context), preview=preview)


def event_detail(request, year, slug):
    preview = reader_previews(request)
    forum = forum_for_reader(year=year, preview=preview)
    event = event_for_page(forum=forum, slug=slug, preview=preview)
    agreements = event.agreements.all()
    context = {
        "forum": forum,
        "event": event,
        "agreements": agreements,
        "preview": preview,
        "has_sample": event.has_sample_people or any(a.is_sample for a in agreements),
    }
    return answer_preview(render(request, "events/event.html", context), preview=preview)

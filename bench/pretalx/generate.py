"""Build the peer's benchmark event inside pretalx, through pretalx's own ORM and state machine.

Run with the python of pretalx's virtualenv (bench/peer.py does), PRETALX_CONFIG_FILE set:

    var/peers/pretalx-venv/bin/python bench/pretalx/generate.py --talks 120 --rooms 6 --days 2

One public event (``--slug``, English) of ``--days`` days from 2027-06-24 in ``--rooms`` rooms:
``--talks`` talks, each accepted and confirmed by pretalx (``Submission.accept()``,
``confirm()``), with a speaker of its own (profile and biography) and a second one on every
fifth talk, given 30-minute slots every 45 minutes from 09:00 room by room, and released as
schedule version "v1" without mail. An event of that slug is shredded first. Prints one JSON
line: what it made and the first talk's code. Standard library and pretalx only.
"""

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import zoneinfo

TOPICS = [
    "regional trade",
    "cross-border transport",
    "youth exchange",
    "digital public services",
    "agriculture",
    "tourism routes",
    "energy saving",
    "higher education",
    "health care",
    "small business",
    "culture and heritage",
    "environmental monitoring",
]
NAMES = ["Anna", "Boris", "Vera", "Gleb", "Darya", "Yegor", "Zoya", "Ilya", "Kira", "Lev"]
SURNAMES = ["Orlova", "Petrov", "Sokolova", "Volkov", "Zaitseva", "Morozov", "Lebedeva"]


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talks", type=int, default=120)
    parser.add_argument("--rooms", type=int, default=6)
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--slug", default="bench")
    return parser.parse_args()


def text(index: int, sentences: int) -> str:
    """Deterministic prose of some length: the same on every run."""
    parts = []
    for k in range(sentences):
        topic = TOPICS[(index + k) % len(TOPICS)]
        other = TOPICS[(index * 7 + k * 3) % len(TOPICS)]
        parts.append(
            f"Session {index} looks at {topic} and what it means for {other} "
            f"between the regions, with results from the last {k + 2} years."
        )
    return " ".join(parts)


def main() -> None:
    opts = options()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretalx.settings")
    import django

    # pretalx prints a banner on stdout when run as root; our output is one JSON line.
    with contextlib.redirect_stdout(io.StringIO()):
        django.setup()

    from django.db import transaction
    from django_scopes import scope, scopes_disabled
    from pretalx.event.models import Event, Organiser
    from pretalx.event.utils import create_organiser_with_team
    from pretalx.person.models import SpeakerProfile, User
    from pretalx.schedule.models import Room, TalkSlot
    from pretalx.submission.models import Submission, SubmissionType

    zone_name = "Europe/Minsk"
    zone = zoneinfo.ZoneInfo(zone_name)
    first = dt.date(2027, 6, 24)
    mail_prefix = f"peer-{opts.slug}-"
    with scopes_disabled():
        for old in Event.objects.filter(slug__iexact=opts.slug):
            old.shred()
        User.objects.filter(email__startswith=mail_prefix).delete()
        organiser = Organiser.objects.filter(slug=f"{opts.slug}-org").first()
        if organiser is None:
            organiser, _team = create_organiser_with_team(
                name="Benchmark organiser", slug=f"{opts.slug}-org", users=[]
            )
        with transaction.atomic():
            event = Event.objects.create(
                name="Forum benchmark peer",
                slug=opts.slug,
                organiser=organiser,
                is_public=True,
                date_from=first,
                date_to=first + dt.timedelta(days=opts.days - 1),
                timezone=zone_name,
                email="peer@example.org",
                locale="en",
                locale_array="en",
            )

    with scope(event=event), transaction.atomic():
        event.build_initial_data()
        kind = SubmissionType.objects.create(event=event, name="Session", default_duration=30)
        rooms = [
            Room.objects.create(event=event, name=f"Hall {n + 1}", position=n)
            for n in range(opts.rooms)
        ]
        people = []
        for n in range(opts.talks):
            person = User.objects.create_user(
                email=f"{mail_prefix}{n}@example.org",
                name=f"{NAMES[n % len(NAMES)]} {SURNAMES[n % len(SURNAMES)]} {n}",
                locale="en",
            )
            SpeakerProfile.objects.create(user=person, event=event, biography=text(n, 3))
            people.append(person)
        per_room_and_day = -(-opts.talks // (opts.rooms * opts.days))
        links = 0
        for n in range(opts.talks):
            talk = Submission.objects.create(
                event=event,
                title=f"{TOPICS[n % len(TOPICS)].capitalize()}: session {n + 1}",
                submission_type=kind,
                abstract=text(n, 2),
                description=text(n + 1, 4),
                content_locale="en",
            )
            talk.speakers.add(people[n])
            links += 1
            if n % 5 == 4:
                talk.speakers.add(people[(n + 11) % opts.talks])
                links += 1
            talk.accept()  # pretalx's state machine makes the talk's slot in the WIP schedule
            talk.confirm()
            day, rest = divmod(n, opts.rooms * per_room_and_day)
            turn, room = divmod(rest, opts.rooms)
            starts = dt.datetime.combine(
                first + dt.timedelta(days=day), dt.time(9, 0), zone
            ) + dt.timedelta(minutes=45 * turn)
            slot = TalkSlot.objects.get(submission=talk, schedule=event.wip_schedule)
            slot.room, slot.start, slot.end = rooms[room], starts, starts + dt.timedelta(minutes=30)
            slot.save()
        event.wip_schedule.freeze("v1", notify_speakers=False)
        code = (
            event.current_schedule.talks.filter(is_visible=True)
            .order_by("start", "room__position")
            .values_list("submission__code", flat=True)
            .first()
        )
    print(
        json.dumps(
            {
                "event": opts.slug,
                "talks": opts.talks,
                "rooms": opts.rooms,
                "days": opts.days,
                "speakers": len(people),
                "speaker_links": links,
                "talk_code": code,
            }
        )
    )


if __name__ == "__main__":
    main()

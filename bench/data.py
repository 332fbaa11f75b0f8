"""The benchmark's dataset: every demo edition plus one large forum, built fast.

The large forum (``year``, default 2027) has ``events`` events over ``days`` days in ``venues``
venues, ``delegates`` delegates, ``assignments`` assignments and ``agreements`` agreements with
two parties each, every text in Russian, Belarusian and English. The rows are built with the
project's own factories (``tests/factories.py``, ``Factory.build``: unsaved) and written with
``bulk_create``, so 20,000 rows take seconds, not the minutes of one ``save()`` each.

The timetable keeps the rule that no delegate sits in two events at the same time: the events
of a day run in slots, one per venue in each slot, and the events of one slot draw their people
from disjoint ranges of delegates (a slot needs ``venues × assignments per event`` delegates,
which must not exceed ``delegates``; ``generate`` checks it).

Run through ``bench/web.py``; alone (into the database of ``DATABASE_URL``):

    .venv/bin/python bench/data.py [--events 120 --delegates 5000 ...]
"""

import argparse
import datetime as dt
import os
import sys
import time
import zoneinfo
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Sizes:
    year: int = 2027
    days: int = 3
    venues: int = 8
    events: int = 120
    delegates: int = 5000
    assignments: int = 15000
    agreements: int = 300
    # Per demo edition: the archive of every edition with hundreds of agreements across regions.
    archive_agreements: int = 40

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        for name, value in asdict(cls()).items():
            parser.add_argument(f"--{name}", type=int, default=value)

    @classmethod
    def from_options(cls, options) -> "Sizes":
        return cls(**{name: getattr(options, name) for name in asdict(cls())})


# A day's slots (start hour, minute; all 90 minutes long): events of one slot run in parallel.
SLOT_STARTS = [(9, 0), (11, 0), (13, 30), (15, 30), (17, 30), (19, 30), (21, 0)]
SLOT_LENGTH = dt.timedelta(minutes=90)
CATEGORIES = ["federation_council", "council_of_republic", "deputy", "regional_official"]
REGIONS = ["BY-MI", "BY-HM", "BY-BR", "BY-VI", "RU-MOW", "RU-SPE", "RU-SMO", "RU-PSK"]


def _tr(prefix: str, index: int) -> dict:
    return {
        f"{prefix}_ru": f"Секция {index}: сотрудничество регионов",
        f"{prefix}_be": f"Секцыя {index}: супрацоўніцтва рэгіёнаў",
        f"{prefix}_en": f"Section {index}: cooperation of the regions",
    }


def generate(sizes: Sizes, *, log=print) -> dict:
    """Write the large forum into the current database; returns what it wrote."""
    from django.db import transaction

    from agreements.models import Agreement, Party, Status
    from delegates.models import Assignment, Delegate, Participation, Role
    from events.models import Event, EventKind
    from forum.models import Country, Forum, Region, VenueKind
    from tests.factories import (
        AgreementFactory,
        AssignmentFactory,
        DayFactory,
        DelegateFactory,
        EventFactory,
        ForumFactory,
        PartyFactory,
        VenueFactory,
    )

    started = time.perf_counter()
    slots_per_day = -(-sizes.events // (sizes.days * sizes.venues))
    if slots_per_day > len(SLOT_STARTS):
        raise SystemExit(f"{sizes.events} events do not fit {sizes.days} days × {sizes.venues}")
    per_event = sizes.assignments // sizes.events
    if per_event * sizes.venues > sizes.delegates:
        raise SystemExit("too few delegates for one slot's events without an overlap")
    zone = zoneinfo.ZoneInfo("Europe/Minsk")
    regions = {region.code: region for region in Region.objects.filter(code__in=REGIONS)}
    number = (Forum.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1

    with transaction.atomic():
        forum = ForumFactory.create(
            number=number,
            year=sizes.year,
            title_ru=f"Форум регионов {sizes.year} (нагрузочные данные)",
            title_be=f"Форум рэгіёнаў {sizes.year} (нагрузачныя даныя)",
            title_en=f"Forum of Regions {sizes.year} (benchmark data)",
            theme_ru="Нагрузочный тест",
            theme_be="Нагрузачны тэст",
            theme_en="Load test",
            starts_on=dt.date(sizes.year, 6, 24),
            ends_on=dt.date(sizes.year, 6, 24) + dt.timedelta(days=sizes.days - 1),
            time_zone="Europe/Minsk",
            host_cities="Минск",
            is_published=True,
        )
        days = [
            DayFactory.create(forum=forum, date=forum.starts_on + dt.timedelta(days=i))
            for i in range(sizes.days)
        ]
        venues = [
            VenueFactory.create(
                forum=forum,
                name_ru=f"Зал {i + 1}",
                name_be=f"Зала {i + 1}",
                name_en=f"Hall {i + 1}",
                city_ru="Минск",
                city_be="Мінск",
                city_en="Minsk",
                kind=VenueKind.HALL,
                country=Country.BELARUS,
                region=regions.get("BY-HM"),
            )
            for i in range(sizes.venues)
        ]

        events, slot_of = [], []
        for index in range(sizes.events):
            slot, venue_index = divmod(index, sizes.venues)
            day_index, slot_in_day = divmod(slot, slots_per_day)
            hour, minute = SLOT_STARTS[slot_in_day]
            day = days[day_index % sizes.days]
            starts = dt.datetime.combine(day.date, dt.time(hour, minute), tzinfo=zone)
            events.append(
                EventFactory.build(
                    forum=forum,
                    day=day,
                    kind=EventKind.SECTION,
                    number=index + 1,
                    slug=f"section-{index + 1}",
                    **_tr("title", index + 1),
                    description_ru="Обсуждение " * 20,
                    description_be="Абмеркаванне " * 20,
                    description_en="Discussion " * 20,
                    starts_at=starts,
                    ends_at=starts + SLOT_LENGTH,
                    format="hybrid",
                    video_conference_url=f"https://vc.example.org/private/{index}",
                    is_published=True,
                )
            )
            slot_of.append((slot, venue_index))
        events = Event.objects.bulk_create(events)
        through = Event.venues.through
        through.objects.bulk_create(
            through(event_id=event.pk, venue_id=venues[venue_index].pk)
            for event, (_slot, venue_index) in zip(events, slot_of, strict=True)
        )

        delegates = Delegate.objects.bulk_create(
            (
                DelegateFactory.build(
                    external_id=f"BENCH-{i:05d}",
                    last_name_ru=f"Иванов{i}",
                    last_name_be=f"Іваноў{i}",
                    last_name_en=f"Ivanov{i}",
                    first_name_ru="Пётр",
                    first_name_be="Пётр",
                    first_name_en="Piotr",
                    position_ru="депутат",
                    position_be="дэпутат",
                    position_en="deputy",
                    organisation_ru="Парламент",
                    organisation_be="Парламент",
                    organisation_en="Parliament",
                    email=f"bench{i}@example.org",
                    phone=f"+375 17 {i:07d}",
                    country=REGIONS[i % len(REGIONS)][:2],
                    region=regions.get(REGIONS[i % len(REGIONS)]),
                    category=CATEGORIES[i % len(CATEGORIES)],
                    is_sample=True,
                )
                for i in range(sizes.delegates)
            ),
            batch_size=1000,
        )

        roles = [Role.CHAIR, Role.MODERATOR, Role.MODERATOR] + [Role.SPEAKER] * 10
        assignments = []
        for event, (slot, venue_index) in zip(events, slot_of, strict=True):
            # Disjoint within a slot (the events running at the same time), rotating across slots.
            first = slot * sizes.venues * per_event + venue_index * per_event
            for k in range(per_event):
                remote = k % 5 == 4
                assignments.append(
                    AssignmentFactory.build(
                        delegate=delegates[(first + k) % sizes.delegates],
                        event=event,
                        role=roles[k] if k < len(roles) else Role.PARTICIPANT,
                        participation=Participation.REMOTE if remote else Participation.IN_PERSON,
                        venue=None if remote else venues[venue_index],
                        order=k,
                    )
                )
        Assignment.objects.bulk_create(assignments, batch_size=2000)

        agreements = Agreement.objects.bulk_create(
            AgreementFactory.build(
                forum=forum,
                registry_number=f"B-{i + 1:04d}",
                kind="agreement",
                title_ru=f"Соглашение о сотрудничестве № {i + 1}",
                title_be=f"Пагадненне аб супрацоўніцтве № {i + 1}",
                title_en=f"Cooperation agreement No. {i + 1}",
                subject_ru="Торговля и промышленность",
                subject_be="Гандаль і прамысловасць",
                subject_en="Trade and industry",
                status=Status.SIGNED if i % 3 else Status.PLANNED,
                signed_on=forum.starts_on if i % 3 else None,
                event=events[i % len(events)],
                value=1_000_000 + i if i % 2 else None,
                currency="RUB" if i % 2 else "",
                is_public=i % 10 != 9,
                is_sample=True,
            )
            for i in range(sizes.agreements)
        )
        Party.objects.bulk_create(
            PartyFactory.build(
                agreement=agreement,
                kind="regional_authority",
                name_ru=f"Правительство региона {side}-{agreement.registry_number}",
                name_be=f"Урад рэгіёна {side}-{agreement.registry_number}",
                name_en=f"Government of region {side}-{agreement.registry_number}",
                country=code[:2],
                region=regions.get(code),
                signatory="Петров П. П.",
                order=side,
            )
            for agreement in agreements
            for side, code in enumerate(("BY-MI", "RU-MOW"))
        )

    written = {
        "forum": forum.year,
        "events": len(events),
        "delegates": len(delegates),
        "assignments": len(assignments),
        "agreements": len(agreements),
        "parties": 2 * len(agreements),
        "seconds": round(time.perf_counter() - started, 1),
    }
    log(f"generated {written}")
    return written


def generate_archive(per_edition: int, *, seed: int = 14, log=print) -> dict:
    """Give every other edition ``per_edition`` public agreements between random regions of the
    two countries (two or three parties, some with a value), and an event whose speakers come
    from those regions: what the statistics, region pages and search are measured on."""
    import random

    from django.db import transaction

    from agreements.models import Agreement, AgreementKind, Party, Status
    from delegates.models import Assignment, Delegate, Role
    from events.models import Event, EventKind
    from forum.models import Day, Forum, Region

    rng = random.Random(seed)
    started = time.perf_counter()
    regions = {code: list(Region.objects.filter(country=code)) for code in ("BY", "RU")}
    kinds, currencies = list(AgreementKind.values), ["RUB", "BYN", "USD"]
    written = Counter()
    with transaction.atomic():
        for forum in Forum.objects.filter(agreements__isnull=True).order_by("year"):
            day, _ = Day.objects.get_or_create(forum=forum, date=forum.starts_on)
            event = Event.objects.create(
                forum=forum,
                day=day,
                kind=EventKind.SIGNING_CEREMONY,
                number=1,
                slug="signing-ceremony",
                title_ru="Церемония подписания соглашений",
                title_be="Цырымонія падпісання пагадненняў",
                title_en="Signing ceremony",
                format="in_person",
                is_published=True,
            )
            agreements = Agreement.objects.bulk_create(
                Agreement(
                    forum=forum,
                    registry_number=f"{forum.year}-{i + 1:03d}",
                    kind=rng.choice(kinds),
                    title_ru=f"Соглашение о сотрудничестве № {i + 1} ({forum.year})",
                    title_be=f"Пагадненне аб супрацоўніцтве № {i + 1} ({forum.year})",
                    title_en=f"Cooperation agreement No. {i + 1} ({forum.year})",
                    subject_ru=rng.choice(
                        ["Торговля", "Образование", "Туризм", "Сельское хозяйство"]
                    ),
                    status=Status.SIGNED if i % 5 else Status.PLANNED,
                    signed_on=forum.starts_on if i % 5 else None,
                    event=event if i % 5 else None,
                    value=rng.randrange(10**5, 10**8) if i % 3 == 0 else None,
                    currency=rng.choice(currencies) if i % 3 == 0 else "",
                    is_public=True,
                    is_sample=True,
                )
                for i in range(per_edition)
            )
            parties = []
            for agreement in agreements:
                sides = [rng.choice(regions["BY"]), rng.choice(regions["RU"])]
                if rng.random() < 0.2:
                    sides.append(rng.choice(regions["RU"]))
                for order, region in enumerate(sides, start=1):
                    parties.append(
                        Party(
                            agreement=agreement,
                            kind="regional_authority",
                            name_ru=f"Правительство: {region.name_ru}",
                            name_en=f"Government: {region.name_en or region.name_ru}",
                            country=region.country,
                            region=region,
                            order=order,
                        )
                    )
            Party.objects.bulk_create(parties)
            speakers = Delegate.objects.bulk_create(
                Delegate(
                    last_name_ru=f"Образцов-{forum.year}-{k}",
                    last_name_en=f"Obraztsov-{forum.year}-{k}",
                    first_name_ru="Пример",
                    country=region.country,
                    region=region,
                    category="regional_official",
                    is_sample=True,
                )
                for k, region in enumerate(rng.sample(regions["BY"] + regions["RU"], 6))
            )
            Assignment.objects.bulk_create(
                Assignment(delegate=delegate, event=event, role=Role.SPEAKER, order=k)
                for k, delegate in enumerate(speakers)
            )
            written.update(agreements=len(agreements), parties=len(parties), editions=1)
    result = {**written, "seconds": round(time.perf_counter() - started, 1)}
    log(f"generated the archive {result}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    Sizes.add_arguments(parser)
    sizes = Sizes.from_options(parser.parse_args())
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    import django

    django.setup()
    generate_archive(sizes.archive_agreements)
    generate(sizes)


if __name__ == "__main__":
    main()

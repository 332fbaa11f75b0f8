import datetime as dt
import zoneinfo

import factory
from django.core.files.base import ContentFile

from agreements.models import Agreement, AgreementKind, Party, PartyKind
from delegates.models import Assignment, Category, Delegate, Role
from documents.models import Access, Document, DocumentFile, DocumentKind
from events.models import Commission, Event, EventKind
from forum.models import Country, Day, Format, Forum, Region, Venue, VenueKind
from tests.support import documents as sample_files

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    number = factory.Sequence(lambda n: 100 + n)
    year = factory.Sequence(lambda n: 2100 + n)
    title = factory.LazyAttribute(lambda o: f"Форум регионов {o.number}")
    title_en = factory.LazyAttribute(lambda o: f"Forum of Regions {o.number}")
    starts_on = factory.LazyAttribute(lambda o: dt.date(o.year, 9, 28))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=1))
    format = Format.HYBRID
    is_published = True


class DayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Day

    forum = factory.SubFactory(ForumFactory)
    date = factory.LazyAttribute(lambda o: o.forum.starts_on)


class RegionFactory(factory.django.DjangoModelFactory):
    """Regions ship with the migrations; tests mostly fetch them by code."""

    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "BY-MI"
    country = factory.LazyAttribute(lambda o: o.code[:2])
    name = factory.LazyAttribute(lambda o: o.code)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    forum = factory.SubFactory(ForumFactory)
    name = factory.Sequence(lambda n: f"Зал {n}")
    kind = VenueKind.STUDIO
    city = "Минск"
    country = Country.BELARUS


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission

    name = factory.Sequence(lambda n: f"Комиссия {n}")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=MOSCOW)


def moscow_at(day, hour: int, minute: int = 0) -> dt.datetime:
    """That time of a forum's day (a Day) in Moscow, the factories' time zone."""
    return dt.datetime.combine(day.date, dt.time(hour, minute), tzinfo=MOSCOW)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    day = factory.SubFactory(DayFactory)
    kind = EventKind.SECTION
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Секция {n}")
    title_en = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    starts_at = factory.LazyAttribute(lambda o: _at(o.day.date, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    format = Format.ONLINE
    is_published = True


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    last_name = factory.Sequence(lambda n: f"Образцов{n}")
    first_name = "Пример"
    country = Country.BELARUS
    category = Category.COUNCIL_OF_REPUBLIC
    email = factory.Sequence(lambda n: f"delegate{n}@example.org")
    is_sample = True


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    delegate = factory.SubFactory(DelegateFactory)
    event = factory.SubFactory(EventFactory)
    role = Role.SPEAKER


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    forum = factory.SubFactory(ForumFactory)
    registry_number = factory.Sequence(lambda n: f"A-{n:03d}")
    kind = AgreementKind.AGREEMENT
    title = factory.Sequence(lambda n: f"Соглашение {n}")
    is_sample = True


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    agreement = factory.SubFactory(AgreementFactory)
    kind = PartyKind.REGIONAL_AUTHORITY
    name = factory.Sequence(lambda n: f"Сторона {n}")
    country = Country.BELARUS


class DocumentFactory(factory.django.DjangoModelFactory):
    """A public document of an event; pass ``event=None`` and a forum for the whole forum's."""

    class Meta:
        model = Document

    event = factory.SubFactory(EventFactory)
    forum = factory.LazyAttribute(lambda o: o.event.forum if o.event else ForumFactory())
    kind = DocumentKind.RECOMMENDATIONS
    title = factory.Sequence(lambda n: f"Рекомендации {n}")
    title_en = factory.Sequence(lambda n: f"Recommendations {n}")
    date = factory.LazyAttribute(lambda o: o.forum.ends_on)
    access = Access.PUBLIC


class DocumentFileFactory(factory.django.DjangoModelFactory):
    """A PDF in Russian; ``file=ContentFile(sample_files.docx(), name="x.docx")`` for another."""

    class Meta:
        model = DocumentFile

    document = factory.SubFactory(DocumentFactory)
    language = "ru"
    file = factory.LazyFunction(lambda: ContentFile(sample_files.pdf(), name="upload.pdf"))

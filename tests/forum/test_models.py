import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from forum.models import Country, Day, Forum, Region, Venue
from tests.factories import DayFactory, ForumFactory, RegionFactory, VenueFactory

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


# Forum


def test_forum_closing_on_its_opening_day_is_valid():
    forum = ForumFactory.build(starts_on=dt.date(2024, 6, 27), ends_on=dt.date(2024, 6, 27))

    forum.full_clean()


def test_forum_closing_before_it_opens_is_invalid():
    forum = ForumFactory.build(starts_on=dt.date(2024, 6, 27), ends_on=dt.date(2024, 6, 26))

    errors = errors_of(forum)

    assert "ends_on" in errors


def test_database_refuses_forum_closing_before_it_opens():
    forum = ForumFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Forum.objects.filter(pk=forum.pk).update(ends_on=forum.starts_on - dt.timedelta(days=1))


def test_forum_closing_before_one_of_its_days_is_invalid():
    forum = ForumFactory(starts_on=dt.date(2024, 6, 27), ends_on=dt.date(2024, 6, 28))
    DayFactory(forum=forum, date=dt.date(2024, 6, 28))
    forum.ends_on = dt.date(2024, 6, 27)

    errors = errors_of(forum)

    assert "ends_on" in errors
    assert "2024-06-28" in errors["ends_on"][0]


def test_forum_with_a_new_number_and_year_is_valid():
    ForumFactory(number=11, year=2024)
    forum = ForumFactory.build(number=12, year=2025)

    forum.full_clean()


def test_forum_number_taken_is_invalid():
    ForumFactory(number=11, year=2024)
    forum = ForumFactory.build(number=11, year=2025)

    errors = errors_of(forum)

    assert "number" in errors


def test_database_refuses_forum_number_taken():
    ForumFactory(number=11, year=2024)

    with pytest.raises(IntegrityError), transaction.atomic():
        ForumFactory(number=11, year=2025)


def test_forum_year_taken_is_invalid():
    ForumFactory(number=11, year=2024)
    forum = ForumFactory.build(number=12, year=2024)

    errors = errors_of(forum)

    assert "year" in errors


def test_database_refuses_forum_year_taken():
    ForumFactory(number=11, year=2024)

    with pytest.raises(IntegrityError), transaction.atomic():
        ForumFactory(number=12, year=2024)


def test_forum_time_zone_unknown_is_invalid():
    forum = ForumFactory.build(time_zone="Europe/Atlantis")

    errors = errors_of(forum)

    assert "time_zone" in errors


# Day


def test_day_within_the_forum_is_valid():
    forum = ForumFactory(starts_on=dt.date(2024, 6, 27), ends_on=dt.date(2024, 6, 28))
    day = Day(forum=forum, date=dt.date(2024, 6, 28))

    day.full_clean()


def test_day_before_the_forum_opens_is_valid():
    # The Youth Forum of the Eleventh Forum came three days before the opening.
    forum = ForumFactory(starts_on=dt.date(2024, 6, 27), ends_on=dt.date(2024, 6, 28))
    day = Day(forum=forum, date=dt.date(2024, 6, 24), title="Молодёжный форум")

    day.full_clean()


def test_day_after_forum_closes_is_invalid():
    forum = ForumFactory(starts_on=dt.date(2024, 6, 27), ends_on=dt.date(2024, 6, 28))
    day = Day(forum=forum, date=dt.date(2024, 6, 29))

    errors = errors_of(day)

    assert "date" in errors


def test_day_on_another_forums_date_is_valid():
    first = DayFactory()
    forum = ForumFactory(starts_on=first.date, ends_on=first.date)
    day = Day(forum=forum, date=first.date)

    day.full_clean()


def test_day_twice_in_one_forum_is_invalid():
    first = DayFactory()
    day = Day(forum=first.forum, date=first.date)

    errors = errors_of(day)

    assert "__all__" in errors


def test_database_refuses_day_twice_in_one_forum():
    first = DayFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Day(forum=first.forum, date=first.date).save()


# Region


def test_regions_of_both_countries_are_loaded_by_migration():
    codes = set(Region.objects.filter(country=Country.BELARUS).values_list("code", flat=True))

    assert codes == {"BY-BR", "BY-HM", "BY-HO", "BY-HR", "BY-MA", "BY-MI", "BY-VI"}
    assert Region.objects.filter(country=Country.RUSSIA).count() == 83


def test_every_loaded_region_is_named_in_three_languages():
    unnamed = [
        region.code
        for region in Region.objects.all()
        if not (region.name_ru and region.name_be and region.name_en)
    ]

    assert unnamed == []


def test_region_with_new_code_in_its_country_is_valid():
    region = Region(code="RU-ZZZ", country=Country.RUSSIA, name="Проба")

    region.full_clean()


def test_region_code_taken_is_invalid():
    region = Region(code="BY-MI", country=Country.BELARUS, name="Ещё Минск")

    errors = errors_of(region)

    assert "code" in errors


def test_database_refuses_region_code_taken():
    with pytest.raises(IntegrityError), transaction.atomic():
        Region(code="BY-MI", country=Country.BELARUS, name="Ещё Минск").save()


def test_region_code_of_another_country_is_invalid():
    region = Region(code="RU-ZZZ", country=Country.BELARUS, name="Проба")

    errors = errors_of(region)

    assert "__all__" in errors


def test_database_refuses_region_code_of_another_country():
    with pytest.raises(IntegrityError), transaction.atomic():
        Region(code="RU-ZZZ", country=Country.BELARUS, name="Проба").save()


# Venue


def test_venue_in_a_region_of_its_country_is_valid():
    venue = VenueFactory.build(
        forum=ForumFactory(), country=Country.BELARUS, region=RegionFactory(code="BY-MI")
    )

    venue.full_clean()


def test_venue_in_a_region_of_another_country_is_invalid():
    venue = VenueFactory.build(
        forum=ForumFactory(), country=Country.BELARUS, region=RegionFactory(code="RU-MOW")
    )

    errors = errors_of(venue)

    assert "region" in errors


def test_venue_name_taken_in_another_forum_is_valid():
    first = VenueFactory()
    venue = VenueFactory.build(forum=ForumFactory(), name=first.name)

    venue.full_clean()


def test_venue_name_taken_in_its_forum_is_invalid():
    first = VenueFactory()
    venue = VenueFactory.build(forum=first.forum, name=first.name)

    errors = errors_of(venue)

    assert "__all__" in errors


def test_database_refuses_venue_name_taken_in_its_forum():
    first = VenueFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Venue(forum=first.forum, name=first.name, kind=first.kind, city="Минск").save()


# Translations


@pytest.mark.parametrize("language", ["be", "en"])
def test_forum_title_falls_back_to_russian(language):
    forum = ForumFactory()
    # update() writes the columns as given, whatever language is active.
    Forum.objects.filter(pk=forum.pk).update(title_ru="Форум регионов", title_be="", title_en="")

    with translation.override(language):
        title = Forum.objects.get(pk=forum.pk).title

    assert title == "Форум регионов"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("be", "Форум рэгіёнаў"), ("en", "Forum of Regions"), ("ru", "Форум регионов")],
)
def test_forum_title_shows_the_active_language(language, expected):
    forum = ForumFactory()
    Forum.objects.filter(pk=forum.pk).update(
        title_ru="Форум регионов", title_be="Форум рэгіёнаў", title_en="Forum of Regions"
    )

    with translation.override(language):
        title = Forum.objects.get(pk=forum.pk).title

    assert title == expected

"""The programme from a sheet: dates, hours in the forum's time zone, venues, model rules."""

import datetime as dt
import zoneinfo

import pytest

from events.models import Event
from forum.models import Day
from tests.factories import DayFactory, ForumFactory, VenueFactory
from tests.support.sheets import import_sheet, preview, problems, xlsx

pytestmark = pytest.mark.django_db

URL = "/admin/events/event/import/"
HEAD = [
    "forum_year",
    "slug",
    "date",
    "starts",
    "ends",
    "kind",
    "number",
    "title_ru",
    "title_en",
    "format",
    "venues",
    "is_published",
]


@pytest.fixture
def forum():
    forum = ForumFactory(
        year=2020,
        number=7,
        starts_on=dt.date(2020, 9, 28),
        ends_on=dt.date(2020, 9, 29),
        time_zone="Europe/Minsk",
    )
    DayFactory(forum=forum, date=dt.date(2020, 9, 28))
    VenueFactory(forum=forum, name="Студия Минск")
    VenueFactory(forum=forum, name="Студия Москва")
    return forum


def test_events_land_with_local_hours_venues_and_new_days(editor_client, forum):
    import_sheet(
        editor_client,
        URL,
        xlsx(
            [
                HEAD,
                [
                    2020,
                    "section-1",
                    "28.09.2020",
                    "10:00",
                    "12:30",
                    "тематическая секция",
                    1,
                    "Секция",
                    "Section",
                    "online",
                    "Студия Минск; студия москва",
                    1,
                ],
                [
                    2020,
                    "youth",
                    "2020-09-25",
                    "",
                    "",
                    "youth_forum",
                    "",
                    "Молодёжный форум",
                    "",
                    "online",
                    "",
                    0,
                ],
            ]
        ),
    )

    section = Event.objects.get(slug="section-1")
    minsk = zoneinfo.ZoneInfo("Europe/Minsk")
    assert section.starts_at == dt.datetime(2020, 9, 28, 10, 0, tzinfo=minsk)
    assert section.ends_at == dt.datetime(2020, 9, 28, 12, 30, tzinfo=minsk)
    assert sorted(v.name for v in section.venues.all()) == ["Студия Минск", "Студия Москва"]
    youth = Event.objects.get(slug="youth")
    # A day before the opening becomes a day of the forum; unannounced times stay empty.
    assert youth.day.date == dt.date(2020, 9, 25)
    assert (youth.starts_at, youth.ends_at) == (None, None)
    assert Day.objects.filter(forum=forum).count() == 2


def test_impossible_date_and_text_in_a_number_column(editor_client, forum):
    response = preview(
        editor_client,
        URL,
        xlsx(
            [
                HEAD,
                [2020, "a", "31.02.2020", "", "", "section", 1, "А", "", "online", "", 0],
                [2020, "b", "28.09.2020", "", "", "section", "десять", "Б", "", "online", "", 0],
                [2019, "c", "28.09.2020", "", "", "section", 3, "В", "", "online", "", 0],
                [2020, "d", "30.09.2020", "", "", "section", 4, "Г", "", "online", "", 0],
            ]
        ),
    )

    found = {p[:2]: p[2] for p in problems(response)}
    assert set(found) == {(2, "date"), (3, "number"), (4, "forum_year"), (5, "date")}
    assert "31.02.2020" in found[2, "date"]
    assert "десять" in found[3, "number"]
    assert not Event.objects.exists()
    assert Day.objects.count() == 1


def test_model_rule_end_before_start_is_named(editor_client, forum):
    response = preview(
        editor_client,
        URL,
        xlsx(
            [
                HEAD,
                [2020, "a", "28.09.2020", "12:00", "10:00", "section", 1, "А", "", "online", "", 0],
            ]
        ),
    )

    assert [p[:2] for p in problems(response)] == [(2, "ends")]
    assert not Event.objects.exists()


def test_columns_left_out_are_left_alone(editor_client, forum):
    head = ["forum_year", "slug", "date", "starts", "ends", "kind", "title_ru", "format", "venues"]
    import_sheet(
        editor_client,
        URL,
        xlsx(
            [
                head,
                [
                    2020,
                    "s",
                    "28.09.2020",
                    "10:00",
                    "11:00",
                    "section",
                    "С",
                    "online",
                    "Студия Минск",
                ],
            ]
        ),
    )

    import_sheet(
        editor_client,
        URL,
        xlsx(
            [
                ["forum_year", "slug", "date", "kind", "title_ru", "format"],
                [2020, "s", "28.09.2020", "section", "С (правка)", "online"],
            ]
        ),
    )

    event = Event.objects.get()
    assert event.title_ru == "С (правка)"
    assert event.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Minsk")).hour == 10
    assert [v.name for v in event.venues.all()] == ["Студия Минск"]


def test_a_row_that_changes_only_the_venues_is_imported_and_says_so(editor_client, forum):
    head = ["forum_year", "slug", "date", "kind", "title_ru", "format", "venues"]
    row = [2020, "s", "28.09.2020", "section", "С", "online", "Студия Минск"]
    import_sheet(editor_client, URL, xlsx([head, row]))

    response = preview(editor_client, URL, xlsx([head, [*row[:6], "Студия Москва"]]))

    [changed] = response.context["preview_rows"]["rows"]
    assert changed["changes"] == [("venues", "Студия Минск", "Студия Москва")]
    assert response.context["totals"]["update"] == 1
    from tests.support.sheets import confirm

    confirm(editor_client, response)
    assert [v.name for v in Event.objects.get().venues.all()] == ["Студия Москва"]


def test_the_same_programme_again_changes_nothing(editor_client, forum):
    head = ["forum_year", "slug", "date", "kind", "title_ru", "format", "venues"]
    sheet = xlsx([head, [2020, "s", "28.09.2020", "section", "С", "online", "Студия Минск"]])
    import_sheet(editor_client, URL, sheet)

    response = preview(editor_client, URL, sheet)

    assert response.context["totals"] == {"new": 0, "update": 0, "skip": 1, "rows": 1}
    assert response.context["preview_rows"]["rows"] == []

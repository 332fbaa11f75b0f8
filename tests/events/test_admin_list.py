"""The events list reads well: date, hours, venues and state per row; filters by forum and day;
search in every language. The delegates list finds a person by any part of the name."""

import datetime as dt
import zoneinfo

import pytest

from tests.factories import DayFactory, DelegateFactory, EventFactory, ForumFactory, VenueFactory

pytestmark = pytest.mark.django_db

EVENTS = "/admin/events/event/"
DELEGATES = "/admin/delegates/delegate/"


def minsk(day, hour, minute=0):
    return dt.datetime.combine(
        day.date, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo("Europe/Minsk")
    )


@pytest.fixture
def programme():
    forum = ForumFactory(year=2031, time_zone="Europe/Minsk")
    first = DayFactory(forum=forum, title="Молодёжный день")
    second = DayFactory(forum=forum, date=forum.ends_on)
    hall = VenueFactory(forum=forum, name="Овальный зал", city="Минск")
    timed = EventFactory(
        day=first,
        title="Пленарное заседание",
        title_be="Пленарнае пасяджэнне",
        title_en="Plenary session",
        starts_at=minsk(first, 10),
        ends_at=minsk(first, 11, 30),
        number=3,
    )
    timed.venues.add(hall)
    untimed = EventFactory(
        day=second, title="Секция без часа", title_en="Section 1", starts_at=None, ends_at=None
    )
    return forum, first, second, timed, untimed


def row_of(body: str, title: str) -> str:
    start = body.index(title)
    return body[start : body.index("</tr>", start)]


def test_each_row_shows_date_hours_in_the_forums_zone_venues_and_state(editor_client, programme):
    forum, first, _second, timed, _untimed = programme

    body = editor_client.get(EVENTS, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    row = row_of(body, "Plenary session")
    assert (
        f'<td class="field-when"><span class="date">{first.date:%m/%d/%Y}</span> '
        '<span class="hours">10:00–11:30</span></td>'
    ) in row
    assert "Овальный зал, Минск" in row
    assert '<td class="field-forum_year">2031</td>' in row
    assert 'class="field-is_published"><img src="/static/admin/img/icon-yes.svg" alt="True">' in row
    assert "No. 3" in row
    assert '<span class="hours">to be announced</span>' in row_of(body, "Section 1")


def test_the_day_filter_offers_the_chosen_forums_days_and_filters_by_one(editor_client, programme):
    forum, first, second, timed, untimed = programme
    other = DayFactory(forum=ForumFactory(year=2032))

    response = editor_client.get(f"{EVENTS}?forum__id__exact={forum.pk}&day={second.pk}")

    [day_filter] = [
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "day"
    ]
    assert [int(value) for value, _label in day_filter.lookup_choices] == [first.pk, second.pk]
    assert "Молодёжный день" in day_filter.lookup_choices[0][1]
    assert other.pk not in [int(value) for value, _label in day_filter.lookup_choices]
    assert list(response.context["cl"].result_list) == [untimed]


def test_a_day_typed_wrong_in_the_address_shows_nothing_and_no_error(editor_client, programme):
    response = editor_client.get(f"{EVENTS}?day=abc")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


# SQLite ignores the case of Latin letters only; PostgreSQL of Cyrillic ones too.
@pytest.mark.parametrize("words", ["Пленарнае", "plenary", "заседание"])
def test_search_finds_an_event_by_its_title_in_any_language(editor_client, programme, words):
    response = editor_client.get(f"{EVENTS}?q={words}")

    assert [event.title for event in response.context["cl"].result_list] == ["Пленарное заседание"]


@pytest.mark.parametrize(
    "words", ["Кавалёва Ганна", "Kovaleva Anna", "Сяргееўна", "Anna Sergeevna", "Ковалёва"]
)
def test_search_finds_a_delegate_by_any_part_of_the_name_in_any_language(editor_client, words):
    DelegateFactory(
        last_name="Ковалёва",
        last_name_be="Кавалёва",
        last_name_en="Kovaleva",
        first_name="Анна",
        first_name_be="Ганна",
        first_name_en="Anna",
        middle_name="Сергеевна",
        middle_name_be="Сяргееўна",
        middle_name_en="Sergeevna",
    )
    DelegateFactory(last_name="Другой")

    response = editor_client.get(DELEGATES, {"q": words})

    assert [d.last_name for d in response.context["cl"].result_list] == ["Ковалёва"]

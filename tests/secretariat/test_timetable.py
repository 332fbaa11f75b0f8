"""The timetable of a forum: venues as columns, time down the page, blocks sized by their length,
events without times under their day, conflicts marked; filtered by kind, in the admin's
language, readable without JavaScript; its queries at two sizes."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from delegates.models import Role
from events.models import EventKind
from secretariat.timetable import grid_stylesheet
from tests.factories import (
    AssignmentFactory,
    DayFactory,
    DelegateFactory,
    EventFactory,
    ForumFactory,
    VenueFactory,
    moscow_at,
)

pytestmark = pytest.mark.django_db


def page(forum):
    return f"/admin/forum/forum/{forum.pk}/timetable/"


@pytest.fixture
def forum():
    forum = ForumFactory(time_zone="Europe/Moscow")
    day = DayFactory(forum=forum, title="Пленарный день")
    hall = VenueFactory(forum=forum, name="Большой зал", city="Минск")
    VenueFactory(forum=forum, name="Малый зал", city="Минск")
    plenary = EventFactory(
        day=day,
        kind=EventKind.PLENARY,
        number=None,
        title="Пленарное заседание",
        title_en="Plenary session",
        starts_at=moscow_at(day, 10),
        ends_at=moscow_at(day, 11, 30),
    )
    plenary.venues.add(hall)
    AssignmentFactory.create_batch(3, event=plenary, role=Role.CHAIR)
    online = EventFactory(
        day=day,
        title="Онлайн-секция",
        title_en="Online section",
        number=4,
        starts_at=moscow_at(day, 12),
        ends_at=moscow_at(day, 13),
    )
    AssignmentFactory(event=online, role=Role.MODERATOR)
    later = DayFactory(forum=forum, date=forum.ends_on)
    untimed = EventFactory(day=later, title="Секция без часа", starts_at=None, ends_at=None)
    AssignmentFactory(event=untimed, role=Role.CHAIR)
    return forum


def block(body: str, title: str) -> str:
    """The opening tag of the block holding this title."""
    position = body.index(title)
    start = body.rindex('<div class="tt-event', 0, position)
    return body[start : body.index(">", start) + 1]


def test_each_event_is_a_block_in_its_venues_column_sized_by_its_length(editor_client, forum):
    body = editor_client.get(page(forum)).content.decode()

    # Columns: the clock, then the venues in their order (Большой зал, Малый зал), then "no venue".
    heads = re.findall(r'<div class="tt-head tt-r1 tt-c(\d+) tt-cs1">([^<]*)</div>', body)
    assert [name for _column, name in heads] == [
        "Большой зал, Минск",
        "Малый зал, Минск",
        "Без площадки (онлайн)",
    ]
    # The day opens at 10:00: row 2. 10:00–11:30 is 18 rows of five minutes; 12:00 is row 26.
    assert "tt-r2 tt-re20 tt-c2" in block(body, "Пленарное заседание")
    assert "tt-r26 tt-re38 tt-c4" in block(body, "Онлайн-секция")
    assert ">10:00</div>" in body and ">13:00</div>" not in body
    assert "10:00–11:30" in body
    assert "Пленарное заседание" in body and "3 участника" in body
    assert "Тематическая секция № 4" in body


def test_events_without_times_are_listed_under_their_day(editor_client, forum):
    body = editor_client.get(page(forum)).content.decode()

    untimed = body[body.index("Время уточняется") :]
    assert "Секция без часа" in untimed
    assert "tt-event" not in untimed


def test_the_timetable_is_in_the_admins_language(editor_client, forum):
    body = editor_client.get(page(forum), HTTP_ACCEPT_LANGUAGE="be").content.decode()

    assert '<html lang="be"' in body
    assert "Расклад" in body
    assert "Без пляцоўкі (онлайн)" in body
    assert "3 удзельнікі" in body


def test_a_conflict_is_marked_on_its_blocks_with_a_link_to_it(editor_client, forum):
    plenary = forum.events.get(title="Пленарное заседание")
    clash = EventFactory(
        day=plenary.day, starts_at=moscow_at(plenary.day, 11), ends_at=moscow_at(plenary.day, 12)
    )
    delegate = DelegateFactory()
    AssignmentFactory(delegate=delegate, event=plenary)
    AssignmentFactory(delegate=delegate, event=clash, role=Role.CHAIR)

    body = editor_client.get(page(forum), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "tt-conflict" in block(body, "Plenary session")
    assert "tt-conflict" not in block(body, "Online section")
    assert f'href="/admin/forum/forum/{forum.pk}/conflicts/?event={plenary.pk}">1 conflict</a>' in (
        body
    )


def test_a_warning_is_marked_as_a_warning_not_as_a_conflict(editor_client, forum):
    # An event with no chair or moderator is a warning on the conflicts page: the same here.
    plenary = forum.events.get(title="Пленарное заседание")
    lone = EventFactory(
        day=plenary.day,
        title_en="Lone section",
        number=9,
        starts_at=moscow_at(plenary.day, 15),
        ends_at=moscow_at(plenary.day, 16),
    )

    body = editor_client.get(page(forum), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "tt-conflict" not in block(body, "Lone section")
    assert "tt-warning" in block(body, "Lone section")
    assert f'?event={lone.pk}">1 warning</a>' in body
    assert f'?event={lone.pk}">1 conflict</a>' not in body


def test_the_timetable_shows_one_kind_and_says_so_of_a_kind_it_does_not_know(editor_client, forum):
    plenaries = editor_client.get(page(forum), {"kind": "plenary"}).content.decode()
    unknown = editor_client.get(page(forum), {"kind": "picnic"}, HTTP_ACCEPT_LANGUAGE="en")

    assert "Пленарное заседание" in plenaries and "Онлайн-секция" not in plenaries
    assert unknown.status_code == 200
    assert "Select a valid choice" in unknown.content.decode()
    assert "Online section" in unknown.content.decode()


def test_events_of_one_venue_at_the_same_time_stand_side_by_side(editor_client, forum):
    plenary = forum.events.get(title="Пленарное заседание")
    other = EventFactory(
        day=plenary.day,
        title="Вторая в том же зале",
        starts_at=moscow_at(plenary.day, 11),
        ends_at=moscow_at(plenary.day, 12),
    )
    other.venues.add(*plenary.venues.all())

    body = editor_client.get(page(forum)).content.decode()

    assert "tt-c2" in block(body, "Пленарное заседание")
    assert "tt-c3" in block(body, "Вторая в том же зале")
    assert 'class="tt-head tt-r1 tt-c2 tt-cs2">Большой зал, Минск' in body
    assert "tt-cols4" in body


def test_the_page_needs_no_script_and_no_inline_style(editor_client, forum):
    body = editor_client.get(page(forum)).content.decode()
    content = body[body.index('<div id="content"') :]

    assert "<script" not in content
    assert "style=" not in body


def busy_forum(size: int):
    forum = ForumFactory()
    day = DayFactory(forum=forum)
    venues = VenueFactory.create_batch(2, forum=forum)
    for index in range(size):
        event = EventFactory(
            day=day,
            starts_at=moscow_at(day, 8 + index % 12),
            ends_at=moscow_at(day, 9 + index % 12),
        )
        event.venues.add(venues[index % 2])
        AssignmentFactory.create_batch(2, event=event)
    EventFactory(day=day, starts_at=None, ends_at=None)
    return forum


@pytest.mark.parametrize("size", [1, 12])
def test_the_timetable_query_count_does_not_grow_with_the_events(
    editor_client, django_assert_num_queries, size
):
    forum = busy_forum(size)

    # user, its permissions (2), the forum; events, their venues, the forum's venues and days;
    # delegates twice, venues twice, seats (the session is the cache's: forum.sessions)
    with django_assert_num_queries(11):
        response = editor_client.get(page(forum))

    assert response.status_code == 200


def test_the_grid_stylesheet_is_current():
    path = Path(settings.BASE_DIR) / "static" / "css" / "timetable-grid.css"

    assert path.read_text() == grid_stylesheet(), (
        'Write it again: .venv/bin/python manage.py shell -c "from secretariat.timetable import '
        "grid_stylesheet; open('static/css/timetable-grid.css', 'w').write(grid_stylesheet())\""
    )

"""/<lang>/<year>/now/ and the home page's panel, on a fixed clock (time-machine)."""

import datetime as dt
import re
import shutil
import zoneinfo

import pytest
import time_machine

from tests.factories import DayFactory, EventFactory, ForumFactory, VenueFactory
from tests.public.pages import VNU, missing_tool, vnu_messages

pytestmark = pytest.mark.django_db
MINSK = zoneinfo.ZoneInfo("Europe/Minsk")
SECRET_VIDEO = "https://vc.example.org/private-room"
BROADCAST = "https://broadcast.example.org/live/online-section"


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2030, 9, day, hour, minute, second, tzinfo=MINSK)


def event(day, venues, starts: tuple[int, int] | None, hours: float = 1, **kwargs):
    starts_at = at(day.date.day, *starts) if starts else None
    created = EventFactory(
        day=day,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours) if starts else None,
        video_conference_url=SECRET_VIDEO,
        **kwargs,
    )
    created.venues.set(venues)
    return created


@pytest.fixture
def forum_on_its_days():
    """A forum in Minsk time, a youth day three days before the opening day, and the second."""
    forum = ForumFactory(
        year=2030,
        number=17,
        starts_on=dt.date(2030, 9, 28),
        ends_on=dt.date(2030, 9, 29),
        time_zone="Europe/Minsk",
    )
    youth = DayFactory(forum=forum, date=dt.date(2030, 9, 25))
    first = DayFactory(forum=forum, date=dt.date(2030, 9, 28))
    second = DayFactory(forum=forum, date=dt.date(2030, 9, 29))
    hall = VenueFactory(forum=forum, name="Овальный зал", city="Минск")
    studio = VenueFactory(forum=forum, name="Студия", city="Москва", country="RU")
    events = {
        "youth": event(youth, [hall], (10, 0), title_ru="Молодёжный форум"),
        "plenary": event(first, [hall], (10, 0), hours=2, title_ru="Пленарное заседание"),
        "after-plenary": event(first, [hall], (12, 30), title_ru="Подписание соглашений"),
        "twin": event(first, [hall, studio], (15, 0), title_ru="Секция в двух городах"),
        "online": event(
            first, [], (10, 30), title_ru="Онлайн-секция", format="online", broadcast_url=BROADCAST
        ),
        "cancelled": event(
            first,
            [studio],
            (10, 0),
            title_ru="Отменённая секция",
            is_cancelled=True,
            cancellation_note_ru="Перенесена на 29 сентября",
        ),
        "untimed": event(first, [], None, title_ru="Выставка регионов"),
        "hidden": event(first, [studio], (10, 0), title_ru="Закрытая встреча", is_published=False),
        "tomorrow": event(second, [studio], (9, 0), title_ru="Итоговое заседание"),
    }
    return forum, events


def places(body: str) -> dict[str, str]:
    """Each place's heading and the text under it."""
    sections = re.findall(r'<section class="now-place">(.*?)</section>', body, re.S)
    found = {}
    for section in sections:
        heading = re.search(r"<h\d>(.*?)</h\d>", section, re.S).group(1)
        found[re.sub(r"<[^>]+>", "", heading).strip()] = section
    return found


def test_on_a_forum_day_each_place_shows_what_is_on_now_and_next(client, forum_on_its_days):
    forum, _events = forum_on_its_days

    with time_machine.travel(at(28, 10, 45), tick=False):
        body = client.get(f"/ru/{forum.year}/now/").content.decode()

    assert "По состоянию на 10:45, время Europe/Minsk." in body
    found = places(body)
    # By city, then name; online last.
    assert list(found) == [
        "Овальный зал (Минск)",
        "Студия (Москва)",
        "Онлайн",
        "Сегодня, время будет объявлено",
    ]
    hall = found["Овальный зал (Минск)"]
    now, following = hall.split("<dt>Далее</dt>")
    assert "Пленарное заседание" in now and ">10:00</time>–<time" in now
    assert "Подписание соглашений" in following and ">12:30</time>" in following
    studio = found["Студия (Москва)"]
    assert "Отменённая секция" in studio and "отменено" in studio
    assert "Перенесена на 29 сентября" in studio
    # Next in the studio is the twin-city section at 15:00, the same as in the hall's afternoon.
    assert "Секция в двух городах" in studio.split("<dt>Далее</dt>")[1]
    online = found["Онлайн"]
    assert "Онлайн-секция" in online and f'href="{BROADCAST}"' in online
    assert "Выставка регионов" in found["Сегодня, время будет объявлено"]
    assert "Закрытая встреча" not in body
    assert SECRET_VIDEO not in body and "vc.example.org" not in body
    assert "<script" not in body


def test_next_comes_from_the_next_day_when_today_is_over_there(client, forum_on_its_days):
    forum, _events = forum_on_its_days

    with time_machine.travel(at(28, 18, 0), tick=False):
        body = client.get(f"/ru/{forum.year}/now/").content.decode()

    studio = places(body)["Студия (Москва)"]
    assert "Итоговое заседание" in studio
    assert "29 сентября, 09:00" in studio
    assert "Овальный зал (Минск)" not in places(body)  # nothing more there


@pytest.mark.parametrize(
    ("moment", "says"),
    [
        (at(20, 12), "The forum opens on 25 September 2030."),
        (at(26, 12), "Nothing is on today; the forum goes on on 28 September 2030."),
        (at(30, 12), "The forum is over."),
    ],
)
def test_outside_its_days_a_line_says_when_it_starts_or_that_it_is_over(
    client, forum_on_its_days, moment, says
):
    forum, _events = forum_on_its_days

    with time_machine.travel(moment, tick=False):
        body = client.get(f"/en/{forum.year}/now/").content.decode()

    assert says in body
    assert f'href="/en/{forum.year}/programme/"' in body
    assert "now-place" not in body


def test_the_day_is_the_forums_own_not_the_servers(client, forum_on_its_days):
    forum, _events = forum_on_its_days
    # 23:30 on the 27th in UTC is 02:30 on the 28th in Minsk: a forum day.
    with time_machine.travel(dt.datetime(2030, 9, 27, 23, 30, tzinfo=dt.UTC), tick=False):
        body = client.get(f"/en/{forum.year}/now/").content.decode()

    assert "02:30, Europe/Minsk" in body


def test_the_page_is_kept_thirty_seconds_at_most(client, forum_on_its_days):
    forum, events = forum_on_its_days
    url = f"/ru/{forum.year}/now/"

    with time_machine.travel(at(28, 11, 59, 40), tick=False):
        first = client.get(url)
    with time_machine.travel(at(28, 11, 59, 50), tick=False):
        cached = client.get(url)
    with time_machine.travel(at(28, 12, 0, 10), tick=False):
        later = client.get(url)

    assert first["Cache-Control"] == "public, max-age=20"
    assert cached.content == first.content
    assert cached["Cache-Control"] == "public, max-age=10"
    assert later["ETag"] != first["ETag"]
    assert "Пленарное заседание" not in places(later.content.decode())["Овальный зал (Минск)"]


@pytest.mark.parametrize("size", [1, 5])
def test_the_page_costs_the_same_queries_whatever_is_on(
    client, django_assert_num_queries, forum_on_its_days, size
):
    forum, events = forum_on_its_days
    hall = events["plenary"].venues.get()
    for index in range(size):
        event(events["plenary"].day, [hall], (13 + index, 0))

    # The forum, its version, the forum (as every page of a year reads it), its days, the
    # events of today on, their venues.
    with time_machine.travel(at(28, 10, 45), tick=False), django_assert_num_queries(6):
        assert client.get(f"/be/{forum.year}/now/").status_code == 200


def test_a_draft_forums_now_page_is_not_found(client):
    forum = ForumFactory(is_published=False)

    assert client.get(f"/ru/{forum.year}/now/").status_code == 404


def test_the_home_page_shows_the_panel_on_the_forums_days_only(client, forum_on_its_days):
    forum, _events = forum_on_its_days

    with time_machine.travel(at(28, 10, 45), tick=False):
        during = client.get("/ru/").content.decode()
    with time_machine.travel(at(30, 10, 45), tick=False):
        after = client.get("/ru/").content.decode()

    panel = during.split('class="now-panel"')[1].split("</div>")[0]
    assert "Сейчас на форуме" in panel
    assert "Пленарное заседание" in panel and f'href="{BROADCAST}"' in panel
    assert f'href="/ru/{forum.year}/now/"' in panel
    assert "now-panel" not in after


@pytest.mark.parametrize("size", [1, 5])
def test_the_home_panel_costs_the_same_queries_whatever_is_on(
    client, django_assert_num_queries, forum_on_its_days, size
):
    _forum, events = forum_on_its_days
    for index in range(size):
        event(events["plenary"].day, [events["plenary"].venues.get()], (13 + index, 0))

    # The archive, then the forum's days, today's events on and their venues.
    with time_machine.travel(at(28, 10, 45), tick=False), django_assert_num_queries(4):
        assert client.get("/ru/").status_code == 200


def test_the_page_and_the_panel_on_a_forum_day_are_valid_html(client, forum_on_its_days, tmp_path):
    java = shutil.which("java")
    if not java or not VNU.exists():
        missing_tool("Java or vnu.jar is missing (run `make install`)")
    forum, _events = forum_on_its_days
    files = []
    with time_machine.travel(at(28, 10, 45), tick=False):
        for language in ("ru", "be", "en"):
            for path in (f"/{language}/{forum.year}/now/", f"/{language}/"):
                file = tmp_path / f"page-{len(files)}.html"
                file.write_bytes(client.get(path).content)
                files.append(file)

    messages, _result = vnu_messages(java, files)

    assert [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages] == []

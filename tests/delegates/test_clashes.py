"""A delegate cannot sit in two events at once: checked when an event's times move, too."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from events.models import Event
from tests.factories import MOSCOW, AssignmentFactory, DelegateFactory, EventFactory
from tests.support.sheets import preview, problems, xlsx

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=MOSCOW)


@pytest.fixture
def busy():
    """A delegate in a 10:00 section and a 14:00 section of the same day."""
    morning = EventFactory(title="Утренняя секция", title_en="Morning section")
    day = morning.day.date
    afternoon = EventFactory(
        day=morning.day, title="Дневная секция", starts_at=at(day, 14), ends_at=at(day, 16)
    )
    delegate = DelegateFactory(last_name="Занятов", last_name_en="Zanyatov", first_name_en="Ivan")
    AssignmentFactory(delegate=delegate, event=morning)
    AssignmentFactory(delegate=delegate, event=afternoon)
    return morning, afternoon


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Занятов Пример уже участвует в «Утренняя секция» в это время."),
        ("be", "Занятов Пример ужо ўдзельнічае ў «Утренняя секция» у гэты час."),
        ("en", "Zanyatov Ivan already takes part in “Morning section” at that time."),
    ],
)
def test_an_event_moved_onto_a_delegates_other_event_is_refused(busy, language, expected):
    morning, afternoon = busy
    afternoon.starts_at, afternoon.ends_at = morning.starts_at, morning.ends_at

    with translation.override(language), pytest.raises(ValidationError) as excinfo:
        afternoon.full_clean()

    assert excinfo.value.message_dict["starts_at"] == [expected]


def test_an_event_moved_to_a_free_hour_is_valid(busy):
    _morning, afternoon = busy
    afternoon.starts_at = at(afternoon.day.date, 17)
    afternoon.ends_at = at(afternoon.day.date, 18)

    afternoon.full_clean()


def test_an_event_whose_times_stay_is_not_held_to_old_clashes(busy):
    morning, afternoon = busy
    # A clash made before the rule (a raw update): editing the title is still allowed.
    Event.objects.filter(pk=afternoon.pk).update(
        starts_at=morning.starts_at, ends_at=morning.ends_at
    )
    afternoon.refresh_from_db()
    afternoon.title = "Новое название"

    afternoon.full_clean()


def test_many_clashes_are_named_up_to_ten_and_counted(busy):
    morning, afternoon = busy
    for _ in range(12):
        delegate = DelegateFactory()
        AssignmentFactory(delegate=delegate, event=morning)
        AssignmentFactory(delegate=delegate, event=afternoon)
    afternoon.starts_at, afternoon.ends_at = morning.starts_at, morning.ends_at

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        afternoon.full_clean()

    messages = excinfo.value.message_dict["starts_at"]
    assert len(messages) == 11
    assert messages[-1] == "…and 3 more clashes."


def test_the_admin_refuses_to_move_an_event_onto_a_busy_hour(editor_client, busy):
    morning, afternoon = busy
    editor_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    url = reverse("admin:events_event_change", args=[afternoon.pk])
    page = editor_client.get(url)
    data = {
        **{
            name: value
            for name, value in page.context["adminform"].form.initial.items()
            if value is not None and name != "venues"
        },
        "starts_at_0": afternoon.day.date.isoformat(),
        "starts_at_1": "10:30",
        "ends_at_0": afternoon.day.date.isoformat(),
        "ends_at_1": "11:30",
        **management_form(page),
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    expected = "Zanyatov Ivan already takes part in “Morning section” at that time."
    assert expected in response.content.decode()
    afternoon.refresh_from_db()
    assert afternoon.starts_at == at(afternoon.day.date, 14)


def management_form(page) -> dict:
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[f"{management.prefix}-{name}"] = management.initial.get(name, field.initial)
        for index, form in enumerate(formset.formset.forms):
            for name, value in form.initial.items():
                if value is not None:
                    data[f"{formset.formset.prefix}-{index}-{name}"] = value
            data[f"{formset.formset.prefix}-{index}-id"] = form.instance.pk
            data[f"{formset.formset.prefix}-{index}-event"] = form.instance.event_id
    return data


def test_an_import_that_moves_an_event_onto_a_busy_hour_lands_nothing(editor_client, busy):
    morning, afternoon = busy
    editor_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    head = ["forum_year", "slug", "date", "starts", "ends", "kind", "title_ru", "format"]
    row = [
        afternoon.forum.year,
        afternoon.slug,
        afternoon.day.date.isoformat(),
        "10:00",
        "12:00",
        "section",
        afternoon.title_ru,
        "online",
    ]

    response = preview(editor_client, "/admin/events/event/import/", xlsx([head, row]))

    assert not response.context.get("confirm_form")
    [(row_number, column, message)] = problems(response)
    assert (row_number, column) == (2, "starts")
    assert message == "Zanyatov Ivan already takes part in “Morning section” at that time."

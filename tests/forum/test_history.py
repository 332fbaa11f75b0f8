"""Change history: who changed what and when, per object, for every model; imports once each."""

import pytest
from django.apps import apps

from forum.permissions import DATA_APPS
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


# Records of what happened rather than data anyone edits: each is its own history.
RECORDS = {
    "sheets.ImportRecord",  # an import, once
    "sheets.Upload",  # a file waiting for its confirmation, no data of its own
    "delegates.ProgrammeSeen",  # what a delegate's page last showed them
    "secretariat.Notice",  # a mail to a delegate, as it was sent
    "secretariat.Told",  # what the notices told a delegate
}


def test_every_data_model_keeps_history():
    models = [
        model
        for app in DATA_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        and model._meta.label not in RECORDS
        # Rows no one edits (the password-reset throttle's) have no permissions and no history.
        and model._meta.default_permissions
    ]

    assert models and all(hasattr(model, "history") for model in models)


def test_admin_change_is_recorded_with_its_author_and_languages(editor_client, editor):
    event = EventFactory(title_be="Секцыя")
    url = f"/admin/events/event/{event.pk}/change/"
    page = editor_client.get(url)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        {
            "day": event.day_id,
            "title_ru": event.title_ru,
            "title_be": "Секцыя (праўка)",
            "title_en": event.title_en,
            "starts_at_0": "",
            "starts_at_1": "",
            "ends_at_0": "",
            "ends_at_1": "",
            "venues": [],
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        }
    )
    data.pop("venues")

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = event.history.latest()
    assert (latest.history_user, latest.title_be) == (editor, "Секцыя (праўка)")
    history_page = editor_client.get(f"/admin/events/event/{event.pk}/history/")
    assert history_page.status_code == 200
    assert "editor" in history_page.content.decode()

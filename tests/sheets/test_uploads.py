"""The file between preview and confirmation: kept in the database, for its uploader only,
until it is imported (once) or expires."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from delegates.models import Delegate
from forum.permissions import EDITORS
from sheets.models import ImportRecord, Upload
from tests.support.sheets import confirm, preview, xlsx

pytestmark = pytest.mark.django_db

URL = "/admin/delegates/delegate/import/"
HEAD = ["external_id", "last_name_ru", "first_name_ru", "country", "category"]
ROW = ["S-1", "Иванов", "Иван", "BY", "deputy"]


def test_the_previewed_file_waits_in_the_database_and_goes_with_the_import(editor_client, editor):
    response = preview(editor_client, URL, xlsx([HEAD, ROW]), name="list.xlsx")

    upload = Upload.objects.get()
    assert (upload.user, upload.file_name, upload.file_format) == (editor, "list.xlsx", "xlsx")
    assert upload.expires_at > timezone.now() + dt.timedelta(hours=23)
    assert confirm(editor_client, response).status_code == 302
    assert not Upload.objects.exists()
    assert ImportRecord.objects.get().upload_key == upload.key


def test_a_second_confirmation_says_it_was_imported_and_links_the_record(editor_client):
    response = preview(editor_client, URL, xlsx([HEAD, ROW]))
    confirm(editor_client, response)

    again = confirm(editor_client, response)

    assert again.status_code == 302
    record = ImportRecord.objects.get()
    page = editor_client.get(again["Location"])
    message = list(page.context["messages"])[-1]
    assert "уже импортирован" in str(message)
    assert f"/admin/sheets/importrecord/{record.pk}/" in str(message)
    assert Delegate.objects.count() == 1


def test_a_preview_with_problems_keeps_no_file(editor_client):
    preview(editor_client, URL, xlsx([HEAD, ["S-1", "Иванов", "", "BY", "deputy"]]))

    assert not Upload.objects.exists()


def test_only_the_uploader_may_confirm(editor_client, client):
    response = preview(editor_client, URL, xlsx([HEAD, ROW]))
    other = User.objects.create_user("other", is_staff=True)
    other.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(other)

    refused = confirm(client, response)

    assert refused.status_code == 302
    assert not Delegate.objects.exists()
    assert Upload.objects.count() == 1


def test_an_expired_upload_is_refused_and_cleaned_away(editor_client):
    response = preview(editor_client, URL, xlsx([HEAD, ROW]))
    Upload.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    refused = confirm(editor_client, response)
    preview(editor_client, URL, xlsx([HEAD, ROW]))

    assert refused.status_code == 302
    assert not Delegate.objects.exists()
    # The next upload took the expired one away.
    assert Upload.objects.count() == 1
    assert Upload.objects.get().expires_at > timezone.now()


def test_a_confirmation_for_another_import_page_is_refused(editor_client):
    response = preview(editor_client, URL, xlsx([HEAD, ROW]))
    key = response.context["confirm_form"].initial["upload"]

    refused = editor_client.post(
        "/admin/forum/region/process_import/", {"upload": key, "resource": "0"}
    )

    assert refused.status_code == 302
    assert Upload.objects.count() == 1

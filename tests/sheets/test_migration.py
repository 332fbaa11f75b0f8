"""Import records kept by the forum app survive their move to the sheets app."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("forum", "0006_staff_groups_history_imports"), ("sheets", None)]
AFTER = [("forum", "0008_staff_groups_sheets"), ("sheets", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_import_records_survive_the_move_to_sheets():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([BEFORE[0]]).apps
    ContentType = old.get_model("contenttypes", "ContentType")
    what = ContentType.objects.get_or_create(app_label="forum", model="forum")[0]
    old.get_model("forum", "ImportRecord").objects.create(
        content_type=what, file_name="delegates.xlsx", file_format="xlsx", rows=3, created=3,
        updated=0,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps

    record = new.get_model("sheets", "ImportRecord").objects.get()
    assert (record.file_name, record.rows, record.content_type.model) == (
        "delegates.xlsx",
        3,
        "forum",
    )
    assert (
        not new.get_model("contenttypes", "ContentType")
        .objects.filter(app_label="forum", model="importrecord")
        .exists()
    )
    call_command("migrate", verbosity=0)


@pytest.mark.django_db
def test_the_old_address_of_the_import_records_leads_to_the_new_one(editor_client):
    response = editor_client.get("/admin/forum/importrecord/?q=x")

    assert response.status_code == 302
    assert response["Location"] == "/admin/sheets/importrecord/?q=x"
    assert editor_client.get(response["Location"]).status_code == 200

from django.db import migrations


def content_type_to_sheets(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="sheets", model="importrecord").delete()
    ContentType.objects.filter(app_label="forum", model="importrecord").update(app_label="sheets")


def content_type_to_forum(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="sheets", model="importrecord").update(app_label="forum")


class Migration(migrations.Migration):
    """The import record moves to the sheets app with its rows (its table is renamed)."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0006_staff_groups_history_imports"),
    ]

    operations = [
        migrations.RunPython(content_type_to_sheets, content_type_to_forum),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="importrecord", table="sheets_importrecord")
            ],
            state_operations=[migrations.DeleteModel(name="ImportRecord")],
        ),
    ]

from django.db import migrations

from forum.permissions import staff_groups_sync


def sync_groups(apps, schema_editor):
    staff_groups_sync(apps=apps)


class Migration(migrations.Migration):
    """The groups keep their rights on the import records in their new app."""

    dependencies = [("forum", "0007_import_record_to_sheets"), ("sheets", "0001_initial")]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

from django.db import migrations

from forum.permissions import staff_groups_sync


def sync_groups(apps, schema_editor):
    staff_groups_sync(apps=apps)


class Migration(migrations.Migration):
    """Editors may change the documents, viewers read them (forum.permissions.DATA_APPS)."""

    dependencies = [("documents", "0001_initial"), ("forum", "0009_forum_reported_for_readers")]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

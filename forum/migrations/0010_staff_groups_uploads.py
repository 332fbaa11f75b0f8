from django.db import migrations

from forum.permissions import staff_groups_sync


def sync_groups(apps, schema_editor):
    staff_groups_sync(apps=apps)


class Migration(migrations.Migration):
    """The groups get their rights on the files waiting for an import's confirmation."""

    dependencies = [("forum", "0009_forum_reported_for_readers"), ("sheets", "0002_uploads")]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

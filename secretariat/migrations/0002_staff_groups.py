from django.db import migrations

from forum.permissions import staff_groups_sync


def sync_groups(apps, schema_editor):
    staff_groups_sync(apps=apps)


class Migration(migrations.Migration):
    """Editors and viewers read the notices sent to delegates, as they read the rest."""

    dependencies = [
        ("forum", "0009_forum_reported_for_readers"),
        ("delegates", "0006_programme_seen"),
        ("secretariat", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

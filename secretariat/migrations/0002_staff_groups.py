from django.db import migrations

from forum.permissions import staff_groups_sync


def sync_groups(apps, schema_editor):
    staff_groups_sync(apps=apps)


class Migration(migrations.Migration):
    """Editors and viewers read the notices sent to delegates, as they read the rest."""

    # After every data app's own models, so that the groups end with all their rights.
    dependencies = [
        ("sheets", "0002_uploads"),
        ("forum", "0010_staff_groups_uploads"),
        ("events", "0006_event_broadcast_url"),
        ("documents", "0002_staff_groups"),
        ("delegates", "0007_programme_seen"),
        ("agreements", "0003_historicalagreement_historicalparty"),
        ("secretariat", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

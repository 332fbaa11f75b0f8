from django.db import migrations

from forum.permissions import staff_groups_sync


def sync_groups(apps, schema_editor):
    staff_groups_sync(apps=apps)


class Migration(migrations.Migration):
    """The groups keep up with the history models and the import records."""

    dependencies = [
        ("forum", "0005_historicalday_historicalforum_historicalregion_and_more"),
        ("events", "0004_historicalcommission_historicalevent"),
        ("delegates", "0004_historicalassignment_historicaldelegate"),
        ("agreements", "0003_historicalagreement_historicalparty"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]

from django.db import migrations

from forum.permissions import staff_groups_sync


def create_groups(apps, schema_editor):
    staff_groups_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0002_regions"),
        ("events", "0001_initial"),
        ("delegates", "0001_initial"),
        ("agreements", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

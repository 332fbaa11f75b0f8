import json
from pathlib import Path

from django.db import migrations

REGIONS_FILE = Path(__file__).resolve().parent.parent / "regions.json"


def load_regions(apps, schema_editor):
    Region = apps.get_model("forum", "Region")
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    for row in data["regions"]:
        Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "country": row["country"],
                "name": row["name_ru"],
                "name_ru": row["name_ru"],
                "name_be": row["name_be"],
                "name_en": row["name_en"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]

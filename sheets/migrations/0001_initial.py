import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The import record as the forum app kept it; forum's 0007 renamed its table to this app's."""

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0007_import_record_to_sheets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="imported at"),
                        ),
                        ("file_name", models.CharField(max_length=255, verbose_name="file")),
                        ("file_format", models.CharField(max_length=10, verbose_name="format")),
                        ("rows", models.PositiveIntegerField(verbose_name="rows")),
                        ("created", models.PositiveIntegerField(verbose_name="new")),
                        ("updated", models.PositiveIntegerField(verbose_name="updated")),
                        (
                            "skipped",
                            models.PositiveIntegerField(default=0, verbose_name="unchanged"),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="contenttypes.contenttype",
                                verbose_name="what",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="imported by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
        ),
    ]

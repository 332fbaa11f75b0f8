# What the search compares on PostgreSQL (public/search.py), stored so that indexes serve it:
# per kind and page language, the document (tsvector of the searched texts in the language's
# dictionary, Russian behind it) and the headline (the normalised title the trigram similarity
# is taken of). Generated columns: PostgreSQL keeps them in step with every write. A no-op on
# SQLite, which searches in Python. Later migrations that change the type of a searched column
# must drop these columns first (PostgreSQL refuses it otherwise) and add them again after.
from django.db import migrations

# Frozen copies of public.search.KINDS' fields and CONFIGS: a change there is a new migration
# (tests/public/test_editions.py compares them).
SEARCHED = {
    "forum_forum": ("title", "theme", "host_cities"),
    "events_event": ("title", "description"),
    "agreements_agreement": ("title", "subject", "registry_number"),
    "forum_region": ("name", "code"),
    "delegates_delegate": ("last_name", "first_name", "middle_name", "position", "organisation"),
}
PLAIN = {"registry_number", "code"}
CONFIGS = {"ru": "russian", "be": "simple", "en": "english"}


def _text(field: str, language: str) -> str:
    """The field in the language, Russian where that is empty, lower case, ё as е, never NULL."""
    if field in PLAIN:
        column = f'"{field}"'
    elif language == "ru":
        column = f'"{field}_ru"'
    else:
        column = f"""COALESCE(NULLIF("{field}_{language}", ''), NULLIF("{field}_ru", ''))"""
    return f"COALESCE(REPLACE(LOWER({column}), 'ё', 'е'), '')"


def _vector(fields, config: str, language: str) -> str:
    texts = " || ' ' || ".join(_text(field, language) for field in fields)
    return f"to_tsvector('{config}'::regconfig, {texts})"


def _document(fields, language: str) -> str:
    document = _vector(fields, CONFIGS[language], language)
    if CONFIGS[language] != "russian":
        document += " || " + _vector(fields, "russian", "ru")
    return document


def _columns(fields):
    for language in CONFIGS:
        yield f"search_document_{language}", "tsvector", _document(fields, language), ""
        yield f"search_headline_{language}", "text", _text(fields[0], language), "gin_trgm_ops"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fields in SEARCHED.items():
        columns = list(_columns(fields))
        schema_editor.execute(
            f'ALTER TABLE "{table}" '
            + ", ".join(
                f'ADD COLUMN "{name}" {kind} GENERATED ALWAYS AS ({sql}) STORED'
                for name, kind, sql, _ops in columns
            )
        )
        for name, _kind, _sql, ops in columns:
            schema_editor.execute(
                f'CREATE INDEX "{table}_{name}" ON "{table}" USING gin ("{name}" {ops})'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fields in SEARCHED.items():
        # Their indexes go with them.
        names = [name for name, *_rest in _columns(fields)]
        schema_editor.execute(
            f'ALTER TABLE "{table}" ' + ", ".join(f'DROP COLUMN "{name}"' for name in names)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0001_trigram_extension"),
        ("forum", "0010_staff_groups_uploads"),
        ("events", "0006_event_broadcast_url"),
        ("agreements", "0003_historicalagreement_historicalparty"),
        ("delegates", "0007_programme_seen"),
    ]

    operations = [migrations.RunPython(add, drop, elidable=False)]

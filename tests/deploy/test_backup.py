"""Backup and restore: backup_dump here, backup_restore into a second, new database, compared."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from modeltranslation.translator import translator

from demo.loader import demo_load
from documents.models import DocumentFile
from events.models import Event
from forum.management.commands.backup_dump import EXCLUDED
from forum.models import Forum
from tests.factories import (
    AssignmentFactory,
    DocumentFactory,
    DocumentFileFactory,
    EventFactory,
    ForumFactory,
    VenueFactory,
)
from tests.support import documents as files
from tests.support.databases import manage, second_database

pytestmark = pytest.mark.django_db


def backed_up_models():
    excluded = set(EXCLUDED)
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded and model._meta.label_lower not in excluded
    ]


def rows_by_model(dump: list[dict]) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for row in dump:
        rows.setdefault(row["model"], {})[row["pk"]] = row["fields"]
    return rows


@pytest.fixture
def trilingual_data():
    """The demo (every edition, the Seventh Forum) and a forum with texts in all three languages."""
    demo_load()
    forum = ForumFactory(title_ru="Форум", title_be="Форум рэгіёнаў", title_en="Forum of Regions")
    event = EventFactory(
        day__forum=forum,
        title_ru="Пленарное заседание",
        title_be="Пленарнае пасяджэнне",
        title_en="Plenary session",
        description_be="Апісанне",
        description_en="Description",
    )
    event.venues.set([VenueFactory(forum=forum, name_be="Зала", name_en="Hall")])
    AssignmentFactory(event=event, delegate__last_name_be="Іваноў", delegate__last_name_en="Ivanov")
    document = DocumentFactory(event=event, title_be="Рэзалюцыя", access="participants")
    DocumentFileFactory(document=document, language="ru")
    DocumentFileFactory(document=document, language="be", file=ContentFile(files.docx(), "x"))
    return document


def stored_digests(media_root: Path | None = None) -> dict[str, str]:
    """SHA-256 of each document file, by stored name: from the storage, or from a folder."""
    digests = {}
    for document_file in DocumentFile.objects.all():
        name = document_file.file.name
        if media_root is None:
            data = document_file.file.open("rb").read()
        else:
            data = (media_root / name).read_bytes()
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def test_backup_restores_every_row_every_language_and_every_file_into_a_new_database(
    trilingual_data, tmp_path
):
    backup = tmp_path / "forum.tar.gz"
    restored_media = tmp_path / "restored-media"
    call_command("backup_dump", str(backup), verbosity=0)

    with second_database(tmp_path) as url:
        manage(url, "migrate", "--no-input", "-v", "0")
        manage(url, "backup_restore", str(backup), "-v", "0", DJANGO_MEDIA_ROOT=str(restored_media))
        restored = rows_by_model(
            json.loads(manage(url, "dumpdata", "--natural-foreign", *(f"-e{x}" for x in EXCLUDED)))
        )

    for model in backed_up_models():
        label = model._meta.label_lower
        assert len(restored.get(label, {})) == model.objects.count(), label
    for model in translator.get_registered_models():
        label = model._meta.label_lower
        fields = translator.get_options_for_model(model).get_field_names()
        names = [f"{field}_{lang}" for field in fields for lang in ("ru", "be", "en")]
        for row in model.objects.values("pk", *names):
            pk = row.pop("pk")
            assert {name: restored[label][pk][name] for name in names} == row, (label, pk)
    for event in Event.objects.prefetch_related("venues"):
        assert sorted(restored["events.event"][event.pk]["venues"]) == sorted(
            venue.pk for venue in event.venues.all()
        )
    assert restored["forum.forum"][Forum.objects.get(title_en="Forum of Regions").pk][
        "title_be"
    ] == ("Форум рэгіёнаў")
    # The demo's sample files and the two above.
    assert len(stored_digests()) == DocumentFile.objects.count() > 2
    assert stored_digests(restored_media) == stored_digests()


def test_a_backup_written_before_files_were_kept_still_restores(trilingual_data, tmp_path):
    backup = tmp_path / "forum.json.gz"
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, output=str(backup))

    with second_database(tmp_path) as url:
        manage(url, "migrate", "--no-input", "-v", "0")
        out = manage(url, "backup_restore", str(backup), DJANGO_MEDIA_ROOT=str(tmp_path / "media"))

    assert "(0 files)" in out


def test_a_backup_name_that_is_no_archive_is_refused(trilingual_data, tmp_path):
    with pytest.raises(CommandError, match=r"\.tar\.gz"):
        call_command("backup_dump", str(tmp_path / "forum.json.gz"), verbosity=0)


def test_a_file_the_storage_lost_is_named_and_the_rest_backed_up(trilingual_data, tmp_path):
    lost = trilingual_data.files.get(language="be")
    kept = trilingual_data.files.get(language="ru")
    lost.file.storage.delete(lost.file.name)
    errors = io.StringIO()

    call_command("backup_dump", str(tmp_path / "forum.tar"), verbosity=0, stderr=errors)

    with tarfile.open(tmp_path / "forum.tar") as archive:
        names = archive.getnames()
    assert lost.file.name in errors.getvalue()
    assert f"files/{kept.file.name}" in names
    assert f"files/{lost.file.name}" not in names
    assert "data.json" in names


def test_an_archive_with_a_file_outside_its_folder_is_refused_before_anything_changes(
    trilingual_data, tmp_path
):
    backup = tmp_path / "forum.tar"
    call_command("backup_dump", str(backup), verbosity=0)
    with tarfile.open(backup, "a") as archive:
        info = tarfile.TarInfo("files/../../outside.txt")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    forums = Forum.objects.count()

    with pytest.raises(Exception, match="should not"):
        call_command("backup_restore", str(backup), "--replace", verbosity=0)

    assert Forum.objects.count() == forums
    assert not (tmp_path / "outside.txt").exists()


def test_restore_refuses_a_database_that_holds_data(trilingual_data, tmp_path):
    backup = tmp_path / "forum.tar"
    call_command("backup_dump", str(backup), verbosity=0)
    forums = Forum.objects.count()

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup_restore", str(backup), verbosity=0)

    assert Forum.objects.count() == forums

"""The backup archive (README: "Backup and restore"): a tar file holding ``data.json``, every row
as dumpdata writes it, and ``files/<stored name>``, every file a row refers to, read from and
written back to the storage the file field names (the local disk or S3 alike).

The models are read through the app registry: forum imports none of the apps built on it."""

import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.apps import apps
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management.base import CommandError
from django.db import models

DATA_MEMBER = "data.json"
FILES_FOLDER = "files"
MODES = {".tar": "", ".tar.gz": "gz", ".tgz": "gz", ".tar.bz2": "bz2", ".tar.xz": "xz"}


@dataclass(frozen=True)
class StoredFile:
    name: str
    storage: Storage


def compression(path: str) -> str:
    """tarfile's compression for the archive's name; a name it does not know is refused."""
    for suffix, mode in MODES.items():
        if path.endswith(suffix):
            return mode
    raise CommandError(
        f"Name the backup with one of {', '.join(MODES)} (it holds the data and the files)."
    )


def stored_files(*, database: str) -> Iterator[StoredFile]:
    """Every file a row of an installed model refers to, once each."""
    seen = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField):
                continue
            names = (
                model._default_manager.using(database)
                .exclude(**{field.attname: ""})
                .values_list(field.attname, flat=True)
                .distinct()
            )
            for name in names:
                if name and (field.storage, name) not in seen:
                    seen.add((field.storage, name))
                    yield StoredFile(name=name, storage=field.storage)


def add_file(archive: tarfile.TarFile, stored: StoredFile) -> None:
    """One stored file into the archive, streamed from its storage (FileNotFoundError or the
    storage's own error when it is gone)."""
    info = tarfile.TarInfo(f"{FILES_FOLDER}/{stored.name}")
    info.size = stored.storage.size(stored.name)
    with stored.storage.open(stored.name, "rb") as handle:
        archive.addfile(info, handle)


def archived_files(archive: tarfile.TarFile) -> Iterator[tuple[str, tarfile.TarInfo]]:
    """(stored name, member) of each file in the archive; a member outside files/, or a name
    that climbs out of it, is refused."""
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if member.name == DATA_MEMBER or not path.parts or path.parts[0] != FILES_FOLDER:
            continue
        name = PurePosixPath(*path.parts[1:]).as_posix()
        if not member.isfile() or ".." in path.parts or path.is_absolute():
            raise SuspiciousFileOperation(f"The backup holds a file it should not: {member.name}")
        yield name, member


def restore_file(archive: tarfile.TarFile, member: tarfile.TarInfo, name: str, storage) -> None:
    """Write a file back under its own name, replacing what the storage holds there."""
    if storage.exists(name):
        storage.delete(name)
    with archive.extractfile(member) as handle:
        saved = storage.save(name, File(handle, name=name))
    if saved != name:
        raise CommandError(f"The storage kept {name} as {saved}; rows refer to {name}.")

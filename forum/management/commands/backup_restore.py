import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from forum.backups import DATA_MEMBER, archived_files, restore_file

# What makes a database "not empty": read through the app registry, so forum imports none of
# the apps built on it.
HOLDINGS = ("forum.Forum", "events.Event", "delegates.Delegate", "agreements.Agreement")


class Command(BaseCommand):
    help = (
        "Load an archive written by backup_dump into an empty, migrated database (SQLite or "
        "PostgreSQL) and its files into the storage (local disk or S3): every row comes back "
        "with its id, in all three languages. An older backup_dump file of rows only "
        "(.json, .json.gz, …) is read too."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive backup_dump wrote.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete what the database holds first, even if it is not empty.",
        )

    def handle(self, *args, path, database, replace, **options):
        self._check_empty(database, replace)
        if tarfile.is_tarfile(path):
            files = self._restore_archive(path, database)
        else:
            self._flush(database)
            call_command("loaddata", path, database=database, verbosity=0)
            files = 0
        if options["verbosity"]:
            self.stdout.write(f"restored {path} ({files} files)")

    def _flush(self, database):
        # Empty every table, the migrations' rows too (groups, regions): the backup holds them
        # with their ids. flush makes the content types and permissions again, which the backup
        # refers to by name.
        call_command("flush", database=database, interactive=False, verbosity=0)

    def _check_empty(self, database, replace):
        models = [*(apps.get_model(label) for label in HOLDINGS), get_user_model()]
        holding = [
            model._meta.verbose_name_plural
            for model in models
            if model._default_manager.using(database).exists()
        ]
        if holding and not replace:
            raise CommandError(
                "The database is not empty (it holds "
                + ", ".join(str(name) for name in holding)
                + "). Restore into a new database after `migrate`, or pass --replace."
            )

    def _restore_archive(self, path, database) -> int:
        """The files first, so that no restored row ever points at a file not yet there."""
        with tarfile.open(path) as archive, tempfile.TemporaryDirectory() as folder:
            try:
                data = archive.getmember(DATA_MEMBER)
            except KeyError as error:
                raise CommandError(f"{path} holds no {DATA_MEMBER}: not a backup.") from error
            # Every member is checked before anything is emptied or written.
            members = list(archived_files(archive))
            self._flush(database)
            for name, member in members:
                restore_file(archive, member, name, default_storage)
            target = Path(folder) / DATA_MEMBER
            with archive.extractfile(data) as source, target.open("wb") as copy:
                shutil.copyfileobj(source, copy)
            call_command("loaddata", str(target), database=database, verbosity=0)
        return len(members)

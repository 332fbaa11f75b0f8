import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from forum.backups import DATA_MEMBER, add_file, compression, stored_files

# Left out of a backup, each for a reason:
# - contenttypes and auth.permission: made by `migrate` (and `flush`) in every database; the
#   rows that point at them (groups, users' permissions, the admin's history) are written with
#   natural keys ("app_label, model"; "codename, app, model"), so they find them again by name.
# - sessions: a restored copy must not sign anyone in; people sign in again.
# - axes: login attempts and lock-outs (with addresses); operational, not the forum's data.
# - sheets.upload: files waiting a day at most for an import's confirmation; upload them again.
# - delegates.passwordresetrequest: the password-reset throttle's count of the last hour.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "sheets.upload",
    "delegates.passwordresetrequest",
]


class Command(BaseCommand):
    help = (
        "Write every row of the forum's data (forums, programme, documents, delegates, "
        "agreements, regions, users, groups, the admin's history; all three languages) and every "
        "uploaded file to one tar archive, on SQLite or PostgreSQL, local disk or S3 alike. "
        "Restore it with backup_restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="The archive to write: .tar, or compressed .tar.gz (.tgz), .tar.bz2, .tar.xz. "
            "Default: var/backups/forum-<date-time>.tar.gz",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        if not output:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            output = str(Path(settings.BASE_DIR) / "var" / "backups" / f"forum-{stamp}.tar.gz")
        mode = compression(output)
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.TemporaryDirectory() as folder,
            tarfile.open(output, f"w:{mode}" if mode else "w") as archive,
        ):
            data = Path(folder) / DATA_MEMBER
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                output=str(data),
                database=database,
                verbosity=0,
            )
            archive.add(data, arcname=DATA_MEMBER)
            missing = self._add_files(archive, database)
        if missing:
            self.stderr.write(
                "Missing from the storage, so not in the backup: " + ", ".join(missing)
            )
        if options["verbosity"]:
            self.stdout.write(output)

    def _add_files(self, archive, database) -> list[str]:
        missing = []
        for stored in stored_files(database=database):
            try:
                add_file(archive, stored)
            except FileNotFoundError:
                missing.append(stored.name)
        return missing

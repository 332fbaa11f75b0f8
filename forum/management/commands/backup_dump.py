from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

# Left out of a backup, each for a reason:
# - contenttypes and auth.permission: made by `migrate` (and `flush`) in every database; the
#   rows that point at them (groups, users' permissions, the admin's history) are written with
#   natural keys ("app_label, model"; "codename, app, model"), so they find them again by name.
# - sessions: a restored copy must not sign anyone in; people sign in again.
# - axes: login attempts and lock-outs (with addresses); operational, not the forum's data.
# - sheets.upload: files waiting a day at most for an import's confirmation; upload them again.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "sheets.upload"]


class Command(BaseCommand):
    help = (
        "Write every row of the forum's data (forums, programme, delegates, agreements, "
        "regions, users, groups, the admin's history; all three languages) to one JSON file, "
        "on SQLite or PostgreSQL alike. Restore it with backup_restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="The file to write; .gz, .bz2, .xz or .lzma compresses it. "
            "Default: var/backups/forum-<date-time>.json.gz",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        if not output:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BASE_DIR) / "var" / "backups" / f"forum-{stamp}.json.gz"
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            output=str(output),
            database=database,
            verbosity=0,
        )
        if options["verbosity"]:
            self.stdout.write(str(output))

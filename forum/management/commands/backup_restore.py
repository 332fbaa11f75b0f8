from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

# What makes a database "not empty": read through the app registry, so forum imports none of
# the apps built on it.
HOLDINGS = ("forum.Forum", "events.Event", "delegates.Delegate", "agreements.Agreement")


class Command(BaseCommand):
    help = (
        "Load a file written by backup_dump into an empty, migrated database (SQLite or "
        "PostgreSQL): every row comes back with its id, in all three languages."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file backup_dump wrote.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete what the database holds first, even if it is not empty.",
        )

    def handle(self, *args, path, database, replace, **options):
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
        # Empty every table, the migrations' rows too (groups, regions): the backup holds them
        # with their ids. flush makes the content types and permissions again, which the backup
        # refers to by name.
        call_command("flush", database=database, interactive=False, verbosity=0)
        call_command("loaddata", path, database=database, verbosity=0)
        if options["verbosity"]:
            self.stdout.write(f"restored {path}")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forum.models import Forum
from public.archive import SiteExport


class Command(BaseCommand):
    help = (
        "Write a static copy of one forum's public pages in every language (overview, "
        "programme, events, registry, documents, feeds, styles) with relative links, to open "
        "from disk or put on any static web server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The forum's year, e.g. 2020.")
        parser.add_argument(
            "--output", required=True, help="A folder that does not exist yet or is empty."
        )

    def handle(self, *args, year, output, **options):
        forum = Forum.objects.published().filter(year=year).first()
        if forum is None:
            raise CommandError(f"No published forum of {year}: only public pages are exported.")
        folder = Path(output)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise CommandError(f"{folder} is not an empty folder: choose a new one.")
        folder.mkdir(parents=True, exist_ok=True)
        files = SiteExport(forum=forum, output=folder).run()
        if options["verbosity"]:
            self.stdout.write(f"{files} files of {forum} written to {folder}")

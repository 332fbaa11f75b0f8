from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from agreements.models import Agreement, Party
from delegates.models import Assignment, Delegate
from demo.loader import demo_load
from documents.models import Document, DocumentFile
from events.models import Commission, Event
from forum.models import Day, Forum, Venue


class Command(BaseCommand):
    help = (
        "Load the demo forum: every known edition, the Seventh Forum (2020) with its programme, "
        "and marked sample delegates and agreements. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        stats = demo_load()
        for model in (
            Forum,
            Day,
            Venue,
            Commission,
            Event,
            Delegate,
            Assignment,
            Agreement,
            Party,
            Document,
            DocumentFile,
            get_user_model(),
        ):
            name = model.__name__
            self.stdout.write(
                f"{name + ':':<12} {model.objects.count():>3} in total "
                f"({stats.created[name]} created, {stats.updated[name]} updated)"
            )
        if stats.updated["Event venues"]:
            self.stdout.write(f"Venues set on {stats.updated['Event venues']} events.")
        if stats.changed:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already up to date; nothing changed."))

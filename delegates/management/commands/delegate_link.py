from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from delegates.models import Delegate
from delegates.services import delegate_link_issue, delegate_link_path


class Command(BaseCommand):
    help = (
        "Issue a new personal link for one delegate (by external id or e-mail) and print it. "
        "The delegate's earlier links stop working."
    )

    def add_arguments(self, parser):
        parser.add_argument("delegate", help="the delegate's external id or e-mail")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="the site's address, e.g. https://forum.example.org",
        )

    def handle(self, *args, delegate, base_url, **options):
        found = list(Delegate.objects.filter(Q(external_id=delegate) | Q(email__iexact=delegate)))
        if len(found) != 1:
            raise CommandError(f"No single delegate has the external id or e-mail {delegate!r}.")
        token = delegate_link_issue(delegate=found[0])
        path = delegate_link_path(delegate=found[0], token=token)
        self.stdout.write(f"{found[0]}: {base_url.rstrip('/')}{path}")
